"""Set-based welfare scoring: one ``INSERT … SELECT`` per regency, ranks and desil by window functions.

A run for a regency's active PMT model:

1. turns ``is_current`` off, in one ``UPDATE``, on the current scores to be replaced: all of
   the regency's (full run, or a ``--changed-only`` run after the active model changed) or only
   those whose family changed since it was scored (``--changed-only``: the family, a survey or
   a member row with ``updated_at`` after ``scored_at``; the ``updated_at`` indexes limit the
   search to rows changed since the oldest current score);
2. inserts, in one ``INSERT … SELECT``, a score for every family of the regency with a survey
   and no current score: the linear predictor over its latest survey and member aggregates,
   ``row_number()`` and ``ntile(10)`` over the predicted log consumption (one window, one sort);
3. after a ``--changed-only`` run, recomputes rank and desil of every current score of the
   regency in one ``UPDATE … FROM`` window query. Desil are relative: ``ntile`` over the
   rescored families alone would give each of them a desil among themselves, so the
   boundaries must be drawn over the whole regency. The family's own predicted consumption
   is what the history keeps; rank and desil of current rows follow the regency;
4. rewrites the regency's ``DesilSummary`` (counts per desa and desil) from the current scores,
   which carry the family's desa and member count as they were when scored.

Ordering is on the log score (monotonic in consumption); ties are broken by family id so rank
and desil are deterministic. Rows are inserted in family order, so the score table's indexes on
the family grow at their end instead of at random pages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from sejahtera.registry.importing.sql import drop_temp_table, execute, fetchall
from sejahtera.welfare.models import DesilSummary, PmtModel, PovertyLine
from sejahtera.welfare.pmt import VARIABLES

CHILD_AGE = 15
TODO = "welfare_families_to_score"
ANALYZE_AFTER = 50_000  # rows scored or retired in one run


@dataclass(frozen=True)
class ScoreRun:
    regency_code: str
    model_id: int
    retired: int
    scored: int
    reranked: int


def child_cutoff(today: datetime.date) -> datetime.date:
    """Members born after this date are children (under ``CHILD_AGE``)."""
    try:
        return today.replace(year=today.year - CHILD_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - CHILD_AGE, day=28)


def latest_surveys_sql(only: str = "") -> str:
    """Each family's latest survey: ``DISTINCT ON`` on PostgreSQL (one sort), an index probe elsewhere."""
    where = f"WHERE s.family_id IN ({only})" if only else ""
    if connection.vendor == "postgresql":
        return (f"(SELECT DISTINCT ON (s.family_id) s.* FROM registry_householdsurvey s {where} "
                "ORDER BY s.family_id, s.surveyed_on DESC, s.id DESC)")
    # SQLite: a window over all surveys sorts them all; one probe of the (family, date) index is faster.
    condition = f"AND s.family_id IN ({only})" if only else ""
    return ("(SELECT s.* FROM registry_householdsurvey s WHERE s.id = (SELECT l.id FROM registry_householdsurvey l "
            f"WHERE l.family_id = s.family_id ORDER BY l.surveyed_on DESC, l.id DESC LIMIT 1) {condition})")


def features_from_sql(only: str = "") -> str:
    """FROM clause giving ``f`` (family), ``hs`` (latest survey) and ``m`` (member aggregates).

    Parameters: child birth-date cutoff, person desa prefix pattern, family desa prefix pattern.
    ``only``, a parameterless subquery of family ids, limits the work to those families inside
    the subqueries, where the planner would not push a join condition down.
    """
    members_only = f" AND p.family_id IN ({only})" if only else ""
    return f"""
        FROM registry_family f
        JOIN {latest_surveys_sql(only)} hs ON hs.family_id = f.id
        JOIN (SELECT p.family_id, count(*) AS n,
                     sum(CASE WHEN p.birth_date > %s THEN 1 ELSE 0 END) AS kids,
                     max(CASE WHEN p.relationship = 1 THEN p.education END) AS head_edu
              FROM registry_person p
              WHERE p.family_id IS NOT NULL AND p.merged_into_id IS NULL AND p.desa_id LIKE %s{members_only}
              GROUP BY p.family_id) m ON m.family_id = f.id
        WHERE f.desa_id LIKE %s"""


def linear_score_sql(model: PmtModel) -> tuple[str, list]:
    """The model's predictor as SQL with its coefficients as parameters."""
    terms, params = ["CAST(%s AS DOUBLE PRECISION)"], [float(model.intercept)]
    for coefficient in model.coefficients.order_by("variable"):
        expression = VARIABLES.get(coefficient.variable)
        if expression is None:
            raise ValueError(f"unknown PMT variable {coefficient.variable!r} in model {model.pk}")
        terms.append(f"CAST(%s AS DOUBLE PRECISION) * ({expression})")
        params.append(float(coefficient.value))
    return " + ".join(terms), params


def current_line(regency_code: str, kind: str) -> int | None:
    line = PovertyLine.objects.filter(regency_code=regency_code, kind=kind).order_by("-year").first()
    return line.amount if line else None


def touched_since_sql() -> str:
    """(family_id, at) of every change to a family, its surveys or its members after a moment
    (three parameters, the same moment): the ``updated_at`` indexes make this a range scan."""
    return """
        SELECT f.id AS family_id, f.updated_at AS at FROM registry_family f WHERE f.updated_at > %s
        UNION ALL
        SELECT s.family_id, s.updated_at FROM registry_householdsurvey s WHERE s.updated_at > %s
        UNION ALL
        SELECT p.family_id, p.updated_at FROM registry_person p WHERE p.updated_at > %s AND p.family_id IS NOT NULL"""


def _retire_changed(model: PmtModel) -> tuple[int, str]:
    """Turn off the current scores a ``--changed-only`` run replaces; returns how many, and a
    subquery of the families to score (touched ones and, after a model change, all)."""
    regency = model.regency_code
    oldest, stale = fetchall(
        "SELECT min(scored_at), max(CASE WHEN model_id <> %s THEN 1 ELSE 0 END) FROM welfare_welfarescore "
        "WHERE is_current AND regency_code = %s", [model.pk, regency])[0]
    if oldest is None or stale:  # nothing scored yet, or scored by another model: everyone
        retired = execute("UPDATE welfare_welfarescore SET is_current = FALSE WHERE is_current AND regency_code = %s",
                          [regency])
        return retired, ""
    since = [oldest] * 3
    retired = execute(f"""
        UPDATE welfare_welfarescore SET is_current = FALSE WHERE id IN (
            SELECT w.id FROM welfare_welfarescore w JOIN ({touched_since_sql()}) c ON c.family_id = w.family_id
            WHERE w.is_current AND w.regency_code = %s AND c.at > w.scored_at)""", [*since, regency])
    execute(f"CREATE TEMPORARY TABLE {TODO} AS SELECT DISTINCT c.family_id AS id FROM ({touched_since_sql()}) c "
            "WHERE NOT EXISTS (SELECT 1 FROM welfare_welfarescore w WHERE w.family_id = c.family_id AND w.is_current)",
            since)
    if connection.vendor == "postgresql":
        execute(f"ANALYZE {TODO}")
    return retired, f"SELECT id FROM {TODO}"


def rerank_sql() -> str:
    return """
        UPDATE welfare_welfarescore SET rank_in_regency = r.rk, desil = r.d
        FROM (SELECT id,
                     row_number() OVER w AS rk, ntile(10) OVER w AS d
              FROM welfare_welfarescore WHERE is_current AND regency_code = %s
              WINDOW w AS (ORDER BY log_predicted, family_id)) r
        WHERE welfare_welfarescore.id = r.id
          AND (welfare_welfarescore.rank_in_regency <> r.rk OR welfare_welfarescore.desil <> r.d)"""


@transaction.atomic
def score_regency(model: PmtModel, *, changed_only: bool = False, now: datetime.datetime | None = None) -> ScoreRun:
    now = now or timezone.now()
    regency = model.regency_code
    scored_at = connection.ops.adapt_datetimefield_value(now)
    # One run per regency at a time: a second waits here for the first to commit.
    list(PmtModel.objects.select_for_update().filter(regency_code=regency, is_active=True).values_list("pk"))
    if connection.vendor == "postgresql":
        # The member aggregates and the ranking sort 1.7 million rows: in memory, not in temporary files.
        # JIT, off for the pages' queries (settings), pays back its compile time over these rows.
        execute("SET LOCAL work_mem = '256MB'")
        execute("SET LOCAL jit = on")
    if changed_only:
        retired, only = _retire_changed(model)
    else:
        retired = execute("UPDATE welfare_welfarescore SET is_current = FALSE WHERE is_current AND regency_code = %s",
                          [regency])
        only = ""
    score, score_params = linear_score_sql(model)
    # No line: nobody is below it. The flags compare the stored (rounded) Rupiah figure.
    poor = current_line(regency, PovertyLine.Kind.POVERTY) or 0
    extreme = current_line(regency, PovertyLine.Kind.EXTREME) or 0
    sql = f"""
        INSERT INTO welfare_welfarescore
            (family_id, model_id, regency_code, desa_code, members, scored_at, log_predicted,
             predicted_per_capita, rank_in_regency, desil, is_poor, is_extremely_poor, is_current)
        SELECT x.family_id, %s, %s, x.desa, x.n, %s, x.s, x.rp,
               row_number() OVER w, ntile(10) OVER w,
               x.rp < %s, x.rp < %s, TRUE
        FROM (SELECT y.family_id, y.desa, y.n, y.s, CAST(round(exp(y.s)) AS integer) AS rp
              FROM (SELECT f.id AS family_id, f.desa_id AS desa, m.n AS n, {score} AS s
                    {features_from_sql(only)}{f" AND f.id IN ({only})" if only else ""}) y) x
        WINDOW w AS (ORDER BY x.s, x.family_id)
        ORDER BY x.family_id"""
    prefix = f"{regency}%"
    params = [model.pk, regency, scored_at, poor, extreme, *score_params,
              child_cutoff(timezone.localdate(now)), prefix, prefix]
    try:
        scored = execute(sql, params)
    finally:
        if only:
            drop_temp_table(TODO)
    reranked = execute(rerank_sql(), [regency]) if changed_only and (scored or retired) else 0
    if connection.vendor == "postgresql" and scored + retired > ANALYZE_AFTER:
        # Fresh statistics for the pages' plans, also where autovacuum is off or has not run yet.
        execute("ANALYZE welfare_welfarescore")
    if scored or retired or not DesilSummary.objects.filter(regency_code=regency).exists():
        summarize(regency, scored_at)
    return ScoreRun(regency, model.pk, retired, scored, reranked)


def summarize(regency: str, counted_at) -> None:
    """Rewrite the regency's ``DesilSummary`` from its current scores: one grouped pass."""
    execute("DELETE FROM welfare_desilsummary WHERE regency_code = %s", [regency])
    execute("""
        INSERT INTO welfare_desilsummary (regency_code, desa_code, desil, is_poor, is_extremely_poor, model_id,
                                          families, persons, counted_at)
        SELECT regency_code, desa_code, desil, is_poor, is_extremely_poor, model_id, count(*), sum(members), %s
        FROM welfare_welfarescore WHERE is_current AND regency_code = %s
        GROUP BY regency_code, desa_code, desil, is_poor, is_extremely_poor, model_id""", [counted_at, regency])


def welfare_score(*, changed_only: bool = False, regency_code: str | None = None) -> list[ScoreRun]:
    """Score every regency with an active PMT model (or only ``regency_code``)."""
    models = PmtModel.objects.filter(is_active=True)
    if regency_code:
        models = models.filter(regency_code=regency_code)
    now = timezone.now()
    return [score_regency(m, changed_only=changed_only, now=now) for m in models.order_by("regency_code")]
