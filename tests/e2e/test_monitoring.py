"""A browser walks the monitoring dashboards down to a family: a system administrator (planners
may not open family records) opens the regency overview, clicks a kecamatan, a desa of it, the
desa's family list and a family's profile. In English (the language cookie), so the steps read the
English message ids."""

import re

import pytest
from django.db.models import Count
from django.utils import timezone
from playwright.sync_api import expect

from sejahtera.accounts.roles import Role
from sejahtera.monitoring.computations import refresh_aggregates
from sejahtera.registry.models import Family
from tests.conftest import REGENCY
from tests.e2e.helpers import PASSWORD
from tests.programs.conftest import write_scored

pytestmark = pytest.mark.e2e


def test_from_the_overview_to_a_desa_and_a_family_profile(browser, live_server, make_user):
    write_scored(150, 11)
    refresh_aggregates()
    desa = Family.objects.values("desa_id").annotate(n=Count("pk")).order_by("-n", "desa_id").first()["desa_id"]
    kecamatan = desa[:6]
    admin = make_user(Role.SYSTEM_ADMIN, REGENCY, username="admin-monitoring")

    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login/?next=/monitoring/")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The regency overview: scorecard with lights, a trend chart drawn by the local plotly.js.
    expect(page.locator("h1")).to_have_attribute("data-region", REGENCY)
    expect(page.locator('tr[data-indicator="p0"] [data-light]')).to_be_visible()
    expect(page.locator("#trend-tpt .main-svg").first).to_be_attached()
    year = str(timezone.localdate().year)
    expect(page.locator('select[name="year"] option[selected]')).to_have_text(year)

    page.locator(f'tr[data-region="{kecamatan}"] th a').click()
    expect(page).to_have_url(re.compile(rf"/monitoring/kecamatan/{kecamatan}/$"))
    expect(page.locator("h1")).to_have_attribute("data-region", kecamatan)

    page.locator(f'tr[data-region="{desa}"] th a').click()
    expect(page).to_have_url(re.compile(rf"/monitoring/desa/{desa}/$"))
    expect(page.locator("h1")).to_have_attribute("data-region", desa)

    page.locator('a[data-link="families"]').click()
    expect(page.get_by_role("heading", name="Families", exact=True)).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(Family.objects.filter(desa_id=desa).count())
    rows.first.locator("td.mono a").click()
    page.get_by_role("link", name=re.compile("Family profile")).click()
    expect(page).to_have_url(re.compile(r"/families/\d+/profile/$"))
    family = Family.objects.get(pk=int(re.search(r"/families/(\d+)/", page.url).group(1)))
    assert family.desa_id == desa
    expect(page.get_by_role("heading", name=re.compile("Family profile"))).to_be_visible()
    context.close()
