"""The reports as printed-quality PDF (WeasyPrint, A4 landscape), in Indonesian.

The templates (``templates/monitoring/laporan_*.html``) carry their own print stylesheet: the
regency's letterhead (kop), bordered tables whose header repeats on every page, page numbers
"Halaman n dari m" and the date of printing in the page margin. The figures are formatted here the
Indonesian way (``formats``), so the template only places text. No font is shipped or downloaded:
the page asks for the fonts Debian has (DejaVu, Liberation), as the AK/1 card does.
"""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils import translation

from sejahtera.monitoring.report_selectors import QuarterlyReportData, RegencyReportData
from sejahtera.monitoring.reports.formats import (
    LEVEL,
    LIGHT,
    POLARITY,
    STATUS,
    UNIT,
    angka,
    nilai,
    persen,
    place_name,
    rupiah,
    tanggal,
    triwulan,
)

CONTENT_TYPE = "application/pdf"


def _indicator_row(number, indicator, target, values, percent, light, source) -> dict:
    return {"number": number, "code": indicator.code, "name": indicator.name,
            "unit": UNIT.get(indicator.unit, indicator.unit), "polarity": POLARITY[indicator.polarity],
            "target": nilai(target, indicator.unit), "values": [nilai(v, indicator.unit) for v in values],
            "achievement": persen(percent), "light": light, "light_label": LIGHT.get(light, "Tidak ada data"),
            "source": source}


def quarterly_context(data: QuarterlyReportData) -> dict:
    report = data.report
    label = triwulan(data.quarter)
    submitter = report.submitted_by
    return {
        "title": f"Laporan {label} Tahun {data.year}",
        "regency": data.regency_name, "place": place_name(data.regency_name), "agency": data.agency.name,
        "quarter": label, "year": str(data.year),
        "starts_on": tanggal(data.starts_on), "ends_on": tanggal(data.ends_on),
        "status": STATUS[report.status], "made_at": tanggal(data.made_at),
        "indicators": [_indicator_row(n, line.indicator, line.target, [line.quarter_value, line.ytd_value],
                                      line.achievement, line.light, line.source)
                       for n, line in enumerate(data.indicators, start=1)],
        "budget": [{"number": n, "programme": line.programme.name, "planned": rupiah(line.planned),
                    "used_quarter": rupiah(line.used_quarter), "used_ytd": rupiah(line.used_ytd),
                    "absorption": persen(line.absorption),
                    "note": "; ".join(filter(None, [line.note, "diisi manual" if line.planned_by_hand
                                                    or line.used_by_hand else ""]))}
                   for n, line in enumerate(data.budget, start=1)],
        "budget_total": {"planned": rupiah(data.budget_planned), "used_ytd": rupiah(data.budget_used),
                         "absorption": persen(data.budget_absorption)},
        "texts": [("Permasalahan", report.problems), ("Faktor pendorong", report.drivers),
                  ("Faktor penghambat", report.obstacles), ("Tindak lanjut", report.follow_up)],
        "signed_on": tanggal(report.submitted_at or data.made_at),
        "signer": (submitter.get_full_name() or submitter.username) if submitter else "",
        "submitted": report.is_submitted,
    }


def regency_context(data: RegencyReportData) -> dict:
    def row(number, line):
        result = _indicator_row(number, line.indicator, line.target, [line.realisation], line.achievement,
                                line.light, line.realisation_source)
        result.update(agency=line.indicator.agency.short_name, level=LEVEL[line.indicator.level],
                      target_source=line.target_source, region=line.region_name,
                      as_of=tanggal(line.as_of) if line.as_of else "–")
        return result

    groups = {}
    for line in data.kecamatan:
        groups.setdefault(line.indicator.pk, (line.indicator, []))[1].append(line)
    return {
        "title": f"Laporan Capaian Indikator Kinerja Daerah Tahun {data.year}",
        "regency": data.regency_name, "place": place_name(data.regency_name), "year": str(data.year),
        "made_at": tanggal(data.made_at),
        "rows": [row(n, line) for n, line in enumerate(data.regency, start=1)],
        "kecamatan": [{"indicator": indicator, "unit": UNIT.get(indicator.unit, indicator.unit),
                       "rows": [row(n, line) for n, line in enumerate(lines, start=1)]}
                      for indicator, lines in groups.values()],
        "kecamatan_count": angka(len({line.region_code for line in data.kecamatan})),
    }


def _css_text(text: str) -> str:
    """Text safe inside a CSS string of the page margins (``content: "…"``)."""
    return re.sub(r'["\\<>&\n\r]', "", text)


def _with_margins(context: dict) -> dict:
    context["page_note"] = _css_text(f"{context['title']} · {context['regency']}")
    context["made_at_css"] = _css_text(context["made_at"])
    return context


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: pango loads only when a report is printed

    return HTML(string=html).write_pdf()


def _render(template: str, context: dict) -> str:
    """The page in Indonesian whatever the user's language (figures are formatted already; the
    year is text, so no thousands separator reaches it)."""
    with translation.override("id"):
        return render_to_string(template, _with_margins(context))


def quarterly_html(data: QuarterlyReportData) -> str:
    return _render("monitoring/laporan_triwulan.html", quarterly_context(data))


def quarterly_pdf(data: QuarterlyReportData) -> bytes:
    return _pdf(quarterly_html(data))


def regency_html(data: RegencyReportData) -> str:
    return _render("monitoring/laporan_kabupaten.html", regency_context(data))


def regency_pdf(data: RegencyReportData) -> bytes:
    return _pdf(regency_html(data))
