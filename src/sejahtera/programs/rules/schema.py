"""A target of rules: the rows a rule selects and the variables a rule may use about them.

A schema maps each variable name to its value type (operators, allowed values) and its source
(the ORM lookup or expression it compiles to, and how the Python evaluator reads it). Another
schema over other tables (a compact facts table, say) can be registered under a new name
without touching the parser, the checker or the compiler.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q

from sejahtera.programs.rules.sources import MemberSet
from sejahtera.programs.rules.value_types import ValueType


@dataclass(frozen=True, eq=False)
class Variable:
    name: str
    type: ValueType
    source: object
    label: str = ""
    example: str = ""


@dataclass(eq=False)
class Schema:
    """``links`` reach related rows (``family.desil``); ``aliases`` map a name to a path
    (``desil`` is ``family.desil`` for a person); ``members`` is set on the schema whose rows
    have members (families), ``members_via`` names the link to such a row (a person's family)."""

    name: str
    model: str
    base: Q = field(default_factory=Q)
    variables: dict[str, Variable] = field(default_factory=dict)
    links: dict[str, object] = field(default_factory=dict)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    members: MemberSet | None = None
    member_target: str = "person"
    members_via: str | None = None
    label: str = ""

    def model_class(self):
        return apps.get_model(self.model)

    def queryset(self):
        """Every row a rule may select: rules only narrow this down."""
        return self.model_class().objects.filter(self.base)

    def names(self) -> list[str]:
        """Every name a rule may use, with the names of linked schemas one dot deep."""
        names = [*self.variables, *self.aliases]
        for link_name, link in self.links.items():
            names += [f"{link_name}.{name}" for name in get_schema(link.target).variables]
        return names


SCHEMAS: dict[str, Schema] = {}


def register(schema: Schema) -> Schema:
    SCHEMAS[schema.name] = schema
    return schema


def get_schema(target: str | Schema) -> Schema:
    if isinstance(target, Schema):
        return target
    from sejahtera.programs.rules import targets  # noqa: F401  (registers the built-in targets)

    try:
        return SCHEMAS[target]
    except KeyError:
        raise LookupError(f"No rule target {target!r}; known: {', '.join(sorted(SCHEMAS))}") from None
