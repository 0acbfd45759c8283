"""Registering job seekers: NIK checks, the registry person, the AK/1 card, who may register."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sejahtera.careers import services
from sejahtera.careers.models import JobSeeker
from sejahtera.careers.services.registry_link import NO_FAMILY_WARNING
from sejahtera.careers.services.seekers import ak1_valid_until
from sejahtera.core.models import AuditEvent
from sejahtera.registry.identity import nik_for_birth
from sejahtera.registry.models import Person
from tests.careers.conftest import HEAD_BIRTH
from tests.conftest import DESA_A, DESA_B

pytestmark = pytest.mark.django_db


def register(actor, nik, **fields):
    defaults = dict(name="Dede Kurnia", sex="L", birth_date=datetime.date(2001, 3, 4), desa_code=DESA_A,
                    consent=True, education=5)
    return services.seeker_register(actor=actor, nik=nik, **{**defaults, **fields})


@pytest.mark.parametrize(("nik", "reason"), [
    ("3.20101E+15", "damaged by Excel"),
    ("320101170580001", "exactly 16 digits"),
    ("3201011705800A01", "only digits"),
    ("3201019913800001", "not a real birth date"),
])
def test_a_bad_nik_is_refused_with_the_reason(disnaker, nik, reason):
    with pytest.raises(ValidationError) as error:
        register(disnaker, nik)
    assert reason in " ".join(error.value.message_dict["nik"])
    assert not JobSeeker.objects.exists()
    assert not Person.objects.filter(name="Dede Kurnia").exists()


def test_a_registered_nik_links_the_seeker_to_the_registry_person(disnaker, registered_person):
    persons_before = Person.objects.count()
    seeker = register(disnaker, registered_person.nik, birth_date=HEAD_BIRTH, name="", sex="")
    assert seeker.person == registered_person
    assert seeker.desa_code == registered_person.desa_id
    assert Person.objects.count() == persons_before


@pytest.mark.parametrize("birth_date", [datetime.date(1985, 1, 1), None])
def test_a_registered_nik_without_its_birth_date_is_refused(resident, registered_person, birth_date):
    with pytest.raises(ValidationError) as error:
        register(resident, registered_person.nik, birth_date=birth_date)
    assert "does not match" in " ".join(error.value.message_dict["birth_date"])
    assert not JobSeeker.objects.exists()


def test_an_account_holds_one_registration(resident, registered_person):
    register(resident, registered_person.nik, birth_date=HEAD_BIRTH)
    with pytest.raises(ValidationError, match="already belongs"):
        register(resident, nik_for_birth(DESA_A[:6], datetime.date(2001, 3, 4), "L", 90))


def test_an_unknown_nik_adds_a_person_without_family_flagged_for_the_operator(disnaker):
    nik = nik_for_birth(DESA_B[:6], datetime.date(2001, 3, 4), "L", 77)
    seeker = register(disnaker, nik, desa_code=DESA_B)
    person = seeker.person
    assert (person.nik, person.name, person.desa_id, person.family_id) == (nik, "Dede Kurnia", DESA_B, None)
    assert person.has_warnings and NO_FAMILY_WARNING in [w["code"] for w in person.warnings]
    assert AuditEvent.objects.filter(object_type="registry.person", object_id=str(person.pk),
                                     action=AuditEvent.Action.CREATE).exists()


def test_an_unknown_nik_without_name_and_birth_date_is_refused(disnaker):
    nik = nik_for_birth(DESA_A[:6], datetime.date(2001, 3, 4), "L", 78)
    with pytest.raises(ValidationError, match="not in the registry"):
        services.seeker_register(actor=disnaker, nik=nik, consent=True)


def test_a_desa_outside_the_regency_is_refused(disnaker):
    nik = nik_for_birth("317101", datetime.date(2001, 3, 4), "L", 79)
    with pytest.raises(ValidationError) as error:
        register(disnaker, nik, desa_code="3171011001")
    assert "desa_code" in error.value.message_dict


def test_the_same_person_registers_once(disnaker, registered_person):
    register(disnaker, registered_person.nik, birth_date=HEAD_BIRTH)
    with pytest.raises(ValidationError, match="already registered"):
        register(disnaker, registered_person.nik, birth_date=HEAD_BIRTH)


def test_consent_to_the_privacy_notice_is_required(disnaker, registered_person):
    with pytest.raises(ValidationError) as error:
        register(disnaker, registered_person.nik, birth_date=HEAD_BIRTH, consent=False)
    assert "consent" in error.value.message_dict


def test_ak1_numbers_are_unique_per_regency_and_year_and_valid_two_years(make_seeker):
    seekers = [make_seeker() for _ in range(3)]
    year, today = timezone.localdate().year, timezone.localdate()
    numbers = [s.ak1_number for s in seekers]
    assert numbers == [f"3201-{year}-{n:06d}" for n in (1, 2, 3)]
    assert all(re.fullmatch(r"\d{4}-\d{4}-\d{6}", n) for n in numbers)
    assert all(s.ak1_issued_on == today for s in seekers)
    assert all(s.ak1_valid_until == today.replace(year=today.year + 2) or today.month == 2 and today.day == 29
               for s in seekers)


def test_an_ak1_card_issued_on_29_february_runs_to_28_february():
    assert ak1_valid_until(datetime.date(2024, 2, 29)) == datetime.date(2026, 2, 28)
    assert ak1_valid_until(datetime.date(2026, 7, 1)) == datetime.date(2028, 7, 1)


def test_counter_staff_are_recorded_and_self_registration_is_not(disnaker, resident):
    by_staff = register(disnaker, nik_for_birth(DESA_A[:6], datetime.date(2001, 3, 4), "L", 81))
    by_self = register(resident, nik_for_birth(DESA_A[:6], datetime.date(2001, 3, 4), "L", 82))
    anonymous = register(None, nik_for_birth(DESA_A[:6], datetime.date(2001, 3, 4), "L", 83))
    assert (by_staff.registered_by, by_staff.user) == (disnaker, None)
    assert (by_self.registered_by, by_self.user) == (None, resident)
    assert (anonymous.registered_by, anonymous.user) == (None, None)


def test_staff_of_another_agency_or_kecamatan_cannot_register(make_user, agency_officer, disnaker_kecamatan_b):
    nik = nik_for_birth(DESA_A[:6], datetime.date(2001, 3, 4), "L", 84)
    for actor in (agency_officer, disnaker_kecamatan_b):  # Dinsos officer; Disnaker of another kecamatan
        with pytest.raises(PermissionDenied):
            register(actor, nik)
    assert not Person.objects.filter(nik=nik).exists()


def test_registration_and_update_are_audited_with_profile_lists(disnaker, make_seeker):
    seeker = make_seeker(skills=["Microsoft  Excel", "microsoft excel", "Las listrik"],
                         desired_kbji=["7212", "8160"], work_areas=["32.01.01", "320102"])
    assert sorted(s.normalized for s in seeker.skills.all()) == ["las listrik", "microsoft excel"]
    assert sorted(seeker.desired_occupations.values_list("kbji_code", flat=True)) == ["7212", "8160"]
    assert sorted(seeker.work_areas.values_list("kecamatan_code", flat=True)) == ["320101", "320102"]
    services.seeker_update(actor=disnaker, seeker=seeker, expected_wage=4_800_000, desired_kbji=["7212"])
    assert list(seeker.desired_occupations.values_list("kbji_code", flat=True)) == ["7212"]
    events = AuditEvent.objects.filter(object_type="careers.jobseeker", object_id=str(seeker.pk))
    assert sorted(events.values_list("action", flat=True)) == ["create", "update"]
    assert events.get(action="update").changes["expected_wage"] == [None, 4_800_000]


def test_an_unknown_kbji_code_is_refused(disnaker, make_seeker):
    with pytest.raises(ValidationError, match="KBJI"):
        make_seeker(desired_kbji=["9999"])


def test_only_the_seeker_or_disnaker_may_update(make_seeker, resident, employer_user):
    seeker = make_seeker(user=resident)
    services.seeker_update(actor=resident, seeker=seeker, major="Teknik Mesin")
    with pytest.raises(PermissionDenied):
        services.seeker_update(actor=employer_user, seeker=seeker, major="Akuntansi")
    seeker.refresh_from_db()
    assert seeker.major == "Teknik Mesin"
