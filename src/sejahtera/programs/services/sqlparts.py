"""SQL pieces the set-based services share: JSON built per row, and audit rows written with
``INSERT … SELECT`` into the audit log (as the registry import does)."""

from collections.abc import Sequence

from sejahtera.registry.importing.sql import is_postgres

AUDIT_COLUMNS = "at, actor_id, action, object_type, object_id, region_code, summary, changes, channel"


def text_param() -> str:
    """A text parameter whose type PostgreSQL knows inside JSON functions."""
    return "CAST(%s AS text)" if is_postgres() else "%s"


def json_param() -> str:
    return "CAST(%s AS jsonb)" if is_postgres() else "%s"


def json_changes(pairs: Sequence[tuple[str, str, str]]) -> str:
    """SQL building ``{"field": [before, after], ...}`` per row from (field, before SQL, after SQL)."""
    if is_postgres():
        return "jsonb_build_object(" + ", ".join(
            f"'{name}', jsonb_build_array({old}, {new})" for name, old, new in pairs) + ")"
    return "json_object(" + ", ".join(f"'{name}', json_array({old}, {new})" for name, old, new in pairs) + ")"


def audit_insert(*, actor, now, action: str, object_type: str, object_id: str, region: str, summary: str,
                 changes: str, select_from: str, changes_params: Sequence = (), select_params: Sequence = (),
                 channel: str = "web") -> tuple[str, list]:
    """An ``INSERT … SELECT`` of one audit row per row of ``select_from`` (SQL from ``FROM`` on)."""
    sql = (f"INSERT INTO core_auditevent ({AUDIT_COLUMNS}) "
           f"SELECT %s, %s, %s, %s, CAST({object_id} AS varchar(64)), {region}, %s, {changes}, %s {select_from}")
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    return sql, [now, actor_id, action, object_type, summary[:255], *changes_params, channel, *select_params]
