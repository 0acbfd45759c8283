"""Merging, marking distinct and undoing: history, scope and the audit log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sejahtera.core.models import AuditEvent
from sejahtera.registry import services as registry_services
from sejahtera.registry.dedup import services
from sejahtera.registry.models import DuplicateCandidate, FamilyMembership, Person, PersonMerge
from tests.conftest import DESA_A, DESA_B


def _first_and_second(candidate):
    """(the registered head with NIK, the second record without)."""
    a, b = candidate.person_a, candidate.person_b
    return (a, b) if a.nik else (b, a)


def test_merge_keeps_history_fills_fields_and_leaves_the_registry(make_pair, verifier_a, operator_a):
    candidate = make_pair()
    first, second = _first_and_second(candidate)
    second_family = second.family
    merge = services.duplicate_merge(actor=verifier_a, candidate=candidate, survivor=second)

    second.refresh_from_db()
    first.refresh_from_db()
    # The survivor took the NIK and the birth place it lacked; its own occupation stays.
    assert second.nik and first.nik is None
    assert second.birth_place == "Bogor" and second.occupation == "Petani"
    assert merge.snapshot["filled"] == ["nik", "birth_place"]
    # The merged record is kept, out of the registry and out of its family card.
    assert first.merged_into == second and first.family is None
    assert first not in Person.objects.for_user(operator_a)
    assert second in Person.objects.for_user(operator_a)
    # Its membership was closed and moved to the survivor, as history.
    moved = FamilyMembership.objects.get(pk__in=merge.snapshot["moved_memberships"])
    assert moved.person == second and moved.ended_on is not None
    assert FamilyMembership.objects.get(person=second, ended_on__isnull=True).family == second_family
    candidate.refresh_from_db()
    assert candidate.status == "merged" and candidate.decided_by == verifier_a and candidate.decided_at
    assert merge.snapshot["merged"]["nik"]
    events = AuditEvent.objects.filter(actor=verifier_a, action="update")
    assert {(e.object_type, e.object_id) for e in events} == {
        ("registry.person", str(first.pk)), ("registry.person", str(second.pk)),
        ("registry.duplicatecandidate", str(candidate.pk))}
    survivor_event = events.get(object_type="registry.person", object_id=str(second.pk))
    assert survivor_event.changes["nik"][0] is None


def test_undo_restores_everything(make_pair, verifier_a, operator_a):
    candidate = make_pair()
    first, second = _first_and_second(candidate)
    nik, family_id = first.nik, first.family_id
    memberships = sorted(FamilyMembership.objects.values_list("pk", "person_id", "family_id", "ended_on"))
    merge = services.duplicate_merge(actor=verifier_a, candidate=candidate, survivor=second)

    services.merge_undo(actor=verifier_a, merge=merge)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.merged_into is None and first.nik == nik and first.family_id == family_id
    assert second.nik is None and second.birth_place == ""
    assert sorted(FamilyMembership.objects.values_list("pk", "person_id", "family_id", "ended_on")) == memberships
    assert first in Person.objects.for_user(operator_a)
    merge.refresh_from_db()
    assert merge.undone_by == verifier_a and merge.undone_at
    candidate.refresh_from_db()
    assert candidate.status == "open" and candidate.decided_by is None
    assert AuditEvent.objects.filter(object_type="registry.person", object_id=str(first.pk),
                                     summary__contains="undid").exists()
    with pytest.raises(ValidationError):
        services.merge_undo(actor=verifier_a, merge=merge)
    # The pair can be decided again, the other way round this time.
    services.duplicate_merge(actor=verifier_a, candidate=candidate, survivor=first)
    second.refresh_from_db()
    assert second.merged_into == first
    assert PersonMerge.objects.count() == 2


def test_undo_keeps_a_field_changed_since_the_merge(make_pair, verifier_a):
    candidate = make_pair()
    first, second = _first_and_second(candidate)
    merge = services.duplicate_merge(actor=verifier_a, candidate=candidate, survivor=second)
    second.refresh_from_db()
    registry_services.person_update(actor=verifier_a, person=second, birth_place="Cibinong")
    services.merge_undo(actor=verifier_a, merge=merge)
    second.refresh_from_db()
    assert second.birth_place == "Cibinong"  # changed by hand since: kept
    assert second.nik is None  # unchanged since: the NIK went back


def test_a_decided_pair_cannot_be_decided_again(make_pair, verifier_a):
    candidate = make_pair()
    first, second = _first_and_second(candidate)
    services.duplicate_merge(actor=verifier_a, candidate=candidate, survivor=first)
    with pytest.raises(ValidationError):
        services.duplicate_merge(actor=verifier_a, candidate=candidate, survivor=first)
    with pytest.raises(ValidationError):
        services.duplicate_mark_distinct(actor=verifier_a, candidate=candidate, reason="")


def test_survivor_must_be_one_of_the_pair(make_pair, make_family, verifier_a, operator_a):
    candidate = make_pair()
    stranger = make_family(operator_a, head_name="Ujang").members.get()
    with pytest.raises(ValidationError):
        services.duplicate_merge(actor=verifier_a, candidate=candidate, survivor=stranger)


def test_desa_operators_and_agency_staff_do_not_decide(make_pair, operator_a, agency_officer):
    candidate = make_pair()
    first, _ = _first_and_second(candidate)
    for user in (operator_a, agency_officer):
        with pytest.raises(PermissionDenied):
            services.duplicate_merge(actor=user, candidate=candidate, survivor=first)
        with pytest.raises(PermissionDenied):
            services.duplicate_mark_distinct(actor=user, candidate=candidate, reason="")
    candidate.refresh_from_db()
    assert candidate.status == "open"


def test_both_persons_must_be_in_the_verifiers_area(make_pair, operator_b, verifier_a, verifier_b, admin):
    candidate = make_pair(DESA_B, actor=operator_b)
    first, second = _first_and_second(candidate)
    assert (first.desa_id, second.desa_id) == (DESA_A, DESA_B)
    for verifier in (verifier_a, verifier_b):
        with pytest.raises(PermissionDenied):
            services.duplicate_merge(actor=verifier, candidate=candidate, survivor=first)
    # A regency-wide administrator decides across kecamatan, and may undo.
    merge = services.duplicate_merge(actor=admin, candidate=candidate, survivor=first)
    with pytest.raises(PermissionDenied):
        services.merge_undo(actor=verifier_a, merge=merge)
    services.merge_undo(actor=admin, merge=merge)


def test_mark_distinct(make_pair, verifier_a):
    candidate = make_pair()
    services.duplicate_mark_distinct(actor=verifier_a, candidate=candidate, reason="  Kembar, beda orang tua  ")
    candidate.refresh_from_db()
    assert candidate.status == "distinct" and candidate.decision_note == "Kembar, beda orang tua"
    event = AuditEvent.objects.get(object_type="registry.duplicatecandidate", object_id=str(candidate.pk))
    assert event.changes == {"status": ["open", "distinct"]} and event.actor == verifier_a
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_candidates_are_scoped_like_persons(make_pair, operator_a, operator_b, agency_officer, planner, verifier_a):
    inside = make_pair()
    across = make_pair(DESA_B, actor=operator_b)
    assert set(DuplicateCandidate.objects.for_user(operator_a)) == {inside}
    assert set(DuplicateCandidate.objects.for_user(verifier_a)) == {inside}
    assert set(DuplicateCandidate.objects.for_user(operator_b)) == set()
    assert set(DuplicateCandidate.objects.for_user(agency_officer)) == {inside, across}
    assert not DuplicateCandidate.objects.for_user(planner).exists()


def test_nik_conflict_is_queued_once_and_resolved(make_family, operator_a, verifier_a):
    person = make_family(operator_a).members.get()
    incoming = {"nik": person.nik, "name": "Asep Sunandar Saputra", "birth_date": datetime.date(1980, 5, 17),
                "sex": "L", "row_number": 12}
    candidate = services.candidate_from_nik_conflict(person=person, incoming=incoming, batch_id=None)
    assert services.candidate_from_nik_conflict(person=person, incoming=incoming, batch_id=None) == candidate
    assert candidate.source == "nik_conflict" and candidate.person_b is None
    assert candidate.reasons["incoming"]["name"] == "Asep Sunandar Saputra"
    assert candidate.reasons["incoming"]["birth_date"] == "1980-05-17"
    assert candidate.reasons["differs"] == ["name"]
    assert candidate in DuplicateCandidate.objects.for_user(operator_a).open()
    with pytest.raises(ValidationError):
        services.duplicate_merge(actor=verifier_a, candidate=candidate, survivor=person)
    with pytest.raises(PermissionDenied):
        services.nik_conflict_resolve(actor=operator_a, candidate=candidate, apply_incoming=True)

    services.nik_conflict_resolve(actor=verifier_a, candidate=candidate, apply_incoming=True)
    person.refresh_from_db()
    candidate.refresh_from_db()
    assert person.name == "Asep Sunandar Saputra" and candidate.status == "corrected"
    assert AuditEvent.objects.filter(object_type="registry.person", object_id=str(person.pk),
                                     actor=verifier_a, changes__has_key="name").exists()
    other = services.candidate_from_nik_conflict(person=person, incoming={**incoming, "name": "Asep S"},
                                                 batch_id=None)
    services.nik_conflict_resolve(actor=verifier_a, candidate=other, apply_incoming=False)
    other.refresh_from_db()
    person.refresh_from_db()
    assert other.status == "kept" and person.name == "Asep Sunandar Saputra"
