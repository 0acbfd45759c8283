"""Indicators of the regional plan, their targets and realisations, and the scorecard thresholds.

An indicator is measured for a region (the regency, a kecamatan or a desa, by its Kemendagri code
without dots) down to its ``level``. Its realisations are either entered by hand (with a source and,
where there is one, an evidence file) or computed from the system's own data by
``monitoring.computations`` (``computed`` rows, rewritten by every refresh). A hand-entered row takes
precedence: a refresh never overwrites it, and it is never computed over.

Targets belong to a plan period (an RPJMD) and a year; a region may have its own target.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EvidenceStorage(FileSystemStorage):
    """Evidence files under the data folder (``SEJAHTERA_DATA_DIR/evidence``), where the web server
    and the task worker both reach them. ``SEJAHTERA_EVIDENCE_DIR`` moves them (read at each use)."""

    @property
    def base_location(self):
        configured = getattr(settings, "SEJAHTERA_EVIDENCE_DIR", None)
        return str(configured or Path(settings.DATA_DIR) / "evidence")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def evidence_storage() -> EvidenceStorage:
    return EvidenceStorage()


class PlanPeriod(models.Model):
    """A five-year plan (RPJMD) whose targets are set per year."""

    regency_code = models.CharField(_("regency code"), max_length=4)
    name = models.CharField(_("name"), max_length=60, help_text=_("e.g. RPJMD 2025-2029"))
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        verbose_name = _("plan period")
        verbose_name_plural = _("plan periods")
        ordering = ["regency_code", "start_year"]
        constraints = [
            models.UniqueConstraint(fields=["regency_code", "name"], name="plan_period_unique_name"),
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="plan_period_years"),
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class Indicator(models.Model):
    class Unit(models.TextChoices):
        PERCENT = "percent", _("percent")
        PERSONS = "persons", _("persons")
        FAMILIES = "families", _("families")
        COUNT = "count", _("count")

    class Polarity(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Level(models.TextChoices):
        REGENCY = "regency", _("Regency")
        KECAMATAN = "kecamatan", _("District")
        DESA = "desa", _("Village")

    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Computed from Sejahtera's data")
        MANUAL = "manual", _("Entered by hand")

    class Accumulation(models.TextChoices):
        SUM = "sum", _("Sum of the year's periods")
        LATEST = "latest", _("Latest period of the year")

    regency_code = models.CharField(_("regency code"), max_length=4)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    polarity = models.CharField(_("polarity"), max_length=6, choices=Polarity.choices, default=Polarity.HIGHER)
    level = models.CharField(_("lowest level measured"), max_length=10, choices=Level.choices,
                             default=Level.REGENCY)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    accumulation = models.CharField(
        _("a year's value"), max_length=6, choices=Accumulation.choices, default=Accumulation.SUM,
        help_text=_("Counts of events add up over the year; rates and stocks take the latest period."))
    computation = models.CharField(_("computation"), max_length=60, blank=True,
                                   help_text=_("The key in monitoring.computations, for computed indicators."))
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("owner agency"), on_delete=models.PROTECT,
                               related_name="indicators")
    description = models.TextField(_("description"), blank=True)
    source = models.TextField(_("source"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="manual") | ~Q(computation=""),
                                   name="indicator_computed_has_computation"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_computed(self) -> bool:
        return self.kind == self.Kind.COMPUTED


LEVEL_CODE_LENGTH = {Indicator.Level.REGENCY: 4, Indicator.Level.KECAMATAN: 6, Indicator.Level.DESA: 10}


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE,
                                  related_name="targets")
    plan_period = models.ForeignKey(PlanPeriod, verbose_name=_("plan period"), on_delete=models.PROTECT,
                                    related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    region_code = models.CharField(_("region code"), max_length=10)
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    source = models.TextField(_("source"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "plan_period", "year", "region_code"],
                                    name="target_unique_per_year_and_region"),
        ]
        indexes = [models.Index(fields=["region_code", "year"], name="target_region_year")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} {self.region_code}: {self.value}"


class Realisation(models.Model):
    class PeriodKind(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE,
                                  related_name="realisations")
    region_code = models.CharField(_("region code"), max_length=10)
    period_kind = models.CharField(pgettext_lazy("monitoring", "period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period starts on"))
    value = models.DecimalField(_("realisation"), max_digits=18, decimal_places=4)
    source = models.TextField(_("source"), blank=True)
    evidence = models.FileField(_("evidence file"), upload_to="%Y/", storage=evidence_storage, blank=True,
                                max_length=200)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+", db_constraint=False)
    entered_at = models.DateTimeField(_("entered at"))
    computed = models.BooleanField(_("computed"), default=False)

    class Meta:
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        ordering = ["indicator", "period_start", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "region_code", "period_kind", "period_start"],
                                    name="realisation_one_per_period"),
        ]
        indexes = [models.Index(fields=["region_code", "period_start"], name="realisation_region_period")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.region_code} {self.period_kind} {self.period_start}: {self.value}"


class ScorecardThreshold(models.Model):
    """The traffic-light thresholds of a regency's scorecard (achievement in %)."""

    DEFAULT_GREEN = 90
    DEFAULT_YELLOW = 60

    regency_code = models.CharField(_("regency code"), max_length=4, unique=True)
    green_from = models.DecimalField(_("green from (%)"), max_digits=6, decimal_places=2, default=DEFAULT_GREEN)
    yellow_from = models.DecimalField(_("yellow from (%)"), max_digits=6, decimal_places=2, default=DEFAULT_YELLOW)

    class Meta:
        verbose_name = _("scorecard thresholds")
        verbose_name_plural = _("scorecard thresholds")
        constraints = [
            models.CheckConstraint(condition=Q(green_from__gt=models.F("yellow_from")), name="threshold_order"),
        ]

    def __str__(self) -> str:
        return f"{self.regency_code}: {self.green_from} / {self.yellow_from}"


class CoverageSummary(models.Model):
    """Current welfare scores counted per desa, desil and poverty flag, with how many of those
    families receive a programme (``programs.analytics``'s definition): what the dashboards read for
    programme coverage, instead of counting 1.7 million scores per request. Rewritten for the regency
    by every monitoring refresh (``monitoring.coverage``)."""

    regency_code = models.CharField(_("regency code"), max_length=4)
    desa_code = models.CharField(_("village code"), max_length=10)
    desil = models.PositiveSmallIntegerField(_("desil"))
    is_poor = models.BooleanField(_("below the poverty line"))
    families = models.PositiveIntegerField(_("families"))
    receiving = models.PositiveIntegerField(_("families receiving a programme"))
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("coverage summary")
        verbose_name_plural = _("coverage summaries")
        indexes = [models.Index(fields=["regency_code", "desa_code"], name="coverage_summary_region")]

    def __str__(self) -> str:
        return f"{self.desa_code} desil {self.desil}: {self.receiving}/{self.families}"


from sejahtera.monitoring.report_models import QuarterlyBudgetLine, QuarterlyReport  # noqa: E402, F401
