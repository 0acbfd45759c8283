"""Indonesian numbers, dates and labels of the printed reports, whatever the user's language.

The reports are official Indonesian documents: their text is written in Indonesian in the templates
and here, not translated, and their numbers and dates always take the Indonesian formats
(``1.234.567``, ``7,05``, ``28 November 2026``), from Django's ``id`` locale.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format

from sejahtera.monitoring.achievement import GREEN, RED, YELLOW

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
NONE = "–"  # no figure ("tidak ada data"), never 0

UNIT = {"percent": "%", "persons": "orang", "families": "keluarga", "count": "unit"}
POLARITY = {"higher": "Semakin tinggi semakin baik", "lower": "Semakin rendah semakin baik"}
LEVEL = {"regency": "Kabupaten", "kecamatan": "Kecamatan", "desa": "Desa/kelurahan"}
LIGHT = {GREEN: "Hijau", YELLOW: "Kuning", RED: "Merah"}
STATUS = {"draft": "Konsep", "submitted": "Disampaikan"}

# XLSX number formats (Excel shows them with the separators of the reader's locale).
XLSX_INTEGER = "#,##0"
XLSX_DECIMAL = "#,##0.00"
XLSX_RUPIAH = '"Rp"#,##0'


def decimals_for(unit: str, value=None) -> int:
    """Rates with two decimals; counts without, unless the figure has a fraction."""
    if unit == "percent":
        return 2
    if value is not None and Decimal(value) != Decimal(value).to_integral_value():
        return 2
    return 0


def angka(value, decimals: int = 0) -> str:
    """``1234567.5`` -> ``1.234.567,50`` (two decimals asked); ``None`` -> ``–``."""
    if value is None:
        return NONE
    with translation.override("id"):
        return number_format(Decimal(value), decimals, use_l10n=True, force_grouping=True)


def nilai(value, unit: str) -> str:
    """An indicator's figure in its unit's precision."""
    return angka(value, decimals_for(unit, value))


def persen(value) -> str:
    return NONE if value is None else f"{angka(value, 2)}%"


def rupiah(value) -> str:
    return NONE if value is None else f"Rp{angka(int(value))}"


def tanggal(value: datetime.date | datetime.datetime | None) -> str:
    """``28 November 2026`` (the local date of a moment)."""
    if value is None:
        return NONE
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    with translation.override("id"):
        return date_format(value, "j F Y", use_l10n=True)


def triwulan(quarter: int) -> str:
    return f"Triwulan {ROMAN[quarter]}"


def place_name(regency_name: str) -> str:
    """``Kabupaten Bogor`` -> ``Bogor``: the place a regency's documents are signed in."""
    for prefix in ("Kabupaten ", "Kab. ", "Kota "):
        if regency_name.startswith(prefix):
            return regency_name[len(prefix):]
    return regency_name
