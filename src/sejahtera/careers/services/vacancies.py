"""Vacancies: the employer drafts and submits, Disnaker verifies, the employer opens, closes or fills.

States: draft -> submitted -> verified -> open -> closed or filled (closed -> filled too, and
closed -> open again before the deadline). Disnaker may send a submitted vacancy back to draft
with a note. Only vacancies of verified employers are verified or opened.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.careers import matching_log
from sejahtera.careers.access import require_disnaker, require_employer_side
from sejahtera.careers.models import Employer, Vacancy
from sejahtera.careers.services.notifications import notify_employer
from sejahtera.careers.services.seekers import skills_from_names
from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent

S = Vacancy.Status
VACANCY_FIELDS = ["title", "kbji_code", "description", "min_education", "majors", "age_min", "age_max",
                  "min_experience_months", "desa_code", "wage_min", "wage_max", "openings", "deadline",
                  "employment_type", "status", "review_note"]
EDITABLE_FIELDS = frozenset(VACANCY_FIELDS) - {"status", "review_note"}
EDITABLE_STATES = (S.DRAFT, S.SUBMITTED)

# state -> the states it may move to
TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.VERIFIED, S.DRAFT},
    S.VERIFIED: {S.OPEN},
    S.OPEN: {S.CLOSED, S.FILLED},
    S.CLOSED: {S.OPEN, S.FILLED},
    S.FILLED: set(),
}
TIMESTAMP_OF = {S.SUBMITTED: "submitted_at", S.VERIFIED: "verified_at", S.OPEN: "opened_at",
                S.CLOSED: "closed_at", S.FILLED: "filled_at"}


def _validated(vacancy: Vacancy) -> Vacancy:
    vacancy.desa_code = vacancy.desa_code.replace(".", "")
    vacancy.kecamatan_code = vacancy.desa_code[:6]
    if vacancy.wage_min is not None and vacancy.wage_max is not None and vacancy.wage_min > vacancy.wage_max:
        raise ValidationError({"wage_max": [_("The maximum wage is below the minimum wage.")]})
    if vacancy.age_min is not None and vacancy.age_max is not None and vacancy.age_min > vacancy.age_max:
        raise ValidationError({"age_max": [_("The maximum age is below the minimum age.")]})
    if vacancy.age_min is not None and vacancy.age_min < 15:
        raise ValidationError({"age_min": [_("The minimum working age is 15.")]})
    if vacancy.openings < 1:
        raise ValidationError({"openings": [_("A vacancy has at least one opening.")]})
    vacancy.full_clean(exclude=["employer", "skills", "verified_by", "created_by"])
    return vacancy


def _move(actor, vacancy: Vacancy, to: str, **extra) -> Vacancy:
    """Change the state (refusing transitions the workflow does not have), stamp and audit it."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if to not in TRANSITIONS[vacancy.status]:
        raise ValidationError(_("A vacancy cannot go from %(current)s to %(target)s.")
                              % {"current": vacancy.get_status_display(), "target": S(to).label})
    before = snapshot(vacancy, VACANCY_FIELDS)
    vacancy.status = to
    if to in TIMESTAMP_OF:
        setattr(vacancy, TIMESTAMP_OF[to], timezone.now())
    for name, value in extra.items():
        setattr(vacancy, name, value)
    vacancy.save()
    matching_log.vacancies_changed([vacancy.pk])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=vacancy, region_code=vacancy.desa_code,
                 changes=diff(before, snapshot(vacancy, VACANCY_FIELDS)), summary=f"vacancy {to}")
    return vacancy


def _require_verified_employer(employer: Employer) -> None:
    if not employer.is_verified:
        raise ValidationError(_("The employer %(name)s is not verified by Disnaker yet.") % {"name": employer.name})


@transaction.atomic
def vacancy_create(*, actor, employer: Employer, title: str, kbji_code: str, description: str,
                   deadline: datetime.date, desa_code: str = "", skills: Iterable[str] = (), **fields) -> Vacancy:
    """A draft vacancy of ``employer`` (by one of its accounts or Disnaker); the desa defaults to the employer's."""
    require_employer_side(actor, employer)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"vacancy_create does not take {sorted(unknown)}")
    vacancy = _validated(Vacancy(employer=employer, title=title.strip(), kbji_code=kbji_code.strip(),
                                 description=description, deadline=deadline,
                                 desa_code=desa_code or employer.desa_code, created_by=actor, **fields))
    vacancy.save()
    vacancy.skills.set(skills_from_names(skills))
    matching_log.vacancies_changed([vacancy.pk])
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=vacancy, region_code=vacancy.desa_code,
                 changes=diff({}, snapshot(vacancy, VACANCY_FIELDS)))
    return vacancy


@transaction.atomic
def vacancy_update(*, actor, vacancy: Vacancy, skills: Iterable[str] | None = None, **fields) -> Vacancy:
    """Edit a vacancy while it is a draft or waiting for verification (a verified text stays verified)."""
    require_employer_side(actor, vacancy.employer)
    if vacancy.status not in EDITABLE_STATES:
        raise ValidationError(_("Only a draft or a vacancy waiting for verification can be edited."))
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"vacancy_update cannot change {sorted(unknown)}")
    before = snapshot(vacancy, VACANCY_FIELDS)
    for name, value in fields.items():
        setattr(vacancy, name, value)
    _validated(vacancy).save()
    changes = diff(before, snapshot(vacancy, VACANCY_FIELDS))
    if skills is not None:
        skills = list(skills)
        vacancy.skills.set(skills_from_names(skills))
        changes["skills"] = [None, sorted(skills)]
    matching_log.vacancies_changed([vacancy.pk])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=vacancy, region_code=vacancy.desa_code,
                 changes=changes)
    return vacancy


@transaction.atomic
def vacancy_submit(*, actor, vacancy: Vacancy) -> Vacancy:
    """The employer sends the draft to Disnaker for verification."""
    require_employer_side(actor, vacancy.employer)
    if vacancy.deadline < timezone.localdate():
        raise ValidationError({"deadline": [_("The deadline has passed; set a new one first.")]})
    return _move(actor, vacancy, S.SUBMITTED, review_note="")


@transaction.atomic
def vacancy_verify(*, actor, vacancy: Vacancy, approve: bool = True, note: str = "") -> Vacancy:
    """Disnaker checks a submitted vacancy: verified, or back to draft with a note."""
    require_disnaker(actor, vacancy.desa_code)
    if not approve:
        if not note.strip():
            raise ValidationError({"note": [_("Say what the employer must change.")]})
        vacancy = _move(actor, vacancy, S.DRAFT, review_note=note.strip()[:255])
        notify_employer(vacancy.employer, _("Disnaker returned the vacancy %(title)s: %(note)s")
                        % {"title": vacancy.title, "note": vacancy.review_note})
        return vacancy
    _require_verified_employer(vacancy.employer)
    vacancy = _move(actor, vacancy, S.VERIFIED, verified_by=actor)
    notify_employer(vacancy.employer, _("Disnaker verified the vacancy %(title)s; you can open it now.")
                    % {"title": vacancy.title})
    return vacancy


@transaction.atomic
def vacancy_open(*, actor, vacancy: Vacancy) -> Vacancy:
    """Publish a verified vacancy (or reopen a closed one) before its deadline."""
    require_employer_side(actor, vacancy.employer)
    _require_verified_employer(vacancy.employer)
    if vacancy.deadline < timezone.localdate():
        raise ValidationError({"deadline": [_("The deadline has passed; the vacancy cannot open.")]})
    return _move(actor, vacancy, S.OPEN)


@transaction.atomic
def vacancy_close(*, actor, vacancy: Vacancy) -> Vacancy:
    require_employer_side(actor, vacancy.employer)
    return _move(actor, vacancy, S.CLOSED)


@transaction.atomic
def vacancy_fill(*, actor, vacancy: Vacancy) -> Vacancy:
    """All openings are taken: the vacancy leaves the public list for good."""
    require_employer_side(actor, vacancy.employer)
    return _move(actor, vacancy, S.FILLED)

