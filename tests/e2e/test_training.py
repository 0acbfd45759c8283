"""A Disnaker officer opens a BLK batch from the menu, selects the applicants by priority, records
one day's attendance on the sheet and sees the counts follow."""

import datetime

import pytest
from playwright.sync_api import expect

from sejahtera.accounts.roles import Role
from sejahtera.training import services
from sejahtera.training.models import Attendance, Trainee
from tests.conftest import DESA_A, REGENCY
from tests.e2e.helpers import PASSWORD

pytestmark = pytest.mark.e2e
DAY = datetime.date(2026, 2, 2)


def signed_in(browser, live_server, user, path: str):
    """A new browser session in English (the pages' text is not what is tested), logged in as ``user``."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/login/?next={path}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{path}")
    return page


def test_an_officer_selects_by_priority_and_records_a_days_attendance(browser, live_server, make_user, make_family,
                                                                       operator_a):
    officer = make_user(Role.AGENCY_OFFICER, REGENCY, agency="disnaker", username="disnaker")
    course = services.course_create(actor=officer, regency_code=REGENCY, code="las-listrik", name="Las Listrik",
                                    vocation="Welding", kbji_code="7212", hours=240)
    batch = services.batch_create(actor=officer, course=course, label="2026-1", starts_on=DAY,
                                  ends_on=datetime.date(2026, 4, 30), capacity=2, desa_code=DESA_A)
    batch = services.batch_open(actor=officer, batch=batch)
    persons = []
    for i, employment in enumerate(["working", "unemployed", "working"]):
        person = make_family(operator_a, head_name=f"Peserta {i + 1}",
                             head_birth=datetime.date(1995, 1, 1) + datetime.timedelta(days=40 * i)).members.get()
        person.employment_status = employment
        person.save(update_fields=["employment_status"])
        services.trainee_apply(actor=officer, batch=batch, person=person)
        persons.append(person)

    page = signed_in(browser, live_server, officer, "/")
    page.get_by_role("link", name="BLK training").click()
    page.locator(f'tr[data-course="{course.pk}"] a').click()
    page.locator(f'tr[data-batch="{batch.pk}"] a').first.click()
    expect(page.locator('[data-count="applied"]')).to_have_text("3")

    page.locator("#select-by-priority").click()
    expect(page.locator('[data-count="accepted"]')).to_have_text("2")
    expect(page.locator('[data-count="waitlisted"]')).to_have_text("1")
    accepted = page.locator('table[data-status="accepted"] tbody tr')
    expect(accepted.first.locator("[data-priority]")).to_have_text("1")
    expect(accepted.first).to_contain_text("Peserta 2")  # the unemployed applicant comes first
    expect(page.locator('table[data-status="waitlisted"] tbody tr')).to_contain_text("Peserta 3")

    page.locator('[data-step="start"]').first.click()
    expect(page.locator("#batch-status")).to_have_attribute("data-status", "running")
    expect(page.locator('[data-count="attending"]')).to_have_text("2")

    page.get_by_role("link", name="Attendance").click()
    page.locator("#id_day_pick").fill(DAY.isoformat())
    page.get_by_role("button", name="Show").click()
    attending = {t.person.name: t for t in Trainee.objects.filter(batch=batch, status="attending")
                 .select_related("person")}
    page.locator(f'#present-{attending["Peserta 2"].pk}').check()
    page.locator("#record-attendance").click()
    expect(page.locator("#day-summary")).to_contain_text("1")
    expect(page.locator(f'#attendance-sheet tr[data-trainee="{attending["Peserta 2"].pk}"] [data-present]')
           ).to_have_text("1")
    expect(page.locator(f'#attendance-sheet tr[data-trainee="{attending["Peserta 1"].pk}"] [data-present]')
           ).to_have_text("0")
    assert dict(Attendance.objects.filter(day=DAY).values_list("trainee__person__name", "present")) == {
        "Peserta 1": False, "Peserta 2": True}
