"""Recommendations from the database: vacancies for a seeker, candidates for a vacancy.

The matching engine (:mod:`sejahtera.careers.matching`) knows nothing of models; this module
builds its profiles in bulk — one query per related table for any number of seekers or vacancies,
never one per row — and applies the scoping of the career center:

- ``vacancies_for_seeker``: for the seeker themself, or Disnaker staff whose region covers the
  seeker (their read is logged); open vacancies of verified employers the seeker has not applied
  to yet;
- ``candidates_for_vacancy``: for the accounts of the vacancy's employer and Disnaker staff of the
  vacancy's or the employer's region; active seekers of the vacancy's regency (for Disnaker staff,
  of their own regions). Each call is logged as a search. An employer gets a minimal profile of
  each candidate (no NIK, no contact, no family, welfare or health data), as in
  ``selectors.applicant_profile``.

Both return only eligible matches (every hard requirement met), best first. The hard
requirements that the database can check (education, age range, experience) filter in SQL first,
so only eligible seekers or vacancies are built and encoded; the major is checked by the matcher.

Both rank from a match cache kept per process (see "the match cache" below): every seeker's and
every public vacancy's profile in numpy arrays, scored against one vacancy or one seeker at once,
the best pairs then matched exactly by the matcher itself, so the lists are those of the plain
ranking (``rank_seekers`` / ``rank_vacancies``), ids and scores, and every list is checked against
SQL before it is returned.

The priority for members of poor families (desil 1-4) is the setting
``SEJAHTERA_CAREERS_POOR_PRIORITY`` (off by default). Welfare data is never read on an
employer's behalf: an employer's candidate list is ranked without it, and only Disnaker staff's
lists (and the seeker's own, where it moves nothing) carry the priority.
"""

import datetime
import threading
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache, wraps

import numpy as np

from django.conf import settings
from django.db.models import (
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest
from django.http import Http404
from django.utils import timezone

from sejahtera.careers.access import disnaker_q, disnaker_scopes, is_disnaker_for, is_employer_member, is_seeker_self
from sejahtera.careers.matching import Match, MatchSettings, SeekerProfile, VacancyProfile, normalize_skill
from sejahtera.careers.matching import default_text_similarity, rank_seekers, rank_vacancies
from sejahtera.careers.matching.ranking import SeekerIndex, VacancyIndex, supports_index, top_seekers, top_vacancies
from sejahtera.careers.models import (
    Application,
    Certificate,
    DesiredOccupation,
    JobSeeker,
    MatchingChange,
    Vacancy,
    WorkArea,
    WorkExperience,
)
from sejahtera.careers.matching_log import EVERY, LOCAL_CHANGES
from sejahtera.careers.selectors import public_vacancies
from sejahtera.core.audit import access_log, audit_record
from sejahtera.core.models import AuditEvent
from sejahtera.welfare.models import WelfareScore


@dataclass(frozen=True)
class Recommendation:
    vacancy: Vacancy
    match: Match


@dataclass(frozen=True)
class Candidate:
    """A ranked seeker: what an employer may see of them (as ``ApplicantProfile``, without contact)."""

    seeker_id: int
    ak1_number: str
    name: str
    sex: str
    age: int | None
    kecamatan_code: str
    education: int
    major: str
    skills: tuple[str, ...]
    match: Match


def match_settings(*, poor_priority: bool | None = None) -> MatchSettings:
    """The matcher's settings; the poor-family priority follows ``SEJAHTERA_CAREERS_POOR_PRIORITY``."""
    if poor_priority is None:
        poor_priority = bool(getattr(settings, "SEJAHTERA_CAREERS_POOR_PRIORITY", False))
    return MatchSettings(poor_priority=poor_priority)


def age_on(birth: datetime.date | None, today: datetime.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _years_before(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def experience_months_sql(today: datetime.date):
    """Months of one ``WorkExperience`` row in SQL, as ``WorkExperience.months`` counts them."""
    end = Coalesce(F("ended_on"), Value(today))
    months = ((ExtractYear(end) - ExtractYear("started_on")) * 12 + ExtractMonth(end) - ExtractMonth("started_on") + 1)
    return Greatest(months, Value(0), output_field=IntegerField())


def experience_total(today: datetime.date, seeker_ref: str = "pk"):
    """Subquery: the total months of work experience of the seeker at ``seeker_ref`` (0 without any)."""
    totals = (WorkExperience.objects.filter(seeker_id=OuterRef(seeker_ref)).order_by().values("seeker_id")
              .annotate(total=Sum(experience_months_sql(today))).values("total")[:1])
    return Coalesce(Subquery(totals, output_field=IntegerField()), Value(0))


def _months(started: datetime.date, ended: datetime.date | None, today: datetime.date) -> int:
    end = ended or today
    return max(0, (end.year - started.year) * 12 + end.month - started.month + 1)


# Skill names repeat across thousands of seekers: normalise each distinct name once.
_normalized = lru_cache(maxsize=20_000)(normalize_skill)


def current_desil(person_ref: str = "person__family_id"):
    return Subquery(WelfareScore.objects.filter(family_id=OuterRef(person_ref), is_current=True)
                    .values("desil")[:1], output_field=IntegerField())


# -- profiles in bulk ------------------------------------------------------------------------------

def seeker_profiles(seekers: QuerySet[JobSeeker], *, with_desil: bool = True,
                    today: datetime.date | None = None) -> list[SeekerProfile]:
    """The profiles of ``seekers`` (by id), in six queries whatever their number.

    The text the matcher compares is the major, the positions held, the certificates and the
    skills; ``desil`` is the family's current one (None without a score, or ``with_desil`` off).
    """
    today = today or timezone.localdate()
    base = seekers.order_by()
    rows = base.values("id", "education", "major", "expected_wage", "desa_code", "person__birth_date")
    if with_desil:
        rows = rows.annotate(desil=current_desil())
    ids = base.values("pk")
    skills, codes, areas, texts = defaultdict(set), defaultdict(set), defaultdict(set), defaultdict(list)
    months = defaultdict(int)
    for seeker_id, name in JobSeeker.skills.through.objects.filter(jobseeker_id__in=ids).values_list(
            "jobseeker_id", "skill__name").order_by("jobseeker_id", "skill__name"):
        skills[seeker_id].add(_normalized(name))
        texts[seeker_id].append(name)
    for seeker_id, code in DesiredOccupation.objects.filter(seeker_id__in=ids).values_list("seeker_id", "kbji_code"):
        codes[seeker_id].add(code)
    for seeker_id, code, position, started, ended in (
            WorkExperience.objects.filter(seeker_id__in=ids).order_by("seeker_id", "started_on", "id")
            .values_list("seeker_id", "kbji_code", "position", "started_on", "ended_on")):
        if code:
            codes[seeker_id].add(code)
        texts[seeker_id].append(position)
        months[seeker_id] += _months(started, ended, today)
    for seeker_id, code in WorkArea.objects.filter(seeker_id__in=ids).values_list("seeker_id", "kecamatan_code"):
        areas[seeker_id].add(code)
    for seeker_id, name in Certificate.objects.filter(seeker_id__in=ids).order_by("seeker_id", "id").values_list(
            "seeker_id", "name"):
        texts[seeker_id].append(name)
    profiles = []
    for row in rows.order_by("id"):
        sid = row["id"]
        text = "\n".join(part for part in (row["major"], *texts[sid]) if part)
        profiles.append(SeekerProfile(
            id=sid, education=row["education"], major=row["major"], skills=frozenset(skills[sid]),
            kbji_codes=frozenset(codes[sid]), work_areas=frozenset(areas[sid]), home_kecamatan=row["desa_code"][:6],
            age=age_on(row["person__birth_date"], today), experience_months=months[sid],
            expected_wage=row["expected_wage"], text=text, desil=row.get("desil")))
    return profiles


def vacancy_profiles(vacancies: QuerySet[Vacancy]) -> list[VacancyProfile]:
    """The profiles of ``vacancies`` (by id), in two queries."""
    base = vacancies.order_by()
    skills = defaultdict(set)
    for vacancy_id, name in Vacancy.skills.through.objects.filter(vacancy_id__in=base.values("pk")).values_list(
            "vacancy_id", "skill__name"):
        skills[vacancy_id].add(_normalized(name))
    rows = base.values("id", "title", "description", "kbji_code", "min_education", "majors", "age_min", "age_max",
                       "min_experience_months", "kecamatan_code", "wage_min", "wage_max").order_by("id")
    return [VacancyProfile(
        id=row["id"], title=row["title"], description=row["description"], kbji_code=row["kbji_code"],
        min_education=row["min_education"],
        majors=frozenset(m.strip() for m in row["majors"].split(",") if m.strip()),
        skills=frozenset(skills[row["id"]]), age_min=row["age_min"], age_max=row["age_max"],
        min_experience_months=row["min_experience_months"], kecamatan=row["kecamatan_code"],
        wage_min=row["wage_min"], wage_max=row["wage_max"]) for row in rows]


# -- hard requirements in SQL ----------------------------------------------------------------------

def eligible_seekers(seekers: QuerySet[JobSeeker], vacancy: Vacancy, today: datetime.date) -> QuerySet[JobSeeker]:
    """``seekers`` meeting the vacancy's minimum education, age range and experience."""
    if vacancy.min_education is not None:
        seekers = seekers.filter(education__gte=vacancy.min_education)
    if vacancy.age_min is not None:
        seekers = seekers.filter(person__birth_date__lte=_years_before(today, vacancy.age_min))
    if vacancy.age_max is not None:
        seekers = seekers.filter(person__birth_date__gt=_years_before(today, vacancy.age_max + 1))
    if vacancy.min_experience_months:
        seekers = seekers.alias(months=experience_total(today)).filter(months__gte=vacancy.min_experience_months)
    return seekers


def fitting_vacancies(vacancies: QuerySet[Vacancy], seeker: SeekerProfile) -> QuerySet[Vacancy]:
    """``vacancies`` whose minimum education, age range and experience the seeker meets."""
    education = seeker.education if seeker.education is not None else 0
    vacancies = vacancies.filter(Q(min_education__isnull=True) | Q(min_education__lte=education),
                                 min_experience_months__lte=seeker.experience_months)
    if seeker.age is None:
        return vacancies.filter(age_min__isnull=True, age_max__isnull=True)
    return vacancies.filter(Q(age_min__isnull=True) | Q(age_min__lte=seeker.age),
                            Q(age_max__isnull=True) | Q(age_max__gte=seeker.age))


# -- the two lists ---------------------------------------------------------------------------------

def vacancies_for_seeker(user, seeker: JobSeeker, limit: int = 20) -> list[Recommendation]:
    """The open vacancies that fit ``seeker`` best; 404 for anyone but the seeker and Disnaker staff."""
    if not is_seeker_self(user, seeker):
        if not is_disnaker_for(user, seeker.desa_code):
            raise Http404
        access_log(actor=user, instance=seeker, region_code=seeker.desa_code)
    today = _start()
    settings_ = match_settings()
    profile = cached_seeker_profile(seeker.pk, today)
    if profile is None:
        profile = seeker_profiles(JobSeeker.objects.filter(pk=seeker.pk), today=today)[0]
    elif settings_.poor_priority:
        profile = replace(profile, desil=JobSeeker.objects.filter(pk=seeker.pk).annotate(desil=current_desil())
                          .values_list("desil", flat=True).get())
    applied = Application.objects.filter(seeker_id=seeker.pk, vacancy_id=OuterRef("pk"))
    vacancies = fitting_vacancies(public_vacancies(), profile).filter(~Exists(applied))
    matches = fast_vacancies(profile, today, limit, settings_)
    if matches is not None:  # checked against SQL: public, fitting, not applied to
        ids = [m.vacancy_id for m in matches]
        found = set(vacancies.filter(pk__in=ids).values_list("pk", flat=True))
        if len(found) != len(ids):  # the cache missed a change: refresh those vacancies, rank the plain way
            with _lock:
                _cached("vacancies", today).refresh({pk for pk in ids if pk not in found})
            matches = None
    if matches is None:
        matches = [m for m in rank_vacancies(profile, vacancy_profiles(vacancies), match_settings()) if m.eligible]
        matches = matches[:limit]
    by_id = Vacancy.objects.select_related("employer").in_bulk([m.vacancy_id for m in matches])
    return [Recommendation(by_id[m.vacancy_id], m) for m in matches]


def candidate_pool(user, vacancy: Vacancy) -> QuerySet[JobSeeker]:
    """Active seekers ``user`` may be shown for ``vacancy``; 404 for users outside the vacancy's side."""
    staff = is_disnaker_for(user, vacancy.desa_code) or is_disnaker_for(user, vacancy.employer.desa_code)
    if staff:
        return JobSeeker.objects.filter(disnaker_q(user), status=JobSeeker.Status.ACTIVE)
    if is_employer_member(user, vacancy.employer):
        return JobSeeker.objects.filter(desa_code__startswith=vacancy.desa_code[:4], status=JobSeeker.Status.ACTIVE)
    raise Http404


def candidates_for_vacancy(user, vacancy: Vacancy, limit: int = 50) -> list[Candidate]:
    """The eligible active seekers who fit ``vacancy`` best, with a minimal profile each."""
    vacancy = Vacancy.objects.select_related("employer").get(pk=vacancy.pk)
    staff = is_disnaker_for(user, vacancy.desa_code) or is_disnaker_for(user, vacancy.employer.desa_code)
    today = _start()
    settings_ = match_settings() if staff else match_settings(poor_priority=False)
    matches = fast_candidates(user, vacancy, staff, today, limit, settings_)
    if matches is None:
        pool = eligible_seekers(candidate_pool(user, vacancy), vacancy, today)
        profiles = seeker_profiles(pool, with_desil=staff, today=today)
        matches = [m for m in rank_seekers(vacancy_profiles(Vacancy.objects.filter(pk=vacancy.pk))[0], profiles,
                                           settings_) if m.eligible][:limit]
    ids = [m.seeker_id for m in matches]
    people = {row["id"]: row for row in JobSeeker.objects.filter(pk__in=ids).values(
        "id", "ak1_number", "person__name", "person__sex", "person__birth_date", "desa_code", "education", "major")}
    skills = defaultdict(list)
    for seeker_id, name in JobSeeker.skills.through.objects.filter(jobseeker_id__in=ids).values_list(
            "jobseeker_id", "skill__name").order_by("skill__name"):
        skills[seeker_id].append(name)
    audit_record(actor=user, action=AuditEvent.Action.SEARCH, instance=vacancy, region_code=vacancy.desa_code,
                 changes={"seekers": ids}, summary=f"candidates for {vacancy}")
    candidates = []
    for m in matches:
        row = people[m.seeker_id]
        candidates.append(Candidate(
            seeker_id=m.seeker_id, ak1_number=row["ak1_number"], name=row["person__name"], sex=row["person__sex"],
            age=age_on(row["person__birth_date"], today), kecamatan_code=row["desa_code"][:6],
            education=row["education"], major=row["major"], skills=tuple(skills[m.seeker_id]), match=m))
    return candidates


# -- the match cache: every seeker's and vacancy's profile in memory, per process ----------------
#
# Building the profiles of the ~17,000 seekers a vacancy can reach takes a second of SQL and
# Python, and checking the hard requirements in SQL ~50 ms; a request has 100. So each process keeps
# the profiles of all seekers (with desa code and status) in a ``SeekerIndex`` and those of the public
# vacancies in a ``VacancyIndex``, built on first use and again each day (ages and months of
# experience count to today). Changes reach it through ``models.recommendations.MatchingChange``:
# profiles changed since are left out of the index and matched the plain way from fresh profiles
# (``_Overlay``); past ``REBUILD_AFTER`` of them the index is rebuilt. A candidate list is checked
# against SQL (the seeker pool and the hard requirements) before it is returned; if any seeker in it
# no longer belongs (a change the log missed), the list is computed the plain way instead.

REBUILD_AFTER = 2000
LOG_WINDOW = 200  # log rows re-read each time: a row committed late under a lower id is not missed


class _Seekers:
    def __init__(self, today: datetime.date, similarity):
        self.today = today
        seekers = JobSeeker.objects.all()
        self.index = SeekerIndex(seeker_profiles(seekers, with_desil=False, today=today), similarity)
        rows = dict((pk, (desa, status)) for pk, desa, status in seekers.values_list("id", "desa_code", "status"))
        self.desa = np.array([rows[p.id][0] for p in self.index.profiles], dtype="U10")
        self.active = np.array([rows[p.id][1] == JobSeeker.Status.ACTIVE for p in self.index.profiles], dtype=bool)
        self.live = np.ones(len(self.index), dtype=bool)
        self.overlay: dict[int, tuple[SeekerProfile, str, str]] = {}
        self.scopes: dict[tuple[str, ...], np.ndarray] = {}

    def allowed(self, scopes: list[str]) -> np.ndarray:
        key = tuple(sorted(scopes))
        if key not in self.scopes:
            inside = np.zeros(len(self.index), dtype=bool)
            for code in key:
                inside |= np.char.startswith(self.desa, code)
            self.scopes[key] = inside & self.active
        return self.scopes[key] & self.live

    def refresh(self, ids: set[int]) -> None:
        for pk in ids:
            row = self.index.row.get(pk)
            if row is not None:
                self.live[row] = False
            self.overlay.pop(pk, None)
        found = JobSeeker.objects.filter(pk__in=ids)
        rows = {pk: (desa, status) for pk, desa, status in found.values_list("id", "desa_code", "status")}
        for profile in seeker_profiles(found, with_desil=False, today=self.today):
            self.overlay[profile.id] = (profile, *rows[profile.id])


class _Vacancies:
    def __init__(self, today: datetime.date, similarity):
        self.today = today
        self.index = VacancyIndex(vacancy_profiles(public_vacancies()), similarity)
        self.live = np.ones(len(self.index), dtype=bool)
        self.overlay: dict[int, VacancyProfile] = {}  # public vacancies changed since the build

    def refresh(self, ids: set[int]) -> None:
        for pk in ids:
            row = self.index.row.get(pk)
            if row is not None:
                self.live[row] = False
            self.overlay.pop(pk, None)
        for profile in vacancy_profiles(public_vacancies().filter(pk__in=ids)):
            self.overlay[profile.id] = profile


_lock = threading.RLock()  # one request at a time reads or updates the cache of the process (threaded servers)


def _locked(function):
    @wraps(function)
    def locked(*args, **kwargs):
        with _lock:
            return function(*args, **kwargs)
    return locked


_cache: dict = {"seekers": None, "vacancies": None, "applied": set(), "seen": None}


@_locked
def forget() -> None:
    """Drop the match cache of this process (after writes not logged through ``matching_log``)."""
    _cache.update(seekers=None, vacancies=None, applied=set(), seen=None)
    for ids in LOCAL_CHANGES.values():
        ids.clear()


def _sync() -> None:
    """Apply the changes logged since the last request to the cached seekers and vacancies."""
    changed = {kind: set(ids) for kind, ids in LOCAL_CHANGES.items()}
    for ids in LOCAL_CHANGES.values():
        ids.clear()
    rows = list(MatchingChange.objects.filter(id__gt=_cache["seen"] - LOG_WINDOW).order_by("id")
                .values_list("id", "kind", "object_id"))
    applied = _cache["applied"]
    for row_id, kind, object_id in rows:
        if row_id not in applied:
            applied.add(row_id)
            changed[kind].add(object_id)
    if rows:
        _cache["seen"] = max(_cache["seen"], rows[-1][0])
        if len(applied) > 10 * LOG_WINDOW:
            _cache["applied"] = {i for i in applied if i > _cache["seen"] - LOG_WINDOW}
    for kind, key in ((MatchingChange.Kind.SEEKER, "seekers"), (MatchingChange.Kind.VACANCY, "vacancies")):
        ids = changed[kind]
        part = _cache[key]
        if not ids or part is None:
            continue
        if EVERY in ids or len(ids) + len(getattr(part, "overlay", ())) > REBUILD_AFTER:
            _cache[key] = None
        else:
            part.refresh(ids)


@_locked
def _start() -> datetime.date:
    """Today, after bringing the cache up to date (a new day rebuilds it)."""
    today = timezone.localdate()
    if _cache["seen"] is None:  # the first request of the process: everything logged so far is in the build
        _cache["seen"] = MatchingChange.objects.aggregate(last=Max("id"))["last"] or 0
        _cache["applied"] = set(MatchingChange.objects.filter(id__gt=_cache["seen"] - LOG_WINDOW)
                                .values_list("id", flat=True))
    _sync()
    for key in ("seekers", "vacancies"):
        if _cache[key] is not None and _cache[key].today != today:
            _cache[key] = None
    return today


def _cached(key: str, today: datetime.date):
    if _cache[key] is None:
        _cache[key] = (_Seekers if key == "seekers" else _Vacancies)(today, default_text_similarity())
    return _cache[key]


def _by_order(match: Match, other_id: int) -> tuple:
    return (-match.score, other_id)


@_locked
def fast_candidates(user, vacancy: Vacancy, staff: bool, today: datetime.date, limit: int,
                    settings_: MatchSettings) -> list[Match] | None:
    """``limit`` eligible matches as the plain ranking gives them, from the cache; None to rank the plain way."""
    if limit is None or not supports_index(default_text_similarity()):
        return None
    seekers = _cached("seekers", today)
    scopes = disnaker_scopes(user) if staff else [vacancy.desa_code[:4]]
    desil = None
    if staff and settings_.poor_priority:
        desil = dict(JobSeeker.objects.filter(disnaker_q(user), status=JobSeeker.Status.ACTIVE).order_by()
                     .annotate(desil=current_desil()).filter(desil__isnull=False).values_list("id", "desil"))
    profile = vacancy_profiles(Vacancy.objects.filter(pk=vacancy.pk))[0]
    matches = top_seekers(seekers.index, profile, settings_, limit=limit, allowed=seekers.allowed(scopes),
                          desil=desil)
    extra = [replace(p, desil=None if desil is None else desil.get(p.id)) for p, desa, status in
             seekers.overlay.values() if status == JobSeeker.Status.ACTIVE and desa.startswith(tuple(scopes))]
    if extra:
        matches += [m for m in rank_seekers(profile, extra, settings_) if m.eligible]
        matches.sort(key=lambda m: _by_order(m, m.seeker_id))
    matches = matches[:limit]
    ids = [m.seeker_id for m in matches]
    members = set(eligible_seekers(candidate_pool(user, vacancy), vacancy, today).filter(pk__in=ids)
                  .values_list("pk", flat=True))
    if len(members) != len(ids):  # the cache missed a change: refresh those seekers, rank the plain way
        seekers.refresh({pk for pk in ids if pk not in members})
        return None
    return matches


@_locked
def cached_seeker_profile(seeker_id: int, today: datetime.date) -> SeekerProfile | None:
    """The seeker's profile from the match cache when it holds an up-to-date one (desil left out)."""
    seekers = _cache["seekers"]
    if seekers is None or seekers.today != today:
        return None
    if seeker_id in seekers.overlay:
        return seekers.overlay[seeker_id][0]
    row = seekers.index.row.get(seeker_id)
    return seekers.index.profiles[row] if row is not None and seekers.live[row] else None


@_locked
def fast_vacancies(profile: SeekerProfile, today: datetime.date, limit: int,
                   settings_: MatchSettings) -> list[Match] | None:
    """``limit`` eligible matches as the plain ranking of public vacancies gives them; None to rank the plain way."""
    if limit is None or not supports_index(default_text_similarity()):
        return None
    cached = _cached("vacancies", today)
    index = cached.index
    applied = set(Application.objects.filter(seeker_id=profile.id).values_list("vacancy_id", flat=True))
    allowed = cached.live.copy()
    for pk in applied:
        if pk in index.row:
            allowed[index.row[pk]] = False
    matches = top_vacancies(index, profile, settings_, limit=limit, allowed=allowed)
    extra = [v for pk, v in cached.overlay.items() if pk not in applied]
    if extra:
        matches += [m for m in rank_vacancies(profile, extra, settings_) if m.eligible]
        matches.sort(key=lambda m: _by_order(m, m.vacancy_id))
    return matches[:limit]


@_locked
def warm() -> None:
    """Build the match cache of this process now rather than on the first request."""
    today = _start()
    _cached("seekers", today)
    _cached("vacancies", today)
