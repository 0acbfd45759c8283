"""Why a family has its welfare score: what each PMT variable adds to or takes from the prediction.

A variable's contribution is ``coefficient × (value − reference)`` in log points of predicted
consumption, where the reference is the variable's mean on the model's training sample
(``calibration["means"]``) or 0 when the model does not carry it. The family's values are read
with the scorer's own SQL (``scoring.features_from_sql`` and ``pmt.VARIABLES``), limited to the
one family, so the explanation adds up to the score as long as the family has not changed since.

``WORDING`` gives every variable a label (for the model page) and a plain phrase for a family's
value of it (for the family page).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from sejahtera.registry.choices import Education
from sejahtera.welfare.models import WelfareScore
from sejahtera.welfare.pmt import VARIABLES
from sejahtera.welfare.scoring import child_cutoff, features_from_sql

TOP = 3
# Raw figures the phrases quote besides the variables themselves.
FACTS = {"members": "m.n", "kids": "m.kids", "head_edu": "m.head_edu", "floor_area": "hs.floor_area_m2"}


@dataclass(frozen=True)
class Wording:
    label: str
    phrase: Callable[[float, dict], str]  # (value, facts) -> text


def _yes_no(yes: str, no: str) -> Callable[[float, dict], str]:
    """The phrase of a 0/1 variable: ``yes`` when it is 1, ``no`` when it is 0."""
    return lambda value, facts: str(yes if value >= 0.5 else no)


def _members(value: float, facts: dict) -> str:
    n = int(facts["members"])
    return ngettext("%(n)d family member", "%(n)d family members", n) % {"n": n}


def _children(value: float, facts: dict) -> str:
    kids, n = int(facts["kids"] or 0), int(facts["members"])
    if not kids:
        return str(_("No children under 15"))
    return ngettext("%(kids)d of %(n)d members is under 15", "%(kids)d of %(n)d members are under 15",
                    kids) % {"kids": kids, "n": n}


def _head_education(value: float, facts: dict) -> str:
    level = int(value)
    label = Education(level).label if level in Education.values else str(level)
    return _("Head of family's education: %(level)s") % {"level": label}


def _floor_area(value: float, facts: dict) -> str:
    per_person = facts["floor_area"] / facts["members"]
    return _("%(area)s m² of floor per person") % {"area": number_format(round(per_person, 1), 1)}


def _count(none: str, some: str) -> Callable[[float, dict], str]:
    """The phrase of a count: ``none`` for 0, else ``some`` (lazy plural keyed on ``count``)."""
    def phrase(value: float, facts: dict) -> str:
        count = int(value)
        return some % {"count": count} if count else str(none)

    return phrase


WORDING: dict[str, Wording] = {
    "log_household_size": Wording(_("Number of family members (log)"), _members),
    "child_share": Wording(_("Share of members under 15"), _children),
    "head_education": Wording(_("Education of the head of family (level 1–10)"), _head_education),
    "urban": Wording(_("Lives in a kelurahan (urban)"),
                     _yes_no(_("Lives in a kelurahan (urban)"), _("Lives in a desa (rural)"))),
    "log_floor_area_per_capita": Wording(_("Floor area per person (log m²)"), _floor_area),
    "floor_fine": Wording(_("Floor of marble, ceramic or parquet"),
                          _yes_no(_("Floor of marble, ceramic or parquet"),
                                  _("Floor not of marble, ceramic or parquet"))),
    "floor_tile": Wording(_("Floor of tile or terrazzo"),
                          _yes_no(_("Floor of tile or terrazzo"), _("Floor not of tile or terrazzo"))),
    "floor_earth_bamboo": Wording(_("Floor of earth or bamboo"),
                                  _yes_no(_("Floor of earth or bamboo"), _("Floor not of earth or bamboo"))),
    "wall_masonry": Wording(_("Masonry walls"), _yes_no(_("Masonry walls"), _("Walls not of masonry"))),
    "wall_bamboo": Wording(_("Walls of bamboo or logs"),
                           _yes_no(_("Walls of bamboo or logs"), _("Walls not of bamboo or logs"))),
    "roof_concrete": Wording(_("Concrete roof"), _yes_no(_("Concrete roof"), _("Roof not of concrete"))),
    "roof_sheet": Wording(_("Roof of zinc or asbestos sheets"),
                          _yes_no(_("Roof of zinc or asbestos sheets"), _("Roof not of zinc or asbestos sheets"))),
    "roof_poor": Wording(_("Roof of wood shingles, bamboo or thatch"),
                         _yes_no(_("Roof of wood shingles, bamboo or thatch"),
                                 _("Roof not of wood shingles, bamboo or thatch"))),
    "water_bought_piped": Wording(_("Drinking water bottled, refilled or piped"),
                                  _yes_no(_("Drinking water bottled, refilled or piped"),
                                          _("Drinking water not bottled, refilled or piped"))),
    "water_unprotected": Wording(_("Drinking water from an unprotected source"),
                                 _yes_no(_("Drinking water from an unprotected source"),
                                         _("Drinking water not from an unprotected source"))),
    "toilet_own_septic": Wording(_("Own toilet with septic tank"),
                                 _yes_no(_("Own toilet with septic tank"), _("No own toilet with septic tank"))),
    "toilet_none_public": Wording(_("No toilet, or only a public one"),
                                  _yes_no(_("No toilet, or only a public one"), _("Own or shared toilet"))),
    "lighting_not_metered": Wording(_("No own PLN electricity meter"),
                                    _yes_no(_("No own PLN electricity meter"), _("Own PLN electricity meter"))),
    "power_900": Wording(_("Electricity connection of 900 VA"),
                         _yes_no(_("Electricity connection of 900 VA"), _("Electricity connection other than 900 VA"))),
    "power_1300_plus": Wording(_("Electricity connection of 1,300 VA or more"),
                               _yes_no(_("Electricity connection of 1,300 VA or more"),
                                       _("Electricity connection below 1,300 VA"))),
    "power_2200_plus": Wording(_("Electricity connection of 2,200 VA or more"),
                               _yes_no(_("Electricity connection of 2,200 VA or more"),
                                       _("Electricity connection below 2,200 VA"))),
    "fuel_large_lpg_electric": Wording(_("Cooks with large LPG cylinders, electricity or gas"),
                                       _yes_no(_("Cooks with large LPG cylinders, electricity or gas"),
                                               _("Does not cook with large LPG cylinders, electricity or gas"))),
    "fuel_solid": Wording(_("Cooks with firewood, charcoal or kerosene"),
                          _yes_no(_("Cooks with firewood, charcoal or kerosene"),
                                  _("Does not cook with firewood, charcoal or kerosene"))),
    "home_rent": Wording(_("Rents the home"), _yes_no(_("Rents the home"), _("Does not rent the home"))),
    "home_rent_free": Wording(_("Lives rent-free"), _yes_no(_("Lives rent-free"), _("Does not live rent-free"))),
    "owns_land": Wording(_("Owns land"), _yes_no(_("Owns land"), _("Owns no land"))),
    "owns_other_house": Wording(_("Owns another house"), _yes_no(_("Owns another house"), _("Owns no other house"))),
    "has_refrigerator": Wording(_("Has a refrigerator"), _yes_no(_("Has a refrigerator"), _("No refrigerator"))),
    "has_air_conditioner": Wording(_("Has an air conditioner"),
                                   _yes_no(_("Has an air conditioner"), _("No air conditioner"))),
    "has_television": Wording(_("Has a flat-screen television"),
                              _yes_no(_("Has a flat-screen television"), _("No flat-screen television"))),
    "has_computer": Wording(_("Has a computer or laptop"),
                            _yes_no(_("Has a computer or laptop"), _("No computer or laptop"))),
    "has_gold": Wording(_("Has 10 g of gold or jewellery or more"),
                        _yes_no(_("Has 10 g of gold or jewellery or more"), _("Less than 10 g of gold or jewellery"))),
    "has_motorbike": Wording(_("Has a motorbike"), _yes_no(_("Has a motorbike"), _("No motorbike"))),
    "has_car": Wording(_("Has a car"), _yes_no(_("Has a car"), _("No car"))),
    "large_livestock": Wording(_("Cattle, buffalo and horses (head)"),
                               _count(_("No cattle, buffalo or horses"),
                                      ngettext_lazy("%(count)d head of cattle, buffalo or horses",
                                                    "%(count)d head of cattle, buffalo or horses", "count"))),
    "small_livestock": Wording(_("Goats, sheep and pigs (head)"),
                               _count(_("No goats, sheep or pigs"),
                                      ngettext_lazy("%(count)d goat, sheep or pig",
                                                    "%(count)d goats, sheep or pigs", "count"))),
}


def variable_label(variable: str) -> str:
    wording = WORDING.get(variable)
    return str(wording.label) if wording else variable


def phrase(variable: str, value: float, facts: dict) -> str:
    wording = WORDING.get(variable)
    if wording is None:
        return f"{variable}: {value:g}"
    return wording.phrase(value, facts)


@dataclass(frozen=True)
class Reason:
    variable: str
    text: str
    value: float
    contribution: float  # log points of predicted consumption per capita

    @property
    def percent(self) -> float:
        """The contribution as a change of predicted consumption, in per cent."""
        return (math.exp(self.contribution) - 1) * 100


@dataclass(frozen=True)
class Explanation:
    pulls_down: list[Reason]  # strongest first
    pulls_up: list[Reason]
    against_means: bool  # references are training means (else 0)
    matches_score: bool  # the values still give the stored score (nothing changed since)


def family_values(family_id: int, regency_code: str, on: datetime.date) -> dict[str, float] | None:
    """The family's PMT variables and ``FACTS`` as the scorer computes them on day ``on``, or None
    without a survey or members. The planner narrows every part of the scorer's SQL to the family."""
    names = [*VARIABLES, *FACTS]
    columns = ", ".join([*(VARIABLES[name] for name in VARIABLES), *(FACTS[name] for name in FACTS)])
    sql = f"SELECT {columns} {features_from_sql()} AND f.id = %s"
    prefix = f"{regency_code}%"
    with connection.cursor() as cursor:
        cursor.execute(sql, [child_cutoff(on), prefix, prefix, family_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return {name: (float(value) if value is not None else None) for name, value in zip(names, row, strict=True)}


def explain(score: WelfareScore, *, top: int = TOP) -> Explanation | None:
    """The variables that pulled ``score`` down and up the most (None when the family has no values)."""
    family = score.family
    values = family_values(family.pk, score.regency_code, timezone.localdate(score.scored_at))
    if values is None:
        return None
    model = score.model
    means = (model.calibration or {}).get("means") or {}
    reasons, predicted = [], model.intercept
    for coefficient in model.coefficients.all():
        value = values.get(coefficient.variable)
        if value is None:
            continue
        predicted += coefficient.value * value
        contribution = coefficient.value * (value - float(means.get(coefficient.variable, 0.0)))
        if abs(contribution) > 1e-9:
            reasons.append(Reason(coefficient.variable, phrase(coefficient.variable, value, values), value,
                                  contribution))
    reasons.sort(key=lambda reason: reason.contribution)
    down = [r for r in reasons if r.contribution < 0][:top]
    up = [r for r in reversed(reasons) if r.contribution > 0][:top]
    return Explanation(down, up, against_means=bool(means), matches_score=abs(predicted - score.log_predicted) < 1e-6)
