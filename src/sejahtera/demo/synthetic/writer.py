"""Loading a synthetic regency into the registry, set-based, in one transaction.

Families, persons, memberships and surveys are inserted in batches of parameterised
multi-row ``executemany`` calls, with primary keys reserved up front (SQLite: after the
current maximum, inside the write-locked transaction; PostgreSQL: from the table's
sequence), so child rows point at their parents without reading anything back. The
statements are built from the models' metadata; fields the generator does not fill get
their model default. This is ``bulk_create`` without the ORM's per-value compilation, which
costs ten times the insert itself on 180,000 rows and would break the demo's one-minute
budget. These are system-generated rows: no services, no audit event per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from sejahtera.demo.synthetic.records import SurveyRecord, SyntheticRegency
from sejahtera.registry.models import Family, FamilyMembership, HouseholdSurvey, Person

BATCH_SIZE = 5000

PERSON_COLUMNS = ("id", "nik", "name", "sex", "birth_place", "birth_date", "family_id", "desa_id",
                  "relationship", "marital_status", "education", "occupation", "employment_status",
                  "disability", "jkn_status", "phone")
SURVEY_COLUMNS = ("id", "family_id") + tuple(SurveyRecord.__slots__)


@dataclass(frozen=True)
class WriteSummary:
    families: int
    persons: int
    memberships: int
    surveys: int


class _Inserter:
    """One parameterised INSERT for ``model``: the given fields, then constants for the rest."""

    def __init__(self, model: type[models.Model], given: Sequence[str], now) -> None:
        meta = model._meta
        given_fields = [meta.get_field(name) for name in given]
        given_columns = {f.column for f in given_fields}
        tail_columns, tail_values = [], []
        for field in meta.concrete_fields:
            if field.column in given_columns or isinstance(field, models.AutoField):
                continue  # an auto primary key not given is left to the database
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            else:
                raise ValueError(f"{model.__name__}.{field.name} needs a value")
            tail_columns.append(field.column)
            tail_values.append(field.get_db_prep_save(value, connection))
        quote = connection.ops.quote_name
        columns = [f.column for f in given_fields] + tail_columns
        self.sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})")
        self.tail = tuple(tail_values)

    def insert(self, rows: Iterable[tuple], batch_size: int = BATCH_SIZE) -> int:
        count, batch = 0, []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(row + self.tail)
                if len(batch) >= batch_size:
                    cursor.executemany(self.sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(self.sql, batch)
                count += len(batch)
        return count


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` unused primary keys of ``model``. Call inside the writing transaction."""
    if count == 0:
        return []
    table = model._meta.db_table
    pk_column = model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The transaction holds SQLite's write lock (IMMEDIATE mode) until commit.
            cursor.execute(f"SELECT COALESCE(MAX({quote(pk_column)}), 0) FROM {quote(table)}")
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, pk_column, count])
            return [row[0] for row in cursor.fetchall()]
    raise NotImplementedError(f"reserving ids on {connection.vendor}")


@transaction.atomic
def write_regency(regency: SyntheticRegency, *, batch_size: int = BATCH_SIZE) -> WriteSummary:
    records = regency.families
    now = timezone.now()
    as_date = connection.ops.adapt_datefield_value

    family_ids = reserve_ids(Family, len(records))
    family_rows = [(fid, f.no_kk, f.desa_code, f.address, f.rt, f.rw)
                   for fid, f in zip(family_ids, records, strict=True)]
    families = _Inserter(Family, ("id", "no_kk", "desa_id", "address", "rt", "rw"), now).insert(family_rows, batch_size)

    person_ids = reserve_ids(Person, regency.person_count)
    person_rows, membership_rows = [], []
    ids = iter(person_ids)
    for fid, f in zip(family_ids, records, strict=True):
        for p in f.members:
            pid = next(ids)
            person_rows.append((pid, p.nik, p.name, p.sex, p.birth_place, as_date(p.birth_date), fid, f.desa_code,
                                p.relationship, p.marital_status, p.education, p.occupation, p.employment_status,
                                p.disability, p.jkn_status, p.phone))
            membership_rows.append((pid, fid, p.relationship, as_date(p.started_on)))
    persons = _Inserter(Person, PERSON_COLUMNS, now).insert(person_rows, batch_size)
    memberships = _Inserter(FamilyMembership, ("person_id", "family_id", "relationship", "started_on"),
                            now).insert(membership_rows, batch_size)

    survey_fields = SurveyRecord.__slots__
    surveyed = [(fid, f.survey) for fid, f in zip(family_ids, records, strict=True) if f.survey is not None]
    survey_ids = reserve_ids(HouseholdSurvey, len(surveyed))
    surveys = _Inserter(HouseholdSurvey, SURVEY_COLUMNS, now).insert(
        ((sid, fid, *(_survey_value(s, name, as_date) for name in survey_fields))
         for sid, (fid, s) in zip(survey_ids, surveyed, strict=True)), batch_size)
    return WriteSummary(families, persons, memberships, surveys)


def _survey_value(survey: SurveyRecord, name: str, as_date):
    value = getattr(survey, name)
    return as_date(value) if name == "surveyed_on" else value
