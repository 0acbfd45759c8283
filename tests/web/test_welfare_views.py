"""Welfare ranking pages: the family panel and its explanation, desil distributions, PMT models, plotly.js."""

import datetime
import gzip
import math
import re
from collections import Counter
from functools import cache

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.regions.models import Region
from sejahtera.registry import services
from sejahtera.registry.identity import nik_for_birth
from sejahtera.registry.models import Family, Person
from sejahtera.web.presenters import rupiah
from sejahtera.web.views.welfare import plotly_path, plotly_url
from sejahtera.welfare.explain import explain
from sejahtera.welfare.models import PmtCoefficient, PmtModel, WelfareScore
from sejahtera.welfare.scoring import welfare_score
from tests.conftest import DESA_A, KECAMATAN_A, REGENCY

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


@cache
def regency():
    return generate_regency(REGENCY, families=900, seed=5, reference_date=datetime.date(2025, 6, 30))


@pytest.fixture
def scored(db):
    """A generated regency, scored, with one person merged away (merged persons are not counted)."""
    write_regency(regency())
    merged, survivor = Person.objects.filter(family__isnull=False).order_by("id")[:2]
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    welfare_score()
    return WelfareScore.objects.filter(is_current=True)


@pytest.fixture
def system_admin(make_user):
    return make_user(Role.SYSTEM_ADMIN, REGENCY)


@pytest.fixture
def verifier_a(make_user):
    return make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A)


def expected_counts(length: int, prefix: str = "") -> dict:
    """Families and persons per region prefix and desil, computed without the selectors' SQL."""
    scores = {s.family_id: s for s in WelfareScore.objects.filter(is_current=True)}
    counts = {}
    for family_id, desa in Family.objects.values_list("id", "desa_id"):
        score = scores.get(family_id)
        if score and desa.startswith(prefix):
            row = counts.setdefault(desa[:length], {"families": Counter(), "persons": Counter(),
                                                    "poor": 0, "extreme": 0})
            row["families"][score.desil] += 1
            row["poor"] += score.is_poor
            row["extreme"] += score.is_extremely_poor
    for family_id, desa, merged in Person.objects.values_list("family_id", "desa_id", "merged_into_id"):
        score = scores.get(family_id)
        if score and merged is None and desa.startswith(prefix):
            counts[desa[:length]]["persons"][score.desil] += 1
    return counts


def shown_counts(distribution) -> dict:
    return {row.code: {"families": Counter({d: n for d, n in enumerate(row.families, 1) if n}),
                       "persons": Counter({d: n for d, n in enumerate(row.persons, 1) if n}),
                       "poor": row.poor_families, "extreme": row.extreme_families}
            for row in distribution.rows if row.total_families}


def test_generated_data_covers_kecamatan_a(scored):
    assert scored.filter(family__desa__pk__startswith=KECAMATAN_A).count() >= 5


# -- the family panel -------------------------------------------------------------------------

def test_panel_shows_desil_and_explanation(login, agency_officer, scored):
    score = scored.select_related("family", "model").order_by("rank_in_regency")[0]
    client = login(agency_officer)
    response = client.get(reverse("web:family_detail", args=[score.family_id]))
    html = response.content.decode()
    panel = response.context["welfare"]
    assert panel.score == score
    assert f'desil-badge desil-{score.desil}"' in html
    assert rupiah(score.predicted_per_capita) in html
    assert panel.explanation.matches_score
    reasons = panel.explanation.pulls_down + panel.explanation.pulls_up
    assert reasons
    for reason in reasons:
        assert escape(reason.text) in html
    # The poorest family's reasons pull it down more than up.
    assert sum(r.contribution for r in panel.explanation.pulls_down) < -sum(r.contribution
                                                                             for r in panel.explanation.pulls_up)
    assert "Rp322.170" in html  # the extreme-poverty line with its year and source
    assert not EXTERNAL.search(html)
    # The access log still records the read.
    assert AuditEvent.objects.filter(action="view", object_id=str(score.family_id)).exists()


def _pmt(intercept: float, coefficients: dict, means: dict | None = None, version: int = 90) -> PmtModel:
    PmtModel.objects.filter(regency_code=REGENCY).update(is_active=False)
    model = PmtModel.objects.create(regency_code=REGENCY, version=version, name=f"Test v{version}", is_active=True,
                                    intercept=intercept, calibration={"means": means} if means else {})
    PmtCoefficient.objects.bulk_create(PmtCoefficient(model=model, variable=v, value=c)
                                       for v, c in coefficients.items())
    return model


def _poor_family(operator, make_family) -> Family:
    """Seven members, an earth floor, no refrigerator, the head finished primary school."""
    family = make_family(operator, head_name="Ujang Permana")
    services.person_update(actor=operator, person=family.members.get(), education=3)
    for serial in range(6):
        born = datetime.date(1990 + serial, 3, 4)
        services.person_add(actor=operator, family=family, nik=nik_for_birth(DESA_A[:6], born, "P", 500 + serial),
                            name=f"Anak {serial}", sex="P", birth_date=born, relationship=4)
    services.survey_record(actor=operator, family=family, surveyed_on=datetime.date(2025, 2, 1), floor_area_m2=30,
                           floor_material="earth", wall_material="woven_bamboo", roof_material="zinc",
                           drinking_water="protected_well", toilet="shared", lighting="pln_metered",
                           installed_power_va=450, cooking_fuel="lpg_3kg", home_ownership="own")
    return family


COEFFICIENTS = {"floor_earth_bamboo": -0.06, "has_refrigerator": 0.08, "log_household_size": 0.07,
                "head_education": 0.04, "has_car": 0.07}
MEANS = {"floor_earth_bamboo": 0.1, "has_refrigerator": 0.6, "log_household_size": math.log(4),
         "head_education": 4, "has_car": 0.0}


def test_explanation_of_a_constructed_family(login, operator_a, make_family):
    family = _poor_family(operator_a, make_family)
    _pmt(12.5, COEFFICIENTS, MEANS)
    welfare_score()
    score = WelfareScore.objects.select_related("family", "model").get(family=family, is_current=True)
    with translation.override("en"):
        explanation = explain(score)
    assert explanation.against_means and explanation.matches_score
    # earth floor -0.054, no refrigerator -0.048, head with primary school -0.04; 7 members +0.039.
    assert [(r.variable, r.text) for r in explanation.pulls_down] == [
        ("floor_earth_bamboo", "Floor of earth or bamboo"),
        ("has_refrigerator", "No refrigerator"),
        ("head_education", "Head of family's education: Primary school (SD)"),
    ]
    assert [(r.variable, r.text) for r in explanation.pulls_up] == [("log_household_size", "7 family members")]
    assert explanation.pulls_down[0].contribution == pytest.approx(-0.06 * 0.9)
    assert explanation.pulls_down[0].percent == pytest.approx((math.exp(-0.054) - 1) * 100)
    # The same on the page, in English when the user switched.
    client = login(operator_a)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("web:family_detail", args=[family.pk])).content.decode()
    for text in ("Floor of earth or bamboo", "No refrigerator", "7 family members",
                 escape("Head of family's education: Primary school (SD)")):
        assert text in html
    assert "has no sample averages" not in html


def test_without_means_the_reference_is_zero(operator_a, make_family):
    family = _poor_family(operator_a, make_family)
    _pmt(12.5, COEFFICIENTS)
    welfare_score()
    score = WelfareScore.objects.select_related("family", "model").get(family=family, is_current=True)
    with translation.override("en"):
        explanation = explain(score)
    assert not explanation.against_means
    assert [r.text for r in explanation.pulls_down] == ["Floor of earth or bamboo"]  # no refrigerator: 0 × 0.08
    assert {r.variable for r in explanation.pulls_up} == {"log_household_size", "head_education"}


def test_changed_family_history_and_notice(login, operator_a, make_family):
    family = _poor_family(operator_a, make_family)
    first = _pmt(12.5, COEFFICIENTS, MEANS)
    welfare_score()
    survey = family.surveys.get()
    survey.has_refrigerator = True
    survey.save()
    client = login(operator_a)
    panel = client.get(reverse("web:family_detail", args=[family.pk])).context["welfare"]
    assert not panel.explanation.matches_score  # the reasons read the data after the change
    _pmt(12.6, COEFFICIENTS, MEANS, version=91)
    welfare_score()
    panel = client.get(reverse("web:family_detail", args=[family.pk])).context["welfare"]
    assert panel.explanation.matches_score
    assert panel.score.model.version == 91
    assert [(old.model, old.is_current) for old in panel.history] == [(first, False)]


def test_unranked_families_say_why(login, operator_a, make_family):
    client = login(operator_a)
    family = make_family(operator_a)
    response = client.get(reverse("web:family_detail", args=[family.pk]))
    assert response.context["welfare"].missing == "no_survey"
    services.survey_record(actor=operator_a, family=family, surveyed_on=datetime.date(2025, 2, 1), floor_area_m2=40,
                           floor_material="cement", wall_material="masonry", roof_material="roof_tile",
                           drinking_water="refill", toilet="own_septic", lighting="pln_metered",
                           installed_power_va=900, cooking_fuel="lpg_3kg", home_ownership="own")
    response = client.get(reverse("web:family_detail", args=[family.pk]))
    assert response.context["welfare"].missing == "pending"
    assert response.status_code == 200


# -- distributions ----------------------------------------------------------------------------

def test_regency_distribution_matches_independent_counts(login, planner, scored):
    response = login(planner).get(reverse("web:welfare_distribution"))
    assert response.status_code == 200
    distribution = response.context["distribution"]
    assert shown_counts(distribution) == expected_counts(6)
    assert distribution.total.total_families == scored.count()
    assert distribution.total.total_persons == Person.objects.filter(
        merged_into__isnull=True, family__welfare_scores__is_current=True).count()
    # Every kecamatan of the regency is a row, with or without scored families.
    assert len(distribution.rows) == Region.objects.filter(parent_id=REGENCY, level="kecamatan",
                                                           is_current=True).count()
    html = response.content.decode()
    assert not EXTERNAL.search(html)
    assert plotly_url() in html
    assert 'id="chart-desil"' in html and 'id="welfare-chart-data"' in html
    # A planner sees aggregates, never a link into the family records.
    assert reverse("web:family_list") + "?" not in html
    assert not any(family.no_kk in html for family in Family.objects.all()[:50])


def test_counts_come_from_the_summary_and_follow_rescoring(login, planner, operator_a, scored):
    """The pages read the summary each scoring run writes; a new member shows after the rescoring."""
    client = login(planner)
    first = client.get(reverse("web:welfare_distribution")).context["distribution"]
    family = scored.filter(family__desa_id=DESA_A).first().family
    services.person_add(actor=operator_a, family=family, nik=None, name="Bayi Baru", sex="P", birth_place="Bogor",
                        birth_date=datetime.date(2025, 1, 5), relationship=4, marital_status=1, education=1,
                        employment_status="not_working")
    unchanged = client.get(reverse("web:welfare_distribution")).context["distribution"]
    assert unchanged.total.total_persons == first.total.total_persons
    welfare_score(changed_only=True)
    again = client.get(reverse("web:welfare_distribution")).context["distribution"]
    assert again.total.total_families == first.total.total_families
    assert again.total.total_persons == first.total.total_persons + 1


def test_desa_drill_down_matches_independent_counts(login, planner, scored):
    response = login(planner).get(reverse("web:welfare_kecamatan", args=[KECAMATAN_A]))
    assert response.status_code == 200
    distribution = response.context["distribution"]
    assert distribution.kecamatan.code == KECAMATAN_A
    assert shown_counts(distribution) == expected_counts(10, KECAMATAN_A)
    assert {row.code[:6] for row in distribution.rows} == {KECAMATAN_A}


def test_kecamatan_user_sees_only_their_kecamatan(login, verifier_a, scored):
    client = login(verifier_a)
    distribution = client.get(reverse("web:welfare_distribution")).context["distribution"]
    assert [row.code for row in distribution.rows] == [KECAMATAN_A]
    assert shown_counts(distribution) == {KECAMATAN_A: expected_counts(6)[KECAMATAN_A]}
    other = Region.objects.filter(parent_id=REGENCY, level="kecamatan").exclude(code=KECAMATAN_A).first()
    assert client.get(reverse("web:welfare_kecamatan", args=[other.code])).status_code == 404


def test_desa_user_sees_only_their_desa(login, make_user, scored):
    desa = Family.objects.filter(welfare_scores__is_current=True).order_by("id").first().desa_id
    operator = make_user(Role.DESA_OPERATOR, desa)
    client = login(operator)
    distribution = client.get(reverse("web:welfare_distribution")).context["distribution"]
    assert [row.code for row in distribution.rows] == [desa[:6]]
    assert shown_counts(distribution) == {desa[:6]: expected_counts(10, desa)[desa]}
    drill = client.get(reverse("web:welfare_kecamatan", args=[desa[:6]])).context["distribution"]
    assert [row.code for row in drill.rows] == [desa]


def test_user_of_another_regency_sees_nothing(login, make_user, scored):
    elsewhere = Region.objects.filter(level="desa", code__startswith="3273").first()
    client = login(make_user(Role.DESA_OPERATOR, elsewhere.code))
    assert client.get(reverse("web:welfare_distribution")).status_code == 403
    assert client.get(reverse("web:welfare_kecamatan", args=[KECAMATAN_A])).status_code == 403


def test_counts_link_to_the_filtered_family_list(login, verifier_a, scored):
    client = login(verifier_a)
    response = client.get(reverse("web:welfare_distribution"))
    row = response.context["rows"][0]
    desil, cell = next((d, c) for d, c in enumerate(row.families[:10], 1) if c.value)
    assert cell.url == f"{reverse('web:family_list')}?kecamatan={KECAMATAN_A}&desil={desil}"
    assert cell.url.replace("&", "&amp;") in response.content.decode()
    listing = client.get(cell.url)
    assert listing.context["paginator"].count == cell.value
    assert all(f.desil == desil for f in listing.context["page"].object_list)
    poor = row.families[11]
    if poor.value:
        assert client.get(poor.url).context["paginator"].count == poor.value


def test_family_list_welfare_filters(login, agency_officer, scored):
    client = login(agency_officer)
    url = reverse("web:family_list")
    assert client.get(url, {"desil": 2}).context["paginator"].count == scored.filter(desil=2).count()
    assert client.get(url, {"welfare": "extreme"}).context["paginator"].count == scored.filter(
        is_extremely_poor=True).count()
    assert client.get(url, {"welfare": "scored"}).context["paginator"].count == scored.count()
    unscored = Family.objects.count() - scored.count()
    assert client.get(url, {"welfare": "unscored"}).context["paginator"].count == unscored
    assert client.get(url, {"desil": "11"}).context["paginator"].count == Family.objects.count()  # dropped
    # The exports of the list follow the same filters.
    export = client.get(reverse("web:family_export", args=["csv"]), {"desil": 1, "welfare": "poor"})
    rows = b"".join(export.streaming_content).decode("utf-8").strip().splitlines()
    expected = scored.filter(desil=1, is_poor=True).count()
    assert expected and len(rows) - 1 == expected
    assert AuditEvent.objects.get(action="export").changes["filters"] == {"desil": 1, "welfare": "poor"}


# -- plotly.js --------------------------------------------------------------------------------

def test_plotly_is_served_locally(client):
    expected = plotly_path().read_bytes()
    response = client.get(plotly_url(), HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in response["Cache-Control"]
    assert gzip.decompress(response.content) == expected
    plain = client.get(plotly_url())
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    assert b"".join(plain.streaming_content) == expected
    assert client.get(plotly_url(), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


# -- PMT models -------------------------------------------------------------------------------

FULL_REPORT = {
    "source": "Susenas 2024 sample of the regency", "method": "least squares, ridge 1.0",
    "sample": {"file": "sampel.csv", "rows": 6113},
    "split": {"train": 4890, "held_out": 1223, "held_out_share": 0.2, "seed": 1},
    "train": {"r2": 0.8138, "rmse_log": 0.2134},
    "held_out": {"n": 1223, "r2": 0.8056, "rmse_log": 0.2191, "cutoff_share": 0.4,
                 "inclusion_error": 0.1616, "exclusion_error": 0.1616},
    "means": {"has_car": 0.05},
}


def test_model_pages_show_the_report(login, planner):
    model = PmtModel.objects.create(regency_code=REGENCY, version=77, name="Kalibrasi Susenas", intercept=12.3,
                                    calibration=FULL_REPORT)
    PmtCoefficient.objects.create(model=model, variable="has_car", value=0.07)
    client = login(planner)
    listing = client.get(reverse("web:pmt_model_list")).content.decode()
    assert "Kalibrasi Susenas" in listing and "Susenas 2024 sample of the regency" in listing
    old = PmtModel.objects.get(regency_code=REGENCY, version=1)
    assert reverse("web:pmt_model_detail", args=[old.pk]) in listing
    html = client.get(reverse("web:pmt_model_detail", args=[model.pk])).content.decode()
    for figure in ("0,814", "0,806", "0,213", "0,219", "16,2 %", "40,0 %", "4.890", "1.223", "sampel.csv"):
        assert figure in html, figure
    assert "Has a car" in html or "has_car" in html
    assert "+7,3 %" in html  # exp(0.07) - 1
    assert "0,050" in html  # the sample mean
    assert not EXTERNAL.search(html)
    # A model with only n, r2 and rmse_log (version 1, from the migration) still shows its figures.
    report = client.get(reverse("web:pmt_model_detail", args=[old.pk])).context["report"]
    assert [row.train for row in report["rows"]] == ["6.113", "0,812", "0,214"]
    assert [row.held_out for row in report["rows"]] == ["—", "—", "—"]
    assert report["targeting"] == []


def test_model_of_another_regency_is_not_shown(login, planner):
    model = PmtModel.objects.create(regency_code="3273", version=1, name="Bandung", intercept=12)
    assert login(planner).get(reverse("web:pmt_model_detail", args=[model.pk])).status_code == 404


def test_system_admin_activates_a_model(login, system_admin):
    previous = PmtModel.objects.get(regency_code=REGENCY, is_active=True)
    model = PmtModel.objects.create(regency_code=REGENCY, version=78, name="Baru", intercept=12.3)
    client = login(system_admin)
    assert client.get(reverse("web:pmt_model_detail", args=[model.pk])).context["can_activate"]
    response = client.post(reverse("web:pmt_model_activate", args=[model.pk]))
    assert response.status_code == 302
    model.refresh_from_db()
    previous.refresh_from_db()
    assert model.is_active and not previous.is_active
    events = AuditEvent.objects.filter(object_type="welfare.pmtmodel", action="update")
    assert {(e.object_id, tuple(e.changes["is_active"])) for e in events} == {
        (str(model.pk), (False, True)), (str(previous.pk), (True, False))}
    assert not WelfareScore.objects.exists()  # nothing rescored


@pytest.mark.parametrize("role", ["planner", "agency_officer", "verifier"])
def test_only_a_system_admin_activates(role, login, planner, agency_officer, verifier_a):
    user = {"planner": planner, "agency_officer": agency_officer, "verifier": verifier_a}[role]
    model = PmtModel.objects.create(regency_code=REGENCY, version=79, name="Baru", intercept=12.3)
    client = login(user)
    page = client.get(reverse("web:pmt_model_detail", args=[model.pk]))
    assert not page.context["can_activate"]
    assert reverse("web:pmt_model_activate", args=[model.pk]) not in page.content.decode()
    assert client.post(reverse("web:pmt_model_activate", args=[model.pk])).status_code == 403
    assert client.get(reverse("web:pmt_model_activate", args=[model.pk])).status_code == 405
    model.refresh_from_db()
    assert not model.is_active
    assert not AuditEvent.objects.filter(object_type="welfare.pmtmodel").exists()


def test_pages_need_a_login(client):
    for url in (reverse("web:welfare_distribution"), reverse("web:pmt_model_list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
