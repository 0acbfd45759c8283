"""Evaluating a checked rule in Python over in-memory records (for tests and explanations).

Records are dicts or objects. A person record has ``birth_date``, ``sex``, ``education``,
``jkn_status``, ``employment_status``, ``disability``, ``relationship``, ``marital_status``,
``desa_id`` and ``family`` (the family record). A family record has ``desa_id``, ``score``
(None, or a record with ``desil``, ``is_poor``, ``is_extremely_poor``, ``predicted_per_capita``)
and ``members`` (the person records of its current members).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sejahtera.programs.rules import bound as b


@dataclass(frozen=True)
class EvalContext:
    reference_date: datetime.date

    def holds(self, node, record) -> bool:
        return holds(node, record, self)


def compare(actual, op: str, value) -> bool:
    if actual is None:
        return False
    match op:
        case "==":
            return actual == value
        case "!=":
            return actual != value
        case "<":
            return actual < value
        case "<=":
            return actual <= value
        case ">":
            return actual > value
        case ">=":
            return actual >= value
        case "in":
            return actual in value
        case "not in":
            return actual not in value
    raise ValueError(op)


def holds(node, record, ctx: EvalContext) -> bool:
    match node:
        case b.Test(variable=variable, op=op, value=value):
            return compare(variable.source.get(record, ctx), op, value)
        case b.AllOf(items=items):
            return all(holds(i, record, ctx) for i in items)
        case b.AnyOf(items=items):
            return any(holds(i, record, ctx) for i in items)
        case b.Negate(item=item):
            return not holds(item, record, ctx)
        case b.Const(value=value):
            return value
        case b.Related(link=link, condition=condition):
            return any(holds(condition, r, ctx) for r in link.follow(record))
        case b.Members(members=members, quantifier=quantifier, condition=condition):
            results = (holds(condition, m, ctx) for m in members.of(record))
            if quantifier == "any":
                return any(results)
            if quantifier == "no":
                return not any(results)
            return all(results)
    raise TypeError(node)
