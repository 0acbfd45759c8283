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

from dataclasses import dataclass

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


def _match(p: dict, seeker: _Seeker, vacancy: _Vacancy, settings: MatchSettings, similarity: TextSimilarity) -> Match:
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
    return Match(s.id, v.id, not unmet, round(score, 4), parts, matched, missing, unmet, reasons)


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
