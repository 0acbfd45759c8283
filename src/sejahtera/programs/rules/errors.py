"""The error of a rule that cannot be read or checked, pointing at where it goes wrong."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from django.utils.translation import gettext as _


class RuleError(ValueError):
    """A rule that is not valid. ``column`` (1-based, within ``line``) and ``token`` say where.

    ``message`` is the whole explanation for people, hint included; ``hint`` is the hint alone
    (closest names, allowed values, an example), empty when there is none.
    """

    def __init__(self, message: str, *, text: str, pos: int, token: str = "", hint: str = ""):
        self.text = text
        self.pos = max(0, min(pos, len(text)))
        self.token = token
        self.hint = hint
        self.message = f"{message} {hint}" if hint else message
        super().__init__(self.message)

    @property
    def line(self) -> int:
        return self.text.count("\n", 0, self.pos) + 1

    @property
    def column(self) -> int:
        return self.pos - self._line_start() + 1

    def _line_start(self) -> int:
        return self.text.rfind("\n", 0, self.pos) + 1

    def __str__(self) -> str:
        if "\n" in self.text:
            return _("Line %(line)d, column %(column)d: %(message)s") % {
                "line": self.line, "column": self.column, "message": self.message}
        return _("Column %(column)d: %(message)s") % {"column": self.column, "message": self.message}

    def caret_line(self) -> str:
        """The rule's line with the error, and a ``^`` under the column on the line below."""
        start = self._line_start()
        end = self.text.find("\n", self.pos)
        line = self.text[start:] if end == -1 else self.text[start:end]
        pad = "".join("\t" if ch == "\t" else " " for ch in line[: self.column - 1])
        return f"{line}\n{pad}^"


class Mismatch(ValueError):
    """A value that does not fit a variable; the checker turns it into a RuleError at the value."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def quoted(items: Iterable[object]) -> str:
    return ", ".join(f"“{item}”" for item in items)


def closest(word: str, candidates: Iterable[str]) -> list[str]:
    """The known names closest to a misspelt one, best first."""
    candidates = list(candidates)
    lowered = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=3, cutoff=0.6)
    # A name written with its model field's suffix or prefix ("jkn_status") has a short relative.
    word = word.lower()
    found += [c for c in lowered if c not in found and len(c) >= 3
              and (word.startswith(c) or c.startswith(word) or c.endswith(f".{word}"))]
    return [lowered[c] for c in found[:3]]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    candidates = list(candidates)
    found = closest(word, candidates)
    if found:
        return _("Did you mean %(names)s?") % {"names": quoted(found)}
    return _("Known names: %(names)s.") % {"names": ", ".join(sorted(candidates))}
