"""Eligibility rules: a small, safe expression language compiled to Django ``Q`` expressions.

    desil <= 4 and jkn == "none"
    age between 18 and 25 and education >= "SLTA" and family.desil <= 5
    count(member where age < 18) >= 2 and not any member (disability != "none")

Rules are tokenized and parsed without ``eval`` (``parser``), checked against a target schema
(``check``: person or family rows, see ``targets``), then compiled to lookups and ``Exists``/``IN``
subqueries that run in the database (``compiler``), or evaluated in Python over records
(``evaluator``), or told back in words (``describe``). Errors are ``RuleError``, with the
column, the token and a hint.
"""

from sejahtera.programs.rules.api import (
    Rule,
    RuleValidator,
    compile_rule,
    evaluate,
    matches,
    parse_rule,
    validate_rule,
)
from sejahtera.programs.rules.describe import describe
from sejahtera.programs.rules.errors import RuleError
from sejahtera.programs.rules.parser import parse
from sejahtera.programs.rules.schema import Schema, get_schema

__all__ = [
    "Rule", "RuleError", "RuleValidator", "Schema", "compile_rule", "describe", "evaluate", "get_schema", "matches",
    "parse", "parse_rule", "validate_rule",
]
