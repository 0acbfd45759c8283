"""A job seeker's own account on the portal: the login created at self-registration, and the
profile records (certificates, work experience) the seeker keeps up to date.

``seeker_account_register`` creates the auth user and registers the seeker through
``seeker_register`` in one transaction, so a refused NIK (bad checksum, a birth date that does
not agree with the registry, an Excel-mangled ``3.20101E+15``) leaves neither a user nor a
seeker behind. The login name is the e-mail address, or the phone number when there is none.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sejahtera.careers import matching_log
from sejahtera.careers.access import require_seeker_side
from sejahtera.careers.models import Certificate, JobSeeker, WorkExperience
from sejahtera.careers.services.seekers import seeker_register
from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent

CERTIFICATE_FIELDS = ["name", "issuer", "number", "issued_on", "valid_until"]
EXPERIENCE_FIELDS = ["employer_name", "position", "kbji_code", "started_on", "ended_on"]
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}$")


def normalize_phone(value: str) -> str:
    """``+62 812-3456-789`` and ``0812 3456 789`` are one number: ``08123456789``."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def login_name(identifier: str) -> str:
    """The username a portal account signs in with: e-mail in lower case, or the normalized phone."""
    identifier = identifier.strip()
    if "@" in identifier:
        return identifier.lower()
    if _PHONE.match(identifier):
        return normalize_phone(identifier)
    return identifier


@transaction.atomic
def seeker_account_register(*, nik: str, name: str, birth_date: datetime.date | None, sex: str, desa_code: str,
                            phone: str, email: str, password: str, consent: bool, education: int | None = None,
                            major: str = "") -> JobSeeker:
    """A resident registers themself: a login, then the seeker (with AK/1 number) on that login."""
    username = login_name(email or phone)
    if not username:
        raise ValidationError({"email": [_("Give an e-mail address or a phone number to sign in with.")]})
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        field = "email" if email else "phone"
        raise ValidationError({field: [_("An account with this e-mail address or phone number already exists.")]})
    first, _space, last = name.strip().partition(" ")
    user = User(username=username, email=email.strip().lower(), first_name=first[:150], last_name=last[:150])
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    seeker = seeker_register(actor=user, user=user, nik=nik, consent=consent, name=name.strip(), sex=sex,
                             birth_date=birth_date, desa_code=desa_code, education=education, major=major,
                             phone=normalize_phone(phone) if phone else "", email=email.strip().lower())
    audit_record(actor=user, action=AuditEvent.Action.CREATE, instance=user, region_code=seeker.desa_code,
                 summary="portal account", changes={"username": [None, username], "job_seeker": [None, seeker.pk]})
    return seeker


def _removed(instance, fields) -> dict:
    return {name: [value, None] for name, value in snapshot(instance, fields).items()}


def _audit(actor, action, instance, seeker, changes):
    audit_record(actor=actor, action=action, instance=instance, region_code=seeker.desa_code, changes=changes)


@transaction.atomic
def seeker_certificate_add(*, actor, seeker: JobSeeker, **fields) -> Certificate:
    require_seeker_side(actor, seeker)
    certificate = Certificate(seeker=seeker, **{k: v for k, v in fields.items() if k in CERTIFICATE_FIELDS})
    certificate.full_clean(exclude=["seeker"])
    certificate.save()
    matching_log.seekers_changed([seeker.pk])
    _audit(actor, AuditEvent.Action.CREATE, certificate, seeker, diff({}, snapshot(certificate, CERTIFICATE_FIELDS)))
    return certificate


@transaction.atomic
def seeker_certificate_remove(*, actor, certificate: Certificate) -> None:
    require_seeker_side(actor, certificate.seeker)
    _audit(actor, AuditEvent.Action.DELETE, certificate, certificate.seeker,
           _removed(certificate, CERTIFICATE_FIELDS))
    certificate.delete()
    matching_log.seekers_changed([certificate.seeker_id])


@transaction.atomic
def seeker_experience_add(*, actor, seeker: JobSeeker, **fields) -> WorkExperience:
    require_seeker_side(actor, seeker)
    experience = WorkExperience(seeker=seeker, **{k: v for k, v in fields.items() if k in EXPERIENCE_FIELDS})
    if experience.ended_on and experience.ended_on < experience.started_on:
        raise ValidationError({"ended_on": [_("The end cannot be before the start.")]})
    experience.full_clean(exclude=["seeker"])
    experience.save()
    matching_log.seekers_changed([seeker.pk])
    _audit(actor, AuditEvent.Action.CREATE, experience, seeker, diff({}, snapshot(experience, EXPERIENCE_FIELDS)))
    return experience


@transaction.atomic
def seeker_experience_remove(*, actor, experience: WorkExperience) -> None:
    require_seeker_side(actor, experience.seeker)
    _audit(actor, AuditEvent.Action.DELETE, experience, experience.seeker,
           _removed(experience, EXPERIENCE_FIELDS))
    experience.delete()
    matching_log.seekers_changed([experience.seeker_id])
