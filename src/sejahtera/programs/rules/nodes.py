"""The syntax tree of a rule, as written, and its canonical text.

Positions (``pos``, 0-based offsets in the rule) are left out of equality, so a tree can be
compared with one written by hand in a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Literal:
    value: int | Decimal | str | bool
    pos: int = field(default=0, compare=False)
    text: str = field(default="", compare=False)


@dataclass(frozen=True)
class Name:
    """A variable; ``path`` has one part per dot: ``family.desil`` is ``("family", "desil")``."""

    path: tuple[str, ...]
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Call:
    """A function of values, such as ``age_on("2026-07-01")``; ``path`` may start with links."""

    path: tuple[str, ...]
    args: tuple[Literal, ...]
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Count:
    """``count(member where condition)``: the number of members for whom the condition holds.
    ``via`` holds the links written before it (``family.count(…)``)."""

    condition: Node | None
    pos: int = field(default=0, compare=False)
    via: tuple[str, ...] = ()


@dataclass(frozen=True)
class Compare:
    left: Value
    op: str
    right: Value
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Between:
    subject: Value
    low: Value
    high: Value
    negated: bool = False
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class In:
    subject: Value
    items: tuple[Value, ...]
    negated: bool = False
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Truth:
    """A value used as a condition on its own, such as ``poor``."""

    subject: Value


@dataclass(frozen=True)
class Quantified:
    """``any member (…)``, ``no member (…)`` or ``every member (…)``."""

    quantifier: str
    condition: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node
    pos: int = field(default=0, compare=False)


Value = Literal | Name | Call | Count
Node = Compare | Between | In | Truth | Quantified | And | Or | Not


def position(node) -> int:
    """Where a node starts in the rule."""
    if isinstance(node, (And, Or)):
        return position(node.items[0])
    if isinstance(node, Truth):
        return position(node.subject)
    if isinstance(node, (Compare,)):
        return position(node.left)
    if isinstance(node, (Between, In)):
        return position(node.subject)
    return node.pos


def unparse(node) -> str:
    """The canonical text of a tree: English keywords, single spaces, only the brackets needed."""
    match node:
        case Literal(value=bool(value)):
            return "true" if value else "false"
        case Literal(value=str(value)):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        case Literal(value=value):
            return str(value)
        case Name(path=path):
            return ".".join(path)
        case Call(path=path, args=args):
            return f"{'.'.join(path)}({', '.join(unparse(a) for a in args)})"
        case Count(condition=condition, via=via):
            where = "" if condition is None else f" where {unparse(condition)}"
            return f"{''.join(f'{link}.' for link in via)}count(member{where})"
        case Compare(left=left, op=op, right=right):
            return f"{unparse(left)} {op} {unparse(right)}"
        case Between(subject=subject, low=low, high=high, negated=negated):
            word = "not between" if negated else "between"
            return f"{unparse(subject)} {word} {unparse(low)} and {unparse(high)}"
        case In(subject=subject, items=items, negated=negated):
            word = "not in" if negated else "in"
            return f"{unparse(subject)} {word} [{', '.join(unparse(i) for i in items)}]"
        case Truth(subject=subject):
            return unparse(subject)
        case Quantified(quantifier=quantifier, condition=condition):
            return f"{quantifier} member ({unparse(condition)})"
        case And(items=items):
            return " and ".join(f"({unparse(i)})" if isinstance(i, Or) else unparse(i) for i in items)
        case Or(items=items):
            return " or ".join(unparse(i) for i in items)
        case Not(item=item):
            inner = unparse(item)
            return f"not ({inner})" if isinstance(item, (And, Or)) else f"not {inner}"
    raise TypeError(node)
