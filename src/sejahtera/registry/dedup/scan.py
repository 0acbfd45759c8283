"""A duplicate scan of the registry: persons out of the database into DuckDB, pairs back in.

Both moves are set-based: one query (``COPY ... TO STDOUT`` on PostgreSQL) brings the persons
in, ``bulk_create(ignore_conflicts=True)`` writes the pairs. A pair already in the queue, open or
decided, is left as it is, so a verifier's decision is never reopened by a new scan.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from sejahtera.registry.dedup import linkage
from sejahtera.registry.models import DuplicateCandidate, Family, Person

FETCH_SIZE = 50_000
WRITE_BATCH = 2_000
_REGION = re.compile(r"^[0-9]{2,10}$")
REASON_COLUMNS = [c.name for c in linkage.COMPARISONS]


@dataclass
class ScanResult:
    persons: int = 0
    pairs: int = 0  # pairs at or above the threshold
    created: int = 0  # new entries in the review queue
    known: int = 0  # pairs already in the queue (open or decided)
    timings: dict[str, float] = field(default_factory=dict)


def _persons_sql(region: str) -> tuple[str, list]:
    person, family = Person._meta.db_table, Family._meta.db_table
    sql = (f"SELECT p.id, p.nik, p.name, p.sex, p.birth_date, p.desa_id, f.no_kk "
           f"FROM {person} p LEFT JOIN {family} f ON f.id = p.family_id WHERE p.merged_into_id IS NULL")
    params: list = []
    if region:
        sql += " AND p.desa_id LIKE %s"
        params.append(f"{region}%")
    return sql, params


_RAW_COLUMNS = ("id BIGINT, nik VARCHAR, name VARCHAR, sex VARCHAR, birth_date DATE, desa VARCHAR, "
                "no_kk VARCHAR")


def load_persons(con, *, region: str = "", table: str = "persons_raw") -> int:
    """Copy the registry's persons (those not merged away) into the DuckDB table ``table``."""
    if region and not _REGION.match(region):
        raise ValueError(f"region must be a region code of digits, not {region!r}")
    con.execute(f"CREATE OR REPLACE TABLE {table} ({_RAW_COLUMNS})")
    sql, params = _persons_sql(region)
    if connection.vendor == "postgresql":
        # Inline the (validated, digits-only) region: COPY takes no bound parameters.
        copy_sql = sql.replace("%s", f"'{region}%'") if params else sql
        handle, path = tempfile.mkstemp(suffix=".csv", prefix="sejahtera-dedup-")
        try:
            with os.fdopen(handle, "wb") as out, connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY ({copy_sql}) TO STDOUT WITH (FORMAT csv)") as copy:
                    for chunk in copy:
                        out.write(chunk)
            con.execute(f"INSERT INTO {table} SELECT * FROM read_csv(?, header = false, columns = {{"
                        "'id': 'BIGINT', 'nik': 'VARCHAR', 'name': 'VARCHAR', 'sex': 'VARCHAR', "
                        "'birth_date': 'DATE', 'desa': 'VARCHAR', 'no_kk': 'VARCHAR'})", [path]).fetchall()
        finally:
            os.unlink(path)
    else:
        import pyarrow as pa

        schema = pa.schema([("id", pa.int64()), ("nik", pa.string()), ("name", pa.string()), ("sex", pa.string()),
                            ("birth_date", pa.date32()), ("desa", pa.string()), ("no_kk", pa.string())])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(FETCH_SIZE):
                columns = list(zip(*rows, strict=True))
                columns[4] = [_as_date(v) for v in columns[4]]
                arrays = [pa.array(col, t) for col, t in zip(columns, schema.types, strict=True)]
                batch = pa.table(arrays, schema=schema)
                con.register("persons_batch", batch)
                con.execute(f"INSERT INTO {table} SELECT * FROM persons_batch").fetchall()
                con.unregister("persons_batch")
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def _as_date(value):
    if isinstance(value, str):
        import datetime

        return datetime.date.fromisoformat(value)
    return value


def store_pairs(con, pairs_table: str, *, persons_table: str = "dedup_persons", source: str = "scan",
                limit: int | None = None, batch_id: int | None = None,
                focus_ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Write the pairs into the review queue; return (pairs offered, new entries)."""
    focus = ""
    if focus_ids is not None:
        con.execute("CREATE OR REPLACE TEMP TABLE dedup_focus (id BIGINT)")
        con.executemany("INSERT INTO dedup_focus VALUES (?)", [(int(i),) for i in focus_ids])
        focus = "WHERE (p.id_l IN (SELECT id FROM dedup_focus) OR p.id_r IN (SELECT id FROM dedup_focus))"
    rows = con.execute(f"""
        SELECT p.id_l, p.id_r, p.probability, p.weight, d.desa, {", ".join(f"p.{c}" for c in REASON_COLUMNS)}
        FROM {pairs_table} p JOIN {persons_table} d ON d.unique_id = p.id_l
        {focus}
        ORDER BY p.probability DESC, p.id_l, p.id_r
        {f"LIMIT {int(limit)}" if limit else ""}
    """).fetchall()
    before = DuplicateCandidate.objects.count()
    candidates = (
        DuplicateCandidate(person_a_id=a, person_b_id=b, probability=min(max(probability, 0.0), 1.0),
                           score=weight if weight is not None else 0.0, desa_code=desa,
                           reasons=dict(zip(REASON_COLUMNS, labels, strict=True)), source=source,
                           import_batch_id=batch_id)
        for a, b, probability, weight, desa, *labels in rows
    )
    batch: list[DuplicateCandidate] = []
    for candidate in candidates:
        batch.append(candidate)
        if len(batch) >= WRITE_BATCH:
            DuplicateCandidate.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        DuplicateCandidate.objects.bulk_create(batch, ignore_conflicts=True)
    return len(rows), DuplicateCandidate.objects.count() - before


def find_duplicates(*, threshold: float = linkage.DEFAULT_THRESHOLD, region: str = "",
                    limit_pairs: int | None = None, source: str = "scan", batch_id: int | None = None,
                    focus_ids: Iterable[int] | None = None, threads: int | None = None) -> ScanResult:
    """Scan the registry (or one region) and put the probable duplicates in the review queue.

    ``focus_ids``: keep only pairs involving these persons (after an import: the persons
    it inserted or changed, compared with the whole region).
    """
    import duckdb

    result = ScanResult()
    start = time.perf_counter()
    con = duckdb.connect()
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        result.persons = load_persons(con, region=region)
        result.timings["load"] = time.perf_counter() - start
        t = time.perf_counter()
        linkage.build_features(con, "persons_raw")
        result.timings["features"] = time.perf_counter() - t
        linked = linkage.find_pairs(con, threshold=threshold)
        result.timings.update({f"model_{k}": v for k, v in linked.timings.items() if k != "total"})
        t = time.perf_counter()
        result.pairs, result.created = store_pairs(con, linked.pairs_table, source=source, limit=limit_pairs,
                                                   batch_id=batch_id, focus_ids=focus_ids)
        result.known = result.pairs - result.created
        result.timings["store"] = time.perf_counter() - t
    finally:
        con.close()
    result.timings["total"] = time.perf_counter() - start
    return result
