"""The family profile: everything a family has received and could still receive, on one page.

Read with a fixed number of queries whatever the family's size: the family and its members
(scoped, logged), all its welfare scores, the enrolments of the family and its members with their
payments and workflow steps, the career-center and training records of the members, the registry
history, and one query per open cycle for what the family could still receive.

Who sees what follows the programme engine's rule (``programs.selectors.enrolment_scopes``):
village operators, district verifiers and administrators see every programme's enrolments in
their regions; agency officers and heads only those of their own agency's programmes. The
career-center and training records belong to Disnaker, so the same rule shows them to the field
roles, administrators and Disnaker staff.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.accounts.roles import CAPABILITIES
from sejahtera.careers.access import DISNAKER
from sejahtera.careers.models import Application, JobSeeker, Placement
from sejahtera.core.models import AuditEvent
from sejahtera.programs.models import Cycle, Enrolment, Payment, Programme
from sejahtera.programs.selectors import enrolment_scopes
from sejahtera.programs.services.access import AGENCY_STAFF, covers
from sejahtera.programs.services.cycles import candidate_rows
from sejahtera.programs.services.propose import cycle_condition, may_propose
from sejahtera.registry import selectors as registry_selectors
from sejahtera.registry.models import Family, Person
from sejahtera.training.models import Internship, Trainee
from sejahtera.web.history import history_entries
from sejahtera.welfare.models import WelfareScore

MICRO_BUSINESS = "pembinaan-umkm"  # the programme of micro-business coaching (Diskopumkm)
HISTORY_LIMIT = 200


@dataclass
class Event:
    at: datetime.datetime
    kind: str  # registry, welfare, programme, payment, careers, training
    title: str
    detail: str = ""


@dataclass
class Eligible:
    """An open cycle the family (or one member) qualifies for and is not enrolled in."""

    cycle: Cycle
    person: Person | None
    can_propose: bool


@dataclass
class FamilyProfile:
    family: Family
    members: list[Person]
    scores: list[WelfareScore]
    enrolments: list[Enrolment]
    payments: list[Payment]
    coaching: list[Enrolment]
    own_agency_only: list[str]  # the viewer's agencies when they see only those agencies' programmes
    careers_visible: bool
    seekers: list[JobSeeker] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    trainees: list[Trainee] = field(default_factory=list)
    interns: list[Internship] = field(default_factory=list)
    eligible: list[Eligible] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)

    @property
    def current_score(self) -> WelfareScore | None:
        return next((s for s in self.scores if s.is_current), None)


def _moment(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time()))


def own_agency_only(user, region_code: str) -> list[str]:
    """The agencies whose programmes alone the user reads here ([] when they read every programme)."""
    everything = any(CAPABILITIES[m.role].personal_data and m.role not in AGENCY_STAFF
                     and region_code.startswith(m.region_id) for m in user.active_memberships)
    if everything:
        return []
    return sorted({m.agency.short_name for m in user.active_memberships
                   if m.role in AGENCY_STAFF and m.agency_id and region_code.startswith(m.region_id)})


def reads_agency(user, agency_code: str, region_code: str) -> bool:
    """The programme rule for records of one agency: field roles and administrators, or its own staff."""
    return any(CAPABILITIES[m.role].personal_data and region_code.startswith(m.region_id)
               and (m.role not in AGENCY_STAFF or (m.agency_id and m.agency.code == agency_code))
               for m in user.active_memberships)


def family_profile(user, pk: int) -> FamilyProfile:
    """The profile of a family inside the user's scope (404 outside); the read is logged."""
    family = registry_selectors.family_get(user, pk)
    members = list(family.members.all())
    member_ids = [m.pk for m in members]
    desa = family.desa_id

    all_enrolments = list(
        Enrolment.objects.filter(Q(family_id=family.pk) | Q(person_id__in=member_ids))
        .select_related("cycle", "programme__agency", "person").order_by("-created_at", "-id"))
    readable: dict[int, list[str]] = {}

    def visible(programme: Programme, region_code: str) -> bool:
        if programme.pk not in readable:
            readable[programme.pk] = enrolment_scopes(user, programme)
        return covers(readable[programme.pk], region_code)

    enrolments = [e for e in all_enrolments if visible(e.programme, e.desa_code)]
    by_id = {e.pk: e for e in enrolments}
    payments = []
    if enrolments:
        payments = list(Payment.objects.filter(enrolment_id__in=list(by_id)).select_related("batch")
                        .order_by("-batch__created_at", "-id"))
        for payment in payments:
            payment.enrolment = by_id[payment.enrolment_id]
    profile = FamilyProfile(
        family=family, members=members,
        scores=list(family.welfare_scores.select_related("model").order_by("-scored_at", "-id")),
        enrolments=enrolments, payments=payments,
        coaching=[e for e in enrolments if e.programme.code == MICRO_BUSINESS],
        own_agency_only=own_agency_only(user, desa),
        careers_visible=reads_agency(user, DISNAKER, desa),
    )
    if profile.careers_visible and member_ids:
        _careers(profile, member_ids)
    profile.eligible = eligible(user, family, members, all_enrolments, visible)
    profile.timeline = _timeline(user, profile)
    return profile


def _careers(profile: FamilyProfile, member_ids: list[int]) -> None:
    profile.seekers = list(JobSeeker.objects.filter(person_id__in=member_ids).select_related("person")
                           .order_by("person__name", "id"))
    if profile.seekers:
        profile.applications = list(
            Application.objects.filter(seeker_id__in=[s.pk for s in profile.seekers])
            .select_related("seeker__person", "vacancy__employer").order_by("-applied_at", "-id"))
    profile.placements = list(Placement.objects.filter(person_id__in=member_ids)
                              .select_related("person", "employer").order_by("-start_date", "-id"))
    profile.trainees = list(Trainee.objects.filter(person_id__in=member_ids)
                            .select_related("person", "batch__course").order_by("-applied_at", "-id"))
    profile.interns = list(Internship.objects.filter(person_id__in=member_ids)
                           .select_related("person", "slot__employer").order_by("-matched_at", "-id"))


def open_cycles(region_code: str):
    """Open cycles, with a frozen rule, of the active programmes of the region's regency."""
    return (Cycle.objects.filter(status=Cycle.Status.OPEN, rule__isnull=False, programme__is_active=True,
                                 programme__regency_code=region_code[:4])
            .select_related("programme__agency", "rule").order_by("programme__name", "label", "pk"))


def eligible(user, family: Family, members: list[Person], enrolments: list[Enrolment], visible) -> list[Eligible]:
    """Per open cycle the user may read: the family or the members the cycle's selection (the
    frozen rule and the rules across programmes, as when it opened) takes and that have no
    enrolment in it yet. One query for the cycles and one small query per cycle."""
    enrolled = {(e.cycle_id, e.person_id) for e in enrolments}  # person_id None: the family itself
    names = {m.pk: m for m in members}
    found = []
    for cycle in open_cycles(family.desa_id):
        programme = cycle.programme
        if not visible(programme, family.desa_id):
            continue
        try:
            condition = cycle_condition(cycle)
        except ValidationError:  # a frozen rule that no longer compiles proposes no one
            continue
        rows = candidate_rows(cycle, programme, condition)
        if programme.target == Programme.Target.FAMILY:
            if (cycle.pk, None) not in enrolled and rows.filter(pk=family.pk).exists():
                found.append(Eligible(cycle, None, may_propose(user, programme, family.desa_id)))
            continue
        for row in rows.filter(family_id=family.pk).order_by("candidate_id"):
            person = names.get(row["candidate_id"])
            if person is not None and (cycle.pk, person.pk) not in enrolled:
                found.append(Eligible(cycle, person, may_propose(user, programme, person.desa_id)))
    return found


def _status_label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _timeline(user, profile: FamilyProfile) -> list[Event]:
    family = profile.family
    events: list[Event] = []
    history = registry_selectors.family_history(family)[:HISTORY_LIMIT]
    for entry in history_entries(user, family, history):
        detail = ", ".join(change.label for change in entry.changes)
        events.append(Event(entry.event.at, "registry", f"{entry.subject}: {entry.event.get_action_display()}",
                            detail))
    for score in profile.scores:
        events.append(Event(score.scored_at, "welfare",
                            _("Welfare score: desil %(desil)s (PMT model version %(version)s)")
                            % {"desil": score.desil, "version": score.model.version}))
    by_id = {str(e.pk): e for e in profile.enrolments}
    for enrolment in profile.enrolments:
        events.append(Event(enrolment.created_at, "programme",
                            _("Candidate of %(cycle)s") % {"cycle": _cycle_name(enrolment)},
                            enrolment.person.name if enrolment.person_id else ""))
    if by_id:
        steps = AuditEvent.objects.filter(object_type="programs.enrolment", object_id__in=list(by_id),
                                          action=AuditEvent.Action.UPDATE).order_by("-at", "-id")
        for step in steps:
            status = (step.changes.get("status") or [None, None])[1]
            if not status:
                continue
            enrolment = by_id[step.object_id]
            events.append(Event(step.at, "programme",
                                _("%(status)s in %(cycle)s") % {
                                    "status": _status_label(Enrolment.Status, status),
                                    "cycle": _cycle_name(enrolment)},
                                enrolment.person.name if enrolment.person_id else ""))
    for payment in profile.payments:
        events.append(Event(_moment(payment.paid_on or payment.batch.created_at), "payment",
                            _("Payment of Rp%(amount)s for %(period)s: %(status)s") % {
                                "amount": f"{payment.amount:,}".replace(",", "."), "period": payment.batch.period,
                                "status": payment.get_status_display()},
                            _cycle_name(payment.enrolment)))
    for seeker in profile.seekers:
        events.append(Event(_moment(seeker.ak1_issued_on), "careers",
                            _("AK/1 card %(number)s issued") % {"number": seeker.ak1_number}, seeker.person.name))
    for application in profile.applications:
        events.append(Event(application.applied_at, "careers",
                            _("Applied for %(title)s at %(employer)s") % {
                                "title": application.vacancy.title, "employer": application.vacancy.employer.name},
                            application.seeker.person.name))
    for placement in profile.placements:
        events.append(Event(_moment(placement.start_date), "careers",
                            _("Started work as %(position)s at %(employer)s") % {
                                "position": placement.position, "employer": placement.employer_label},
                            placement.person.name))
    for trainee in profile.trainees:
        events.append(Event(trainee.applied_at, "training",
                            _("Applied for training %(batch)s") % {"batch": trainee.batch}, trainee.person.name))
        if trainee.completed_at:
            events.append(Event(trainee.completed_at, "training",
                                _("Completed training %(batch)s") % {"batch": trainee.batch}, trainee.person.name))
    for intern in profile.interns:
        events.append(Event(intern.matched_at, "training",
                            _("Matched to the internship %(title)s at %(employer)s") % {
                                "title": intern.slot.title, "employer": intern.slot.employer.name},
                            intern.person.name))
    events.sort(key=lambda event: event.at, reverse=True)
    return events


def _cycle_name(enrolment: Enrolment) -> str:
    return f"{enrolment.programme.name} {enrolment.cycle.label}"
