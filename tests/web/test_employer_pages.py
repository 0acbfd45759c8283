"""Employer pages of the career center: registration, vacancies with the KBJI suggestion, applicants."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sejahtera.accounts.models import User
from sejahtera.careers import services
from sejahtera.careers.models import Application, ApplicationMessage, Employer, Notification, Placement, Vacancy
from sejahtera.registry.choices import EmploymentStatus
from sejahtera.registry.identity import nik_for_birth
from tests.careers.conftest import (  # noqa: F401  (fixtures)
    HEAD_BIRTH,
    disnaker,
    employer,
    employer_user,
    english_messages,
    make_employer,
    make_seeker,
    make_vacancy,
    open_vacancy,
    registered_person,
    resident,
)
from tests.conftest import DESA_A, DESA_B

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-perusahaan-9"


def registration(**changes) -> dict:
    data = {"name": "PT Las Sentosa", "nib": "9120000012345", "kbli_search": "roti", "kbli_code": "10710",
            "address": "Jl. Raya Cibinong 10", "desa_code": DESA_A, "contact_name": "Ibu Ratna",
            "contact_phone": "081298765432", "contact_email": "hrd@lassentosa.co.id", "password": PASSWORD,
            "consent": "on"}
    data.update(changes)
    return data


def vacancy_data(**changes) -> dict:
    data = {"title": "Tukang Las", "description": "Mengelas rangka baja dan pagar.", "kbji_code": "7212.99",
            "min_education": "4", "majors": "", "skills": "las listrik, membaca gambar", "age_min": "18",
            "age_max": "40", "min_experience_months": "6", "desa_code": DESA_A, "wage_min": "4500000",
            "wage_max": "5500000", "openings": "2",
            "deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
            "employment_type": "full_time"}
    data.update(changes)
    return data


@pytest.fixture
def other_employer_user(db):
    return User.objects.create_user(username="hrd-pt-lain", password="rahasia-uji-123")


@pytest.fixture
def welding_vacancy(make_vacancy, employer):
    return make_vacancy(employer, title="Tukang Las", kbji_code="7212.99", skills=["Las listrik", "Membaca gambar"],
                        age_max=40)


@pytest.fixture
def application(welding_vacancy, make_seeker, disnaker, resident):
    seeker = make_seeker(user=resident, skills=["las listrik"], desired_kbji=["7212"])
    return services.application_create(actor=disnaker, seeker=seeker, vacancy=welding_vacancy)


# -- registration ----------------------------------------------------------------------------------

def test_registration_with_a_bad_nib_is_refused_and_writes_nothing(client):
    response = client.post(reverse("web:employer_register"), registration(nib="91200000123"))
    assert response.status_code == 200
    assert "nib" in response.context["form"].errors
    assert not Employer.objects.exists()
    assert not User.objects.filter(username="hrd@lassentosa.co.id").exists()
    assert "_auth_user_id" not in client.session


def test_registration_without_consent_is_refused(client):
    response = client.post(reverse("web:employer_register"), registration(consent=""))
    assert "consent" in response.context["form"].errors
    assert not Employer.objects.exists()


def test_registration_creates_the_account_logs_in_and_waits_for_verification(client):
    response = client.post(reverse("web:employer_register"), registration())
    assert response["Location"] == reverse("web:employer_home")
    employer = Employer.objects.get()
    user = User.objects.get(username="hrd@lassentosa.co.id")
    assert (employer.nib, employer.kbli_code, employer.desa_code) == ("9120000012345", "10710", DESA_A)
    assert employer.status == Employer.Status.PENDING
    assert list(employer.users.all()) == [user]
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    html = client.get(reverse("web:employer_home")).content.decode()
    assert 'data-status="pending"' in html


def test_a_taken_nib_is_refused_and_leaves_no_account(client, make_employer, employer_user):
    make_employer(employer_user)  # NIB 9120000000001
    response = client.post(reverse("web:employer_register"), registration(nib="9120000000001"))
    assert "nib" in response.context["form"].errors
    assert not User.objects.filter(username="hrd@lassentosa.co.id").exists()


def test_the_sector_search_offers_kbli_industries(client):
    response = client.get(reverse("web:employer_kbli_options"), {"kbli_search": "roti"})
    assert 'value="10710"' in response.content.decode()
    response = client.get(reverse("web:employer_kbli_options"), {"kbli_search": "zzzz"})
    assert "value=\"1" not in response.content.decode()


def test_an_account_without_employer_is_sent_to_registration(login, resident):
    response = login(resident).get(reverse("web:employer_home"))
    assert response["Location"] == reverse("web:employer_register")


def test_pages_need_a_login(client):
    response = client.get(reverse("web:employer_vacancy_create"))
    assert response.status_code == 302 and "login" in response["Location"]


# -- vacancies -------------------------------------------------------------------------------------

def test_an_unverified_employer_drafts_and_submits_but_cannot_open(login, make_employer, employer_user):
    employer = make_employer(employer_user)
    client = login(employer_user)
    response = client.post(reverse("web:employer_vacancy_create"), vacancy_data())
    vacancy = Vacancy.objects.get(employer=employer)
    assert response["Location"] == reverse("web:employer_vacancy", args=[vacancy.pk])
    assert vacancy.status == Vacancy.Status.DRAFT
    assert (vacancy.kbji_code, vacancy.openings, vacancy.min_education) == ("7212.99", 2, 4)
    assert sorted(vacancy.skills.values_list("name", flat=True)) == ["las listrik", "membaca gambar"]

    client.post(reverse("web:employer_vacancy_submit", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.SUBMITTED

    client.post(reverse("web:employer_vacancy_open", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.SUBMITTED
    assert vacancy.opened_at is None
    detail = client.get(reverse("web:employer_vacancy", args=[vacancy.pk])).content.decode()
    assert 'data-status="submitted"' in detail and "7212.99" in detail

    home = client.get(reverse("web:employer_home"))
    assert 'data-status="submitted"' in home.content.decode()
    assert vacancy in home.context["groups"][1][2]


def test_a_verified_employer_opens_and_closes_a_verified_vacancy(login, employer, employer_user, make_vacancy):
    vacancy = make_vacancy(employer, state="verified")
    client = login(employer_user)
    client.post(reverse("web:employer_vacancy_open", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.OPEN
    client.post(reverse("web:employer_vacancy_close", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CLOSED


def test_edit_a_draft(login, employer, employer_user, make_vacancy):
    vacancy = make_vacancy(employer, state="draft")
    client = login(employer_user)
    form = client.get(reverse("web:employer_vacancy_edit", args=[vacancy.pk])).context["form"]
    assert form.initial["title"] == "Operator Produksi"
    client.post(reverse("web:employer_vacancy_edit", args=[vacancy.pk]), vacancy_data(title="Juru Las"))
    vacancy.refresh_from_db()
    assert vacancy.title == "Juru Las"


def test_invalid_ranges_are_shown_and_nothing_is_saved(login, employer, employer_user):
    client = login(employer_user)
    response = client.post(reverse("web:employer_vacancy_create"), vacancy_data(wage_min="6000000"))
    assert "wage_max" in response.context["form"].errors
    response = client.post(reverse("web:employer_vacancy_create"), vacancy_data(kbji_code=""))
    assert "kbji_code" in response.context["form"].errors
    assert not Vacancy.objects.exists()


def test_the_kbji_suggestion_offers_welders_for_tukang_las(login, employer, employer_user):
    client = login(employer_user)
    response = client.get(reverse("web:employer_kbji_suggest"), {"title": "Tukang Las", "description": ""},
                          headers={"HX-Request": "true"})
    codes = [s.code for s in response.context["suggestions"]]
    assert len(codes) == 5
    assert codes[0].startswith("7212")
    assert f'value="{codes[0]}"' in response.content.decode()


def test_the_suggest_button_works_without_javascript(login, employer, employer_user):
    client = login(employer_user)
    response = client.post(reverse("web:employer_vacancy_create"), vacancy_data(kbji_code="", suggest="1"))
    assert response.status_code == 200
    assert response.context["kbji_options"][0][0].startswith("7212")
    assert not Vacancy.objects.exists()


def test_an_employer_sees_only_its_own_vacancies_and_applicants(login, employer, make_employer, application,
                                                                other_employer_user):
    make_employer(other_employer_user, name="PT Lain")
    client = login(other_employer_user)
    vacancy = application.vacancy
    for name in ("employer_vacancy", "employer_vacancy_edit", "employer_applicants"):
        assert client.get(reverse(f"web:{name}", args=[vacancy.pk])).status_code == 404
    assert client.get(reverse("web:employer_application", args=[application.pk])).status_code == 404
    for name in ("employer_vacancy_close", "employer_vacancy_submit"):
        assert client.post(reverse(f"web:{name}", args=[vacancy.pk])).status_code == 404
    response = client.post(reverse("web:employer_application_reject", args=[application.pk]), {"reason": "x"})
    assert response.status_code == 404
    home = client.get(reverse("web:employer_home"))
    assert all(not rows for _value, _label, rows in home.context["groups"])
    application.refresh_from_db()
    assert application.status == Application.Status.APPLIED
    assert Vacancy.objects.get(pk=vacancy.pk).status == Vacancy.Status.OPEN


# -- applicants ------------------------------------------------------------------------------------

def test_applicants_show_status_and_match_with_reasons(login, employer_user, application, make_seeker, disnaker):
    other = make_seeker(DESA_B, birth=datetime.date(1970, 1, 1))
    services.application_create(actor=disnaker, seeker=other, vacancy=application.vacancy)
    response = login(employer_user).get(reverse("web:employer_applicants", args=[application.vacancy.pk]))
    rows = response.context["rows"]
    assert [a for a, _match in rows] == [application, other.applications.get()]  # the eligible one first
    best, too_old = rows[0][1], rows[1][1]
    assert best.eligible and best.score > 0
    assert (best.matched_skills, best.missing_skills) == (("las listrik",), ("membaca gambar",))
    assert any("7212" in reason for reason in best.reasons)
    assert not too_old.eligible and too_old.unmet
    html = response.content.decode()
    assert "membaca gambar" in html
    assert application.seeker.person.name in html and application.get_status_display() in html
    only_applied = login(employer_user).get(reverse("web:employer_applicants", args=[application.vacancy.pk]),
                                            {"status": "hired"})
    assert only_applied.context["rows"] == []


def test_suggested_candidates_are_eligible_seekers_without_their_nik(login, employer_user, welding_vacancy,
                                                                     make_seeker, other_employer_user,
                                                                     make_employer):
    welder = make_seeker(skills=["las listrik"], desired_kbji=["7212"])
    too_old = make_seeker(birth=datetime.date(1960, 3, 3), skills=["las listrik"], desired_kbji=["7212"])
    url = reverse("web:employer_candidates", args=[welding_vacancy.pk])
    response = login(employer_user).get(url)
    ids = [candidate.seeker_id for candidate, _education, _applied in response.context["candidates"]]
    assert welder.pk in ids and too_old.pk not in ids
    html = response.content.decode()
    assert welder.ak1_number in html
    assert welder.person.nik not in html
    make_employer(other_employer_user, name="PT Lain")
    assert login(other_employer_user).get(url).status_code == 404


def test_the_applicant_profile_has_no_nik_and_no_family(login, employer_user, open_vacancy, registered_person,
                                                        disnaker):
    nik = nik_for_birth(DESA_A[:6], HEAD_BIRTH, "L", 1)
    assert registered_person.nik == nik
    seeker = services.seeker_register(actor=disnaker, nik=nik, name=registered_person.name, sex="L",
                                      birth_date=HEAD_BIRTH, desa_code=DESA_A, consent=True, education=5)
    assert seeker.person == registered_person
    application = services.application_create(actor=disnaker, seeker=seeker, vacancy=open_vacancy)
    response = login(employer_user).get(reverse("web:employer_application", args=[application.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert seeker.ak1_number in html and registered_person.name in html
    assert nik not in html
    assert registered_person.family.no_kk not in html
    assert not hasattr(response.context["profile"], "nik")


def test_hire_records_the_placement_and_the_person_works(login, employer_user, application):
    person = application.seeker.person
    assert person.employment_status != EmploymentStatus.WORKING
    start = timezone.localdate() + datetime.timedelta(days=7)
    response = login(employer_user).post(reverse("web:employer_application_hire", args=[application.pk]), {
        "contract_type": "fixed_term", "wage": "4800000", "start_date": start.isoformat(), "position": "Juru Las"})
    assert response["Location"] == reverse("web:employer_application", args=[application.pk])
    application.refresh_from_db()
    assert application.status == Application.Status.HIRED
    placement = Placement.objects.get(application=application)
    assert (placement.contract_type, placement.wage, placement.start_date, placement.position) == (
        "fixed_term", 4800000, start, "Juru Las")
    assert placement.employer == application.vacancy.employer
    person.refresh_from_db()
    assert person.employment_status == EmploymentStatus.WORKING


def test_hire_without_a_start_date_records_nothing(login, employer_user, application):
    response = login(employer_user).post(reverse("web:employer_application_hire", args=[application.pk]),
                                         {"contract_type": "permanent"})
    assert response.status_code == 400
    assert not Placement.objects.exists()
    application.refresh_from_db()
    assert application.status == Application.Status.APPLIED


def test_reject_needs_a_reason(login, employer_user, application):
    client = login(employer_user)
    url = reverse("web:employer_application_reject", args=[application.pk])
    assert client.post(url, {"reason": "  "}).status_code == 400
    application.refresh_from_db()
    assert application.status == Application.Status.APPLIED
    client.post(url, {"reason": "Posisi sudah terisi"})
    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == (Application.Status.REJECTED, "Posisi sudah terisi")


def test_shortlist_and_invite_tell_the_seeker(login, employer_user, application, resident):
    client = login(employer_user)
    client.post(reverse("web:employer_application_shortlist", args=[application.pk]))
    client.post(reverse("web:employer_application_invite", args=[application.pk]),
                {"interview_at": "2030-01-15T09:30"})
    application.refresh_from_db()
    assert application.status == Application.Status.INVITED
    assert application.interview_at is not None
    assert Notification.objects.filter(user=resident).count() == 2


def test_a_message_notifies_the_seeker(login, employer_user, application, resident):
    assert not Notification.objects.filter(user=resident).exists()
    client = login(employer_user)
    client.post(reverse("web:employer_message_send", args=[application.pk]), {"body": "Datang hari Senin jam 9."})
    message = ApplicationMessage.objects.get()
    assert (message.application, message.sender, message.body) == (application, employer_user,
                                                                 "Datang hari Senin jam 9.")
    assert Notification.objects.filter(user=resident).count() == 1
    html = client.get(reverse("web:employer_application", args=[application.pk])).content.decode()
    assert "Datang hari Senin jam 9." in html
    assert client.post(reverse("web:employer_message_send", args=[application.pk]), {"body": ""}).status_code == 400
    assert ApplicationMessage.objects.count() == 1


def test_the_home_page_counts_applicants_and_shows_notifications(login, employer_user, application):
    response = login(employer_user).get(reverse("web:employer_home"))
    open_rows = dict((value, rows) for value, _label, rows in response.context["groups"])["open"]
    assert [(v.pk, v.applicant_count, v.active_count) for v in open_rows] == [(application.vacancy.pk, 1, 1)]
    assert response.context["unread_count"] >= 1  # "New application for ..."
    login(employer_user).post(reverse("web:employer_notifications_read"))
    assert not Notification.objects.filter(user=employer_user, read_at__isnull=True).exists()


def test_posts_need_the_csrf_token(employer_user, application, plain_http):
    client = Client(enforce_csrf_checks=True)
    client.force_login(employer_user)
    response = client.post(reverse("web:employer_application_reject", args=[application.pk]), {"reason": "x"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.APPLIED
