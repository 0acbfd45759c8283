"""Value types of rule variables: the operators each takes and how a written value becomes a stored one."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from sejahtera.programs.rules.errors import Mismatch, closest

EQUALITY = ("==", "!=", "in", "not in")
ORDERING = ("<", "<=", ">", ">=")
REGION_CODE_RE = re.compile(r"[0-9][0-9.\s]*")


def listed(values) -> str:
    """Values as they are written in a rule, to copy from a hint."""
    return ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values)


class ValueType:
    ordered = False

    @property
    def operators(self) -> tuple[str, ...]:
        return EQUALITY + ORDERING if self.ordered else EQUALITY

    def resolve(self, value: object, name: str) -> object:
        """The stored value for a written one; Mismatch when it does not fit."""
        raise NotImplementedError

    def describe(self, value: object) -> str:
        """A stored value as written in a rule."""
        return str(value)

    def label(self, value: object) -> str:
        """A stored value for people."""
        return str(value)


class Integer(ValueType):
    ordered = True

    def __init__(self, low: int, high: int):
        self.low, self.high = low, high

    def resolve(self, value, name):
        if isinstance(value, str):
            raise Mismatch(_("“%(name)s” is a number: it cannot be compared with the text “%(value)s”.")
                           % {"name": name, "value": value})
        if isinstance(value, bool):
            raise Mismatch(_("“%(name)s” is a number, not yes or no.") % {"name": name})
        if isinstance(value, Decimal):
            if value != value.to_integral_value():
                raise Mismatch(_("“%(name)s” takes whole numbers.") % {"name": name})
            value = int(value)
        if not self.low <= value <= self.high:
            raise Mismatch(_("“%(name)s” goes from %(low)d to %(high)d.")
                           % {"name": name, "low": self.low, "high": self.high})
        return value


class Boolean(ValueType):
    @property
    def operators(self):
        return ("==", "!=")

    def resolve(self, value, name):
        if not isinstance(value, bool):
            raise Mismatch(_("“%(name)s” is yes or no: compare it with true or false.") % {"name": name},
                           _("For example: %(name)s, not %(name)s, %(name)s == false.") % {"name": name})
        return value

    def describe(self, value):
        return "true" if value else "false"

    def label(self, value):
        return str(_("yes") if value else _("no"))


class Choice(ValueType):
    """A code list. ``names`` maps each name written in rules to its stored value; the first name
    of each value is the one shown. ``vocabulary`` (from the import vocabulary) adds the spellings
    regency files use, such as "Tamat SD/Sederajat" or "PBI APBD"."""

    def __init__(self, names: dict[str, object], vocabulary=None, ordered: bool = False, labels=None):
        self.names = names
        self.labels = labels or {}
        self.lookup = {name.lower(): value for name, value in names.items()}
        self.shown = {}
        for name, value in names.items():
            self.shown.setdefault(value, name)
        self.vocabulary = vocabulary
        self.ordered = ordered

    def allowed(self) -> str:
        return _("Allowed: %(values)s.") % {"values": listed(self.shown.values())}

    def resolve(self, value, name):
        if not isinstance(value, str):
            raise Mismatch(_("“%(name)s” takes one of its values in double quotes.") % {"name": name},
                           self.allowed())
        key = value.strip().lower()
        if key in self.lookup:
            return self.lookup[key]
        found = self._from_vocabulary(value)
        if found is not None:
            return found
        near = closest(value, self.names)
        hint = self.allowed()
        if near:
            hint = _("Did you mean %(names)s?") % {"names": listed(near)} + " " + hint
        raise Mismatch(_("“%(value)s” is not a value of “%(name)s”.") % {"value": value, "name": name}, hint)

    def _from_vocabulary(self, value: str):
        from sejahtera.registry.importing.vocabulary import ValueProblem, normalize_key

        if self.vocabulary is None or normalize_key(value).replace(" ", "").isdigit():
            return None  # the import files' numeric codes mean nothing to a reader of the rule
        try:
            return self.vocabulary(value)
        except ValueProblem:
            return None

    def describe(self, value):
        return f'"{self.shown.get(value, value)}"'

    def label(self, value) -> str:
        return str(self.labels.get(value, self.shown.get(value, value)))


class RegionCode(ValueType):
    """A Kemendagri code of ``digits`` digits, with or without dots. Anything that is not a code
    is kept as written: it matches nothing, as a name would."""

    def __init__(self, digits: int, example: str):
        self.digits, self.example = digits, example

    def resolve(self, value, name):
        if not isinstance(value, str):
            raise Mismatch(_("“%(name)s” takes a region code in double quotes.") % {"name": name},
                           _('For example: %(name)s == "%(example)s".') % {"name": name, "example": self.example})
        text = value.strip()
        if not REGION_CODE_RE.fullmatch(text):
            return text
        code = re.sub(r"[.\s]", "", text)
        if len(code) != self.digits:
            raise Mismatch(_("“%(value)s” is not a %(name)s code.") % {"value": value, "name": name},
                           _('A %(name)s code has %(digits)d digits, e.g. "%(example)s".')
                           % {"name": name, "digits": self.digits, "example": self.example})
        return code

    def describe(self, value):
        return f'"{value}"'

    def label(self, value):
        from sejahtera.regions.codes import format_code

        return format_code(value) if value.isdigit() else value
