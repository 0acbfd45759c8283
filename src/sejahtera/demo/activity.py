"""Work already under way in a new demo, so every part has something to show.

- Programmes: this year's cycle (this semester's for a half-yearly programme) of each of the
  seven programmes, created and opened by the head of its agency; the district verifier of each
  kecamatan verifies most candidates in the field (about 90 %), the agency rejects those the
  verifiers found moved away or not as registered (about 6 %), the rest are not visited yet; the
  head approves the verified ones, as many
  as the quota and budget allow; the agency activates those of the programmes that run a service
  (premium, fee waiver, training, internship, coaching), and part of the trainees graduate and of
  the interns complete; each cash programme has one payment batch, created by an officer and
  approved by the treasurer and the head.
- Career center: employers, vacancies, job seekers, applications and placements
  (``careers.demo.seed``), and two portal accounts: an employer's and a job seeker's.

Everything goes through the services (audited as the demo users' actions), except the career
center's bulk seed; every step is one set-based call per cycle (per kecamatan for the field
verification). Which candidate is checked, rejected or graduates is a seeded draw from the enrolment's
id, computed in the database. Runs once, on a registry the demo created.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr

from sejahtera.accounts.models import User
from sejahtera.careers import demo as careers_demo
from sejahtera.careers.models import Employer, EmployerMember, JobSeeker
from sejahtera.demo.users import field_verifiers
from sejahtera.programs.models import Cycle, Enrolment, Programme
from sejahtera.programs.services import (
    cycle_create,
    cycle_open,
    cycle_periods,
    enrolments_activate,
    enrolments_approve,
    enrolments_complete,
    enrolments_graduate,
    enrolments_reject,
    enrolments_verify,
    payment_batch_approve,
    payment_batch_create,
)

S = Enrolment.Status
DRAWS = 1024  # a draw is 0..1023
# The field check, by draw (0..1023): about 90 % found as registered (verified by the kecamatan's
# verifier), about 3 % moved away and 3 % not as registered (reported by the verifier, rejected by
# the agency with the reason), the rest (about 4 %) not visited yet.
VERIFIED_BELOW = 922
REJECTIONS = (("Sudah pindah domisili", 922, 953), ("Data tidak sesuai di lapangan", 953, 984))


@dataclass(frozen=True)
class Plan:
    """Who works a programme in the demo, and how far its beneficiaries have come."""

    code: str
    head: str  # creates, opens, approves
    officer: str  # activates, moves beneficiaries on, creates payment batches
    treasurer: str = ""  # cash: the first approver of the payment batch (the head is the second)
    activate: bool = False
    graduate_below: int = 0  # of the active: draws below this graduate
    complete_below: int = 0  # of the active: draws below this complete


PLANS = (
    Plan("pbi-jkn-daerah", "kadinkes", "kadinkes", activate=True),
    Plan("bantuan-pengobatan", "kadinsos", "dinsos", treasurer="bendinsos"),
    Plan("sekolah-gratis", "kadisdik", "disdik", activate=True),
    Plan("beasiswa-s1", "kadisdik", "disdik", treasurer="bendisdik"),
    Plan("pelatihan-blk", "kadisnaker", "disnaker", activate=True, graduate_below=600),
    Plan("magang", "kadisnaker", "disnaker", activate=True, complete_below=400),
    Plan("pembinaan-umkm", "kadiskop", "kadiskop", activate=True),
)


@dataclass(frozen=True)
class ProgrammeSummary:
    name: str
    cycle: str
    candidates: int
    verified: int  # checked in the field (whatever came after)
    rejected: int
    approved: int  # holding a place: approved, active, completed, graduated
    paid: int  # payments in the cycle's batch
    paid_amount: int


@dataclass(frozen=True)
class PortalAccount:
    username: str
    password: str
    label: str  # what the account is, for the credentials table
    name: str  # the employer's or the job seeker's name


# Demo credentials, printed for whoever starts the demo on their own machine.
EMPLOYER_ACCOUNT = ("perusahaan", "demo-perusahaan-2026")
SEEKER_ACCOUNT = ("pencaker", "demo-pencaker-2026")


def cycle_span(programme: Programme, today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """Label, first and last day of the programme's current cycle: this semester for a
    half-yearly programme, this year for every other."""
    year = today.year
    if programme.period == Programme.Period.SEMESTER:
        if today.month <= 6:
            return f"{year}-S1", datetime.date(year, 1, 1), datetime.date(year, 6, 30)
        return f"{year}-S2", datetime.date(year, 7, 1), datetime.date(year, 12, 31)
    return str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def drawn(cycle: Cycle, seed: int, salt: int = 0) -> QuerySet:
    """The cycle's enrolments with ``draw``, 0..1023, a seeded hash of the id (Knuth's
    multiplicative hash, its high bits), the same on SQLite and PostgreSQL."""
    offset = (seed * 40_503 + salt * 7_919 + cycle.programme_id * 104_729) % 4_294_967_296
    return Enrolment.objects.filter(cycle_id=cycle.pk).annotate(
        draw=((F("id") * 2_654_435_761 + offset) % 4_294_967_296) / (4_294_967_296 // DRAWS))


def in_kecamatan(code: str) -> Q:
    """The enrolments of a kecamatan, as a range of desa codes (an index range also on SQLite,
    whose ``LIKE`` cannot use the index)."""
    return Q(desa_code__gte=code, desa_code__lte=code + "9999")


def checks(cycle: Cycle, officer: User, verifiers: dict[str, User], seed: int) -> None:
    """The field checks: each kecamatan's verifier verifies the candidates found as registered
    (one call per kecamatan), the agency's officer rejects those the verifiers reported (one call
    per reason)."""
    rows = drawn(cycle, seed)
    kecamatan = (rows.filter(draw__lt=VERIFIED_BELOW).annotate(kecamatan=Substr("desa_code", 1, 6)).order_by()
                 .values_list("kecamatan", flat=True).distinct())
    for code in sorted(kecamatan):
        if code in verifiers:
            enrolments_verify(actor=verifiers[code], cycle=cycle,
                              ids_or_filter=rows.filter(in_kecamatan(code), draw__lt=VERIFIED_BELOW))
    for reason, low, high in REJECTIONS:
        enrolments_reject(actor=officer, cycle=cycle, ids_or_filter=rows.filter(draw__gte=low, draw__lt=high),
                          reason=reason)


def pay(cycle: Cycle, officer: User, treasurer: User, head: User) -> None:
    """One payment batch of the cycle's first period, with its two approvals."""
    if not cycle.enrolments.filter(status__in=(S.APPROVED, S.ACTIVE)).exists():
        return
    batch = payment_batch_create(actor=officer, cycle=cycle, period=cycle_periods(cycle)[0])
    batch = payment_batch_approve(actor=treasurer, batch=batch)
    payment_batch_approve(actor=head, batch=batch)


def work_programme(programme: Programme, plan: Plan, users: dict[str, User], verifiers: dict[str, User],
                   seed: int, today: datetime.date) -> ProgrammeSummary:
    head, officer = users[plan.head], users[plan.officer]
    label, starts_on, ends_on = cycle_span(programme, today)
    cycle = cycle_create(actor=head, programme=programme, label=label, starts_on=starts_on, ends_on=ends_on)
    cycle = cycle_open(actor=head, cycle=cycle)
    checks(cycle, officer, verifiers, seed)
    enrolments_approve(actor=head, cycle=cycle, ids_or_filter=Q(status=S.VERIFIED))
    if plan.activate:
        enrolments_activate(actor=officer, cycle=cycle, ids_or_filter=Q(status=S.APPROVED))
        later = drawn(cycle, seed, salt=1).filter(status=S.ACTIVE)
        if plan.graduate_below:
            enrolments_graduate(actor=officer, cycle=cycle, ids_or_filter=later.filter(draw__lt=plan.graduate_below))
        if plan.complete_below:
            enrolments_complete(actor=officer, cycle=cycle, ids_or_filter=later.filter(draw__lt=plan.complete_below))
    if plan.treasurer and programme.pays_cash:
        pay(cycle, officer, users[plan.treasurer], head)
    return summarise(Cycle.objects.select_related("programme").get(pk=cycle.pk))


def summarise(cycle: Cycle) -> ProgrammeSummary:
    counts = dict(cycle.enrolments.order_by().values_list("status").annotate(n=Count("id")))
    paid = cycle.batches.aggregate(n=Count("payments"), total=Sum("payments__amount"))
    checked = sum(n for status, n in counts.items() if status not in (S.CANDIDATE, S.REJECTED))
    return ProgrammeSummary(name=cycle.programme.name, cycle=cycle.label, candidates=cycle.candidates,
                            verified=checked, rejected=counts.get(S.REJECTED, 0), approved=cycle.approved_count,
                            paid=paid["n"] or 0, paid_amount=paid["total"] or 0)


@transaction.atomic
def programme_activity(regency_code: str, today: datetime.date, seed: int = 1) -> list[ProgrammeSummary]:
    """Open this year's (semester's) cycle of every seeded programme and work it through."""
    programmes = {p.code: p for p in Programme.objects.filter(regency_code=regency_code, is_active=True)
                  .select_related("agency")}
    users = {u.username: u for u in User.objects.filter(
        username__in={name for plan in PLANS for name in (plan.head, plan.officer, plan.treasurer) if name})}
    verifiers = field_verifiers(regency_code)
    summaries = []
    for plan in PLANS:
        programme = programmes.get(plan.code)
        needed = [plan.head, plan.officer] + ([plan.treasurer] if plan.treasurer else [])
        if programme is None or programme.cycles.exists() or not all(name in users for name in needed):
            continue
        summaries.append(work_programme(programme, plan, users, verifiers, seed, today))
    return summaries


def _portal_user(username: str, password: str, first_name: str) -> User:
    return User.objects.create(username=username, password=make_password(password), first_name=first_name[:150])


@transaction.atomic
def career_activity(regency_code: str, seed: int) -> careers_demo.SeedSummary:
    """The career center's demo data, and an employer's and a job seeker's portal account."""
    summary = careers_demo.seed(regency_code, seed)
    if not User.objects.filter(username=EMPLOYER_ACCOUNT[0]).exists():
        employer = (Employer.objects.filter(desa_code__startswith=regency_code, status=Employer.Status.VERIFIED)
                    .order_by("pk").first())
        if employer is not None:
            user = _portal_user(*EMPLOYER_ACCOUNT, employer.contact_name)
            EmployerMember.objects.create(employer=employer, user=user)
    if not User.objects.filter(username=SEEKER_ACCOUNT[0]).exists():
        seeker = (JobSeeker.objects.filter(user__isnull=True, person__desa__pk__startswith=regency_code)
                  .select_related("person").order_by("pk").first())
        if seeker is not None:
            seeker.user = _portal_user(*SEEKER_ACCOUNT, seeker.person.name)
            seeker.save(update_fields=["user"])
    return summary


def portal_accounts() -> list[PortalAccount]:
    """The demo's portal accounts as they are in the database."""
    accounts = []
    member = (EmployerMember.objects.filter(user__username=EMPLOYER_ACCOUNT[0]).select_related("employer").first())
    if member is not None:
        accounts.append(PortalAccount(*EMPLOYER_ACCOUNT, "Perusahaan (portal kerja)", member.employer.name))
    seeker = JobSeeker.objects.filter(user__username=SEEKER_ACCOUNT[0]).select_related("person").first()
    if seeker is not None:
        accounts.append(PortalAccount(*SEEKER_ACCOUNT, "Pencari kerja (portal kerja)", seeker.person.name))
    return accounts
