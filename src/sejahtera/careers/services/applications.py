"""Applications: seekers apply, employers shortlist, invite, hire or reject; messages between them."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.careers.access import is_seeker_self, require_seeker_side, require_vacancy_side
from sejahtera.careers.models import Application, ApplicationMessage, JobSeeker, Vacancy
from sejahtera.careers.services.notifications import notify, notify_employer
from sejahtera.careers.services.placements import placement_record
from sejahtera.careers.services.vacancies import vacancy_fill
from sejahtera.core.audit import audit_record
from sejahtera.core.models import AuditEvent

A = Application.Status
# state -> the states it may move to
TRANSITIONS = {
    A.APPLIED: {A.SHORTLISTED, A.INVITED, A.HIRED, A.REJECTED, A.WITHDRAWN},
    A.SHORTLISTED: {A.INVITED, A.HIRED, A.REJECTED, A.WITHDRAWN},
    A.INVITED: {A.HIRED, A.REJECTED, A.WITHDRAWN},
    A.HIRED: set(),
    A.REJECTED: set(),
    A.WITHDRAWN: set(),
}
TIMESTAMP_OF = {A.SHORTLISTED: "shortlisted_at", A.INVITED: "invited_at", A.HIRED: "hired_at",
                A.REJECTED: "rejected_at", A.WITHDRAWN: "withdrawn_at"}


def _move(actor, application: Application, to: str, **extra) -> Application:
    application = Application.objects.select_for_update().select_related("vacancy__employer", "seeker").get(
        pk=application.pk)
    if to not in TRANSITIONS[application.status]:
        raise ValidationError(_("An application cannot go from %(current)s to %(target)s.")
                              % {"current": application.get_status_display(), "target": A(to).label})
    before = application.status
    application.status = to
    setattr(application, TIMESTAMP_OF[to], timezone.now())
    for name, value in extra.items():
        setattr(application, name, value)
    application.save()
    changes = {"status": [before, to], **{name: [None, str(value)] for name, value in extra.items()}}
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=application,
                 region_code=application.seeker.desa_code, changes=changes)
    return application


def _tell_seeker(application: Application, text: str) -> None:
    notify(application.seeker.user, text)


@transaction.atomic
def application_create(*, actor, seeker: JobSeeker, vacancy: Vacancy, cover_letter: str = "") -> Application:
    """The seeker applies, once, to an open vacancy before its deadline."""
    require_seeker_side(actor, seeker)
    if seeker.status == JobSeeker.Status.INACTIVE:
        raise ValidationError(_("The job seeker's registration is inactive."))
    if vacancy.status != Vacancy.Status.OPEN:
        raise ValidationError(_("This vacancy is not open for applications."))
    if vacancy.deadline < timezone.localdate():
        raise ValidationError(_("The deadline for this vacancy has passed."))
    if Application.objects.filter(vacancy=vacancy, seeker=seeker).exists():
        raise ValidationError(_("You have already applied to this vacancy."))
    try:
        with transaction.atomic():
            application = Application.objects.create(vacancy=vacancy, seeker=seeker, cover_letter=cover_letter)
    except IntegrityError:  # a second request of the same seeker at the same moment
        raise ValidationError(_("You have already applied to this vacancy.")) from None
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=application, region_code=seeker.desa_code,
                 changes={"vacancy": [None, vacancy.pk], "seeker": [None, seeker.pk], "status": [None, A.APPLIED]})
    notify_employer(vacancy.employer, _("New application for %(title)s.") % {"title": vacancy.title})
    return application


@transaction.atomic
def application_shortlist(*, actor, application: Application) -> Application:
    require_vacancy_side(actor, application.vacancy)
    application = _move(actor, application, A.SHORTLISTED)
    _tell_seeker(application, _("You are on the shortlist for %(title)s.") % {"title": application.vacancy.title})
    return application


@transaction.atomic
def application_invite(*, actor, application: Application,
                       interview_at: datetime.datetime | None = None) -> Application:
    require_vacancy_side(actor, application.vacancy)
    application = _move(actor, application, A.INVITED, interview_at=interview_at)
    _tell_seeker(application, _("You are invited to an interview for %(title)s.")
                 % {"title": application.vacancy.title})
    return application


@transaction.atomic
def application_hire(*, actor, application: Application, contract_type: str, start_date: datetime.date,
                     wage: int | None = None, position: str = "") -> Application:
    """Hire the applicant: the placement is recorded, and the vacancy is filled when its openings are taken."""
    require_vacancy_side(actor, application.vacancy)
    application = _move(actor, application, A.HIRED)
    vacancy = application.vacancy
    placement_record(actor=actor, seeker=application.seeker, employer=vacancy.employer, vacancy=vacancy,
                     application=application, position=position or vacancy.title, kbji_code=vacancy.kbji_code,
                     contract_type=contract_type, wage=wage, start_date=start_date)
    _tell_seeker(application, _("Congratulations: you are hired for %(title)s.") % {"title": vacancy.title})
    hired = vacancy.applications.filter(status=A.HIRED).count()
    if hired >= vacancy.openings and vacancy.status in (Vacancy.Status.OPEN, Vacancy.Status.CLOSED):
        vacancy_fill(actor=actor, vacancy=vacancy)
    return application


@transaction.atomic
def application_reject(*, actor, application: Application, reason: str) -> Application:
    require_vacancy_side(actor, application.vacancy)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason, so the applicant knows.")]})
    application = _move(actor, application, A.REJECTED, rejection_reason=reason.strip()[:255])
    _tell_seeker(application, _("Your application for %(title)s was not selected.")
                 % {"title": application.vacancy.title})
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application) -> Application:
    require_seeker_side(actor, application.seeker)
    application = _move(actor, application, A.WITHDRAWN)
    notify_employer(application.vacancy.employer, _("An applicant withdrew from %(title)s.")
                    % {"title": application.vacancy.title})
    return application


@transaction.atomic
def application_message_send(*, actor, application: Application, body: str) -> ApplicationMessage:
    """A message from the seeker to the employer or back; the other side is notified."""
    if not body.strip():
        raise ValidationError({"body": [_("Write a message.")]})
    from_seeker = is_seeker_self(actor, application.seeker)
    if not from_seeker:
        try:
            require_vacancy_side(actor, application.vacancy)
        except PermissionDenied:
            raise PermissionDenied(_("Only the applicant and the employer write in this conversation.")) from None
    message = ApplicationMessage.objects.create(application=application, sender=actor, body=body.strip())
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=message,
                 region_code=application.seeker.desa_code, changes={"application": [None, application.pk]})
    title = application.vacancy.title
    if from_seeker:
        notify_employer(application.vacancy.employer, _("New message from an applicant for %(title)s.")
                        % {"title": title})
    else:
        _tell_seeker(application, _("New message about your application for %(title)s.") % {"title": title})
    return message


@transaction.atomic
def application_messages_mark_read(*, actor, application: Application) -> int:
    """Mark the messages the actor received in this conversation as read."""
    if not is_seeker_self(actor, application.seeker):
        require_vacancy_side(actor, application.vacancy)
    return application.messages.filter(read_at__isnull=True).exclude(sender=actor).update(read_at=timezone.now())
