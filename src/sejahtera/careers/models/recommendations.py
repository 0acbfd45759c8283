"""Stored recommendations (the nightly batch) and the log of profile changes the match cache follows.

``Recommendation`` holds each active seeker's top vacancies as ``careers.batch.recommend_all``
computed them, replaced as a whole on every run.

``MatchingChange`` is one row per change of what the matcher knows of a seeker or a vacancy (the
seeker, their skills, certificates, work experience, desired occupations and work areas; the
vacancy and its skills), written by the signal receivers below whatever code makes the change.
``careers.recommend`` keeps the profiles of every seeker and vacancy in memory per process and
reads this log (one indexed query per request) to rebuild only what changed, also in other
processes. Writes that send no signals (``bulk_create``, ``QuerySet.update``) must call
``careers.recommend.forget`` or be followed by ``sejahtera recommend_vacancies`` (which clears the
caches of its own process only; other processes rebuild everything each day).
"""

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
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


# Changes seen in this process since the match cache last looked: kind -> ids (-1: all).
LOCAL_CHANGES: dict[str, set[int]] = {MatchingChange.Kind.SEEKER: set(), MatchingChange.Kind.VACANCY: set()}
EVERY = -1


def record_change(kind: str, ids) -> None:
    ids = {int(i) for i in ids if i is not None}
    if not ids:
        return
    LOCAL_CHANGES[kind].update(ids)
    MatchingChange.objects.bulk_create([MatchingChange(kind=kind, object_id=i) for i in sorted(ids)])


def _seeker_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        seeker_id = instance.pk if sender.__name__ == "JobSeeker" else instance.seeker_id
        record_change(MatchingChange.Kind.SEEKER, [seeker_id])


def _vacancy_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        record_change(MatchingChange.Kind.VACANCY, [instance.pk])


def _employer_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # its vacancies go public or private with its verification
        from sejahtera.careers.models.vacancies import Vacancy

        record_change(MatchingChange.Kind.VACANCY, Vacancy.objects.filter(employer_id=instance.pk)
                      .values_list("pk", flat=True))


def _skills_changed(kind, model_name):
    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            record_change(kind, [instance.pk])
        else:  # skill.seekers / skill.vacancies changed
            record_change(kind, pk_set if pk_set is not None else [EVERY])
    receiver.__name__ = f"_{model_name}_skills_changed"
    return receiver


def connect() -> None:
    from sejahtera.careers.models.seekers import Certificate, DesiredOccupation, JobSeeker, WorkArea, WorkExperience
    from sejahtera.careers.models.employers import Employer
    from sejahtera.careers.models.vacancies import Vacancy

    post_save.connect(_employer_changed, sender=Employer, dispatch_uid="careers-match-Employer-save")
    for model in (JobSeeker, Certificate, DesiredOccupation, WorkArea, WorkExperience):
        post_save.connect(_seeker_changed, sender=model, dispatch_uid=f"careers-match-{model.__name__}-save")
        post_delete.connect(_seeker_changed, sender=model, dispatch_uid=f"careers-match-{model.__name__}-delete")
    post_save.connect(_vacancy_changed, sender=Vacancy, dispatch_uid="careers-match-Vacancy-save")
    post_delete.connect(_vacancy_changed, sender=Vacancy, dispatch_uid="careers-match-Vacancy-delete")
    m2m_changed.connect(_skills_changed(MatchingChange.Kind.SEEKER, "seeker"), sender=JobSeeker.skills.through,
                        weak=False, dispatch_uid="careers-match-seeker-skills")
    m2m_changed.connect(_skills_changed(MatchingChange.Kind.VACANCY, "vacancy"), sender=Vacancy.skills.through,
                        weak=False, dispatch_uid="careers-match-vacancy-skills")


connect()
