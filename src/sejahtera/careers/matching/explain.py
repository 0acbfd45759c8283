"""The plain-language sentences of a match: hard requirements not met, and the reasons for a score.

English message ids, translated by Django's gettext (Indonesian in the application).
"""

from django.utils.translation import gettext as _

from sejahtera.careers import kbji

# Below these part values a part is not worth a reason of its own.
TEXT_REASON_MIN = 0.5


def phrases() -> dict:
    """Every sentence of a match in the active language, translated once per ranking, not per pair."""
    from sejahtera.registry.choices import Education

    return {
        "education": {level.value: str(level.label) for level in Education},
        "no_education": _("Education not recorded (minimum %(minimum)s)"),
        "low_education": _("Education %(actual)s is below the minimum %(minimum)s"),
        "age_between": _("%(min)d to %(max)d years"),
        "age_min": _("at least %(min)d years"),
        "age_max": _("at most %(max)d years"),
        "no_age": _("Age not recorded (required: %(limits)s)"),
        "bad_age": _("Age %(age)d is outside the required age (%(limits)s)"),
        "experience": _("%(actual)d months of work experience, %(required)d required"),
        "major": _("Major %(major)s is not among the majors asked for (%(majors)s)"),
        "same_occupation": _("Desired or past occupation matches (%(occupation)s)"),
        "related_occupation": _("Related occupation in the same group (%(group)s)"),
        "major_group": _("Occupation in the same major group (%(group)s)"),
        "skills_matched": _("Has %(count)d of %(total)d required skills: %(skills)s"),
        "skills_missing": _("Missing skills: %(skills)s"),
        "education_met": _("Education %(actual)s meets the minimum %(minimum)s"),
        "home": _("The workplace is in the seeker's home kecamatan"),
        "wanted": _("The workplace is in a wanted work area"),
        "outside": _("The workplace is outside the wanted work areas"),
        "text": _("Experience and summary resemble the vacancy's description"),
        "poor": _("Priority for members of poor families (desil %(desil)d)"),
    }


def _education(p: dict, level: int | None) -> str:
    return p["education"].get(level, str(level))


def _group_label(code: str, depth: int) -> str:
    """``"7212 Pekerja Pengelasan"`` for the first ``depth`` digits of ``code``."""
    return kbji.label(kbji.digits_of(code)[:depth])


def unmet_education(p: dict, minimum: int, actual: int | None) -> str:
    if actual is None:
        return p["no_education"] % {"minimum": _education(p, minimum)}
    return p["low_education"] % {"actual": _education(p, actual), "minimum": _education(p, minimum)}


def unmet_age(p: dict, age: int | None, age_min: int | None, age_max: int | None) -> str:
    if age_min is not None and age_max is not None:
        limits = p["age_between"] % {"min": age_min, "max": age_max}
    elif age_min is not None:
        limits = p["age_min"] % {"min": age_min}
    else:
        limits = p["age_max"] % {"max": age_max}
    if age is None:
        return p["no_age"] % {"limits": limits}
    return p["bad_age"] % {"age": age, "limits": limits}


def unmet_experience(p: dict, required: int, actual: int) -> str:
    return p["experience"] % {"actual": actual, "required": required}


def unmet_major(p: dict, major: str, majors) -> str:
    return p["major"] % {"major": major, "majors": ", ".join(sorted(majors))}


def reasons(p: dict, parts: dict[str, float], *, vacancy_code: str, occupation_depth: int, matched, missing,
            skill_total: int, education: int | None, min_education: int | None, location: str,
            poor_desil: int | None) -> tuple[str, ...]:
    """Why a seeker and a vacancy fit (or not), strongest evidence first."""
    said = []
    if occupation_depth >= 4:
        said.append(p["same_occupation"] % {"occupation": _group_label(vacancy_code, 4)})
    elif occupation_depth >= 2:
        said.append(p["related_occupation"] % {"group": _group_label(vacancy_code, occupation_depth)})
    elif occupation_depth == 1:
        said.append(p["major_group"] % {"group": _group_label(vacancy_code, 1)})
    if skill_total:
        if matched:
            said.append(p["skills_matched"] % {"count": len(matched), "total": skill_total, "skills": ", ".join(matched)})
        if missing:
            said.append(p["skills_missing"] % {"skills": ", ".join(missing)})
    if min_education is not None and education is not None and education >= min_education:
        said.append(p["education_met"] % {"actual": _education(p, education), "minimum": _education(p, min_education)})
    if location in ("home", "wanted", "outside"):
        said.append(p[location])
    if parts.get("text", 0.0) >= TEXT_REASON_MIN:
        said.append(p["text"])
    if poor_desil is not None:
        said.append(p["poor"] % {"desil": poor_desil})
    return tuple(said)
