"""The match of each applicant with the vacancy, for the employer's applicant list.

A small adapter from the models to :mod:`sejahtera.careers.matching` profiles, used until
``careers/recommend.py`` offers the same for the web. The family's desil is left out on purpose:
an employer's page never carries welfare data, so the poor-family priority (a bonus that would
reveal it) does not apply here.
"""

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from sejahtera.careers.matching import Match, SeekerProfile, VacancyProfile, match, normalize_skill
from sejahtera.careers.models import Application, JobSeeker, Vacancy, WorkExperience


def vacancy_profile(vacancy: Vacancy) -> VacancyProfile:
    return VacancyProfile(
        id=vacancy.pk, title=vacancy.title, description=vacancy.description, kbji_code=vacancy.kbji_code,
        min_education=vacancy.min_education, majors=frozenset(vacancy.major_list),
        skills=frozenset(normalize_skill(s.name) for s in vacancy.skills.all()), age_min=vacancy.age_min,
        age_max=vacancy.age_max, min_experience_months=vacancy.min_experience_months,
        kecamatan=vacancy.kecamatan_code, wage_min=vacancy.wage_min, wage_max=vacancy.wage_max)


def _age(birth: datetime.date | None, today: datetime.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def seeker_profile(seeker: JobSeeker, today: datetime.date) -> SeekerProfile:
    """The seeker as the matcher sees them; expects the prefetches of :func:`applications_with_matches`."""
    experiences = list(seeker.experiences.all())
    codes = {d.kbji_code for d in seeker.desired_occupations.all()} | {e.kbji_code for e in experiences if e.kbji_code}
    text = "\n".join([seeker.major, *(f"{e.position} {e.employer_name}" for e in experiences),
                      *(c.name for c in seeker.certificates.all())])
    return SeekerProfile(
        id=seeker.pk, education=seeker.education, major=seeker.major,
        skills=frozenset(normalize_skill(s.name) for s in seeker.skills.all()), kbji_codes=frozenset(codes),
        work_areas=frozenset(w.kecamatan_code for w in seeker.work_areas.all()),
        home_kecamatan=seeker.kecamatan_code, age=_age(seeker.person.birth_date, today),
        experience_months=sum(e.months for e in experiences), expected_wage=seeker.expected_wage, text=text,
        desil=None)


def with_match_prefetches(applications):
    """The applications with what a match needs, in a fixed number of queries."""
    return applications.select_related("seeker__person").prefetch_related(
        "seeker__skills", "seeker__desired_occupations", "seeker__work_areas", "seeker__certificates",
        Prefetch("seeker__experiences", queryset=WorkExperience.objects.order_by("started_on")))


def applications_with_matches(vacancy: Vacancy, applications) -> list[tuple[Application, Match]]:
    """Each application with its match, in the order given."""
    profile, today = vacancy_profile(vacancy), timezone.localdate()
    return [(a, match(seeker_profile(a.seeker, today), profile)) for a in with_match_prefetches(applications)]
