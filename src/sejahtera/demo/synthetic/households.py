"""Family composition: who lives on one Kartu Keluarga, with consistent ages.

A household type is drawn (single person, couple, couple with children, single parent,
three generations, nuclear family with a parent or another relative), then ages: a wife
is a few years younger than her husband, children are born when their mother is 18-45,
a grandparent is 20-40 years older than the child of theirs in the house. West Java's
households hold about 3.4 persons; the count is capped at 9.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from sejahtera.registry.choices import MaritalStatus as M
from sejahtera.registry.choices import Relationship as R

MALE, FEMALE = "L", "P"
MAX_MEMBERS = 9
DAYS_PER_YEAR = 365.25

# (kind, weight)
HOUSEHOLD_KINDS = (
    ("single", 0.08),
    ("couple", 0.12),
    ("nuclear", 0.55),
    ("single_parent", 0.10),
    ("three_generations", 0.07),
    ("nuclear_plus", 0.08),
)


@dataclass(slots=True)
class Member:
    relationship: int
    sex: str
    age: float  # years, at the reference date
    marital_status: int
    child_of_head: bool = False  # carries the father's second name sometimes

    def birth_date(self, reference: datetime.date) -> datetime.date:
        return reference - datetime.timedelta(days=max(0, int(self.age * DAYS_PER_YEAR)))


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _other(sex: str) -> str:
    return FEMALE if sex == MALE else MALE


def _child_count(rng: random.Random, welfare: float) -> int:
    """Children born to a couple: about 2.4 on average, more in poorer families."""
    weights = (0.26, 0.34, 0.22, 0.10, 0.05, 0.02, 0.01)
    shift = _clip(-0.25 * welfare, -0.5, 0.5)
    roll = rng.random() - 0.5 * shift * 0.4
    cumulative = 0.0
    for count, weight in enumerate(weights, start=1):
        cumulative += weight
        if roll < cumulative:
            return count
    return len(weights)


def _children(rng: random.Random, parent_age: float, welfare: float, *, oldest_parent_age: float = 45.0,
              min_parent_age: float = 18.0) -> list[Member]:
    """Unmarried children still on the parents' card, youngest last."""
    wanted = _child_count(rng, welfare)
    age_at_birth = _clip(rng.gauss(23.5, 3.5), min_parent_age, 36.0)
    members = []
    for _ in range(wanted):
        if age_at_birth > oldest_parent_age or age_at_birth > parent_age:
            break
        child_age = parent_age - age_at_birth
        # Grown children marry and leave; few stay past 25.
        stays = 1.0 if child_age < 19 else max(0.0, 1.0 - (child_age - 19) / 11)
        if rng.random() < stays:
            members.append(Member(R.CHILD, rng.choice((MALE, FEMALE)), child_age, M.SINGLE, child_of_head=True))
        age_at_birth += _clip(rng.gauss(3.6, 1.6), 1.3, 9.0)
    return members


def _couple(rng: random.Random, head_age: float) -> list[Member]:
    if rng.random() < 0.02:  # the wife heads the card, e.g. when the husband is ill or away
        head_sex, spouse_rel = FEMALE, R.HUSBAND
        spouse_age = _clip(head_age + rng.gauss(4, 3), 19, 95)
    else:
        head_sex, spouse_rel = MALE, R.WIFE
        spouse_age = _clip(head_age - rng.gauss(4, 3.5), 18, head_age + 6)
    return [Member(R.HEAD, head_sex, head_age, M.MARRIED),
            Member(spouse_rel, _other(head_sex), spouse_age, M.MARRIED)]


def _mother_age(couple: list[Member]) -> float:
    return next(m.age for m in couple if m.sex == FEMALE)


def _elder(rng: random.Random, relationship: int, child_age: float) -> Member | None:
    age = child_age + _clip(rng.gauss(27, 5), 20, 40)
    if age > 95:
        return None
    sex = FEMALE if rng.random() < 0.7 else MALE  # widows outlive widowers
    return Member(relationship, sex, age, M.WIDOWED if rng.random() < 0.85 else M.MARRIED)


def draw_household(rng: random.Random, welfare: float) -> list[Member]:
    """The members of one family, head first."""
    roll, cumulative, kind = rng.random(), 0.0, HOUSEHOLD_KINDS[-1][0]
    for name, weight in HOUSEHOLD_KINDS:
        cumulative += weight
        if roll < cumulative:
            kind = name
            break

    if kind == "single":
        if rng.random() < 0.55:
            sex = FEMALE if rng.random() < 0.7 else MALE
            members = [Member(R.HEAD, sex, _clip(rng.gauss(70, 8), 58, 92), M.WIDOWED)]
        else:
            sex = MALE if rng.random() < 0.6 else FEMALE
            status = M.SINGLE if rng.random() < 0.75 else M.DIVORCED
            members = [Member(R.HEAD, sex, _clip(rng.gauss(32, 8), 19, 55), status)]
    elif kind == "couple":
        head_age = _clip(rng.gauss(25, 3), 20, 32) if rng.random() < 0.4 else _clip(rng.gauss(64, 7), 50, 88)
        members = _couple(rng, head_age)
    elif kind == "single_parent":
        sex = FEMALE if rng.random() < 0.75 else MALE
        head_age = _clip(rng.gauss(44, 10), 24, 80)
        status = M.WIDOWED if rng.random() < 0.55 else M.DIVORCED
        members = [Member(R.HEAD, sex, head_age, status)]
        limit = 45.0 if sex == FEMALE else 55.0
        # With every child grown and gone, the parent lives alone.
        members += _children(rng, head_age, welfare, oldest_parent_age=limit)
    elif kind == "three_generations":
        members = _couple(rng, _clip(rng.gauss(58, 6), 46, 80))
        mother = next(m for m in members if m.sex == FEMALE)
        mother.age = max(mother.age, 40.0)  # old enough for a married child
        mother_age = mother.age
        married_age = _clip(mother_age - rng.uniform(20, 30), 19, 45)
        married_sex = rng.choice((MALE, FEMALE))
        members.append(Member(R.CHILD, married_sex, married_age, M.MARRIED, child_of_head=True))
        members.append(Member(R.CHILD_IN_LAW, _other(married_sex), _clip(married_age + rng.gauss(0, 3), 18, 60),
                              M.MARRIED))
        young_mother_age = married_age if married_sex == FEMALE else members[-1].age
        members += [Member(R.GRANDCHILD, m.sex, m.age, M.SINGLE)
                    for m in _children(rng, young_mother_age, welfare)]
        # Younger unmarried siblings of the married child may still live at home.
        if rng.random() < 0.4:
            young = married_age - rng.uniform(3, 12)
            if young >= 5 and mother_age - young <= 44:
                members.append(Member(R.CHILD, rng.choice((MALE, FEMALE)), young, M.SINGLE, child_of_head=True))
    else:  # nuclear, nuclear_plus
        members = _couple(rng, _clip(rng.gauss(40, 9), 21, 72))
        members += _children(rng, _mother_age(members), welfare)
        if kind == "nuclear_plus":
            head = members[0]
            roll = rng.random()
            if roll < 0.45:
                elder = _elder(rng, R.PARENT, head.age)
            elif roll < 0.8:
                elder = _elder(rng, R.PARENT_IN_LAW, members[1].age)
            else:
                elder = Member(R.OTHER_RELATIVE, rng.choice((MALE, FEMALE)),
                               _clip(rng.gauss(17, 6), 6, 35), M.SINGLE)
            if elder is not None:
                members.append(elder)
    return members[:MAX_MEMBERS]
