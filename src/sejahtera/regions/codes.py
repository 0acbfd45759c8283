"""Kemendagri region codes: ``32.01.01.2001`` and ``3201012001`` are the same code."""

import re

LEVEL_BY_LENGTH = {2: "provinsi", 4: "kabupaten", 6: "kecamatan", 10: "desa"}
_SEGMENTS = (2, 2, 2, 4)
_CODE_RE = re.compile(r"^\d{2}(\.?\d{2}(\.?\d{2}(\.?\d{4})?)?)?$")


class InvalidRegionCode(ValueError):
    pass


def normalize_code(code: str) -> str:
    """Strip dots and surrounding spaces; raise InvalidRegionCode for anything else."""
    text = str(code).strip()
    if not _CODE_RE.match(text):
        raise InvalidRegionCode(code)
    return text.replace(".", "")


def format_code(code: str) -> str:
    """``3201012001`` -> ``32.01.01.2001``."""
    parts, start = [], 0
    for width in _SEGMENTS:
        if start >= len(code):
            break
        parts.append(code[start : start + width])
        start += width
    return ".".join(parts)


def level_of(code: str) -> str:
    return LEVEL_BY_LENGTH[len(code)]


def parent_code(code: str) -> str | None:
    return {10: code[:6], 6: code[:4], 4: code[:2]}.get(len(code))
