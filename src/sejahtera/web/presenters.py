"""Turning registry records into what the pages show."""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Count
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sejahtera.registry.models import SURVEY_FIELDS, Family, HouseholdSurvey, Person


def rupiah(value) -> str:
    """``1250000`` -> ``Rp1.250.000`` (separators of the active language)."""
    if value is None or value == "":
        return ""
    return "Rp" + number_format(int(value), 0, force_grouping=True)


def attach_member_counts(families: list[Family]) -> None:
    """Set ``member_count`` on each family of a page: one grouped query for the whole page."""
    families = list(families)  # the page's ids as values: a LIMITed subquery plans badly on PostgreSQL
    counts = dict(
        Person.objects.filter(family__in=[family.pk for family in families]).values("family")
        .annotate(n=Count("id")).values_list("family", "n")
    )
    for family in families:
        family.member_count = counts.get(family.pk, 0)


@dataclass
class Row:
    label: str
    value: str


def _survey_value(survey: HouseholdSurvey, field) -> str:
    value = getattr(survey, field.attname)
    if field.choices:
        return getattr(survey, f"get_{field.name}_display")()
    if isinstance(field, BooleanField):
        return _("Yes") if value else _("No")
    if value is None:
        return "—"
    if field.name == "consumption_per_capita":
        return rupiah(value)
    if field.name == "floor_area_m2":
        return f"{number_format(value, force_grouping=True)} m²"
    return number_format(value, force_grouping=True) if isinstance(value, int) else str(value)


def survey_rows(survey: HouseholdSurvey) -> list[Row]:
    skip = {"surveyed_on", "enumerator"}
    fields = [HouseholdSurvey._meta.get_field(name) for name in SURVEY_FIELDS if name not in skip]
    return [Row(capfirst(field.verbose_name), _survey_value(survey, field)) for field in fields]


def format_date(value: datetime.date | None) -> str:
    return date_format(value, "j F Y") if value else ""
