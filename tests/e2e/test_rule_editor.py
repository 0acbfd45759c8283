"""A planner opens a programme's rule editor, types a rule and sees the live count, then a bad rule
and sees where it goes wrong: the page's own script asks the server while the rule is typed."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.registry.models import Person
from tests.conftest import REGENCY
from tests.e2e.helpers import PASSWORD

pytestmark = pytest.mark.e2e

RULE = 'age >= 18 and sex == "P"'


def adult_women() -> int:
    today = timezone.localdate()
    persons = Person.objects.filter(merged_into__isnull=True, family__isnull=False, sex="P")
    return sum(1 for p in persons
               if today.year - p.birth_date.year - ((today.month, today.day) < (p.birth_date.month, p.birth_date.day))
               >= 18)


def test_live_preview_counts_and_points_at_errors(page, screenshot, live_server, planner):
    write_regency(generate_regency(REGENCY, families=120, seed=9, reference_date=datetime.date(2025, 6, 30)))
    expected = adult_women()
    assert expected > 0
    requested, previews = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("request", lambda request: previews.append(request.url) if "/rule/preview/" in request.url else None)

    page.goto("/login/")
    page.get_by_label("Nama pengguna").fill(planner.username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("navigation").get_by_role("link", name=re.compile("^Program")).click()
    page.get_by_role("link", name="PBI JKN Daerah").click()
    expect(page).to_have_url(re.compile(r"/programmes/pbi-jkn-daerah/$"))
    page.locator("a[href$='/programmes/pbi-jkn-daerah/rule/']").first.click()

    editor = page.locator("#rule-text")
    expect(editor).to_have_value('family.desil <= 4 and jkn == "none"')
    editor.fill("")
    editor.press_sequentially(RULE, delay=20)
    expect(page.locator("#rule-preview [data-total]")).to_have_attribute("data-total", str(expected))
    expect(page.locator("#rule-preview tbody tr").first).to_be_visible()
    assert len(previews) < len(RULE) / 2  # asked after the typing paused, not at every key
    screenshot("rule_editor_preview")

    editor.fill('age >= 18 and sexx == "P"')
    error = page.locator("#rule-preview .rule-error")
    expect(error).to_be_visible()
    expect(error).to_have_attribute("data-column", "15")
    expect(error).to_contain_text("sex")
    expect(editor).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#rule-preview [data-total]")).to_have_count(0)
    screenshot("rule_editor_error")

    # The editor's text goes to the what-if, compared with the published rule.
    editor.fill(RULE)
    page.locator("button[name=action][value=compare]").click()
    expect(page).to_have_url(re.compile(r"/programmes/pbi-jkn-daerah/what-if/$"))
    expect(page.locator("table.whatif-kecamatan tbody tr").first).to_be_visible()
    draft_total = page.locator("table.whatif-table tbody tr").nth(1).locator("td").nth(1)
    expect(draft_total).to_have_text(f"{expected:,}".replace(",", "."))
    screenshot("programme_whatif")
    assert requested and all(url.startswith(live_server.url) for url in requested)
