"""Telling the match cache what changed: the writes of the career center call these explicitly.

``careers.recommend`` keeps the profiles of every seeker and every public vacancy in memory per
process. What the matcher knows of a seeker is the seeker row itself (education, major, wage,
desa, status), their skills, certificates, work experience, desired occupations and work areas;
of a vacancy, the vacancy row, its skills and, for whether it is public, its employer's
verification. Every service that writes any of these calls one of the functions below right after
its write, inside its own transaction (no signal receivers: see DESIGN.md):

- ``seekers_changed(ids)`` — seekers whose profile (or one of its lists) changed;
- ``vacancies_changed(ids)`` — vacancies whose text, requirements, skills or state changed;
- ``employer_changed(employer)`` — every vacancy of the employer (they go public or private with
  its verification);
- ``everything_changed()`` — after bulk writes (``bulk_create``, ``QuerySet.update``) of many
  seekers or vacancies: every cache rebuilds both.

Each call adds the ids to ``LOCAL_CHANGES`` (read by the cache of this process on its next request)
and writes one ``MatchingChange`` row per id (read by the caches of the other processes; the row
commits or rolls back with the write). ``EVERY`` (-1) stands for all of a kind.
"""

from collections.abc import Iterable

from sejahtera.careers.models.recommendations import MatchingChange

SEEKER, VACANCY = MatchingChange.Kind.SEEKER, MatchingChange.Kind.VACANCY
EVERY = -1

# Changes seen in this process since the match cache last looked: kind -> ids (-1: all).
LOCAL_CHANGES: dict[str, set[int]] = {SEEKER: set(), VACANCY: set()}


def record_change(kind: str, ids: Iterable[int | None]) -> None:
    """Log a change of the ``kind`` (``MatchingChange.Kind``) objects ``ids`` (None ignored)."""
    ids = {int(i) for i in ids if i is not None}
    if not ids:
        return
    LOCAL_CHANGES[kind].update(ids)
    MatchingChange.objects.bulk_create([MatchingChange(kind=kind, object_id=i) for i in sorted(ids)])


def seekers_changed(ids: Iterable[int | None]) -> None:
    """The profiles of the seekers ``ids`` changed (the seeker, their skills or lists)."""
    record_change(SEEKER, ids)


def vacancies_changed(ids: Iterable[int | None]) -> None:
    """The vacancies ``ids`` changed (fields, skills or state)."""
    record_change(VACANCY, ids)


def employer_changed(employer) -> None:
    """The employer changed (its verification decides whether its vacancies are public): all its vacancies."""
    from sejahtera.careers.models.vacancies import Vacancy

    vacancies_changed(Vacancy.objects.filter(employer_id=employer.pk).values_list("pk", flat=True))


def everything_changed() -> None:
    """Many seekers and vacancies changed at once (bulk writes): every cache rebuilds both."""
    record_change(SEEKER, [EVERY])
    record_change(VACANCY, [EVERY])
