"""The reports: an agency's quarterly report and the regency report, as XLSX and PDF, parsed back;
who writes, submits and reads them; downloads logged."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.monitoring import report_selectors, report_services, reports, services
from sejahtera.monitoring.models import Indicator, PlanPeriod, QuarterlyReport
from sejahtera.programs.models import Cycle, Enrolment, Payment, PaymentBatch, Programme
from tests.conftest import KECAMATAN_A, REGENCY

pytestmark = pytest.mark.django_db
YEAR = 2025
TEXTS = {
    "problems": "Lowongan kerja dari perusahaan belum sesuai target.",
    "drivers": "Kerja sama dengan 40 perusahaan mitra.",
    "obstacles": "Keterbatasan instruktur BLK untuk kejuruan las.",
    "follow_up": "Menambah jadwal bursa kerja di kecamatan.",
}


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.SEJAHTERA_EVIDENCE_DIR = tmp_path


def agency(code):
    return Agency.objects.get(code=code)


def enter(actor, code, kind, start, value, region=REGENCY):
    services.realisation_enter(actor=actor, indicator=Indicator.objects.get(code=code), region_code=region,
                               period_kind=kind, period_start=start, value=value, source=f"Catatan {code} uji")


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user(Role.AGENCY_OFFICER, REGENCY, agency="disnaker", username="disnaker"),
        "head": make_user(Role.AGENCY_HEAD, REGENCY, agency="disnaker", username="kadisnaker"),
        "disdik_head": make_user(Role.AGENCY_HEAD, REGENCY, agency="disdik", username="kadisdik"),
        "planner": make_user(Role.PLANNER, REGENCY, agency="bappedalitbang", username="perencana"),
        "district_officer": make_user(Role.AGENCY_OFFICER, KECAMATAN_A, agency="disnaker", username="disnaker-a"),
        "verifier": make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A, username="verifikator"),
    }


@pytest.fixture
def figures(people):
    """Disnaker's 2025 figures, by hand. Seeded 2025 targets: TPT 7.10 (lower is better), seekers
    facilitated 50,000, vacancies 110, seekers placed 2,800."""
    officer = people["officer"]
    enter(officer, "tpt", "year", datetime.date(YEAR, 1, 1), "7.45")
    for month, value in ((1, 1000), (4, 2500), (5, 3000), (6, 1500), (7, 999)):  # July: the third quarter
        enter(officer, "seekers-facilitated", "month", datetime.date(YEAR, month, 1), value)
    enter(officer, "vacancies", "quarter", datetime.date(YEAR, 1, 1), 25)
    enter(officer, "vacancies", "quarter", datetime.date(YEAR, 4, 1), 30)


def line_of(data, code):
    return next(line for line in data.indicators if line.indicator.code == code)


def test_the_quarter_and_the_year_to_date_by_accumulation_and_polarity(people, figures):
    data = report_selectors.quarterly_report_data(people["planner"], agency=agency("disnaker"), year=YEAR, quarter=2)
    assert {line.indicator.code for line in data.indicators} == set(
        Indicator.objects.filter(agency__code="disnaker").values_list("code", flat=True))
    facilitated = line_of(data, "seekers-facilitated")
    assert (facilitated.target, facilitated.quarter_value, facilitated.ytd_value, facilitated.achievement,
            facilitated.light) == (Decimal("50000"), Decimal("7000"), Decimal("8000"), Decimal("16.00"), "red")
    vacancies = line_of(data, "vacancies")
    assert (vacancies.quarter_value, vacancies.ytd_value, vacancies.achievement) == (30, 55, Decimal("50.00"))
    tpt = line_of(data, "tpt")  # the year's BPS figure: no quarter value; (2 × 7.10 − 7.45) / 7.10
    assert (tpt.quarter_value, tpt.ytd_value, tpt.achievement, tpt.light) == (
        None, Decimal("7.45"), Decimal("95.07"), "green")
    placed = line_of(data, "seekers-placed")
    assert (placed.target, placed.ytd_value, placed.achievement, placed.light) == (Decimal("2800"), None, None, "none")
    # The first quarter counts only January and the first quarter's row.
    first = report_selectors.quarterly_report_data(people["planner"], agency=agency("disnaker"), year=YEAR, quarter=1)
    assert (line_of(first, "seekers-facilitated").ytd_value, line_of(first, "vacancies").ytd_value) == (1000, 25)


def _paid_cycle(make_family, officer):
    """A 2025 S1 scholarship cycle (budget Rp7.2 billion) with payments: paid in February, twice in
    May, in July; one still pending."""
    programme = Programme.objects.get(code="beasiswa-s1")
    cycle = Cycle.objects.create(programme=programme, label="2025", starts_on=datetime.date(YEAR, 1, 1),
                                 ends_on=datetime.date(YEAR, 12, 31), status=Cycle.Status.OPEN,
                                 budget=7_200_000_000, amount=6_000_000)
    batch = PaymentBatch.objects.create(cycle=cycle, number=1, period="2025", created_by=officer)
    now = timezone.now()
    for n, paid_on in enumerate([datetime.date(YEAR, 2, 10), datetime.date(YEAR, 5, 5), datetime.date(YEAR, 5, 6),
                                 datetime.date(YEAR, 7, 1), None]):
        family = make_family(officer)
        enrolment = Enrolment.objects.create(
            cycle=cycle, programme=programme, person=family.members.first(), family=family,
            desa_code=family.desa_id, status=Enrolment.Status.APPROVED, priority=n + 1, amount=6_000_000,
            created_at=now, updated_at=now)
        Payment.objects.create(batch=batch, enrolment=enrolment, idempotency_key=f"{cycle.pk}:{enrolment.pk}:2025",
                               amount=6_000_000, status=Payment.Status.PAID if paid_on else Payment.Status.PENDING,
                               paid_on=paid_on)
    return cycle


def test_the_budget_from_cycles_and_paid_payments_or_entered_by_hand(people, make_family, operator_a):
    _paid_cycle(make_family, operator_a)
    disdik = agency("disdik")
    head = people["disdik_head"]
    free_school = Programme.objects.get(code="sekolah-gratis")
    report_services.quarterly_report_save(actor=head, agency=disdik, year=YEAR, quarter=2, budget={
        free_school.pk: {"planned": "500.000.000", "used": 120_000_000, "note": "DPA Disdik 2025"}})
    data = report_selectors.quarterly_report_data(people["planner"], agency=disdik, year=YEAR, quarter=2)
    lines = {line.programme.code: line for line in data.budget}
    s1 = lines["beasiswa-s1"]
    assert (s1.planned, s1.used_quarter, s1.used_ytd, s1.absorption, s1.used_by_hand) == (
        7_200_000_000, 12_000_000, 18_000_000, Decimal("0.25"), False)
    school = lines["sekolah-gratis"]
    assert (school.planned, school.used_quarter, school.used_ytd, school.planned_by_hand, school.used_by_hand,
            school.note) == (500_000_000, None, 120_000_000, True, True, "DPA Disdik 2025")
    assert (data.budget_planned, data.budget_used) == (7_700_000_000, 138_000_000)
    # The PDF shows the Rupiah the Indonesian way.
    text = pdf_text(reports.quarterly_pdf(data))
    for expected in ("Rp7.200.000.000", "Rp12.000.000", "Rp18.000.000", "0,25%", "Rp500.000.000",
                     "Rp120.000.000", "Rp7.700.000.000", "Rp138.000.000", "diisi manual"):
        assert expected in text


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def xlsx_rows(content: bytes, sheet: str) -> list[tuple]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    return [row for row in workbook[sheet].iter_rows(values_only=True) if any(v is not None for v in row)]


def test_the_quarterly_xlsx_parsed_back(people, figures):
    report_services.quarterly_report_save(actor=people["officer"], agency=agency("disnaker"), year=YEAR, quarter=2,
                                          **TEXTS)
    data = report_selectors.quarterly_report_data(people["planner"], agency=agency("disnaker"), year=YEAR, quarter=2)
    content = reports.quarterly_xlsx(data)
    rows = xlsx_rows(content, "Kinerja")
    assert rows[0][0] == "PEMERINTAH KABUPATEN BOGOR" and rows[1][0] == "DINAS TENAGA KERJA"
    assert rows[2][0] == "LAPORAN TRIWULAN II TAHUN 2025"
    header = next(row for row in rows if row[0] == "No")
    assert header[5:9] == ("Target tahun 2025", "Realisasi Triwulan II", "Realisasi s.d. Triwulan II",
                           "Capaian s.d. Triwulan II (%)")
    by_code = {row[1]: row for row in rows[rows.index(header) + 1:]}
    assert by_code["seekers-facilitated"][5:10] == (50000, 7000, 8000, 16, "Merah")
    assert by_code["vacancies"][5:10] == (110, 30, 55, 50, "Merah")
    assert by_code["tpt"][5:10] == (7.1, None, 7.45, 95.07, "Hijau")
    assert by_code["tpt"][3:5] == ("%", "Semakin rendah semakin baik")
    assert by_code["seekers-placed"][5:10] == (2800, None, None, None, "Tidak ada data")
    assert by_code["tpt"][10] == "Catatan tpt uji"
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(content))["Kinerja"]
    tpt_row = next(r for r in sheet.iter_rows() if r[1].value == "tpt")
    assert tpt_row[7].number_format == "#,##0.00" and tpt_row[8].number_format == "#,##0.00"
    texts = dict(row[:2] for row in xlsx_rows(content, "Uraian")[6:])
    assert texts == {"Permasalahan": TEXTS["problems"], "Faktor pendorong": TEXTS["drivers"],
                     "Faktor penghambat": TEXTS["obstacles"], "Tindak lanjut": TEXTS["follow_up"]}
    budget = xlsx_rows(content, "Anggaran")
    assert {row[1] for row in budget[budget.index(next(r for r in budget if r[0] == "No")) + 1:]} == {
        "Pelatihan BLK", "Magang", "Jumlah"}


def test_the_quarterly_pdf_parsed_back_in_indonesian(people, figures):
    report = report_services.quarterly_report_save(actor=people["officer"], agency=agency("disnaker"), year=YEAR,
                                                   quarter=2, **TEXTS)
    report_services.quarterly_report_submit(actor=people["head"], report=report)
    data = report_selectors.quarterly_report_data(people["officer"], agency=agency("disnaker"), year=YEAR, quarter=2)
    text = pdf_text(reports.quarterly_pdf(data))  # the English of the test session does not reach the report
    for expected in ("PEMERINTAH KABUPATEN BOGOR", "DINAS TENAGA KERJA", "LAPORAN TRIWULAN II TAHUN 2025",
                     "1 April 2025 s.d. 30 Juni 2025", "Perangkat daerah Dinas Tenaga Kerja", "Disampaikan",
                     "Pencari kerja yang difasilitasi", "50.000", "7.000", "8.000", "16,00%",
                     "Tingkat pengangguran terbuka (TPT)", "7,10", "7,45", "95,07%", "Hijau", "Merah",
                     "Catatan tpt uji", "Halaman 1 dari", "Kepala Dinas Tenaga Kerja", "kadisnaker",
                     *TEXTS.values()):
        assert expected in text, expected
    assert "7.10" not in text and "16.00" not in text


def test_the_regency_report_parsed_back(people, figures):
    planner = people["planner"]
    enter(planner, "p0", "year", datetime.date(YEAR, 1, 1), "6.95")
    services.target_set(actor=planner, indicator=Indicator.objects.get(code="seekers-placed"),
                        plan_period=PlanPeriod.objects.get(name="RPJMD 2025-2029"), year=YEAR, region_code=KECAMATAN_A,
                        value=120, source="Renstra Disnaker")
    enter(planner, "seekers-placed", "month", datetime.date(YEAR, 3, 1), 40, region=KECAMATAN_A)
    enter(planner, "seekers-placed", "month", datetime.date(YEAR, 4, 1), 50, region=KECAMATAN_A)
    data = report_selectors.regency_report_data(planner, year=YEAR)
    content = reports.regency_xlsx(data)
    rows = xlsx_rows(content, "Kabupaten")
    header = next(row for row in rows if row[0] == "No")
    by_code = {row[1]: row for row in rows[rows.index(header) + 1:]}
    assert set(by_code) == set(Indicator.objects.filter(is_active=True).values_list("code", flat=True))
    # P0: (2 × 6.90 − 6.95) / 6.90 = 99.28 %; seekers facilitated for the year: 8,999 of 50,000.
    assert by_code["p0"][7:11] == (6.9, 6.95, 99.28, "Hijau")
    assert by_code["seekers-facilitated"][7:11] == (50000, 8999, 18, "Merah")
    assert by_code["p0"][3] == "Bappedalitbang" and by_code["p0"][12] == "Catatan p0 uji"
    districts = xlsx_rows(content, "Per kecamatan")
    header = next(row for row in districts if row[0] == "No")
    body = districts[districts.index(header) + 1:]
    per_kecamatan = {i.code for i in Indicator.objects.filter(is_active=True).exclude(level="regency")}
    assert {row[3] for row in body} == per_kecamatan and "p0" not in {row[3] for row in body}
    cibinong = next(row for row in body if row[1] == KECAMATAN_A and row[3] == "seekers-placed")
    assert (cibinong[2], *cibinong[6:10]) == ("Cibinong", 120, 90, 75, "Kuning")
    text = pdf_text(reports.regency_pdf(data))
    for expected in ("PEMERINTAH KABUPATEN BOGOR", "Laporan Capaian Indikator Kinerja Daerah Tahun 2025",
                     "Persentase penduduk miskin (P0)", "6,90", "6,95", "99,28%", "8.999", "Cibinong", "75,00%", "Kuning",
                     "Catatan p0 uji", "Per kecamatan"):
        assert expected in text, expected


def test_who_writes_submits_and_reads(people):
    disnaker = agency("disnaker")
    officer, head, planner = people["officer"], people["head"], people["planner"]
    report = report_services.quarterly_report_save(actor=officer, agency=disnaker, year=YEAR, quarter=3, **TEXTS)
    event = AuditEvent.objects.get(object_type="monitoring.quarterlyreport", object_id=str(report.pk))
    assert event.action == "create" and event.changes["problems"] == [None, TEXTS["problems"]]
    for actor in (planner, people["disdik_head"], people["district_officer"]):
        with pytest.raises(PermissionDenied):
            report_services.quarterly_report_save(actor=actor, agency=disnaker, year=YEAR, quarter=3, problems="x")
    for actor in (officer, people["disdik_head"], planner):  # only the agency's own head submits
        with pytest.raises(PermissionDenied):
            report_services.quarterly_report_submit(actor=actor, report=report)
    report = report_services.quarterly_report_submit(actor=head, report=report)
    assert (report.status, report.submitted_by) == (QuarterlyReport.Status.SUBMITTED, head)
    with pytest.raises(ValidationError):
        report_services.quarterly_report_save(actor=officer, agency=disnaker, year=YEAR, quarter=3, problems="x")
    report_services.quarterly_report_reopen(actor=head, report=report)
    assert report_services.quarterly_report_save(actor=officer, agency=disnaker, year=YEAR, quarter=3,
                                                 problems="diperbaiki").problems == "diperbaiki"
    future = timezone.localdate().year + 1
    with pytest.raises(ValidationError):
        report_services.quarterly_report_save(actor=officer, agency=disnaker, year=future, quarter=1)
    # Planners read every agency's report; another agency, a district's officer, a verifier read none.
    for code in ("disnaker", "disdik", "dinsos"):
        report_selectors.quarterly_report_data(planner, agency=agency(code), year=YEAR, quarter=3)
    for actor in (people["disdik_head"], people["district_officer"], people["verifier"]):
        with pytest.raises(Http404):
            report_selectors.quarterly_report_data(actor, agency=disnaker, year=YEAR, quarter=3)
    with pytest.raises(Http404):
        report_selectors.regency_report_data(people["verifier"], year=YEAR)
    assert {a.code for a in report_selectors.report_agencies(officer)} == {"disnaker"}
    assert len(report_selectors.report_agencies(planner)) == Agency.objects.count()


def test_the_pages_and_the_logged_downloads(people, figures, login):
    client = login(people["officer"])
    page = client.get("/monitoring/laporan/?year=2025")
    assert page.status_code == 200 and b'id="agency-disnaker"' in page.content and b"agency-disdik" not in page.content
    url = "/monitoring/laporan/triwulan/disnaker/2025/2/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "save", **TEXTS})
    assert response.status_code == 302
    report = QuarterlyReport.objects.get(agency__code="disnaker", year=YEAR, quarter=2)
    assert report.obstacles == TEXTS["obstacles"]
    # The officer may not submit; the head may.
    assert client.post(url, {"action": "submit"}).status_code == 403
    assert login(people["head"]).post(url, {"action": "submit"}).status_code == 302
    report.refresh_from_db()
    assert report.is_submitted

    client = login(people["planner"])
    assert b"agency-disdik" in client.get("/monitoring/laporan/?year=2025").content
    response = client.get("/monitoring/laporan/triwulan/disnaker/2025/2.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert "laporan-triwulan-2-2025-disnaker.xlsx" in response["Content-Disposition"]
    assert any(row[1] == "seekers-facilitated" and row[7] == 8000 for row in xlsx_rows(response.content, "Kinerja"))
    response = client.get("/monitoring/laporan/triwulan/disnaker/2025/2.pdf")
    assert response["Content-Type"] == "application/pdf" and "16,00%" in pdf_text(response.content)
    response = client.get("/monitoring/laporan/kabupaten/2025.pdf")
    assert response.status_code == 200 and "Laporan Capaian Indikator Kinerja Daerah" in pdf_text(response.content)
    exports = AuditEvent.objects.filter(action="export", actor=people["planner"]).order_by("pk")
    assert [(e.object_type, e.changes["format"]) for e in exports] == [
        ("monitoring.quarterlyreport", "xlsx"), ("monitoring.quarterlyreport", "pdf"), ("regions.region", "pdf")]
    assert client.get("/monitoring/laporan/triwulan/disnaker/2025/2.csv").status_code == 404

    client = login(people["verifier"])
    assert client.get("/monitoring/laporan/kabupaten/2025.xlsx").status_code == 404
    assert client.get("/monitoring/laporan/triwulan/disnaker/2025/2.pdf").status_code == 404
    assert login(people["disdik_head"]).get(url).status_code == 404
