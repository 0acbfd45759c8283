"""The career center's statistics page (``disnaker/statistik/``): who may open it, what its tables
show (read back from the HTML), the year selector, region scoping and the CSV/XLSX export."""

import csv
import datetime
import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from sejahtera.accounts.models import User
from sejahtera.accounts.roles import Role
from sejahtera.careers import services
from sejahtera.careers.statistics import career_statistics
from sejahtera.core.models import AuditEvent
from sejahtera.welfare.models import PmtModel, WelfareScore
from tests.careers.conftest import (  # noqa: F401  (fixtures)
    disnaker,
    disnaker_kecamatan_b,
    employer,
    employer_user,
    english_messages,
    make_employer,
    make_seeker,
    make_vacancy,
)
from tests.conftest import DESA_A, DESA_B, KECAMATAN_A, REGENCY

pytestmark = pytest.mark.django_db
KECAMATAN_B = DESA_B[:6]
URL = "/disnaker/statistik/"


class TableReader(HTMLParser):
    """``{(section, dimension): {row key: {figure: text}}}`` of the page's statistics tables."""

    def __init__(self):
        super().__init__()
        self.tables, self.table, self.row, self.figure = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-dimension" in attrs:
            self.table = self.tables.setdefault((attrs["data-section"], attrs["data-dimension"]), {})
        elif tag == "tr" and self.table is not None and "data-key" in attrs:
            self.row = self.table.setdefault(attrs["data-key"], {})
        elif tag == "td" and self.row is not None and "data-figure" in attrs:
            self.figure = attrs["data-figure"]
            self.row[self.figure] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self.figure = None
        elif tag == "tr":
            self.row = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.figure is not None:
            self.row[self.figure] += data.strip()


def tables(response) -> dict:
    reader = TableReader()
    reader.feed(response.content.decode())
    return reader.tables


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def admin(make_user):
    return make_user(Role.SYSTEM_ADMIN, REGENCY, username="admin")


@pytest.fixture
def disnaker_head(make_user):
    return make_user(Role.AGENCY_HEAD, REGENCY, agency="disnaker", username="kadisnaker")


@pytest.fixture
def career_year(disnaker, make_seeker, make_family, operator_a, employer, make_vacancy):
    """This year: a seeker of a poor family (desil 1) in kecamatan A placed this month, a seeker in
    kecamatan B placed this month, one in B placed last year; two vacancies opened (3 + 2 openings)."""
    today = timezone.localdate()
    person = make_family(operator_a, head_name="Ujang Miskin", head_birth=datetime.date(2000, 2, 2)).members.get()
    WelfareScore.objects.create(family=person.family, model=PmtModel.objects.first(), regency_code=REGENCY,
                                desa_code=DESA_A, scored_at=timezone.now(), log_predicted=12.1,
                                predicted_per_capita=250_000, rank_in_regency=1, desil=1)
    poor = services.seeker_register(actor=disnaker, nik=person.nik, birth_date=person.birth_date, consent=True,
                                    education=5)
    other = make_seeker(DESA_B, sex="P", birth=datetime.date(1990, 1, 1), education=8)
    earlier = make_seeker(DESA_B, sex="P", birth=datetime.date(1991, 1, 1), education=8)
    vacancy = make_vacancy(employer, openings=3)
    make_vacancy(employer, openings=2)
    application = services.application_create(actor=disnaker, seeker=poor, vacancy=vacancy)
    for seeker, start in ((poor, today), (other, today), (earlier, datetime.date(today.year - 1, 6, 1))):
        services.placement_record(actor=disnaker, seeker=seeker, position="Operator", contract_type="fixed_term",
                                  start_date=start, employer=employer,
                                  application=application if seeker == poor else None)
    return {"poor": poor, "other": other, "today": today}


# -- who may open it --------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["disnaker", "disnaker_head", "admin", "planner"])
def test_disnaker_staff_administrators_and_planners_open_the_page(login, request, who):
    user = request.getfixturevalue(who)
    response = login(user).get(reverse("web:staff_statistics"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    assert login(user).get(URL, {"format": "csv"}).status_code == 200


@pytest.mark.parametrize("who", ["agency_officer", "operator_a", "kecamatan_verifier", "resident", "employer_user"])
def test_everyone_else_is_refused_the_page_and_the_export(login, request, make_user, employer, who):
    if who == "kecamatan_verifier":
        user = make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A)
    elif who == "resident":
        user = User.objects.create_user(username="warga", password="rahasia-uji-123")
    else:
        user = request.getfixturevalue(who)
    client = login(user)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "xlsx"}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, plain_http):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_overview_links_to_the_statistics(login, disnaker):
    html = login(disnaker).get(reverse("web:staff_overview")).content.decode()
    assert f'href="{URL}"' in html


# -- what it shows ----------------------------------------------------------------------------------

def test_the_tables_show_the_years_figures_and_the_poor_apart(login, planner, career_year):
    today = career_year["today"]
    response = login(planner).get(URL)
    shown = tables(response)
    month, kecamatan = str(today.month), shown[("all", "kecamatan")]
    assert shown[("all", "month")][month]["placements"] == "2"  # last year's placement is not counted
    assert kecamatan[KECAMATAN_A]["placements"] == "1" and kecamatan[KECAMATAN_B]["placements"] == "1"
    assert kecamatan[KECAMATAN_A]["vacancies"] == "2" and kecamatan[KECAMATAN_A]["openings"] == "5"
    assert kecamatan[KECAMATAN_B]["seekers"] == "2" and kecamatan[KECAMATAN_A]["applications"] == "1"
    assert kecamatan["total"] == {"seekers": "3", "vacancies": "2", "openings": "5", "applications": "1",
                                  "placements": "2", "trainees": "0", "interns": "0"}
    assert len([key for key in kecamatan if key != "total"]) == 40  # every kecamatan of the regency, zeros too
    # A vacancy has no sex or age: those cells are a dash, not a zero.
    assert shown[("all", "sex")]["L"] == {"seekers": "1", "vacancies": "—", "openings": "—", "applications": "1",
                                          "placements": "1", "trainees": "0", "interns": "0"}
    assert shown[("all", "sex")]["P"]["placements"] == "1"
    assert shown[("all", "education")]["8"]["seekers"] == "2"
    age = "25-34" if today.year - 2000 >= 25 else "15-24"
    assert shown[("all", "age_group")][age]["placements"] == "1"
    # Poor families: only the desil-1 seeker, and no vacancy columns.
    poor = shown[("poor", "kecamatan")]
    assert poor[KECAMATAN_A]["placements"] == "1" and poor[KECAMATAN_B]["placements"] == "0"
    assert "vacancies" not in poor[KECAMATAN_A]
    assert shown[("poor", "month")]["total"] == {"seekers": "1", "applications": "1", "placements": "1",
                                                 "trainees": "0", "interns": "0"}
    # What the page shows is what the statistics count.
    stats = career_statistics(planner, today.year)
    assert shown[("all", "month")]["total"]["placements"] == str(stats.placements.total)
    assert shown[("poor", "month")][month]["seekers"] == str(stats.seekers.by["month"][0].poor)


def test_counts_only_no_names_or_numbers_of_persons(login, planner, career_year):
    html = login(planner).get(URL).content.decode()
    poor = career_year["poor"]
    for value in (poor.person.name, poor.person.nik, poor.person.family.no_kk, poor.ak1_number):
        assert value not in html


def test_the_chart_data_holds_the_months(login, disnaker, career_year):
    response = login(disnaker).get(URL)
    data = response.context["chart_data"]
    assert len(data["months"]) == 12
    placements = {s["name"]: s["values"] for s in data["series"]["all"]}["Placements"]
    assert placements[career_year["today"].month - 1] == 2 and sum(placements) == 2
    poor = {s["name"]: s["values"] for s in data["series"]["poor"]}
    assert "Vacancies opened" not in poor and sum(poor["Placements"]) == 1
    html = response.content.decode()
    assert 'id="career-chart-data"' in html and reverse("web:plotly_js") in html


def test_the_year_selector(login, disnaker, career_year):
    last_year = career_year["today"].year - 1
    client = login(disnaker)
    response = client.get(URL, {"year": last_year})
    assert response.context["year"] == last_year
    assert tables(response)[("all", "month")]["6"]["placements"] == "1"
    assert tables(response)[("all", "month")]["total"]["placements"] == "1"
    assert f'<option value="{last_year}" selected>' in response.content.decode()
    for bad in ("abc", "1900", "99999"):
        assert client.get(URL, {"year": bad}).context["year"] == career_year["today"].year


def test_a_kecamatan_officer_counts_only_their_kecamatan(login, disnaker_kecamatan_b, career_year):
    shown = tables(login(disnaker_kecamatan_b).get(URL))
    kecamatan = shown[("all", "kecamatan")]
    assert set(kecamatan) == {KECAMATAN_B, "total"}
    assert kecamatan["total"]["placements"] == "1" and kecamatan["total"]["seekers"] == "2"
    assert shown[("poor", "kecamatan")]["total"]["placements"] == "0"


# -- export -----------------------------------------------------------------------------------------

def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def test_the_csv_export_holds_every_table_in_indonesian_and_is_logged(login, planner, career_year):
    today = career_year["today"]
    response = login(planner).get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert f"statistik-karier-{today.year}-3201-" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[:5] == ["Tahun", "Bagian", "Dimensi", "Kode", "Uraian"]
    by = {(row[1], row[2], row[3]): dict(zip(header, row, strict=True)) for row in rows}
    cibinong = by[("Semua", "Kecamatan", KECAMATAN_A)]
    assert (cibinong["Uraian"], cibinong["Penempatan"], cibinong["Formasi"]) == ("Cibinong", "1", "5")
    months = [row[4] for row in rows if row[1] == "Semua" and row[2] == "Bulan"]
    assert months[:3] == ["Januari", "Februari", "Maret"] and months[-1] == "Jumlah"
    poor = by[("Keluarga miskin (desil 1-4)", "Kecamatan", KECAMATAN_A)]
    assert (poor["Penempatan"], poor["Lowongan dibuka"]) == ("1", "")
    assert by[("Semua", "Jenis kelamin", "L")]["Lowongan dibuka"] == ""
    assert by[("Semua", "Bulan", "")]["Penempatan"] == "2"  # the total row
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.object_type, event.changes["rows"]) == (planner, "careers.statistics", len(rows))
    assert event.changes["filters"] == {"year": today.year}


def test_the_xlsx_export_holds_the_same_rows(login, disnaker, career_year):
    from openpyxl import load_workbook

    client = login(disnaker)
    csv_rows = read_csv(client.get(URL, {"format": "csv"}))
    response = client.get(URL, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    xlsx_rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows == csv_rows
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, actor=disnaker).count() == 2


def test_an_unknown_export_format_is_not_found(login, disnaker):
    assert login(disnaker).get(URL, {"format": "pdf"}).status_code == 404
