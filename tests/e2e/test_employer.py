"""An employer registers, posts a vacancy with the suggested KBJI code and submits it for verification.

The pages are switched to English (the language cookie), so the steps read the English message ids
and do not depend on the Indonesian translation.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sejahtera.careers.models import Employer, Vacancy
from tests.conftest import DESA_A

pytestmark = pytest.mark.e2e


@pytest.fixture
def english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    return page


def test_employer_registers_and_submits_a_vacancy_with_the_suggested_kbji(english, screenshot):
    page = english
    page.goto("/kerja/perusahaan/daftar/")
    page.get_by_label("Company name").fill("PT Baja Pakuan")
    page.get_by_label("NIB (Nomor Induk Berusaha)").fill("9120000077777")
    page.get_by_label("Search the sector (KBLI 2020)").fill("roti dan kue")
    sector = page.get_by_label("Sector (KBLI 2020)", exact=True)
    expect(sector.locator("option[value='10710']")).to_have_count(1)
    sector.select_option("10710")
    page.get_by_label("Address").fill("Jl. Raya Jakarta-Bogor Km 42")
    page.get_by_label("Village (desa/kelurahan)").select_option(DESA_A)
    page.get_by_label("Contact person").fill("Bapak Dadang")
    page.get_by_label("Contact phone").fill("081311112222")
    page.get_by_label("Contact email").fill("hrd@bajapakuan.co.id")
    page.get_by_label("Password").fill("kunci-gerbang-tujuh-7")
    page.get_by_label("I have read the privacy notice", exact=False).check()
    screenshot("employer_register")
    page.get_by_role("button", name="Register").click()

    expect(page).to_have_url(re.compile(r"/kerja/perusahaan/$"))
    expect(page.locator("#employer-status")).to_have_attribute("data-status", "pending")
    assert Employer.objects.get().status == Employer.Status.PENDING

    # A new vacancy: the occupation is suggested from the title.
    page.get_by_role("link", name="New vacancy").first.click()
    page.get_by_label("Job title").fill("Tukang Las")
    page.get_by_label("Description").fill("Mengelas rangka besi, pagar dan kanopi dengan las listrik.")
    page.get_by_role("button", name="Suggest occupations").click()
    choices = page.locator("#kbji-choices input[type=radio]")
    expect(choices).to_have_count(5, timeout=30_000)
    first_code = choices.first.get_attribute("value")
    assert first_code.startswith("7212")
    choices.first.check()
    page.get_by_label("Skills").fill("las listrik, membaca gambar")
    page.get_by_label("Application deadline").fill((timezone.localdate() + datetime.timedelta(days=21)).isoformat())
    screenshot("employer_vacancy_form")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#vacancy-status")).to_have_attribute("data-status", "draft")
    expect(page.locator("#vacancy-kbji")).to_contain_text(first_code)
    page.get_by_role("button", name="Submit for verification").click()
    expect(page.locator("#vacancy-status")).to_have_attribute("data-status", "submitted")

    page.get_by_role("link", name="Company").first.click()
    row = page.locator("table[data-status=submitted] tr", has_text="Tukang Las")
    expect(row).to_have_count(1)
    screenshot("employer_home")
    vacancy = Vacancy.objects.get()
    assert (vacancy.status, vacancy.kbji_code) == (Vacancy.Status.SUBMITTED, first_code)
