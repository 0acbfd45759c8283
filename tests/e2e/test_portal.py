"""A resident on a phone (390×844): finds a vacancy, registers as a job seeker, applies, and sees
the application listed. No page may scroll sideways."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from sejahtera.careers.models import Application, JobSeeker
from sejahtera.registry.identity import nik_for_birth
from tests.careers.conftest import (  # noqa: F401  shared career-center fixtures
    disnaker,
    employer,
    employer_user,
    make_employer,
    make_vacancy,
)
from tests.conftest import DESA_A, DESA_B

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=PHONE, is_mobile=True,
                                  has_touch=True)
    host = re.sub(r"^https?://", "", live_server.url).split(":")[0]
    context.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_no_sideways_scroll(page):
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} is {width[0]}px wide on a {width[1]}px screen"


def test_seeker_finds_registers_applies_on_a_phone(phone, screenshot, make_vacancy, employer):
    page = phone
    welder = make_vacancy(employer, title="Juru Las Pipa", kbji_code="7212", wage_min=4_500_000,
                          wage_max=5_500_000)
    make_vacancy(employer, title="Sopir Truk", kbji_code="8332", desa_code=DESA_B)
    make_vacancy(employer, title="Juru Las Draf", kbji_code="7212", state="draft")

    page.goto("/kerja/")
    expect(page.locator("[data-vacancy]")).to_have_count(2)
    assert_no_sideways_scroll(page)

    # Filter: open the filters, choose the welder's kecamatan and the craft occupations.
    page.locator("summary", has_text="Filters").click()
    page.locator("#id_kecamatan").select_option(DESA_A[:6])
    page.locator("#id_kbji").select_option("7")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("[data-vacancy]")).to_have_count(1)
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name="Juru Las Pipa").click()
    expect(page).to_have_url(re.compile(rf"/kerja/lowongan/{welder.pk}/$"))
    expect(page.get_by_text("Rp4,500,000 – Rp5,500,000")).to_be_visible()
    assert_no_sideways_scroll(page)

    # A visitor's Apply leads to the login page, from which they register.
    page.locator("#apply").click()
    expect(page).to_have_url(re.compile(r"/kerja/masuk/"))
    page.get_by_role("link", name="Register as a job seeker").click()
    assert_no_sideways_scroll(page)
    birth = datetime.date(2001, 6, 2)
    page.locator("#id_nik").fill(nik_for_birth(DESA_A[:6], birth, "L", 4242))
    page.locator("#id_name").fill("Dadang Suherman")
    page.locator("#id_birth_date").fill(birth.isoformat())
    page.locator("#id_sex").select_option("L")
    page.locator("#id_desa_code").select_option(DESA_A)
    page.locator("#id_phone").fill("0857 1234 5678")
    page.locator("#id_education").select_option("5")
    page.locator("#id_password").fill("Las-Pipa-2026!")
    page.locator("#id_password2").fill("Las-Pipa-2026!")
    page.locator("#id_consent").check()
    screenshot("portal_register")
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kerja/saya/$"))
    seeker = JobSeeker.objects.get()
    expect(page.locator("#ak1-number")).to_have_text(seeker.ak1_number)
    assert_no_sideways_scroll(page)

    # Apply from the vacancy page and find the application in the list.
    page.goto(f"/kerja/lowongan/{welder.pk}/")
    page.locator("#cover").fill("Saya punya pengalaman las 2 tahun.")
    page.locator("#apply").click()
    expect(page.locator("#application-status")).to_be_visible()
    assert_no_sideways_scroll(page)
    page.goto("/kerja/saya/lamaran/")
    application = Application.objects.get(seeker=seeker)
    expect(page.locator(f'[data-application="{application.pk}"]')).to_contain_text("Juru Las Pipa")
    assert_no_sideways_scroll(page)
    screenshot("portal_applications")
