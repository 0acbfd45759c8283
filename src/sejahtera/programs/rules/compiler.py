"""Compiling a checked rule to a Django ``Q``: plain lookups, ``Exists`` and ``IN`` subqueries.

Values always reach the database as query parameters; nothing of the rule's text is put into
SQL. Every condition is two-valued (``Exists``, or lookups on columns that are never NULL for
the target's rows), so ``not`` is the exact complement of the condition.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from functools import reduce
from operator import and_, or_

from django.db.models import Q

from sejahtera.programs.rules import bound as b
from sejahtera.programs.rules.sources import ALWAYS


@dataclass(frozen=True)
class Context:
    """Where the condition stands: ``prefix`` leads from the query's rows to the row the
    condition is about, ``key`` is the lookup of that row's family id (``pk`` for a family,
    ``family_id`` for a person's family)."""

    reference_date: datetime.date
    prefix: str = ""
    key: str = "pk"

    def field(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def via(self, field: str) -> Context:
        return replace(self, prefix=f"{self.prefix}{field}__", key=f"{self.prefix}{field}_id")

    def root(self) -> Context:
        """The context of a subquery's own rows."""
        return replace(self, prefix="", key="pk")

    def compile(self, node, ctx: Context | None = None) -> Q:
        return to_q(node, ctx or self)


def to_q(node, ctx: Context) -> Q:
    match node:
        case b.Test(variable=variable, op=op, value=value):
            return variable.source.q(op, value, ctx)
        case b.AllOf(items=items):
            return reduce(and_, (to_q(i, ctx) for i in items))
        case b.AnyOf(items=items):
            return reduce(or_, (to_q(i, ctx) for i in items))
        case b.Negate(item=item):
            return ~to_q(item, ctx)
        case b.Const(value=value):
            return ALWAYS if value else ~ALWAYS
        case b.Related(link=link, condition=condition):
            return link.q(condition, ctx)
        case b.Members(members=members, quantifier=quantifier, condition=condition):
            inner = to_q(condition, ctx.root())
            if quantifier == "any":
                return members.exists(inner, ctx)
            if quantifier == "no":
                return ~members.exists(inner, ctx)
            return ~members.exists(~inner, ctx)  # every
    raise TypeError(node)
