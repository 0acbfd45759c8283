"""The monitoring API: indicators, targets, realisations, manual entry and the scorecard."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sejahtera.accounts.roles import Role
from sejahtera.monitoring.models import Realisation
from tests.api.conftest import API, bearer, client, make_token  # noqa: F401 (fixtures)
from tests.conftest import KECAMATAN_A, REGENCY

pytestmark = pytest.mark.django_db
URL = f"{API}/monitoring"


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.SEJAHTERA_EVIDENCE_DIR = tmp_path
    return tmp_path


def test_reading_needs_a_login(client):
    assert client.get(f"{URL}/indicators").status_code == 401


def test_indicators_targets_and_realisations(client, bearer, planner):
    auth = bearer(planner)
    indicators = client.get(f"{URL}/indicators", headers=auth).json()
    p0 = next(row for row in indicators if row["code"] == "p0")
    assert (p0["unit"], p0["polarity"], p0["kind"], p0["agency"]) == ("percent", "lower", "manual", "bappedalitbang")
    assert client.get(f"{URL}/indicators/tpt", headers=auth).json()["name"] == "Tingkat pengangguran terbuka (TPT)"
    assert client.get(f"{URL}/indicators/tidak-ada", headers=auth).status_code == 404
    targets = client.get(f"{URL}/indicators/p0/targets", headers=auth, query_params={"year": 2023}).json()
    assert [(t["plan_period"], t["value"], t["region_code"]) for t in targets] == [("RPJMD 2018-2023", 7.14, REGENCY)]
    rows = client.get(f"{URL}/indicators/tpt/realisations", headers=auth, query_params={"year": 2024}).json()
    assert [(r["period_start"], r["value"], r["computed"]) for r in rows] == [("2024-01-01", 7.34, False)]
    assert rows[0]["source"].startswith("BPS Kabupaten Bogor")
    assert len(client.get(f"{URL}/indicators/tpt/realisations", headers=auth).json()) == 5
    assert client.get(f"{URL}/indicators/tpt/realisations", headers=auth,
                      query_params={"region": KECAMATAN_A}).json() == []


def test_entering_a_realisation_with_evidence(client, bearer, make_user, evidence_dir):
    officer = make_user(Role.AGENCY_OFFICER, REGENCY, agency="disnaker", username="disnaker")
    form = {"indicator": "tpt", "region_code": "32.01", "period_kind": "year", "period_start": "2025-01-01",
            "value": "6.99", "source": "BPS Kabupaten Bogor, Sakernas Agustus 2025",
            "evidence": SimpleUploadedFile("brs.pdf", b"%PDF bukti", content_type="application/pdf")}
    answer = client.post(f"{URL}/realisations", data=form, headers=bearer(officer))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["value"], body["region_code"], body["computed"]) == (6.99, REGENCY, False)
    assert (evidence_dir / body["evidence"]).read_bytes() == b"%PDF bukti"
    assert Realisation.objects.get(indicator__code="tpt", period_start="2025-01-01").entered_by == officer
    trend = client.get(f"{URL}/indicators/tpt/trend", headers=bearer(officer)).json()
    assert {p["year"]: p["realisation"] for p in trend}[2025] == 6.99
    assert {p["year"]: p["achievement"] for p in trend}[2025] == pytest.approx(101.55)  # (2 x 7.10 - 6.99) / 7.10


def test_entry_refusals_answer_403_422_and_404(client, bearer, make_user, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages in their English source form
    disdik = make_user(Role.AGENCY_OFFICER, REGENCY, agency="disdik", username="disdik")
    form = {"indicator": "tpt", "region_code": REGENCY, "period_kind": "year", "period_start": "2025-01-01",
            "value": "7", "source": "BPS"}
    assert client.post(f"{URL}/realisations", data=form, headers=bearer(disdik)).status_code == 403
    planner = make_user(Role.PLANNER, REGENCY, agency="bappedalitbang", username="perencana")
    bad = client.post(f"{URL}/realisations", data={**form, "period_start": "2025-03-01"}, headers=bearer(planner))
    assert bad.status_code == 422 and "first day" in bad.json()["detail"]
    assert client.post(f"{URL}/realisations", data={**form, "indicator": "x"}, headers=bearer(planner)).status_code \
        == 404
    assert not Realisation.objects.filter(period_start__year=2025).exists()


def test_scorecard_is_scoped_to_the_users_regions(client, bearer, planner, make_user):
    rows = client.get(f"{URL}/scorecard", headers=bearer(planner), query_params={"year": 2024}).json()
    p0 = next(row for row in rows if row["indicator"] == "p0")
    assert (p0["region_code"], p0["realisation"], p0["target"], p0["achievement"], p0["light"]) == \
        (REGENCY, 7.05, None, None, "none")
    placed = next(row for row in rows if row["indicator"] == "seekers-placed")
    assert placed["realisation"] == 2676 and "2024" in placed["realisation_source"]
    rows_2023 = client.get(f"{URL}/scorecard", headers=bearer(planner), query_params={"year": 2023}).json()
    p0 = next(row for row in rows_2023 if row["indicator"] == "p0")
    assert (p0["target"], p0["realisation"], p0["achievement"]) == (7.14, None, None)
    verifier = make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A, username="verifikator")
    assert client.get(f"{URL}/scorecard", headers=bearer(verifier),
                      query_params={"region": REGENCY}).status_code == 404
    own = client.get(f"{URL}/scorecard", headers=bearer(verifier), query_params={"year": 2024}).json()
    assert own and {row["region_code"] for row in own} == {KECAMATAN_A}
    assert "p0" not in {row["indicator"] for row in own}
