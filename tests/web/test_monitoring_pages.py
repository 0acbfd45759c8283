"""Monitoring pages: the scorecard as ``monitoring.achievement`` computes it, drill-down scoping,
links to personal data only for roles that read it, and the entry pages (who, and validation)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sejahtera.accounts.roles import Role
from sejahtera.careers.models import Placement
from sejahtera.core.models import AuditEvent
from sejahtera.monitoring import services
from sejahtera.monitoring.achievement import achievement, light
from sejahtera.monitoring.models import Indicator, PlanPeriod, Realisation, ScorecardThreshold, Target
from sejahtera.registry.models import Family
from tests.monitoring.conftest import YEAR, scenario, staff  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
REGENCY = "3201"


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.SEJAHTERA_EVIDENCE_DIR = str(tmp_path / "evidence")


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def page(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def rows_by_code(response) -> dict:
    return {row.indicator.code: row for row in response.context["board"].scorecard}


def row_html(html: str, code: str) -> str:
    match = re.search(rf'<tr data-indicator="{code}">(.*?)</tr>', html, re.S)
    assert match, code
    return match.group(1)


def busy_kecamatan_and_desa() -> tuple[str, str]:
    """The desa (and its kecamatan) with the most families of the generated regency."""
    from django.db.models import Count

    desa = (Family.objects.values("desa_id").annotate(n=Count("pk")).order_by("-n", "desa_id").first()["desa_id"])
    return desa[:6], desa


def test_the_scorecard_shows_what_achievement_computes_for_seeded_and_entered_data(scenario, client):
    planner = staff(Role.PLANNER, "bappedalitbang", name="perencana")
    tpt = Indicator.objects.get(code="tpt")
    services.realisation_enter(actor=planner, indicator=tpt, region_code=REGENCY, period_kind="year",
                               period_start=datetime.date(YEAR, 1, 1), value="6.90", source="BPS Sakernas Agustus")
    response = page(client, planner, reverse("web:monitoring_overview"), year=YEAR)
    assert response.status_code == 200
    rows, html = rows_by_code(response), response.content.decode()

    placed = Placement.objects.filter(start_date__year=YEAR).count()  # counted here, independently
    expected = {
        "tpt": (Decimal("6.80"), Decimal("6.90"), "lower"),  # seeded target, entered realisation
        "seekers-placed": (Decimal(3000), Decimal(placed), "higher"),  # seeded target, computed
        "p0": (Decimal("6.70"), None, "lower"),  # seeded target, no realisation yet
    }
    for code, (target, value, polarity) in expected.items():
        percent = achievement(target, value, polarity)
        row = rows[code]
        assert (row.target, row.realisation, row.achievement, row.light) == (target, value, percent, light(percent))
        cells = row_html(html, code)
        assert f'data-light="{light(percent)}"' in cells
        if percent is not None:
            assert f"{percent:.2f}".replace(".", ",") in cells or f"{percent:.2f}" in cells
    assert rows["tpt"].light == "green" and rows["seekers-placed"].light == "red" and rows["p0"].light == "none"
    assert "BPS Sakernas Agustus" in row_html(html, "tpt")  # the source of the figure
    assert Target.objects.get(indicator=tpt, year=YEAR).source in row_html(html, "tpt")

    # The thresholds are the regency's: raising green above 98.53 % turns TPT yellow.
    services.thresholds_set(actor=planner, regency_code=REGENCY, green_from="99", yellow_from="50")
    rows = rows_by_code(client.get(reverse("web:monitoring_overview"), {"year": YEAR}))
    assert rows["tpt"].achievement == Decimal("98.53")
    assert rows["tpt"].light == light(Decimal("98.53"), ScorecardThreshold.objects.get()) == "yellow"


def test_the_plan_period_chooses_the_targets(scenario, client):
    planner = staff(Role.PLANNER, "bappedalitbang", name="perencana")
    old = PlanPeriod.objects.get(name="RPJMD 2018-2023")
    response = page(client, planner, reverse("web:monitoring_overview"), period=old.pk, year=2023)
    board = response.context["board"]
    assert (board.period, board.year, board.years) == (old, 2023, list(range(2018, 2024)))
    tpt, p0 = rows_by_code(response)["tpt"], rows_by_code(response)["p0"]
    assert p0.target == Decimal("7.14") and p0.realisation is None and p0.light == "none"
    assert tpt.realisation == Decimal("8.47") and tpt.target is None and tpt.achievement is None
    # A year outside the chosen period falls back into it.
    board = page(client, planner, reverse("web:monitoring_overview"), period=old.pk, year=2027).context["board"]
    assert 2018 <= board.year <= 2023


def test_drill_down_is_scoped_to_the_kecamatan_of_the_user(scenario, client):
    kecamatan, desa = busy_kecamatan_and_desa()
    verifier = staff(Role.KECAMATAN_VERIFIER, region=kecamatan, name="verifikator-kec")
    client.force_login(verifier)
    assert client.get(reverse("web:monitoring_overview")).url == reverse("web:monitoring_kecamatan",
                                                                          args=[kecamatan])
    response = client.get(reverse("web:monitoring_kecamatan", args=[kecamatan]), {"year": YEAR})
    assert response.status_code == 200
    board = response.context["board"]
    assert {child.code[:6] for child in board.children} == {kecamatan} and desa in {c.code for c in board.children}
    assert reverse("web:monitoring_desa", args=[desa]) in response.content.decode()
    other_desa = Family.objects.exclude(desa__pk__startswith=kecamatan).values_list("desa_id", flat=True).first()
    for url in (reverse("web:monitoring_kecamatan", args=[other_desa[:6]]),
                reverse("web:monitoring_desa", args=[other_desa]),
                reverse("web:monitoring_kecamatan", args=[desa]),  # a desa code on the kecamatan page
                reverse("web:monitoring_kecamatan", args=["999999"])):
        assert client.get(url).status_code == 404, url

    response = client.get(reverse("web:monitoring_desa", args=[desa]), {"year": YEAR})
    html = response.content.decode()
    assert response.status_code == 200 and response.context["board"].region.code == desa
    family_links = set(re.findall(r'href="(/\?[^"]*)"', html))
    assert f"/?kecamatan={kecamatan}&amp;desa={desa}" in family_links
    assert all(f"desa={desa}" in link for link in family_links)  # only its own families
    assert {row.region_code for row in response.context["board"].scorecard} == {desa}
    # The desa's welfare figures are those of its families only.
    scored = sum(row.families.value for row in response.context["board"].desil_rows)
    assert scored == Family.objects.filter(desa_id=desa, welfare_scores__is_current=True).count()


def test_planners_get_no_link_to_personal_data(scenario, client):
    kecamatan, desa = busy_kecamatan_and_desa()
    planner = staff(Role.PLANNER, "bappedalitbang", name="perencana")
    admin = staff(Role.SYSTEM_ADMIN, name="admin")
    personal = re.compile(r'href="(/\?|/targeting/list/|/families/)')
    for url in (reverse("web:monitoring_overview"), reverse("web:monitoring_kecamatan", args=[kecamatan]),
                reverse("web:monitoring_desa", args=[desa])):
        html = page(client, planner, url, year=YEAR).content.decode()
        assert not personal.search(html), url
        assert 'href="/targeting/' in html  # the aggregate pages instead
        html = page(client, admin, url, year=YEAR).content.decode()
        assert personal.search(html), url  # the same page links to the families for an administrator
    html = page(client, admin, reverse("web:monitoring_overview"), year=YEAR).content.decode()
    assert 'href="/?desil=1"' in html and "/targeting/list/?figure=covered&amp;region=3201" in html


def test_the_realisation_page_saves_with_evidence_and_refuses_others(scenario, client):
    disnaker = staff(Role.AGENCY_OFFICER, "disnaker", name="disnaker-officer")
    operator = staff(Role.DESA_OPERATOR, region=busy_kecamatan_and_desa()[1], name="operator")
    url = reverse("web:monitoring_realisation_new")
    assert page(client, operator, url).status_code == 403
    client.force_login(disnaker)
    assert client.get(url).status_code == 200
    tpt, p0 = Indicator.objects.get(code="tpt"), Indicator.objects.get(code="p0")
    form = {"indicator": tpt.pk, "region_code": "32.01", "period_kind": "quarter", "period_start": "2026-07-01",
            "value": "7.2", "source": "Sakernas triwulan III"}
    # Validation: a period not starting on its first day, and an indicator of another agency.
    response = client.post(url, {**form, "period_start": "2026-07-02"})
    assert response.status_code == 200 and "period_start" in response.context["form"].errors
    response = client.post(url, {**form, "indicator": p0.pk})
    assert "indicator" in response.context["form"].errors
    assert not Realisation.objects.filter(indicator=tpt, period_kind="quarter").exists()

    evidence = SimpleUploadedFile("sakernas.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    response = client.post(url, {**form, "evidence": evidence})
    assert response.status_code == 302
    row = Realisation.objects.get(indicator=tpt, period_kind="quarter", period_start=datetime.date(2026, 7, 1))
    assert (row.value, row.source, row.computed, row.entered_by) == (Decimal("7.2"), "Sakernas triwulan III",
                                                                     False, disnaker)
    # The evidence: downloaded within the regions, logged; 404 for a kecamatan verifier.
    download = reverse("web:monitoring_evidence", args=[row.pk])
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert AuditEvent.objects.filter(actor=disnaker, action="export", object_id=str(row.pk)).exists()
    verifier = staff(Role.KECAMATAN_VERIFIER, region=busy_kecamatan_and_desa()[0], name="verifikator-kec")
    assert page(client, verifier, download).status_code == 404


def test_targets_and_thresholds_are_for_planners(scenario, client):
    planner = staff(Role.PLANNER, "bappedalitbang", name="perencana")
    officer = staff(Role.AGENCY_OFFICER, "disnaker", name="disnaker-officer")
    for name in ("web:monitoring_targets", "web:monitoring_thresholds"):
        assert page(client, officer, reverse(name)).status_code == 403
    client.force_login(planner)
    url = reverse("web:monitoring_targets")
    placed = Indicator.objects.get(code="seekers-placed")
    period = PlanPeriod.objects.get(name="RPJMD 2025-2029")
    form = {"indicator": placed.pk, "plan_period": period.pk, "year": 2027, "region_code": "320101",
            "value": "150", "source": "Renstra Disnaker"}
    response = client.post(url, {**form, "year": 2031})  # outside the plan period
    assert "year" in response.context["form"].errors and not Target.objects.filter(region_code="320101").exists()
    assert client.post(url, form).status_code == 302
    target = Target.objects.get(indicator=placed, region_code="320101", year=2027)
    assert (target.value, target.source, target.set_by) == (Decimal(150), "Renstra Disnaker", planner)
    assert "Renstra Disnaker" in client.get(url, {"indicator": "seekers-placed"}).content.decode()

    url = reverse("web:monitoring_thresholds")
    response = client.post(url, {"green_from": "50", "yellow_from": "70"})
    assert "green_from" in response.context["form"].errors and not ScorecardThreshold.objects.exists()
    assert client.post(url, {"green_from": "85", "yellow_from": "55"}).status_code == 302
    assert ScorecardThreshold.objects.get().green_from == Decimal(85)
