"""Validation of NIK (personal ID) and No. KK (family card number).

Both are 16 digits: a 6-digit kecamatan code, a DDMMYY date and a 4-digit serial.
In a NIK the date is the birth date, with 40 added to the day for women; in a
No. KK it is the issue date. Errors block saving; warnings are stored and shown.
Nothing is repaired here: cleaning input is the caller's decision.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

MALE = "L"  # laki-laki
FEMALE = "P"  # perempuan
FEMALE_DAY_OFFSET = 40

# What Excel shows after turning a 16-digit number into a float, e.g. "3.20101E+15".
_SCIENTIFIC = re.compile(r"^[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+$")
_DIGITS = re.compile(r"^[0-9]*$")  # str.isdigit() would accept "²" and other Unicode digits


@dataclass(frozen=True)
class Issue:
    code: str
    message: str


@dataclass
class ValidationResult:
    value: str
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    sex: str | None = None
    date: datetime.date | None = None
    kecamatan_code: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def issues_as_json(issues: list[Issue]) -> list[dict]:
    return [asdict(issue) for issue in issues]


def _resolve_date(day: int, month: int, yy: int, reference_year: int | None,
                  today: datetime.date) -> datetime.date | None:
    """The real date for DD MM YY, or None. The century comes from reference_year when its
    last two digits are YY, otherwise from today. 29-02-00 is only valid in 2000, so when the
    chosen century makes the date impossible the other century is tried (for any other date
    both centuries agree)."""
    if reference_year is not None and reference_year % 100 == yy:
        year = reference_year
    else:
        year = 2000 + yy if yy <= today.year % 100 else 1900 + yy
    for candidate in (year, year + 100 if year < 2000 else year - 100):
        try:
            return datetime.date(candidate, month, day)
        except ValueError:
            continue
    return None


def _text(value: object) -> str:
    # A spreadsheet reader may hand over an int or a float; str() keeps what Excel did visible.
    return "" if value is None else str(value).strip()


def _check_format(result: ValidationResult, prefix: str, label: str) -> bool:
    """Add the error for anything that is not exactly 16 ASCII digits; True when it is."""
    value = result.value
    if _SCIENTIFIC.match(value):
        result.errors.append(Issue(f"{prefix}_scientific", _(
            "%(label)s \"%(value)s\" was damaged by Excel, which turned it into a number in "
            "scientific notation and lost its last digits. Format the column as Text and enter "
            "the %(label)s again.") % {"label": label, "value": value}))
    elif not _DIGITS.match(value):
        result.errors.append(Issue(f"{prefix}_not_digits", _(
            "%(label)s must contain only digits (no letters, spaces, dots or dashes).")
            % {"label": label}))
    elif len(value) != 16:
        result.errors.append(Issue(f"{prefix}_length", _(
            "%(label)s must be exactly 16 digits; this one has %(count)d.")
            % {"label": label, "count": len(value)}))
    else:
        return True
    return False


def _check_region_and_serial(result: ValidationResult, prefix: str, label: str,
                             known_kecamatan: Collection[str] | None) -> None:
    value = result.value
    result.kecamatan_code = value[:6]
    if not 11 <= int(value[:2]) <= 99:
        result.errors.append(Issue(f"{prefix}_province", _(
            "%(label)s must start with a province code from 11 to 99, not %(code)s.")
            % {"label": label, "code": value[:2]}))
    elif known_kecamatan is not None and result.kecamatan_code not in known_kecamatan:
        result.warnings.append(Issue(f"{prefix}_kecamatan_unknown", _(
            "The kecamatan code %(code)s in the %(label)s is not in the current or older "
            "region lists.") % {"label": label, "code": result.kecamatan_code}))
    if value[12:] == "0000":
        result.errors.append(Issue(f"{prefix}_serial", _(
            "The serial number (last 4 digits) of the %(label)s cannot be 0000.")
            % {"label": label}))


def nik_date_digits(birth_date: datetime.date, sex: str) -> str:
    """The DDMMYY digits a NIK carries for this birth date and sex."""
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == FEMALE else 0)
    return f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"


def nik_agrees(value: str, *, sex: str, birth_date: datetime.date, known_kecamatan: Collection[str]) -> bool:
    """True when ``value`` is a NIK that ``validate_nik`` would pass without errors or warnings.

    A fast check for bulk imports, where nearly every NIK agrees with its person; anything it
    does not accept goes through ``validate_nik`` for the reasons.
    """
    return (len(value) == 16 and value.isascii() and value.isdigit() and value[:6] in known_kecamatan
            and value[12:] != "0000" and 11 <= int(value[:2]) and value[6:12] == nik_date_digits(birth_date, sex))


def validate_nik(value: str, *, sex: str | None = None, birth_date: datetime.date | None = None,
                 known_kecamatan: Collection[str] | None = None,
                 today: datetime.date | None = None) -> ValidationResult:
    """Validate a NIK against its format and, when given, the recorded sex and birth date."""
    if sex not in (None, MALE, FEMALE):
        raise ValueError(f"sex must be {MALE!r}, {FEMALE!r} or None, not {sex!r}")
    today = today or datetime.date.today()
    result = ValidationResult(value=_text(value))
    if not _check_format(result, "nik", "NIK"):
        return result
    _check_region_and_serial(result, "nik", "NIK", known_kecamatan)

    v = result.value
    day, month, yy = int(v[6:8]), int(v[8:10]), int(v[10:12])
    if 1 <= day <= 31:
        result.sex = MALE
    elif 1 <= day - FEMALE_DAY_OFFSET <= 31:
        result.sex, day = FEMALE, day - FEMALE_DAY_OFFSET
    if result.sex is not None:
        result.date = _resolve_date(day, month, yy, birth_date and birth_date.year, today)
    if result.date is None:
        result.errors.append(Issue("nik_date", _(
            "Digits 7-12 of the NIK (%(digits)s) are not a real birth date DDMMYY "
            "(for women the day is increased by 40).") % {"digits": v[6:12]}))

    if sex is not None and result.sex is not None and sex != result.sex:
        result.warnings.append(Issue("nik_sex_mismatch", _(
            "The NIK encodes sex %(encoded)s but the recorded sex is %(recorded)s.")
            % {"encoded": result.sex, "recorded": sex}))
    if birth_date is not None and result.date is not None and birth_date != result.date:
        result.warnings.append(Issue("nik_birth_date_mismatch", _(
            "The NIK encodes birth date %(encoded)s but the recorded birth date is "
            "%(recorded)s. A NIK never changes, so check the recorded date.")
            % {"encoded": result.date.isoformat(), "recorded": birth_date.isoformat()}))
    return result


def validate_no_kk(value: str, *, known_kecamatan: Collection[str] | None = None,
                   today: datetime.date | None = None) -> ValidationResult:
    """Validate a No. KK (family card number)."""
    today = today or datetime.date.today()
    result = ValidationResult(value=_text(value))
    if not _check_format(result, "kk", "No. KK"):
        return result
    _check_region_and_serial(result, "kk", "No. KK", known_kecamatan)

    v = result.value
    result.date = _resolve_date(int(v[6:8]), int(v[8:10]), int(v[10:12]), None, today)
    if result.date is None:
        result.errors.append(Issue("kk_date", _(
            "Digits 7-12 of the No. KK (%(digits)s) are not a real issue date DDMMYY.")
            % {"digits": v[6:12]}))
    elif result.date > today:
        result.errors.append(Issue("kk_future_date", _(
            "The issue date in the No. KK (%(date)s) is in the future.")
            % {"date": result.date.isoformat()}))
    return result


def mask_nik(value: str | None) -> str:
    """Hide the middle of a NIK for display: keep the first 4 and last 2 characters."""
    value = (value or "").strip()
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


def _build(kecamatan_code: str, day: int, date: datetime.date, serial: int) -> str:
    if not (len(kecamatan_code) == 6 and _DIGITS.match(kecamatan_code)
            and 11 <= int(kecamatan_code[:2]) <= 99):
        raise ValueError(f"kecamatan code must be 6 digits starting 11..99, not {kecamatan_code!r}")
    if not 1 <= serial <= 9999:
        raise ValueError(f"serial must be 1..9999, not {serial!r}")
    return f"{kecamatan_code}{day:02d}{date.month:02d}{date.year % 100:02d}{serial:04d}"


def nik_for_birth(kecamatan_code: str, birth_date: datetime.date, sex: str, serial: int) -> str:
    """Build a valid NIK (for demo data)."""
    if sex not in (MALE, FEMALE):
        raise ValueError(f"sex must be {MALE!r} or {FEMALE!r}, not {sex!r}")
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == FEMALE else 0)
    return _build(kecamatan_code, day, birth_date, serial)


def no_kk_for_issue(kecamatan_code: str, issue_date: datetime.date, serial: int) -> str:
    """Build a valid No. KK (for demo data)."""
    return _build(kecamatan_code, issue_date.day, issue_date, serial)
