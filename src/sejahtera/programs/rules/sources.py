"""Where a variable's value comes from: how it compiles to a database condition (``q``) and how
the Python evaluator reads it from an in-memory record (``get``).

Compiling takes a context (``compiler.Context``): ``ctx.field(name)`` is the lookup of a field of
the row the condition is about (``family__desa_id`` when a person's family is meant),
``ctx.key`` the lookup of that row's family id for subqueries, and ``ctx.compile`` compiles
a nested condition. Records are dicts or objects; see ``evaluator`` for their shape.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

HEAD = 1  # registry.choices.Relationship.HEAD
LOOKUPS = {"==": "exact", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte", "in": "in"}
ALWAYS = Q(pk__isnull=False)


def value_of(record, name: str):
    if isinstance(record, dict):
        return record.get(name)
    return getattr(record, name, None)


def column_q(lookup: str, op: str, value) -> Q:
    """A comparison of one column; the value always goes to the database as a parameter."""
    if op == "!=":
        return ~Q(**{lookup: value})
    if op == "not in":
        return ~Q(**{f"{lookup}__in": list(value)})
    return Q(**{f"{lookup}__{LOOKUPS[op]}": list(value) if op == "in" else value})


def threshold_q(op: str, value, at_least, below=None) -> Q:
    """A comparison of a whole number built from ``at_least(k)`` (the number is k or more) and
    ``below(k)`` (it is less than k; by default the negation of ``at_least``)."""
    below = below or (lambda k: ~at_least(k))

    def equal(k):
        return at_least(k) & below(k + 1)

    match op:
        case ">=":
            return at_least(value)
        case ">":
            return at_least(value + 1)
        case "<":
            return below(value)
        case "<=":
            return below(value + 1)
        case "==":
            return equal(value)
        case "!=":
            return ~equal(value)
        case "in":
            return reduce(or_, (equal(v) for v in value))
        case "not in":
            return ~reduce(or_, (equal(v) for v in value))
    raise ValueError(op)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def full_years(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Column:
    """A column of the row; ``attr`` names the value in a record."""

    lookup: str
    attr: str

    def q(self, op, value, ctx):
        return column_q(ctx.field(self.lookup), op, value)

    def get(self, record, ctx):
        return value_of(record, self.attr)


@dataclass(frozen=True)
class Kecamatan:
    """The kecamatan of the row's desa: the desa's parent region, the first six digits of its code."""

    lookup: str = "desa__parent_id"
    attr: str = "desa_id"

    def q(self, op, value, ctx):
        return column_q(ctx.field(self.lookup), op, value)

    def get(self, record, ctx):
        code = value_of(record, self.attr)
        return code[:6] if code else None


@dataclass(frozen=True)
class Age:
    """Full years on ``on`` (or the reference date), compiled to bounds on the birth date."""

    field: str = "birth_date"
    on: datetime.date | None = None

    def q(self, op, value, ctx):
        day = self.on or ctx.reference_date
        lookup = ctx.field(self.field)
        return threshold_q(op, value, lambda k: Q(**{f"{lookup}__lte": years_before(day, k)}),
                           lambda k: Q(**{f"{lookup}__gt": years_before(day, k)}))

    def get(self, record, ctx):
        birth = value_of(record, self.field)
        return full_years(birth, self.on or ctx.reference_date) if birth else None


@dataclass(frozen=True)
class Score:
    """A field of the family's current welfare score; a family without one matches no comparison."""

    field: str

    def q(self, op, value, ctx):
        scores = apps.get_model("welfare", "WelfareScore").objects
        return Q(Exists(scores.filter(family=OuterRef(ctx.key), is_current=True).filter(
            column_q(self.field, op, value))))

    def get(self, record, ctx):
        score = value_of(record, "score")
        return None if score is None else value_of(score, self.field)


@dataclass(frozen=True)
class MemberSet:
    """The current members of a family (only those of ``relationship``, when given).

    A record lists them under ``members``."""

    relationship: int | None = None

    def queryset(self, *, outer_key: str | None = None):
        persons = apps.get_model("registry", "Person").objects.filter(merged_into__isnull=True)
        persons = persons.filter(family=OuterRef(outer_key)) if outer_key else persons.filter(family__isnull=False)
        return persons if self.relationship is None else persons.filter(relationship=self.relationship)

    def of(self, record) -> list:
        members = value_of(record, "members") or ()
        if hasattr(members, "all"):
            members = members.all()
        if self.relationship is None:
            return list(members)
        return [m for m in members if value_of(m, "relationship") == self.relationship]

    def exists(self, condition: Q, ctx) -> Q:
        return Q(Exists(self.queryset(outer_key=ctx.key).filter(condition)))

    def at_least(self, k: int, condition: Q, ctx) -> Q:
        """Families with ``k`` or more members for whom the condition holds: "a k-th such member
        exists" (``OFFSET k-1 LIMIT 1``), which stops at the k-th member of each family and runs
        only for the families the rule's other conditions leave. Counting every family's members
        in one grouped subquery reads all 5.8 million persons, whatever else the rule asks."""
        if k <= 0:
            return ALWAYS
        members = self.queryset(outer_key=ctx.key).filter(condition).order_by()
        return Q(Exists(members[k - 1:k]))


@dataclass(frozen=True)
class MemberCount:
    """The number of members (of ``members``) for whom ``condition`` holds (all, without one)."""

    members: MemberSet
    condition: object = None

    def q(self, op, value, ctx):
        inner = ctx.compile(self.condition, ctx.root()) if self.condition is not None else Q()
        return threshold_q(op, value, lambda k: self.members.at_least(k, inner, ctx))

    def get(self, record, ctx):
        members = self.members.of(record)
        if self.condition is None:
            return len(members)
        return sum(1 for m in members if ctx.holds(self.condition, m))


# -- links: from a row to related rows --------------------------------------------------------

@dataclass(frozen=True)
class ForeignKeyLink:
    """The one row a foreign key points at (a person's family); ``target`` names its schema."""

    name: str
    target: str
    field: str
    label: str = ""

    def q(self, condition, ctx) -> Q:
        return ctx.compile(condition, ctx.via(self.field))

    def follow(self, record) -> list:
        related = value_of(record, self.field)
        return [] if related is None else [related]


@dataclass(frozen=True)
class MembersLink:
    """Some members of the row's family (the head); the condition holds when it holds for one."""

    name: str
    target: str
    members: MemberSet
    label: str = ""

    def q(self, condition, ctx) -> Q:
        return self.members.exists(ctx.compile(condition, ctx.root()), ctx)

    def follow(self, record) -> list:
        return self.members.of(record)
