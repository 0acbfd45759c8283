"""KBLI 2020, the Indonesian classification of industries (business fields), shipped with the package.

Codes: a category letter ``A``-``U``, then 2 to 5 digits (``01`` golongan pokok, ``011``
golongan, ``0111`` subgolongan, ``01111`` kelompok). A Nomor Induk Berusaha is issued for
5-digit codes, but a broader code is accepted for an employer when the exact one is unknown.
Read once from ``data/kbli2020.csv.gz``; nothing here touches the database.
"""

import csv
import gzip
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SHIPPED_LIST = Path(__file__).parent / "data" / "kbli2020.csv.gz"


@dataclass(frozen=True)
class Industry:
    code: str
    level: int  # 1 (category letter) to 5 digits
    category: str  # the letter A-U the code belongs to
    title: str


@cache
def _table() -> dict[str, Industry]:
    raw = gzip.decompress(SHIPPED_LIST.read_bytes()).decode("utf-8")
    return {row["kode"]: Industry(row["kode"], int(row["digit"]), row["kategori"], row["judul"])
            for row in csv.DictReader(io.StringIO(raw))}


def normalize_code(code: str) -> str:
    """Spaces and dots removed, a category letter upper-cased: ``" 10.710 "`` -> ``"10710"``."""
    return "".join(ch for ch in str(code) if ch not in " .").upper()


def lookup(code: str) -> Industry | None:
    return _table().get(normalize_code(code))


def is_valid_code(code: str) -> bool:
    """True for a code of the KBLI 2020 list (a category letter or 2 to 5 digits)."""
    return lookup(code) is not None


def title(code: str) -> str:
    """The title of ``code``, or an empty string when it is not a KBLI 2020 code."""
    industry = lookup(code)
    return industry.title if industry else ""


def all_industries(level: int | None = None) -> list[Industry]:
    """Every entry (or those of one digit level), in the order of the classification."""
    return [i for i in _table().values() if level is None or i.level == level]


def choices(level: int = 5) -> list[tuple[str, str]]:
    """``(code, "code title")`` pairs for a form's select or autocomplete."""
    return [(i.code, f"{i.code} {i.title}") for i in all_industries(level)]
