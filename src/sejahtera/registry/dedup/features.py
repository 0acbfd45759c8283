"""Normalised names for record linkage of Indonesian persons.

Two registrations of one person rarely spell the name the same way: ``Muhamad`` /
``Muhammad`` / ``Moch.`` / ``M.``, ``Siti Nurhaliza`` / ``Siti Nur Haliza``, the old
spelling ``Soekarno`` / ``Sukarno``, a title (``H.``, ``Hj.``, ``Drs.``, ``S.Pd.``) on one
card and not on the other, a patronym (``bin Abdullah``) written out or left off.
``name_key`` maps all of these to one compact key; the linkage model compares keys.

The functions are pure and cached per distinct name: a regency of a million persons has
only tens of thousands of distinct names.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MUHAMMAD = "muhammad"
# Spellings and abbreviations of Muhammad (compared after dots are removed).
MUHAMMAD_FORMS = frozenset({
    "muhammad", "muhamad", "muhammed", "muhamed", "mohammad", "mohamad", "mohammed", "mohamed",
    "muhamat", "muhammat", "mochammad", "mochamad", "mochamat", "mokhammad", "mokhamad", "mukhammad",
    "mukhamad", "moehammad", "moehamad", "muchammad", "muchamad", "mohd", "moch", "mochd", "moh", "muh",
    "mhd", "mhmd", "md", "mh",
})
# Honorifics and titles written before the name.
_PREFIX_TITLES = frozenset({
    "h", "hj", "haji", "hajah", "hajjah", "kh", "ust", "ustad", "ustadz", "ustadzah", "ustazah", "dr", "drs",
    "dra", "ir", "prof", "tn", "ny", "nn", "nona", "sdr", "sdri", "bpk", "bapak", "bp", "ibu", "bu", "almarhum",
    "almarhumah", "alm", "almh", "raden", "rd", "kyai", "kiai", "habib", "syekh", "dg", "daeng",
})
# Academic degrees written after the name (compared after dots are removed).
_DEGREES = frozenset({
    "spd", "spdi", "sag", "se", "sh", "shi", "skom", "st", "ssos", "sip", "skep", "skm", "sfarm", "ssi",
    "sikom", "sp", "spt", "sthi", "ssy", "sei", "sak", "sab", "sds", "ssn", "spsi", "sked", "mpd", "mpdi",
    "msi", "mm", "mag", "mkom", "mt", "mh", "mkes", "msc", "ma", "mba", "amd", "amdkeb", "amdkep", "amk",
    "ama", "apt", "bsc", "ba", "phd", "dr", "drs", "dra", "ir", "spog", "spa", "sppd", "ners", "bidan", "bdn",
})
# ``bin`` / ``binti`` start a patronym: "Ahmad bin Abdullah".
_PATRONYM = frozenset({"bin", "binti", "bt", "bte", "binte"})
# Leading words that one registration writes and another leaves off.
_OPTIONAL_LEADING = frozenset({MUHAMMAD, "siti"})

_APOSTROPHES = re.compile(r"[’'`´ʻʼ]")
_NON_LETTERS = re.compile(r"[^a-z]+")
_DOUBLE = re.compile(r"(.)\1+")
# Old (pre-1972) spelling and the common variants of one sound; applied to the compact key.
_SPELLING = (
    ("oe", "u"), ("oo", "u"), ("dj", "j"), ("tj", "c"), ("ch", "kh"), ("sj", "sy"), ("ph", "f"), ("th", "t"),
    ("dh", "d"),
)


def _ascii_lower(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", text.lower())


def _strip_degrees(text: str) -> str:
    """Drop everything after the first comma when it is only degrees: ``Asep, S.Pd., M.Pd``."""
    head, sep, tail = text.partition(",")
    if not sep:
        return text
    words = [w for w in _NON_LETTERS.sub(" ", tail.replace(".", "")).split() if w]
    if all(w in _DEGREES for w in words):
        return head
    return head + " " + tail


@lru_cache(maxsize=200_000)
def name_tokens(name: str | None) -> tuple[str, ...]:
    """The words of a name, lower-case ASCII, without titles, degrees or patronym.

    Abbreviations keep their letters (``Moch.`` -> ``moch``); every spelling of
    Muhammad becomes ``muhammad``, also the initial ``M.`` when it comes first.
    """
    if not name:
        return ()
    text = _strip_degrees(_ascii_lower(name))
    # "S.Pd." and "M.Pd" read as one word once their dots are gone; a dot between names
    # ("Moch.Rizky") separates them.
    raw = re.split(r"\s+", text.strip())
    words: list[str] = []
    for chunk in raw:
        compact = chunk.replace(".", "")
        if words and "." in chunk and compact in _DEGREES:
            continue
        for word in _NON_LETTERS.sub(" ", chunk).split():
            words.append(word)
    # Degrees written without a comma at the end: "Asep Sunandar SPd".
    while len(words) > 1 and words[-1] in _DEGREES:
        words.pop()
    # Titles before the name: "H. Asep", "Hj. Siti", "Drs. H. Asep".
    while len(words) > 1 and words[0] in _PREFIX_TITLES:
        words.pop(0)
    tokens: list[str] = []
    for index, word in enumerate(words):
        if word in _PATRONYM and tokens:
            break
        if word in MUHAMMAD_FORMS or (word == "m" and index == 0 and len(words) > 1):
            word = MUHAMMAD
        elif word == "st" and index == 0 and len(words) > 1:
            word = "siti"
        tokens.append(word)
    return tuple(tokens)


def _spelling(text: str) -> str:
    for old, new in _SPELLING:
        text = text.replace(old, new)
    return _DOUBLE.sub(r"\1", text)


@lru_cache(maxsize=200_000)
def name_key(name: str | None) -> str:
    """One compact key for the spellings of a name: ``Siti Nur Haliza`` and ``Siti Nurhaliza``
    both give ``sitinurhaliza``, ``Moch. Rizky`` and ``Muhamad Rizky`` give ``muhamadrizky``.

    Spaces are dropped, doubled letters collapsed and old spellings modernised.
    """
    return _spelling("".join(name_tokens(name)))


@lru_cache(maxsize=200_000)
def name_core(name: str | None) -> str:
    """``name_key`` without a leading Muhammad or Siti, which registrations often leave off.

    A name that is only ``Muhammad`` or ``Siti`` keeps it.
    """
    tokens = list(name_tokens(name))
    while len(tokens) > 1 and tokens[0] in _OPTIONAL_LEADING:
        tokens.pop(0)
    return _spelling("".join(tokens))


@lru_cache(maxsize=200_000)
def first_token(name: str | None) -> str:
    """The first word after normalisation, skipping a leading Muhammad or Siti."""
    tokens = list(name_tokens(name))
    while len(tokens) > 1 and tokens[0] in _OPTIONAL_LEADING:
        tokens.pop(0)
    return _spelling(tokens[0]) if tokens else ""


def name_features(name: str | None) -> tuple[str, str, str]:
    """(key, core, first token) of a name."""
    return name_key(name), name_core(name), first_token(name)
