"""Training figures for Disnaker and the monitoring module. Counts only, grouped in the database.

For one year (the batches that start in it) and the user's aggregate scopes (the regions of all
their memberships, planners included), per month of the batch's start, kecamatan, sex, age
group and education, and in total:

- ``trainees``: persons accepted into a batch (whatever happened after: attending, completed,
  dropped);
- ``completed``: trainees who completed the course;
- ``certified``: completed trainees with a competency certificate;
- ``placed``: completed trainees placed in a job within ``PLACEMENT_MONTHS`` after their batch
  (see ``placements``).

Each figure is given again for members of poor families (``poor_*``): trainees whose family was
in desil 1-4 when the batch selected them (``Trainee.desil``). A trainee is counted where they
lived when applying (``desa_code``); the age group is the age reached by the end of the year.
A person trained in two batches counts twice.
"""

import datetime

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import ExtractMonth, Substr

from sejahtera.core.scoping import region_prefix_q
from sejahtera.training.models import Trainee
from sejahtera.training.selectors.placements import PLACEMENT_MONTHS, placed_q
from sejahtera.training.services.trainees import POOR_DESIL
from sejahtera.welfare.selectors import aggregate_scopes

AGE_GROUPS = ((25, "15-24"), (35, "25-34"), (45, "35-44"), (55, "45-54"))
OLDEST_GROUP = "55+"
DIMENSIONS = ("month", "kecamatan", "sex", "age_group", "education")
FIGURES = ("trainees", "completed", "certified", "placed")


def age_group(year: int):
    """The age group reached by 31 December of ``year``, from the birth date."""
    whens = [When(person__birth_date__gt=datetime.date(year - age, 12, 31), then=Value(label))
             for age, label in AGE_GROUPS]
    return Case(*whens, default=Value(OLDEST_GROUP), output_field=CharField())


def dimension(name: str, year: int):
    return {"month": ExtractMonth("batch__starts_on"), "kecamatan": Substr("desa_code", 1, 6),
            "sex": F("person__sex"), "age_group": age_group(year), "education": F("person__education")}[name]


def figures() -> dict:
    conditions = {"trainees": Q(), "completed": Q(status=Trainee.Status.COMPLETED),
                  "certified": Q(status=Trainee.Status.COMPLETED) & ~Q(certificate_number=""),
                  "placed": placed_q(PLACEMENT_MONTHS)}
    poor = Q(desil__lte=POOR_DESIL)
    counts = {}
    for name, condition in conditions.items():
        counts[name] = Count("id", filter=condition) if condition else Count("id")
        counts[f"poor_{name}"] = Count("id", filter=condition & poor)
    return counts


def trainee_rows(user, year: int):
    q = region_prefix_q("desa_code", aggregate_scopes(user)) if getattr(user, "is_authenticated", False) else None
    if q is None:
        return Trainee.objects.none()
    return Trainee.objects.filter(q, batch__starts_on__year=year, accepted_at__isnull=False)


def training_statistics(user, year: int) -> dict:
    """``{"total": {figure: n}, "month": [{"key": 1, figure: n, ...}], "kecamatan": [...], ...}``."""
    rows = trainee_rows(user, year)
    result = {"year": year, "total": {k: v for k, v in rows.aggregate(**figures()).items()}}
    for name in DIMENSIONS:
        grouped = rows.annotate(key=dimension(name, year)).values("key").annotate(**figures()).order_by("key")
        result[name] = list(grouped)
    return result
