"""Decisions on probable duplicates: merge (and undo), mark distinct, NIK conflicts.

Who decides: a kecamatan verifier or a system administrator whose scope covers *both*
persons. Desa operators see the pairs of their desa in the queue but do not decide: a merge
takes a record out of the registry, which is the verifier's call (the operator registered
it). Agency staff and planners neither see nor decide.

A merge keeps the merged record (``merged_into`` is set, so it leaves every scoped
queryset), fills the survivor's empty fields from it, closes its open family membership,
moves its family history and every other row that points at it (rows of apps added later
included) to the survivor, and stores all of that in ``PersonMerge.snapshot`` so that
``merge_undo`` can put everything back.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.accounts.roles import Role
from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.registry.identity import issues_as_json, validate_nik
from sejahtera.registry.models import (
    PERSON_FIELDS,
    DuplicateCandidate,
    FamilyMembership,
    Person,
    PersonMerge,
)
from sejahtera.registry.services import mark_families_changed

DECIDING_ROLES = frozenset({Role.KECAMATAN_VERIFIER, Role.SYSTEM_ADMIN})
# Survivor fields filled from the merged record when empty on the survivor.
FILLABLE_FIELDS = ("nik", "birth_place", "occupation", "phone")
SNAPSHOT_FIELDS = [*PERSON_FIELDS, "warnings", "has_warnings", "merged_into"]
# Relations to Person that a merge handles itself (or that are history and stay put).
_OWN_RELATIONS = {
    (FamilyMembership, "person"),
    (DuplicateCandidate, "person_a"),
    (DuplicateCandidate, "person_b"),
    (PersonMerge, "survivor"),
    (PersonMerge, "merged"),
    (Person, "merged_into"),
}


# -- permissions -------------------------------------------------------------------------------

def can_decide_region(user, region_code: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not region_code:
        return False
    return user.can_edit_region(region_code) and any(
        m.role in DECIDING_ROLES and region_code.startswith(m.region_id) for m in user.active_memberships
    )


def can_decide(user, *persons: Person | None) -> bool:
    """May ``user`` decide on a pair of these persons (all inside their deciding scope)?"""
    return all(can_decide_region(user, p.desa_id) for p in persons if p is not None)


def _require_decide(actor, *persons: Person | None) -> None:
    if not can_decide(actor, *persons):
        raise PermissionDenied(_("Only a verifier whose area covers both records may decide on this pair."))


def _locked_open(candidate: DuplicateCandidate) -> DuplicateCandidate:
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != DuplicateCandidate.Status.OPEN:
        raise ValidationError(_("This pair has already been decided."))
    return candidate


def _lock_persons(*ids: int) -> dict[int, Person]:
    return {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=sorted(ids)).order_by("pk")}


def _set_nik_warnings(person: Person) -> None:
    if not person.nik:
        person.warnings, person.has_warnings = [], False
        return
    result = validate_nik(person.nik, sex=person.sex, birth_date=person.birth_date)
    person.warnings = issues_as_json(result.warnings)
    person.has_warnings = bool(result.warnings)


def _is_empty(value) -> bool:
    return value is None or value == ""


def _other_relations():
    """(model, field name, one-to-one?) of every foreign key to Person not handled here."""
    for rel in Person._meta.related_objects:
        if rel.many_to_many or not rel.field.concrete:
            continue
        if (rel.related_model, rel.field.name) in _OWN_RELATIONS:
            continue
        yield rel.related_model, rel.field.name, rel.one_to_one


# -- merge ---------------------------------------------------------------------------------------

@transaction.atomic
def duplicate_merge(*, actor, candidate: DuplicateCandidate, survivor: Person) -> PersonMerge:
    """Merge the other person of ``candidate`` into ``survivor``."""
    candidate = _locked_open(candidate)
    if candidate.person_b_id is None:
        raise ValidationError(_("A NIK conflict has no second record to merge."))
    if survivor.pk not in (candidate.person_a_id, candidate.person_b_id):
        raise ValidationError(_("The record to keep must be one of the pair."))
    persons = _lock_persons(candidate.person_a_id, candidate.person_b_id)
    survivor = persons[survivor.pk]
    merged = persons[candidate.person_b_id if survivor.pk == candidate.person_a_id else candidate.person_a_id]
    _require_decide(actor, survivor, merged)
    if survivor.merged_into_id or merged.merged_into_id:
        raise ValidationError(_("One of the two records has already been merged into another."))

    today = timezone.localdate()
    merged_before = snapshot(merged, SNAPSHOT_FIELDS)
    survivor_before = snapshot(survivor, SNAPSHOT_FIELDS)

    # 1. Fill the survivor's empty fields. A NIK moves: the merged record lets go of it first.
    filled = [name for name in FILLABLE_FIELDS
              if _is_empty(getattr(survivor, name)) and not _is_empty(getattr(merged, name))]
    if "nik" in filled:
        nik = merged.nik
        merged.nik = None
        merged.save(update_fields=["nik", "updated_at"])
        survivor.nik = nik
        _set_nik_warnings(survivor)
    for name in filled:
        if name != "nik":
            setattr(survivor, name, getattr(merged, name))

    # 2. Family history: close the merged record's open membership, then move the memberships
    #    of families the survivor was never in to the survivor; the rest stay with the merged
    #    record (they would repeat the survivor's own).
    open_membership = FamilyMembership.objects.filter(person=merged, ended_on__isnull=True).first()
    closed_membership = None
    if open_membership is not None:
        closed_membership = open_membership.pk
        open_membership.ended_on = max(today, open_membership.started_on)
        open_membership.save(update_fields=["ended_on"])
    survivor_families = set(FamilyMembership.objects.filter(person=survivor).values_list("family_id", flat=True))
    if survivor.family_id:
        survivor_families.add(survivor.family_id)
    moved_memberships = list(
        FamilyMembership.objects.filter(person=merged).exclude(family_id__in=survivor_families)
        .values_list("pk", flat=True)
    )
    FamilyMembership.objects.filter(pk__in=moved_memberships).update(person=survivor)

    # 3. Rows of other apps that point at the merged person.
    repointed: dict[str, dict[str, list]] = {}
    for model, field_name, one_to_one in _other_relations():
        rows = model._base_manager.filter(**{field_name: merged})
        if one_to_one and model._base_manager.filter(**{field_name: survivor}).exists():
            continue  # the survivor has its own; the merged record keeps its one
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            model._base_manager.filter(pk__in=ids).update(**{field_name: survivor})
            repointed.setdefault(model._meta.label_lower, {})[field_name] = [str(pk) for pk in ids]

    # 4. The merged record leaves the registry (and its family card).
    left_family = merged.family_id
    merged.family = None
    merged.merged_into = survivor
    merged.save(update_fields=["family", "merged_into", "updated_at"])
    survivor.save()
    mark_families_changed(left_family, survivor.family_id)

    merge = PersonMerge.objects.create(
        survivor=survivor, merged=merged, candidate=candidate, actor=actor,
        snapshot={
            "merged": merged_before,
            "survivor": {name: survivor_before[name] for name in [*filled, "warnings", "has_warnings"]},
            "filled": filled,
            "filled_values": {name: snapshot(survivor, [name])[name] for name in filled},
            "closed_membership": closed_membership,
            "moved_memberships": moved_memberships,
            "repointed": repointed,
        },
    )
    candidate.status = DuplicateCandidate.Status.MERGED
    candidate.decided_by, candidate.decided_at = actor, timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])

    summary = f"merged person {merged.pk} into {survivor.pk}"
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=merged, region_code=merged.desa_id,
                 changes=diff(merged_before, snapshot(merged, SNAPSHOT_FIELDS)), summary=summary)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=survivor, region_code=survivor.desa_id,
                 changes=diff(survivor_before, snapshot(survivor, SNAPSHOT_FIELDS)), summary=summary)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=candidate, region_code=candidate.desa_code,
                 changes={"status": [DuplicateCandidate.Status.OPEN, candidate.status]}, summary=summary)
    return merge


@transaction.atomic
def merge_undo(*, actor, merge: PersonMerge) -> PersonMerge:
    """Undo a merge: the merged record comes back with its family, its NIK and its rows.

    A survivor field filled by the merge is emptied again only when nobody changed it since.
    """
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge has already been undone."))
    persons = _lock_persons(merge.survivor_id, merge.merged_id)
    survivor, merged = persons[merge.survivor_id], persons[merge.merged_id]
    _require_decide(actor, survivor, merged)
    if merged.merged_into_id != survivor.pk:
        raise ValidationError(_("The merged record is no longer merged into the kept one."))
    if survivor.merged_into_id:
        raise ValidationError(_("The kept record has since been merged into another; undo that merge first."))

    data = merge.snapshot
    merged_before = snapshot(merged, SNAPSHOT_FIELDS)
    survivor_before = snapshot(survivor, SNAPSHOT_FIELDS)

    # 1. Empty again the survivor's fields the merge filled, unless changed since.
    now_values = snapshot(survivor, data.get("filled", []))
    restore = [name for name in data.get("filled", []) if now_values[name] == data["filled_values"][name]]
    for name in restore:
        setattr(survivor, name, data["survivor"][name])
    if "nik" in restore:
        _set_nik_warnings(survivor)
        survivor.save()
    # 2. The merged record as it was (its NIK only if no one else holds it now).
    original = data["merged"]
    nik = original.get("nik")
    if nik and Person.objects.filter(nik=nik).exclude(pk=merged.pk).exists():
        nik = merged.nik
    merged.nik = nik
    merged.family_id = original.get("family")
    merged.merged_into = None
    merged.warnings, merged.has_warnings = original.get("warnings", []), original.get("has_warnings", False)
    merged.save()
    if "nik" not in restore:
        survivor.save()

    # 3. Rows back to the merged record.
    FamilyMembership.objects.filter(pk__in=data.get("moved_memberships", []), person=survivor).update(person=merged)
    closed = data.get("closed_membership")
    if closed and not FamilyMembership.objects.filter(person=merged, ended_on__isnull=True).exists():
        FamilyMembership.objects.filter(pk=closed, person=merged).update(ended_on=None)
    for label, fields in data.get("repointed", {}).items():
        model = _model(label)
        for field_name, ids in fields.items():
            model._base_manager.filter(pk__in=ids, **{field_name: survivor}).update(**{field_name: merged})

    mark_families_changed(merged.family_id, survivor.family_id)
    merge.undone_by, merge.undone_at = actor, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    if merge.candidate_id:
        DuplicateCandidate.objects.filter(pk=merge.candidate_id).update(
            status=DuplicateCandidate.Status.OPEN, decided_by=None, decided_at=None, decision_note="")

    summary = f"undid the merge of person {merged.pk} into {survivor.pk}"
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=merged, region_code=merged.desa_id,
                 changes=diff(merged_before, snapshot(merged, SNAPSHOT_FIELDS)), summary=summary)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=survivor, region_code=survivor.desa_id,
                 changes=diff(survivor_before, snapshot(survivor, SNAPSHOT_FIELDS)), summary=summary)
    return merge


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


# -- distinct ------------------------------------------------------------------------------------

@transaction.atomic
def duplicate_mark_distinct(*, actor, candidate: DuplicateCandidate, reason: str = "") -> DuplicateCandidate:
    """Record that the two persons of the pair are different people; a later scan leaves the pair alone."""
    candidate = _locked_open(candidate)
    if candidate.person_b_id is None:
        raise ValidationError(_("A NIK conflict is resolved by keeping or correcting the record."))
    persons = _lock_persons(candidate.person_a_id, candidate.person_b_id)
    _require_decide(actor, *persons.values())
    candidate.status = DuplicateCandidate.Status.DISTINCT
    candidate.decided_by, candidate.decided_at = actor, timezone.now()
    candidate.decision_note = (reason or "").strip()[:255]
    candidate.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=candidate, region_code=candidate.desa_code,
                 changes={"status": [DuplicateCandidate.Status.OPEN, candidate.status]},
                 summary=candidate.decision_note)
    return candidate


# -- NIK conflicts -------------------------------------------------------------------------------

def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


INCOMING_FIELDS = ("nik", "name", "sex", "birth_date", "birth_place", "no_kk", "desa_id", "row_number")


def candidate_from_nik_conflict(*, person: Person, incoming: dict, batch_id: int | None) -> DuplicateCandidate:
    """Queue an imported row that carries ``person``'s NIK with another name or birth date.

    The importer holds such a row back (code ``nik_identity_conflict``); this puts it in the
    review queue with the incoming values, for a verifier to keep the record or correct it.
    The same conflict (same person, same incoming name and birth date) is queued once.
    """
    values = {key: _plain(incoming.get(key)) for key in INCOMING_FIELDS if incoming.get(key) not in (None, "")}
    differs = [name for name in ("name", "birth_date", "sex")
               if name in values and values[name] != _plain(getattr(person, name))]
    existing = DuplicateCandidate.objects.filter(
        person_a=person, person_b__isnull=True, source=DuplicateCandidate.Source.NIK_CONFLICT,
        status=DuplicateCandidate.Status.OPEN,
    )
    for candidate in existing:
        known = candidate.reasons.get("incoming", {})
        if known.get("name") == values.get("name") and known.get("birth_date") == values.get("birth_date"):
            return candidate
    return DuplicateCandidate.objects.create(
        person_a=person, person_b=None, desa_code=person.desa_id, probability=1.0, score=0.0,
        source=DuplicateCandidate.Source.NIK_CONFLICT, import_batch_id=batch_id,
        reasons={"nik": "same", "incoming": values, "differs": differs},
    )


@transaction.atomic
def nik_conflict_resolve(*, actor, candidate: DuplicateCandidate, apply_incoming: bool) -> DuplicateCandidate:
    """Keep the registered person as is, or correct its name/birth date/sex to the incoming values."""
    candidate = _locked_open(candidate)
    if candidate.person_b_id is not None:
        raise ValidationError(_("This pair is not a NIK conflict."))
    person = _lock_persons(candidate.person_a_id)[candidate.person_a_id]
    _require_decide(actor, person)
    if apply_incoming:
        from sejahtera.registry.services import person_update

        incoming = candidate.reasons.get("incoming", {})
        fields = {}
        if incoming.get("name"):
            fields["name"] = incoming["name"]
        if incoming.get("birth_date"):
            fields["birth_date"] = datetime.date.fromisoformat(incoming["birth_date"])
        if incoming.get("sex") in ("L", "P"):
            fields["sex"] = incoming["sex"]
        person_update(actor=actor, person=person, **fields)
        candidate.status = DuplicateCandidate.Status.CORRECTED
    else:
        candidate.status = DuplicateCandidate.Status.KEPT
    candidate.decided_by, candidate.decided_at = actor, timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=candidate, region_code=candidate.desa_code,
                 changes={"status": [DuplicateCandidate.Status.OPEN, candidate.status]})
    return candidate
