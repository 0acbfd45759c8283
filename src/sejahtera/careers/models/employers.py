"""Employers (pemberi kerja): companies verified by Disnaker before their vacancies go public."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sejahtera.careers.validators import validate_desa_code, validate_kbli_code, validate_nib
from sejahtera.core.models import TimeStampedModel


class Employer(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=150)
    nib = models.CharField(_("NIB (Nomor Induk Berusaha)"), max_length=13, unique=True, validators=[validate_nib])
    kbli_code = models.CharField(_("sector (KBLI 2020)"), max_length=5, validators=[validate_kbli_code])
    address = models.CharField(_("address"), max_length=250)
    desa_code = models.CharField(_("village code"), max_length=10, validators=[validate_desa_code])
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    contact_email = models.EmailField(_("contact email"), blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("user accounts"),
                                   through="EmployerMember", related_name="employers", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "desa_code"], name="employer_status_desa")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                                   name="employer_rejection_has_reason"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class EmployerMember(models.Model):
    """A user account acting for an employer on the portal."""

    employer = models.ForeignKey(Employer, verbose_name=_("employer"), on_delete=models.CASCADE,
                                 related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="employer_memberships")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer account")
        verbose_name_plural = _("employer accounts")
        constraints = [models.UniqueConstraint(fields=["employer", "user"], name="employer_member_once")]
        indexes = [models.Index(fields=["user", "employer"], name="employer_member_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.employer}"
