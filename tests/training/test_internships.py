"""Internships: slots at verified employers, assignment within the openings, conversion to a job
through the career center's placement."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sejahtera.accounts.roles import Role
from sejahtera.careers.models import Employer, JobSeeker, Placement
from sejahtera.registry.models import Person
from sejahtera.training import selectors, services
from sejahtera.training.models import Internship
from tests.conftest import DESA_A, DESA_B, KECAMATAN_A, REGENCY
from tests.training.conftest import seeker_for

pytestmark = pytest.mark.django_db


def employer(status=Employer.Status.VERIFIED, nib="1234567890123") -> Employer:
    return Employer.objects.create(name="PT Indah Kiat Bogor", nib=nib, kbli_code="25111", address="Jl. Industri 5",
                                   desa_code=DESA_A, contact_name="Dedi", contact_phone="0812000111", status=status)


@pytest.fixture
def slot(disnaker):
    return services.slot_create(actor=disnaker, employer=employer(), title="Magang Operator Las", kbji_code="7212",
                                openings=2, months=6, stipend=1_500_000, starts_on=datetime.date(2026, 3, 1),
                                desa_code=DESA_A)


def test_only_disnaker_creates_slots_at_verified_employers(disnaker, make_user):
    args = dict(title="Magang Admin", openings=1, months=3, starts_on=datetime.date(2026, 3, 1), desa_code=DESA_A)
    dinsos = make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos", username="dinsos")
    with pytest.raises(PermissionDenied):
        services.slot_create(actor=dinsos, employer=employer(), **args)
    with pytest.raises(ValidationError):
        services.slot_create(actor=disnaker, employer=employer(Employer.Status.PENDING, nib="9876543210987"), **args)
    with pytest.raises(ValidationError):
        services.slot_create(actor=disnaker, employer=Employer.objects.first(), **{**args, "openings": 0})


def test_assignment_within_the_openings(disnaker, slot, make_person):
    first, second, third = make_person(), make_person(), make_person()
    a = services.internship_assign(actor=disnaker, slot=slot, person=first)
    services.internship_assign(actor=disnaker, slot=slot, person=second)
    with pytest.raises(ValidationError) as error:
        services.internship_assign(actor=disnaker, slot=slot, person=third)
    assert error.value.code == "full"
    services.internship_drop(actor=disnaker, internship=a, reason="Did not come")
    services.internship_assign(actor=disnaker, slot=slot, person=third)
    assert slot.internships.filter(status__in=Internship.HOLDING).count() == 2
    assert selectors.slot_list(disnaker).get().taken == 2
    # One internship in progress at a time.
    other = services.slot_create(actor=disnaker, employer=slot.employer, title="Magang Gudang", openings=5, months=3,
                                 starts_on=datetime.date(2026, 4, 1), desa_code=DESA_A)
    with pytest.raises(ValidationError):
        services.internship_assign(actor=disnaker, slot=other, person=second)


def test_conversion_records_a_placement(disnaker, slot, make_person):
    person = make_person(employment="unemployed")
    internship = services.internship_assign(actor=disnaker, slot=slot, person=person)
    with pytest.raises(ValidationError):
        services.internship_complete(actor=disnaker, internship=internship, ended_on=datetime.date(2026, 9, 1))
    services.internship_start(actor=disnaker, internship=internship, started_on=datetime.date(2026, 3, 2))
    with pytest.raises(ValidationError) as error:
        services.internship_convert(actor=disnaker, internship=internship, position="Operator Las",
                                    contract_type="fixed_term", start_date=datetime.date(2026, 8, 1))
    assert error.value.code == "no_seeker"
    assert Internship.objects.get(pk=internship.pk).status == "active"

    seeker = seeker_for(person)
    converted = services.internship_convert(actor=disnaker, internship=internship, position="Operator Las",
                                            contract_type="fixed_term", start_date=datetime.date(2026, 8, 1),
                                            wage=4_500_000)
    placement = Placement.objects.get(person=person)
    assert (converted.status, converted.placement_id, converted.ended_on) == (
        "converted", placement.pk, datetime.date(2026, 7, 31))
    assert (placement.employer_id, placement.kbji_code, placement.start_date) == (
        slot.employer_id, "7212", datetime.date(2026, 8, 1))
    assert JobSeeker.objects.get(pk=seeker.pk).status == "placed"
    assert Person.objects.get(pk=person.pk).employment_status == "working"


def test_completion_and_scoping(disnaker, slot, make_person, operator_b, make_user):
    in_a, in_b = make_person(), make_person(operator_b, DESA_B)
    for person in (in_a, in_b):
        internship = services.internship_assign(actor=disnaker, slot=slot, person=person)
        services.internship_start(actor=disnaker, internship=internship, started_on=datetime.date(2026, 3, 2))
    done = services.internship_complete(actor=disnaker, internship=Internship.objects.get(person=in_a),
                                        ended_on=datetime.date(2026, 9, 1))
    assert (done.status, done.ended_on) == ("completed", datetime.date(2026, 9, 1))
    verifier_a = make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A, username="verifier-a")
    assert [i.person_id for i in selectors.interns(verifier_a, slot)] == [in_a.pk]
    planner = make_user(Role.PLANNER, REGENCY, agency="bappedalitbang", username="planner")
    assert not selectors.interns(planner, slot).exists()
    kec_disnaker = make_user(Role.AGENCY_OFFICER, KECAMATAN_A, agency="disnaker", username="disnaker-a")
    with pytest.raises(PermissionDenied):
        services.internship_drop(actor=kec_disnaker, internship=Internship.objects.get(person=in_b), reason="x")
