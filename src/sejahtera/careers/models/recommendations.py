"""Stored recommendations (the nightly batch) and the log of profile changes the match cache follows.

``Recommendation`` holds each active seeker's top vacancies as ``careers.batch.recommend_all``
computed them, replaced as a whole on every run.

``MatchingChange`` is one row per change of what the matcher knows of a seeker or a vacancy (the
seeker, their skills, certificates, work experience, desired occupations and work areas; the
vacancy and its skills; the employer's verification for its vacancies). The services of the career
center write it explicitly, right after their own write and in the same transaction, through
``careers.matching_log`` (``seekers_changed``, ``vacancies_changed``, ``employer_changed``, and
``everything_changed`` after bulk writes); no signal receivers. ``careers.recommend`` keeps the
profiles of every seeker and vacancy in memory per process and reads this log (one indexed query
per request) to rebuild only what changed, also in other processes. Code that writes these models
without a service must call ``matching_log`` itself (or the caches see the change only at their
daily rebuild).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Recommendation(models.Model):
    seeker = models.ForeignKey("careers.JobSeeker", verbose_name=_("job seeker"), on_delete=models.CASCADE,
                               related_name="+")
    vacancy = models.ForeignKey("careers.Vacancy", verbose_name=_("vacancy"), on_delete=models.CASCADE,
                                related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["seeker", "rank"]
        constraints = [models.UniqueConstraint(fields=["seeker", "rank"], name="careers_recommendation_rank")]

    def __str__(self) -> str:
        return f"{self.seeker_id} #{self.rank}: {self.vacancy_id} ({self.score:g})"


class MatchingChange(models.Model):
    class Kind(models.TextChoices):
        SEEKER = "s", _("Job seeker")
        VACANCY = "v", _("Vacancy")

    kind = models.CharField(_("kind"), max_length=1, choices=Kind.choices)
    object_id = models.BigIntegerField(_("object id"))  # -1: every one of its kind
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("matching change")
        verbose_name_plural = _("matching changes")

