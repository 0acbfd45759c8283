"""Referral offers: a seeker still unplaced after a while is offered a BLK training batch or an internship."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Referral(models.Model):
    """An offer of one training batch or one internship slot to a job seeker, and its outcome.

    Accepting applies the person to the batch (``training.services.trainee_apply``) or assigns the
    slot (``internship_assign``); ``trainee`` or ``internship`` then names the row it made.
    """

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        INTERNSHIP = "internship", _("Internship")

    class Outcome(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    seeker = models.ForeignKey("careers.JobSeeker", verbose_name=_("job seeker"), on_delete=models.PROTECT,
                               related_name="referrals")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    batch = models.ForeignKey("training.TrainingBatch", verbose_name=_("training batch"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="referrals")
    slot = models.ForeignKey("training.InternshipSlot", verbose_name=_("internship slot"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="referrals")
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("offered by"), on_delete=models.PROTECT,
                                   related_name="+")
    offered_at = models.DateTimeField(_("offered at"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OFFERED)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    trainee = models.OneToOneField("training.Trainee", verbose_name=_("trainee"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="referral")
    internship = models.OneToOneField("training.Internship", verbose_name=_("internship"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="referral")

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-offered_at", "-id"]
        indexes = [models.Index(fields=["seeker", "outcome"], name="referral_seeker_outcome")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="training", batch__isnull=False, slot__isnull=True)
                | Q(kind="internship", slot__isnull=False, batch__isnull=True),
                name="referral_kind_matches_target"),
            models.UniqueConstraint(fields=["seeker", "batch"], condition=Q(batch__isnull=False),
                                    name="referral_once_per_batch"),
            models.UniqueConstraint(fields=["seeker", "slot"], condition=Q(slot__isnull=False),
                                    name="referral_once_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.seeker_id} {self.kind} {self.batch_id or self.slot_id} ({self.outcome})"
