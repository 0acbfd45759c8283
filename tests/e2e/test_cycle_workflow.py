"""The agency head opens a cycle; a verifier filters the enrolment list to one kecamatan and
verifies all of it; the head approves all verified enrolments, which stops at the quota; the
counts on the cycle page follow each step."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.db.models import Count
from django.db.models.functions import Substr
from playwright.sync_api import expect

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.programs import services
from sejahtera.programs.models import Enrolment, Programme
from sejahtera.regions.models import Region
from sejahtera.welfare.scoring import welfare_score
from tests.conftest import REGENCY
from tests.e2e.helpers import PASSWORD

pytestmark = pytest.mark.e2e
QUOTA = 2


def draft_cycle(officer):
    write_regency(generate_regency(REGENCY, families=400, seed=21, reference_date=datetime.date(2025, 6, 30)))
    welfare_score()
    programme = Programme.objects.create(
        regency_code=REGENCY, code="uji-e2e", name="Bantuan Uji", agency=Agency.objects.get(code="dinsos"),
        target="family", benefit="cash", amount=500_000, period="once", quota=QUOTA)
    services.rule_publish(actor=officer, rule=services.rule_draft_save(actor=officer, programme=programme,
                                                                      text="desil <= 6"))
    return services.cycle_create(actor=officer, programme=programme, label="2026",
                                 starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))


def signed_in(browser, live_server, user, path: str):
    """A page of a new browser session in English, logged in as ``user`` and sent to ``path``."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/login/?next={path}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def shot(page, name: str) -> None:
    """A full-page screenshot when E2E_SCREENSHOT_DIR is set (see conftest's ``screenshot``)."""
    if folder := os.environ.get("E2E_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def status_count(page, label: str):
    return page.locator("#status-counts tr").filter(has=page.get_by_role("link", name=label, exact=True)) \
        .locator("td")


def test_open_filter_verify_and_approve_up_to_the_quota(browser, live_server, make_user):
    head = make_user(Role.AGENCY_HEAD, REGENCY, agency="dinsos", username="kepala")
    cycle = draft_cycle(head)
    cycle_path = f"/cycles/{cycle.pk}/"

    page = signed_in(browser, live_server, head, cycle_path)
    expect(page.locator("#cycle-status")).to_have_text("Draft")
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.locator("#cycle-status")).to_have_text("Open")
    candidates = Enrolment.objects.filter(cycle=cycle).count()
    assert candidates > QUOTA
    expect(page.locator("#cycle-candidates")).to_have_text(str(candidates))
    expect(status_count(page, "Candidate")).to_have_text(str(candidates))
    page.context.close()

    busiest = (Enrolment.objects.filter(cycle=cycle).annotate(kecamatan=Substr("desa_code", 1, 6))
               .values("kecamatan").annotate(n=Count("pk")).order_by("-n", "kecamatan").first())
    kecamatan, in_kecamatan = busiest["kecamatan"], busiest["n"]
    assert in_kecamatan > QUOTA
    verifier = make_user(Role.KECAMATAN_VERIFIER, REGENCY, username="verifikator")
    page = signed_in(browser, live_server, verifier, f"{cycle_path}enrolments/")
    page.get_by_label("District (kecamatan)").select_option(label=Region.objects.get(code=kecamatan).name)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#enrolments tbody tr")).to_have_count(in_kecamatan)
    page.get_by_label("Step").select_option("verify")
    page.get_by_role("button", name=f"Apply to all {in_kecamatan} filtered enrolments").click()
    expect(page.locator(".message")).to_contain_text(f"{in_kecamatan} of {in_kecamatan} changed")
    expect(page.locator('#enrolments tbody tr[data-status="verified"]')).to_have_count(in_kecamatan)
    shot(page, "enrolment_list_verified")
    page.context.close()

    page = signed_in(browser, live_server, head, f"{cycle_path}enrolments/?status=verified")
    expect(page.locator("#enrolments tbody tr")).to_have_count(in_kecamatan)
    page.get_by_label("Step").select_option("approve")
    page.get_by_role("button", name=re.compile(r"Apply to all \d+ filtered")).click()
    expect(page.locator(".message")).to_contain_text(f"{QUOTA} of {in_kecamatan} changed")
    expect(page.locator(".message")).to_contain_text(f"{in_kecamatan - QUOTA} left out")

    page.goto(cycle_path)
    expect(page.locator("#cycle-quota")).to_contain_text(f"{QUOTA} / {QUOTA}")
    expect(status_count(page, "Approved")).to_have_text(str(QUOTA))
    expect(status_count(page, "Verified")).to_have_text(str(in_kecamatan - QUOTA))
    expect(status_count(page, "Candidate")).to_have_text(str(candidates - in_kecamatan))
    shot(page, "cycle_detail")
    approved = list(Enrolment.objects.filter(cycle=cycle, status="approved").order_by("priority")
                    .values_list("priority", flat=True))
    lowest = list(Enrolment.objects.filter(cycle=cycle, desa_code__startswith=kecamatan).order_by("priority")
                  .values_list("priority", flat=True)[:QUOTA])
    assert approved == lowest
    page.context.close()
