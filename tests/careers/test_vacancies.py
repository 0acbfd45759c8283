"""Employers verified by Disnaker, the vacancy workflow, and the public search."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from sejahtera.careers import kbli, selectors, services
from sejahtera.careers.models import Employer, Vacancy
from sejahtera.careers.selectors import VacancyFilters
from sejahtera.core.models import AuditEvent
from tests.conftest import DESA_B

pytestmark = pytest.mark.django_db


def test_kbli_list_ships_with_the_package():
    assert kbli.title("10710") == "Industri Produk Roti Dan Kue"
    assert kbli.is_valid_code("A") and kbli.is_valid_code("10.710")
    assert not kbli.is_valid_code("99999")
    assert len(kbli.all_industries(level=5)) > 1500


@pytest.mark.parametrize(("field", "value"), [("nib", "12345"), ("nib", "12345678901ab"), ("kbli_code", "99999")])
def test_an_employer_with_a_bad_nib_or_kbli_is_refused(employer_user, field, value):
    fields = dict(name="PT Salah", nib="9120000000001", kbli_code="10710", address="Jl. A", desa_code="3201011001",
                  contact_name="Sari", contact_phone="0812")
    with pytest.raises(ValidationError) as error:
        services.employer_register(actor=employer_user, **{**fields, field: value})
    assert field in error.value.message_dict
    assert not Employer.objects.exists()


def test_a_registered_employer_waits_and_its_account_is_a_member(make_employer, employer_user):
    employer = make_employer(employer_user)
    assert employer.status == Employer.Status.PENDING
    assert list(employer.users.all()) == [employer_user]
    assert list(selectors.employers_of(employer_user)) == [employer]


def test_only_disnaker_verifies_employers(make_employer, employer_user, agency_officer, disnaker_kecamatan_b,
                                          disnaker):
    employer = make_employer(employer_user)  # in DESA_A
    for outsider in (employer_user, agency_officer, disnaker_kecamatan_b):
        with pytest.raises(PermissionDenied):
            services.employer_verify(actor=outsider, employer=employer)
    assert list(selectors.employer_review_queue(disnaker)) == [employer]
    assert list(selectors.employer_review_queue(disnaker_kecamatan_b)) == []
    services.employer_verify(actor=disnaker, employer=employer)
    employer.refresh_from_db()
    assert (employer.status, employer.verified_by) == (Employer.Status.VERIFIED, disnaker)
    assert employer_user.career_notifications.filter(text__contains="verified").exists()


def test_a_rejection_needs_a_reason(make_employer, employer_user, disnaker):
    employer = make_employer(employer_user)
    with pytest.raises(ValidationError):
        services.employer_verify(actor=disnaker, employer=employer, approve=False)
    services.employer_verify(actor=disnaker, employer=employer, approve=False, reason="NIB tidak ditemukan di OSS")
    employer.refresh_from_db()
    assert (employer.status, employer.rejection_reason) == (Employer.Status.REJECTED, "NIB tidak ditemukan di OSS")


def test_an_unverified_employers_vacancy_can_neither_be_verified_nor_opened(make_employer, employer_user, disnaker):
    employer = make_employer(employer_user)
    vacancy = services.vacancy_create(actor=employer_user, employer=employer, title="Kasir", kbji_code="5230",
                                      description="Melayani pembayaran.",
                                      deadline=timezone.localdate() + datetime.timedelta(days=10))
    vacancy = services.vacancy_submit(actor=employer_user, vacancy=vacancy)
    with pytest.raises(ValidationError, match="not verified"):
        services.vacancy_verify(actor=disnaker, vacancy=vacancy)
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.VERIFIED)  # verified before a withdrawal
    vacancy.refresh_from_db()
    with pytest.raises(ValidationError, match="not verified"):
        services.vacancy_open(actor=employer_user, vacancy=vacancy)
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.VERIFIED
    assert not selectors.vacancy_search().exists()


def test_the_workflow_refuses_skipped_and_backward_steps(make_vacancy, employer, employer_user, disnaker):
    draft = make_vacancy(employer, state="draft")
    with pytest.raises(ValidationError, match="cannot go from"):
        services.vacancy_open(actor=employer_user, vacancy=draft)
    with pytest.raises(ValidationError, match="cannot go from"):
        services.vacancy_verify(actor=disnaker, vacancy=draft)
    opened = make_vacancy(employer)
    assert opened.opened_at is not None and opened.verified_by == disnaker
    with pytest.raises(ValidationError, match="cannot go from"):
        services.vacancy_submit(actor=employer_user, vacancy=opened)
    filled = services.vacancy_fill(actor=employer_user, vacancy=opened)
    for step in (services.vacancy_open, services.vacancy_close):
        with pytest.raises(ValidationError, match="cannot go from"):
            step(actor=employer_user, vacancy=filled)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.vacancy_update(actor=employer_user, vacancy=filled, title="Operator Mesin")


def test_disnaker_can_send_a_vacancy_back_to_draft_with_a_note(make_vacancy, employer, employer_user, disnaker):
    submitted = make_vacancy(employer, state="submitted")
    returned = services.vacancy_verify(actor=disnaker, vacancy=submitted, approve=False, note="Upah di bawah UMK")
    assert (returned.status, returned.review_note) == (Vacancy.Status.DRAFT, "Upah di bawah UMK")
    services.vacancy_update(actor=employer_user, vacancy=returned, wage_min=4_900_000, wage_max=5_500_000)
    assert services.vacancy_submit(actor=employer_user, vacancy=returned).review_note == ""


def test_only_the_employers_accounts_or_disnaker_write_its_vacancies(make_vacancy, employer, resident, disnaker):
    vacancy = make_vacancy(employer, state="draft")
    with pytest.raises(PermissionDenied):
        services.vacancy_submit(actor=resident, vacancy=vacancy)
    with pytest.raises(PermissionDenied):
        services.vacancy_create(actor=resident, employer=employer, title="X", kbji_code="5230", description="x",
                                deadline=timezone.localdate())
    assert services.vacancy_submit(actor=disnaker, vacancy=vacancy).status == Vacancy.Status.SUBMITTED


@pytest.mark.parametrize(("fields", "field"), [
    ({"wage_min": 5_000_000, "wage_max": 4_000_000}, "wage_max"),
    ({"age_min": 30, "age_max": 20}, "age_max"),
    ({"age_min": 12}, "age_min"),
    ({"openings": 0}, "openings"),
    ({"kbji_code": "12345"}, "kbji_code"),
])
def test_inconsistent_requirements_are_refused(make_vacancy, employer, fields, field):
    with pytest.raises(ValidationError) as error:
        make_vacancy(employer, state="draft", **fields)
    assert field in error.value.message_dict
    assert not Vacancy.objects.exists()


def test_vacancy_writes_are_audited(make_vacancy, employer):
    vacancy = make_vacancy(employer)
    events = AuditEvent.objects.filter(object_type="careers.vacancy", object_id=str(vacancy.pk))
    assert [e.changes.get("status", [None, None])[1] for e in events.order_by("id")] == [
        "draft", "submitted", "verified", "open"]


def test_only_open_vacancies_before_their_deadline_are_public(make_vacancy, employer):
    public = make_vacancy(employer, title="Operator Produksi")
    make_vacancy(employer, state="verified", title="Belum dibuka")
    closed = make_vacancy(employer, title="Ditutup")
    closed = services.vacancy_close(actor=closed.employer.members.get().user, vacancy=closed)
    expired = make_vacancy(employer, title="Kedaluwarsa")
    Vacancy.objects.filter(pk=expired.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert list(selectors.vacancy_search()) == [public]
    assert selectors.vacancy_get_public(public.pk) == public
    for hidden in (closed, expired):
        with pytest.raises(Http404):
            selectors.vacancy_get_public(hidden.pk)


def test_search_filters(make_vacancy, employer, make_employer, make_user, disnaker):
    welder = make_vacancy(employer, title="Tukang Las", kbji_code="7212", min_education=4, wage_min=4_000_000,
                          wage_max=5_000_000, employment_type="contract")
    other_user = make_user("agency_officer", "3201", agency="disnaker", username="x")  # any verified employer
    employer_b = services.employer_verify(actor=disnaker, employer=make_employer(other_user, name="CV Sejahtera",
                                                                                  desa=DESA_B))
    cashier = services.vacancy_open(actor=other_user, vacancy=services.vacancy_verify(
        actor=disnaker, vacancy=services.vacancy_submit(actor=other_user, vacancy=services.vacancy_create(
            actor=other_user, employer=employer_b, title="Kasir Minimarket", kbji_code="5230", min_education=5,
            description="Melayani pembeli", deadline=timezone.localdate() + datetime.timedelta(days=5)))))

    def search(**filters):
        return set(selectors.vacancy_search(VacancyFilters(**filters)))

    assert search() == {welder, cashier}
    assert search(kbji="72") == {welder}
    assert search(kbji="5") == {cashier}
    assert search(education=4) == {welder}
    assert search(kecamatan=DESA_B[:6]) == {cashier}
    assert search(wage=4_500_000) == {welder}
    assert search(employment_type="contract") == {welder}
    assert search(q="kasir") == {cashier}
    assert search(q="sejahtera") == {cashier}  # the employer's name
    assert search(q="las tukang") == {welder}
