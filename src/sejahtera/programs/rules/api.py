"""Reading, checking, compiling and evaluating rules: the functions the rest of the system calls."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from sejahtera.programs.rules import nodes
from sejahtera.programs.rules.check import check
from sejahtera.programs.rules.compiler import Context, to_q
from sejahtera.programs.rules.errors import RuleError
from sejahtera.programs.rules.evaluator import EvalContext, holds
from sejahtera.programs.rules.parser import parse
from sejahtera.programs.rules.schema import Schema, get_schema


@dataclass(frozen=True, eq=False)
class Rule:
    """A rule that has been read and checked against its target."""

    text: str
    target: Schema
    tree: nodes.Node
    condition: object

    def q(self, reference_date: datetime.date | None = None) -> Q:
        """The condition on the target's rows; ages are counted on ``reference_date`` (today)."""
        return to_q(self.condition, Context(reference_date or timezone.localdate()))

    def matches(self, queryset: QuerySet | None = None, *, reference_date: datetime.date | None = None) -> QuerySet:
        """The rows of ``queryset`` (default: all of the target's) that satisfy the rule."""
        rows = self.target.queryset() if queryset is None else queryset.filter(self.target.base)
        return rows.filter(self.q(reference_date))

    def holds(self, record, *, reference_date: datetime.date | None = None) -> bool:
        """Whether an in-memory record (see ``evaluator``) satisfies the rule."""
        return holds(self.condition, record, EvalContext(reference_date or timezone.localdate()))

    @property
    def canonical(self) -> str:
        """The rule written with English keywords and regular spacing."""
        return nodes.unparse(self.tree)


def parse_rule(text: str, target: str | Schema) -> Rule:
    """Read and check a rule for ``target`` ("person", "family" or a Schema); RuleError if it is not valid."""
    schema = get_schema(target)
    tree = parse(text)
    return Rule(text, schema, tree, check(tree, schema, text))


def compile_rule(text: str, target: str | Schema, reference_date: datetime.date | None = None) -> Q:
    return parse_rule(text, target).q(reference_date)


def matches(text: str, target: str | Schema, reference_date: datetime.date | None = None,
            queryset: QuerySet | None = None) -> QuerySet:
    return parse_rule(text, target).matches(queryset, reference_date=reference_date)


def evaluate(text: str, target: str | Schema, record, reference_date: datetime.date | None = None) -> bool:
    return parse_rule(text, target).holds(record, reference_date=reference_date)


def validate_rule(text: str, target: str | Schema) -> None:
    """RuleError when the rule is not valid for the target."""
    parse_rule(text, target)


@deconstructible
class RuleValidator:
    """A model or form field validator: ``validators=[RuleValidator("person")]``."""

    code = "invalid_rule"

    def __init__(self, target: str):
        self.target = target

    def __call__(self, value: str) -> None:
        try:
            parse_rule(value, self.target)
        except RuleError as error:
            raise ValidationError(
                _("Column %(column)s: %(message)s"), code=self.code,
                params={"column": error.column, "message": error.message, "token": error.token},
            ) from error

    def __eq__(self, other) -> bool:
        return isinstance(other, RuleValidator) and other.target == self.target

    def __hash__(self) -> int:
        return hash(self.target)
