"""A planner opens the welfare distribution: plotly.js, served by the application, draws the charts."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.welfare.models import PmtCoefficient, PmtModel
from sejahtera.welfare.scoring import welfare_score
from tests.conftest import REGENCY
from tests.e2e.helpers import PASSWORD

pytestmark = pytest.mark.e2e


def scored_regency() -> None:
    write_regency(generate_regency(REGENCY, families=300, seed=3, reference_date=datetime.date(2025, 6, 30)))
    # A flush by an earlier browser test removes the model the migration seeded.
    if not PmtModel.objects.filter(regency_code=REGENCY, is_active=True).exists():
        model = PmtModel.objects.create(regency_code=REGENCY, version=1, name="Uji", is_active=True, intercept=12.7)
        PmtCoefficient.objects.bulk_create([PmtCoefficient(model=model, variable="has_refrigerator", value=0.08),
                                            PmtCoefficient(model=model, variable="floor_earth_bamboo", value=-0.06),
                                            PmtCoefficient(model=model, variable="log_household_size", value=0.07)])
    welfare_score()


def test_planner_sees_the_desil_charts(page, screenshot, live_server, planner):
    scored_regency()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/login/")
    page.get_by_label("Nama pengguna").fill(planner.username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name=re.compile("Welfare|Peringkat")).click()

    expect(page).to_have_url(re.compile(r"/welfare/$"))
    expect(page.locator("#chart-desil svg.main-svg").first).to_be_visible()
    expect(page.locator("#chart-poverty svg.main-svg").first).to_be_visible()
    expect(page.locator("#chart-desil .trace.bars")).to_have_count(10)  # one trace per desil
    expect(page.get_by_role("row", name=re.compile("Cibinong"))).to_have_count(2)  # families and persons tables
    screenshot("welfare_distribution")

    # Down to the desa of one kecamatan.
    page.get_by_role("link", name="Cibinong").first.click()
    expect(page).to_have_url(re.compile(r"/welfare/kecamatan/320101/$"))
    expect(page.locator("#chart-desil svg.main-svg").first).to_be_visible()
    assert requested and all(url.startswith(live_server.url) for url in requested)
