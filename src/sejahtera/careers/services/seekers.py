"""Registering and updating job seekers, and issuing their AK/1 card number."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.careers import matching_log
from sejahtera.careers.access import is_disnaker_for, require_seeker_side
from sejahtera.careers.models import (
    Ak1Sequence,
    DesiredOccupation,
    JobSeeker,
    Skill,
    WorkArea,
)
from sejahtera.careers.models.seekers import normalize_skill
from sejahtera.careers.services import registry_link
from sejahtera.careers.validators import validate_kbji_code, validate_kecamatan_code
from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent

AK1_VALID_YEARS = 2
SEEKER_FIELDS = ["education", "major", "expected_wage", "available_from", "phone", "email", "status", "user"]


def ak1_valid_until(issued_on: datetime.date) -> datetime.date:
    """Two years after issue (a card issued on 29 February runs to 28 February)."""
    try:
        return issued_on.replace(year=issued_on.year + AK1_VALID_YEARS)
    except ValueError:
        return issued_on.replace(year=issued_on.year + AK1_VALID_YEARS, day=28)


def ak1_number_issue(regency_code: str, year: int) -> str:
    """The next AK/1 number of the regency and year, ``3201-2026-000123``; call inside a transaction."""
    sequence, _created = Ak1Sequence.objects.select_for_update().get_or_create(regency_code=regency_code, year=year)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    return f"{regency_code}-{year}-{sequence.last_serial:06d}"


def skills_from_names(names: Iterable[str]) -> list[Skill]:
    """The skills named, created when new; blank names are ignored."""
    skills = {}
    for name in names:
        key = normalize_skill(name)
        if key and key not in skills:
            skills[key] = Skill.objects.filter(normalized=key).first() or Skill.objects.create(name=name)
    return list(skills.values())


def _registered_by(actor, user, desa_code: str):
    """Counter staff register on a resident's behalf; otherwise the resident registers themself."""
    if actor is None or actor == user:
        return None
    if is_disnaker_for(actor, desa_code):
        return actor
    raise PermissionDenied(_("Only Disnaker staff responsible for this region may register job seekers."))


def _set_profile_lists(seeker: JobSeeker, *, skills=None, desired_kbji=None, work_areas=None) -> None:
    if skills is not None:
        seeker.skills.set(skills_from_names(skills))
    if desired_kbji is not None:
        codes = list(dict.fromkeys(c.strip() for c in desired_kbji if c.strip()))
        for code in codes:
            validate_kbji_code(code)
        seeker.desired_occupations.exclude(kbji_code__in=codes).delete()
        for code in codes:
            DesiredOccupation.objects.get_or_create(seeker=seeker, kbji_code=code)
    if work_areas is not None:
        codes = list(dict.fromkeys(c.strip().replace(".", "") for c in work_areas if c.strip()))
        for code in codes:
            validate_kecamatan_code(code)
        seeker.work_areas.exclude(kecamatan_code__in=codes).delete()
        for code in codes:
            WorkArea.objects.get_or_create(seeker=seeker, kecamatan_code=code)


def _person_for(actor, user, *, nik, name, sex, birth_date, desa_code, birth_place, education, phone):
    """The registry person with this NIK (the birth date must agree), or a new one."""
    nik = registry_link.checked_nik(nik)
    person = registry_link.registered_person(nik)
    if person is None:
        if not (name and sex and birth_date and desa_code):
            raise ValidationError(_("This NIK is not in the registry yet: give the name, sex, date of birth "
                                    "and desa to register it."))
        if not desa_code.startswith(settings.SEJAHTERA_REGENCY):
            raise ValidationError({"desa_code": [_("Only residents of this regency register here.")]})
        _registered_by(actor, user, desa_code)  # refuse before anything is written
        return registry_link.person_add_without_family(
            actor=actor, nik=nik, name=name, sex=sex, birth_date=birth_date, desa_code=desa_code,
            birth_place=birth_place, education=education, phone=phone)
    if person.birth_date != birth_date:
        # Never attach a registration to someone else's record on a mistyped or borrowed NIK.
        raise ValidationError({"birth_date": [_("The date of birth does not match the registry's record of this "
                                                "NIK. Please register at the Disnaker counter.")]})
    if JobSeeker.objects.filter(person=person).exists():
        raise ValidationError({"nik": [_("This NIK is already registered as a job seeker.")]})
    return person


@transaction.atomic
def seeker_register(*, actor=None, nik: str, consent: bool, name: str = "", sex: str = "",
                    birth_date: datetime.date | None = None, desa_code: str = "", birth_place: str = "",
                    education: int | None = None, major: str = "", skills: Iterable[str] = (),
                    desired_kbji: Iterable[str] = (), work_areas: Iterable[str] = (),
                    expected_wage: int | None = None, available_from: datetime.date | None = None,
                    phone: str = "", email: str = "", user=None) -> JobSeeker:
    """Register a job seeker by NIK and issue the AK/1 number.

    The date of birth is always required: a NIK already in the registry is linked only when the
    birth date agrees with the registry's record. ``actor`` is None (or the ``user`` being registered) when the resident registers themself,
    or Disnaker staff registering on the resident's behalf at the counter. The seeker is linked
    to the registry person holding the NIK (whose birth date must agree), or to a new person
    added without a family (see ``registry_link``).
    """
    if not consent:
        raise ValidationError({"consent": [_("Accept the privacy notice to register.")]})
    if user is None and actor is not None and not actor.active_memberships:
        user = actor  # a resident's own account registering itself
    if user is not None and JobSeeker.objects.filter(user=user).exists():
        raise ValidationError(_("This account already belongs to a registered job seeker."))
    person = _person_for(actor, user, nik=nik, name=name, sex=sex, birth_date=birth_date, desa_code=desa_code,
                         birth_place=birth_place, education=education, phone=phone)
    registered_by = _registered_by(actor, user, person.desa_id)
    today = timezone.localdate()
    seeker = JobSeeker(
        person=person, user=user, ak1_number=ak1_number_issue(person.desa_id[:4], today.year),
        ak1_issued_on=today, ak1_valid_until=ak1_valid_until(today),
        education=education if education is not None else person.education, major=major,
        expected_wage=expected_wage, available_from=available_from, phone=phone or person.phone, email=email,
        consent_at=timezone.now(), registered_by=registered_by, desa_code=person.desa_id,
    )
    seeker.full_clean(exclude=["person", "user", "registered_by"])
    seeker.save()
    _set_profile_lists(seeker, skills=skills, desired_kbji=desired_kbji, work_areas=work_areas)
    matching_log.seekers_changed([seeker.pk])
    audit_record(actor=actor or user, action=AuditEvent.Action.CREATE, instance=seeker,
                 region_code=seeker.desa_code, summary=f"AK/1 {seeker.ak1_number}",
                 changes=diff({}, snapshot(seeker, SEEKER_FIELDS)))
    return seeker


@transaction.atomic
def seeker_update(*, actor, seeker: JobSeeker, skills: Iterable[str] | None = None,
                  desired_kbji: Iterable[str] | None = None, work_areas: Iterable[str] | None = None,
                  **fields) -> JobSeeker:
    """Change the seeker's profile: the fields of ``SEEKER_FIELDS`` and the skill and wish lists."""
    require_seeker_side(actor, seeker)
    skills, desired_kbji, work_areas = (None if given is None else list(given)
                                        for given in (skills, desired_kbji, work_areas))
    unknown = set(fields) - set(SEEKER_FIELDS)
    if unknown:
        raise ValueError(f"seeker_update cannot change {sorted(unknown)}")
    before = snapshot(seeker, SEEKER_FIELDS)
    for name, value in fields.items():
        setattr(seeker, name, value)
    seeker.full_clean(exclude=["person", "user", "registered_by"])
    seeker.save()
    _set_profile_lists(seeker, skills=skills, desired_kbji=desired_kbji, work_areas=work_areas)
    matching_log.seekers_changed([seeker.pk])
    changes = diff(before, snapshot(seeker, SEEKER_FIELDS))
    for label, given in (("skills", skills), ("desired_kbji", desired_kbji), ("work_areas", work_areas)):
        if given is not None:
            changes[label] = [None, sorted(given)]
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=seeker, region_code=seeker.desa_code,
                 changes=changes)
    return seeker


@transaction.atomic
def seeker_renew_ak1(*, actor, seeker: JobSeeker) -> JobSeeker:
    """Renew an AK/1 card for another two years from today (the number stays)."""
    require_seeker_side(actor, seeker)
    before = snapshot(seeker, ["ak1_issued_on", "ak1_valid_until"])
    seeker.ak1_issued_on = timezone.localdate()
    seeker.ak1_valid_until = ak1_valid_until(seeker.ak1_issued_on)
    seeker.save(update_fields=["ak1_issued_on", "ak1_valid_until", "updated_at"])
    matching_log.seekers_changed([seeker.pk])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=seeker, region_code=seeker.desa_code,
                 changes=diff(before, snapshot(seeker, ["ak1_issued_on", "ak1_valid_until"])))
    return seeker
