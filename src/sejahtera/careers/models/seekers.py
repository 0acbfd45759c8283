"""Job seekers (pencari kerja) with their AK/1 card, skills, certificates and experience."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sejahtera.careers.validators import validate_desa_code, validate_kbji_code, validate_kecamatan_code
from sejahtera.core.models import TimeStampedModel
from sejahtera.registry.choices import Education


def normalize_skill(name: str) -> str:
    """The key that makes ``"Microsoft  Excel"`` and ``"microsoft excel"`` one skill."""
    return " ".join(name.split()).casefold()


class Skill(models.Model):
    """A skill (keahlian) named by seekers and vacancies; ``normalized`` keeps it unique."""

    name = models.CharField(_("name"), max_length=80)
    normalized = models.CharField(_("normalized name"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["normalized"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.normalized = normalize_skill(self.name)
        super().save(*args, **kwargs)


class JobSeeker(TimeStampedModel):
    """A registered job seeker: a registry person holding an AK/1 card (kartu kuning).

    ``ak1_number`` reads ``RRRR-YYYY-NNNNNN``: the regency code of the seeker's desa, the year of
    issue and a serial per regency and year (``3201-2026-000123``). ``desa_code`` copies the
    person's desa at registration, for scoping without a join.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Looking for work")
        PLACED = "placed", _("Placed")
        INACTIVE = "inactive", _("Inactive")

    person = models.OneToOneField("registry.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                                  related_name="job_seeker")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("login"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="job_seeker")
    ak1_number = models.CharField(_("AK/1 card number"), max_length=16, unique=True)
    ak1_issued_on = models.DateField(_("AK/1 issued on"))
    ak1_valid_until = models.DateField(_("AK/1 valid until"))
    education = models.PositiveSmallIntegerField(_("education"), choices=Education.choices)
    major = models.CharField(_("major"), max_length=120, blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="seekers")
    expected_wage = models.PositiveIntegerField(_("expected wage (Rp/month)"), null=True, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    consent_at = models.DateTimeField(_("privacy notice accepted at"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+",
                                      help_text=_("Empty when the seeker registered themself."))
    desa_code = models.CharField(_("village code"), max_length=10, validators=[validate_desa_code])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["desa_code", "status"], name="seeker_desa_status"),
            models.Index(fields=["status", "created_at"], name="seeker_status_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ak1_valid_until__gt=models.F("ak1_issued_on")),
                                   name="seeker_ak1_validity_after_issue"),
        ]

    def __str__(self) -> str:
        return self.ak1_number

    @property
    def kecamatan_code(self) -> str:
        return self.desa_code[:6]


class Ak1Sequence(models.Model):
    """The last AK/1 serial issued per regency and year (row-locked while a number is issued)."""

    regency_code = models.CharField(_("regency code"), max_length=4)
    year = models.PositiveSmallIntegerField(_("year"))
    last_serial = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("AK/1 number sequence")
        verbose_name_plural = _("AK/1 number sequences")
        constraints = [models.UniqueConstraint(fields=["regency_code", "year"], name="ak1_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.regency_code}-{self.year}: {self.last_serial}"


class Certificate(models.Model):
    """A certificate the seeker holds (competency, training, language, licence)."""

    seeker = models.ForeignKey(JobSeeker, verbose_name=_("job seeker"), on_delete=models.CASCADE,
                               related_name="certificates")
    name = models.CharField(_("name"), max_length=150)
    issuer = models.CharField(_("issued by"), max_length=150, blank=True)
    number = models.CharField(_("certificate number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["seeker", "-issued_on", "id"]

    def __str__(self) -> str:
        return self.name


class WorkExperience(models.Model):
    """A past or current job; months are stored as the first day of the month."""

    seeker = models.ForeignKey(JobSeeker, verbose_name=_("job seeker"), on_delete=models.CASCADE,
                               related_name="experiences")
    employer_name = models.CharField(_("employer"), max_length=150)
    position = models.CharField(_("position"), max_length=120)
    kbji_code = models.CharField(_("occupation (KBJI 2014)"), max_length=7, blank=True,
                                 validators=[validate_kbji_code])
    started_on = models.DateField(_("from (month)"))
    ended_on = models.DateField(_("until (month)"), null=True, blank=True, help_text=_("Empty: still working there."))

    class Meta:
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")
        ordering = ["seeker", "-started_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="experience_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.position} ({self.employer_name})"

    @property
    def months(self) -> int:
        """Whole months worked, counting both the first and the last month."""
        end = self.ended_on or datetime.date.today()
        return max(0, (end.year - self.started_on.year) * 12 + end.month - self.started_on.month + 1)


class DesiredOccupation(models.Model):
    """An occupation (KBJI 2014 code) the seeker is looking for."""

    seeker = models.ForeignKey(JobSeeker, verbose_name=_("job seeker"), on_delete=models.CASCADE,
                               related_name="desired_occupations")
    kbji_code = models.CharField(_("occupation (KBJI 2014)"), max_length=7, validators=[validate_kbji_code])

    class Meta:
        verbose_name = _("desired occupation")
        verbose_name_plural = _("desired occupations")
        constraints = [models.UniqueConstraint(fields=["seeker", "kbji_code"], name="desired_occupation_once")]
        indexes = [models.Index(fields=["kbji_code"], name="desired_occupation_kbji")]

    def __str__(self) -> str:
        return self.kbji_code


class WorkArea(models.Model):
    """A kecamatan where the seeker is willing to work."""

    seeker = models.ForeignKey(JobSeeker, verbose_name=_("job seeker"), on_delete=models.CASCADE,
                               related_name="work_areas")
    kecamatan_code = models.CharField(_("kecamatan code"), max_length=6, validators=[validate_kecamatan_code])

    class Meta:
        verbose_name = _("work area")
        verbose_name_plural = _("work areas")
        constraints = [models.UniqueConstraint(fields=["seeker", "kecamatan_code"], name="work_area_once")]
        indexes = [models.Index(fields=["kecamatan_code"], name="work_area_kecamatan")]

    def __str__(self) -> str:
        return self.kecamatan_code
