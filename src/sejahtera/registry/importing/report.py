"""The import report: every rejected and flagged row with its reason, in Indonesian.

Columns are ``row, column, nik, outcome, message`` and the ``file`` the row is in; outcomes keep
their machine names (inserted, updated, unchanged, flagged, rejected) so other systems can read
the report.
"""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext_lazy as _

REPORT_COLUMNS = ["row", "column", "nik", "outcome", "message", "file"]

# Reasons found by the set-based checks; ``%(detail)s`` is filled from the staged row.
MESSAGES = {
    "unknown_desa": _("The village code is not in the Kemendagri region list."),
    "desa_outside_scope": _("The village lies outside your work area."),
    "duplicate_nik_in_file": _("The same NIK already appears in row %(detail)s of this file."),
    "duplicate_person_in_file": _(
        "The same person (name and birth date, no NIK) already appears in row %(detail)s of this file."),
    "family_outside_scope": _("This No. KK is registered in a village outside your work area."),
    "person_outside_scope": _("This NIK is registered in a village outside your work area."),
    "nik_identity_conflict": _(
        "This NIK is registered to %(detail)s with another name or birth date; the row was not applied "
        "and waits for a verifier."),
    "unknown_family": _("No family with this No. KK is registered; import the individuals file first."),
    "duplicate_survey_in_file": _(
        "A survey of the same family on the same date already appears in row %(detail)s of this file."),
    "family_data_differs": _(
        "Village or address differs from row %(detail)s of the same No. KK; the data of row %(detail)s "
        "were used."),
}


@dataclass(slots=True)
class ReportLine:
    row: int
    column: str
    nik: str
    outcome: str
    message: str
    file: str = ""


def message_for(code: str, detail: str | None = None) -> str:
    with translation.override("id"):
        return str(MESSAGES[code]) % {"detail": detail or ""}


def lines_from_staged(staged_rows: list[tuple]) -> list[ReportLine]:
    """Report lines of the rows the set-based merge flagged or rejected (see person_merge.reported_rows)."""
    lines = []
    for row, column, nik, outcome, code, detail, warnings, kk_warnings in staged_rows:
        if code:
            lines.append(ReportLine(row, column or "", nik or "", outcome, message_for(code, detail)))
        for stored, stored_column in ((warnings, "nik"), (kk_warnings, "no_kk")):
            for issue in json.loads(stored or "[]"):
                lines.append(ReportLine(row, stored_column, nik or "", outcome, issue["message"]))
    return lines


def write_report(lines: list[ReportLine], path: Path) -> None:
    """CSV or XLSX by the file's extension; identity numbers are written as text."""
    header = REPORT_COLUMNS
    values = [[line.row, line.column, line.nik, line.outcome, line.message, line.file]
              for line in sorted(lines, key=lambda line: (line.file, line.row))]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Laporan impor")
        sheet.append(header)
        for row in values:
            sheet.append(row)
        workbook.save(path)
        return
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(values)
