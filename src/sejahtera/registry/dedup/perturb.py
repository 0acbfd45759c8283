"""Realistic near-duplicates of person records, with the ground truth, for tests and benchmarks.

Pure functions over plain dict records with the keys ``id``, ``nik``, ``name``, ``sex``,
``birth_date`` (a ``datetime.date``), ``desa`` (10-digit code) and ``no_kk``; other keys are
copied unchanged. ``inject_duplicates`` returns the new duplicate records and the true pairs;
the caller adds them to its registry (``generate_registry --dirty RATE`` will).

The errors are those seen when one person is registered twice: a spelling variant of the
name (``Muhamad``/``Muhammad``/``M.``, old spelling, Sundanese ``f``/``p``), a space inside
or missing from a name (``Nur Haliza``/``Nurhaliza``), a typing error in the name, a title
added, day and month of the birth date swapped (or another one-digit date error), the
person registered in a neighbouring desa, a digit of the NIK mistyped, or no NIK at all.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sejahtera.registry.dedup.features import MUHAMMAD_FORMS

MUHAMMAD_SPELLINGS = ("Muhammad", "Muhamad", "Mohammad", "Mochamad", "Moch.", "Moh.", "M.", "Muh.", "Mohamad")
# (pattern, replacement) pairs of spelling variants; each is tried both ways.
SPELLING_VARIANTS = (
    ("y", "i"), ("ie", "i"), ("u", "oe"), ("j", "dj"), ("c", "tj"), ("sy", "s"), ("kh", "h"), ("f", "p"),
    ("v", "f"), ("z", "s"), ("dz", "z"), ("ah", "a"), ("aa", "a"), ("ai", "ay"), ("ni", "niy"), ("ti", "thi"),
    ("e", "i"), ("o", "u"), ("ph", "f"),
)
NAME_PREFIXES = ("Nur", "Al", "Abdul", "Abd", "Siti", "Sri", "Dwi", "Tri", "Ahmad")
TITLES_BEFORE = {"L": ("H.", "Drs.", "Ir.", "Ust."), "P": ("Hj.", "Dra.", "Ny.")}
DEGREES_AFTER = ("S.Pd.", "S.Ag.", "S.E.", "S.Kom.", "A.Md.", "S.Pd.I", "S.H.", "M.Pd.")

# The kinds of error and how often a duplicate carries each one (first error).
ERROR_WEIGHTS = {
    "name_variant": 0.16,
    "name_spaces": 0.12,
    "name_typo": 0.10,
    "name_title": 0.04,
    "day_month_swap": 0.14,
    "birth_date_typo": 0.06,
    "desa_neighbour": 0.14,
    "nik_typo": 0.10,
    "nik_missing": 0.14,
}
SECOND_ERROR_SHARE = 0.3  # duplicates with a second, different error
SAME_FAMILY_SHARE = 0.45  # registered twice on the same Kartu Keluarga


@dataclass
class Injected:
    records: list[dict]  # the duplicates, with new ids and an ``errors`` list
    pairs: set[tuple]  # true duplicate pairs (smaller id, larger id), also between two duplicates


# -- names -------------------------------------------------------------------------------------

def muhammad_variant(rng: random.Random, name: str) -> str | None:
    """Another spelling of Muhammad in ``name``; None when the name has none."""
    words = name.split(" ")
    for index, word in enumerate(words):
        if word.lower().replace(".", "") in MUHAMMAD_FORMS or (word == "M." and index == 0):
            choices = [s for s in MUHAMMAD_SPELLINGS if s != word]
            words[index] = rng.choice(choices)
            return " ".join(words)
    return None


def spelling_variant(rng: random.Random, name: str) -> str | None:
    """One spelling variant (``Rizky``/``Rizki``, ``Saepul``/``Saeful``, ``Yusuf``/``Joesoef``)."""
    options = []
    lower = name.lower()
    for a, b in SPELLING_VARIANTS:
        for old, new in ((a, b), (b, a)):
            for match in re.finditer(re.escape(old), lower):
                if match.start() == 0 and old in ("e", "o", "u"):
                    continue
                options.append((match.start(), old, new))
    if not options:
        return None
    start, old, new = rng.choice(options)
    original = name[start:start + len(old)]
    if original[:1].isupper():
        new = new[:1].upper() + new[1:]
    return name[:start] + new + name[start + len(old):]


def name_variant(rng: random.Random, name: str, sex: str) -> str:
    """Muhammad spelled another way, Muhammad added or dropped, or a spelling variant."""
    variant = muhammad_variant(rng, name)
    if variant and rng.random() < 0.8:
        return variant
    if sex == "L" and len(name.split()) >= 1 and variant is None and rng.random() < 0.25:
        return f"{rng.choice(MUHAMMAD_SPELLINGS)} {name}"
    variant = spelling_variant(rng, name)
    return variant or name_typo(rng, name)


def space_variant(rng: random.Random, name: str) -> str:
    """A space added inside a name word or removed between two words."""
    words = name.split(" ")
    joinable = [i for i in range(len(words) - 1) if words[i].rstrip(".") in NAME_PREFIXES]
    splittable = []
    for i, word in enumerate(words):
        for prefix in NAME_PREFIXES:
            if word.startswith(prefix) and len(word) >= len(prefix) + 3 and word[len(prefix)].islower():
                splittable.append((i, len(prefix)))
        for suffix in ("udin", "uddin", "ullah", "ulloh", "ah", "wati", "ningsih", "ti"):
            if word.endswith(suffix) and len(word) >= len(suffix) + 3:
                splittable.append((i, len(word) - len(suffix)))
    if joinable and (not splittable or rng.random() < 0.5):
        i = rng.choice(joinable)
        words[i:i + 2] = [words[i].rstrip(".") + words[i + 1].lower()]
        return " ".join(words)
    if splittable:
        i, at = rng.choice(splittable)
        word = words[i]
        words[i:i + 1] = [word[:at], word[at:].capitalize()]
        return " ".join(words)
    if len(words) > 1:
        i = rng.randrange(len(words) - 1)
        words[i:i + 2] = [words[i] + words[i + 1].lower()]
        return " ".join(words)
    word = words[0]
    if len(word) >= 6:
        at = rng.randint(3, len(word) - 3)
        return f"{word[:at]} {word[at:].capitalize()}"
    return name_typo(rng, name)


def name_typo(rng: random.Random, name: str) -> str:
    """One typing error after the first letter: a letter replaced, dropped, doubled, or two swapped."""
    positions = [i for i, ch in enumerate(name) if ch.isalpha() and i > 0]
    if not positions:
        return name
    i = rng.choice(positions)
    kind = rng.random()
    if kind < 0.35:
        near = "aeiou" if name[i].lower() in "aeiou" else "bcdghjklmnprstwy"
        ch = rng.choice([c for c in near if c != name[i].lower()])
        return name[:i] + (ch.upper() if name[i].isupper() else ch) + name[i + 1:]
    if kind < 0.6 and len([c for c in name if c.isalpha()]) > 4:
        return name[:i] + name[i + 1:]
    if kind < 0.8:
        return name[:i] + name[i] + name[i:]
    if i + 1 < len(name) and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name[:i] + name[i] + name[i:]


def title_variant(rng: random.Random, name: str, sex: str) -> str:
    if rng.random() < 0.6:
        return f"{rng.choice(TITLES_BEFORE.get(sex, TITLES_BEFORE['L']))} {name}"
    return f"{name}, {rng.choice(DEGREES_AFTER)}"


# -- dates and numbers -------------------------------------------------------------------------

def swap_day_month(date: datetime.date) -> datetime.date | None:
    """The date with day and month swapped, or None when that is no other real date."""
    if date.day > 12 or date.day == date.month:
        return None
    return date.replace(day=date.month, month=date.day)


def birth_date_typo(rng: random.Random, date: datetime.date) -> datetime.date:
    """One digit of DD-MM-YYYY wrong: the day, the month or the year's last digit off."""
    for _ in range(20):
        field = rng.choice(("day", "day", "month", "year"))
        try:
            if field == "day":
                candidate = date.replace(day=date.day + rng.choice((-1, 1, -10, 10)))
            elif field == "month":
                candidate = date.replace(month=date.month + rng.choice((-1, 1)))
            else:
                candidate = date.replace(year=date.year + rng.choice((-1, 1)))
        except ValueError:
            continue
        if candidate != date:
            return candidate
    return date + datetime.timedelta(days=1)


def nik_typo(rng: random.Random, nik: str, taken: Callable[[str], bool] | None = None) -> str:
    """The NIK with one digit mistyped (never the first two: the province)."""
    for _ in range(50):
        i = rng.randrange(2, len(nik))
        digit = rng.choice([d for d in "0123456789" if d != nik[i]])
        candidate = nik[:i] + digit + nik[i + 1:]
        if taken is None or not taken(candidate):
            return candidate
    return nik


def neighbour_map(desa_codes: Iterable[str]) -> dict[str, list[str]]:
    """Each desa's neighbours: the desa before and after it in code order within its kecamatan
    (desa codes are numbered along the kecamatan, so adjacent codes are usually adjacent places)."""
    by_kecamatan: dict[str, list[str]] = {}
    for code in sorted(set(desa_codes)):
        by_kecamatan.setdefault(code[:6], []).append(code)
    neighbours: dict[str, list[str]] = {}
    for codes in by_kecamatan.values():
        for i, code in enumerate(codes):
            neighbours[code] = [c for c in (codes[i - 1] if i else None,
                                            codes[i + 1] if i + 1 < len(codes) else None) if c]
    return neighbours


# -- duplicates --------------------------------------------------------------------------------

def perturb(rng: random.Random, record: dict, errors: Sequence[str], *, neighbours: dict[str, list[str]],
            nik_taken: Callable[[str], bool] | None = None) -> tuple[dict, list[str]]:
    """A copy of ``record`` with ``errors`` applied; returns it with the errors actually made."""
    dup = dict(record)
    made: list[str] = []
    for error in errors:
        before = dict(dup)
        if error == "name_variant":
            dup["name"] = name_variant(rng, dup["name"], dup["sex"])
        elif error == "name_spaces":
            dup["name"] = space_variant(rng, dup["name"])
        elif error == "name_typo":
            dup["name"] = name_typo(rng, dup["name"])
        elif error == "name_title":
            dup["name"] = title_variant(rng, dup["name"], dup["sex"])
        elif error == "day_month_swap":
            swapped = swap_day_month(dup["birth_date"])
            if swapped is None:
                error = "birth_date_typo"
                swapped = birth_date_typo(rng, dup["birth_date"])
            dup["birth_date"] = swapped
        elif error == "birth_date_typo":
            dup["birth_date"] = birth_date_typo(rng, dup["birth_date"])
        elif error == "desa_neighbour":
            options = neighbours.get(dup["desa"]) or []
            if options:
                dup["desa"] = rng.choice(options)
        elif error == "nik_typo":
            if dup.get("nik"):
                dup["nik"] = nik_typo(rng, dup["nik"], nik_taken)
        elif error == "nik_missing":
            dup["nik"] = None
        else:
            raise ValueError(f"unknown error kind {error!r}")
        if dup != before:
            made.append(error)
    return dup, made


def draw_errors(rng: random.Random) -> list[str]:
    kinds, weights = list(ERROR_WEIGHTS), list(ERROR_WEIGHTS.values())
    first = rng.choices(kinds, weights)[0]
    errors = [first]
    if rng.random() < SECOND_ERROR_SHARE:
        second = rng.choices(kinds, weights)[0]
        if second != first and {first, second} != {"nik_typo", "nik_missing"}:
            errors.append(second)
    return errors


def inject_duplicates(records: Sequence[dict], *, rate: float, seed: int = 1,
                      neighbours: dict[str, list[str]] | None = None,
                      next_id: Callable[[], object] | None = None,
                      new_no_kk: Callable[[dict], str] | None = None,
                      nik_taken: Callable[[str], bool] | None = None,
                      min_age_years: int = 0, today: datetime.date | None = None,
                      unique_nik: bool = True) -> Injected:
    """Near-duplicates of ``rate`` x len(records) randomly chosen records.

    Each duplicate carries one or two errors (``ERROR_WEIGHTS``); about
    ``SAME_FAMILY_SHARE`` of them stay on the original's Kartu Keluarga (never those moved to
    another desa), the others get the
    No. KK from ``new_no_kk(duplicate)`` (default: the original's, with its serial changed).
    ``next_id`` hands out ids for the duplicates (default: after the largest integer id).
    Every error is real: a record that cannot take an error (no NIK to mistype) gets another.
    ``unique_nik``: a NIK is registered once, so a duplicate in the registry has no NIK or
    another one; a duplicate left with its original's NIK loses it (60 %) or gets it
    mistyped. With ``unique_nik=False`` (an import file, say) it may keep it.
    """
    rng = random.Random(seed)
    if neighbours is None:
        neighbours = neighbour_map(r["desa"] for r in records)
    if next_id is None:
        counter = iter(range(max((int(r["id"]) for r in records), default=0) + 1, 2**62))
        next_id = lambda: next(counter)  # noqa: E731
    today = today or datetime.date.today()
    eligible = [r for r in records
                if (today - r["birth_date"]).days >= 365 * min_age_years] if min_age_years else list(records)
    count = round(rate * len(records))
    dups: list[dict] = []
    pairs: set[tuple] = set()
    copies_of: dict[object, list[object]] = {}
    for _ in range(count):
        original = rng.choice(eligible)
        for _attempt in range(10):
            dup, made = perturb(rng, original, draw_errors(rng), neighbours=neighbours, nik_taken=nik_taken)
            if made:
                break
        else:
            continue
        if unique_nik and dup.get("nik") and dup["nik"] == original.get("nik"):
            extra = "nik_missing" if rng.random() < 0.6 else "nik_typo"
            dup, more = perturb(rng, dup, [extra], neighbours=neighbours, nik_taken=nik_taken)
            made += more
        dup["id"] = next_id()
        dup["errors"] = made
        if "desa_neighbour" in made or rng.random() >= SAME_FAMILY_SHARE:
            dup["no_kk"] = new_no_kk(dup) if new_no_kk else _other_no_kk(rng, original.get("no_kk"))
        dups.append(dup)
        siblings = copies_of.setdefault(original["id"], [])
        for other in [original["id"], *siblings]:
            pairs.add((min(other, dup["id"]), max(other, dup["id"])))
        siblings.append(dup["id"])
    return Injected(dups, pairs)


def _other_no_kk(rng: random.Random, no_kk: str | None) -> str | None:
    if not no_kk or len(no_kk) != 16:
        return no_kk
    return no_kk[:12] + f"{rng.randint(5000, 9999):04d}"
