"""The calibration sample: households with their observed consumption, read, checked, and turned
into PMT features by the scorer's own SQL.

One row per household, CSV or XLSX: the desa code, the number of members and of members under 15,
the head's education (spelled as in the individuals template), the dwelling and asset columns of
the survey template (same names, same accepted values) and ``pengeluaran_per_kapita``, the observed
monthly consumption per capita, required here. Columns the sample does not need (``no_kk``,
``tanggal_survei``) are ignored.

The parsed rows go into a temporary table that is joined to itself as ``f``, ``hs`` and ``m``, so
the expressions of ``pmt.VARIABLES`` read it exactly as they read a family, its latest survey and
its member aggregates when scoring.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from sejahtera.regions.models import Region
from sejahtera.registry.importing import values as v
from sejahtera.registry.importing.columns import (
    INDIVIDUALS,
    SURVEYS,
    Column,
    HeaderProblem,
    RowParser,
    Template,
    header_key,
    map_header,
)
from sejahtera.registry.importing.readers import UnreadableFile, open_table
from sejahtera.registry.importing.report import message_for
from sejahtera.registry.importing.sql import bulk_load, create_temp_table, drop_temp_table, fetchall
from sejahtera.registry.models import SURVEY_FIELDS, HouseholdSurvey
from sejahtera.welfare.pmt import VARIABLES

CONSUMPTION = "pengeluaran_per_kapita"
MAX_MEMBERS = 99
_NOT_IN_SAMPLE = {"surveyed_on", "enumerator"}
_members = functools.partial(v.parse_count, maximum=MAX_MEMBERS)


def _survey_column(column: Column) -> Column:
    if column.name == CONSUMPTION:
        return dataclasses.replace(column, required=True, help="Pengeluaran per kapita sebulan yang diukur.")
    return column


SAMPLE = Template("calibration_sample", "Sampel Kalibrasi", [
    dataclasses.replace(INDIVIDUALS.by_name["kode_desa"], model="sample", field="desa_id",
                        help="Kode desa/kelurahan Kemendagri tempat rumah tangga tinggal."),
    Column("jumlah_anggota", "sample", "n", _members, True,
           ("jumlah anggota keluarga", "jumlah anggota rumah tangga", "jumlah art", "jml art", "jml anggota",
            "banyak anggota", "household size"), None,
           "Jumlah anggota rumah tangga.", f"Bilangan bulat, 1 sampai {MAX_MEMBERS}."),
    Column("jumlah_anggota_di_bawah_15", "sample", "kids", _members, True,
           ("anggota di bawah 15", "anggota di bawah 15 tahun", "anak di bawah 15", "anak di bawah 15 tahun",
            "jumlah anak di bawah 15", "jumlah anak", "jml anak", "members under 15"), None,
           "Jumlah anggota yang berumur di bawah 15 tahun.", "Bilangan bulat, 0 bila tidak ada."),
    dataclasses.replace(INDIVIDUALS.by_name["pendidikan"], name="pendidikan_kepala", model="sample",
                        field="head_edu", required=True, default=None,
                        aliases=("pendidikan kepala keluarga", "pendidikan kepala rumah tangga", "pendidikan krt",
                                 "pendidikan kepala", "pendidikan kk", "head education"),
                        help="Pendidikan terakhir kepala keluarga."),
    *[_survey_column(column) for column in SURVEYS.columns
      if column.model == "survey" and column.field not in _NOT_IN_SAMPLE],
], sheet_names=("sampel", "sampel kalibrasi", "sample"))

TABLE = "pmt_calibration_sample"
LOADED_COLUMNS = ["row_number", *(column.field for column in SAMPLE.columns)]


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class Sample:
    rows: list[tuple]  # (row number, then a value for each column of SAMPLE)
    problems: list[RowProblem]


class SampleFileError(Exception):
    """The file cannot be read as a sample at all; ``message`` is for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _is_header(texts: list[str]) -> bool:
    return any(SAMPLE.lookup.get(header_key(text)) == CONSUMPTION for text in texts)


def _row_problems(values: dict, regency_code: str, desa_codes: frozenset[str]) -> list[tuple[str, str]]:
    problems = []
    desa = values["kode_desa"]
    if not desa.startswith(regency_code):
        problems.append(("kode_desa", _("The village is not in regency %(regency)s.") % {"regency": regency_code}))
    elif desa not in desa_codes:
        problems.append(("kode_desa", message_for("unknown_desa")))
    members, kids = values["jumlah_anggota"], values["jumlah_anggota_di_bawah_15"]
    if members < 1:
        problems.append(("jumlah_anggota", _("A household has at least one member.")))
    elif kids > members:
        problems.append(("jumlah_anggota_di_bawah_15", _(
            "%(kids)d members under 15 is more than the %(members)d members of the household.")
            % {"kids": kids, "members": members}))
    if values["luas_lantai"] < 1:
        problems.append(("luas_lantai", _("The floor area must be at least 1 m².")))
    if values[CONSUMPTION] < 1:
        problems.append((CONSUMPTION, _("The consumption per capita must be more than Rp0.")))
    return problems


def read_sample(path: str | os.PathLike, *, regency_code: str) -> Sample:
    """Every row of the file parsed and checked; raises SampleFileError when the file or its header
    cannot be used. A row with any problem is left out of ``rows`` and has a line in ``problems``."""
    try:
        table = open_table(path, sheet_names=SAMPLE.sheet_names, header_test=_is_header)
    except UnreadableFile as error:
        raise SampleFileError(error.message) from None
    with table:
        try:
            parser = RowParser(map_header(table.header, SAMPLE))
        except HeaderProblem as error:
            raise SampleFileError(error.message) from None
        desa_codes = frozenset(Region.objects.filter(level=Region.Level.DESA, code__startswith=regency_code)
                               .values_list("code", flat=True))
        names = [column.name for column in SAMPLE.columns]
        sample = Sample([], [])
        try:
            for row_number, cells in table.rows():
                values, problems, _warnings = parser(cells)
                found = [(column, problem.message) for column, problem in problems or ()]
                if not found:
                    found = _row_problems(values, regency_code, desa_codes)
                if found:
                    sample.problems += [RowProblem(row_number, column, message) for column, message in found]
                else:
                    sample.rows.append((row_number, *(values[name] for name in names)))
        except UnreadableFile as error:
            raise SampleFileError(error.message) from None
    return sample


def _column_types() -> list[tuple[str, str]]:
    survey = [(name, HouseholdSurvey._meta.get_field(name).db_type(connection)) for name in SURVEY_FIELDS]
    return [("row_number", "integer PRIMARY KEY"), ("desa_id", "varchar(10)"), ("n", "integer"),
            ("kids", "integer"), ("head_edu", "integer"), *survey]


def features(rows: list[tuple], variables: list[str]) -> list[tuple]:
    """``(row number, consumption per capita, value of each variable)`` of every row, in row order.

    On PostgreSQL the temporary table lives until the transaction ends: call this inside one.
    """
    # After a failure the rollback takes the table with it on PostgreSQL (a DROP there would fail and
    # hide the error); on SQLite create_temp_table drops a leftover first.
    create_temp_table(TABLE, _column_types())
    bulk_load(TABLE, LOADED_COLUMNS, rows)
    expressions = ", ".join(VARIABLES[name] for name in variables)
    result = fetchall(f"""
        SELECT hs.row_number, hs.consumption_per_capita, {expressions}
        FROM {TABLE} hs
        JOIN {TABLE} f ON f.row_number = hs.row_number
        JOIN {TABLE} m ON m.row_number = hs.row_number
        ORDER BY hs.row_number""")
    drop_temp_table(TABLE)
    return result
