"""The public career-center portal: search filters, vacancy page, no login, mobile viewport."""

import datetime
import re

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sejahtera.careers import kbji
from sejahtera.careers.models import Employer, Vacancy
from sejahtera.registry.choices import Education
from tests.careers.conftest import (  # noqa: F401  shared career-center fixtures
    disnaker,
    employer,
    employer_user,
    english_messages,
    make_employer,
    make_vacancy,
)
from tests.conftest import DESA_A, DESA_B

pytestmark = pytest.mark.django_db
SEARCH = "/kerja/"


def listed(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-vacancy="(\d+)"', response.content.decode())}


@pytest.fixture
def vacancies(make_vacancy, employer):
    """Open vacancies differing in every filter, plus ones that must never be public."""
    today = timezone.localdate()
    make = make_vacancy
    rows = {
        "welder": make(employer, title="Juru Las Pipa", kbji_code="7212", min_education=Education.SENIOR_SECONDARY,
                       wage_min=4_500_000, wage_max=5_500_000),
        "driver": make(employer, title="Sopir Truk", kbji_code="8332", desa_code=DESA_B,
                       min_education=Education.JUNIOR_SECONDARY, wage_min=3_500_000, wage_max=None,
                       employment_type=Vacancy.EmploymentType.CONTRACT),
        "clerk": make(employer, title="Staf Administrasi", kbji_code="4110", min_education=Education.BACHELOR,
                      wage_min=None, wage_max=6_000_000, employment_type=Vacancy.EmploymentType.PART_TIME),
        "operator": make(employer, title="Operator Produksi", kbji_code="8160"),
        "draft": make(employer, state="draft", title="Juru Las Draf", kbji_code="7212"),
        "verified": make(employer, state="verified", title="Juru Las Belum Buka", kbji_code="7212"),
        "ends_today": make(employer, title="Juru Las Hari Ini", kbji_code="7212", deadline=today),
    }
    closed = make(employer, title="Juru Las Ditutup", kbji_code="7212")
    Vacancy.objects.filter(pk=closed.pk).update(status=Vacancy.Status.CLOSED)
    past = make(employer, title="Juru Las Lewat", kbji_code="7212")
    Vacancy.objects.filter(pk=past.pk).update(deadline=today - datetime.timedelta(days=1))
    rows["closed"], rows["past"] = closed, past
    return rows


def independent(**conditions) -> set[int]:
    """The expected result, written directly against the table."""
    public = Vacancy.objects.filter(status=Vacancy.Status.OPEN, deadline__gte=timezone.localdate(),
                                    employer__status=Employer.Status.VERIFIED)
    q = Q()
    for condition in conditions.values():
        q &= condition
    return set(public.filter(q).values_list("pk", flat=True))


def test_search_needs_no_login_and_never_lists_closed_draft_or_past(client, vacancies):
    response = client.get(SEARCH)
    assert response.status_code == 200
    shown = listed(response)
    never = {vacancies[k].pk for k in ("draft", "verified", "closed", "past")}
    assert shown == independent() and not shown & never
    assert vacancies["ends_today"].pk in shown
    assert re.search(r'<meta name="viewport" content="width=device-width, initial-scale=1">', response.content.decode())


@pytest.mark.parametrize("params, expected", [
    ({"kbji": "7"}, {"kbji": Q(kbji_code__startswith="7")}),
    ({"kbji": "8"}, {"kbji": Q(kbji_code__startswith="8")}),
    ({"education": str(Education.SENIOR_SECONDARY)},
     {"education": Q(min_education__isnull=True) | Q(min_education__lte=Education.SENIOR_SECONDARY)}),
    ({"kecamatan": DESA_B[:6]}, {"kecamatan": Q(desa_code__startswith=DESA_B[:6])}),
    ({"wage": "5000000"}, {"wage": Q(wage_max__gte=5_000_000) | Q(wage_max__isnull=True, wage_min__gte=5_000_000)}),
    ({"employment_type": "contract"}, {"type": Q(employment_type="contract")}),
    ({"q": "las"}, {"q": Q(title__icontains="las") | Q(description__icontains="las")
                    | Q(employer__name__icontains="las")}),
    ({"q": "sopir", "kecamatan": DESA_B[:6]}, {"q": Q(title__icontains="sopir"),
                                               "k": Q(desa_code__startswith=DESA_B[:6])}),
    ({"kbji": "7", "education": str(Education.JUNIOR_SECONDARY)},
     {"kbji": Q(kbji_code__startswith="7"),
      "education": Q(min_education__isnull=True) | Q(min_education__lte=Education.JUNIOR_SECONDARY)}),
])
def test_filters_return_exactly_the_matching_open_vacancies(client, vacancies, params, expected):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    expected_ids = independent(**expected)
    assert listed(response) == expected_ids
    assert expected_ids != independent()  # the filter really narrows the list


def test_invalid_filter_values_are_ignored(client, vacancies):
    response = client.get(SEARCH, {"wage": "banyak", "kecamatan": "999999", "kbji": "x"})
    assert response.status_code == 200
    assert listed(response) == independent()


def test_search_pages(client, make_vacancy, employer):
    for number in range(23):
        make_vacancy(employer, title=f"Operator {number}")
    first, second = client.get(SEARCH), client.get(SEARCH, {"page": 2})
    assert len(listed(first)) == 20 and len(listed(second)) == 3
    assert not listed(first) & listed(second)


def test_vacancy_page_shows_the_public_facts(client, vacancies):
    vacancy = vacancies["welder"]
    response = client.get(reverse("web:portal_vacancy", args=[vacancy.pk]), HTTP_ACCEPT_LANGUAGE="id")
    page = response.content.decode()
    assert response.status_code == 200
    assert vacancy.title in page and vacancy.employer.name in page
    assert kbji.title("7212") in page  # the KBJI title from the shipped list
    assert "Rp4.500.000" in page and "Rp5.500.000" in page
    assert vacancy.deadline.strftime("%Y") in page
    assert reverse("web:portal_login") in page  # the Apply button leads a visitor to log in


def test_vacancy_deadline_in_indonesian(client, vacancies):
    vacancy = vacancies["welder"]
    client.cookies["django_language"] = "id"
    page = client.get(reverse("web:portal_vacancy", args=[vacancy.pk])).content.decode()
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
              "Oktober", "November", "Desember"]
    assert f"{vacancy.deadline.day} {months[vacancy.deadline.month - 1]} {vacancy.deadline.year}" in page


@pytest.mark.parametrize("key", ["draft", "verified", "closed", "past"])
def test_vacancies_that_are_not_public_have_no_page(client, vacancies, key):
    assert client.get(reverse("web:portal_vacancy", args=[vacancies[key].pk])).status_code == 404


def test_privacy_and_registration_pages_are_public(client):
    for name in ("portal_privacy", "portal_register", "portal_login"):
        assert client.get(reverse(f"web:{name}")).status_code == 200
