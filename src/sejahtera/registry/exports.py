"""Exports of the family list and the person list: XLSX (write-only) and CSV (streamed).

Both lists take the family list's filters (``selectors.family_list``): the person list holds the
members of the listed families. Rows come from ``values_list(...).iterator(chunk_size=...)``, so an
export of 100,000+ rows keeps memory flat: no model instances, and openpyxl's write-only mode
streams the sheet to a temporary file.

NIK and No. KK are text (XLSX cells formatted "@"), whole only where the user sees full numbers
(``user.sees_full_nik_in``, the rule of ``selectors.display_nik``), masked elsewhere. The files are
Indonesian whatever the interface language: headers, code-list values (the import vocabulary's
names, so an exported person list with full NIKs can be imported again) and file names.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import pgettext, pgettext_lazy

from sejahtera.core.models import AuditEvent
from sejahtera.registry import selectors
from sejahtera.registry.identity import mask_nik
from sejahtera.registry.importing import vocabulary as vocab
from sejahtera.registry.importing.pipeline import common_region
from sejahtera.registry.models import Person
from sejahtera.registry.selectors import FamilyFilters

CHUNK_SIZE = 2000
MAX_SHEET_ROWS = 1_048_575  # Excel's 1,048,576 rows less the header; more rows go on a next sheet
TEXT_FORMAT = "@"
DATE_FORMAT = "DD/MM/YYYY"
FORMATS = ("xlsx", "csv")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


# -- what the exports hold -----------------------------------------------------------------------

@dataclass
class Export:
    """One export: its rows (a one-pass iterator) and how to write them."""

    kind: str  # "families" or "persons"
    file_stem: str  # Indonesian: "keluarga", "penduduk"
    sheet_title: str
    header: list[str]
    rows: Iterator[list]
    text_columns: frozenset[int]  # NIK, No. KK, codes, RT/RW: text cells
    date_columns: frozenset[int]
    region_code: str
    filters: FamilyFilters
    object_type: str


class _NikRule:
    """Whole or masked, per desa, as ``selectors.display_nik`` decides; one decision per desa."""

    def __init__(self, user):
        self.user = user
        self.full: dict[str, bool] = {}

    def __call__(self, desa_code: str, value: str | None) -> str:
        if not value:
            return ""
        full = self.full.get(desa_code)
        if full is None:
            full = self.full[desa_code] = self.user.sees_full_nik_in(desa_code)
        return value if full else mask_nik(value)


def export_region(user, filters: FamilyFilters) -> str:
    """The region code an export is named after: the chosen desa or kecamatan, else the user's area."""
    return filters.desa or filters.kecamatan or common_region(user.personal_data_scopes)


def _yes_no(value: bool) -> str:
    return pgettext("export value", "Yes") if value else pgettext("export value", "No")


FAMILY_HEADER = [
    pgettext_lazy("export column", "No. KK"),
    pgettext_lazy("export column", "Head of family"),
    pgettext_lazy("export column", "NIK of the head"),
    pgettext_lazy("export column", "Members"),
    pgettext_lazy("export column", "Village code"),
    pgettext_lazy("export column", "Village"),
    pgettext_lazy("export column", "District"),
    pgettext_lazy("export column", "Address"),
    pgettext_lazy("export column", "RT"),
    pgettext_lazy("export column", "RW"),
    pgettext_lazy("export column", "Data warnings"),
]


def family_export(user, filters: FamilyFilters) -> Export:
    """The families of the family list (same filters and scope), one row each."""
    heads = Person.objects.filter(family=OuterRef("pk"), relationship=1, merged_into__isnull=True).order_by("id")
    members = (Person.objects.filter(family=OuterRef("pk"), merged_into__isnull=True).order_by()
               .values("family").annotate(n=Count("pk")).values("n"))
    member_warnings = Person.objects.filter(family=OuterRef("pk"), merged_into__isnull=True, has_warnings=True)
    rows = (
        selectors.family_list(user, filters).prefetch_related(None).select_related(None)
        .annotate(head_name=Subquery(heads.values("name")[:1]), head_nik=Subquery(heads.values("nik")[:1]),
                  member_count=Coalesce(Subquery(members, output_field=IntegerField()), Value(0)),
                  member_warnings=Exists(member_warnings))
        .order_by("desa_id", "id")
        .values_list("no_kk", "head_name", "head_nik", "member_count", "desa_id", "desa__name",
                     "desa__parent__name", "address", "rt", "rw", "has_warnings", "member_warnings")
    )
    nik = _NikRule(user)

    def generate() -> Iterator[list]:
        with translation.override("id"):
            yes, no = _yes_no(True), _yes_no(False)
            for (no_kk, head_name, head_nik, member_count, desa, desa_name, kecamatan_name, address, rt, rw,
                 warns, member_warns) in rows.iterator(chunk_size=CHUNK_SIZE):
                yield [nik(desa, no_kk), head_name or "", nik(desa, head_nik), member_count, desa, desa_name,
                       kecamatan_name or "", address, rt, rw, yes if warns or member_warns else no]

    with translation.override("id"):
        header = [str(text) for text in FAMILY_HEADER]
        title = pgettext("export sheet", "Families")
    return Export("families", "keluarga", title, header, generate(), frozenset({0, 2, 4, 8, 9}), frozenset(),
                  export_region(user, filters), filters, "registry.family")


PERSON_HEADER = [
    pgettext_lazy("export column", "NIK"),
    pgettext_lazy("export column", "Name"),
    pgettext_lazy("export column", "Sex"),
    pgettext_lazy("export column", "Place of birth"),
    pgettext_lazy("export column", "Date of birth"),
    pgettext_lazy("export column", "Relationship in the family"),
    pgettext_lazy("export column", "Marital status"),
    pgettext_lazy("export column", "Education"),
    pgettext_lazy("export column", "Occupation"),
    pgettext_lazy("export column", "Employment status"),
    pgettext_lazy("export column", "Disability"),
    pgettext_lazy("export column", "JKN status"),
    pgettext_lazy("export column", "No. KK"),
    pgettext_lazy("export column", "Village code"),
    pgettext_lazy("export column", "Village"),
    pgettext_lazy("export column", "District"),
    pgettext_lazy("export column", "Address"),
    pgettext_lazy("export column", "RT"),
    pgettext_lazy("export column", "RW"),
    pgettext_lazy("export column", "Data warnings"),
]
# Code lists as the import vocabulary names them (its first spelling), so the file can be imported again.
_VOCABULARIES = (vocab.parse_sex, vocab.parse_relationship, vocab.parse_marital_status, vocab.parse_education,
                 vocab.parse_employment_status, vocab.parse_disability, vocab.parse_jkn_status)


def _names(vocabulary: vocab.Vocabulary) -> dict:
    return {value: words[0] for value, words in vocabulary.spellings.items()}


def person_export(user, filters: FamilyFilters) -> Export:
    """The members of the families of the family list (same filters and scope), one row per person."""
    families = selectors.family_list(user, filters).prefetch_related(None).order_by().values("pk")
    rows = (
        Person.objects.for_user(user).filter(family__in=families)
        .order_by("desa_id", "family_id", "relationship", "id")
        .values_list("nik", "name", "sex", "birth_place", "birth_date", "relationship", "marital_status",
                     "education", "employment_status", "disability", "jkn_status", "occupation", "family__no_kk",
                     "desa_id", "desa__name", "desa__parent__name", "family__address", "family__rt", "family__rw",
                     "has_warnings")
    )
    sex, relationship, marital, education, employment, disability, jkn = (_names(v) for v in _VOCABULARIES)
    nik = _NikRule(user)

    def generate() -> Iterator[list]:
        with translation.override("id"):
            yes, no = _yes_no(True), _yes_no(False)
            for (person_nik, name, sex_code, birth_place, birth_date, rel, mar, edu, emp, dis, jkn_code, occupation,
                 no_kk, desa, desa_name, kecamatan_name, address, rt, rw, warns) in rows.iterator(
                    chunk_size=CHUNK_SIZE):
                yield [nik(desa, person_nik), name, sex.get(sex_code, sex_code), birth_place, birth_date,
                       relationship.get(rel, rel), marital.get(mar, mar), education.get(edu, edu), occupation,
                       employment.get(emp, emp), disability.get(dis, dis), jkn.get(jkn_code, jkn_code),
                       nik(desa, no_kk), desa, desa_name, kecamatan_name or "", address or "", rt or "", rw or "",
                       yes if warns else no]

    with translation.override("id"):
        header = [str(text) for text in PERSON_HEADER]
        title = pgettext("export sheet", "Persons")
    return Export("persons", "penduduk", title, header, generate(), frozenset({0, 12, 13, 17, 18}),
                  frozenset({4}), export_region(user, filters), filters, "registry.person")


def file_name(export: Export, fmt: str, today: datetime.date | None = None) -> str:
    """``keluarga-3201011001-20261128.xlsx``."""
    today = today or timezone.localdate()
    return f"{export.file_stem}-{export.region_code or 'semua'}-{today:%Y%m%d}.{fmt}"


# -- writing ------------------------------------------------------------------------------------

def write_xlsx(export: Export, target) -> int:
    """Write the export as XLSX into ``target`` (a path or binary file); returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    widths = [max(12, len(text) + 2) for text in export.header]
    count = 0

    def new_sheet(number: int):
        title = export.sheet_title if number == 1 else f"{export.sheet_title} ({number})"
        sheet = workbook.create_sheet(title)
        for position, width in enumerate(widths):
            sheet.column_dimensions[_letter(position)].width = width
        sheet.freeze_panes = "A2"
        header = []
        for text in export.header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        return sheet

    sheets = 1
    sheet = new_sheet(sheets)
    in_sheet = 0
    text_columns, date_columns = export.text_columns, export.date_columns
    for row in export.rows:
        if in_sheet == MAX_SHEET_ROWS:
            sheets += 1
            sheet, in_sheet = new_sheet(sheets), 0
        cells = list(row)
        for index in text_columns:
            value = cells[index]
            cell = WriteOnlyCell(sheet, value=str(value) if value not in (None, "") else None)
            cell.number_format = TEXT_FORMAT
            cells[index] = cell
        for index in date_columns:
            if cells[index] is not None:
                cell = WriteOnlyCell(sheet, value=cells[index])
                cell.number_format = DATE_FORMAT
                cells[index] = cell
        sheet.append(cells)
        in_sheet += 1
        count += 1
    workbook.save(target)
    return count


def _letter(position: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(position + 1)


def _csv_value(value) -> object:
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else value


def csv_stream(export: Export, *, done: Callable[[int], None], rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The export as CSV bytes (UTF-8 with a byte-order mark, for Excel), a few hundred rows at a time.

    ``done(count)`` is called with the number of rows produced when the stream ends, also when the
    client goes away in the middle.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    count = 0
    try:
        writer.writerow(export.header)
        yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        for row in export.rows:
            writer.writerow([_csv_value(value) for value in row])
            count += 1
            if count % rows_per_chunk == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        if buffer.tell():
            yield buffer.getvalue().encode("utf-8")
    finally:
        done(count)


def export_record(*, actor, export: Export, fmt: str, rows: int) -> AuditEvent:
    """The audit log entry of an export: who exported which list, with which filters, how many rows."""
    filters = {name: value for name, value in asdict(export.filters).items() if value}
    described = " ".join(f"{name}={value}" for name, value in filters.items()) or "-"
    return AuditEvent.objects.create(
        actor=actor, action=AuditEvent.Action.EXPORT, object_type=export.object_type, object_id="",
        region_code=export.region_code[:10], channel="web",
        summary=f"{export.kind}.{fmt} {described}: {rows} rows"[:255],
        changes={"format": fmt, "filters": filters, "rows": rows},
    )
