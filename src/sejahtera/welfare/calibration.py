"""Fitting PMT coefficients by least squares on surveys that measured consumption.

A real PMT is calibrated on a consumption survey (Susenas); here the sample is the registry's
own surveys with ``consumption_per_capita`` filled. The features are read with the same SQL
the scorer uses, so a fitted model scores exactly what it was fitted on. Pure Python (normal
equations with a small ridge), fine for the few tens of thousands of measured surveys.
"""

from __future__ import annotations

import math

from django.utils import timezone

from sejahtera.registry.importing.sql import fetchall
from sejahtera.welfare.pmt import VARIABLES
from sejahtera.welfare.scoring import child_cutoff, features_from_sql


def measured_sample(regency_code: str, variables: list[str]) -> tuple[list[list[float]], list[float]]:
    columns = ", ".join(f"{VARIABLES[v]}" for v in variables)
    prefix = f"{regency_code}%"
    rows = fetchall(
        f"SELECT ln(hs.consumption_per_capita), {columns} {features_from_sql()} AND hs.consumption_per_capita > 0",
        [child_cutoff(timezone.localdate()), prefix, prefix])
    return [[float(v) for v in row[1:]] for row in rows], [float(row[0]) for row in rows]


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[r][col]:
                factor = m[r][col] / m[col][col]
                m[r] = [x - factor * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit(x: list[list[float]], y: list[float], ridge: float = 1.0) -> tuple[float, list[float], dict]:
    """Intercept, coefficients and a report (n, R², RMSE) of ``y ~ x``."""
    k = len(x[0]) + 1
    xtx = [[0.0] * k for _ in range(k)]
    xty = [0.0] * k
    for row, target in zip(x, y, strict=True):
        full = [1.0, *row]
        for i, vi in enumerate(full):
            if vi:
                xty[i] += vi * target
                xi = xtx[i]
                for j, vj in enumerate(full):
                    xi[j] += vi * vj
    for i in range(1, k):
        xtx[i][i] += ridge
    beta = _solve(xtx, xty)
    predicted = [beta[0] + sum(b * v for b, v in zip(beta[1:], row, strict=True)) for row in x]
    mean = sum(y) / len(y)
    ss_res = sum((t - p) ** 2 for t, p in zip(y, predicted, strict=True))
    ss_tot = sum((t - mean) ** 2 for t in y)
    report = {"n": len(y), "r2": round(1 - ss_res / ss_tot, 4), "rmse_log": round(math.sqrt(ss_res / len(y)), 4)}
    return beta[0], beta[1:], report
