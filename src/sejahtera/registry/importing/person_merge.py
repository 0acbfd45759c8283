"""Set-based merge of staged individuals rows into families, persons and their history.

The pipeline loads the rows that passed the per-row checks into the temporary table
``import_person_rows``. The merge is a few statements over whole tables, whatever the number
of rows: one pass matches every row with the registry (``import_person_work``), one picks the
data of each Kartu Keluarga (``import_family_rows``), then new rows are inserted and changed
rows updated. A row's outcome is derived at the end: inserted, updated, unchanged, flagged
(saved with a warning, or held back for review) or rejected, with a ``code`` saying why.
"""

import datetime
from dataclasses import dataclass

from sejahtera.registry.importing import sql
from sejahtera.registry.importing.sql import differs, execute, fetchall, json_changes

STAGE = "import_person_rows"
WORK = "import_person_work"
FAMILIES = "import_family_rows"

# Staged columns, in load order, and their SQL types.
PERSON_COLUMNS = [
    ("row_number", "integer"), ("no_kk", "varchar(16)"), ("nik", "varchar(16)"), ("name", "varchar(120)"),
    ("sex", "varchar(1)"), ("birth_place", "varchar(80)"), ("birth_date", "date"),
    ("relationship", "smallint"), ("marital_status", "smallint"), ("education", "smallint"),
    ("occupation", "varchar(100)"), ("employment_status", "varchar(15)"), ("disability", "varchar(15)"),
    ("jkn_status", "varchar(15)"), ("phone", "varchar(20)"), ("desa_id", "varchar(10)"),
    ("address", "varchar(200)"), ("rt", "varchar(3)"), ("rw", "varchar(3)"),
    ("warnings", "text"), ("kk_warnings", "text"),
]
LOADED_COLUMNS = [name for name, _type in PERSON_COLUMNS]
# Person fields a file may carry, with the value a new person gets when the file leaves it out.
OPTIONAL_PERSON_FIELDS = {
    "birth_place": "''", "marital_status": "1", "education": "1", "occupation": "''",
    "employment_status": "'not_working'", "disability": "'none'", "jkn_status": "'none'", "phone": "''",
}
REQUIRED_PERSON_FIELDS = ["name", "sex", "birth_date", "relationship"]
FAMILY_FIELDS = ["desa_id", "address", "rt", "rw"]
# A staged row that gets written: not rejected, not held back, not a repeat of a NIK in the file.
WRITTEN = "w.outcome IS NULL"


@dataclass(frozen=True)
class MergeContext:
    actor_id: int | None
    scopes: list[str]  # region codes the registry rows must lie in
    now: datetime.datetime
    today: datetime.date
    present: frozenset[str]  # optional person/family fields the file has a column for
    batch_id: int


def create_staging() -> None:
    drop_staging()  # leftovers of a failed import on this connection (SQLite keeps them)
    sql.create_temp_table(STAGE, PERSON_COLUMNS)


def drop_staging() -> None:
    for table in (STAGE, WORK, FAMILIES):
        sql.drop_temp_table(table)


def in_scope(column: str, scopes: list[str]) -> tuple[str, list[str]]:
    if not scopes:  # a user without a region to edit: nothing is in scope
        return "(1 = 0)", []
    return "(" + " OR ".join(f"{column} LIKE %s" for _ in scopes) + ")", [f"{code}%" for code in scopes]


def _person_fields(ctx: MergeContext) -> list[str]:
    return ["nik", *REQUIRED_PERSON_FIELDS, *[f for f in OPTIONAL_PERSON_FIELDS if f in ctx.present]]


def _family_fields(ctx: MergeContext) -> list[str]:
    return [f for f in FAMILY_FIELDS if f == "desa_id" or f in ctx.present]


def _new_id(target: str) -> str:
    """SQL for a fresh primary key of ``target`` (PostgreSQL); SQLite assigns them afterwards."""
    return f"nextval(pg_get_serial_sequence('{target}', 'id'))" if sql.is_postgres() else "NULL"


def match_rows(ctx: MergeContext) -> None:
    """One pass: each staged row with the person its NIK names and what would change."""
    changed = " OR ".join(differs(f"p.{name}", f"s.{name}") for name in _person_fields(ctx))
    execute(f"""
        CREATE TEMPORARY TABLE {WORK} AS
        SELECT s.*,
               CASE WHEN s.nik IS NOT NULL AND MIN(s.row_number) OVER (PARTITION BY s.nik) <> s.row_number
                    THEN 'rejected' END AS outcome,
               CASE WHEN s.nik IS NOT NULL AND MIN(s.row_number) OVER (PARTITION BY s.nik) <> s.row_number
                    THEN 'duplicate_nik_in_file' END AS code,
               CAST(MIN(s.row_number) OVER (PARTITION BY s.nik) AS varchar(200)) AS detail,
               CASE WHEN s.nik IS NOT NULL AND MIN(s.row_number) OVER (PARTITION BY s.nik) <> s.row_number
                    THEN 'nik' END AS col,
               p.id AS person_id, p.family_id AS old_family_id, pf.no_kk AS old_no_kk,
               p.desa_id AS old_desa_id, p.name AS old_name, p.birth_date AS old_birth_date,
               CASE WHEN p.id IS NULL THEN 'insert' WHEN ({changed}) OR pf.no_kk <> s.no_kk THEN 'update'
                    ELSE 'unchanged' END AS action,
               CASE WHEN p.id IS NULL THEN {_new_id('registry_person')} END AS new_id
        FROM {STAGE} s
        LEFT JOIN registry_person p ON p.nik = s.nik
        LEFT JOIN registry_family pf ON pf.id = p.family_id""")
    execute(f"CREATE INDEX {WORK}_kk ON {WORK} (no_kk)")
    # Persons without NIK are known by their KK, name and birth date.
    if fetchall(f"SELECT 1 FROM {WORK} WHERE nik IS NULL LIMIT 1"):
        execute(f"""
            UPDATE {WORK} SET person_id = p.id, old_family_id = p.family_id, old_no_kk = f.no_kk,
                   old_desa_id = p.desa_id, action = 'unchanged', new_id = NULL
            FROM registry_person p JOIN registry_family f ON f.id = p.family_id
            WHERE {WORK}.nik IS NULL AND p.nik IS NULL AND f.no_kk = {WORK}.no_kk
              AND UPPER(p.name) = UPPER({WORK}.name) AND p.birth_date = {WORK}.birth_date""")
        others = [name for name in _person_fields(ctx) if name not in ("nik", "name", "birth_date")]
        changed_no_nik = " OR ".join(differs(f"p.{name}", f"{WORK}.{name}") for name in others)
        execute(f"UPDATE {WORK} SET action = 'update' FROM registry_person p "
                f"WHERE {WORK}.nik IS NULL AND p.id = {WORK}.person_id AND ({changed_no_nik})")
    if not sql.is_postgres():
        _assign_new_ids(WORK, "new_id", "registry_person", "action = 'insert'")


def check_rows(ctx: MergeContext) -> None:
    """Rows that must not be applied: another person's NIK, or records outside the importer's scope."""
    execute(f"""
        UPDATE {WORK} SET outcome = 'flagged', code = 'nik_identity_conflict', col = 'nik', detail = old_name
        WHERE outcome IS NULL AND person_id IS NOT NULL AND nik IS NOT NULL
          AND (UPPER(old_name) <> UPPER(name) OR old_birth_date <> birth_date)""")
    scope_sql, scope_params = in_scope("old_desa_id", ctx.scopes)
    execute(f"UPDATE {WORK} SET outcome = 'rejected', code = 'person_outside_scope', col = 'nik' "
            f"WHERE outcome IS NULL AND person_id IS NOT NULL AND NOT {scope_sql}", scope_params)


def collect_families(ctx: MergeContext) -> None:
    """One row per No. KK: its data come from the head's row, else from its first row."""
    fields = _family_fields(ctx)
    changed = " OR ".join(differs(f"f.{name}", f"c.{name}") for name in fields)
    execute(f"""
        CREATE TEMPORARY TABLE {FAMILIES} AS
        SELECT c.no_kk, c.row_number AS canonical_row, c.desa_id, c.address, c.rt, c.rw, c.kk_warnings,
               COALESCE(f.id, {_new_id('registry_family')}) AS family_id, f.id IS NULL AS is_new,
               f.id IS NOT NULL AND ({changed}) AS changed, f.desa_id AS old_desa_id
        FROM (SELECT w.*, ROW_NUMBER() OVER (PARTITION BY w.no_kk
                                             ORDER BY CASE WHEN w.relationship = 1 THEN 0 ELSE 1 END,
                                                      w.row_number) AS rank
              FROM {WORK} w WHERE {WRITTEN}) c
        LEFT JOIN registry_family f ON f.no_kk = c.no_kk
        WHERE c.rank = 1""")
    execute(f"CREATE UNIQUE INDEX {FAMILIES}_kk ON {FAMILIES} (no_kk)")
    if not sql.is_postgres():
        _assign_new_ids(FAMILIES, "family_id", "registry_family", "is_new")
    # A KK registered in a region outside the importer's scope is not theirs to change.
    scope_sql, scope_params = in_scope("old_desa_id", ctx.scopes)
    outside = f"SELECT no_kk FROM {FAMILIES} WHERE NOT is_new AND NOT {scope_sql}"
    if fetchall(outside + " LIMIT 1", scope_params):
        execute(f"UPDATE {WORK} SET outcome = 'rejected', code = 'family_outside_scope', col = 'no_kk' "
                f"WHERE outcome IS NULL AND no_kk IN ({outside})", scope_params)
        execute(f"DELETE FROM {FAMILIES} WHERE no_kk IN ({outside})", scope_params)


def _assign_new_ids(table: str, id_column: str, target: str, condition: str) -> None:
    """SQLite: new primary keys after the current largest; the import holds the write lock."""
    execute(f"""
        UPDATE {table} SET {id_column} = (SELECT COALESCE(MAX(id), 0) FROM {target}) + n.rn
        FROM (SELECT rowid AS rid, ROW_NUMBER() OVER (ORDER BY rowid) AS rn FROM {table} WHERE {condition}) n
        WHERE {table}.rowid = n.rid""")


def _json(column: str) -> str:
    return f"CAST({column} AS jsonb)" if sql.is_postgres() else column


def _audit_updates(object_type: str, select_from: str, fields: list[str], ctx: MergeContext) -> None:
    """Audit entries with before and after of every updated row; ``select_from`` aliases the old
    row ``t`` and the new values ``s`` (with a ``desa_id``)."""
    pairs = [(name.removesuffix("_id"), f"t.{name}", f"s.{name}") for name in fields]
    execute(f"""
        INSERT INTO core_auditevent (at, actor_id, action, object_type, object_id, region_code, summary,
                                     changes, channel)
        SELECT %s, %s, 'update', %s, CAST(t.id AS varchar(20)), s.desa_id, %s, {json_changes(pairs)}, 'import'
        {select_from}""", [ctx.now, ctx.actor_id, object_type, f"import {ctx.batch_id}"])


def write_families(ctx: MergeContext) -> None:
    execute(f"""
        INSERT INTO registry_family (id, created_at, updated_at, no_kk, desa_id, address, rt, rw, warnings,
                                     has_warnings)
        SELECT family_id, %s, %s, no_kk, desa_id, COALESCE(address, ''), COALESCE(rt, ''), COALESCE(rw, ''),
               {_json("kk_warnings")}, kk_warnings <> '[]'
        FROM {FAMILIES} WHERE is_new""", [ctx.now, ctx.now])
    if not fetchall(f"SELECT 1 FROM {FAMILIES} WHERE changed LIMIT 1"):
        return
    fields = _family_fields(ctx)
    _audit_updates("registry.family", f"FROM {FAMILIES} s JOIN registry_family t ON t.id = s.family_id "
                                      f"WHERE s.changed", fields, ctx)
    assignments = ", ".join(f"{name} = s.{name}" for name in fields)
    execute(f"UPDATE registry_family SET {assignments}, updated_at = %s FROM {FAMILIES} s "
            f"WHERE s.family_id = registry_family.id AND s.changed", [ctx.now])
    # Members of a family that moved to another desa move with it.
    execute(f"""
        UPDATE registry_person SET desa_id = s.desa_id, updated_at = %s FROM {FAMILIES} s
        WHERE s.changed AND registry_person.family_id = s.family_id AND registry_person.desa_id <> s.desa_id""",
            [ctx.now])


def write_persons(ctx: MergeContext) -> None:
    insert_columns = ["id", "created_at", "updated_at", "family_id", "desa_id", "warnings", "has_warnings",
                      "nik", *REQUIRED_PERSON_FIELDS, *OPTIONAL_PERSON_FIELDS]
    values = ["w.new_id", "%s", "%s", "f.family_id", "f.desa_id", _json("w.warnings"), "w.warnings <> '[]'",
              "w.nik", *[f"w.{name}" for name in REQUIRED_PERSON_FIELDS],
              *[f"COALESCE(w.{name}, {default})" for name, default in OPTIONAL_PERSON_FIELDS.items()]]
    joined = f"FROM {WORK} w JOIN {FAMILIES} f ON f.no_kk = w.no_kk"
    execute(f"INSERT INTO registry_person ({', '.join(insert_columns)}) "
            f"SELECT {', '.join(values)} {joined} WHERE {WRITTEN} AND w.action = 'insert'", [ctx.now, ctx.now])
    execute(f"""
        INSERT INTO registry_familymembership (person_id, family_id, relationship, started_on, recorded_by_id)
        SELECT w.new_id, f.family_id, w.relationship, %s, %s {joined} WHERE {WRITTEN} AND w.action = 'insert'""",
            [ctx.today, ctx.actor_id])
    if fetchall(f"SELECT 1 FROM {WORK} w WHERE {WRITTEN} AND w.action = 'update' LIMIT 1"):
        _update_persons(ctx)


def _update_persons(ctx: MergeContext) -> None:
    fields = _person_fields(ctx)
    updated = f"{WORK} w JOIN {FAMILIES} f ON f.no_kk = w.no_kk WHERE {WRITTEN} AND w.action = 'update'"
    execute(f"CREATE TEMPORARY TABLE import_person_updates AS SELECT w.*, f.family_id, f.desa_id AS family_desa "
            f"FROM {updated}")
    try:
        _audit_updates("registry.person", "FROM import_person_updates s JOIN registry_person t "
                                          "ON t.id = s.person_id", [*fields, "family_id"], ctx)
        assignments = ", ".join(f"{name} = s.{name}" for name in fields)
        execute(f"UPDATE registry_person SET {assignments}, family_id = s.family_id, desa_id = s.family_desa, "
                f"warnings = {_json('s.warnings')}, has_warnings = s.warnings <> '[]', updated_at = %s "
                f"FROM import_person_updates s WHERE s.person_id = registry_person.id", [ctx.now])
        moved = "SELECT person_id FROM import_person_updates WHERE old_family_id <> family_id"
        execute("UPDATE registry_family SET updated_at = %s WHERE id IN "
                "(SELECT old_family_id FROM import_person_updates WHERE old_family_id <> family_id)", [ctx.now])
        execute(f"UPDATE registry_familymembership SET ended_on = %s "
                f"WHERE ended_on IS NULL AND person_id IN ({moved})", [ctx.today])
        execute("""
            INSERT INTO registry_familymembership (person_id, family_id, relationship, started_on, recorded_by_id)
            SELECT person_id, family_id, relationship, %s, %s FROM import_person_updates
            WHERE old_family_id <> family_id""", [ctx.today, ctx.actor_id])
        execute("""
            UPDATE registry_familymembership SET relationship = s.relationship FROM import_person_updates s
            WHERE s.person_id = registry_familymembership.person_id AND registry_familymembership.ended_on IS NULL
              AND registry_familymembership.relationship <> s.relationship""")
    finally:
        sql.drop_temp_table("import_person_updates")


def _family_differs(ctx: MergeContext) -> str:
    """SQL: the row disagrees with its KK's chosen row on the village or address."""
    return " OR ".join(differs(f"f.{name}", f"w.{name}") for name in _family_fields(ctx))


def _outcome_sql(ctx: MergeContext) -> str:
    return f"""CASE WHEN w.outcome IS NOT NULL THEN w.outcome
                    WHEN w.action = 'unchanged' AND NOT f.changed THEN 'unchanged'
                    WHEN w.warnings <> '[]' OR w.kk_warnings <> '[]' OR {_family_differs(ctx)} THEN 'flagged'
                    WHEN w.action = 'insert' THEN 'inserted' ELSE 'updated' END"""


def outcome_counts(ctx: MergeContext) -> dict[str, int]:
    return dict(fetchall(f"SELECT {_outcome_sql(ctx)} AS outcome, COUNT(*) FROM {WORK} w "
                         f"LEFT JOIN {FAMILIES} f ON f.no_kk = w.no_kk GROUP BY 1"))


def reported_rows(ctx: MergeContext) -> list[tuple]:
    """(row, column, nik, outcome, code, detail, warnings, kk_warnings) of every flagged or rejected row."""
    code = f"COALESCE(w.code, CASE WHEN {_family_differs(ctx)} THEN 'family_data_differs' END)"
    detail = "CASE WHEN w.code IS NULL THEN CAST(f.canonical_row AS varchar(12)) ELSE w.detail END"
    column = f"COALESCE(w.col, CASE WHEN {_family_differs(ctx)} THEN 'alamat' END, 'nik')"
    return fetchall(f"""
        SELECT * FROM (
            SELECT w.row_number, {column}, w.nik, {_outcome_sql(ctx)} AS outcome, {code}, {detail},
                   w.warnings, w.kk_warnings
            FROM {WORK} w LEFT JOIN {FAMILIES} f ON f.no_kk = w.no_kk) r
        WHERE r.outcome IN ('flagged', 'rejected') ORDER BY 1""")


def identity_conflicts() -> list[dict]:
    """The rows held back because their NIK belongs to a person with another name or birth date."""
    columns = ["person_id", "nik", "name", "sex", "birth_date", "birth_place", "no_kk", "desa_id", "row_number"]
    rows = fetchall(f"SELECT {', '.join(columns)} FROM {WORK} WHERE code = 'nik_identity_conflict'")
    return [dict(zip(columns, row, strict=True)) for row in rows]


def merge(ctx: MergeContext) -> dict[str, int]:
    match_rows(ctx)
    check_rows(ctx)
    collect_families(ctx)
    write_families(ctx)
    write_persons(ctx)
    return outcome_counts(ctx)
