"""Vacancies (lowongan): draft -> submitted -> verified -> open -> closed or filled."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sejahtera.careers.validators import validate_desa_code, validate_kbji_code
from sejahtera.core.models import TimeStampedModel
from sejahtera.registry.choices import Education


class Vacancy(TimeStampedModel):
    """A job offer. Only ``open`` vacancies before their deadline are public.

    ``kecamatan_code`` repeats the first 6 digits of ``desa_code`` so the public search filters
    by kecamatan on an index.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        FILLED = "filled", _("Filled")

    class EmploymentType(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        PART_TIME = "part_time", _("Part-time")
        CONTRACT = "contract", _("Contract")
        INTERNSHIP = "internship", _("Internship")

    employer = models.ForeignKey("careers.Employer", verbose_name=_("employer"), on_delete=models.PROTECT,
                                 related_name="vacancies")
    title = models.CharField(_("title"), max_length=150)
    kbji_code = models.CharField(_("occupation (KBJI 2014)"), max_length=7, validators=[validate_kbji_code])
    description = models.TextField(_("description"))
    min_education = models.PositiveSmallIntegerField(_("minimum education"), choices=Education.choices,
                                                     null=True, blank=True)
    majors = models.CharField(_("majors"), max_length=250, blank=True,
                              help_text=_("Accepted majors, separated by commas; empty: any major."))
    skills = models.ManyToManyField("careers.Skill", verbose_name=_("skills"), blank=True, related_name="vacancies")
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    min_experience_months = models.PositiveSmallIntegerField(_("minimum experience (months)"), default=0)
    desa_code = models.CharField(_("village code"), max_length=10, validators=[validate_desa_code])
    kecamatan_code = models.CharField(_("kecamatan code"), max_length=6, editable=False)
    wage_min = models.PositiveIntegerField(_("minimum wage (Rp/month)"), null=True, blank=True)
    wage_max = models.PositiveIntegerField(_("maximum wage (Rp/month)"), null=True, blank=True)
    openings = models.PositiveSmallIntegerField(_("openings"), default=1)
    deadline = models.DateField(_("application deadline"))
    employment_type = models.CharField(_("employment type"), max_length=12, choices=EmploymentType.choices,
                                       default=EmploymentType.FULL_TIME)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_note = models.CharField(_("verification note"), max_length=255, blank=True,
                                   help_text=_("Why Disnaker sent the vacancy back, if it did."))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    filled_at = models.DateTimeField(_("filled at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="vacancy_status_deadline"),
            models.Index(fields=["status", "kecamatan_code", "deadline"], name="vacancy_status_kecamatan"),
            models.Index(fields=["status", "kbji_code"], name="vacancy_status_kbji"),
            models.Index(fields=["employer", "status"], name="vacancy_employer_status"),
            models.Index(fields=["status", "desa_code"], name="vacancy_status_desa"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(openings__gt=0), name="vacancy_openings_positive"),
            models.CheckConstraint(
                condition=Q(wage_min__isnull=True) | Q(wage_max__isnull=True) | Q(wage_min__lte=F("wage_max")),
                name="vacancy_wage_range"),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_min__lte=F("age_max")),
                name="vacancy_age_range"),
            models.CheckConstraint(condition=Q(age_min__isnull=True) | Q(age_min__gte=15),
                                   name="vacancy_age_min_working_age"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.kecamatan_code = self.desa_code[:6]
        super().save(*args, **kwargs)

    @property
    def major_list(self) -> list[str]:
        return [m.strip() for m in self.majors.split(",") if m.strip()]
