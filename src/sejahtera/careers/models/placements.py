"""Placements: a seeker who started a job, through the portal or outside it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sejahtera.careers.validators import validate_kbji_code


class Placement(models.Model):
    """A job a seeker started. The training app records placements of its graduates here too.

    ``employer`` is empty for a job with an employer not on the portal: ``employer_name`` names
    it. A placement can be confirmed (still working) from 3 months after ``start_date``.
    Scoped by the seeker's desa (``seeker__desa_code``).
    """

    class ContractType(models.TextChoices):
        PERMANENT = "permanent", _("Permanent (PKWTT)")
        FIXED_TERM = "fixed_term", _("Fixed-term (PKWT)")
        DAILY = "daily", _("Daily or casual")
        SELF_EMPLOYED = "self_employed", _("Self-employed")

    person = models.ForeignKey("registry.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="placements")
    seeker = models.ForeignKey("careers.JobSeeker", verbose_name=_("job seeker"), on_delete=models.PROTECT,
                               related_name="placements")
    employer = models.ForeignKey("careers.Employer", verbose_name=_("employer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="placements")
    employer_name = models.CharField(_("employer name"), max_length=150, blank=True,
                                     help_text=_("For an employer not registered on the portal."))
    vacancy = models.ForeignKey("careers.Vacancy", verbose_name=_("vacancy"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="placements")
    application = models.OneToOneField("careers.Application", verbose_name=_("application"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="placement")
    position = models.CharField(_("position"), max_length=150)
    kbji_code = models.CharField(_("occupation (KBJI 2014)"), max_length=7, blank=True,
                                 validators=[validate_kbji_code])
    contract_type = models.CharField(_("contract type"), max_length=15, choices=ContractType.choices)
    wage = models.PositiveIntegerField(_("wage (Rp/month)"), null=True, blank=True)
    start_date = models.DateField(_("start date"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True,
                                        help_text=_("Still working 3 months after the start."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["start_date"], name="placement_start"),
            models.Index(fields=["employer", "start_date"], name="placement_employer"),
            models.Index(fields=["seeker", "start_date"], name="placement_seeker"),
            models.Index(fields=["person", "start_date"], name="placement_person"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(employer__isnull=False) | ~Q(employer_name=""),
                                   name="placement_names_employer"),
        ]

    def __str__(self) -> str:
        return f"{self.position} ({self.employer_name or self.employer_id}) {self.start_date}"

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer_id else self.employer_name
