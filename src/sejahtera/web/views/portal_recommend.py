"""Recommended vacancies for the seeker's dashboard.

Uses ``sejahtera.careers.recommend.vacancies_for_seeker`` when that module is present. Until it
is (it is written alongside), this adapter builds the matcher's profiles from the database and ranks every public vacancy
with ``careers.matching.rank_vacancies``. It reads only the signed-in seeker's own record and
public vacancies, leaving out those already applied to. Welfare priority is not applied here (the seeker's own ranking does not need it).
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from sejahtera.careers import selectors
from sejahtera.careers.matching import Match, SeekerProfile, VacancyProfile, normalize_skill, rank_vacancies
from sejahtera.careers.models import JobSeeker, Skill, Vacancy


@dataclass
class Recommendation:
    vacancy: Vacancy
    match: Match


def _age(birth_date) -> int | None:
    if not birth_date:
        return None
    today = timezone.localdate()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def seeker_profile(seeker: JobSeeker) -> SeekerProfile:
    experiences = list(seeker.experiences.all())
    certificates = list(seeker.certificates.all())
    codes = {d.kbji_code for d in seeker.desired_occupations.all()} | {e.kbji_code for e in experiences if e.kbji_code}
    text = " ".join([seeker.major, *(f"{e.position} {e.employer_name}" for e in experiences),
                     *(c.name for c in certificates)])
    return SeekerProfile(
        id=seeker.pk, education=seeker.education, major=seeker.major,
        skills=frozenset(normalize_skill(s.name) for s in seeker.skills.all()), kbji_codes=frozenset(codes),
        work_areas=frozenset(w.kecamatan_code for w in seeker.work_areas.all()),
        home_kecamatan=seeker.kecamatan_code, age=_age(seeker.person.birth_date),
        experience_months=sum(e.months for e in experiences), expected_wage=seeker.expected_wage, text=text,
        desil=None)


def vacancy_profile(vacancy: Vacancy) -> VacancyProfile:
    return VacancyProfile(
        id=vacancy.pk, title=vacancy.title, description=vacancy.description, kbji_code=vacancy.kbji_code,
        min_education=vacancy.min_education, majors=frozenset(m.casefold() for m in vacancy.major_list),
        skills=frozenset(normalize_skill(s.name) for s in vacancy.skills.all()), age_min=vacancy.age_min,
        age_max=vacancy.age_max, min_experience_months=vacancy.min_experience_months,
        kecamatan=vacancy.kecamatan_code, wage_min=vacancy.wage_min, wage_max=vacancy.wage_max)


def _own_ranking(user, seeker: JobSeeker, limit: int) -> list[Recommendation]:
    applied = selectors.applications_of_seeker(user).values("vacancy_id")
    vacancies = {v.pk: v for v in selectors.public_vacancies().exclude(pk__in=applied).select_related(
        "employer").prefetch_related(Prefetch("skills", queryset=Skill.objects.only("name")))}
    matches = rank_vacancies(seeker_profile(seeker), [vacancy_profile(v) for v in vacancies.values()])
    return [Recommendation(vacancies[m.vacancy_id], m) for m in matches if m.eligible][:limit]


def recommended_vacancies(user, seeker: JobSeeker, limit: int = 20) -> list[Recommendation]:
    """The seeker's best eligible vacancies with the matcher's reasons."""
    try:
        from sejahtera.careers.recommend import vacancies_for_seeker
    except ImportError:
        return _own_ranking(user, seeker, limit)
    rows = vacancies_for_seeker(user, seeker, limit=limit)
    return [_as_recommendation(row) for row in rows]


def _as_recommendation(row) -> Recommendation:
    """Accept ``(vacancy, match)``, ``(match, vacancy)`` or an object with ``vacancy`` and ``match``."""
    if isinstance(row, tuple):
        first, second = row
        return Recommendation(first, second) if isinstance(first, Vacancy) else Recommendation(second, first)
    return Recommendation(row.vacancy, row.match)
