"""The few places where PostgreSQL and SQLite SQL differ, and bulk loading of a staging table."""

from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.db import connection


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def differs(a: str, b: str) -> str:
    """SQL that is true when ``a`` and ``b`` differ, NULLs compared as values."""
    return f"({a} IS DISTINCT FROM {b})" if is_postgres() else f"({a} IS NOT {b})"


def json_changes(pairs: Sequence[tuple[str, str, str]]) -> str:
    """SQL building ``{"field": [before, after]}`` for the fields whose values differ.

    ``pairs`` holds (field name, before expression, after expression).
    """
    if is_postgres():
        items = ", ".join(
            f"'{name}', CASE WHEN {differs(old, new)} THEN jsonb_build_array({old}, {new}) END"
            for name, old, new in pairs
        )
        return f"jsonb_strip_nulls(jsonb_build_object({items}))"
    # A JSON merge patch drops the keys whose value is null.
    items = ", ".join(
        f"'{name}', CASE WHEN {differs(old, new)} THEN json_array({old}, {new}) END" for name, old, new in pairs
    )
    return f"json_patch('{{}}', json_object({items}))"


def create_temp_table(name: str, columns: Sequence[tuple[str, str]]) -> None:
    """A temporary table private to this connection, gone when the transaction ends (PostgreSQL)
    or when ``drop_temp_table`` runs (SQLite)."""
    body = ", ".join(f"{col} {sql_type}" for col, sql_type in columns)
    suffix = " ON COMMIT DROP" if is_postgres() else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({body}){suffix}")


def drop_temp_table(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def bulk_load(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Load rows into ``table``: ``COPY`` on PostgreSQL, ``executemany`` in chunks on SQLite."""
    count = 0
    with connection.cursor() as cursor:
        if is_postgres():
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == 5000:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk.clear()
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def execute(sql: str, params: Sequence = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetchall(sql: str, params: Sequence = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextmanager
def statement_memory(megabytes: int = 64):
    """On PostgreSQL, more memory for the sorts and hashes of one big statement."""
    if not is_postgres():
        yield
        return
    previous = fetchall("SELECT current_setting('work_mem')")[0][0]
    execute(f"SET LOCAL work_mem = '{int(megabytes)}MB'")
    yield
    # After an error the service's savepoint is rolled back, and the setting with it.
    execute("SELECT set_config('work_mem', %s, true)", [previous])
