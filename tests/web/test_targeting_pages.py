"""Targeting pages: the figures per kecamatan and desa render with their chart; every figure links
to a list holding exactly the counted records; planners get counts but no personal data; the
exports parse back and equal the list, with NIK as text, masked by role, and logged."""

import csv
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from django.db import transaction
from django.urls import reverse

from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.programs import analytics
from sejahtera.registry.identity import mask_nik
from sejahtera.registry.models import Family, Person
from tests.programs.conftest import REGENCY, write_scored
from tests.programs.test_analytics import build_scenario, expected, expected_multi, staff

pytestmark = pytest.mark.django_db
LINK = re.compile(r'<a href="([^"]+)" data-figure="(\w+)">([\d.,]+)</a>')  # counts grouped the local way


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        write_scored(300, 47)
        people = build_scenario()
        yield people
        transaction.set_rollback(True)


@pytest.fixture
def verifier(scenario):
    """Reads every family of the regency, whole numbers."""
    return scenario.verifier


@pytest.fixture
def officer(scenario):
    """Reads every family of the regency, numbers masked."""
    return scenario.officer


def links(html: str) -> list[tuple[str, str, int]]:
    return [(unescape(url), figure, int(re.sub(r"\D", "", value))) for url, figure, value in LINK.findall(html)]


def region_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["region"][0]


def listed_ids(client, url: str) -> set[int]:
    """Every record id of every page of a list."""
    ids, page = set(), 1
    while True:
        response = client.get(f"{url}{'&' if '?' in url else '?'}page={page}")
        assert response.status_code == 200
        ids |= {int(pk) for pk in re.findall(r'<tr data-id="(\d+)">', response.content.decode())}
        if not response.context["page"].has_next():
            return ids
        page += 1


def test_overview_shows_every_kecamatan_figure_with_its_chart(login, verifier):
    response = login(verifier).get(reverse("web:targeting_overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-targeting"' in html and 'id="targeting-chart-data"' in html
    assert reverse("web:plotly_js") in html and "cdn" not in html.lower()
    rows = {row.code: row for row in response.context["rows"]}
    want = expected(6)
    for code, area in want.items():
        assert rows[code].figures.covered == area["covered"] and rows[code].figures.multi == area["multi"]
    assert response.context["total"].figures.excluded == sum(area["excluded"] for area in want.values())
    # Each count > 0 links to its list; the regency total too.
    found = links(html)
    assert {figure for _url, figure, _n in found} == set(analytics.FIGURES)
    assert all(n > 0 for _url, _figure, n in found)
    assert reverse("web:targeting_kecamatan", args=[next(iter(want))]) in html


def test_every_linked_figure_equals_its_list(login, verifier):
    client = login(verifier)
    kecamatan = max(expected(6), key=lambda code: expected(6)[code]["poorest"])
    html = client.get(reverse("web:targeting_kecamatan", args=[kecamatan])).content.decode()
    regency = client.get(reverse("web:targeting_overview")).content.decode()
    found = links(html) + [link for link in links(regency) if region_of(link[0]) == REGENCY]
    assert {figure for _url, figure, _n in found} == set(analytics.FIGURES)
    for url, figure, value in found:
        ids = listed_ids(client, url)
        assert len(ids) == value, (figure, url)
        region = region_of(url)
        if figure == "multi":
            assert ids == {p for p in expected_multi()
                           if Person.objects.get(pk=p).desa_id.startswith(region)}
        else:
            assert all(desa.startswith(region) for desa in Family.objects.filter(pk__in=ids)
                       .values_list("desa_id", flat=True))


def test_one_programme_and_its_lists(login, verifier):
    client = login(verifier)
    response = client.get(reverse("web:targeting_overview"), {"programme": "pbi-jkn-daerah"})
    assert response.status_code == 200
    assert response.context["result"].programme.code == "pbi-jkn-daerah"
    multi = [link for link in links(response.content.decode()) if link[1] == "multi"]
    assert multi and all("programme=pbi-jkn-daerah" in url for url, _f, _n in multi)
    pbi = analytics.programme_get(verifier, "pbi-jkn-daerah")
    total = sum(n for url, _f, n in multi if region_of(url) != REGENCY)
    assert total == len(expected_multi(pbi)) == 3
    assert client.get(reverse("web:targeting_overview"), {"programme": "tidak-ada"}).status_code == 404


def test_a_kecamatan_user_sees_only_their_kecamatan(login, scenario):
    kecamatan = max(expected(6), key=lambda code: expected(6)[code]["poorest"])
    local = staff(Role.KECAMATAN_VERIFIER, region=kecamatan, name="local")
    client = login(local)
    response = client.get(reverse("web:targeting_overview"))
    assert [row.code for row in response.context["rows"]] == [kecamatan]
    other = next(code for code in expected(6) if code != kecamatan)
    assert client.get(reverse("web:targeting_kecamatan", args=[other])).status_code == 404
    # A list of the whole regency holds only their kecamatan's families.
    ids = listed_ids(client, f"{reverse('web:targeting_list')}?figure=covered&region={REGENCY}")
    assert len(ids) == expected(6)[kecamatan]["covered"]


def test_planner_sees_counts_but_no_list_and_no_export(login, scenario):
    planner = staff(Role.PLANNER, "bappedalitbang", name="planner")
    client = login(planner)
    response = client.get(reverse("web:targeting_overview"))
    assert response.status_code == 200
    assert response.context["total"].figures.covered == sum(a["covered"] for a in expected(6).values())
    assert links(response.content.decode()) == []
    listing = client.get(reverse("web:targeting_list"), {"figure": "excluded", "region": REGENCY})
    assert listing.status_code == 200
    assert [t.name for t in listing.templates][0] == "web/aggregates_only.html"
    assert not re.search(r"\d{16}|\d{4}\*{10}\d{2}", listing.content.decode())
    for fmt in ("csv", "xlsx"):
        assert client.get(reverse("web:targeting_export", args=[fmt]), {"figure": "excluded"}).status_code == 403
    assert not AuditEvent.objects.filter(actor=planner).exists()


def test_list_masks_numbers_by_role_and_logs_the_read(login, verifier, officer):
    url = reverse("web:targeting_list")
    query = {"figure": "multi", "region": REGENCY}
    shown = login(verifier).get(url, query).content.decode()
    masked = login(officer).get(url, query).content.decode()
    person = Person.objects.get(pk=min(expected_multi()))
    assert person.nik in shown and person.nik not in masked and mask_nik(person.nik) in masked
    event = AuditEvent.objects.filter(actor=officer, action="view").get()
    assert event.object_type == "registry.person" and event.region_code == REGENCY
    assert set(event.changes["ids"]) == expected_multi() and event.changes["figure"] == "multi"


@pytest.mark.parametrize("bad", [{"figure": "semua"}, {"figure": "covered", "region": "3202"},
                                 {"figure": "covered", "region": "32010"}])
def test_a_bad_list_request_is_404(login, verifier, bad):
    assert login(verifier).get(reverse("web:targeting_list"), bad).status_code == 404


def test_exports_parse_back_and_equal_the_list(login, verifier, officer):
    query = {"figure": "uncovered", "region": REGENCY}
    client = login(verifier)
    families = list(analytics.family_list(verifier, "uncovered", region=REGENCY))
    assert len(listed_ids(client, reverse("web:targeting_list") + "?figure=uncovered")) == len(families) > 50

    response = client.get(reverse("web:targeting_export", args=["xlsx"]), query)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows())[1:]
    assert [row[0].value for row in rows] == [f.no_kk for f in families]
    assert {row[0].number_format for row in rows} == {"@"} and {row[5].number_format for row in rows} == {"@"}
    desil = {row[0].value: row[4].value for row in rows}
    assert all(1 <= desil[f.no_kk] <= 4 for f in families)

    masked = login(officer).get(reverse("web:targeting_export", args=["csv"]), query)
    text = b"".join(masked.streaming_content).decode("utf-8").lstrip("\ufeff")
    lines = list(csv.reader(io.StringIO(text)))[1:]
    assert [line[0] for line in lines] == [mask_nik(f.no_kk) for f in families]
    events = AuditEvent.objects.filter(action="export").order_by("id")
    assert [(e.actor, e.changes["rows"], e.changes["filters"]["figure"]) for e in events] == [
        (verifier, len(families), "uncovered"), (officer, len(families), "uncovered")]


def test_person_export_equals_the_list(login, verifier):
    response = login(verifier).get(reverse("web:targeting_export", args=["csv"]),
                                   {"figure": "multi", "region": REGENCY})
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    lines = list(csv.reader(io.StringIO(text)))[1:]
    niks = dict(Person.objects.filter(pk__in=expected_multi()).values_list("nik", "pk"))
    assert sorted(niks[line[0]] for line in lines) == sorted(expected_multi())
    assert login(verifier).get(reverse("web:targeting_export", args=["pdf"]), {"figure": "multi"}).status_code == 404
