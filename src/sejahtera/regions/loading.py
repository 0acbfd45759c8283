"""Loading the region list shipped with the package (or an older list) into the database."""

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

from sejahtera.regions.codes import level_of, normalize_code, parent_code

SHIPPED_LIST = Path(__file__).parent / "data" / "wilayah.csv.gz"


def read_region_rows(path: Path = SHIPPED_LIST) -> Iterator[dict]:
    """Rows of a wilayah CSV (``code,name,level,desa_type``), plain or gzipped."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))):
        code = normalize_code(row["code"])
        yield {
            "code": code,
            "name": row["name"].strip(),
            "level": level_of(code),
            "parent_id": parent_code(code),
            "desa_type": (row.get("desa_type") or "").strip(),
        }


def load_regions(region_model, path: Path = SHIPPED_LIST, *, is_current: bool = True, batch_size: int = 5000) -> int:
    """Insert or update every region of the file; return how many rows were read.

    Parents come before children in the file's code order, so foreign keys hold.
    An older list (``is_current=False``) never overwrites a code of the current list.
    """
    rows = sorted(read_region_rows(path), key=lambda r: r["code"])
    existing = set(region_model.objects.values_list("code", flat=True))
    new = [region_model(is_current=is_current, **row) for row in rows if row["code"] not in existing]
    region_model.objects.bulk_create(new, batch_size=batch_size)
    if is_current:
        changed = [region_model(is_current=True, **row) for row in rows if row["code"] in existing]
        region_model.objects.bulk_update(changed, ["name", "level", "parent", "desa_type", "is_current"],
                                         batch_size=batch_size)
    return len(rows)
