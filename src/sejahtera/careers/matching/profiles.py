"""What the matcher knows of a job seeker and a vacancy, independent of the database models."""

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SeekerProfile:
    id: int
    education: int | None  # registry.choices.Education value (ordered: higher = more)
    major: str
    skills: frozenset[str]  # normalized names (normalize_skill)
    kbji_codes: frozenset[str]  # desired and past occupations (any digit level)
    work_areas: frozenset[str]  # 6-digit kecamatan codes wanted; empty = anywhere
    home_kecamatan: str  # 6-digit code
    age: int | None
    experience_months: int
    expected_wage: int | None  # Rp per month
    text: str  # summary, experience and certificate text
    desil: int | None  # the family's current desil (1 = poorest)


@dataclass(frozen=True)
class VacancyProfile:
    id: int
    title: str
    description: str
    kbji_code: str
    min_education: int | None
    majors: frozenset[str]
    skills: frozenset[str]
    age_min: int | None
    age_max: int | None
    min_experience_months: int
    kecamatan: str  # 6-digit code
    wage_min: int | None
    wage_max: int | None


@dataclass(frozen=True)
class MatchSettings:
    """Weights of the score parts (summing to 1) and the priority for members of poor families."""

    occupation: float = 0.30
    skills: float = 0.30
    education: float = 0.10
    location: float = 0.10
    text: float = 0.20
    poor_priority: bool = False
    poor_desil_max: int = 4
    poor_bonus: float = 10.0

    def __post_init__(self):
        total = self.occupation + self.skills + self.education + self.location + self.text
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"The weights of the score parts must sum to 1, not {total:g}.")


@dataclass(frozen=True)
class Match:
    seeker_id: int
    vacancy_id: int
    eligible: bool  # all hard requirements met
    score: float  # 0-100 (+ bonus), only meaningful when eligible
    parts: dict[str, float] = field(hash=False)  # each part 0-1
    matched_skills: tuple[str, ...]
    missing_skills: tuple[str, ...]
    unmet: tuple[str, ...]  # hard requirements not met, as plain sentences
    reasons: tuple[str, ...]  # why, in plain words


_SPACES = re.compile(r"[\s_\-/]+")
_KEEP = re.compile(r"[^0-9a-z+#. ]")


def normalize_skill(name: str) -> str:
    """One spelling per skill: ``"  Microsoft-Excel "`` -> ``"microsoft excel"``, ``"C++"`` stays ``"c++"``.

    Lower case, accents dropped, dashes, slashes and underscores as spaces, other punctuation
    removed except ``+ # .`` (``c#``, ``node.js``), single spaces, no trailing dot.
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii").lower()
    text = _KEEP.sub("", _SPACES.sub(" ", text))
    return " ".join(text.split()).strip(" .")
