"""Selection by priority on a generated, scored regency: poor families (desil 1-4) first, then the
unemployed, then application order, never beyond the capacity; overlapping batches refused."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sejahtera.core.models import AuditEvent
from sejahtera.programs.models import Cycle, Programme
from sejahtera.registry.models import Person
from sejahtera.training import services
from sejahtera.training.models import Trainee
from sejahtera.welfare.models import WelfareScore
from tests.programs.conftest import scored_once_per_module

pytestmark = pytest.mark.django_db
registry = scored_once_per_module(300, 23)

REASONS = {
    (True, True): "Member of a poor family (desil 1-4) and unemployed",
    (True, False): "Member of a poor family (desil 1-4)",
    (False, True): "Unemployed, looking for work",
    (False, False): "Application order",
}


def adults(n: int, skip: int = 0) -> list[Person]:
    """``n`` adults of the regency; every third made unemployed so all four groups occur."""
    persons = list(Person.objects.filter(birth_date__range=(datetime.date(1976, 1, 1), datetime.date(2007, 1, 1)),
                                         family__isnull=False).order_by("id")[skip:skip + n])
    Person.objects.filter(pk__in=[p.pk for p in persons[::3]]).update(employment_status="unemployed")
    return list(Person.objects.filter(pk__in=[p.pk for p in persons]))


def apply_all(actor, batch, persons, seed=5) -> list[Trainee]:
    """Apply everyone, then spread the application times so that they differ from id order."""
    rows = [services.trainee_apply(actor=actor, batch=batch, person=p) for p in persons]
    rng = random.Random(seed)
    base = timezone.now() - datetime.timedelta(days=10)
    for row in rows:
        Trainee.objects.filter(pk=row.pk).update(applied_at=base + datetime.timedelta(minutes=rng.randrange(10_000)))
    return list(Trainee.objects.filter(batch=batch).select_related("person"))


def expected_order(rows: list[Trainee]) -> list[Trainee]:
    """The priority order computed here, independently of the service's SQL."""
    desil = dict(WelfareScore.objects.filter(is_current=True).values_list("family_id", "desil"))

    def key(t):
        d = desil.get(t.person.family_id)
        return (0 if d is not None and d <= 4 else 1, 0 if t.person.employment_status == "unemployed" else 1,
                t.applied_at, t.pk)

    return sorted(rows, key=key)


def flags(t: Trainee, desil: dict) -> tuple[bool, bool]:
    d = desil.get(t.person.family_id)
    return (d is not None and d <= 4, t.person.employment_status == "unemployed")


def test_selection_follows_the_priority_rules(disnaker, make_batch):
    persons = adults(40)
    desil = dict(WelfareScore.objects.filter(is_current=True).values_list("family_id", "desil"))
    groups = [flags(Trainee(person=p), desil) for p in persons]
    poor = sum(1 for g in groups if g[0])
    unemployed_only = sum(1 for g in groups if g == (False, True))
    # The capacity cuts through the unemployed who are not poor: every rule decides someone.
    assert poor >= 3 and unemployed_only >= 3 and len(persons) - poor - unemployed_only >= 3
    capacity = poor + 2
    batch = make_batch(capacity=capacity)
    order = expected_order(apply_all(disnaker, batch, persons))

    with CaptureQueriesContext(connection) as captured:
        result = services.batch_select(actor=disnaker, batch=batch)
    assert len(captured) <= 12  # a handful of statements for 40 applicants: no query per trainee

    assert (result.places, result.accepted, result.waitlisted) == (capacity, capacity, 40 - capacity)
    rows = {t.pk: t for t in Trainee.objects.filter(batch=batch).select_related("person")}
    assert [rows[t.pk].priority for t in order] == list(range(1, 41))
    assert {t.pk for t in order[:capacity]} == {pk for pk, t in rows.items() if t.status == "accepted"}
    assert all(rows[t.pk].status == "waitlisted" and rows[t.pk].accepted_at is None for t in order[capacity:])
    for t in rows.values():
        assert t.priority_reason == REASONS[flags(t, desil)]
        assert t.desil == desil.get(t.person.family_id)
    audited = AuditEvent.objects.filter(object_type="training.trainee", summary=f"select {batch}")
    assert audited.count() == 40
    assert {e.changes["status"][1] for e in audited} == {"accepted", "waitlisted"}

    services.batch_start(actor=disnaker, batch=batch)
    started = AuditEvent.objects.filter(object_type="training.trainee", summary=f"start {batch}")
    assert sorted(int(e.object_id) for e in started) == sorted(t.pk for t in order[:capacity])
    assert {tuple(e.changes["status"]) for e in started} == {("accepted", "attending")}
    assert Trainee.objects.filter(batch=batch, status="attending").count() == capacity


def test_never_beyond_capacity_and_refilled_from_the_waitlist(disnaker, make_batch):
    batch = make_batch(capacity=5)
    order = expected_order(apply_all(disnaker, batch, adults(12, skip=40), seed=9))
    services.batch_select(actor=disnaker, batch=batch)
    accepted = Trainee.objects.filter(batch=batch, status="accepted")
    assert set(accepted.values_list("pk", flat=True)) == {t.pk for t in order[:5]}

    services.trainee_drop(actor=disnaker, trainee=order[1], reason="Moved to Jakarta")
    again = services.batch_select(actor=disnaker, batch=batch)
    assert (again.places, again.accepted, again.waitlisted) == (1, 1, 6)
    assert set(accepted.values_list("pk", flat=True)) == {t.pk for t in order[:6]} - {order[1].pk}
    # Full: nothing more is accepted, however often selection runs.
    assert services.batch_select(actor=disnaker, batch=batch).accepted == 0
    assert accepted.count() == 5


def test_everyone_fits(disnaker, make_batch):
    batch = make_batch(capacity=30)
    apply_all(disnaker, batch, adults(8, skip=60))
    result = services.batch_select(actor=disnaker, batch=batch)
    assert (result.accepted, result.waitlisted) == (8, 0)


def test_selection_only_while_open_or_running(disnaker, make_batch):
    batch = make_batch(status="planned")
    with pytest.raises(ValidationError):
        services.batch_select(actor=disnaker, batch=batch)
    with pytest.raises(ValidationError):
        services.trainee_apply(actor=disnaker, batch=batch, person=adults(1, skip=70)[0])


def test_overlapping_acceptance_refused(disnaker, make_batch):
    first = make_batch(starts_on=datetime.date(2026, 2, 2), ends_on=datetime.date(2026, 4, 30))
    overlapping = make_batch(starts_on=datetime.date(2026, 4, 30), ends_on=datetime.date(2026, 6, 30))
    later = make_batch(starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 6, 30))
    person, other = adults(2, skip=80)
    # Applied to both before being accepted anywhere: allowed, but selection accepts one only.
    services.trainee_apply(actor=disnaker, batch=overlapping, person=other)
    services.trainee_apply(actor=disnaker, batch=first, person=person)
    services.trainee_apply(actor=disnaker, batch=first, person=other)
    services.batch_select(actor=disnaker, batch=first)

    with pytest.raises(ValidationError) as error:
        services.trainee_apply(actor=disnaker, batch=overlapping, person=person)
    assert error.value.code == "overlap"
    assert "whose dates overlap" in error.value.messages[0]
    services.trainee_apply(actor=disnaker, batch=later, person=person)

    result = services.batch_select(actor=disnaker, batch=overlapping)
    assert (result.places, result.accepted, result.waitlisted) == (10, 0, 1)
    waiting = Trainee.objects.get(batch=overlapping, person=other)
    assert (waiting.status, waiting.priority_reason) == ("waitlisted",
                                                         "Already accepted in a batch with overlapping dates")
    with pytest.raises(ValidationError):
        services.trainee_apply(actor=disnaker, batch=first, person=person)  # the same batch twice


def test_outside_the_regency_refused(disnaker, make_batch):
    batch = make_batch()
    person = adults(1, skip=90)[0]
    Person.objects.filter(pk=person.pk).update(desa_id="3271011001")  # Kota Bogor
    person.refresh_from_db()
    with pytest.raises(ValidationError):
        services.trainee_apply(actor=disnaker, batch=batch, person=person)


def test_cycle_quota_bounds_the_linked_capacities(disnaker, course):
    programme = Programme.objects.get(code="pelatihan-blk")
    cycle = Cycle.objects.create(programme=programme, label="2026", starts_on=datetime.date(2026, 1, 1),
                                 ends_on=datetime.date(2026, 12, 31), status=Cycle.Status.OPEN, quota=20)
    other = Cycle.objects.create(programme=Programme.objects.get(code="magang"), label="2026",
                                 starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
                                 status=Cycle.Status.OPEN, quota=100)
    batch = dict(actor=disnaker, course=course, starts_on=datetime.date(2026, 3, 2),
                 ends_on=datetime.date(2026, 4, 30), desa_code="3201011001")
    services.batch_create(label="A", capacity=15, cycle=cycle, **batch)
    with pytest.raises(ValidationError) as error:
        services.batch_create(label="B", capacity=6, cycle=cycle, **batch)
    assert "quota of 20" in str(error.value)
    services.batch_create(label="B", capacity=5, cycle=cycle, **batch)
    with pytest.raises(ValidationError):
        services.batch_create(label="C", capacity=1, cycle=other, **batch)
    assert sum(cycle.training_batches.values_list("capacity", flat=True)) == 20
