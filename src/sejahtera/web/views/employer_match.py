"""The match of each applicant with the vacancy, for the employer's applicant pages.

Profiles come from ``careers.recommend`` (built in bulk, a fixed number of queries), without the
family's desil: an employer's page never reads welfare data, so the poor-family priority (a bonus
that would reveal it) does not apply here. Unlike ``recommend.candidates_for_vacancy``, every
applicant is matched, eligible or not, so the employer also sees which requirements are unmet.
"""

from django.utils import timezone

from sejahtera.careers import recommend
from sejahtera.careers.matching import Match, match
from sejahtera.careers.models import Application, JobSeeker, Vacancy


def applications_with_matches(vacancy: Vacancy, applications) -> list[tuple[Application, Match]]:
    """Each application with its seeker's match, in the order given."""
    applications = list(applications)
    if not applications:
        return []
    settings = recommend.match_settings(poor_priority=False)
    vacancy_profile = recommend.vacancy_profiles(Vacancy.objects.filter(pk=vacancy.pk))[0]
    seekers = JobSeeker.objects.filter(pk__in=[a.seeker_id for a in applications])
    profiles = {p.id: p for p in recommend.seeker_profiles(seekers, with_desil=False, today=timezone.localdate())}
    return [(a, match(profiles[a.seeker_id], vacancy_profile, settings)) for a in applications]
