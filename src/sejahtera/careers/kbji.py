"""KBJI 2014, the Indonesian classification of occupations, shipped with the package.

Codes by digit level: ``7`` (major group), ``72`` (sub-major group), ``721`` (minor group),
``7212`` (unit group) and ``7212.01`` (occupation, the 6-digit level). Everything is read once
from ``data/kbji2014.csv.gz`` and kept in memory; nothing here touches the database.
"""

import csv
import gzip
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SHIPPED_LIST = Path(__file__).parent / "data" / "kbji2014.csv.gz"

LEVELS = (1, 2, 3, 4, 6)


@dataclass(frozen=True)
class Occupation:
    code: str
    level: int  # digit level: 1, 2, 3, 4 or 6
    title: str
    description: str

    @property
    def parent_code(self) -> str | None:
        return parent_code(self.code)


def normalize_code(code: str) -> str:
    """``"7212 01"``, ``"721201"`` and ``" 7212.01 "`` all become ``"7212.01"``; other codes are stripped."""
    digits = "".join(ch for ch in str(code) if ch.isdigit())
    if len(digits) == 6:
        return f"{digits[:4]}.{digits[4:]}"
    return digits


def digits_of(code: str) -> str:
    """The code without its dot: ``"7212.01"`` -> ``"721201"``."""
    return code.replace(".", "")


def parent_code(code: str) -> str | None:
    digits = digits_of(code)
    if len(digits) <= 1:
        return None
    return digits[:4] if len(digits) == 6 else digits[:-1]


@cache
def _table() -> dict[str, Occupation]:
    raw = gzip.decompress(SHIPPED_LIST.read_bytes()).decode("utf-8")
    table = {}
    for row in csv.DictReader(io.StringIO(raw)):
        table[row["code"]] = Occupation(row["code"], int(row["level"]), row["title"], row["description"])
    return table


@cache
def _children() -> dict[str, tuple[str, ...]]:
    children: dict[str, list[str]] = {}
    for code in _table():
        parent = parent_code(code)
        if parent is not None:
            children.setdefault(parent, []).append(code)
    return {parent: tuple(sorted(codes)) for parent, codes in children.items()}


def is_valid_code(code: str) -> bool:
    """True when ``code`` is a KBJI 2014 code of any level, written as in the classification."""
    return isinstance(code, str) and code in _table()


def occupation(code: str) -> Occupation:
    """The entry of ``code``; ``KeyError`` when there is none."""
    return _table()[code]


def title(code: str) -> str:
    """The title of ``code`` (``"7212"`` -> ``"Pekerja Pengelasan"``); ``KeyError`` when unknown."""
    return _table()[code].title


def children(code: str) -> tuple[Occupation, ...]:
    """The entries one level below ``code`` (the unit groups of a minor group, ...), in code order."""
    table = _table()
    return tuple(table[child] for child in _children().get(code, ()))


def major_groups() -> tuple[Occupation, ...]:
    return tuple(entry for entry in _table().values() if entry.level == 1)


def occupations(level: int | None = None) -> tuple[Occupation, ...]:
    """Every entry, or those of one digit level, in code order."""
    return tuple(entry for entry in _table().values() if level is None or entry.level == level)


def label(code: str) -> str:
    """``"7212 Pekerja Pengelasan"``, or the bare code when it is unknown."""
    entry = _table().get(code)
    return f"{code} {entry.title}" if entry else code


def search(text: str, *, level: int | None = None, limit: int = 20) -> list[Occupation]:
    """Entries whose code starts with ``text`` or whose title contains every word of it.

    Titles starting with the text come first, then titles with every word at a word start
    (``"las"`` finds "Pekerja Las ..." before "Pekerja Isolasi"), then the rest, each in code order.

    Plain lookup for pickers (``"las"``, ``"7212"``, ``"guru sekolah"``); for ranking a vacancy's
    title and description use :func:`sejahtera.careers.matching.suggest.suggest_kbji`.
    """
    query = text.strip().lower()
    if not query:
        return []
    words = query.split()
    code_query = normalize_code(query) if query.replace(".", "").replace(" ", "").isdigit() else None
    found = []
    for entry in _table().values():
        if level is not None and entry.level != level:
            continue
        if code_query is not None:
            if digits_of(entry.code).startswith(digits_of(code_query)):
                found.append((0, entry.code, entry))
            continue
        entry_title = entry.title.lower()
        if all(word in entry_title for word in words):
            title_words = entry_title.replace("/", " ").replace("(", " ").split()
            at_word_start = all(any(tw.startswith(word) for tw in title_words) for word in words)
            found.append((0 if entry_title.startswith(query) else 1 if at_word_start else 2, entry.code, entry))
    found.sort(key=lambda item: item[:2])
    return [entry for _rank, _code, entry in found[:limit]]
