"""What the stored reasons of a pair say, in the user's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

AGREE, PARTLY, DISAGREE, MISSING = "agree", "partly", "disagree", "missing"

# (comparison, level) -> (text, how it counts)
REASONS = {
    ("name", "same"): (_("Same name"), AGREE),
    ("name", "same_without_prefix"): (_("Same name apart from a leading Muhammad or Siti"), AGREE),
    ("name", "one_edit"): (_("Names differ by one letter"), PARTLY),
    ("name", "similar"): (_("Similar names"), PARTLY),
    ("name", "part_missing"): (_("One name lacks a part of the other"), PARTLY),
    ("name", "different"): (_("Different names"), DISAGREE),
    ("name", "missing"): (_("Name missing"), MISSING),
    ("birth_date", "same"): (_("Same date of birth"), AGREE),
    ("birth_date", "day_month_swapped"): (_("Date of birth with day and month swapped"), PARTLY),
    ("birth_date", "one_off"): (_("Dates of birth one day, month or year apart"), PARTLY),
    ("birth_date", "one_digit"): (_("Dates of birth differ by one digit"), PARTLY),
    ("birth_date", "one_part"): (_("Dates of birth differ in the day, the month or the year"), PARTLY),
    ("birth_date", "different"): (_("Different dates of birth"), DISAGREE),
    ("birth_date", "missing"): (_("Date of birth missing"), MISSING),
    ("sex", "same"): (_("Same sex"), AGREE),
    ("sex", "different"): (_("Different sex"), DISAGREE),
    ("sex", "missing"): (_("Sex missing"), MISSING),
    ("place", "same_family"): (_("On the same family card"), AGREE),
    ("place", "same_desa"): (_("Same village, different family card"), AGREE),
    ("place", "neighbour_desa"): (_("Neighbouring village (village code one apart)"), PARTLY),
    ("place", "same_kecamatan"): (_("Other village in the same district"), PARTLY),
    ("place", "different"): (_("Registered in another district"), DISAGREE),
    ("place", "missing"): (_("Village missing"), MISSING),
    ("nik", "same"): (_("Same NIK"), AGREE),
    ("nik", "one_digit"): (_("NIKs differ by one digit"), PARTLY),
    ("nik", "last_digit"): (_("NIKs differ only in the last digit, as for twins"), DISAGREE),
    ("nik", "different"): (_("Different NIKs"), DISAGREE),
    ("nik", "one_missing"): (_("One of the two has no NIK"), MISSING),
}
ORDER = ("nik", "name", "birth_date", "sex", "place")
DIFFERS = {
    "name": _("The imported row has this NIK with another name."),
    "birth_date": _("The imported row has this NIK with another date of birth."),
    "sex": _("The imported row has this NIK with another sex."),
}


@dataclass(frozen=True)
class Reason:
    text: str
    kind: str  # agree, partly, disagree, missing


def reasons_for(candidate) -> list[Reason]:
    """The comparisons of a pair, most telling first; for a NIK conflict, what differs."""
    data = candidate.reasons or {}
    if candidate.person_b_id is None:
        return [Reason(str(DIFFERS[name]), DISAGREE) for name in data.get("differs", []) if name in DIFFERS]
    result = []
    for comparison in ORDER:
        level = data.get(comparison)
        if level and (comparison, level) in REASONS:
            text, kind = REASONS[(comparison, level)]
            result.append(Reason(str(text), kind))
    return result
