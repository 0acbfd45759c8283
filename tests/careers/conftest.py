"""Shared by the career-center tests: Disnaker staff, registry persons, employers and vacancies."""

import datetime

import pytest
from django.utils import timezone, translation

from sejahtera.accounts.models import User
from sejahtera.accounts.roles import Role
from sejahtera.careers import services
from sejahtera.registry.identity import nik_for_birth
from tests.conftest import DESA_A, DESA_B, REGENCY

HEAD_BIRTH = datetime.date(1980, 5, 17)


@pytest.fixture(autouse=True)
def english_messages():
    """The tests match the services' messages in their English source form."""
    with translation.override("en"):
        yield


@pytest.fixture
def disnaker(make_user):
    """A Disnaker officer for the whole regency (counter staff, verifier)."""
    return make_user(Role.AGENCY_OFFICER, REGENCY, agency="disnaker", username="disnaker")


@pytest.fixture
def disnaker_kecamatan_b(make_user):
    """A Disnaker officer whose scope is only the kecamatan of DESA_B."""
    return make_user(Role.AGENCY_OFFICER, DESA_B[:6], agency="disnaker", username="disnaker-b")


@pytest.fixture
def resident(db):
    return User.objects.create_user(username="warga", password="rahasia-uji-123")


@pytest.fixture
def registered_person(make_family, operator_a):
    """The head of a family in DESA_A, as the registry holds him (NIK serial 1)."""
    return make_family(operator_a).members.get()


@pytest.fixture
def make_seeker(disnaker):
    """Register a new resident of ``desa`` (not in the registry) as a job seeker at the counter."""
    serials = iter(range(500, 9999))

    def make(desa: str = DESA_A, *, user=None, birth=datetime.date(1999, 8, 9), sex="P", **fields):
        nik = nik_for_birth(desa[:6], birth, sex, next(serials))
        return services.seeker_register(actor=disnaker, nik=nik, name="Neng Rina", sex=sex, birth_date=birth,
                                        desa_code=desa, consent=True, user=user,
                                        education=fields.pop("education", 5), **fields)

    return make


@pytest.fixture
def employer_user(db):
    return User.objects.create_user(username="hrd-pt-maju", password="rahasia-uji-123")


@pytest.fixture
def make_employer(db):
    nibs = iter(range(1, 9999))

    def make(user, *, name="PT Maju Jaya", desa=DESA_A):
        return services.employer_register(
            actor=user, name=name, nib=f"9120{next(nibs):09d}", kbli_code="10710", address="Jl. Industri 5",
            desa_code=desa, contact_name="Ibu Sari", contact_phone="081234567890")

    return make


@pytest.fixture
def employer(make_employer, employer_user, disnaker):
    """A verified employer in DESA_A with one account."""
    return services.employer_verify(actor=disnaker, employer=make_employer(employer_user))


@pytest.fixture
def make_vacancy(employer_user, disnaker):
    def make(employer, *, state="open", openings=1, deadline=None, **fields):
        vacancy = services.vacancy_create(
            actor=employer_user, employer=employer, title=fields.pop("title", "Operator Produksi"),
            kbji_code=fields.pop("kbji_code", "8160"), description="Mengoperasikan mesin pengolahan makanan.",
            deadline=deadline or timezone.localdate() + datetime.timedelta(days=30), openings=openings, **fields)
        steps = [("submitted", services.vacancy_submit, employer_user),
                 ("verified", services.vacancy_verify, disnaker), ("open", services.vacancy_open, employer_user)]
        states = ["draft"] + [name for name, _step, _actor in steps]
        for _name, step, actor in steps[:states.index(state)]:
            vacancy = step(actor=actor, vacancy=vacancy)
        return vacancy

    return make


@pytest.fixture
def open_vacancy(make_vacancy, employer):
    return make_vacancy(employer)
