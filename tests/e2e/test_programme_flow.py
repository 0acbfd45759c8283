"""A programme from nothing to its first approvals, in the browser: the agency head creates a
programme with a rule and watches the live preview count, publishes the rule, creates and opens a
cycle; a field verifier verifies the candidates of one district in bulk; the head approves the
verified in bulk, which stops at the quota. The pages are in English (language cookie)."""

import datetime
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sejahtera.accounts.roles import Role
from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.programs.models import Cycle, Enrolment, Programme
from sejahtera.regions.models import Region
from sejahtera.registry.models import Family, Person
from sejahtera.welfare.models import WelfareScore
from sejahtera.welfare.scoring import welfare_score
from tests.conftest import REGENCY
from tests.e2e.helpers import PASSWORD

pytestmark = pytest.mark.e2e

CODE = "bantuan-keluarga-besar"
RULE = "desil <= 4 and size >= 3"
QUOTA = 5


def matching_families() -> Counter:
    """Families of RULE per kecamatan, counted in Python from the scores and the members."""
    desil = dict(WelfareScore.objects.filter(is_current=True).values_list("family_id", "desil"))
    sizes = Counter(Person.objects.filter(merged_into__isnull=True, family__isnull=False)
                    .values_list("family_id", flat=True))
    return Counter(f.desa_id[:6] for f in Family.objects.all() if desil.get(f.pk, 99) <= 4 and sizes[f.pk] >= 3)


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
    """A full-page screenshot when E2E_SCREENSHOT_DIR is set."""
    if folder := os.environ.get("E2E_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def status_count(page, label: str):
    return page.locator("#status-counts tr").filter(has=page.get_by_role("link", name=label, exact=True)) \
        .locator("td")


def test_create_preview_publish_open_verify_and_approve(browser, live_server, make_user):
    write_regency(generate_regency(REGENCY, families=400, seed=23, reference_date=datetime.date(2025, 6, 30)))
    welfare_score()
    per_kecamatan = matching_families()
    matching = sum(per_kecamatan.values())
    kecamatan, in_kecamatan = min(per_kecamatan.items(), key=lambda item: (-item[1], item[0]))
    assert matching > in_kecamatan > 0
    head = make_user(Role.AGENCY_HEAD, REGENCY, agency="dinsos", username="kepala")
    verifier = make_user(Role.KECAMATAN_VERIFIER, REGENCY, username="verifikator")
    previews = []

    # The head creates the programme; the preview follows the rule as it is typed.
    page = signed_in(browser, live_server, head, "/programmes/")
    page.on("request", lambda request: previews.append(request.url) if "/programmes/preview/" in request.url
            else None)
    page.get_by_role("link", name="New programme").click()
    expect(page).to_have_url(re.compile(r"/programmes/new/$"))
    page.get_by_label("Code", exact=True).fill(CODE)
    page.get_by_label("Name", exact=True).fill("Bantuan Keluarga Besar")
    expect(page.get_by_label("Agency", exact=True)).to_have_value(str(head.memberships.get().agency_id))
    page.get_by_label("Description", exact=True).fill("Bantuan tunai bagi keluarga miskin beranggota banyak.")
    page.get_by_label("Target", exact=True).select_option("family")
    page.get_by_label("Benefit", exact=True).select_option("cash")
    page.get_by_label("Amount per beneficiary and period (Rp)", exact=True).fill("500000")
    page.get_by_label("Period", exact=True).select_option("once")
    page.get_by_label("Quota per cycle", exact=True).fill(str(QUOTA))
    page.get_by_label("Ranking when over quota", exact=True).select_option("neediest")
    editor = page.get_by_label("Eligibility rule", exact=True)
    editor.press_sequentially(RULE, delay=20)
    expect(page.locator("#rule-preview [data-total]")).to_have_attribute("data-total", str(matching))
    busiest = page.locator(f'#rule-preview tr[data-kecamatan="{kecamatan}"] td.num')
    expect(busiest).to_have_text(str(in_kecamatan))
    expect(page.locator("#rule-words")).not_to_be_empty()
    assert previews and all("target=family" in url for url in previews)
    assert len(previews) < len(RULE) / 2  # asked after the typing paused, not at every key
    shot(page, "programme_create_preview")

    # A mistake is pointed at before anything is saved, then corrected.
    editor.fill("desil <= 4 and sizee >= 3")
    expect(page.locator("#rule-preview .rule-error")).to_have_attribute("data-column", "16")
    editor.fill(RULE)
    expect(page.locator("#rule-preview [data-total]")).to_have_attribute("data-total", str(matching))
    page.get_by_role("button", name="Create and publish the rule").click()

    expect(page).to_have_url(re.compile(rf"/programmes/{CODE}/$"))
    expect(page.get_by_role("heading", name="Bantuan Keluarga Besar")).to_be_visible()
    expect(page.locator("tr.rule-version")).to_have_count(1)
    expect(page.locator("tr.rule-version")).to_contain_text("in use")
    programme = Programme.objects.get(code=CODE)
    assert (programme.agency.code, programme.target, programme.quota, programme.amount) == \
        ("dinsos", "family", QUOTA, 500_000)

    # The head creates and opens a cycle: its candidates are the families the preview counted.
    page.get_by_role("link", name="New cycle").click()
    page.get_by_label("Label").fill("2026")
    page.get_by_label("Starts on").fill("2026-01-01")
    page.get_by_label("Ends on").fill("2026-12-31")
    page.get_by_role("button", name="Create the cycle").click()
    expect(page.locator("#cycle-status")).to_have_text("Draft")
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.locator("#cycle-status")).to_have_text("Open")
    expect(page.locator("#cycle-candidates")).to_have_text(str(matching))
    cycle = Cycle.objects.get(programme=programme)
    assert cycle.rule == programme.rules.get() and cycle.candidates == matching
    cycle_path = f"/cycles/{cycle.pk}/"
    page.context.close()

    # The verifier verifies every candidate of the busiest district at once.
    page = signed_in(browser, live_server, verifier, f"{cycle_path}enrolments/")
    page.get_by_label("District (kecamatan)").select_option(label=Region.objects.get(code=kecamatan).name)
    page.get_by_role("button", name="Show").click()
    page.get_by_label("Step").select_option("verify")
    page.get_by_role("button", name=f"Apply to all {in_kecamatan} filtered enrolments").click()
    expect(page.locator(".message")).to_contain_text(f"{in_kecamatan} of {in_kecamatan} changed")
    page.context.close()
    verified = Enrolment.objects.filter(cycle=cycle, status="verified").count()
    assert verified == in_kecamatan

    # The head approves every verified enrolment at once, up to the quota.
    approved = min(verified, QUOTA)
    page = signed_in(browser, live_server, head, f"{cycle_path}enrolments/?status=verified")
    page.get_by_label("Step").select_option("approve")
    page.get_by_role("button", name=re.compile(r"Apply to all \d+ filtered")).click()
    expect(page.locator(".message")).to_contain_text(f"{approved} of {verified} changed")

    page.goto(cycle_path)
    expect(page.locator("#cycle-quota")).to_contain_text(f"{approved} / {QUOTA}")
    expect(status_count(page, "Approved")).to_have_text(str(approved))
    expect(status_count(page, "Verified")).to_have_text(str(verified - approved))
    expect(status_count(page, "Candidate")).to_have_text(str(matching - verified))
    shot(page, "programme_flow_cycle")
    assert Enrolment.objects.filter(cycle=cycle, status="approved").count() == approved
    page.context.close()
