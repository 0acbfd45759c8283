"""The career center's whole flow in a browser, one browser context per actor:

a resident registers on the portal as a job seeker with the NIK of a registry person (head of a
desil-1 family in Gunungputri); a company registers and posts a vacancy; a Disnaker officer
verifies the company and the vacancy and opens it; the seeker finds the vacancy and applies; the
company shortlists and hires, with the placement's details; the Disnaker statistics page counts
the placement (n -> n + 1) in this month, in the seeker's kecamatan and among poor families.

The pages are switched to English (the language cookie), so the steps read the English message
ids and do not depend on the Indonesian translation.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sejahtera.careers import services
from sejahtera.careers.models import Application, Employer, JobSeeker, Placement, Vacancy
from sejahtera.registry.choices import EmploymentStatus
from sejahtera.welfare.models import PmtModel, WelfareScore
from tests.careers.conftest import disnaker, make_seeker  # noqa: F401  (fixtures)
from tests.conftest import DESA_A, DESA_B, REGENCY
from tests.e2e.helpers import PASSWORD

pytestmark = pytest.mark.e2e
KECAMATAN_B = DESA_B[:6]  # Gunungputri: where the seeker lives
SEEKER_BIRTH = datetime.date(2000, 7, 14)


def new_page(browser, live_server):
    """A browser context of its own (one per actor), in English."""
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def screenshot(page, name: str) -> None:
    """A full-page screenshot of this actor's page when E2E_SCREENSHOT_DIR is set (for looking at the layout)."""
    if folder := os.environ.get("E2E_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def placements_shown(page, year: int) -> dict[str, int]:
    """Placements on the statistics page: this month, the seeker's kecamatan, poor families there, in total."""
    page.goto(f"/disnaker/statistik/?year={year}")
    month = str(timezone.localdate().month)

    def cell(section: str, dimension: str, key: str) -> int:
        locator = page.locator(f'table[data-section="{section}"][data-dimension="{dimension}"] '
                               f'tr[data-key="{key}"] td[data-figure="placements"]')
        return int(locator.inner_text())

    return {"month": cell("all", "month", month), "kecamatan": cell("all", "kecamatan", KECAMATAN_B),
            "poor kecamatan": cell("poor", "kecamatan", KECAMATAN_B), "total": cell("all", "month", "total")}


def test_register_post_verify_apply_hire_and_count(browser, live_server, make_family, operator_b, disnaker,
                                                    make_seeker):
    today = timezone.localdate()
    # The registry knows the resident: head of a family in desil 1.
    person = make_family(operator_b, DESA_B, head_name="Dadang Suherman", head_sex="L",
                         head_birth=SEEKER_BIRTH).members.get()
    WelfareScore.objects.create(family=person.family, model=PmtModel.objects.first(), regency_code=REGENCY,
                                desa_code=DESA_B, scored_at=timezone.now(), log_predicted=12.4,
                                predicted_per_capita=260_000, rank_in_regency=1, desil=1, is_poor=True)
    # Someone of the same kecamatan was placed this month already: the count starts above zero.
    earlier = make_seeker(DESA_B)
    services.placement_record(actor=disnaker, seeker=earlier, position="Kasir", contract_type="daily",
                              start_date=today, employer_name="Toko Sinar")

    officer = new_page(browser, live_server)
    officer.goto("/login/?next=/disnaker/")
    officer.get_by_label("Username").fill(disnaker.username)
    officer.get_by_label("Password").fill(PASSWORD)
    officer.get_by_role("button", name="Log in").click()
    officer.wait_for_url("**/disnaker/")
    officer.locator("#statistics-link").click()
    expect(officer).to_have_url(re.compile(r"/disnaker/statistik/$"))
    before = placements_shown(officer, today.year)
    assert before["month"] >= 1 and before["kecamatan"] >= 1

    # 1. The resident registers as a job seeker with the NIK the registry holds.
    seeker = new_page(browser, live_server)
    seeker.goto("/kerja/daftar/")
    seeker.locator("#id_nik").fill(person.nik)
    seeker.locator("#id_name").fill(person.name)
    seeker.locator("#id_birth_date").fill(SEEKER_BIRTH.isoformat())
    seeker.locator("#id_sex").select_option("L")
    seeker.locator("#id_desa_code").select_option(DESA_B)
    seeker.locator("#id_phone").fill("0857 1234 9876")
    seeker.locator("#id_education").select_option("5")
    seeker.locator("#id_password").fill("Las-Pipa-2026!")
    seeker.locator("#id_password2").fill("Las-Pipa-2026!")
    seeker.locator("#id_consent").check()
    seeker.locator("form.form button[type=submit]").click()
    expect(seeker).to_have_url(re.compile(r"/kerja/saya/$"))
    job_seeker = JobSeeker.objects.get(person=person)
    expect(seeker.locator("#ak1-number")).to_have_text(job_seeker.ak1_number)

    # 2. A company registers and posts a vacancy; it waits for Disnaker.
    company = new_page(browser, live_server)
    company.goto("/kerja/perusahaan/daftar/")
    company.get_by_label("Company name").fill("PT Baja Pakuan")
    company.get_by_label("NIB (Nomor Induk Berusaha)").fill("9120000077777")
    company.get_by_label("Search the sector (KBLI 2020)").fill("roti dan kue")
    sector = company.get_by_label("Sector (KBLI 2020)", exact=True)
    expect(sector.locator("option[value='10710']")).to_have_count(1)
    sector.select_option("10710")
    company.get_by_label("Address").fill("Jl. Raya Jakarta-Bogor Km 42")
    company.get_by_label("Village (desa/kelurahan)").select_option(DESA_A)
    company.get_by_label("Contact person").fill("Bapak Dadang")
    company.get_by_label("Contact phone").fill("081311112222")
    company.get_by_label("Contact email").fill("hrd@bajapakuan.co.id")
    company.get_by_label("Password").fill("kunci-gerbang-tujuh-7")
    company.get_by_label("I have read the privacy notice", exact=False).check()
    company.get_by_role("button", name="Register").click()
    expect(company.locator("#employer-status")).to_have_attribute("data-status", "pending")

    company.get_by_role("link", name="New vacancy").first.click()
    company.get_by_label("Job title").fill("Tukang Las")
    company.get_by_label("Description").fill("Mengelas rangka besi, pagar dan kanopi dengan las listrik.")
    company.get_by_role("button", name="Suggest occupations").click()
    choices = company.locator("#kbji-choices input[type=radio]")
    expect(choices.first).to_be_visible(timeout=30_000)
    choices.first.check()
    company.get_by_label("Application deadline").fill((today + datetime.timedelta(days=21)).isoformat())
    company.get_by_role("button", name="Save").click()
    expect(company.locator("#vacancy-status")).to_have_attribute("data-status", "draft")
    company.get_by_role("button", name="Submit for verification").click()
    expect(company.locator("#vacancy-status")).to_have_attribute("data-status", "submitted")
    employer, vacancy = Employer.objects.get(nib="9120000077777"), Vacancy.objects.get(title="Tukang Las")

    # Not public yet.
    seeker.goto("/kerja/?q=Tukang+Las")
    expect(seeker.locator(f'[data-vacancy="{vacancy.pk}"]')).to_have_count(0)

    # 3. Disnaker verifies the company and the vacancy and opens it, from the review queues.
    officer.goto("/disnaker/")
    officer.get_by_role("link", name="PT Baja Pakuan").click()
    officer.locator('button[data-action="verify"]').click()
    expect(officer.get_by_text("PT Baja Pakuan is verified.")).to_be_visible()
    officer.goto("/disnaker/")
    officer.get_by_role("link", name="Tukang Las").click()
    officer.locator('button[data-action="verify"]').click()
    expect(officer.get_by_text("The vacancy is verified.")).to_be_visible()
    officer.locator('button[data-action="open"]').click()
    expect(officer.get_by_text("The vacancy is open to job seekers.")).to_be_visible()
    employer.refresh_from_db()
    vacancy.refresh_from_db()
    assert (employer.status, vacancy.status) == (Employer.Status.VERIFIED, Vacancy.Status.OPEN)

    # 4. The seeker finds the vacancy and applies.
    seeker.goto("/kerja/")
    seeker.locator("#id_q").fill("las")
    seeker.get_by_role("button", name="Search", exact=True).click()
    expect(seeker.locator(f'[data-vacancy="{vacancy.pk}"]')).to_have_count(1)
    seeker.get_by_role("link", name="Tukang Las").click()
    expect(seeker).to_have_url(re.compile(rf"/kerja/lowongan/{vacancy.pk}/$"))
    seeker.locator("#cover").fill("Saya bisa las listrik dan membaca gambar kerja.")
    seeker.locator("#apply").click()
    expect(seeker.locator("#application-status")).to_be_visible()
    application = Application.objects.get(seeker=job_seeker, vacancy=vacancy)

    # 5. The company shortlists and hires, with the placement's details.
    company.goto("/kerja/perusahaan/")
    company.get_by_role("link", name="Tukang Las").first.click()
    company.get_by_role("link", name=re.compile(r"^Applicants")).click()
    applicant = company.locator(f'[data-application="{application.pk}"]')
    expect(applicant).to_contain_text("Dadang Suherman")
    expect(applicant).not_to_contain_text(person.nik)
    applicant.get_by_role("link", name="Dadang Suherman").click()
    company.locator("#shortlist").click()
    expect(company.locator("#application-status")).to_have_attribute("data-status", "shortlisted")
    hire = company.locator("#hire-form")
    hire.get_by_label("Contract type").select_option("fixed_term")
    hire.get_by_label("Wage (Rp/month)").fill("4800000")
    hire.get_by_label("Start date").fill(today.isoformat())
    hire.get_by_label("Position").fill("Juru Las")
    screenshot(company, "career_flow_hire")
    hire.get_by_role("button", name="Hire and record the placement").click()
    expect(company.locator("#application-status")).to_have_attribute("data-status", "hired")
    placement = Placement.objects.get(application=application)
    assert (placement.seeker, placement.employer, placement.position, placement.contract_type, placement.wage,
            placement.start_date) == (job_seeker, employer, "Juru Las", "fixed_term", 4_800_000, today)
    person.refresh_from_db()
    assert person.employment_status == EmploymentStatus.WORKING

    # The seeker sees the outcome.
    seeker.goto("/kerja/saya/lamaran/")
    expect(seeker.locator(f'[data-application="{application.pk}"]')).to_contain_text("Hired")

    # 6. The statistics count the placement: this month, Gunungputri, and among poor families.
    after = placements_shown(officer, today.year)
    assert after == {name: count + 1 for name, count in before.items()}
    expect(officer.locator("#chart-month-all svg.main-svg").first).to_be_visible()
    expect(officer.locator("#chart-month-all .scatterlayer .trace")).to_have_count(7)  # one line per figure
    screenshot(officer, "career_flow_statistics")
