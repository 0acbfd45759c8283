"""Shared by the monitoring tests: a generated, scored regency with programme, training and
career-center activity made through the services, and the monitoring aggregates refreshed."""

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import translation

from sejahtera.accounts.models import Agency, Membership, User
from sejahtera.accounts.roles import Role
from sejahtera.careers import services as careers
from sejahtera.monitoring.computations import refresh_aggregates
from sejahtera.programs import services as programs
from sejahtera.programs.models import Enrolment, Programme
from sejahtera.registry.models import Person
from sejahtera.training import services as training
from tests.programs.conftest import REGENCY, write_scored

TODAY = datetime.date(2026, 11, 28)
YEAR = TODAY.year


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def staff(role, agency=None, region=REGENCY, name=None) -> User:
    user = User.objects.create_user(username=name or f"{role}-{agency}-{region}", password="x")
    Membership.objects.create(user=user, role=role, region_id=region,
                              agency=Agency.objects.get(code=agency) if agency else None)
    return user


@dataclass
class Scenario:
    pbi_cycle: object
    s1_cycle: object
    batches: list
    placements: list


def _cycle(code, agency, label, period, *, approve_every=1):
    officer = User.objects.get(username=f"agency_officer-{agency}-{REGENCY}")
    head = User.objects.get(username=f"agency_head-{agency}-{REGENCY}")
    verifier = User.objects.get(username="verifier")
    cycle = programs.cycle_create(actor=officer, programme=Programme.objects.get(code=code), label=label,
                                  starts_on=period[0], ends_on=period[1])
    cycle = programs.cycle_open(actor=officer, cycle=cycle)
    programs.enrolments_verify(actor=verifier, cycle=cycle, ids_or_filter=None)
    ids = list(Enrolment.objects.filter(cycle=cycle).order_by("priority").values_list("pk", flat=True))
    programs.enrolments_approve(actor=head, cycle=cycle, ids_or_filter=ids[::approve_every])
    return cycle


def build() -> Scenario:
    for agency in ("dinkes", "disdik"):
        staff(Role.AGENCY_OFFICER, agency)
        staff(Role.AGENCY_HEAD, agency)
    staff(Role.KECAMATAN_VERIFIER, name="verifier")
    disnaker = staff(Role.AGENCY_OFFICER, "disnaker", name="disnaker")
    # PBI Daerah for the year (every other candidate), S1 scholarships from August.
    pbi = _cycle("pbi-jkn-daerah", "dinkes", "2026", (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
                 approve_every=2)
    s1 = _cycle("beasiswa-s1", "disdik", "2026", (datetime.date(2026, 8, 1), datetime.date(2027, 7, 31)))
    # BLK: two batches (February and September), adults of the registry applying, then selected.
    adults = list(Person.objects.filter(merged_into__isnull=True, birth_date__lte=datetime.date(2000, 1, 1),
                                        birth_date__gte=datetime.date(1985, 1, 1)).order_by("pk")[:24])
    course = training.course_create(actor=disnaker, regency_code=REGENCY, code="las", name="Las Listrik",
                                    vocation="Welding", hours=240)
    batches = []
    for n, (start, end, people) in enumerate([
            (datetime.date(2026, 2, 2), datetime.date(2026, 4, 30), adults[:8]),
            (datetime.date(2026, 9, 1), datetime.date(2026, 10, 30), adults[8:14])], start=1):
        batch = training.batch_create(actor=disnaker, course=course, label=f"2026-{n}", starts_on=start, ends_on=end,
                                      capacity=5, desa_code=people[0].desa_id)
        batch = training.batch_open(actor=disnaker, batch=batch)
        for person in people:
            training.trainee_apply(actor=disnaker, batch=batch, person=person)
        training.batch_select(actor=disnaker, batch=batch)
        batches.append(batch)
    # Career center: seekers from the registry placed in March, October and, one, last year.
    placements = []
    for person, start in zip(adults[14:19], [datetime.date(2026, 3, 2), datetime.date(2026, 3, 20),
                                             datetime.date(2026, 10, 1), datetime.date(2026, 10, 5),
                                             datetime.date(2025, 12, 1)], strict=True):
        seeker = careers.seeker_register(actor=disnaker, nik=person.nik, consent=True, name=person.name,
                                         sex=person.sex, birth_date=person.birth_date, desa_code=person.desa_id)
        placements.append(careers.placement_record(actor=disnaker, seeker=seeker, position="Operator",
                                                   contract_type="fixed_term", start_date=start,
                                                   employer_name="PT Uji Coba"))
    return Scenario(pbi, s1, batches, placements)


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker):
    """The regency written, scored and worked on once for the module, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        write_scored(400, 7)
        made = build()
        refresh_aggregates(YEAR, today=TODAY)
        yield made
        transaction.set_rollback(True)
