"""Referral: the unplaced seekers older than N days, with fitting batches and slots; offers and answers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sejahtera.careers import services
from sejahtera.careers.models import DesiredOccupation, JobSeeker, Placement, Referral
from sejahtera.careers.referral import referral_candidates, referrals
from sejahtera.core.models import AuditEvent
from sejahtera.training import services as training
from sejahtera.training.models import Internship, Trainee
from tests.conftest import DESA_A, DESA_B, REGENCY

pytestmark = pytest.mark.django_db


def _age(seeker: JobSeeker, days: int) -> JobSeeker:
    JobSeeker.objects.filter(pk=seeker.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
    return seeker


@pytest.fixture
def welding_batch(disnaker):
    course = training.course_create(actor=disnaker, regency_code=REGENCY, code="las", name="Las Listrik",
                                    vocation="Welding", kbji_code="7212", hours=240)
    batch = training.batch_create(actor=disnaker, course=course, label="2026-1", starts_on=datetime.date(2027, 2, 1),
                                  ends_on=datetime.date(2027, 4, 30), capacity=10, desa_code=DESA_A)
    return training.batch_open(actor=disnaker, batch=batch)


@pytest.fixture
def cashier_batch(disnaker):
    course = training.course_create(actor=disnaker, regency_code=REGENCY, code="kasir", name="Kasir",
                                    vocation="Retail", kbji_code="5230", hours=80)
    batch = training.batch_create(actor=disnaker, course=course, label="2026-1", starts_on=datetime.date(2027, 5, 3),
                                  ends_on=datetime.date(2027, 5, 31), capacity=10, desa_code=DESA_A)
    return training.batch_open(actor=disnaker, batch=batch)


@pytest.fixture
def welding_slot(disnaker, employer):
    return training.slot_create(actor=disnaker, employer=employer, title="Magang Las", openings=2, months=3,
                                starts_on=datetime.date(2027, 2, 1), desa_code=DESA_A, kbji_code="7212")


def test_lists_exactly_the_unplaced_not_in_training_older_than_n_days(make_seeker, disnaker, welding_batch,
                                                                      welding_slot, employer):
    wanted = _age(make_seeker(), 120)
    _age(make_seeker(), 30)  # too recent
    placed = _age(make_seeker(), 120)
    Placement.objects.create(person=placed.person, seeker=placed, employer_name="PT Lain", position="Kasir",
                             contract_type=Placement.ContractType.DAILY, start_date=datetime.date(2026, 1, 5))
    inactive = _age(make_seeker(), 120)
    JobSeeker.objects.filter(pk=inactive.pk).update(status=JobSeeker.Status.INACTIVE)
    training_now = _age(make_seeker(), 120)
    Trainee.objects.create(batch=welding_batch, person=training_now.person, desa_code=DESA_A,
                           status=Trainee.Status.ATTENDING, applied_at=timezone.now())
    interning = _age(make_seeker(), 120)
    Internship.objects.create(slot=welding_slot, person=interning.person, desa_code=DESA_A,
                              status=Internship.Status.ACTIVE, matched_at=timezone.now())
    applied_only = _age(make_seeker(), 120)  # applied to a batch, not yet accepted: still to refer
    Trainee.objects.create(batch=welding_batch, person=applied_only.person, desa_code=DESA_A,
                           applied_at=timezone.now())
    listed = [c.seeker.pk for c in referral_candidates(disnaker, unplaced_days=90)]
    assert listed == [wanted.pk, applied_only.pk]
    assert len(referral_candidates(disnaker, unplaced_days=20)) == 3


def test_suggestions_share_the_occupation_group_or_are_any_without_one(make_seeker, disnaker, welding_batch,
                                                                       cashier_batch, welding_slot):
    welder = _age(make_seeker(), 100)
    DesiredOccupation.objects.create(seeker=welder, kbji_code="7212.01")
    undecided = _age(make_seeker(), 100)
    by_seeker = {c.seeker.pk: c for c in referral_candidates(disnaker)}
    assert by_seeker[welder.pk].batches == [welding_batch] and by_seeker[welder.pk].slots == [welding_slot]
    assert by_seeker[undecided.pk].batches == [welding_batch, cashier_batch]
    assert by_seeker[undecided.pk].slots == [welding_slot]


def test_staff_outside_the_region_see_no_one(make_seeker, disnaker_kecamatan_b, employer_user):
    _age(make_seeker(DESA_A), 100)
    in_b = _age(make_seeker(DESA_B), 100)
    assert [c.seeker.pk for c in referral_candidates(disnaker_kecamatan_b)] == [in_b.pk]
    assert referral_candidates(employer_user) == []


def test_accepting_a_training_offer_applies_the_person_to_the_batch(make_seeker, disnaker, welding_batch):
    seeker = _age(make_seeker(), 100)
    referral = services.referral_offer(actor=disnaker, seeker=seeker, batch=welding_batch)
    assert referral.kind == Referral.Kind.TRAINING and referral.outcome == Referral.Outcome.OFFERED
    assert referral_candidates(disnaker) == []  # waiting for an answer
    assert list(referrals(disnaker, outcome="offered")) == [referral]
    with pytest.raises(ValidationError):
        services.referral_offer(actor=disnaker, seeker=seeker, batch=welding_batch)
    accepted = services.referral_accept(actor=disnaker, referral=referral)
    trainee = Trainee.objects.get(batch=welding_batch, person=seeker.person)
    assert accepted.outcome == Referral.Outcome.ACCEPTED and accepted.trainee == trainee
    assert AuditEvent.objects.filter(object_type="careers.referral", object_id=str(referral.pk)).count() == 2
    with pytest.raises(ValidationError):
        services.referral_decline(actor=disnaker, referral=referral)


def test_accepting_an_internship_offer_assigns_the_slot(make_seeker, disnaker, welding_slot):
    seeker = _age(make_seeker(), 100)
    referral = services.referral_offer(actor=disnaker, seeker=seeker, slot=welding_slot)
    services.referral_accept(actor=disnaker, referral=referral)
    internship = Internship.objects.get(slot=welding_slot, person=seeker.person)
    assert Referral.objects.get(pk=referral.pk).internship == internship


def test_only_disnaker_of_the_region_offers_and_one_target(make_seeker, disnaker, disnaker_kecamatan_b,
                                                           welding_batch, welding_slot):
    seeker = make_seeker(DESA_A)
    with pytest.raises(PermissionDenied):
        services.referral_offer(actor=disnaker_kecamatan_b, seeker=seeker, batch=welding_batch)
    with pytest.raises(ValidationError):
        services.referral_offer(actor=disnaker, seeker=seeker, batch=welding_batch, slot=welding_slot)
    declined = services.referral_decline(actor=disnaker, referral=services.referral_offer(
        actor=disnaker, seeker=seeker, slot=welding_slot))
    assert declined.outcome == Referral.Outcome.DECLINED and not Internship.objects.exists()
