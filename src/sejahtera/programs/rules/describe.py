"""A rule told back in words, for the people who approve it (Indonesian through the translations)."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sejahtera.programs.rules import nodes as n
from sejahtera.programs.rules.check import Checker
from sejahtera.programs.rules.schema import Schema, get_schema
from sejahtera.programs.rules.value_types import Boolean


def describe(text: str, target: str | Schema) -> str:
    """``desil <= 4 and jkn == "none"`` as "desil (family) is at most 4 and JKN health insurance is None"."""
    from sejahtera.programs.rules.api import parse_rule

    rule = parse_rule(text, target)
    return Describer(text).condition(rule.tree, rule.target)


def operator_words() -> dict[str, str]:
    return {"==": _("is"), "!=": _("is not"), "<": _("is below"), "<=": _("is at most"), ">": _("is above"),
            ">=": _("is at least")}


class Describer:
    def __init__(self, text: str):
        self.checker = Checker(text)

    def condition(self, node: n.Node, schema: Schema) -> str:
        match node:
            case n.And(items=items):
                conjunction = _("and")
                return f" {conjunction} ".join(self.part(i, schema, n.Or) for i in items)
            case n.Or(items=items):
                disjunction = _("or")
                return f" {disjunction} ".join(self.part(i, schema, n.And) for i in items)
            case n.Not(item=item):
                return _("not %(condition)s") % {"condition": self.part(item, schema, (n.And, n.Or))}
            case n.Quantified(quantifier=quantifier, condition=condition, pos=pos):
                inner = self.condition(condition, self.member_schema(schema, pos, quantifier))
                words = {"any": _("some member: %(condition)s"), "no": _("no member: %(condition)s"),
                         "every": _("every member: %(condition)s")}[quantifier]
                return f"[{words % {'condition': inner}}]"
            case n.Truth(subject=n.Literal(value=value)):
                return _("everyone") if value else _("no one")
            case n.Truth(subject=subject):
                return self.subject(subject, schema)[0]
            case n.Compare():
                return self.compare(node, schema)
            case n.Between(subject=subject, low=low, high=high, negated=negated):
                name, variable = self.subject(subject, schema)
                words = _("%(name)s is not from %(low)s to %(high)s") if negated else \
                    _("%(name)s is from %(low)s to %(high)s")
                return words % {"name": name, "low": self.value(variable, low), "high": self.value(variable, high)}
            case n.In(subject=subject, items=items, negated=negated):
                name, variable = self.subject(subject, schema)
                words = _("%(name)s is none of %(values)s") if negated else _("%(name)s is one of %(values)s")
                return words % {"name": name, "values": ", ".join(self.value(variable, i) for i in items)}
        raise TypeError(node)

    def part(self, node: n.Node, schema: Schema, bracketed) -> str:
        text = self.condition(node, schema)
        return f"({text})" if isinstance(node, bracketed) else text

    def compare(self, node: n.Compare, schema: Schema) -> str:
        left, op, right = node.left, node.op, node.right
        if isinstance(left, n.Literal):
            left, op, right = right, {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op), left
        name, variable = self.subject(left, schema)
        if isinstance(variable.type, Boolean):
            positive = (op == "==") == bool(right.value)
            return name if positive else _("not %(condition)s") % {"condition": name}
        return f"{name} {operator_words()[op]} {self.value(variable, right)}"

    def subject(self, value: n.Value, schema: Schema):
        links, variable, _written = self.checker.term(value, schema)
        match value:
            case n.Count(condition=None):
                name = _("the number of members")
            case n.Count(condition=condition):
                inner = self.condition(condition, get_schema("person"))
                name = _("the number of members where %(condition)s") % {"condition": inner}
            case n.Call():
                name = _("age on %(date)s") % {"date": date_format(variable.source.on, "j F Y")}
            case _other:
                name = str(variable.label)
        if links:
            name = f"{name} ({', '.join(str(link.label) for link in reversed(links))})"
        return name, variable

    def value(self, variable, literal: n.Literal) -> str:
        value = variable.type.resolve(literal.value, variable.name)
        if isinstance(value, datetime.date):
            return date_format(value, "j F Y")
        return variable.type.label(value)

    def member_schema(self, schema: Schema, pos: int, word: str) -> Schema:
        return self.checker.members(schema, pos, word)[2]
