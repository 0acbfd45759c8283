"""Fitting PMT coefficients by least squares on households with observed consumption.

A real PMT is calibrated on a consumption survey (Susenas). ``calibrate`` reads such a sample
from a file (``sample.py``), computes its features with the scorer's SQL, fits on a training
split and reports on the held-out split how well the model targets: R², RMSE, and at a cut-off
share (40 %) the inclusion error (share of those ranked poor who are not poor) and the exclusion
error (share of the poor not ranked poor). Ranked poor are the bottom share by predicted
consumption, poor the bottom share by observed consumption, ties in file order. ``measured_sample``
reads the registry's own surveys with ``consumption_per_capita`` filled instead.

Pure Python: normal equations on centred columns with a small ridge (the intercept is not
penalised), the cross-products by ``math.sumprod`` over columns, so 50,000 rows take a second.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.core.audit import audit_record
from sejahtera.core.models import AuditEvent
from sejahtera.registry.importing.sql import fetchall
from sejahtera.welfare import sample as samples
from sejahtera.welfare.models import PmtCoefficient, PmtModel, PovertyLine
from sejahtera.welfare.pmt import VARIABLES
from sejahtera.welfare.scoring import child_cutoff, current_line, features_from_sql

RIDGE = 1.0
DIGITS = 6  # coefficients are stored, and the report computed, rounded to this many decimals
REPORT_DIGITS = 4
MIN_HELD_OUT = 10


class CalibrationError(Exception):
    """The sample cannot give a model; ``problems`` lists the rows at fault (may be empty)."""

    def __init__(self, message: str, problems: list[samples.RowProblem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


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


def predict(intercept: float, coefficients: list[float], x: list[list[float]]) -> list[float]:
    return [intercept + math.sumprod(coefficients, row) for row in x]


def accuracy(y: list[float], predicted: list[float]) -> tuple[float, float]:
    """R² and RMSE of ``predicted`` against ``y``."""
    mean = math.fsum(y) / len(y)
    ss_res = math.fsum((t - p) ** 2 for t, p in zip(y, predicted, strict=True))
    ss_tot = math.fsum((t - mean) ** 2 for t in y)
    return 1 - ss_res / ss_tot, math.sqrt(ss_res / len(y))


def fit(x: list[list[float]], y: list[float], ridge: float = RIDGE) -> tuple[float, list[float], dict]:
    """Intercept, coefficients and a report (n, R², RMSE) of ``y ~ x``."""
    n = len(y)
    columns = [list(column) for column in zip(*x, strict=True)]
    means = [math.fsum(column) / n for column in columns]
    y_mean = math.fsum(y) / n
    centred = [[value - mean for value in column] for column, mean in zip(columns, means, strict=True)]
    y_centred = [value - y_mean for value in y]
    k = len(centred)
    xtx = [[0.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i, k):
            xtx[i][j] = xtx[j][i] = math.sumprod(centred[i], centred[j])
        xtx[i][i] += ridge
    beta = _solve(xtx, [math.sumprod(column, y_centred) for column in centred])
    intercept = y_mean - math.sumprod(beta, means)
    r2, rmse = accuracy(y, predict(intercept, beta, x))
    return intercept, beta, {"n": n, "r2": round(r2, REPORT_DIGITS), "rmse_log": round(rmse, REPORT_DIGITS)}


def split(count: int, held_out_share: float, seed: int) -> tuple[list[int], list[int]]:
    """Positions of the training and of the held-out rows, each in file order: the positions shuffled
    by ``random.Random(seed)``, the first ``round(held_out_share * count)`` of them held out."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    cut = round(held_out_share * count)
    return sorted(order[cut:]), sorted(order[:cut])


def _bottom(values: list[float], share: float) -> set[int]:
    order = sorted(range(len(values)), key=lambda i: (values[i], i))
    return set(order[:round(share * len(values))])


def targeting_errors(observed_log: list[float], predicted_log: list[float], share: float,
                     poverty_line: int) -> tuple[float, float]:
    """Inclusion and exclusion error of taking the bottom ``share`` by prediction as "the poor",
    against the households whose observed consumption is below ``poverty_line`` (Rp per capita)."""
    line = math.log(poverty_line)
    poor = {i for i, value in enumerate(observed_log) if value < line}
    ranked_poor = _bottom(predicted_log, share)
    inclusion = len(ranked_poor - poor) / len(ranked_poor) if ranked_poor else 0.0
    exclusion = len(poor - ranked_poor) / len(poor) if poor else 0.0
    return inclusion, exclusion


def _features(rows: list[tuple], variables: list[str]) -> tuple[list[float], list[list[float]]]:
    y, x, missing = [], [], []
    for row_number, consumption, *values in samples.features(rows, variables):
        if None in values:
            missing += [samples.RowProblem(row_number, name, _("The variable %(variable)s cannot be computed.")
                                           % {"variable": name})
                        for name, value in zip(variables, values, strict=True) if value is None]
            continue
        y.append(math.log(consumption))
        x.append([float(value) for value in values])
    if missing:
        raise CalibrationError(_("Some rows cannot be used."), missing)
    return y, x


def _check_options(variables: list[str], held_out_share: float, cutoff_share: float) -> None:
    unknown = [name for name in variables if name not in VARIABLES]
    if unknown or len(set(variables)) < len(variables):
        raise CalibrationError(_("Unknown or repeated variables: %(variables)s. Known: %(known)s.")
                               % {"variables": ", ".join(unknown or variables), "known": ", ".join(VARIABLES)})
    if not (0 < held_out_share < 1 and 0 < cutoff_share < 1):
        raise CalibrationError(_("The held-out share and the cut-off must be between 0 and 1."))


def _check_size(train: int, held_out: int, variables: int) -> None:
    if train <= variables + 1 or held_out < MIN_HELD_OUT:
        raise CalibrationError(_(
            "The sample is too small: %(train)d rows to fit %(variables)d variables and %(held_out)d held-out rows "
            "(at least %(needed)d and %(minimum)d are needed).")
            % {"train": train, "variables": variables, "held_out": held_out, "needed": variables + 2,
               "minimum": MIN_HELD_OUT})


@transaction.atomic
def calibrate(path: str | Path, *, regency_code: str, name: str = "", source: str = "",
              variables: list[str] | None = None, held_out_share: float = 0.2, seed: int = 1,
              cutoff_share: float = 0.4, poverty_line: int | None = None, activate: bool = False,
              actor=None) -> PmtModel:
    """A new PMT model version of the regency fitted on ``path``; raises CalibrationError, and then
    nothing is written."""
    path = Path(path)
    variables = list(variables or VARIABLES)
    _check_options(variables, held_out_share, cutoff_share)
    poverty_line = poverty_line or current_line(regency_code, PovertyLine.Kind.POVERTY)
    if not poverty_line:
        raise CalibrationError(_("Regency %(regency)s has no poverty line: record one or give --poverty-line.")
                               % {"regency": regency_code})
    try:
        sample = samples.read_sample(path, regency_code=regency_code)
    except samples.SampleFileError as error:
        raise CalibrationError(error.message) from error
    if sample.problems:
        raise CalibrationError(_("Some rows cannot be used."), sample.problems)
    y, x = _features(sample.rows, variables)
    train, held_out = split(len(y), held_out_share, seed)
    _check_size(len(train), len(held_out), len(variables))
    y_train, x_train = [y[i] for i in train], [x[i] for i in train]
    y_held, x_held = [y[i] for i in held_out], [x[i] for i in held_out]
    if min(y_train) == max(y_train) or min(y_held) == max(y_held):
        raise CalibrationError(_("Every household of the sample has the same consumption."))

    intercept, beta, _report = fit(x_train, y_train)
    intercept, beta = round(intercept, DIGITS), [round(b, DIGITS) for b in beta]
    train_r2, train_rmse = accuracy(y_train, predict(intercept, beta, x_train))
    predicted = predict(intercept, beta, x_held)
    held_r2, held_rmse = accuracy(y_held, predicted)
    inclusion, exclusion = targeting_errors(y_held, predicted, cutoff_share, poverty_line)
    means = [math.fsum(column) / len(train) for column in zip(*x_train, strict=True)]

    def r(value: float) -> float:
        return round(value, REPORT_DIGITS)

    calibration = {
        "source": source or f"calibration sample {path.name}",
        "method": f"least squares on log monthly consumption per capita, ridge {RIDGE}, intercept not penalised; "
                  "features by the scoring SQL (sejahtera.welfare.pmt.VARIABLES)",
        "sample": {"file": path.name, "rows": len(y)},
        "split": {"train": len(train), "held_out": len(held_out), "held_out_share": held_out_share, "seed": seed},
        "train": {"r2": r(train_r2), "rmse_log": r(train_rmse)},
        "held_out": {"n": len(held_out), "r2": r(held_r2), "rmse_log": r(held_rmse), "cutoff_share": cutoff_share,
                     "poverty_line": poverty_line, "poor": sum(1 for v in y_held if v < math.log(poverty_line)),
                     "inclusion_error": r(inclusion), "exclusion_error": r(exclusion)},
        "means": {variable: r(mean) for variable, mean in zip(variables, means, strict=True)},
    }
    version = (PmtModel.objects.filter(regency_code=regency_code).aggregate(last=Max("version"))["last"] or 0) + 1
    replaced = None
    if activate:
        replaced = PmtModel.objects.filter(regency_code=regency_code, is_active=True).first()
        PmtModel.objects.filter(regency_code=regency_code, is_active=True).update(is_active=False)
    model = PmtModel.objects.create(
        regency_code=regency_code, version=version, is_active=activate, intercept=intercept,
        name=(name or _("Calibration on %(file)s") % {"file": path.name})[:120], calibration=calibration)
    PmtCoefficient.objects.bulk_create(
        PmtCoefficient(model=model, variable=variable, value=value)
        for variable, value in zip(variables, beta, strict=True))
    summary = (f"PMT v{version} calibrated on {path.name}: held-out R² {r(held_r2)}, inclusion {r(inclusion)}, "
               f"exclusion {r(exclusion)}")
    if activate:
        summary += f"; active, replacing v{replaced.version}" if replaced else "; active"
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=model, region_code=regency_code,
                 channel="command", summary=summary)
    return model
