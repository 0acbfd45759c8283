"""Splitting a rule into tokens: names, numbers, texts, operators, keywords and brackets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from sejahtera.programs.rules.errors import RuleError

MAX_LENGTH = 10_000

# Keywords and their Indonesian aliases; the English word is the canonical one.
KEYWORDS = {
    "and": "and", "dan": "and",
    "or": "or", "atau": "or",
    "not": "not", "tidak": "not",
    "between": "between", "antara": "between",
    "in": "in", "dalam": "in",
    "true": "true", "benar": "true",
    "false": "false", "salah": "false",
    "any": "any", "ada": "any",
    "no": "no", "tanpa": "no",
    "every": "every", "semua": "every",
    "member": "member", "anggota": "member",
    "where": "where", "dengan": "where",
}
OPERATORS = ("==", "!=", "<=", ">=", "<", ">")
BRACKETS = "()[],"
# Operators from other languages, with what to write instead.
FOREIGN_OPERATORS = {"=<": "<=", "=>": ">=", "<>": "!=", "&&": "and", "||": "or", "=": "==", "&": "and",
                     "|": "or", "!": "not"}
QUOTES = {'"': '"', "“": "”", "”": "”"}

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
NUMBER_RUN_RE = re.compile(r"[0-9][0-9A-Za-z_.]*")
INTEGER_RE = re.compile(r"[0-9]+")
DECIMAL_RE = re.compile(r"[0-9]+\.[0-9]+")
THOUSANDS_RE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")


@dataclass(frozen=True)
class Token:
    """``kind`` is one of name, number, string, op, keyword, bracket, end. ``pos`` is 0-based."""

    kind: str
    text: str
    pos: int
    value: object = None

    def is_keyword(self, *words: str) -> bool:
        return self.kind == "keyword" and self.value in words

    def is_bracket(self, bracket: str) -> bool:
        return self.kind == "bracket" and self.text == bracket


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an ``end`` token; RuleError on anything unreadable."""
    if len(text) > MAX_LENGTH:
        raise RuleError(_("The rule is too long: at most %(max)d characters.") % {"max": MAX_LENGTH},
                        text=text, pos=MAX_LENGTH)
    tokens: list[Token] = []
    pos, n = 0, len(text)
    while pos < n:
        ch = text[pos]
        if ch.isspace():
            pos += 1
        elif ch in QUOTES:
            token = _string(text, pos)
            tokens.append(token)
            pos += len(token.text)
        elif ch == "'":
            raise RuleError(_("Text goes between double quotes."), text=text, pos=pos, token=ch,
                            hint=_('For example: jkn == "none".'))
        elif ch in "0123456789":
            token = _number(text, pos)
            tokens.append(token)
            pos += len(token.text)
        elif ch.isascii() and (ch.isalpha() or ch == "_"):
            token = _name(text, pos)
            tokens.append(token)
            pos += len(token.text)
        elif ch in BRACKETS:
            tokens.append(Token("bracket", ch, pos, ch))
            pos += 1
        else:
            op = next((o for o in OPERATORS if text.startswith(o, pos)), None)
            foreign = next((f for f in sorted(FOREIGN_OPERATORS, key=len, reverse=True) if text.startswith(f, pos)),
                           None)
            if foreign and (op is None or len(foreign) > len(op)):
                raise RuleError(_("“%(op)s” is not an operator here.") % {"op": foreign}, text=text, pos=pos,
                                token=foreign, hint=_("Write “%(instead)s”.") % {"instead": FOREIGN_OPERATORS[foreign]})
            if op is None:
                raise RuleError(_("Unexpected character “%(char)s”.") % {"char": ch}, text=text, pos=pos, token=ch)
            tokens.append(Token("op", op, pos, op))
            pos += len(op)
    tokens.append(Token("end", "", n))
    return tokens


def _string(text: str, start: int) -> Token:
    closing = QUOTES[text[start]]
    chars, pos = [], start + 1
    while pos < len(text):
        ch = text[pos]
        if ch == "\\" and pos + 1 < len(text) and text[pos + 1] in '"\\':
            chars.append(text[pos + 1])
            pos += 2
        elif ch == closing or (closing == "”" and ch == '"'):
            return Token("string", text[start : pos + 1], start, "".join(chars))
        elif ch == "\n":
            break
        else:
            chars.append(ch)
            pos += 1
    raise RuleError(_("This text has no closing quote."), text=text, pos=start, token=text[start],
                    hint=_("Close it with a double quote (\")."))


def _number(text: str, start: int) -> Token:
    run = NUMBER_RUN_RE.match(text, start).group()
    if INTEGER_RE.fullmatch(run):
        return Token("number", run, start, int(run))
    if THOUSANDS_RE.fullmatch(run):
        raise RuleError(_("In “%(number)s” the dot would be a decimal point, not a thousands separator.")
                        % {"number": run}, text=text, pos=start, token=run,
                        hint=_("Write whole numbers without separators, e.g. %(example)s.")
                        % {"example": run.replace(".", "")})
    if DECIMAL_RE.fullmatch(run):
        return Token("number", run, start, Decimal(run))
    raise RuleError(_("“%(text)s” is not a number.") % {"text": run}, text=text, pos=start, token=run)


def _name(text: str, start: int) -> Token:
    written = NAME_RE.match(text, start).group()
    end = start + len(written)
    if end < len(text) and text[end] == ".":
        raise RuleError(_("A name is missing after the dot."), text=text, pos=end, token=".",
                        hint=_("For example: family.desil."))
    word = written.lower()
    if "." not in word and word in KEYWORDS:
        return Token("keyword", written, start, KEYWORDS[word])
    return Token("name", written, start, tuple(word.split(".")))
