"""The reports as XLSX workbooks, in Indonesian: figures are numbers with number formats, so the
reader can compute with them; a missing figure is an empty cell, never 0."""

from __future__ import annotations

import io

from sejahtera.monitoring.achievement import GREEN, RED, YELLOW
from sejahtera.monitoring.report_selectors import QuarterlyReportData, RegencyReportData
from sejahtera.monitoring.reports.formats import (
    LEVEL,
    LIGHT,
    POLARITY,
    STATUS,
    UNIT,
    XLSX_DECIMAL,
    XLSX_INTEGER,
    XLSX_RUPIAH,
    decimals_for,
    tanggal,
    triwulan,
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILL = {GREEN: "C6EFCE", YELLOW: "FFEB9C", RED: "FFC7CE"}

QUARTERLY_INDICATOR_HEADERS = ["No", "Kode", "Indikator kinerja", "Satuan", "Polaritas", "Target tahun {year}",
                               "Realisasi {quarter}", "Realisasi s.d. {quarter}", "Capaian s.d. {quarter} (%)",
                               "Kategori", "Sumber data"]
BUDGET_HEADERS = ["No", "Program", "Pagu anggaran {year} (Rp)", "Realisasi {quarter} (Rp)",
                  "Realisasi s.d. {quarter} (Rp)", "Serapan (%)", "Keterangan"]
REGENCY_HEADERS = ["No", "Kode", "Indikator kinerja", "Perangkat daerah", "Satuan", "Polaritas", "Tingkat",
                   "Target {year}", "Realisasi {year}", "Capaian (%)", "Kategori", "Sumber target",
                   "Sumber realisasi", "Data s.d."]
KECAMATAN_HEADERS = ["No", "Kode wilayah", "Kecamatan", "Kode", "Indikator kinerja", "Satuan", "Target {year}",
                     "Realisasi {year}", "Capaian (%)", "Kategori", "Sumber realisasi"]


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "bold": Font(bold=True),
        "title": Font(bold=True, size=13),
        "head_fill": PatternFill("solid", fgColor="D9D9D9"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "fill": {light: PatternFill("solid", fgColor=color) for light, color in FILL.items()},
    }


def _title(sheet, lines: list[str], styles) -> int:
    """The letterhead lines at the top of a sheet; the next free row."""
    for number, text in enumerate(lines, start=1):
        cell = sheet.cell(row=number, column=1, value=text)
        cell.font = styles["title"] if number <= 3 else styles["bold"]
    return len(lines) + 2


def _table(sheet, top: int, headers: list[str], rows: list[list], formats: dict[int, str], styles,
           widths: list[int], lights: dict[int, int] | None = None) -> int:
    """A bordered table from row ``top``: headers, then rows. ``formats``: column (0-based) -> number
    format; ``lights``: column of the light's label -> column whose fill shows it. The next free row."""
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=top, column=column, value=text)
        cell.font, cell.fill, cell.alignment, cell.border = styles["bold"], styles["head_fill"], styles["center"], \
            styles["border"]
    for offset, values in enumerate(rows, start=1):
        light = values.pop() if lights else None
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=top + offset, column=column, value=value)
            cell.border, cell.alignment = styles["border"], styles["wrap"]
            number_format = formats.get(column - 1)
            if isinstance(number_format, dict):  # per row: the indicator's precision
                number_format = number_format.get(offset)
            if number_format and value is not None:
                cell.number_format = number_format
        if light in FILL:
            for column in (lights or {}):
                sheet.cell(row=top + offset, column=column + 1).fill = styles["fill"][light]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    return top + len(rows) + 2


def _value_format(unit: str, *values) -> str:
    return XLSX_DECIMAL if any(decimals_for(unit, v) for v in values if v is not None) or unit == "percent" \
        else XLSX_INTEGER


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def quarterly_xlsx(data: QuarterlyReportData) -> bytes:
    """The agency's quarterly report: "Kinerja" (indicators), "Anggaran" (budget), "Uraian" (texts)."""
    from openpyxl import Workbook

    styles = _styles()
    label = triwulan(data.quarter)
    letterhead = [f"PEMERINTAH {data.regency_name.upper()}", data.agency.name.upper(),
                  f"LAPORAN {label.upper()} TAHUN {data.year}",
                  f"Periode: {tanggal(data.starts_on)} s.d. {tanggal(data.ends_on)}",
                  f"Status: {STATUS[data.report.status]} · Dibuat: {tanggal(data.made_at)}"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kinerja"
    top = _title(sheet, [*letterhead, "A. Capaian indikator kinerja"], styles)
    headers = [h.format(year=data.year, quarter=label) for h in QUARTERLY_INDICATOR_HEADERS]
    rows, per_row = [], {}
    for number, line in enumerate(data.indicators, start=1):
        unit = line.indicator.unit
        per_row[number] = _value_format(unit, line.target, line.quarter_value, line.ytd_value)
        rows.append([number, line.indicator.code, line.indicator.name, UNIT.get(unit, unit),
                     POLARITY[line.indicator.polarity], line.target, line.quarter_value, line.ytd_value,
                     line.achievement, LIGHT.get(line.light, "Tidak ada data"), line.source, line.light])
    formats = {5: per_row, 6: per_row, 7: per_row, 8: XLSX_DECIMAL}
    _table(sheet, top, headers, rows, formats, styles, [5, 20, 40, 10, 16, 14, 14, 14, 14, 12, 50],
           lights={8: 8, 9: 9})
    sheet.freeze_panes = sheet.cell(row=top + 1, column=4)

    budget = workbook.create_sheet("Anggaran")
    top = _title(budget, [*letterhead, "B. Realisasi anggaran program"], styles)
    rows = []
    for number, line in enumerate(data.budget, start=1):
        notes = [line.note] if line.note else []
        if line.planned_by_hand or line.used_by_hand:
            notes.append("diisi manual oleh perangkat daerah")
        rows.append([number, line.programme.name, line.planned, line.used_quarter, line.used_ytd, line.absorption,
                     "; ".join(notes)])
    rows.append(["", "Jumlah", data.budget_planned, None, data.budget_used, data.budget_absorption, ""])
    end = _table(budget, top, [h.format(year=data.year, quarter=label) for h in BUDGET_HEADERS], rows,
                 {2: XLSX_RUPIAH, 3: XLSX_RUPIAH, 4: XLSX_RUPIAH, 5: XLSX_DECIMAL}, styles,
                 [5, 36, 20, 20, 22, 12, 40])
    for column in range(1, 8):
        budget.cell(row=end - 2, column=column).font = styles["bold"]

    texts = workbook.create_sheet("Uraian")
    top = _title(texts, [*letterhead, "C. Uraian"], styles)
    for offset, (heading, text) in enumerate([
            ("Permasalahan", data.report.problems), ("Faktor pendorong", data.report.drivers),
            ("Faktor penghambat", data.report.obstacles), ("Tindak lanjut", data.report.follow_up)]):
        head = texts.cell(row=top + offset, column=1, value=heading)
        head.font, head.border, head.alignment = styles["bold"], styles["border"], styles["wrap"]
        body = texts.cell(row=top + offset, column=2, value=text or "–")
        body.border, body.alignment = styles["border"], styles["wrap"]
    texts.column_dimensions["A"].width = 22
    texts.column_dimensions["B"].width = 100
    if data.report.submitted_at:
        texts.cell(row=top + 5, column=1, value="Disampaikan oleh")
        texts.cell(row=top + 5, column=2, value=f"{_person(data.report.submitted_by)}, "
                                                f"{tanggal(data.report.submitted_at)}")
    return _save(workbook)


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def regency_xlsx(data: RegencyReportData) -> bytes:
    """The regency report: "Kabupaten" (every indicator), "Per kecamatan" (those measured per kecamatan)."""
    from openpyxl import Workbook

    styles = _styles()
    letterhead = [f"PEMERINTAH {data.regency_name.upper()}", "LAPORAN CAPAIAN INDIKATOR KINERJA DAERAH",
                  f"TAHUN {data.year}", f"Dibuat: {tanggal(data.made_at)}"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kabupaten"
    top = _title(sheet, letterhead, styles)
    rows, per_row = [], {}
    for number, row in enumerate(data.regency, start=1):
        indicator = row.indicator
        per_row[number] = _value_format(indicator.unit, row.target, row.realisation)
        rows.append([number, indicator.code, indicator.name, indicator.agency.short_name,
                     UNIT.get(indicator.unit, indicator.unit), POLARITY[indicator.polarity], LEVEL[indicator.level],
                     row.target, row.realisation, row.achievement, LIGHT.get(row.light, "Tidak ada data"),
                     row.target_source, row.realisation_source, tanggal(row.as_of) if row.as_of else None, row.light])
    _table(sheet, top, [h.format(year=data.year) for h in REGENCY_HEADERS], rows,
           {7: per_row, 8: per_row, 9: XLSX_DECIMAL}, styles,
           [5, 20, 40, 16, 10, 16, 12, 14, 14, 12, 12, 40, 40, 16], lights={9: 9, 10: 10})
    sheet.freeze_panes = sheet.cell(row=top + 1, column=4)

    districts = workbook.create_sheet("Per kecamatan")
    top = _title(districts, letterhead, styles)
    rows, per_row = [], {}
    for number, row in enumerate(data.kecamatan, start=1):
        indicator = row.indicator
        per_row[number] = _value_format(indicator.unit, row.target, row.realisation)
        rows.append([number, row.region_code, row.region_name, indicator.code, indicator.name,
                     UNIT.get(indicator.unit, indicator.unit), row.target, row.realisation, row.achievement,
                     LIGHT.get(row.light, "Tidak ada data"), row.realisation_source, row.light])
    _table(districts, top, [h.format(year=data.year) for h in KECAMATAN_HEADERS], rows,
           {6: per_row, 7: per_row, 8: XLSX_DECIMAL}, styles,
           [5, 12, 22, 20, 36, 10, 14, 14, 12, 12, 40], lights={8: 8, 9: 9})
    districts.freeze_panes = districts.cell(row=top + 1, column=4)
    return _save(workbook)
