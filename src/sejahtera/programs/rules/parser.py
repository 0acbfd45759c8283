"""A recursive-descent parser from rule text to the syntax tree of ``nodes``.

Grammar (keywords are case-insensitive; Indonesian aliases in ``tokens.KEYWORDS``)::

    rule       := or_expr END
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | condition
    condition  := "(" or_expr ")"
                | ("any" | "no" | "every") "member" "(" or_expr ")"
                | value [comparison]
    comparison := ("==" | "!=" | "<" | "<=" | ">" | ">=") value
                | ["not"] "between" value "and" value
                | ["not"] "in" "[" [value ("," value)* [","]] "]"
    value      := NUMBER | STRING | "true" | "false" | NAME | call
    call       := "count" "(" "member" ["where" or_expr] ")" | NAME "(" [value ("," value)*] ")"
"""

from __future__ import annotations

from contextlib import contextmanager

from django.utils.translation import gettext as _

from sejahtera.programs.rules import nodes as n
from sejahtera.programs.rules.errors import RuleError
from sejahtera.programs.rules.tokens import Token, tokenize

MAX_DEPTH = 40
COUNT_NAMES = {"count", "jumlah"}
COMPARISON_WORDS = "==, !=, <, <=, >, >=, between, in"


def parse(text: str) -> n.Node:
    """The syntax tree of a rule; RuleError when it cannot be read."""
    return Parser(text).rule()


class Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    # -- tokens --------------------------------------------------------------------------------

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    @property
    def previous(self) -> Token | None:
        return self.tokens[self.index - 1] if self.index else None

    def advance(self) -> Token:
        token = self.token
        self.index += 1
        return token

    def error(self, message: str, token: Token, hint: str = "") -> RuleError:
        return RuleError(message, text=self.text, pos=token.pos, token=token.text, hint=hint)

    def missing_after(self, what: str) -> RuleError:
        """The rule ends where something is still needed: point at the last token written."""
        last = self.previous
        return self.error(_("The rule ends after “%(token)s”: %(what)s is missing.")
                          % {"token": last.text, "what": what}, last)

    def expect_bracket(self, bracket: str, opening: Token, expected: str) -> Token:
        token = self.token
        if token.is_bracket(bracket):
            return self.advance()
        if token.kind == "end":
            if bracket == ")":
                raise self.error(_("This parenthesis is never closed."), opening, _("Add “)” where it ends."))
            if bracket == "]":
                raise self.error(_("This list is never closed."), opening, _("Add “]” after the last value."))
        raise self.unexpected(token, expected)

    def unexpected(self, token: Token, expected: str) -> RuleError:
        if token.kind == "end":
            return self.missing_after(expected)
        return self.error(_("Unexpected “%(token)s”.") % {"token": token.text}, token,
                          _("Expected %(expected)s.") % {"expected": expected})

    # -- conditions ----------------------------------------------------------------------------

    def rule(self) -> n.Node:
        if self.token.kind == "end":
            raise RuleError(_("The rule is empty."), text=self.text, pos=0,
                            hint=_('Write a condition, for example: desil <= 4 and jkn == "none".'))
        node = self.or_expr()
        token = self.token
        if token.kind != "end":
            if token.is_bracket(")"):
                raise self.error(_("This “)” closes no parenthesis."), token, _("Remove it, or add “(” before."))
            raise self.after_condition(token, node, _("“and”, “or” or the end of the rule"))
        return node

    def after_condition(self, token: Token, node: n.Node, expected: str) -> RuleError:
        """A token that cannot follow a complete condition."""
        while isinstance(node, (n.And, n.Or)):
            node = node.items[-1]
        if token.kind == "op" and isinstance(node, (n.Compare, n.Between, n.In)):
            return self.error(_("Comparisons cannot be chained."), token,
                              _("Join two comparisons with “and”, e.g. age >= 18 and age <= 25."))
        if isinstance(node, n.Truth) and not isinstance(node.subject, n.Literal):
            return self.error(_("Unexpected “%(token)s”.") % {"token": token.text}, token,
                              _("Expected a comparison (%(operators)s) after “%(name)s”.")
                              % {"operators": COMPARISON_WORDS, "name": n.unparse(node.subject)})
        return self.unexpected(token, expected)

    def or_expr(self) -> n.Node:
        items = [self.and_expr()]
        while self.token.is_keyword("or"):
            self.advance()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else n.Or(tuple(items))

    def and_expr(self) -> n.Node:
        items = [self.not_expr()]
        while self.token.is_keyword("and"):
            self.advance()
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else n.And(tuple(items))

    def not_expr(self) -> n.Node:
        token = self.token
        if token.is_keyword("not"):
            self.advance()
            with self.nested(token):
                return n.Not(self.not_expr(), token.pos)
        return self.condition()

    @contextmanager
    def nested(self, token: Token):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(_("The rule is nested too deeply."), token,
                             _("Use at most %(max)d levels of brackets and “not”.") % {"max": MAX_DEPTH})
        try:
            yield
        finally:
            self.depth -= 1

    def condition(self) -> n.Node:
        token = self.token
        if token.is_bracket("("):
            self.advance()
            with self.nested(token):
                node = self.or_expr()
            self.close(token, node)
            return node
        if token.is_keyword("any", "no", "every"):
            return self.quantified()
        if token.kind == "end":
            raise self.missing_after(_("a condition"))
        if token.is_keyword("and", "or") or token.is_bracket(")") or token.kind == "op":
            raise self.error(_("A condition is missing before “%(token)s”.") % {"token": token.text}, token)
        value = self.value()
        return self.comparison(value)

    def quantified(self) -> n.Quantified:
        token = self.advance()
        member = self.token
        if not member.is_keyword("member"):
            raise self.unexpected(member, _("“member” after “%(word)s”") % {"word": token.text})
        self.advance()
        opening = self.token
        if not opening.is_bracket("("):
            raise self.unexpected(opening, _("“(” and a condition on the member, e.g. %(example)s")
                                  % {"example": "any member (age < 5)"})
        self.advance()
        with self.nested(opening):
            condition = self.or_expr()
        self.close(opening, condition)
        return n.Quantified(token.value, condition, token.pos)

    def close(self, opening: Token, condition: n.Node) -> None:
        """The ``)`` after a condition in brackets."""
        closing = self.token
        if not closing.is_bracket(")") and closing.kind != "end":
            raise self.after_condition(closing, condition, _("“and”, “or” or “)”"))
        self.expect_bracket(")", opening, "“)”")

    def comparison(self, subject: n.Value) -> n.Node:
        token = self.token
        if token.kind == "op":
            self.advance()
            return n.Compare(subject, token.value, self.value(), token.pos)
        negated = False
        if token.is_keyword("not") and self.tokens[self.index + 1].is_keyword("between", "in"):
            negated = True
            self.advance()
        word = self.token
        if word.is_keyword("between"):
            self.advance()
            low = self.value()
            if not self.token.is_keyword("and"):
                raise self.unexpected(self.token, _("“and” between the two bounds, e.g. %(example)s")
                                      % {"example": "age between 18 and 25"})
            self.advance()
            return n.Between(subject, low, self.value(), negated, token.pos)
        if word.is_keyword("in"):
            self.advance()
            return n.In(subject, self.items(), negated, token.pos)
        return n.Truth(subject)

    # -- values --------------------------------------------------------------------------------

    def value(self) -> n.Value:
        token = self.token
        if token.kind in ("number", "string"):
            self.advance()
            return n.Literal(token.value, token.pos, token.text)
        if token.is_keyword("true", "false"):
            self.advance()
            return n.Literal(token.value == "true", token.pos, token.text)
        if token.kind == "name":
            self.advance()
            if self.token.is_bracket("("):
                return self.call(token)
            return n.Name(token.value, token.pos)
        if token.kind == "end":
            raise self.missing_after(_("a value"))
        if token.is_keyword("member"):
            raise self.error(_("“member” is only used in count(member where …) and in any member (…)."), token)
        raise self.error(_("A value or a name is missing before “%(token)s”.") % {"token": token.text}, token)

    def call(self, name: Token) -> n.Call | n.Count:
        opening = self.advance()
        with self.nested(opening):
            if name.value[-1] in COUNT_NAMES:
                return self.count(name, opening)
            args = []
            if not self.token.is_bracket(")"):
                args.append(self.literal(_("a value")))
                while self.token.is_bracket(","):
                    self.advance()
                    args.append(self.literal(_("a value")))
            self.expect_bracket(")", opening, _("“,” or “)”"))
        return n.Call(name.value, tuple(args), name.pos)

    def count(self, name: Token, opening: Token) -> n.Count:
        member = self.token
        if not member.is_keyword("member"):
            raise self.unexpected(member, _("“member”, as in %(example)s")
                                  % {"example": "count(member where age < 18)"})
        self.advance()
        if not self.token.is_keyword("where"):
            self.expect_bracket(")", opening, _("“where” or “)”"))
            return n.Count(None, name.pos, name.value[:-1])
        self.advance()
        condition = self.or_expr()
        self.close(opening, condition)
        return n.Count(condition, name.pos, name.value[:-1])

    def items(self) -> tuple[n.Literal, ...]:
        opening = self.token
        if not opening.is_bracket("["):
            raise self.unexpected(opening, _("a list in square brackets, e.g. %(example)s")
                                  % {"example": '["none", "pbi_daerah"]'})
        self.advance()
        items = []
        while not self.token.is_bracket("]"):
            items.append(self.literal(_("a value or “]”")))
            if self.token.is_bracket(","):
                self.advance()
            elif not self.token.is_bracket("]"):
                self.expect_bracket("]", opening, _("“,” or “]”"))
        self.advance()
        return tuple(items)

    def literal(self, expected: str) -> n.Literal:
        token = self.token
        if token.kind == "name":
            raise self.error(_("A list or a function takes values, not names such as “%(name)s”.")
                             % {"name": token.text}, token, _('Put text between double quotes: "%(name)s".')
                             % {"name": token.text})
        if token.kind == "end":
            raise self.unclosed_or_missing(expected)
        if token.kind in ("number", "string") or token.is_keyword("true", "false"):
            return self.value()
        raise self.unexpected(token, expected)

    def unclosed_or_missing(self, expected: str) -> RuleError:
        # The innermost bracket still open is the one to close.
        depth, opener = 0, None
        for token in reversed(self.tokens[: self.index]):
            if token.kind == "bracket" and token.text in ")]":
                depth += 1
            elif token.kind == "bracket" and token.text in "([":
                if depth == 0:
                    opener = token
                    break
                depth -= 1
        if opener is not None and opener.text == "[":
            return self.error(_("This list is never closed."), opener, _("Add “]” after the last value."))
        if opener is not None:
            return self.error(_("This parenthesis is never closed."), opener, _("Add “)” where it ends."))
        return self.missing_after(expected)

