"""API of monitoring: indicators, their targets and realisations, manual entry, the scorecard.

Figures only, no personal data, within the user's regions (``monitoring.selectors``): a region
outside them answers 404. Entering a realisation is a multipart form (the evidence file is
optional); who may enter is ``monitoring.services``'s rule (403 otherwise), and a value, period or
region it refuses answers 422. Achievement is ``null`` when target or realisation is missing ("no
data", never 0).
"""

import datetime
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.views.decorators.cache import never_cache
from ninja import Field, File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from sejahtera.api.auth import REGISTRY_AUTH
from sejahtera.api.schemas import ErrorOut
from sejahtera.monitoring import selectors, services
from sejahtera.monitoring.models import Realisation


def service_errors(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            raise HttpError(403, str(error) or "Forbidden") from error
        except ValidationError as error:
            raise HttpError(422, " ".join(error.messages)) from error

    return wrapper


router = Router(auth=REGISTRY_AUTH, tags=["monitoring"])
router.add_decorator(never_cache, mode="view")
router.add_decorator(service_errors, mode="operation")

READ = {404: ErrorOut}


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    polarity: str
    level: str
    kind: str
    accumulation: str
    computation: str
    agency: str = Field(alias="agency.code")
    description: str
    source: str


class TargetOut(Schema):
    plan_period: str = Field(alias="plan_period.name")
    year: int
    region_code: str
    value: float
    source: str


class RealisationOut(Schema):
    indicator: str = Field(alias="indicator.code")
    region_code: str
    period_kind: str
    period_start: datetime.date
    value: float
    source: str
    computed: bool
    evidence: str | None = None
    entered_at: datetime.datetime

    @staticmethod
    def resolve_evidence(row) -> str | None:
        return row.evidence.name or None


class RealisationIn(Schema):
    indicator: str
    region_code: str
    period_kind: Realisation.PeriodKind
    period_start: datetime.date
    value: float
    source: str


class ScorecardRowOut(Schema):
    indicator: str = Field(alias="indicator.code")
    name: str = Field(alias="indicator.name")
    unit: str = Field(alias="indicator.unit")
    polarity: str = Field(alias="indicator.polarity")
    region_code: str
    region_name: str
    year: int
    target: float | None
    target_source: str
    realisation: float | None
    realisation_source: str
    computed: bool
    as_of: datetime.date | None
    achievement: float | None
    light: str


class TrendPointOut(Schema):
    year: int
    target: float | None
    realisation: float | None
    achievement: float | None
    light: str


@router.get("/indicators", response=list[IndicatorOut], summary="Indicators of the plan")
def indicator_list(request):
    return selectors.indicator_list(request.auth)


@router.get("/indicators/{code}", response={200: IndicatorOut, **READ}, summary="One indicator")
def indicator_detail(request, code: str):
    return selectors.indicator_get(request.auth, code)


@router.get("/indicators/{code}/targets", response={200: list[TargetOut], **READ}, summary="Targets of an indicator")
def target_list(request, code: str, region: str | None = None, year: int | None = None):
    """Per year and region, within the user's regions."""
    indicator = selectors.indicator_get(request.auth, code)
    return selectors.target_list(request.auth, indicator, region=region, year=year)


@router.get("/indicators/{code}/realisations", response={200: list[RealisationOut], **READ},
            summary="Realisations of an indicator")
def realisation_list(request, code: str, region: str | None = None, year: int | None = None):
    """Month, quarter and year rows, hand-entered or computed, within the user's regions."""
    indicator = selectors.indicator_get(request.auth, code)
    return selectors.realisation_list(request.auth, indicator, region=region, year=year)


@router.get("/indicators/{code}/trend", response={200: list[TrendPointOut], **READ},
            summary="Target and realisation per year")
def trend(request, code: str, region: str | None = None):
    indicator = selectors.indicator_get(request.auth, code)
    return selectors.trend(request.auth, indicator, region=region)


@router.post("/realisations", response={200: RealisationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Enter a realisation")
def realisation_enter(request, payload: Form[RealisationIn], evidence: File[UploadedFile] = None):
    """Records or corrects the figure of a period (it replaces a computed one). The period starts
    on the first day of its month, quarter or year."""
    indicator = selectors.indicator_get(request.auth, payload.indicator)
    return services.realisation_enter(
        actor=request.auth, indicator=indicator, region_code=payload.region_code, period_kind=payload.period_kind,
        period_start=payload.period_start, value=payload.value, source=payload.source, evidence=evidence)


@router.get("/scorecard", response={200: list[ScorecardRowOut], **READ}, summary="Scorecard of a year")
def scorecard(request, year: int | None = None, region: str | None = None):
    """Every indicator for the region (default: each of the user's regions): target, realisation,
    achievement in % and its light (green, yellow, red, none)."""
    return selectors.scorecard(request.auth, year=year or timezone.localdate().year, region=region)
