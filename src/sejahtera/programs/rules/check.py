"""Checking a syntax tree against a target schema: names, operators and values, with messages
that point at the place in the rule. The result is the tree of ``bound``."""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.utils.translation import gettext as _

from sejahtera.programs.rules import bound as b
from sejahtera.programs.rules import nodes as n
from sejahtera.programs.rules.errors import Mismatch, RuleError, did_you_mean
from sejahtera.programs.rules.schema import Schema, Variable, get_schema
from sejahtera.programs.rules.sources import Age, MemberCount
from sejahtera.programs.rules.value_types import Boolean, Integer

FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
FUNCTIONS = {"age_on": "age_on", "umur_pada": "age_on"}
FUNCTION_LIST = 'count(member where …), age_on("2026-07-01")'
FIRST_DATE, LAST_DATE = datetime.date(1900, 1, 1), datetime.date(2200, 12, 31)


def check(tree: n.Node, schema: Schema, text: str):
    """The bound tree of ``tree`` for ``schema``; RuleError, pointing into ``text``, when it does not fit."""
    return Checker(text).condition(tree, schema)


def wrap(links: list, node):
    for link in reversed(links):
        node = b.Related(link, node)
    return node


class Checker:
    def __init__(self, text: str):
        self.text = text

    def fail(self, message: str, pos: int, token: str = "", hint: str = "") -> RuleError:
        return RuleError(message, text=self.text, pos=pos, token=token, hint=hint)

    # -- conditions ----------------------------------------------------------------------------

    def condition(self, node: n.Node, schema: Schema):
        match node:
            case n.And(items=items):
                return b.AllOf(tuple(self.condition(i, schema) for i in items))
            case n.Or(items=items):
                return b.AnyOf(tuple(self.condition(i, schema) for i in items))
            case n.Not(item=item):
                return b.Negate(self.condition(item, schema))
            case n.Quantified(quantifier=quantifier, condition=condition, pos=pos):
                links, members, member_schema = self.members(schema, pos, quantifier)
                return wrap(links, b.Members(members, quantifier, self.condition(condition, member_schema)))
            case n.Truth(subject=subject):
                return self.truth(subject, schema)
            case n.Compare():
                return self.compare(node, schema)
            case n.Between():
                return self.between(node, schema)
            case n.In():
                return self.within(node, schema)
        raise TypeError(node)

    def truth(self, subject: n.Value, schema: Schema):
        if isinstance(subject, n.Literal):
            if isinstance(subject.value, bool):
                return b.Const(subject.value)
            raise self.fail(_("A value alone is not a condition."), subject.pos, subject.text,
                            _("Compare a name with it, e.g. %(example)s.") % {"example": "desil <= 4"})
        links, variable, written = self.term(subject, schema)
        if not isinstance(variable.type, Boolean):
            raise self.fail(_("“%(name)s” is not a condition on its own: compare it with a value.")
                            % {"name": written}, n.position(subject), written,
                            _("For example: %(example)s.") % {"example": variable.example})
        return wrap(links, b.Test(variable, "==", True))

    def compare(self, node: n.Compare, schema: Schema):
        left, op, right = node.left, node.op, node.right
        if isinstance(left, n.Literal) and not isinstance(right, n.Literal):
            left, op, right = right, FLIPPED[op], left
        if isinstance(left, n.Literal):
            raise self.fail(_("A comparison needs a name on one side."), left.pos, left.text,
                            _("For example: %(example)s.") % {"example": "desil <= 4"})
        if not isinstance(right, n.Literal):
            raise self.fail(_("Compare a name with a value, not with another name."), n.position(right),
                            n.unparse(right), _("For example: %(example)s.") % {"example": "desil <= 4"})
        links, variable, written = self.term(left, schema)
        self.operator(variable, written, op, node.pos)
        return wrap(links, b.Test(variable, op, self.value(variable, written, right)))

    def between(self, node: n.Between, schema: Schema):
        links, variable, written = self.subject(node.subject, schema, "between")
        self.operator(variable, written, "between", node.pos)
        low, high = (self.value(variable, written, self.literal(v)) for v in (node.low, node.high))
        if low > high:
            raise self.fail(_("The lower bound is above the upper bound."), n.position(node.low), node.low.text,
                            _("Write the smaller value first: %(name)s between %(low)s and %(high)s.")
                            % {"name": written, "low": variable.type.describe(high),
                               "high": variable.type.describe(low)})
        if node.negated:
            inner = b.AnyOf((b.Test(variable, "<", low), b.Test(variable, ">", high)))
        else:
            inner = b.AllOf((b.Test(variable, ">=", low), b.Test(variable, "<=", high)))
        return wrap(links, inner)

    def within(self, node: n.In, schema: Schema):
        links, variable, written = self.subject(node.subject, schema, "in")
        self.operator(variable, written, "in", node.pos)
        if not node.items:
            raise self.fail(_("The list is empty."), node.pos, "in", _("Give at least one value."))
        values = tuple(dict.fromkeys(self.value(variable, written, self.literal(i)) for i in node.items))
        return wrap(links, b.Test(variable, "not in" if node.negated else "in", values))

    def subject(self, subject: n.Value, schema: Schema, word: str):
        if isinstance(subject, n.Literal):
            raise self.fail(_("“%(word)s” needs a name before it.") % {"word": word}, subject.pos, subject.text,
                            _("For example: %(example)s.") % {"example": "age between 18 and 25"})
        return self.term(subject, schema)

    def literal(self, value: n.Value) -> n.Literal:
        if not isinstance(value, n.Literal):
            raise self.fail(_("Compare a name with a value, not with another name."), n.position(value),
                            n.unparse(value), _("For example: %(example)s.") % {"example": "age between 18 and 25"})
        return value

    def operator(self, variable: Variable, written: str, op: str, pos: int) -> None:
        if op in variable.type.operators or (op == "between" and variable.type.ordered):
            return
        token = "between" if op == "between" else op
        if isinstance(variable.type, Boolean):
            raise self.fail(_("“%(name)s” is yes or no: it has no “%(op)s”.") % {"name": written, "op": token},
                            pos, token,
                            _("For example: %(name)s, not %(name)s, %(name)s == false.") % {"name": written})
        raise self.fail(_("“%(name)s” has no order: “%(op)s” does not apply.") % {"name": written, "op": token},
                        pos, token, _("Use ==, !=, in or not in."))

    def value(self, variable: Variable, written: str, literal: n.Literal):
        try:
            return variable.type.resolve(literal.value, written)
        except Mismatch as mismatch:
            hint = mismatch.hint or _("For example: %(example)s.") % {"example": variable.example}
            raise self.fail(mismatch.message, literal.pos, literal.text, hint) from None

    # -- names ---------------------------------------------------------------------------------

    def term(self, value: n.Value, schema: Schema) -> tuple[list, Variable, str]:
        """The links to follow, the variable, and the name as written, of a value that is not a literal."""
        match value:
            case n.Name(path=path, pos=pos):
                return self.name(path, schema, pos)
            case n.Count(condition=condition, pos=pos, via=via):
                links, schema, _last = self.follow((*via, "count"), schema, pos, ".".join((*via, "count")))
                more, members, member_schema = self.members(schema, pos, "count")
                links += more
                inner = None if condition is None else self.condition(condition, member_schema)
                variable = Variable("count", Integer(0, 99), MemberCount(members, inner), _("number of members"),
                                    "count(member where age < 18) >= 2")
                return links, variable, "count(…)"
            case n.Call():
                return self.call(value, schema)
        raise TypeError(value)

    def name(self, path: tuple[str, ...], schema: Schema, pos: int) -> tuple[list, Variable, str]:
        written, start = ".".join(path), schema
        links, schema, last = self.follow(path, schema, pos, written)
        variable = schema.variables.get(last)
        if variable is not None:
            return links, variable, written
        if last in schema.links:
            example = f"{written}.{next(iter(get_schema(schema.links[last].target).variables))}"
            raise self.fail(_("“%(name)s” needs a name after it.") % {"name": written}, pos, written,
                            _("For example: %(example)s.") % {"example": example})
        raise self.unknown(written, pos, start)

    def follow(self, path, schema: Schema, pos: int, written: str) -> tuple[list, Schema, str]:
        """Follow the links of a dotted path (through aliases) to the schema of its last part."""
        links, path, start = [], list(path), schema
        for _step in range(20):  # aliases never cycle; this only bounds a mistake in a schema
            if path[0] in schema.aliases:
                path = [*schema.aliases[path[0]], *path[1:]]
                continue
            if len(path) == 1:
                return links, schema, path[0]
            link = schema.links.get(path[0])
            if link is None:
                raise self.unknown(written, pos, start)
            links.append(link)
            schema, path = get_schema(link.target), path[1:]
        raise RecursionError(written)

    def unknown(self, written: str, pos: int, schema: Schema) -> RuleError:
        return self.fail(_("Unknown name “%(name)s”.") % {"name": written}, pos, written,
                         did_you_mean(written, schema.names()))

    def members(self, schema: Schema, pos: int, word: str):
        """The links to the row that has members, its member set, and the members' schema."""
        links = []
        if schema.members is None and schema.members_via:
            link = schema.links[schema.members_via]
            links.append(link)
            schema = get_schema(link.target)
        if schema.members is None:
            raise self.fail(_("“member” has no meaning in rules about %(target)s.") % {"target": schema.label},
                            pos, word)
        return links, schema.members, get_schema(schema.member_target)

    def call(self, call: n.Call, schema: Schema) -> tuple[list, Variable, str]:
        written = ".".join(call.path) + "(…)"
        function = FUNCTIONS.get(call.path[-1])
        if function is None:
            raise self.fail(_("Unknown function “%(name)s”.") % {"name": ".".join(call.path)}, call.pos,
                            ".".join(call.path), _("Functions: %(functions)s.") % {"functions": FUNCTION_LIST})
        links, schema, _last = self.follow(call.path, schema, call.pos, written)
        age = schema.variables.get("age")
        if age is None or not isinstance(age.source, Age):
            raise self.fail(_("age_on(…) is the age of a person."), call.pos, ".".join(call.path),
                            _("Use it as head.age_on(…) or inside any member (…) or count(member where …)."))
        example = 'age_on("2026-07-01") >= 7'
        if len(call.args) != 1 or not isinstance(call.args[0].value, str) or isinstance(call.args[0].value, bool):
            raise self.fail(_("age_on takes one date in double quotes."), call.pos, ".".join(call.path),
                            _("For example: %(example)s.") % {"example": example})
        arg = call.args[0]
        try:
            day = datetime.date.fromisoformat(arg.value.strip())
        except ValueError:
            day = None
        if day is None or not FIRST_DATE <= day <= LAST_DATE or len(arg.value.strip()) != 10:
            raise self.fail(_("“%(text)s” is not a date written as year-month-day.") % {"text": arg.value},
                            arg.pos, arg.text, _("For example: %(example)s.") % {"example": example})
        variable = replace(age, name="age_on", source=replace(age.source, on=day), example=example)
        return links, variable, written

