"""Applications of seekers to vacancies, their messages, and in-app notifications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    """applied -> shortlisted -> invited -> hired; rejected (with a reason) or withdrawn on the way."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        INVITED = "invited", _("Invited to interview")
        HIRED = "hired", _("Hired")
        REJECTED = "rejected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    vacancy = models.ForeignKey("careers.Vacancy", verbose_name=_("vacancy"), on_delete=models.PROTECT,
                                related_name="applications")
    seeker = models.ForeignKey("careers.JobSeeker", verbose_name=_("job seeker"), on_delete=models.PROTECT,
                               related_name="applications")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    cover_letter = models.TextField(_("cover letter"), blank=True)
    rejection_reason = models.CharField(_("reason"), max_length=255, blank=True)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    shortlisted_at = models.DateTimeField(_("shortlisted at"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    interview_at = models.DateTimeField(_("interview at"), null=True, blank=True)
    hired_at = models.DateTimeField(_("hired at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-applied_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["vacancy", "seeker"], name="application_once_per_vacancy")]
        indexes = [
            models.Index(fields=["seeker", "applied_at"], name="application_seeker"),
            models.Index(fields=["vacancy", "status"], name="application_vacancy_status"),
        ]

    def __str__(self) -> str:
        return f"{self.seeker_id} -> {self.vacancy_id} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.HIRED, self.Status.REJECTED, self.Status.WITHDRAWN)


class ApplicationMessage(models.Model):
    """A message between the seeker and the employer about one application."""

    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sender"), on_delete=models.PROTECT,
                               related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["application", "created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"], name="message_application")]

    def __str__(self) -> str:
        return f"{self.sender_id}: {self.body[:40]}"


class Notification(models.Model):
    """An in-app notification; unread while ``read_at`` is empty."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="career_notifications")
    text = models.CharField(_("text"), max_length=255)
    url = models.CharField(_("link"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user"),
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.text
