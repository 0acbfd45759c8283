"""Set-based merge of staged individuals rows into families, persons and their history.

The pipeline loads the rows that passed the per-row checks into the temporary table
``import_person_rows``; everything here is a handful of statements over that table, whatever
the number of rows. Each staged row ends with an ``outcome``: inserted, updated, unchanged,
flagged (saved with a warning, or held back for review) or rejected, and a ``code`` saying why.
"""

import datetime
from dataclasses import dataclass

from sejahtera.registry.importing import sql
from sejahtera.registry.importing.sql import differs, execute, fetchall, json_changes

STAGE = "import_person_rows"
FAMILIES = "import_family_rows"

# Staged columns that come from the file, in load order; their SQL types.
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
# Columns the merge fills in.
WORK_COLUMNS = [
    ("outcome", "varchar(10)"), ("code", "varchar(40)"), ("col", "varchar(30)"), ("detail", "varchar(200)"),
    ("person_id", "bigint"), ("old_family_id", "bigint"), ("family_id", "bigint"), ("action", "varchar(10)"),
]
# Person fields a file may carry, with the value a new person gets when the file leaves it out.
OPTIONAL_PERSON_FIELDS = {
    "birth_place": "''", "marital_status": "1", "education": "1", "occupation": "''",
    "employment_status": "'not_working'", "disability": "'none'", "jkn_status": "'none'", "phone": "''",
}
REQUIRED_PERSON_FIELDS = ["name", "sex", "birth_date", "relationship"]
FAMILY_FIELDS = ["desa_id", "address", "rt", "rw"]


@dataclass(frozen=True)
class MergeContext:
    actor_id: int | None
    scopes: list[str]  # region codes the rows must lie in
    now: datetime.datetime
    today: datetime.date
    present: frozenset[str]  # optional person/family fields the file has a column for
    batch_id: int


def create_staging() -> None:
    sql.create_temp_table(STAGE, PERSON_COLUMNS + WORK_COLUMNS)
    sql.create_temp_table(FAMILIES, [
        ("no_kk", "varchar(16) PRIMARY KEY"), ("canonical_row", "integer"), ("desa_id", "varchar(10)"),
        ("address", "varchar(200)"), ("rt", "varchar(3)"), ("rw", "varchar(3)"), ("kk_warnings", "text"),
        ("family_id", "bigint"), ("is_new", "boolean"), ("changed", "boolean"),
    ])
    execute(f"CREATE INDEX {STAGE}_nik ON {STAGE} (nik)")
    execute(f"CREATE INDEX {STAGE}_kk ON {STAGE} (no_kk)")


def drop_staging() -> None:
    sql.drop_temp_table(STAGE)
    sql.drop_temp_table(FAMILIES)


def _in_scope(column: str, scopes: list[str]) -> tuple[str, list[str]]:
    return "(" + " OR ".join(f"{column} LIKE %s" for _ in scopes) + ")", [f"{code}%" for code in scopes]


def _reject(condition: str, code: str, col: str, params=(), *, detail: str = "NULL") -> None:
    execute(f"UPDATE {STAGE} SET outcome = 'rejected', code = %s, col = %s, detail = {detail} "
            f"WHERE outcome IS NULL AND {condition}", [code, col, *params])


def check_rows(ctx: MergeContext) -> None:
    """Rejections that need the database or the whole file."""
    _reject(f"NOT EXISTS (SELECT 1 FROM regions_region r WHERE r.code = {STAGE}.desa_id AND r.level = 'desa')",
            "unknown_desa", "kode_desa")
    scope_sql, scope_params = _in_scope("desa_id", ctx.scopes)
    _reject(f"NOT {scope_sql}", "desa_outside_scope", "kode_desa", scope_params)
    # The same NIK twice in one file: the first row counts, later ones are rejected.
    execute(f"""
        UPDATE {STAGE} SET outcome = 'rejected', code = 'duplicate_nik_in_file', col = 'nik',
               detail = CAST(d.first_row AS varchar(12))
        FROM (SELECT nik, MIN(row_number) AS first_row FROM {STAGE}
              WHERE nik IS NOT NULL AND outcome IS NULL GROUP BY nik HAVING COUNT(*) > 1) d
        WHERE {STAGE}.nik = d.nik AND {STAGE}.row_number <> d.first_row AND {STAGE}.outcome IS NULL""")
    execute(f"""
        UPDATE {STAGE} SET outcome = 'rejected', code = 'duplicate_person_in_file', col = 'nama',
               detail = CAST(d.first_row AS varchar(12))
        FROM (SELECT no_kk, UPPER(name) AS uname, birth_date, MIN(row_number) AS first_row FROM {STAGE}
              WHERE nik IS NULL AND outcome IS NULL GROUP BY no_kk, UPPER(name), birth_date
              HAVING COUNT(*) > 1) d
        WHERE {STAGE}.nik IS NULL AND {STAGE}.no_kk = d.no_kk AND UPPER({STAGE}.name) = d.uname
          AND {STAGE}.birth_date = d.birth_date AND {STAGE}.row_number <> d.first_row
          AND {STAGE}.outcome IS NULL""")


def collect_families(ctx: MergeContext) -> None:
    """One row per No. KK: its data come from the head's row, else from its first row."""
    execute(f"""
        INSERT INTO {FAMILIES} (no_kk, canonical_row, is_new, changed)
        SELECT no_kk, COALESCE(MIN(CASE WHEN relationship = 1 THEN row_number END), MIN(row_number)),
               FALSE, FALSE
        FROM {STAGE} WHERE outcome IS NULL GROUP BY no_kk""")
    execute(f"""
        UPDATE {FAMILIES} SET desa_id = s.desa_id, address = s.address, rt = s.rt, rw = s.rw,
               kk_warnings = s.kk_warnings
        FROM {STAGE} s WHERE s.row_number = {FAMILIES}.canonical_row""")
    execute(f"UPDATE {FAMILIES} SET family_id = f.id FROM registry_family f WHERE f.no_kk = {FAMILIES}.no_kk")
    # A KK registered in a region outside the importer's scope is not theirs to change.
    scope_sql, scope_params = _in_scope("f.desa_id", ctx.scopes)
    execute(f"""
        UPDATE {STAGE} SET outcome = 'rejected', code = 'family_outside_scope', col = 'no_kk'
        FROM {FAMILIES} fr JOIN registry_family f ON f.id = fr.family_id
        WHERE fr.no_kk = {STAGE}.no_kk AND {STAGE}.outcome IS NULL AND NOT {scope_sql}""", scope_params)
    execute(f"DELETE FROM {FAMILIES} WHERE NOT EXISTS "
            f"(SELECT 1 FROM {STAGE} s WHERE s.no_kk = {FAMILIES}.no_kk AND s.outcome IS NULL)")


def match_persons(ctx: MergeContext) -> None:
    execute(f"""
        UPDATE {STAGE} SET person_id = p.id, old_family_id = p.family_id
        FROM registry_person p WHERE p.nik = {STAGE}.nik AND {STAGE}.outcome IS NULL""")
    execute(f"""
        UPDATE {STAGE} SET person_id = p.id, old_family_id = p.family_id
        FROM registry_person p JOIN registry_family f ON f.id = p.family_id
        WHERE {STAGE}.nik IS NULL AND p.nik IS NULL AND {STAGE}.outcome IS NULL AND f.no_kk = {STAGE}.no_kk
          AND UPPER(p.name) = UPPER({STAGE}.name) AND p.birth_date = {STAGE}.birth_date""")
    # Same NIK, another name or birth date: never merged silently; held back for review.
    execute(f"""
        UPDATE {STAGE} SET outcome = 'flagged', code = 'nik_identity_conflict', col = 'nik', action = 'held',
               detail = p.name
        FROM registry_person p
        WHERE p.id = {STAGE}.person_id AND {STAGE}.outcome IS NULL
          AND (UPPER(p.name) <> UPPER({STAGE}.name) OR p.birth_date <> {STAGE}.birth_date)""")
    scope_sql, scope_params = _in_scope("p.desa_id", ctx.scopes)
    execute(f"""
        UPDATE {STAGE} SET outcome = 'rejected', code = 'person_outside_scope', col = 'nik'
        FROM registry_person p
        WHERE p.id = {STAGE}.person_id AND {STAGE}.outcome IS NULL AND NOT {scope_sql}""", scope_params)


def _assign_new_ids(table: str, id_column: str, target: str, condition: str) -> None:
    """Give new rows their primary keys up front, so children can point at them in the same pass."""
    if sql.is_postgres():
        execute(f"UPDATE {table} SET {id_column} = nextval(pg_get_serial_sequence('{target}', 'id')) "
                f"WHERE {condition}")
        return
    # SQLite: the import holds the write lock, so MAX(id) cannot move under us.
    execute(f"""
        UPDATE {table} SET {id_column} = (SELECT COALESCE(MAX(id), 0) FROM {target}) + n.rn
        FROM (SELECT rowid AS rid, ROW_NUMBER() OVER (ORDER BY rowid) AS rn FROM {table} WHERE {condition}) n
        WHERE {table}.rowid = n.rid""")


def _family_fields(ctx: MergeContext) -> list[str]:
    return [f for f in FAMILY_FIELDS if f == "desa_id" or f in ctx.present]


def write_families(ctx: MergeContext) -> None:
    execute(f"UPDATE {FAMILIES} SET is_new = TRUE WHERE family_id IS NULL")
    _assign_new_ids(FAMILIES, "family_id", "registry_family", "family_id IS NULL")
    execute(f"""
        INSERT INTO registry_family (id, created_at, updated_at, no_kk, desa_id, address, rt, rw, warnings,
                                     has_warnings)
        SELECT family_id, %s, %s, no_kk, desa_id, COALESCE(address, ''), COALESCE(rt, ''), COALESCE(rw, ''),
               {_json("kk_warnings")}, kk_warnings <> '[]'
        FROM {FAMILIES} WHERE is_new""", [ctx.now, ctx.now])
    fields = _family_fields(ctx)
    changed = " OR ".join(differs(f"f.{name}", f"{FAMILIES}.{name}") for name in fields)
    execute(f"UPDATE {FAMILIES} SET changed = TRUE FROM registry_family f "
            f"WHERE f.id = {FAMILIES}.family_id AND NOT {FAMILIES}.is_new AND ({changed})")
    _audit_updates("registry.family", FAMILIES, "registry_family", "family_id", fields, "changed", ctx)
    assignments = ", ".join(f"{name} = fr.{name}" for name in fields)
    execute(f"UPDATE registry_family SET {assignments}, updated_at = %s FROM {FAMILIES} fr "
            f"WHERE fr.family_id = registry_family.id AND fr.changed", [ctx.now])
    # Members of a family that moved to another desa move with it.
    execute(f"""
        UPDATE registry_person SET desa_id = fr.desa_id, updated_at = %s FROM {FAMILIES} fr
        WHERE fr.changed AND registry_person.family_id = fr.family_id AND registry_person.desa_id <> fr.desa_id""",
            [ctx.now])
    # Rows of one KK that disagree with its head's row on the address are saved with the head's data.
    differs_from_head = " OR ".join(differs(f"fr.{name}", f"{STAGE}.{name}") for name in fields)
    execute(f"UPDATE {STAGE} SET code = 'family_data_differs', col = 'alamat', "
            f"detail = CAST(fr.canonical_row AS varchar(12)) FROM {FAMILIES} fr "
            f"WHERE fr.no_kk = {STAGE}.no_kk AND {STAGE}.outcome IS NULL AND ({differs_from_head})")
    execute(f"UPDATE {STAGE} SET family_id = fr.family_id, desa_id = fr.desa_id FROM {FAMILIES} fr "
            f"WHERE fr.no_kk = {STAGE}.no_kk AND {STAGE}.outcome IS NULL")


def _json(column: str) -> str:
    return f"CAST({column} AS jsonb)" if sql.is_postgres() else column


def _person_fields(ctx: MergeContext) -> list[str]:
    return ["nik", *REQUIRED_PERSON_FIELDS, *[f for f in OPTIONAL_PERSON_FIELDS if f in ctx.present]]


def _audit_updates(object_type, stage, target, id_column, fields, condition, ctx, *, action="update") -> None:
    pairs = [(name.removesuffix("_id"), f"t.{name}", f"s.{name}") for name in fields]
    execute(f"""
        INSERT INTO core_auditevent (at, actor_id, action, object_type, object_id, region_code, summary,
                                     changes, channel)
        SELECT %s, %s, %s, %s, CAST(t.id AS varchar(20)), s.desa_id, %s, {json_changes(pairs)}, 'import'
        FROM {stage} s JOIN {target} t ON t.id = s.{id_column} WHERE s.{condition}""",
            [ctx.now, ctx.actor_id, action, object_type, f"import {ctx.batch_id}"])


def write_persons(ctx: MergeContext) -> None:
    fields = _person_fields(ctx)
    changed = " OR ".join(differs(f"p.{name}", f"{STAGE}.{name}") for name in [*fields, "family_id"])
    execute(f"UPDATE {STAGE} SET action = 'insert' WHERE outcome IS NULL AND person_id IS NULL")
    execute(f"UPDATE {STAGE} SET action = 'update' FROM registry_person p "
            f"WHERE p.id = {STAGE}.person_id AND {STAGE}.outcome IS NULL AND ({changed})")
    execute(f"UPDATE {STAGE} SET action = 'unchanged' WHERE outcome IS NULL AND action IS NULL")

    _assign_new_ids(STAGE, "person_id", "registry_person", "action = 'insert'")
    insert_columns = ["id", "created_at", "updated_at", "family_id", "desa_id", "warnings", "has_warnings",
                      "nik", *REQUIRED_PERSON_FIELDS, *OPTIONAL_PERSON_FIELDS]
    values = ["person_id", "%s", "%s", "family_id", "desa_id", _json("warnings"), "warnings <> '[]'", "nik",
              *REQUIRED_PERSON_FIELDS,
              *[f"COALESCE({name}, {default})" for name, default in OPTIONAL_PERSON_FIELDS.items()]]
    execute(f"INSERT INTO registry_person ({', '.join(insert_columns)}) "
            f"SELECT {', '.join(values)} FROM {STAGE} WHERE action = 'insert'", [ctx.now, ctx.now])

    _audit_updates("registry.person", STAGE, "registry_person", "person_id", [*fields, "family_id"],
                   "action = 'update'", ctx)
    assignments = ", ".join(f"{name} = s.{name}" for name in [*fields, "family_id", "desa_id"])
    execute(f"UPDATE registry_person SET {assignments}, warnings = {_json('s.warnings')}, "
            f"has_warnings = s.warnings <> '[]', updated_at = %s FROM {STAGE} s "
            f"WHERE s.person_id = registry_person.id AND s.action = 'update'", [ctx.now])
    _write_memberships(ctx)


def _write_memberships(ctx: MergeContext) -> None:
    moved = f"SELECT person_id FROM {STAGE} WHERE action = 'update' AND old_family_id <> family_id"
    execute(f"UPDATE registry_familymembership SET ended_on = %s "
            f"WHERE ended_on IS NULL AND person_id IN ({moved})", [ctx.today])
    execute(f"""
        INSERT INTO registry_familymembership (person_id, family_id, relationship, started_on, recorded_by_id)
        SELECT person_id, family_id, relationship, %s, %s FROM {STAGE}
        WHERE action = 'insert' OR (action = 'update' AND old_family_id <> family_id)""",
            [ctx.today, ctx.actor_id])
    execute(f"""
        UPDATE registry_familymembership SET relationship = s.relationship FROM {STAGE} s
        WHERE s.person_id = registry_familymembership.person_id AND registry_familymembership.ended_on IS NULL
          AND s.action = 'update' AND registry_familymembership.relationship <> s.relationship""")


def settle_outcomes() -> None:
    """Saved rows with a warning are flagged; the rest say what happened to them."""
    execute(f"""
        UPDATE {STAGE} SET outcome = CASE
            WHEN action IN ('insert', 'update')
                 AND (warnings <> '[]' OR kk_warnings <> '[]' OR code IS NOT NULL) THEN 'flagged'
            WHEN action = 'insert' THEN 'inserted'
            WHEN action = 'update' THEN 'updated'
            ELSE 'unchanged' END
        WHERE outcome IS NULL""")


def outcome_counts() -> dict[str, int]:
    return dict(fetchall(f"SELECT outcome, COUNT(*) FROM {STAGE} GROUP BY outcome"))


def reported_rows() -> list[tuple]:
    """(row, column, nik, outcome, code, detail, warnings, kk_warnings) of every flagged or rejected row."""
    return fetchall(f"SELECT row_number, col, nik, outcome, code, detail, warnings, kk_warnings FROM {STAGE} "
                    f"WHERE outcome IN ('flagged', 'rejected') ORDER BY row_number")


def merge(ctx: MergeContext) -> dict[str, int]:
    check_rows(ctx)
    collect_families(ctx)
    match_persons(ctx)
    write_families(ctx)
    write_persons(ctx)
    settle_outcomes()
    return outcome_counts()
