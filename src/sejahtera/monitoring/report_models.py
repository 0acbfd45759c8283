"""The narrative of an agency's quarterly report (e-Monev): its texts, its budget lines, its status.

The figures of the report (targets, realisations, achievement) are not stored here: they are read
from the indicators when the report is built (``monitoring.report_selectors``), so a corrected
realisation shows in the next download. What only people can say is stored: the problems, the
drivers and obstacles, the follow-up, and, per programme of the agency, a budget figure entered by
hand where Sejahtera's own (see ``report_selectors.budget_lines``) is not the right one.

Imported at the end of ``monitoring.models`` so that Django finds the models of the app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class QuarterlyReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    regency_code = models.CharField(_("regency code"), max_length=4)
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="quarterly_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    problems = models.TextField(_("problems"), blank=True)
    drivers = models.TextField(_("driving factors"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("last edited by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("last edited at"), auto_now=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-year", "-quarter", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["regency_code", "agency", "year", "quarter"],
                                    name="quarterly_report_one_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="quarterly_report_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} Q{self.quarter}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class QuarterlyBudgetLine(models.Model):
    """A programme's budget figures entered by hand for a report; empty fields keep the derived ones."""

    report = models.ForeignKey(QuarterlyReport, verbose_name=_("report"), on_delete=models.CASCADE,
                               related_name="budget_lines")
    programme = models.ForeignKey("programs.Programme", verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="+")
    planned = models.PositiveBigIntegerField(_("budget for the year (Rp)"), null=True, blank=True)
    used = models.PositiveBigIntegerField(_("budget used up to the quarter's end (Rp)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["report", "programme"]
        constraints = [
            models.UniqueConstraint(fields=["report", "programme"], name="budget_line_one_per_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.programme_id}"
