"""Scoring a job seeker against a vacancy, and ranking one against many.

Hard requirements (minimum education, age range, minimum experience, and the vacancy's majors
when the seeker has a major) decide ``eligible``. The score, 0-100, is the weighted sum of five
parts, each 0-1:

- occupation: the deepest KBJI code prefix shared by the vacancy's code and any of the seeker's
  desired or past codes: same unit group (4 digits) 1.0, minor group 0.75, sub-major 0.5, major 0.25;
- skills: the share of the vacancy's skills the seeker has; 0.5 (neutral) when it lists none;
- education: 1.0 at the minimum, 0.1 less per level above it (down to 0.5); 0.5 without a minimum;
- location: home kecamatan 1.0, a wanted work area 0.8, anywhere wanted 0.6 in the same regency
  and 0.4 elsewhere, outside the wanted areas 0;
- text: the cosine of the seeker's text and the vacancy's title and description (n-gram TF-IDF by
  default, :class:`~.text.TextSimilarity`), doubled and capped at 1 (unrelated texts score
  near 0.1, close ones above 0.4).

With ``poor_priority`` set, members of families in desil 1 to ``poor_desil_max`` get
``poor_bonus`` points on top. Encodings of texts are cached by the similarity, and every
vacancy-side value is computed once per ranking.
"""

from array import array
from dataclasses import dataclass, replace

import numpy as np

from sejahtera.careers import kbji
from sejahtera.careers.matching import explain
from sejahtera.careers.matching.profiles import Match, MatchSettings, SeekerProfile, VacancyProfile, normalize_skill
from sejahtera.careers.matching.text import TextSimilarity, default_text_similarity

OCCUPATION_BY_DEPTH = (0.0, 0.25, 0.5, 0.75, 1.0)
NEUTRAL = 0.5
TEXT_STRETCH = 2.0
VACANCY_TEXT_TERMS = 150


@dataclass(frozen=True)
class _Vacancy:
    """A vacancy with everything the scoring needs computed once."""

    profile: VacancyProfile
    digits: str
    skills: tuple[str, ...]
    majors: frozenset[str]
    regency: str
    text: object


@dataclass(frozen=True)
class _Seeker:
    profile: SeekerProfile
    digits: tuple[str, ...]
    major: str
    text: object


def _prepare_vacancy(vacancy: VacancyProfile, similarity: TextSimilarity) -> _Vacancy:
    return _Vacancy(
        profile=vacancy,
        digits=kbji.digits_of(vacancy.kbji_code or "")[:4],
        skills=tuple(sorted(vacancy.skills)),
        majors=frozenset(normalize_skill(major) for major in vacancy.majors),
        regency=vacancy.kecamatan[:4],
        text=_strongest(similarity.encode(f"{vacancy.title}\n{vacancy.title}\n{vacancy.description}")),
    )


def _strongest(encoding: object) -> object:
    """The vacancy's n-gram vector cut to its ``VACANCY_TEXT_TERMS`` heaviest n-grams.

    Comparing it with every seeker then costs a fixed, small time; the dropped n-grams are the
    common ones, which add little to a cosine. Encodings of other kinds pass unchanged.
    """
    if not isinstance(encoding, dict) or len(encoding) <= VACANCY_TEXT_TERMS:
        return encoding
    return dict(sorted(encoding.items(), key=lambda item: (-item[1], item[0]))[:VACANCY_TEXT_TERMS])


def _prepare_seeker(seeker: SeekerProfile, similarity: TextSimilarity) -> _Seeker:
    return _Seeker(
        profile=seeker,
        digits=tuple(kbji.digits_of(code)[:4] for code in sorted(seeker.kbji_codes)),
        major=normalize_skill(seeker.major) if seeker.major else "",
        text=similarity.encode(seeker.text) if seeker.text else None,
    )


def _occupation_depth(vacancy_digits: str, seeker_digits: tuple[str, ...]) -> int:
    best = 0
    for digits in seeker_digits:
        depth = 0
        for a, b in zip(vacancy_digits, digits, strict=False):
            if a != b:
                break
            depth += 1
        if depth > best:
            best = depth
            if best == 4:
                break
    return best


def _major_fits(major: str, majors: frozenset[str]) -> bool:
    return major in majors or any(major in wanted or wanted in major for wanted in majors)


def _unmet(p: dict, seeker: _Seeker, vacancy: _Vacancy) -> tuple[str, ...]:
    s, v = seeker.profile, vacancy.profile
    unmet = []
    if v.min_education is not None and (s.education is None or s.education < v.min_education):
        unmet.append(explain.unmet_education(p, v.min_education, s.education))
    if v.age_min is not None or v.age_max is not None:
        too_young = v.age_min is not None and (s.age is None or s.age < v.age_min)
        too_old = v.age_max is not None and (s.age is None or s.age > v.age_max)
        if too_young or too_old:
            unmet.append(explain.unmet_age(p, s.age, v.age_min, v.age_max))
    if s.experience_months < v.min_experience_months:
        unmet.append(explain.unmet_experience(p, v.min_experience_months, s.experience_months))
    if vacancy.majors and seeker.major and not _major_fits(seeker.major, vacancy.majors):
        unmet.append(explain.unmet_major(p, s.major, v.majors))
    return tuple(unmet)


def _education_part(education: int | None, minimum: int | None) -> float:
    if minimum is None or education is None:
        return NEUTRAL
    return max(NEUTRAL, 1.0 - 0.1 * max(0, education - minimum))


def _location(seeker: SeekerProfile, vacancy: _Vacancy) -> tuple[str, float]:
    kecamatan = vacancy.profile.kecamatan
    if kecamatan == seeker.home_kecamatan:
        return "home", 1.0
    if seeker.work_areas:
        return ("wanted", 0.8) if kecamatan in seeker.work_areas else ("outside", 0.0)
    return ("regency", 0.6) if seeker.home_kecamatan[:4] == vacancy.regency else ("elsewhere", 0.4)


def _scored(seeker: _Seeker, vacancy: _Vacancy, settings: MatchSettings, similarity: TextSimilarity) -> tuple:
    """The score of a pair (rounded as in ``Match``) and what its explanation needs."""
    s, v = seeker.profile, vacancy.profile
    depth = _occupation_depth(vacancy.digits, seeker.digits)
    if vacancy.skills:
        matched = tuple(skill for skill in vacancy.skills if skill in s.skills)
        missing = tuple(skill for skill in vacancy.skills if skill not in s.skills)
        skills_part = len(matched) / len(vacancy.skills)
    else:
        matched, missing, skills_part = (), (), NEUTRAL
    where, location_part = _location(s, vacancy)
    text_part = 0.0
    if seeker.text is not None:
        text_part = min(1.0, TEXT_STRETCH * max(0.0, similarity.similarity(seeker.text, vacancy.text)))
    parts = {
        "occupation": OCCUPATION_BY_DEPTH[depth],
        "skills": skills_part,
        "education": _education_part(s.education, v.min_education),
        "location": location_part,
        "text": text_part,
    }
    score = 100.0 * (
        settings.occupation * parts["occupation"]
        + settings.skills * parts["skills"]
        + settings.education * parts["education"]
        + settings.location * parts["location"]
        + settings.text * parts["text"]
    )
    poor = settings.poor_priority and s.desil is not None and s.desil <= settings.poor_desil_max
    if poor:
        score += settings.poor_bonus
    return round(score, 4), depth, matched, missing, where, parts, poor


def _explained(p: dict, seeker: _Seeker, vacancy: _Vacancy, scored: tuple) -> Match:
    s, v = seeker.profile, vacancy.profile
    score, depth, matched, missing, where, parts, poor = scored
    unmet = _unmet(p, seeker, vacancy)
    reasons = explain.reasons(
        p,
        parts,
        vacancy_code=v.kbji_code,
        occupation_depth=depth,
        matched=matched,
        missing=missing,
        skill_total=len(vacancy.skills),
        education=s.education,
        min_education=v.min_education,
        location=where,
        poor_desil=s.desil if poor else None,
    )
    return Match(s.id, v.id, not unmet, score, parts, matched, missing, unmet, reasons)


def _match(p: dict, seeker: _Seeker, vacancy: _Vacancy, settings: MatchSettings, similarity: TextSimilarity) -> Match:
    return _explained(p, seeker, vacancy, _scored(seeker, vacancy, settings, similarity))


def _order(match: Match, other_id: int) -> tuple:
    return (not match.eligible, -match.score, other_id)


def match(seeker: SeekerProfile, vacancy: VacancyProfile, settings: MatchSettings = MatchSettings(), *,
          text_similarity: TextSimilarity | None = None) -> Match:
    """The match of one seeker and one vacancy."""
    similarity = text_similarity or default_text_similarity()
    return _match(explain.phrases(), _prepare_seeker(seeker, similarity), _prepare_vacancy(vacancy, similarity), settings,
                  similarity)


def rank_vacancies(seeker: SeekerProfile, vacancies, settings: MatchSettings = MatchSettings(), *,
                   limit: int | None = None, text_similarity: TextSimilarity | None = None) -> list[Match]:
    """The vacancies for a seeker: eligible first, best score first, then by vacancy id."""
    similarity = text_similarity or default_text_similarity()
    prepared = _prepare_seeker(seeker, similarity)
    p = explain.phrases()
    matches = [_match(p, prepared, _prepare_vacancy(vacancy, similarity), settings, similarity) for vacancy in vacancies]
    matches.sort(key=lambda m: _order(m, m.vacancy_id))
    return matches if limit is None else matches[:limit]


def rank_seekers(vacancy: VacancyProfile, seekers, settings: MatchSettings = MatchSettings(), *,
                 limit: int | None = None, text_similarity: TextSimilarity | None = None) -> list[Match]:
    """The candidates for a vacancy: eligible first, best score first, then by seeker id."""
    similarity = text_similarity or default_text_similarity()
    prepared = _prepare_vacancy(vacancy, similarity)
    p = explain.phrases()
    matches = [_match(p, _prepare_seeker(seeker, similarity), prepared, settings, similarity) for seeker in seekers]
    matches.sort(key=lambda m: _order(m, m.seeker_id))
    return matches if limit is None else matches[:limit]


# -- the fast path: many against one, with every score part but explanations in numpy -------------
#
# ``SeekerIndex`` holds many seekers and ``VacancyIndex`` many vacancies as arrays and inverted
# lists (KBJI prefixes, skills, work areas, n-grams). For one vacancy (or one seeker) they give the
# approximate score of every pair at once; only the pairs within ``MARGIN`` points of the k-th best
# are then matched exactly by ``_match``, the same function as ``rank_seekers`` and
# ``rank_vacancies``, and sorted as they sort. The approximation differs from the exact score by
# float rounding only (float32 n-gram weights: well under 1e-4 points), and a pair can sit above the
# k-th best exact (rounded to 4 decimals) score only if its approximate score is within
# 2 x 1e-4 + 5e-5 points of the k-th best approximate one, so the top k, ids and scores, are the
# same as the plain ranking's. The fast path needs n-gram vectors (dicts) as text encodings; for
# another ``TextSimilarity`` the callers use the plain ranking.

MARGIN = 1e-3
_OCCUPATION = np.array(OCCUPATION_BY_DEPTH)


def supports_index(similarity: TextSimilarity) -> bool:
    return callable(getattr(similarity, "vector", None)) and isinstance(similarity.vector(""), dict)


class _Postings:
    """Inverted lists of sparse vectors: n-gram -> (row numbers, float32 weights), in packed arrays."""

    def __init__(self, vectors):
        """``vectors``: an iterable (a generator keeps only one vector in memory at a time)."""
        gram_ids: dict[str, int] = {}
        grams, rows, weights = array("i"), array("i"), array("f")
        size = 0
        for row, vector in enumerate(vectors):
            size += 1
            for gram, weight in vector.items():
                grams.append(gram_ids.setdefault(gram, len(gram_ids)))
                rows.append(row)
                weights.append(weight)
        grams_ = np.frombuffer(grams, dtype=np.int32)
        order = np.argsort(grams_, kind="stable")
        self.rows = np.frombuffer(rows, dtype=np.int32)[order]
        self.weights = np.frombuffer(weights, dtype=np.float32)[order]
        self.offsets = np.searchsorted(grams_[order], np.arange(len(gram_ids) + 1))
        self.gram_ids = gram_ids
        self.size = size

    def dot(self, vector: dict) -> np.ndarray:
        """The dot product of ``vector`` with every row."""
        get = self.gram_ids.get
        found = [(gram_id, weight) for gram_id, weight in zip(map(get, vector), vector.values(), strict=True)
                 if gram_id is not None]
        if not found:
            return np.zeros(self.size)
        gram_ids = np.fromiter((g for g, _ in found), dtype=np.int64, count=len(found))
        factors = np.fromiter((w for _, w in found), dtype=np.float64, count=len(found))
        starts, ends = self.offsets[gram_ids], self.offsets[gram_ids + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if not total:
            return np.zeros(self.size)
        # positions of every posting of the n-grams found, in one array
        positions = np.arange(total) + np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        weights = self.weights[positions] * np.repeat(factors, lengths)
        return np.bincount(self.rows[positions], weights=weights, minlength=self.size)


def _lists(keyed_rows) -> dict[str, np.ndarray]:
    lists: dict[str, list[int]] = {}
    for key, row in keyed_rows:
        lists.setdefault(key, []).append(row)
    return {key: np.array(rows, dtype=np.int64) for key, rows in lists.items()}


def _text_part(cosines: np.ndarray) -> np.ndarray:
    return np.minimum(1.0, TEXT_STRETCH * np.maximum(0.0, cosines))


def _exact_top(candidates, approximate: np.ndarray, limit: int, pair, other_ids: np.ndarray, settings: MatchSettings,
               similarity: TextSimilarity, p: dict) -> list[Match]:
    """The exact top ``limit`` eligible matches among ``candidates`` (row numbers), best first.

    ``pair(row)`` gives the prepared seeker and vacancy of a row, ``other_ids`` the id each row is
    ordered by. The rows near the top by approximate score are scored exactly, sorted as the plain
    ranking sorts, and explained until ``limit`` eligible matches are found.
    """
    if not len(candidates):
        return []
    scores = approximate[candidates]
    if len(candidates) > limit:
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        candidates = candidates[scores >= kth - MARGIN]
    exact = []
    for row in candidates.tolist():
        seeker, vacancy = pair(row)
        scored = _scored(seeker, vacancy, settings, similarity)
        exact.append((-scored[0], int(other_ids[row]), seeker, vacancy, scored))
    exact.sort(key=lambda item: item[:2])
    matches = []
    for _, _, seeker, vacancy, scored in exact:
        match_ = _explained(p, seeker, vacancy, scored)
        if match_.eligible:
            matches.append(match_)
            if len(matches) == limit:
                break
    return matches


class SeekerIndex:
    """Many seekers, for ranking them against one vacancy at a time (``top_seekers``)."""

    def __init__(self, seekers, similarity: TextSimilarity):
        self.similarity = similarity
        self.profiles: list[SeekerProfile] = list(seekers)
        profiles = self.profiles
        self.row = {s.id: n for n, s in enumerate(profiles)}
        self.ids = np.array([s.id for s in profiles], dtype=np.int64)
        self.education = np.array([-1 if s.education is None else s.education for s in profiles], dtype=np.int64)
        self.age = np.array([-1 if s.age is None else s.age for s in profiles], dtype=np.int64)
        self.experience = np.array([s.experience_months for s in profiles], dtype=np.int64)
        self.home = np.array([s.home_kecamatan for s in profiles], dtype="U6")
        self.regency = np.array([s.home_kecamatan[:4] for s in profiles], dtype="U4")
        self.has_areas = np.array([bool(s.work_areas) for s in profiles], dtype=bool)
        self.areas = _lists((area, n) for n, s in enumerate(profiles) for area in s.work_areas)
        self.skills = _lists((skill, n) for n, s in enumerate(profiles) for skill in s.skills)
        occupation_rows = []
        for n, s in enumerate(profiles):
            seen = set()
            for code in s.kbji_codes:
                digits = kbji.digits_of(code)[:4]
                for depth in range(1, len(digits) + 1):
                    if (depth, digits[:depth]) not in seen:
                        seen.add((depth, digits[:depth]))
                        occupation_rows.append(((depth, digits[:depth]), n))
        self.occupations = _lists(occupation_rows)
        majors = [normalize_skill(s.major) if s.major else "" for s in profiles]
        self.major_names = sorted(set(majors))
        major_number = {name: n for n, name in enumerate(self.major_names)}
        self.major = np.array([major_number[m] for m in majors], dtype=np.int64)
        self.text = _Postings(similarity.vector(s.text) if s.text else {} for s in profiles)

    def __len__(self) -> int:
        return len(self.profiles)

    def eligible(self, vacancy: _Vacancy) -> np.ndarray:
        """The hard requirements of ``vacancy`` met, row by row (as ``_unmet`` has them)."""
        v = vacancy.profile
        ok = self.experience >= v.min_experience_months
        if v.min_education is not None:
            ok &= self.education >= v.min_education
        if v.age_min is not None:
            ok &= (self.age >= 0) & (self.age >= v.age_min)
        if v.age_max is not None:
            ok &= (self.age >= 0) & (self.age <= v.age_max)
        if vacancy.majors:
            fits = np.array([not m or _major_fits(m, vacancy.majors) for m in self.major_names], dtype=bool)
            ok &= fits[self.major]
        return ok

    def scores(self, vacancy: _Vacancy, settings: MatchSettings, poor: np.ndarray | None = None) -> np.ndarray:
        """The approximate score of every row against ``vacancy``."""
        n = len(self.profiles)
        depth = np.zeros(n, dtype=np.int64)
        for level in range(1, len(vacancy.digits) + 1):
            rows = self.occupations.get((level, vacancy.digits[:level]))
            if rows is not None:
                depth[rows] = level
        if vacancy.skills:
            count = np.zeros(n)
            for skill in vacancy.skills:
                rows = self.skills.get(skill)
                if rows is not None:
                    count[rows] += 1
            skills = count / len(vacancy.skills)
        else:
            skills = NEUTRAL
        minimum = vacancy.profile.min_education
        if minimum is None:
            education = NEUTRAL
        else:
            education = np.where(self.education < 0, NEUTRAL,
                                 np.maximum(NEUTRAL, 1.0 - 0.1 * np.maximum(0, self.education - minimum)))
        kecamatan = vacancy.profile.kecamatan
        location = np.where(self.has_areas, 0.0, np.where(self.regency == vacancy.regency, 0.6, 0.4))
        rows = self.areas.get(kecamatan)
        if rows is not None:
            location[rows] = 0.8
        location[self.home == kecamatan] = 1.0
        text = _text_part(self.text.dot(vacancy.text)) if isinstance(vacancy.text, dict) else 0.0
        score = 100.0 * (settings.occupation * _OCCUPATION[depth] + settings.skills * skills
                         + settings.education * education + settings.location * location + settings.text * text)
        if poor is not None and settings.poor_priority:
            score = score + np.where(poor, settings.poor_bonus, 0.0)
        return score


def top_seekers(index: SeekerIndex, vacancy: VacancyProfile, settings: MatchSettings = MatchSettings(), *,
                limit: int, allowed: np.ndarray | None = None, desil: dict[int, int] | None = None,
                phrases: dict | None = None) -> list[Match]:
    """The eligible top ``limit`` of ``rank_seekers(vacancy, seekers of the index)``, same ids and scores.

    ``allowed`` (a boolean per row) restricts the seekers; ``desil`` gives the desil of seekers
    (all others: none) when the poor-family priority is on.
    """
    similarity = index.similarity
    prepared = _prepare_vacancy(vacancy, similarity)
    ok = index.eligible(prepared)
    if allowed is not None:
        ok &= allowed
    poor = None
    if desil and settings.poor_priority:
        poor = np.zeros(len(index), dtype=bool)
        for seeker_id, value in desil.items():
            row = index.row.get(seeker_id)
            if row is not None and value is not None and value <= settings.poor_desil_max:
                poor[row] = True
    p = phrases or explain.phrases()  # explain.phrases() of the active language

    def pair(row: int) -> tuple[_Seeker, _Vacancy]:
        profile = index.profiles[row]
        if desil is not None:
            profile = replace(profile, desil=desil.get(profile.id))
        return _prepare_seeker(profile, similarity), prepared

    return _exact_top(np.flatnonzero(ok), index.scores(prepared, settings, poor), limit, pair, index.ids, settings,
                      similarity, p)


class VacancyIndex:
    """Many vacancies, for ranking them for one seeker at a time (``top_vacancies``)."""

    def __init__(self, vacancies, similarity: TextSimilarity):
        self.similarity = similarity
        self.prepared: list[_Vacancy] = [_prepare_vacancy(v, similarity) for v in vacancies]
        prepared = self.prepared
        self.row = {v.profile.id: n for n, v in enumerate(prepared)}
        self.ids = np.array([v.profile.id for v in prepared], dtype=np.int64)
        self.min_education = np.array([-1 if v.profile.min_education is None else v.profile.min_education
                                       for v in prepared], dtype=np.int64)
        self.age_min = np.array([-1 if v.profile.age_min is None else v.profile.age_min for v in prepared],
                                dtype=np.int64)
        self.age_max = np.array([-1 if v.profile.age_max is None else v.profile.age_max for v in prepared],
                                dtype=np.int64)
        self.experience = np.array([v.profile.min_experience_months for v in prepared], dtype=np.int64)
        self.kecamatan = np.array([v.profile.kecamatan for v in prepared], dtype="U6")
        self.by_kecamatan = _lists((v.profile.kecamatan, n) for n, v in enumerate(prepared))
        self.regency = np.array([v.regency for v in prepared], dtype="U4")
        self.skill_count = np.array([len(v.skills) for v in prepared], dtype=np.float64)
        self.skills = _lists((skill, n) for n, v in enumerate(prepared) for skill in v.skills)
        self.occupations = _lists(((depth, v.digits[:depth]), n) for n, v in enumerate(prepared)
                                  for depth in range(1, len(v.digits) + 1))
        self.with_majors = [(n, v.majors) for n, v in enumerate(prepared) if v.majors]
        self.text_ok = all(isinstance(v.text, dict) for v in prepared)
        self.text = _Postings([v.text if isinstance(v.text, dict) else {} for v in prepared])

    def __len__(self) -> int:
        return len(self.prepared)

    def eligible(self, seeker: _Seeker) -> np.ndarray:
        s = seeker.profile
        ok = self.experience <= s.experience_months
        education = -1 if s.education is None else s.education
        ok &= (self.min_education < 0) | ((education >= 0) & (self.min_education <= education))
        age = -1 if s.age is None else s.age
        ok &= (self.age_min < 0) | ((age >= 0) & (self.age_min <= age))
        ok &= (self.age_max < 0) | ((age >= 0) & (self.age_max >= age))
        if seeker.major:
            for row, majors in self.with_majors:
                if ok[row] and not _major_fits(seeker.major, majors):
                    ok[row] = False
        return ok

    def scores(self, seeker: _Seeker, settings: MatchSettings) -> np.ndarray:
        s = seeker.profile
        n = len(self.prepared)
        depth = np.zeros(n, dtype=np.int64)
        for digits in seeker.digits:
            for level in range(1, len(digits) + 1):
                rows = self.occupations.get((level, digits[:level]))
                if rows is not None:
                    depth[rows] = np.maximum(depth[rows], level)
        count = np.zeros(n)
        for skill in s.skills:
            rows = self.skills.get(skill)
            if rows is not None:
                count[rows] += 1
        with np.errstate(invalid="ignore", divide="ignore"):
            skills = np.where(self.skill_count > 0, count / self.skill_count, NEUTRAL)
        if s.education is None:
            education = NEUTRAL
        else:
            education = np.where(self.min_education < 0, NEUTRAL,
                                 np.maximum(NEUTRAL, 1.0 - 0.1 * np.maximum(0, s.education - self.min_education)))
        if s.work_areas:
            location = np.zeros(n)
            for area in s.work_areas:
                rows = self.by_kecamatan.get(area)
                if rows is not None:
                    location[rows] = 0.8
        else:
            location = np.where(self.regency == s.home_kecamatan[:4], 0.6, 0.4)
        location = np.where(self.kecamatan == s.home_kecamatan, 1.0, location)
        text = _text_part(self.text.dot(seeker.text)) if isinstance(seeker.text, dict) else 0.0
        score = 100.0 * (settings.occupation * _OCCUPATION[depth] + settings.skills * skills
                         + settings.education * education + settings.location * location + settings.text * text)
        if settings.poor_priority and s.desil is not None and s.desil <= settings.poor_desil_max:
            score = score + settings.poor_bonus
        return score


def top_vacancies(index: VacancyIndex, seeker: SeekerProfile, settings: MatchSettings = MatchSettings(), *,
                  limit: int, allowed: np.ndarray | None = None, phrases: dict | None = None) -> list[Match]:
    """The eligible top ``limit`` of ``rank_vacancies(seeker, vacancies of the index)``, same ids and scores."""
    similarity = index.similarity
    prepared = _prepare_seeker(seeker, similarity)
    ok = index.eligible(prepared)
    if allowed is not None:
        ok &= allowed
    p = phrases or explain.phrases()  # explain.phrases() of the active language
    if not index.text_ok:
        matches = [m for m in (_match(p, prepared, index.prepared[row], settings, similarity)
                               for row in np.flatnonzero(ok)) if m.eligible]
        matches.sort(key=lambda m: _order(m, m.vacancy_id))
        return matches[:limit]
    return _exact_top(np.flatnonzero(ok), index.scores(prepared, settings), limit,
                      lambda row: (prepared, index.prepared[row]), index.ids, settings, similarity, p)
