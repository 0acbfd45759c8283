"""Writes to the registry. Each checks the actor's edit scope, validates, and audits."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.regions.selectors import known_kecamatan_codes
from sejahtera.registry.identity import Issue, issues_as_json, mask_nik, validate_nik, validate_no_kk
from sejahtera.registry.models import (
    FAMILY_FIELDS,
    PERSON_FIELDS,
    SURVEY_FIELDS,
    Family,
    FamilyMembership,
    HouseholdSurvey,
    Person,
)
from sejahtera.welfare.tasks import request_rescoring


def mark_families_changed(*families: Family | int | None) -> None:
    """Mark families as changed (their ``updated_at``) and have them rescored after the commit."""
    ids = [getattr(f, "pk", f) for f in families if f is not None]
    Family.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    request_rescoring()


def _require_edit_scope(actor, region_code: str) -> None:
    if not actor.can_edit_region(region_code):
        raise PermissionDenied(_("You may not change records of this region."))


def _check_no_kk(family: Family) -> None:
    result = validate_no_kk(family.no_kk, known_kecamatan=known_kecamatan_codes())
    if not result.ok:
        raise ValidationError({"no_kk": [issue.message for issue in result.errors]})
    family.no_kk = result.value
    family.warnings = issues_as_json(result.warnings)
    family.has_warnings = bool(result.warnings)
    clash = Family.objects.filter(no_kk=family.no_kk).exclude(pk=family.pk)
    if clash.exists():
        raise ValidationError({"no_kk": [_("This No. KK is already registered.")]})


def _check_nik(person: Person) -> None:
    """Validate the NIK (if any) against the person's sex and birth date; store warnings."""
    if not person.nik:
        person.nik = None
        person.warnings = issues_as_json([Issue("nik_missing", _("The person has no NIK."))])
        person.has_warnings = True
        return
    result = validate_nik(person.nik, sex=person.sex, birth_date=person.birth_date,
                          known_kecamatan=known_kecamatan_codes())
    if not result.ok:
        raise ValidationError({"nik": [issue.message for issue in result.errors]})
    person.nik = result.value
    person.warnings = issues_as_json(result.warnings)
    person.has_warnings = bool(result.warnings)
    if Person.objects.filter(nik=person.nik).exclude(pk=person.pk).exists():
        raise ValidationError({"nik": [_("NIK %(nik)s is already registered to another person.")
                                       % {"nik": mask_nik(person.nik)}]})


@transaction.atomic
def family_create(*, actor, no_kk: str, desa, address: str = "", rt: str = "", rw: str = "") -> Family:
    _require_edit_scope(actor, desa.code)
    family = Family(no_kk=no_kk.strip(), desa=desa, address=address, rt=rt, rw=rw)
    _check_no_kk(family)
    family.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=family, region_code=desa.code,
                 changes=diff({}, snapshot(family, FAMILY_FIELDS)))
    return family


@transaction.atomic
def family_update(*, actor, family: Family, **fields) -> Family:
    _require_edit_scope(actor, family.desa_id)
    before = snapshot(family, FAMILY_FIELDS)
    for name, value in fields.items():
        setattr(family, name, value)
    _require_edit_scope(actor, family.desa_id)
    _check_no_kk(family)
    family.save()
    changes = diff(before, snapshot(family, FAMILY_FIELDS))
    if "desa" in changes:
        family.members.update(desa=family.desa)
    if changes:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=family, region_code=family.desa_id,
                     changes=changes)
        mark_families_changed(family)
    return family


@transaction.atomic
def person_add(*, actor, family: Family, started_on: datetime.date | None = None, **fields) -> Person:
    """Register a new person as a member of ``family``."""
    _require_edit_scope(actor, family.desa_id)
    person = Person(family=family, desa_id=family.desa_id, **fields)
    _check_nik(person)
    person.full_clean(exclude=["nik", "family", "desa"])
    person.save()
    FamilyMembership.objects.create(person=person, family=family, relationship=person.relationship,
                                    started_on=started_on or timezone.localdate(), recorded_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=person, region_code=family.desa_id,
                 changes=diff({}, snapshot(person, PERSON_FIELDS)))
    mark_families_changed(family)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    if "family" in fields or "desa" in fields:
        raise ValueError("use person_move to change a person's family")
    _require_edit_scope(actor, person.desa_id)
    before = snapshot(person, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    _check_nik(person)
    person.full_clean(exclude=["nik", "family", "desa"])
    person.save()
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if "relationship" in changes:
        FamilyMembership.objects.filter(person=person, ended_on__isnull=True).update(
            relationship=person.relationship)
    if changes:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=person, region_code=person.desa_id,
                     changes=changes)
        mark_families_changed(person.family_id)
    return person


@transaction.atomic
def person_move(*, actor, person: Person, to_family: Family, relationship: int,
                on: datetime.date | None = None) -> Person:
    """Move a person to another Kartu Keluarga; the NIK stays, the old membership is closed."""
    _require_edit_scope(actor, person.desa_id)
    _require_edit_scope(actor, to_family.desa_id)
    on = on or timezone.localdate()
    before = snapshot(person, PERSON_FIELDS)
    current = FamilyMembership.objects.filter(person=person, ended_on__isnull=True).first()
    if current and on < current.started_on:
        raise ValidationError(_("The move date is before the person joined the current family."))
    if current:
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    left_family = person.family_id
    person.family, person.desa_id, person.relationship = to_family, to_family.desa_id, relationship
    person.save()
    FamilyMembership.objects.create(person=person, family=to_family, relationship=relationship, started_on=on,
                                    recorded_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.MOVE, instance=person, region_code=to_family.desa_id,
                 changes=diff(before, snapshot(person, PERSON_FIELDS)))
    mark_families_changed(left_family, to_family)
    return person


@transaction.atomic
def survey_record(*, actor, family: Family, **fields) -> HouseholdSurvey:
    _require_edit_scope(actor, family.desa_id)
    survey = HouseholdSurvey(family=family, **fields)
    survey.full_clean(exclude=["family"])
    survey.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=survey, region_code=family.desa_id,
                 changes=diff({}, snapshot(survey, SURVEY_FIELDS)), summary=f"family {family.pk}")
    mark_families_changed(family)
    return survey
