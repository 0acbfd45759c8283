"""Probable duplicate persons: a Fellegi-Sunter model in Splink, run on DuckDB.

The input is a DuckDB table of persons (``id``, ``nik``, ``name``, ``sex``, ``birth_date``,
``desa``, ``no_kk``); the output is a DuckDB table of scored pairs. Nothing here touches
Django: ``scan.py`` moves the rows in and out, the benchmark feeds generated rows.

Blocking is the whole game at regency scale. Every rule below is an equi-join on keys
that a duplicate with one (often two) of the usual errors still shares with its original,
and each keeps its blocks small (a few dozen persons); Splink ORs them and scores each
pair once:

====  =========================================================  ====================================
rule  keys                                                       still catches
====  =========================================================  ====================================
B1    birth date + first 3 letters of the name core              name spelling, spaces, titles, desa,
                                                                 NIK typo or missing NIK
B2    name key + birth year                                      day and month swapped, day/month typo
B3    name key + birth day and month                             year typo
B4    kecamatan + birth date (not for dates that many persons    typo early in the name
      share, like a default 1 January)
B5    No. KK                                                     anything, inside one family card
B6    first 12 NIK digits (kecamatan, birth date, sex)           name and date both changed
B7    desa + birth year + first letter of the name core          two errors: date and name
====  =========================================================  ====================================

The model (five comparisons: name, birth date, sex, place, NIK) has fixed m probabilities
(how often a true duplicate shows each level): the shares measured on labelled duplicate
pairs made by ``perturb`` (the error types the registry sees), rounded; once verifiers have
decided enough pairs, the merged ones are the labels to re-estimate them from. The u
probabilities (how often two different persons show the level) come from the data: exactly,
from value counts, for the equality levels, and by random sampling of pairs for the fuzzy
ones; names and birth dates get term-frequency adjustments (a shared rare name, or a
birth date few others have, counts for more). The prior is the expected share of
duplicates (``duplicate_share``) spread over all pairs.

Two choices rest on how the registry works. A NIK is registered once, so the second record
of a person usually exists because it was registered without a NIK: "one NIK missing" is a
level with its own weight, not a neutral null. And the NIK encodes kecamatan, birth date and
sex, which the other comparisons already weigh, so its "one digit apart" levels get fixed u
values (see ``NIK``).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field

import duckdb

from sejahtera.registry.dedup import features

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.9
# Expected share of records that are a duplicate of another; sets the prior.
DEFAULT_DUPLICATE_SHARE = 0.02
U_SAMPLE_PAIRS = 2_000_000
# A birth date held by this many times more persons than the average date (a default date
# such as 1 January) is left out of the kecamatan + birth date blocking rule.
COMMON_DATE_FACTOR = 20


@dataclass(frozen=True)
class Level:
    label: str  # machine label, stored in DuplicateCandidate.reasons
    sql: str
    m: float | None = None
    u: float | None = None  # fixed u; None: estimated from the data
    tf: str | None = None  # term-frequency adjustment column
    null: bool = False


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[Level, ...]
    description: str = ""


NAME = Comparison("name", (
    Level("missing", "name_key_l IS NULL OR name_key_r IS NULL OR name_key_l = '' OR name_key_r = ''", null=True),
    Level("same", "name_key_l = name_key_r", m=0.74, tf="name_key"),
    Level("same_without_prefix", "name_core_l = name_core_r", m=0.03),
    Level("one_edit", "damerau_levenshtein(name_key_l, name_key_r) <= 1", m=0.2),
    Level("similar", "damerau_levenshtein(name_key_l, name_key_r) <= 2 "
                     "AND jaro_winkler_similarity(name_key_l, name_key_r) >= 0.88 "
                     "AND jaro_winkler_similarity(name_first_l, name_first_r) >= 0.85", m=0.015),
    # "Zahra" and "Zahra Safitri": a name part left off, or two persons with one given name.
    Level("part_missing", "name_first_l = name_first_r AND (starts_with(name_core_l, name_core_r) "
                          "OR starts_with(name_core_r, name_core_l))", m=0.005),
    Level("different", "ELSE", m=0.01),
), "Normalised name (Muhammad spellings, spaces, titles and degrees removed)")

BIRTH_DATE = Comparison("birth_date", (
    Level("missing", "birth_date_l IS NULL OR birth_date_r IS NULL", null=True),
    Level("same", "birth_date_l = birth_date_r", m=0.73, tf="birth_date"),
    Level("day_month_swapped", "birth_date_swapped_l = birth_date_r", m=0.06),
    # Two parts equal and the third one off by one (the day, the month or the year).
    Level("one_off", "(birth_year_l = birth_year_r)::INT + (birth_month_l = birth_month_r)::INT "
                     "+ (birth_day_l = birth_day_r)::INT = 2 AND (abs(birth_year_l - birth_year_r) = 1 "
                     "OR abs(birth_month_l - birth_month_r) = 1 OR abs(birth_day_l - birth_day_r) = 1)", m=0.12),
    Level("one_digit", "damerau_levenshtein(birth_date_text_l, birth_date_text_r) <= 1", m=0.05),
    Level("one_part", "(birth_year_l = birth_year_r)::INT + (birth_month_l = birth_month_r)::INT "
                      "+ (birth_day_l = birth_day_r)::INT = 2", m=0.03),
    Level("different", "ELSE", m=0.01),
), "Birth date: same, day and month swapped, one digit or one part wrong")

SEX = Comparison("sex", (
    Level("missing", "sex_l IS NULL OR sex_r IS NULL", null=True),
    Level("same", "sex_l = sex_r", m=0.99),
    Level("different", "ELSE", m=0.01),
))

PLACE = Comparison("place", (
    Level("missing", "desa_l IS NULL OR desa_r IS NULL", null=True),
    Level("same_family", "no_kk_l = no_kk_r", m=0.37),
    Level("same_desa", "desa_l = desa_r", m=0.45),
    # A typing error in the desa code, or the desa next door: codes one apart in one kecamatan.
    Level("neighbour_desa", "kecamatan_l = kecamatan_r AND abs(desa_number_l - desa_number_r) = 1", m=0.14),
    Level("same_kecamatan", "kecamatan_l = kecamatan_r", m=0.02),
    Level("different", "ELSE", m=0.02),
), "Where the person is registered: same family card, same desa, same kecamatan")

NIK = Comparison("nik", (
    Level("same", "nik_l = nik_r", m=0.02),
    # Not a null level: in the registry a NIK is registered once, so the second record of a
    # person usually exists because it was registered without one. One record without a NIK
    # is evidence for a duplicate (u: the share of pairs with a NIK missing, exactly).
    Level("one_missing", "nik_l IS NULL OR nik_r IS NULL", m=0.6),
    # The NIK encodes kecamatan, birth date and sex, which the other comparisons already
    # weigh, so the levels between "same" and "different" get fixed u values. One digit
    # apart is weak evidence of a typing error, unless the two NIKs differ in their birth
    # date part and each fits its own record's birth date and sex (``nik_fits``): then they
    # are just the NIKs of two persons born on different days. Two NIKs that differ only in
    # the last digit of the serial are what twins and others born the same day in one
    # kecamatan get (serials are issued in sequence per kecamatan, date and sex), so that
    # counts against a duplicate.
    Level("one_digit", "hamming(nik_l, nik_r) = 1 AND nik15_l <> nik15_r "
                       "AND (nik_date_l = nik_date_r OR NOT (nik_fits_l AND nik_fits_r))", m=0.3, u=0.08),
    Level("last_digit", "hamming(nik_l, nik_r) = 1 AND nik15_l = nik15_r", m=0.03, u=0.12),
    Level("different", "ELSE", m=0.05),
), "NIK: same, one missing, one digit different, or different")

COMPARISONS = (NAME, BIRTH_DATE, SEX, PLACE, NIK)

BLOCKING_RULES = (
    "l.birth_date = r.birth_date AND l.core3 = r.core3",
    "l.name_key = r.name_key AND l.birth_year = r.birth_year",
    "l.name_key = r.name_key AND l.birth_month = r.birth_month AND l.birth_day = r.birth_day",
    "l.kecamatan = r.kecamatan AND l.birth_date = r.birth_date AND NOT l.common_birth_date",
    "l.no_kk = r.no_kk",
    "l.nik12 = r.nik12",
    "l.desa = r.desa AND l.birth_year = r.birth_year AND l.core1 = r.core1",
)

@dataclass
class LinkageResult:
    pairs_table: str  # DuckDB table: id_l, id_r, probability, weight, one column per comparison
    persons: int
    pairs: int
    timings: dict[str, float] = field(default_factory=dict)
    parameters: list[dict] = field(default_factory=list)  # m, u and weight of every level


# -- features ----------------------------------------------------------------------------------

def build_features(con: duckdb.DuckDBPyConnection, source: str, target: str = "dedup_persons") -> int:
    """Create ``target`` from the raw persons table ``source``; return the number of persons.

    Names are normalised once per distinct name in Python; everything else is SQL. A NIK that
    is not 16 digits counts as missing.
    """
    distinct = con.execute(f"SELECT DISTINCT name FROM {source} WHERE name IS NOT NULL").fetchall()
    rows = [(name, *features.name_features(name)) for (name,) in distinct]
    con.execute("CREATE OR REPLACE TEMP TABLE dedup_names (name VARCHAR, name_key VARCHAR, name_core VARCHAR, "
                "name_first VARCHAR)")
    if rows:
        import pyarrow as pa

        columns = list(zip(*rows, strict=True))
        table = pa.table({k: pa.array(v, pa.string()) for k, v in
                          zip(("name", "name_key", "name_core", "name_first"), columns, strict=True)})
        con.register("dedup_names_arrow", table)
        con.execute("INSERT INTO dedup_names SELECT * FROM dedup_names_arrow")
        con.unregister("dedup_names_arrow")
    con.execute(f"""
        CREATE OR REPLACE TABLE {target} AS
        SELECT
            p.id::BIGINT AS unique_id,
            p.nik16 AS nik,
            LEFT(p.nik16, 12) AS nik12,
            LEFT(p.nik16, 15) AS nik15,
            substr(p.nik16, 7, 6) AS nik_date,
            coalesce(substr(p.nik16, 7, 6) = (
                lpad(CAST(day(p.birth_date) + CASE WHEN p.sex = 'P' THEN 40 ELSE 0 END AS VARCHAR), 2, '0')
                || strftime(p.birth_date::DATE, '%m%y')), FALSE) AS nik_fits,
            n.name_key, n.name_core, n.name_first,
            LEFT(n.name_core, 3) AS core3,
            LEFT(n.name_core, 1) AS core1,
            NULLIF(p.sex, '') AS sex,
            p.birth_date::DATE AS birth_date,
            strftime(p.birth_date::DATE, '%Y-%m-%d') AS birth_date_text,
            CASE WHEN day(p.birth_date) <= 12 AND day(p.birth_date) <> month(p.birth_date)
                 THEN make_date(year(p.birth_date), day(p.birth_date), month(p.birth_date)) END
                AS birth_date_swapped,
            year(p.birth_date) AS birth_year,
            month(p.birth_date) AS birth_month,
            day(p.birth_date) AS birth_day,
            count(*) OVER (PARTITION BY p.birth_date) > greatest(50, {COMMON_DATE_FACTOR} * (
                count(*) OVER () / greatest(1, (SELECT count(DISTINCT birth_date) FROM {source})))
            ) AS common_birth_date,
            p.desa,
            LEFT(p.desa, 6) AS kecamatan,
            TRY_CAST(substr(p.desa, 7) AS INTEGER) AS desa_number,
            NULLIF(TRIM(p.no_kk), '') AS no_kk
        FROM (SELECT *, CASE WHEN regexp_full_match(TRIM(nik), '[0-9]{{16}}') THEN TRIM(nik) END AS nik16
              FROM {source}) p
        LEFT JOIN dedup_names n ON n.name = p.name
    """)
    return con.execute(f"SELECT count(*) FROM {target}").fetchall()[0][0]


# -- the model ---------------------------------------------------------------------------------

def _settings(prior: float):
    from splink import SettingsCreator
    from splink.comparison_library import CustomComparison

    comparisons = []
    for comparison in COMPARISONS:
        levels = []
        for level in comparison.levels:
            entry = {"sql_condition": level.sql, "label_for_charts": level.label}
            if level.null:
                entry["is_null_level"] = True
            if level.m is not None:
                entry["m_probability"] = level.m
            if level.u is not None:
                entry["u_probability"] = level.u
                entry["fix_u_probability"] = True
            if level.tf:
                entry["tf_adjustment_column"] = level.tf
                entry["tf_adjustment_weight"] = 1.0
            levels.append(entry)
        comparisons.append(CustomComparison(comparison_levels=levels, output_column_name=comparison.name,
                                            comparison_description=comparison.description))
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=list(BLOCKING_RULES),
        probability_two_random_records_match=prior,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=False,
    )


def _exact_u(con: duckdb.DuckDBPyConnection, table: str, n: int) -> dict[tuple[str, str], float]:
    """u of the equality levels: the chance two random persons share the value, less the
    chance they already share the value of the level above (which implies this one)."""
    pairs = n * (n - 1) / 2

    def agreeing(column: str, also: str | None = None) -> float:
        keys = column if also is None else f"{column}, {also}"
        sql = (f"SELECT coalesce(sum(c * (c - 1) / 2), 0) FROM (SELECT count(*) AS c FROM {table} "
               f"WHERE {column} IS NOT NULL {'' if also is None else f'AND {also} IS NOT NULL'} GROUP BY {keys})")
        return con.execute(sql).fetchall()[0][0] / pairs

    def non_null_pairs(column: str) -> float:
        k = con.execute(f"SELECT count({column}) FROM {table}").fetchall()[0][0]
        return k * (k - 1) / 2 / pairs

    values: dict[tuple[str, str], float] = {}
    kk = agreeing("no_kk")
    desa_not_kk = agreeing("desa") - agreeing("desa", "no_kk")
    values[("place", "same_family")] = kk
    values[("place", "same_desa")] = max(desa_not_kk, 0.0)
    # nik: u is conditional on both NIKs being present (the null level takes the others).
    values[("nik", "same")] = agreeing("nik")
    values[("nik", "one_missing")] = 1.0 - non_null_pairs("nik")
    dob_pairs = non_null_pairs("birth_date") or 1.0
    values[("birth_date", "same")] = agreeing("birth_date") / dob_pairs
    swapped = con.execute(f"""
        WITH dates AS (SELECT birth_date AS d, count(*) AS c FROM {table} GROUP BY 1),
             swaps AS (SELECT birth_date_swapped AS d, count(*) AS c FROM {table}
                       WHERE birth_date_swapped IS NOT NULL GROUP BY 1)
        SELECT coalesce(sum(dates.c * swaps.c), 0) / 2 FROM dates JOIN swaps USING (d)
    """).fetchall()[0][0]
    values[("birth_date", "day_month_swapped")] = swapped / pairs / dob_pairs
    sex_pairs = non_null_pairs("sex") or 1.0
    values[("sex", "same")] = agreeing("sex") / sex_pairs
    return values


def _fix_u_values(linker, exact: dict[tuple[str, str], float], n: int) -> None:
    """Replace sampled u values by exact ones, and floor the levels the sample never saw."""
    floor = 1.0 / max(n * n, 1)
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if level.is_null_level:
                continue
            key = (comparison.output_column_name, level.label_for_charts)
            if key in exact:
                level.u_probability = max(exact[key], floor)
            elif level._fix_u_probability:
                continue
            else:
                u = level.u_probability
                if u is None or (isinstance(u, float) and (math.isnan(u) or u <= 0)):
                    level.u_probability = floor
                else:
                    level.u_probability = max(u, floor)


def find_pairs(con: duckdb.DuckDBPyConnection, table: str = "dedup_persons", *,
               threshold: float = DEFAULT_THRESHOLD, duplicate_share: float = DEFAULT_DUPLICATE_SHARE,
               u_sample_pairs: int | None = None, seed: int | None = 42,
               pairs_table: str = "dedup_pairs") -> LinkageResult:
    """Score the blocked pairs of ``table`` and keep those at or above ``threshold``."""
    from splink import DuckDBAPI, Linker

    timings: dict[str, float] = {}
    start = time.perf_counter()
    n = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    if n < 2:
        con.execute(f"CREATE OR REPLACE TABLE {pairs_table} (id_l BIGINT, id_r BIGINT, probability DOUBLE, "
                    "weight DOUBLE, " + ", ".join(f"{c.name} VARCHAR" for c in COMPARISONS) + ")")
        return LinkageResult(pairs_table, n, 0, timings)
    prior = min(0.5, duplicate_share * 2 / max(n - 1, 1))
    db_api = DuckDBAPI(connection=con)
    frame = db_api.register(table, dataset_display_name=f"{table}_splink")
    linker = Linker(frame, _settings(prior), log_level=logging.ERROR)

    exact = _exact_u(con, table, n)
    timings["exact_u"] = time.perf_counter() - start
    t = time.perf_counter()
    max_pairs = min(u_sample_pairs or U_SAMPLE_PAIRS, n * (n - 1) / 2)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed,
                                                     min_count_per_level=None, num_chunks=1)
    _fix_u_values(linker, exact, n)
    timings["u_sampling"] = time.perf_counter() - t

    parameters = [
        {"comparison": c.output_column_name, "level": lv.label_for_charts, "m": lv.m_probability,
         "u": lv.u_probability, "weight": math.log2(lv.m_probability / lv.u_probability)}
        for c in linker._settings_obj.comparisons for lv in c.comparison_levels if not lv.is_null_level
    ]
    t = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    timings["predict"] = time.perf_counter() - t

    t = time.perf_counter()
    label_cases = []
    for comparison in linker._settings_obj.comparisons:
        name = comparison.output_column_name
        whens = " ".join(f"WHEN {level.comparison_vector_value} THEN '{level.label_for_charts}'"
                         for level in comparison.comparison_levels)
        label_cases.append(f"CASE gamma_{name} {whens} END AS {name}")
    con.execute(f"""
        CREATE OR REPLACE TABLE {pairs_table} AS
        SELECT LEAST(unique_id_l, unique_id_r) AS id_l, GREATEST(unique_id_l, unique_id_r) AS id_r,
               match_probability AS probability, match_weight AS weight, {", ".join(label_cases)}
        FROM {predictions.physical_name}
    """)
    predictions.drop_table_from_database_and_remove_from_cache()
    pairs = con.execute(f"SELECT count(*) FROM {pairs_table}").fetchall()[0][0]
    timings["collect"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - start
    return LinkageResult(pairs_table, n, pairs, timings, parameters)


def model_description() -> list[dict]:
    """The comparisons and levels, for documentation and the review page."""
    return [{"name": c.name, "description": c.description,
             "levels": [{"label": lv.label, "m": lv.m, "u": lv.u} for lv in c.levels]} for c in COMPARISONS]
