"""Parsing of import cells into model values.

Every parser takes one raw cell (a ``str`` from a CSV file; ``str``, ``int``, ``float``, ``bool``,
``datetime`` or ``None`` from an XLSX file) and returns the model value, or ``None`` when the cell
is blank (empty, only spaces, or ``-``), or raises :class:`ValueProblem`. Whether a blank cell is
allowed is the caller's decision (see ``columns.Column.required``).

The parsers run millions of times per import, so each has a fast path for the common spelling
(exact dictionary hits, ``date.fromisoformat``) before the general one.
"""

from __future__ import annotations

import datetime
import math

from django.utils.translation import gettext as _

from sejahtera.regions.codes import InvalidRegionCode, normalize_code
from sejahtera.registry.identity import Issue
from sejahtera.registry.importing import vocabulary as vocab
from sejahtera.registry.importing.vocabulary import (  # noqa: F401  (re-exported: the parsers of code lists)
    SEPARATORS,
    ValueProblem,
    Vocabulary,
    cell_text,
    normalize_key,
    parse_bool,
    parse_cooking_fuel,
    parse_disability,
    parse_drinking_water,
    parse_education,
    parse_employment_status,
    parse_floor_material,
    parse_home_ownership,
    parse_jkn_status,
    parse_lighting,
    parse_marital_status,
    parse_relationship,
    parse_roof_material,
    parse_sex,
    parse_toilet,
    parse_wall_material,
    replace_any,
)

# --- dates ------------------------------------------------------------------------------------

MIN_DATE = datetime.date(1900, 1, 1)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's fictitious 1900-02-29
_today_cache = [datetime.date.today()]
_DATE_MEMO: dict[str, datetime.date] = {}  # spellings outside the fast paths, parsed before
_DATE_MEMO_LIMIT = 100_000


def _today() -> datetime.date:
    # The cached date is never later than today, so a date not after it needs no fresh look.
    _today_cache[0] = datetime.date.today()
    return _today_cache[0]


def _date_problem(code: str, message: str, text: object, **params) -> ValueProblem:
    return ValueProblem(code, message % {"value": text, **params})


def _accepted_formats() -> str:
    return _("Use day/month/year, e.g. 17/08/1980, 17-08-1980, 17.08.1980, 17 Agustus 1980, or 1980-08-17.")


def _build_date(year: int, month: int, day: int, text: str) -> datetime.date:
    if not 1 <= month <= 12:
        raise _date_problem("date_month", _(
            "“%(value)s” has no month %(month)d. Dates are read as day/month/year (DD/MM/YYYY); "
            "day and month are never swapped."), text, month=month)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _date_problem("date_impossible", _("“%(value)s” is not a real date."), text) from None


def _parse_date_text(text: str) -> datetime.date:
    head = text
    if len(head) > 10 and head[10] == "T":  # ISO date-time
        head = head[:10]
    elif ":" in head:  # "17/08/1980 00:00" or "1980-08-17 00:00:00": drop the time
        head = " ".join(part for part in head.split() if ":" not in part)
    for separator in "/-.":
        if separator in head:
            parts = head.split(separator)
            if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit() and parts[2].isdigit():
                break
    else:
        parts = None
    if parts is None or len(parts) != 3:
        parts = replace_any(head, SEPARATORS, " ").split()
    if len(parts) == 3:
        first, middle, last = parts
        if not (first.isascii() and last.isascii() and first.isdigit() and last.isdigit()):
            raise _date_problem("date_format", _("“%(value)s” is not a date in a known format. ")
                                + _accepted_formats(), text)
        if middle.isdigit() and middle.isascii():
            month = int(middle)
        else:
            month = vocab.MONTHS.get(middle.lower().rstrip("."), 0)
            if not month:
                raise _date_problem("date_format", _("“%(value)s” has an unknown month name. ")
                                    + _accepted_formats(), text)
            if len(first) == 4:  # "1980 Agustus 17" is not a format anyone uses
                raise _date_problem("date_format", _("“%(value)s” is not a date in a known format. ")
                                    + _accepted_formats(), text)
        if len(first) == 4 and len(last) <= 2 and len(middle) <= 2:
            return _build_date(int(first), month, int(last), text)
        if len(last) == 4 and len(first) <= 2 and (len(middle) <= 2 or not middle.isdigit()):
            return _build_date(int(last), month, int(first), text)
        if len(last) == 2 and len(first) <= 2:
            raise _date_problem("date_two_digit_year", _(
                "“%(value)s” has a two-digit year, which could be 19.. or 20... Write the year with four digits."),
                text)
    raise _date_problem("date_format", _("“%(value)s” is not a date in a known format. ") + _accepted_formats(),
                        text)


def _from_serial(value: int | float) -> datetime.date:
    if not math.isfinite(value):
        raise _date_problem("date_format", _("“%(value)s” is not a date."), value)
    serial = int(value)
    if 1900 <= serial <= 2100:
        raise _date_problem("date_year_only", _(
            "“%(value)s” looks like a year alone, not a full date. Enter day, month and year."), serial)
    if serial < 61:  # before 1900-03-01, where Excel's serials are off by its fictitious 29 February 1900
        raise _date_problem("date_too_early", _("The date “%(value)s” is before 1900."), value)
    if serial > 2958465:
        raise _date_problem("date_format", _("“%(value)s” is not a date."), value)
    return _EXCEL_EPOCH + datetime.timedelta(days=serial)


def parse_date(value: object, *, today: datetime.date | None = None) -> datetime.date | None:
    """A date from 1900 up to today. Day/month/year is the only order for numbers: 05/17/1980 is refused."""
    cls = value.__class__
    if cls is str:
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                result = datetime.date.fromisoformat(value)
            except ValueError:
                result = _parse_date_text(value)
        elif len(value) == 10 and value[2] in "/-." and value[5] == value[2]:
            try:  # DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY; fromisoformat checks the digits
                result = datetime.date.fromisoformat(f"{value[6:]}-{value[3:5]}-{value[:2]}")
            except ValueError:
                result = _parse_date_text(value)
        else:
            result = _DATE_MEMO.get(value)
            if result is None:
                text = value.strip()
                if not text or text == "-":
                    return None
                result = _parse_date_text(text)
                if len(_DATE_MEMO) < _DATE_MEMO_LIMIT:  # files repeat their dates: "17 Agustus 1980"
                    _DATE_MEMO[value] = result
    elif cls is datetime.datetime:
        result = value.date()
    elif cls is datetime.date:
        result = value
    elif cls is int or cls is float:
        result = _from_serial(value)
    elif value is None:
        return None
    elif isinstance(value, datetime.datetime):  # subclasses, e.g. from pandas
        result = datetime.date(value.year, value.month, value.day)
    elif isinstance(value, datetime.date):
        result = datetime.date(value.year, value.month, value.day)
    else:
        raise _date_problem("date_format", _("“%(value)s” is not a date."), value)
    if result > (today or _today_cache[0]) and (today is not None or result > _today()):
        raise _date_problem("date_future", _("The date %(value)s is in the future."), result.isoformat())
    if result < MIN_DATE:
        raise _date_problem("date_too_early", _("The date %(value)s is before 1900."), result.isoformat())
    return result


# --- NIK and No. KK ---------------------------------------------------------------------------

_IDENTITY = {"nik": ("nik", "NIK"), "no_kk": ("kk", "No. KK")}
_SPACES = " \u00a0\u202f\u2007\t"


def _is_scientific(text: str) -> bool:
    """'3.20101E+15', '3,20101E+15', '3E15': what Excel shows for a long number (one digit before the point)."""
    mantissa, e, exponent = text.lower().partition("e")
    if not e or not mantissa or not exponent:
        return False
    exponent = exponent[1:] if exponent[0] in "+-" else exponent
    whole, _sep, fraction = mantissa.replace(",", ".").partition(".")
    return (exponent.isdigit() and exponent.isascii() and len(whole) == 1 and whole.isdigit() and whole.isascii()
            and (not fraction or (fraction.isdigit() and fraction.isascii())))


def _numeric_identity(digits: str, prefix: str, label: str, shown: object) -> tuple[str, Issue]:
    fix = _("Format the column as Text in Excel and type the numbers again (or export them again "
            "from their source), because Excel keeps only 15 digits of a number.")
    if len(digits) != 16:
        raise ValueProblem(f"{prefix}_numeric_length", _(
            "%(label)s %(value)s is stored as a number with %(count)d digits instead of 16: digits were lost "
            "or the number is incomplete.") % {"label": label, "value": shown, "count": len(digits)} + " " + fix)
    if digits[-1] == "0":
        raise ValueProblem(f"{prefix}_numeric_rounded", _(
            "%(label)s %(value)s is stored as a number ending in 0: Excel keeps only 15 digits, so its last "
            "digit was probably lost.") % {"label": label, "value": digits} + " " + fix)
    return digits, Issue(f"{prefix}_numeric_cell", _(
        "%(label)s was stored as a number in the file; check that it is complete.") % {"label": label})


def identity_text(value: object, *, column: str) -> tuple[str, Issue | None]:
    """A NIK or No. KK cell (``column`` is ``"nik"`` or ``"no_kk"``) as text, before identity validation.

    Returns ``(text, warning)``: ``text`` is ``""`` for a blank cell; ``warning`` is an Issue to store
    when the value arrived as a number that looks complete. Removes only surrounding spaces, Excel's
    leading apostrophe and spaces between digit groups; anything else is left for validation to refuse.
    Numbers that may have lost digits are refused with a ValueProblem that says how to fix the file.
    """
    if value.__class__ is str:
        if len(value) == 16 and value.isdigit():
            return value, None
        text = value.strip()
        if text[:1] == "'":
            text = text[1:]
        if len(text) == 16 and text.isdigit():
            return text, None
        text = replace_any(text, _SPACES, "")
        if not text or text == "-":
            return "", None
        if "e" in text or "E" in text:
            prefix, label = _IDENTITY[column]
            if _is_scientific(text):
                raise ValueProblem(f"{prefix}_scientific", _(
                    "%(label)s “%(value)s” is in scientific notation: Excel turned it into a number and kept "
                    "only 15 digits, so the last digits are lost. Format the column as Text in Excel, type the "
                    "numbers again (or export them again from their source) and save the file again.")
                    % {"label": label, "value": text})
        return text, None
    if value is None:
        return "", None
    prefix, label = _IDENTITY[column]
    cls = value.__class__
    if cls is int:
        return _numeric_identity(str(abs(value)), prefix, label, value)
    if cls is float:
        if not math.isfinite(value) or not value.is_integer():
            raise ValueProblem(f"{prefix}_numeric_length", _(
                "%(label)s %(value)s is stored as a number with a fraction, not as 16 digits. Format the "
                "column as Text in Excel and type the numbers again.") % {"label": label, "value": value})
        return _numeric_identity(str(abs(int(value))), prefix, label, f"{value:.0f}")
    raise ValueProblem(f"{prefix}_not_text", _("%(label)s must be text of 16 digits, not “%(value)s”.")
                       % {"label": label, "value": value})


# --- codes and numbers -------------------------------------------------------------------------

def parse_desa_code(value: object) -> str | None:
    """A 10-digit desa/kelurahan code, with or without dots (``32.01.01.2001``)."""
    if value.__class__ is str:
        if len(value) == 10 and value.isdigit() and value.isascii():
            return value
        if len(value) == 13 and value[2] == value[5] == value[8] == ".":
            code = value.replace(".", "")
            if len(code) == 10 and code.isdigit() and code.isascii():
                return code
    text = cell_text(value)
    if text is None:
        return None
    try:
        code = normalize_code(text)
    except InvalidRegionCode:
        code = ""
    if len(code) != 10:
        raise ValueProblem("desa_code_invalid", _(
            "“%(value)s” is not a desa/kelurahan code: use the 10-digit Kemendagri code, with or without "
            "dots, e.g. 32.01.01.2001.") % {"value": text})
    return code


_RT_RW = {str(n): f"{n:03d}" for n in range(1, 1000)}
_RT_RW.update({f"{n:02d}": f"{n:03d}" for n in range(1, 100)})
_RT_RW.update({f"{n:03d}": f"{n:03d}" for n in range(1, 1000)})
_RT_RW_LIMIT = len(_RT_RW) + 10_000


def parse_rt_rw(value: object) -> str | None:
    """RT or RW number 1-999, zero-padded to three digits: "3", "03", "RT 03", 3, 3.0 → "003"."""
    if value.__class__ is str:
        hit = _RT_RW.get(value)
        if hit is not None:
            return hit
    text = cell_text(value)
    if text is None:
        return None
    key = text.lower()
    if key[:2] in ("rt", "rw"):
        key = key[2:].lstrip(" .:")
    hit = _RT_RW.get(key)
    if hit is None:
        raise ValueProblem("rt_rw_invalid", _("“%(value)s” is not an RT/RW number from 1 to 999.")
                           % {"value": text})
    if value.__class__ is str and len(_RT_RW) < _RT_RW_LIMIT:
        _RT_RW[value] = hit  # the next "RT 03" is a dictionary hit
    return hit


def parse_text(value: object, *, max_length: int) -> str | None:
    """Text with surrounding spaces removed and inner runs of spaces collapsed to one."""
    if value.__class__ is str:
        if value.isprintable() and "  " not in value:
            text = value.strip()
        else:
            text = " ".join(value.split())
    else:
        text = cell_text(value)
    if not text or text == "-":
        return None
    if len(text) > max_length:
        raise ValueProblem("text_too_long", _("“%(value)s…” is longer than %(max)d characters.")
                           % {"value": text[:40], "max": max_length})
    return text


_PHONE_JUNK = " \u00a0-.()/"


def parse_phone(value: object) -> str | None:
    """A phone number: spaces, dashes, dots and brackets removed; "+62…", "62…" or "0…" and 8-15 digits.

    A phone number stored as a number loses its leading 0 (81234567890); it gets it back.
    """
    text = cell_text(value)
    if text is None:
        return None
    text = replace_any(text, _PHONE_JUNK, "")
    if value.__class__ in (int, float) and text[:1] == "8":
        text = "0" + text
    digits = text[1:] if text[:1] == "+" else text
    if not (digits.isdigit() and digits.isascii() and 8 <= len(digits) <= 15 and digits[0] in "068"):
        raise ValueProblem("phone_invalid", _("“%(value)s” is not a phone number.") % {"value": cell_text(value)})
    return text


def parse_count(value: object, *, maximum: int = 32767) -> int | None:
    """A whole number from 0 to ``maximum`` (animals, floor area); decimals are rounded."""
    cls = value.__class__
    if cls is str and value.isdigit() and value.isascii():
        number = int(value)
    elif cls is int:
        number = value
    elif cls is float and math.isfinite(value):
        number = math.floor(value + 0.5)
    else:
        text = cell_text(value)
        if text is None:
            return None
        number = _integer(text.replace(" ", ""))
        if number is None:
            raise ValueProblem("number_invalid", _("“%(value)s” is not a whole number.") % {"value": text})
    if not 0 <= number <= maximum:
        raise ValueProblem("number_range", _("%(value)s is outside the range 0 to %(max)d.")
                           % {"value": number, "max": maximum})
    return number


_AREA_UNITS = ("m²", "m2", "meter persegi", "meter", "m")


def parse_area(value: object) -> int | None:
    """Floor area in whole square metres: 36, "36", "36 m2", "36,5" (rounded)."""
    if value.__class__ is str and not value.isdigit():
        text = value.strip().lower()
        for unit in _AREA_UNITS:
            if text.endswith(unit):
                text = text[: -len(unit)]
                break
        value = text
    return parse_count(value, maximum=2_147_483_647)


def _integer(text: str) -> int | None:
    """Digits with optional thousands dots or commas ("1.250.000", "1,250,000") and an optional
    decimal part ("1.250.000,00", "36,5", "1250000.00"), rounded; None if it is not such a number."""
    if text.isdigit() and text.isascii():
        return int(text)
    whole, fraction = text, ""
    last = max(text.rfind(","), text.rfind("."))
    if last >= 0 and 1 <= len(text) - last - 1 <= 2:
        whole, fraction = text[:last], text[last + 1:]
    groups = whole.replace(",", ".").split(".")
    if len(groups) > 1 and ("," in whole and "." in whole):
        return None  # mixed grouping marks in the whole part
    if not all(g.isdigit() and g.isascii() for g in groups) or (fraction and not fraction.isdigit()):
        return None
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    number = int("".join(groups))
    if fraction and int(fraction.ljust(2, "0")) >= 50:
        number += 1
    return number


MAX_RUPIAH = 2_147_483_647  # the largest value of a PositiveIntegerField


def parse_rupiah(value: object) -> int | None:
    """A Rupiah amount: "Rp1.250.000", "Rp 1.250.000,-", "1250000", "1.250.000", 1250000."""
    if value.__class__ is str and value.isdigit() and value.isascii():
        return int(value)
    if value.__class__ is int or value.__class__ is float:
        if not math.isfinite(value) or not 0 <= value <= MAX_RUPIAH:
            raise ValueProblem("rupiah_invalid", _("%(value)s is not an amount in Rupiah.") % {"value": value})
        return math.floor(value + 0.5)
    text = cell_text(value)
    if text is None:
        return None
    amount = text.lower().replace(" ", "").replace("\u00a0", "")
    for prefix in ("rp.", "rp", "idr"):
        if amount.startswith(prefix):
            amount = amount[len(prefix):]
            break
    if amount.endswith((",-", ".-")):
        amount = amount[:-2]
    number = _integer(amount)
    if number is None or number > MAX_RUPIAH:
        raise ValueProblem("rupiah_invalid", _("“%(value)s” is not an amount in Rupiah, e.g. Rp1.250.000.")
                           % {"value": text})
    return number


POWER_ABOVE_2200 = 3500  # the stored value of "more than 2.200 VA"
_POWER_LEVELS = {0, 450, 900, 1300, 2200}
_POWER_WORDS = {"tidak ada": 0, "tanpa listrik": 0, "tidak ada listrik": 0, "tidak": 0}


def parse_installed_power(value: object) -> int | None:
    """Installed electricity in VA: 450, 900, 1.300, 2.200, or anything above 2.200 (stored as 3500)."""
    text = cell_text(value)
    if text is None:
        return None
    above = False
    if value.__class__ is int or value.__class__ is float:
        number = int(value) if float(value).is_integer() else None
    else:
        if text[0] == "-":
            key = "-"
        else:
            key = normalize_key(text)
        if key in _POWER_WORDS:
            return _POWER_WORDS[key]
        above = key.startswith((">", "lebih dari", "diatas", "di atas"))
        for word in (">", "lebih dari", "diatas", "di atas", "va", " "):
            key = key.replace(word, "")
        number = _integer(key) if key else None
    if number is not None and (number > 2200 or above and number >= 2200):
        return POWER_ABOVE_2200
    if number not in _POWER_LEVELS:
        raise ValueProblem("power_invalid", _(
            "“%(value)s” is not an installed power: use 450, 900, 1300, 2200, >2200 (VA), or 0 for none.")
            % {"value": text})
    return number
