"""Reads of the career center. Personal reads take the user, so scoping can't be forgotten.

Public reads (the vacancy search) show only open vacancies of verified employers before their
deadline. A seeker's record is read by the seeker, by Disnaker staff whose region covers the
seeker's desa, and by the accounts of an employer the seeker applied to; anyone else gets 404.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sejahtera.careers.access import disnaker_q, is_disnaker_staff, is_employer_member, is_seeker_self
from sejahtera.careers.models import (
    Application,
    ApplicationMessage,
    Employer,
    EmployerMember,
    JobSeeker,
    Notification,
    Placement,
    Vacancy,
)
from sejahtera.core.audit import access_log


def _authenticated(user) -> bool:
    return getattr(user, "is_authenticated", False)


# -- vacancies -------------------------------------------------------------------------------------

@dataclass
class VacancyFilters:
    q: str = ""  # words in the title, description or employer's name
    kbji: str = ""  # occupation code prefix: "7" (major group) ... "7212.01"
    education: int | None = None  # the searcher's education: vacancies asking no more than it
    kecamatan: str = ""  # 6-digit code
    wage: int | None = None  # at least this much per month
    employment_type: str = ""


def public_vacancies() -> QuerySet[Vacancy]:
    """Open vacancies of verified employers whose deadline has not passed."""
    return Vacancy.objects.filter(status=Vacancy.Status.OPEN, deadline__gte=timezone.localdate(),
                                  employer__status=Employer.Status.VERIFIED)


def vacancy_search(filters: VacancyFilters | None = None) -> QuerySet[Vacancy]:
    """The public vacancy search, soonest deadline first."""
    filters = filters or VacancyFilters()
    vacancies = public_vacancies().select_related("employer")
    for word in filters.q.split():
        vacancies = vacancies.filter(Q(title__icontains=word) | Q(description__icontains=word)
                                     | Q(employer__name__icontains=word))
    if filters.kbji:
        vacancies = vacancies.filter(kbji_code__startswith=filters.kbji.strip())
    if filters.education is not None:
        vacancies = vacancies.filter(Q(min_education__isnull=True) | Q(min_education__lte=filters.education))
    if filters.kecamatan:
        vacancies = vacancies.filter(kecamatan_code=filters.kecamatan.replace(".", ""))
    if filters.wage is not None:
        vacancies = vacancies.filter(Q(wage_max__gte=filters.wage)
                                     | Q(wage_max__isnull=True, wage_min__gte=filters.wage))
    if filters.employment_type:
        vacancies = vacancies.filter(employment_type=filters.employment_type)
    return vacancies.order_by("deadline", "-opened_at", "id")


def vacancy_get_public(pk: int) -> Vacancy:
    """A public vacancy page; 404 for drafts, closed vacancies and those past their deadline."""
    return get_object_or_404(public_vacancies().select_related("employer").prefetch_related("skills"), pk=pk)


def employers_of(user) -> QuerySet[Employer]:
    """The employers this account acts for."""
    if not _authenticated(user):
        return Employer.objects.none()
    return Employer.objects.filter(Exists(EmployerMember.objects.filter(employer=OuterRef("pk"), user=user)))


def employer_vacancies(user, status: str = "") -> QuerySet[Vacancy]:
    """Every vacancy (any state) of the employers this account acts for, newest first."""
    vacancies = Vacancy.objects.filter(employer__in=employers_of(user)).select_related("employer")
    if status:
        vacancies = vacancies.filter(status=status)
    return vacancies.order_by("-created_at", "-id")


def employer_review_queue(user) -> QuerySet[Employer]:
    """Employers waiting for verification in the Disnaker staff member's regions, oldest first."""
    return Employer.objects.filter(disnaker_q(user), status=Employer.Status.PENDING).order_by("created_at", "id")


def vacancy_review_queue(user) -> QuerySet[Vacancy]:
    """Submitted vacancies in the Disnaker staff member's regions, oldest first."""
    return (Vacancy.objects.filter(disnaker_q(user), status=Vacancy.Status.SUBMITTED)
            .select_related("employer").order_by("submitted_at", "id"))


# -- seekers ---------------------------------------------------------------------------------------

def seekers_visible_to(user) -> QuerySet[JobSeeker]:
    """The seekers ``user`` may read: themself, those in their Disnaker regions, their applicants."""
    if not _authenticated(user):
        return JobSeeker.objects.none()
    applied_to_user = Exists(Application.objects.filter(seeker=OuterRef("pk"),
                                                        vacancy__employer__members__user=user))
    return JobSeeker.objects.filter(Q(user=user) | disnaker_q(user) | applied_to_user)


def seeker_get(user, pk: int, *, channel: str = "web") -> JobSeeker:
    """One seeker with their person; 404 outside what the user may read. Others' reads are logged."""
    seeker = get_object_or_404(seekers_visible_to(user).select_related("person"), pk=pk)
    if not is_seeker_self(user, seeker):
        access_log(actor=user, instance=seeker, region_code=seeker.desa_code, channel=channel)
    return seeker


@dataclass(frozen=True)
class ApplicantProfile:
    """What an employer sees of an applicant: no NIK, no family, welfare, health or disability data."""

    seeker_id: int
    ak1_number: str
    name: str
    sex: str
    age: int
    kecamatan_code: str
    education: int
    major: str
    skills: tuple[str, ...]
    experiences: tuple[str, ...]  # "position, employer (from-until)"
    certificates: tuple[str, ...]
    phone: str
    email: str


def applicant_profile(user, pk: int, *, channel: str = "web") -> ApplicantProfile:
    """A seeker's profile for an employer's page, through the scoped (and logged) ``seeker_get``."""
    seeker = seeker_get(user, pk, channel=channel)
    person, today = seeker.person, timezone.localdate()
    age = today.year - person.birth_date.year - ((today.month, today.day) < (person.birth_date.month,
                                                                            person.birth_date.day))
    experiences = tuple(f"{e.position}, {e.employer_name} ({e.started_on:%m/%Y}-"
                        f"{e.ended_on.strftime('%m/%Y') if e.ended_on else ''})" for e in seeker.experiences.all())
    return ApplicantProfile(
        seeker_id=seeker.pk, ak1_number=seeker.ak1_number, name=person.name, sex=person.sex, age=age,
        kecamatan_code=seeker.kecamatan_code, education=seeker.education, major=seeker.major,
        skills=tuple(seeker.skills.values_list("name", flat=True)), experiences=experiences,
        certificates=tuple(seeker.certificates.values_list("name", flat=True)), phone=seeker.phone,
        email=seeker.email)


@dataclass
class SeekerFilters:
    q: str = ""  # part of the name or the AK/1 number
    kecamatan: str = ""
    desa: str = ""
    status: str = ""
    education: int | None = None  # at least this level
    kbji: str = ""  # desired occupation code prefix


def seeker_list(user, filters: SeekerFilters | None = None) -> QuerySet[JobSeeker]:
    """Seekers in the Disnaker staff member's regions (none for anyone else), newest first."""
    filters = filters or SeekerFilters()
    seekers = JobSeeker.objects.filter(disnaker_q(user)).select_related("person")
    if filters.desa:
        seekers = seekers.filter(desa_code=filters.desa.replace(".", ""))
    elif filters.kecamatan:
        seekers = seekers.filter(desa_code__startswith=filters.kecamatan.replace(".", ""))
    if filters.status:
        seekers = seekers.filter(status=filters.status)
    if filters.education is not None:
        seekers = seekers.filter(education__gte=filters.education)
    if filters.kbji:
        seekers = seekers.filter(desired_occupations__kbji_code__startswith=filters.kbji).distinct()
    if filters.q:
        q = filters.q.strip()
        seekers = seekers.filter(Q(person__name__icontains=q) | Q(ak1_number__startswith=q))
    return seekers.order_by("-created_at", "-id")


def unplaced_seekers(user, registered_before: datetime.date) -> QuerySet[JobSeeker]:
    """Active seekers registered before the date and never placed: the referral list for training or internships."""
    return (JobSeeker.objects.filter(disnaker_q(user), status=JobSeeker.Status.ACTIVE,
                                     created_at__date__lt=registered_before)
            .filter(~Exists(Placement.objects.filter(seeker=OuterRef("pk"))))
            .select_related("person").order_by("created_at", "id"))


# -- applications, messages, notifications -------------------------------------------------------

def applications_for_vacancy(user, vacancy: Vacancy, status: str = "") -> QuerySet[Application]:
    """The applicants of a vacancy, for its employer's accounts and Disnaker staff of its region; 404 otherwise."""
    allowed = is_employer_member(user, vacancy.employer) or Vacancy.objects.filter(
        disnaker_q(user), pk=vacancy.pk).exists()
    if not allowed:
        raise Http404
    applications = vacancy.applications.select_related("seeker__person")
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("applied_at", "id")


def applications_of_seeker(user) -> QuerySet[Application]:
    """The signed-in seeker's own applications with their vacancies, newest first."""
    if not _authenticated(user):
        return Application.objects.none()
    return Application.objects.filter(seeker__user=user).select_related("vacancy__employer").order_by(
        "-applied_at", "-id")


def application_get(user, pk: int) -> Application:
    """One application for its seeker, its employer's accounts or Disnaker staff of the seeker's region."""
    application = get_object_or_404(Application.objects.select_related("vacancy__employer", "seeker__person"), pk=pk)
    if not (is_seeker_self(user, application.seeker) or is_employer_member(user, application.vacancy.employer)
            or JobSeeker.objects.filter(disnaker_q(user), pk=application.seeker_id).exists()):
        raise Http404
    return application


def application_messages(user, application: Application) -> QuerySet[ApplicationMessage]:
    application = application_get(user, application.pk)
    return application.messages.select_related("sender").order_by("created_at", "id")


def notifications(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    if not _authenticated(user):
        return Notification.objects.none()
    rows = Notification.objects.filter(user=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


# -- placements ------------------------------------------------------------------------------------

@dataclass
class PlacementFilters:
    kecamatan: str = ""
    start_from: datetime.date | None = None
    start_to: datetime.date | None = None
    confirmed: bool | None = None
    employer: int | None = None


def placements(user, filters: PlacementFilters | None = None) -> QuerySet[Placement]:
    """Placements of seekers in the Disnaker staff member's regions, or of the employer's own hires."""
    filters = filters or PlacementFilters()
    if is_disnaker_staff(user):
        rows = Placement.objects.filter(disnaker_q(user, "seeker__desa_code"))
    else:
        rows = Placement.objects.filter(employer__in=employers_of(user))
    if filters.kecamatan:
        rows = rows.filter(seeker__desa_code__startswith=filters.kecamatan.replace(".", ""))
    if filters.start_from:
        rows = rows.filter(start_date__gte=filters.start_from)
    if filters.start_to:
        rows = rows.filter(start_date__lte=filters.start_to)
    if filters.confirmed is not None:
        rows = rows.filter(confirmed_at__isnull=not filters.confirmed)
    if filters.employer:
        rows = rows.filter(employer_id=filters.employer)
    return rows.select_related("seeker__person", "employer").order_by("-start_date", "-id")
