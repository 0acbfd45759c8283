"""A checked rule: variables resolved against a schema, values converted to stored values.

The compiler and the Python evaluator both work from this tree, so they read every name and
value the same way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, eq=False)
class Test:
    """``variable op value``; for ``in`` and ``not in`` the value is a tuple. A missing value
    (a family without a current welfare score) makes every test false."""

    variable: object
    op: str
    value: object


@dataclass(frozen=True, eq=False)
class AllOf:
    items: tuple


@dataclass(frozen=True, eq=False)
class AnyOf:
    items: tuple


@dataclass(frozen=True, eq=False)
class Negate:
    item: object


@dataclass(frozen=True, eq=False)
class Const:
    value: bool


@dataclass(frozen=True, eq=False)
class Related:
    """The condition holds for a related row (through ``link``)."""

    link: object
    condition: object


@dataclass(frozen=True, eq=False)
class Members:
    """``any``, ``no`` or ``every`` member of the row's family satisfies the condition."""

    members: object
    quantifier: str
    condition: object
