"""Career-center figures for Disnaker and the monitoring module (issue item 11). Counts only.

``career_statistics(user, year)`` counts, in the user's aggregate scopes (the regions of all their
memberships, planners included; ``welfare.selectors.aggregate_scopes``), grouped in the database:

- ``seekers``: job seekers registered in the year (``created_at``), where they live;
- ``applications``: applications made in the year (``applied_at``), where the seeker lives;
- ``placements``: jobs started in the year (``start_date``), where the seeker lives;
- ``interns``: persons matched to an internship slot in the year and not dropped before holding it
  (``Internship.HOLDING``), where they lived when matched;
- ``vacancies`` and ``openings``: vacancies opened in the year (``opened_at``) and their openings,
  where the workplace is; by month, kecamatan and minimum education only (a vacancy has no sex or
  age).

Each figure about persons is given by month, kecamatan, sex, age group (age reached by
31 December, the groups of ``training.selectors.statistics``) and education, and again for members
of poor families: the family's current welfare score in desil 1-4 (``poor``). ``training`` is
``training.selectors.training_statistics(user, year)`` unchanged (trainees, completed, certified,
placed after training). Keys: month 1-12, kecamatan code, ``"L"``/``"P"``, age group label,
education level (``registry.choices.Education``); rows without a value have the key ``None``.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import ExtractMonth, Substr

from sejahtera.careers.models import Application, JobSeeker, Placement, Vacancy
from sejahtera.core.scoping import region_prefix_q
from sejahtera.training.models import Internship
from sejahtera.training.selectors import training_statistics
from sejahtera.training.selectors.statistics import AGE_GROUPS, OLDEST_GROUP
from sejahtera.welfare.models import WelfareScore
from sejahtera.welfare.selectors import aggregate_scopes

POOR_DESIL = 4
PERSON_DIMENSIONS = ("month", "kecamatan", "sex", "age_group", "education")
VACANCY_DIMENSIONS = ("month", "kecamatan", "education")


@dataclass(frozen=True)
class Group:
    key: object
    value: int
    poor: int | None  # members of poor families; None for vacancies and openings


@dataclass(frozen=True)
class Figure:
    name: str
    total: int
    poor: int | None
    by: dict[str, tuple[Group, ...]] = field(default_factory=dict)

    def of(self, dimension: str) -> dict:
        """``{key: value}`` of one dimension."""
        return {group.key: group.value for group in self.by.get(dimension, ())}


@dataclass(frozen=True)
class CareerStatistics:
    year: int
    seekers: Figure
    applications: Figure
    placements: Figure
    interns: Figure
    vacancies: Figure
    openings: Figure
    training: dict  # training.selectors.training_statistics


@dataclass(frozen=True)
class _Subject:
    model: type
    date: str  # the field whose year and month count
    region: str  # the desa-code field
    person: str  # path to the registry person, with a trailing "__"
    education: str
    extra: Q = field(default_factory=Q)


SUBJECTS = {
    "seekers": _Subject(JobSeeker, "created_at", "desa_code", "person__", "education"),
    "applications": _Subject(Application, "applied_at", "seeker__desa_code", "seeker__person__", "seeker__education"),
    "placements": _Subject(Placement, "start_date", "seeker__desa_code", "person__", "seeker__education"),
    "interns": _Subject(Internship, "matched_at", "desa_code", "person__", "person__education",
                        Q(status__in=Internship.HOLDING)),
}


def age_group(birth_field: str, year: int):
    whens = [When(**{f"{birth_field}__gt": datetime.date(year - age, 12, 31)}, then=Value(label))
             for age, label in AGE_GROUPS]
    return Case(*whens, default=Value(OLDEST_GROUP), output_field=CharField())


def _scope_q(user, field_name: str) -> Q | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return region_prefix_q(field_name, aggregate_scopes(user))


def _poor(person: str):
    return Exists(WelfareScore.objects.filter(family_id=OuterRef(f"{person}family_id"), is_current=True,
                                              desil__lte=POOR_DESIL))


def _dimension(name: str, subject: _Subject, year: int):
    return {"month": ExtractMonth(subject.date), "kecamatan": Substr(subject.region, 1, 6),
            "sex": F(f"{subject.person}sex"), "age_group": age_group(f"{subject.person}birth_date", year),
            "education": F(subject.education)}[name]


def _person_figure(user, name: str, year: int) -> Figure:
    subject = SUBJECTS[name]
    scope = _scope_q(user, subject.region)
    if scope is None:
        return Figure(name, 0, 0, {d: () for d in PERSON_DIMENSIONS})
    rows = subject.model.objects.filter(scope, subject.extra, **{f"{subject.date}__year": year}).order_by()
    counts = {"value": Count("id"), "poor": Count("id", filter=Q(_poor(subject.person)))}
    total = rows.aggregate(**counts)
    by = {}
    for dimension in PERSON_DIMENSIONS:
        grouped = rows.annotate(key=_dimension(dimension, subject, year)).values("key").annotate(**counts)
        by[dimension] = tuple(Group(r["key"], r["value"], r["poor"]) for r in grouped.order_by("key"))
    return Figure(name, total["value"], total["poor"], by)


def _vacancy_figures(user, year: int) -> tuple[Figure, Figure]:
    scope = _scope_q(user, "desa_code")
    if scope is None:
        empty = {d: () for d in VACANCY_DIMENSIONS}
        return Figure("vacancies", 0, None, empty), Figure("openings", 0, None, empty)
    rows = Vacancy.objects.filter(scope, opened_at__year=year).order_by()
    sums = {"n": Count("id"), "openings": Sum("openings")}
    total = rows.aggregate(**sums)
    keys = {"month": ExtractMonth("opened_at"), "kecamatan": F("kecamatan_code"), "education": F("min_education")}
    vacancies, openings = {}, {}
    for dimension in VACANCY_DIMENSIONS:
        grouped = list(rows.annotate(key=keys[dimension]).values("key").annotate(**sums).order_by("key"))
        vacancies[dimension] = tuple(Group(r["key"], r["n"], None) for r in grouped)
        openings[dimension] = tuple(Group(r["key"], r["openings"] or 0, None) for r in grouped)
    return (Figure("vacancies", total["n"], None, vacancies),
            Figure("openings", total["openings"] or 0, None, openings))


def career_statistics(user, year: int) -> CareerStatistics:
    """The career center's figures of ``year`` in the user's aggregate scopes."""
    vacancies, openings = _vacancy_figures(user, year)
    return CareerStatistics(
        year=year, seekers=_person_figure(user, "seekers", year),
        applications=_person_figure(user, "applications", year),
        placements=_person_figure(user, "placements", year), interns=_person_figure(user, "interns", year),
        vacancies=vacancies, openings=openings,
        training=training_statistics(user, year) if getattr(user, "is_authenticated", False) else {})
