"""Disnaker staff pages of the career center: who reaches them, region scoping, verification,
counter registration and placement confirmation, each checked on what the database holds after."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sejahtera.accounts.roles import Role
from sejahtera.careers import services
from sejahtera.careers.models import Employer, JobSeeker, Placement, Vacancy
from sejahtera.core.models import AuditEvent
from sejahtera.registry.identity import mask_nik, nik_for_birth
from sejahtera.registry.models import Person
from tests.careers.conftest import (  # noqa: F401  (fixtures)
    disnaker,
    disnaker_kecamatan_b,
    employer,
    employer_user,
    english_messages,
    make_employer,
    make_seeker,
    make_vacancy,
)
from tests.conftest import DESA_A, DESA_B, KECAMATAN_A, REGENCY

PAGES = ["staff_overview", "staff_employer_list", "staff_vacancy_list", "staff_seeker_list",
         "staff_seeker_register", "staff_placement_list"]


def texts(response) -> list[str]:
    """The messages this request added (not those still waiting from earlier requests)."""
    return [str(m) for m in get_messages(response.wsgi_request)._queued_messages]


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Pages in English, so that messages compare with the services' English source text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def admin(make_user):
    return make_user(Role.SYSTEM_ADMIN, REGENCY, username="admin")


@pytest.fixture
def seeker(make_seeker):
    return make_seeker(DESA_A)


def place(disnaker, seeker, start_date):  # noqa: F811
    return services.placement_record(actor=disnaker, seeker=seeker, position="Operator", contract_type="fixed_term",
                                     start_date=start_date, employer_name="CV Sumber Rejeki")


# -- who reaches the pages ------------------------------------------------------------------------

@pytest.mark.parametrize("name", PAGES)
def test_an_officer_of_another_agency_is_refused(login, agency_officer, seeker, name):
    assert login(agency_officer).get(reverse(f"web:{name}")).status_code == 403


def test_an_officer_of_another_agency_cannot_open_a_seeker_or_verify(login, agency_officer, seeker, make_employer,
                                                                     employer_user):
    pending = make_employer(employer_user, name="PT Baru")
    client = login(agency_officer)
    assert client.get(reverse("web:staff_seeker_detail", args=[seeker.pk])).status_code == 403
    assert client.post(reverse("web:staff_employer_verify", args=[pending.pk]),
                       {"decision": "verify"}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == Employer.Status.PENDING


@pytest.mark.parametrize("name", PAGES)
def test_a_planner_gets_no_personal_data(login, planner, seeker, name):
    response = login(planner).get(reverse(f"web:{name}"))
    assert response.status_code == 403
    assert seeker.person.name not in response.content.decode()
    assert seeker.ak1_number not in response.content.decode()


def test_a_planner_cannot_open_a_seeker_page(login, planner, seeker):
    response = login(planner).get(reverse("web:staff_seeker_detail", args=[seeker.pk]))
    assert response.status_code == 403
    assert seeker.person.name not in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_disnaker_staff_and_administrators_reach_every_page(login, disnaker, admin, name):
    for user in (disnaker, admin):
        assert login(user).get(reverse(f"web:{name}")).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, plain_http):
    response = client.get(reverse("web:staff_seeker_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_posts_need_the_csrf_token(disnaker, make_employer, employer_user, plain_http):
    pending = make_employer(employer_user, name="PT Tanpa Token")
    client = Client(enforce_csrf_checks=True)
    client.force_login(disnaker)
    response = client.post(reverse("web:staff_employer_verify", args=[pending.pk]), {"decision": "verify"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Employer.Status.PENDING


# -- job seekers ----------------------------------------------------------------------------------

def test_a_kecamatan_officer_sees_only_their_kecamatans_seekers(login, disnaker_kecamatan_b, make_seeker):
    in_a, in_b = make_seeker(DESA_A), make_seeker(DESA_B)
    client = login(disnaker_kecamatan_b)
    page = client.get(reverse("web:staff_seeker_list")).content.decode()
    assert in_b.ak1_number in page
    assert in_a.ak1_number not in page
    assert client.get(reverse("web:staff_seeker_detail", args=[in_a.pk])).status_code == 404
    assert client.get(reverse("web:staff_seeker_detail", args=[in_b.pk])).status_code == 200


def test_the_seeker_list_filters(login, disnaker, make_seeker):
    in_a = make_seeker(DESA_A, education=8)
    in_b = make_seeker(DESA_B, education=3)
    client = login(disnaker)

    def listed(**params):
        page = client.get(reverse("web:staff_seeker_list"), params).content.decode()
        return {s.ak1_number for s in (in_a, in_b) if s.ak1_number in page}

    assert listed() == {in_a.ak1_number, in_b.ak1_number}
    assert listed(kecamatan=KECAMATAN_A) == {in_a.ak1_number}
    assert listed(kecamatan=DESA_B[:6], desa=DESA_B) == {in_b.ak1_number}
    assert listed(education=7) == {in_a.ak1_number}
    assert listed(status="placed") == set()
    this_month = timezone.localdate().strftime("%Y-%m")
    assert listed(month=this_month) == {in_a.ak1_number, in_b.ak1_number}
    JobSeeker.objects.filter(pk=in_b.pk).update(created_at=timezone.now() - datetime.timedelta(days=70))
    assert listed(month=this_month) == {in_a.ak1_number}


def test_the_nik_is_masked_for_disnaker_officers_and_whole_for_administrators(login, disnaker, admin, seeker):
    nik = seeker.person.nik
    for user, shown, hidden in ((disnaker, mask_nik(nik), nik), (admin, nik, mask_nik(nik))):
        client = login(user)
        for page in (client.get(reverse("web:staff_seeker_list")),
                     client.get(reverse("web:staff_seeker_detail", args=[seeker.pk]))):
            text = page.content.decode()
            assert shown in text and hidden not in text


def test_the_seeker_page_shows_applications_and_placements_and_logs_the_read(login, disnaker, seeker, employer,
                                                                            make_vacancy):
    vacancy = make_vacancy(employer, title="Juru Masak Katering")
    services.application_create(actor=disnaker, seeker=seeker, vacancy=vacancy)  # at the counter
    place(disnaker, seeker, timezone.localdate())
    response = login(disnaker).get(reverse("web:staff_seeker_detail", args=[seeker.pk]))
    text = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Juru Masak Katering" in text and "CV Sumber Rejeki" in text and seeker.ak1_number in text
    assert AuditEvent.objects.filter(actor=disnaker, action=AuditEvent.Action.VIEW,
                                     object_type="careers.jobseeker", object_id=str(seeker.pk)).exists()


# -- counter registration -------------------------------------------------------------------------

def counter_form(**changes) -> dict:
    birth = datetime.date(2001, 3, 14)
    form = {"nik": nik_for_birth(KECAMATAN_A, birth, "L", 4321), "name": "Dede Kurniawan",
            "birth_date": birth.isoformat(), "sex": "L", "desa": DESA_A, "education": "5", "major": "Teknik Mesin",
            "phone": "081298765432", "consent": "on"}
    return form | changes


def test_counter_registration_refuses_a_nik_in_scientific_notation_and_writes_nothing(login, disnaker):
    persons, events = Person.objects.count(), AuditEvent.objects.count()
    response = login(disnaker).post(reverse("web:staff_seeker_register"), counter_form(nik="3.20101E+15"))
    assert response.status_code == 200
    assert response.context["form"].errors["nik"]
    assert not JobSeeker.objects.exists()
    assert Person.objects.count() == persons and AuditEvent.objects.count() == events


def test_counter_registration_without_consent_is_refused(login, disnaker):
    form = counter_form()
    del form["consent"]
    response = login(disnaker).post(reverse("web:staff_seeker_register"), form)
    assert response.status_code == 200 and response.context["form"].errors["consent"]
    assert not JobSeeker.objects.exists()


def test_counter_registration_registers_the_resident_by_the_staff_member(login, disnaker):
    response = login(disnaker).post(reverse("web:staff_seeker_register"), counter_form())
    seeker = JobSeeker.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:staff_seeker_detail", args=[seeker.pk])
    assert seeker.registered_by == disnaker and seeker.user is None
    assert seeker.person.name == "Dede Kurniawan" and seeker.desa_code == DESA_A and seeker.major == "Teknik Mesin"


def test_a_kecamatan_officer_registers_only_in_their_kecamatan(login, disnaker_kecamatan_b):
    response = login(disnaker_kecamatan_b).post(reverse("web:staff_seeker_register"), counter_form())
    assert response.status_code == 200 and response.context["form"].errors["desa"]
    assert not JobSeeker.objects.exists()


# -- employers and vacancies ----------------------------------------------------------------------

def test_verifying_an_employer_changes_its_state(login, disnaker, make_employer, employer_user):
    pending = make_employer(employer_user, name="PT Baru")
    client = login(disnaker)
    overview = client.get(reverse("web:staff_overview")).content.decode()
    assert "PT Baru" in overview
    client.post(reverse("web:staff_employer_verify", args=[pending.pk]), {"decision": "verify"})
    pending.refresh_from_db()
    assert pending.status == Employer.Status.VERIFIED and pending.verified_by == disnaker
    assert pending not in client.get(reverse("web:staff_employer_list")).context["page"].object_list


def test_rejecting_an_employer_needs_a_reason(login, disnaker, make_employer, employer_user):
    pending = make_employer(employer_user, name="PT Ragu")
    client = login(disnaker)
    response = client.post(reverse("web:staff_employer_verify", args=[pending.pk]), {"decision": "reject"})
    pending.refresh_from_db()
    assert pending.status == Employer.Status.PENDING
    assert texts(response) == ["Give the reason for rejecting the employer."]
    client.post(reverse("web:staff_employer_verify", args=[pending.pk]),
                {"decision": "reject", "reason": "NIB tidak terdaftar di OSS"})
    pending.refresh_from_db()
    assert pending.status == Employer.Status.REJECTED and pending.rejection_reason == "NIB tidak terdaftar di OSS"


def test_a_vacancy_of_an_unverified_employer_is_neither_verified_nor_opened(login, disnaker, make_employer,
                                                                           employer_user, make_vacancy):
    pending = make_employer(employer_user, name="PT Belum")
    vacancy = make_vacancy(pending, state="submitted")
    client = login(disnaker)
    response = client.post(reverse("web:staff_vacancy_verify", args=[vacancy.pk]), {"decision": "verify"})
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.SUBMITTED
    assert texts(response) == ["The employer PT Belum is not verified by Disnaker yet."]
    response = client.post(reverse("web:staff_vacancy_open", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.SUBMITTED


def test_a_verified_vacancy_of_an_employer_rejected_since_cannot_open(login, disnaker, employer, make_vacancy):
    vacancy = make_vacancy(employer, state="verified")
    services.employer_verify(actor=disnaker, employer=employer, approve=False, reason="Izin usaha dicabut")
    response = login(disnaker).post(reverse("web:staff_vacancy_open", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.VERIFIED
    assert texts(response) == [f"The employer {employer.name} is not verified by Disnaker yet."]


def test_vacancy_verification_verifies_sends_back_and_opens(login, disnaker, employer, make_vacancy):
    first, second = make_vacancy(employer, state="submitted"), make_vacancy(employer, state="submitted",
                                                                          title="Admin Gudang")
    client = login(disnaker)
    queue = client.get(reverse("web:staff_vacancy_list")).content.decode()
    assert first.title in queue and "Admin Gudang" in queue
    client.post(reverse("web:staff_vacancy_verify", args=[first.pk]), {"decision": "verify"})
    client.post(reverse("web:staff_vacancy_verify", args=[second.pk]),
                {"decision": "return", "note": "Cantumkan kisaran upah"})
    client.post(reverse("web:staff_vacancy_open", args=[first.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Vacancy.Status.OPEN and first.verified_by == disnaker
    assert second.status == Vacancy.Status.DRAFT and second.review_note == "Cantumkan kisaran upah"


# -- placements -----------------------------------------------------------------------------------

def test_a_placement_cannot_be_confirmed_before_three_months(login, disnaker, seeker):
    placement = place(disnaker, seeker, timezone.localdate() - datetime.timedelta(days=30))
    response = login(disnaker).post(reverse("web:staff_placement_confirm", args=[placement.pk]))
    placement.refresh_from_db()
    assert placement.confirmed_at is None
    earliest = services.placements.confirmable_from(placement)
    assert texts(response) == [f"A placement can be confirmed from {earliest.isoformat()}, "
                               "three months after the start."]


def test_a_placement_of_four_months_is_confirmed_and_leaves_the_queue(login, disnaker, seeker):
    placement = place(disnaker, seeker, timezone.localdate() - datetime.timedelta(days=125))
    client = login(disnaker)
    confirm_url = reverse("web:staff_placement_confirm", args=[placement.pk])
    assert confirm_url in client.get(reverse("web:staff_overview")).content.decode()
    client.post(confirm_url)
    placement.refresh_from_db()
    assert placement.confirmed_at is not None
    assert confirm_url not in client.get(reverse("web:staff_overview")).content.decode()


def test_a_recent_placement_is_not_in_the_confirmation_queue(login, disnaker, seeker):
    placement = place(disnaker, seeker, timezone.localdate() - datetime.timedelta(days=30))
    confirm_url = reverse("web:staff_placement_confirm", args=[placement.pk])
    assert confirm_url not in login(disnaker).get(reverse("web:staff_overview")).content.decode()


def test_the_placement_list_filters_by_month_and_kecamatan(login, disnaker, make_seeker):
    in_a, in_b = make_seeker(DESA_A), make_seeker(DESA_B)
    place(disnaker, in_a, datetime.date(2026, 1, 15))
    place(disnaker, in_b, datetime.date(2026, 2, 3))
    client = login(disnaker)

    def listed(**params):
        rows = client.get(reverse("web:staff_placement_list"), params).context["page"].object_list
        return {p.seeker_id for p in rows}

    assert listed() == {in_a.pk, in_b.pk}
    assert listed(month="2026-02") == {in_b.pk}
    assert listed(kecamatan=KECAMATAN_A) == {in_a.pk}
    assert Placement.objects.count() == 2


def test_the_overview_counts_what_is_in_the_region(login, disnaker_kecamatan_b, disnaker, make_seeker):
    make_seeker(DESA_A)
    in_b = make_seeker(DESA_B)
    place(disnaker, in_b, timezone.localdate())
    counts = login(disnaker_kecamatan_b).get(reverse("web:staff_overview")).context["counts"]
    assert counts["seekers"] == 1 and counts["placements"] == 1


# -- main menu ------------------------------------------------------------------------------------

def test_the_menu_links_to_the_career_center_and_training_only_for_disnaker_staff(login, disnaker, admin,
                                                                                  agency_officer, planner):
    links = (f'href="{reverse("web:staff_overview")}"', f'href="{reverse("web:training_course_list")}"')
    for user, shown in ((disnaker, True), (admin, True), (agency_officer, False), (planner, False)):
        page = login(user).get(reverse("web:welfare_distribution")).content.decode()
        assert all((link in page) is shown for link in links), user.username
