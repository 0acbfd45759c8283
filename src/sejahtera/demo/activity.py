"""Work already under way in a new demo, so every part has something to show.

- Programmes: this year's cycle of medical cash aid (Bantuan Biaya Pengobatan) opened by the
  head of Dinsos, its candidates in the demo verifier's kecamatan verified and approved, so the
  cycle pages, the targeting analytics and the payment batches have data.
- Career center: employers, vacancies, job seekers, applications and placements
  (``careers.demo.seed``), and two portal accounts: an employer's and a job seeker's.

Everything goes through the services (audited as the demo users' actions), except the career
center's bulk seed. Runs once, on a registry the demo created.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q

from sejahtera.accounts.models import Membership, User
from sejahtera.accounts.roles import Role
from sejahtera.careers import demo as careers_demo
from sejahtera.careers.models import Employer, EmployerMember, JobSeeker
from sejahtera.programs.models import Cycle, Enrolment, Programme
from sejahtera.programs.services import cycle_create, cycle_open, enrolments_approve, enrolments_verify

MEDICAL_AID = "bantuan-pengobatan"


@dataclass(frozen=True)
class PortalAccount:
    username: str
    password: str
    label: str  # what the account is, for the credentials table
    name: str  # the employer's or the job seeker's name


# Demo credentials, printed for whoever starts the demo on their own machine.
EMPLOYER_ACCOUNT = ("perusahaan", "demo-perusahaan-2026")
SEEKER_ACCOUNT = ("pencaker", "demo-pencaker-2026")


def _member(username: str, role: str) -> User | None:
    membership = (Membership.objects.filter(user__username=username, role=role, is_active=True)
                  .select_related("user").first())
    return membership.user if membership else None


@transaction.atomic
def programme_activity(regency_code: str, today: datetime.date) -> int:
    """Open this year's medical-aid cycle and work through one kecamatan; how many were approved."""
    programme = Programme.objects.filter(code=MEDICAL_AID, regency_code=regency_code).first()
    head = _member("kadinsos", Role.AGENCY_HEAD)
    verifier = _member("verifikator", Role.KECAMATAN_VERIFIER)
    if programme is None or head is None or verifier is None or programme.cycles.exists():
        return 0
    cycle = cycle_create(actor=head, programme=programme, label=str(today.year),
                         starts_on=datetime.date(today.year, 1, 1), ends_on=datetime.date(today.year, 12, 31))
    cycle = cycle_open(actor=head, cycle=cycle)
    kecamatan = verifier.memberships.get(role=Role.KECAMATAN_VERIFIER).region_id
    enrolments_verify(actor=verifier, cycle=cycle, ids_or_filter=Q(desa_code__startswith=kecamatan))
    enrolments_approve(actor=head, cycle=cycle, ids_or_filter=Q(status=Enrolment.Status.VERIFIED))
    return Cycle.objects.get(pk=cycle.pk).approved_count


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
