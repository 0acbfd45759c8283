"""Proxy-means-test models (versioned, one active per regency), poverty lines and welfare scores."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PmtModel(models.Model):
    """A versioned PMT: ``intercept + sum(coefficient * variable)`` predicts log monthly consumption
    per capita. At most one model is active per regency; scoring uses the active one.

    ``calibration`` holds where the model comes from and how well it targets. Keys (all optional,
    older models carry fewer): ``source``, ``method``; ``sample`` {``file``, ``rows``};
    ``split`` {``train``, ``held_out``, ``held_out_share``, ``seed``}; ``train`` {``r2``,
    ``rmse_log``}; ``held_out`` {``n``, ``r2``, ``rmse_log``, ``cutoff_share`` (0.4),
    ``inclusion_error`` (share of those ranked poor who are not poor), ``exclusion_error`` (share
    of the poor not ranked poor)}; ``means`` {variable: mean on the training sample}, the
    reference a family's explanation compares against.
    """

    regency_code = models.CharField(_("regency code"), max_length=4)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=False)
    intercept = models.FloatField(_("intercept"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    notes = models.TextField(_("notes"), blank=True)
    calibration = models.JSONField(_("source and calibration report"), default=dict, blank=True)

    class Meta:
        verbose_name = _("PMT model")
        verbose_name_plural = _("PMT models")
        ordering = ["regency_code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["regency_code", "version"], name="pmt_model_unique_version"),
            models.UniqueConstraint(fields=["regency_code"], condition=models.Q(is_active=True),
                                    name="pmt_model_one_active_per_regency"),
        ]

    def __str__(self) -> str:
        return f"{self.regency_code} v{self.version} {self.name}"


class PmtCoefficient(models.Model):
    """One variable's weight; the variable names are the keys of ``sejahtera.welfare.pmt.VARIABLES``."""

    model = models.ForeignKey(PmtModel, verbose_name=_("PMT model"), on_delete=models.CASCADE,
                              related_name="coefficients")
    variable = models.CharField(_("variable"), max_length=40)
    value = models.FloatField(_("coefficient"))

    class Meta:
        verbose_name = _("PMT coefficient")
        verbose_name_plural = _("PMT coefficients")
        ordering = ["model", "variable"]
        constraints = [models.UniqueConstraint(fields=["model", "variable"], name="pmt_coefficient_unique")]

    def __str__(self) -> str:
        return f"{self.variable}={self.value:+.4f}"


class PovertyLine(models.Model):
    """A monthly per-capita poverty line of a regency for a year, with where the figure comes from."""

    class Kind(models.TextChoices):
        POVERTY = "poverty", _("Poverty line")
        EXTREME = "extreme", _("Extreme-poverty line")

    regency_code = models.CharField(_("regency code"), max_length=4)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.PositiveIntegerField(_("amount (Rp per capita per month)"))
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("poverty line")
        verbose_name_plural = _("poverty lines")
        ordering = ["regency_code", "kind", "-year"]
        constraints = [models.UniqueConstraint(fields=["regency_code", "year", "kind"], name="poverty_line_unique")]

    def __str__(self) -> str:
        return f"{self.regency_code} {self.year} {self.kind}: Rp{self.amount:,}"


class WelfareScore(models.Model):
    """A family's PMT score. Rescoring adds a row and turns the previous one's ``is_current`` off.

    ``rank_in_regency`` (1 = poorest) and ``desil`` of the current rows are regency-wide and are
    recomputed for every current row whenever any family of the regency is rescored. Families with
    the same predicted consumption are ranked by family id, so every rank is distinct.
    """

    # Scoring inserts a row per family in one statement, from registry_family itself: database-level
    # foreign-key checks would add 1.7 million deferred trigger calls at commit. Deletes still cascade
    # (family) or are refused (model) by Django.
    family = models.ForeignKey("registry.Family", verbose_name=_("family"), on_delete=models.CASCADE,
                               related_name="welfare_scores", db_constraint=False)
    model = models.ForeignKey(PmtModel, verbose_name=_("PMT model"), on_delete=models.PROTECT, related_name="scores",
                              db_constraint=False, db_index=False)
    regency_code = models.CharField(_("regency code"), max_length=4)
    desa_code = models.CharField(_("village code"), max_length=10, default="")
    members = models.PositiveSmallIntegerField(_("members"), default=0)
    scored_at = models.DateTimeField(_("scored at"))
    log_predicted = models.FloatField(_("predicted log consumption per capita"))
    predicted_per_capita = models.PositiveIntegerField(_("predicted monthly consumption per capita (Rp)"))
    rank_in_regency = models.PositiveIntegerField(_("rank in regency (1 = poorest)"))
    desil = models.PositiveSmallIntegerField(_("desil"))
    is_poor = models.BooleanField(_("below the poverty line"), default=False)
    is_extremely_poor = models.BooleanField(_("below the extreme-poverty line"), default=False)
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        verbose_name = _("welfare score")
        verbose_name_plural = _("welfare scores")
        ordering = ["family", "-scored_at", "-id"]
        # Few indexes, each maintained for every scored family: the family's history (the foreign
        # key's index), its current score (the unique constraint), and the family list's desil filter.
        indexes = [models.Index(fields=["desil", "family"], condition=models.Q(is_current=True),
                                name="welfare_current_desil")]
        constraints = [
            models.UniqueConstraint(fields=["family"], condition=models.Q(is_current=True),
                                    name="welfare_score_one_current_per_family"),
            models.CheckConstraint(condition=models.Q(desil__gte=1, desil__lte=10), name="welfare_score_desil_range"),
        ]

    def __str__(self) -> str:
        return f"{self.family_id} desil {self.desil}"


class DesilSummary(models.Model):
    """Current scores counted per desa, desil, poverty flags and model: what the distribution pages
    read. Rewritten for the regency at the end of every scoring run, so no page counts 1.7 million
    scores. ``persons`` are the members counted when the families were scored."""

    regency_code = models.CharField(_("regency code"), max_length=4)
    desa_code = models.CharField(_("village code"), max_length=10)
    desil = models.PositiveSmallIntegerField(_("desil"))
    is_poor = models.BooleanField(_("below the poverty line"))
    is_extremely_poor = models.BooleanField(_("below the extreme-poverty line"))
    model = models.ForeignKey(PmtModel, verbose_name=_("PMT model"), on_delete=models.CASCADE, related_name="+")
    families = models.PositiveIntegerField(_("families"))
    persons = models.PositiveIntegerField(_("persons"))
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("desil summary")
        verbose_name_plural = _("desil summaries")
        indexes = [models.Index(fields=["regency_code", "desa_code"], name="desil_summary_region")]

    def __str__(self) -> str:
        return f"{self.desa_code} desil {self.desil}: {self.families}"
