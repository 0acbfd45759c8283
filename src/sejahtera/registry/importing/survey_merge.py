"""Set-based merge of staged household-survey rows: one survey per family and survey date."""

import datetime
from dataclasses import dataclass

from sejahtera.registry.importing import sql
from sejahtera.registry.importing.person_merge import in_scope
from sejahtera.registry.importing.sql import differs, execute, fetchall, json_changes
from sejahtera.registry.models import SURVEY_FIELDS, HouseholdSurvey

STAGE = "import_survey_rows"
LOADED_COLUMNS = ["row_number", "no_kk", *SURVEY_FIELDS]
_TYPES = {"surveyed_on": "date", "enumerator": "varchar(100)", "floor_area_m2": "integer",
          "installed_power_va": "integer", "large_livestock": "integer", "small_livestock": "integer",
          "consumption_per_capita": "integer"}
_BOOLEANS = {name for name in SURVEY_FIELDS if name.startswith(("has_", "owns_"))}


def _type(name: str) -> str:
    return _TYPES.get(name) or ("boolean" if name in _BOOLEANS else "varchar(20)")


@dataclass(frozen=True)
class SurveyContext:
    actor_id: int | None
    scopes: list[str]
    now: datetime.datetime
    present: frozenset[str]  # survey fields the file has a column for
    batch_id: int


def create_staging() -> None:
    sql.create_temp_table(STAGE, [("row_number", "integer"), ("no_kk", "varchar(16)"),
                                  *[(name, _type(name)) for name in SURVEY_FIELDS],
                                  ("outcome", "varchar(10)"), ("code", "varchar(40)"), ("col", "varchar(30)"),
                                  ("detail", "varchar(200)"), ("family_id", "bigint"), ("desa_id", "varchar(10)"),
                                  ("survey_id", "bigint"), ("action", "varchar(10)")])


def drop_staging() -> None:
    sql.drop_temp_table(STAGE)


def merge(ctx: SurveyContext) -> dict[str, int]:
    execute(f"UPDATE {STAGE} SET family_id = f.id, desa_id = f.desa_id FROM registry_family f "
            f"WHERE f.no_kk = {STAGE}.no_kk")
    execute(f"UPDATE {STAGE} SET outcome = 'rejected', code = 'unknown_family', col = 'no_kk' "
            f"WHERE family_id IS NULL")
    scope, scope_params = in_scope("desa_id", ctx.scopes)
    execute(f"UPDATE {STAGE} SET outcome = 'rejected', code = 'family_outside_scope', col = 'no_kk' "
            f"WHERE outcome IS NULL AND NOT {scope}", scope_params)
    execute(f"""
        UPDATE {STAGE} SET outcome = 'rejected', code = 'duplicate_survey_in_file', col = 'tanggal_survei',
               detail = CAST(d.first_row AS varchar(12))
        FROM (SELECT family_id, surveyed_on, MIN(row_number) AS first_row FROM {STAGE} WHERE outcome IS NULL
              GROUP BY family_id, surveyed_on HAVING COUNT(*) > 1) d
        WHERE {STAGE}.family_id = d.family_id AND {STAGE}.surveyed_on = d.surveyed_on
          AND {STAGE}.row_number <> d.first_row AND {STAGE}.outcome IS NULL""")
    execute(f"""
        UPDATE {STAGE} SET survey_id = s.id FROM registry_householdsurvey s
        WHERE s.family_id = {STAGE}.family_id AND s.surveyed_on = {STAGE}.surveyed_on
          AND {STAGE}.outcome IS NULL""")
    fields = [name for name in SURVEY_FIELDS if name in ctx.present]
    changed = " OR ".join(differs(f"s.{name}", f"{STAGE}.{name}") for name in fields)
    execute(f"UPDATE {STAGE} SET action = 'update' FROM registry_householdsurvey s "
            f"WHERE s.id = {STAGE}.survey_id AND {STAGE}.outcome IS NULL AND ({changed})")
    execute(f"UPDATE {STAGE} SET action = CASE WHEN survey_id IS NULL THEN 'insert' ELSE 'unchanged' END "
            f"WHERE outcome IS NULL AND action IS NULL")
    # A field the file has no column for gets the model's default in a new survey.
    absent = [name for name in SURVEY_FIELDS if name not in ctx.present]
    values = ", ".join(f"CAST(%s AS {_type(name)})" if name in absent else name for name in SURVEY_FIELDS)
    defaults = [HouseholdSurvey._meta.get_field(name).get_default() for name in absent]
    execute(f"""
        INSERT INTO registry_householdsurvey (created_at, updated_at, family_id, {', '.join(SURVEY_FIELDS)})
        SELECT %s, %s, family_id, {values} FROM {STAGE} WHERE action = 'insert'""",
            [ctx.now, ctx.now, *defaults])
    pairs = [(name, f"t.{name}", f"s.{name}") for name in fields]
    execute(f"""
        INSERT INTO core_auditevent (at, actor_id, action, object_type, object_id, region_code, summary,
                                     changes, channel)
        SELECT %s, %s, 'update', 'registry.householdsurvey', CAST(t.id AS varchar(20)), s.desa_id, %s,
               {json_changes(pairs)}, 'import'
        FROM {STAGE} s JOIN registry_householdsurvey t ON t.id = s.survey_id WHERE s.action = 'update'""",
            [ctx.now, ctx.actor_id, f"import {ctx.batch_id}"])
    assignments = ", ".join(f"{name} = s.{name}" for name in fields)
    execute(f"UPDATE registry_householdsurvey SET {assignments}, updated_at = %s FROM {STAGE} s "
            f"WHERE s.survey_id = registry_householdsurvey.id AND s.action = 'update'", [ctx.now])
    execute(f"""
        UPDATE {STAGE} SET outcome = CASE action WHEN 'insert' THEN 'inserted' WHEN 'update' THEN 'updated'
                                                 ELSE 'unchanged' END
        WHERE outcome IS NULL""")
    return dict(fetchall(f"SELECT outcome, COUNT(*) FROM {STAGE} GROUP BY outcome"))


def reported_rows() -> list[tuple]:
    """Rows the merge rejected, in the shape of person_merge.reported_rows."""
    return fetchall(f"SELECT row_number, col, NULL, outcome, code, detail, '[]', '[]' FROM {STAGE} "
                    f"WHERE outcome = 'rejected' ORDER BY row_number")
