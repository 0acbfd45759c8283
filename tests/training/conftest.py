"""Shared by the BLK training tests: Disnaker staff, a course, batches, persons and placements."""

import datetime
from itertools import count

import pytest
from django.utils import translation

from sejahtera.accounts.roles import Role
from sejahtera.careers.models import JobSeeker, Placement
from sejahtera.registry.models import Person
from sejahtera.training import services
from tests.conftest import DESA_A, REGENCY


@pytest.fixture(autouse=True)
def english_messages():
    """The tests match the services' messages in their English source form."""
    with translation.override("en"):
        yield


@pytest.fixture
def disnaker(make_user):
    """An officer of Disnaker for the whole regency."""
    return make_user(Role.AGENCY_OFFICER, REGENCY, agency="disnaker", username="disnaker")


@pytest.fixture
def course(disnaker):
    return services.course_create(actor=disnaker, regency_code=REGENCY, code="las-listrik",
                                  name="Las Listrik", vocation="Welding", kbji_code="7212", hours=240)


@pytest.fixture
def make_batch(disnaker, course):
    labels = count(1)

    def make(*, starts_on=datetime.date(2026, 2, 2), ends_on=datetime.date(2026, 4, 30), capacity=10,
             status="open", desa_code=DESA_A, of=None):
        batch = services.batch_create(actor=disnaker, course=of or course, label=f"2026-{next(labels)}",
                                      starts_on=starts_on, ends_on=ends_on, capacity=capacity,
                                      desa_code=desa_code, instructor="Ujang Suryana")
        if status in ("open", "running", "finished"):
            batch = services.batch_open(actor=disnaker, batch=batch)
        return batch

    return make


def start(actor, batch):
    """Select the applicants and start the batch."""
    services.batch_select(actor=actor, batch=batch)
    return services.batch_start(actor=actor, batch=batch)


@pytest.fixture
def make_person(operator_a, make_family):
    """A family head registered in ``desa`` through the registry services."""
    births = count(0)

    def make(actor=None, desa=DESA_A, *, sex="L", birth=None, employment="unemployed") -> Person:
        birth = birth or datetime.date(1995, 1, 1) + datetime.timedelta(days=37 * next(births))
        family = make_family(actor or operator_a, desa, head_sex=sex, head_birth=birth)
        person = family.members.get()
        Person.objects.filter(pk=person.pk).update(employment_status=employment)
        person.refresh_from_db()
        return person

    return make


ak1_serials = count(1)


def seeker_for(person: Person) -> JobSeeker:
    """The person's job-seeker record, written straight in the career center's tables."""
    seeker = JobSeeker.objects.filter(person=person).first()
    if seeker is None:
        serial = next(ak1_serials)
        seeker = JobSeeker.objects.create(
            person=person, ak1_number=f"{REGENCY}-2026-{serial:06d}", ak1_issued_on=datetime.date(2026, 1, 5),
            ak1_valid_until=datetime.date(2028, 1, 5), education=person.education, desa_code=person.desa_id,
            consent_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))
    return seeker


def place(person: Person, start_date: datetime.date, *, employer_name="PT Maju Jaya", position="Welder") -> Placement:
    """Record a job for ``person`` straight in the career center's tables."""
    seeker = seeker_for(person)
    return Placement.objects.create(person=person, seeker=seeker, employer_name=employer_name, position=position,
                                    contract_type=Placement.ContractType.FIXED_TERM, start_date=start_date)
