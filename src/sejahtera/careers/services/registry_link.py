"""The career center's writes to the registry: finding or adding a seeker's person, and their
employment status after a placement.

The registry's own services (``person_add``, ``person_update``) require the registry edit scope
of desa operators and kecamatan verifiers, which Disnaker staff, employers and residents do not
hold. These two functions make the same checks of the data (NIK validation, the person's
fields), write the same audit entries (``registry.person``, before and after) and mark the
family for rescoring, but authorise the career center's own actors.

A resident who is not in the registry is added **without a family** (``family`` empty, related
to no Kartu Keluarga: relationship "Other") and flagged with the warning
``careers_no_family``, so that the desa operator attaches the family card at the next update.
The NIK, name, sex, birth date and desa come from the registration.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.regions.models import Region
from sejahtera.regions.selectors import known_kecamatan_codes
from sejahtera.registry.choices import EmploymentStatus, Relationship
from sejahtera.registry.identity import Issue, issues_as_json, validate_nik
from sejahtera.registry.models import PERSON_FIELDS, Person
from sejahtera.registry.services import mark_families_changed

NO_FAMILY_WARNING = "careers_no_family"


def checked_nik(value) -> str:
    """The NIK as registered, or ``ValidationError`` on ``nik`` with the registry's reasons."""
    result = validate_nik(value)
    if not result.ok:
        raise ValidationError({"nik": [issue.message for issue in result.errors]})
    return result.value


def registered_person(nik: str) -> Person | None:
    """The registry person holding ``nik``; a merged record leads to the record that stayed."""
    person = Person.objects.filter(nik=nik).first()
    while person is not None and person.merged_into_id:
        person = person.merged_into
    return person


def person_add_without_family(*, actor, nik: str, name: str, sex: str, birth_date: datetime.date,
                              desa_code: str, birth_place: str = "", education: int | None = None,
                              phone: str = "") -> Person:
    """Add a resident unknown to the registry, without a family card (see the module notes)."""
    desa = Region.objects.filter(code=desa_code, level=Region.Level.DESA).first()
    if desa is None:
        raise ValidationError({"desa_code": [_("Choose the desa or kelurahan where you live.")]})
    result = validate_nik(nik, sex=sex, birth_date=birth_date, known_kecamatan=known_kecamatan_codes())
    if not result.ok:
        raise ValidationError({"nik": [issue.message for issue in result.errors]})
    warnings = [*result.warnings, Issue(NO_FAMILY_WARNING, _(
        "Registered by the career center without a family card (Kartu Keluarga); attach the family."))]
    person = Person(nik=result.value, name=" ".join(name.split()), sex=sex, birth_date=birth_date,
                    birth_place=birth_place, desa=desa, family=None, relationship=Relationship.OTHER,
                    phone=phone, warnings=issues_as_json(warnings), has_warnings=True)
    if education is not None:
        person.education = education
    person.full_clean(exclude=["nik", "family", "desa"])
    person.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=person, region_code=desa.code,
                 changes=diff({}, snapshot(person, PERSON_FIELDS)), summary="careers: job seeker registration")
    return person


def person_set_employment(*, actor, person: Person, occupation: str = "",
                          status: str = EmploymentStatus.WORKING) -> Person:
    """Set the person's employment status (and occupation, when given) in the registry, audited."""
    before = snapshot(person, PERSON_FIELDS)
    person.employment_status = status
    if occupation:
        person.occupation = occupation[:100]
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if changes:
        person.save(update_fields=["employment_status", "occupation", "updated_at"])
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=person, region_code=person.desa_id,
                     changes=changes, summary="careers: placement")
        mark_families_changed(person.family_id)
    return person
