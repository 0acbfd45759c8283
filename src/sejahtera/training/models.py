"""BLK vocational training: courses, batches, trainees and their attendance.

A course is what the Balai Latihan Kerja teaches (a vocation, a KBJI 2014 occupation, hours);
a batch is one run of it (dates, capacity, instructor, place). Persons of the registry apply
to a batch while it is open; ``batch_select`` accepts up to the capacity by priority (members of
poor families, then the unemployed, then application order) and waitlists the rest. Attendance
is one row per trainee and day; completion needs the attendance rule of the services, and a
competent trainee gets a certificate number. A batch may belong to a cycle of the
``pelatihan-blk`` programme; the linked batches' capacities together stay within the cycle's quota.

Internships (magang): an employer of the career center offers slots (openings, months, a
stipend); Disnaker assigns persons within the openings; an internship ends completed, dropped or
converted into a job, recorded as a career-center ``Placement``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sejahtera.core.models import TimeStampedModel


class Course(TimeStampedModel):
    regency_code = models.CharField(_("regency code"), max_length=4)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=150)
    vocation = models.CharField(_("vocation"), max_length=100,
                                help_text=_("The field of work, e.g. welding, sewing, automotive."))
    kbji_code = models.CharField(_("KBJI 2014 occupation code"), max_length=10, blank=True)
    hours = models.PositiveIntegerField(_("training hours"))
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["regency_code", "name"]
        indexes = [models.Index(fields=["regency_code", "is_active", "name"], name="course_regency_active")]
        constraints = [
            models.UniqueConstraint(fields=["regency_code", "code"], name="course_unique_code"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="course_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingBatch(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for registration")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="batches")
    label = models.CharField(_("label"), max_length=40, help_text=_("e.g. 2026-1"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(_("capacity"))
    instructor = models.CharField(_("instructor"), max_length=120, blank=True)
    desa_code = models.CharField(_("village code of the training place"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    cycle = models.ForeignKey("programs.Cycle", verbose_name=_("programme cycle"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="training_batches",
                              help_text=_("A cycle of the BLK training programme this batch belongs to."))

    class Meta:
        verbose_name = _("training batch")
        verbose_name_plural = _("training batches")
        ordering = ["-starts_on", "id"]
        indexes = [
            models.Index(fields=["course", "starts_on"], name="batch_course_start"),
            models.Index(fields=["status", "starts_on"], name="batch_status_start"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["course", "label"], name="batch_unique_label"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="batch_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="batch_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.label}"


class Trainee(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        ATTENDING = "attending", _("Attending")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped")

    # Statuses that hold a place in the batch.
    HOLDING = (Status.ACCEPTED, Status.ATTENDING, Status.COMPLETED)
    # Statuses that keep a person busy for the batch's dates.
    BUSY = (Status.ACCEPTED, Status.ATTENDING)

    batch = models.ForeignKey(TrainingBatch, verbose_name=pgettext_lazy("training", "batch"),
                              on_delete=models.PROTECT, related_name="trainees")
    person = models.ForeignKey("registry.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="trainings")
    desa_code = models.CharField(_("village code when applying"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    priority = models.PositiveIntegerField(_("priority (1 = first)"), null=True, blank=True)
    priority_reason = models.CharField(_("priority reason"), max_length=200, blank=True)
    desil = models.PositiveSmallIntegerField(_("desil when selected"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    competent = models.BooleanField(_("competent"), null=True, blank=True,
                                    help_text=_("Empty until the competency assessment."))
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)
    dropped_at = models.DateTimeField(_("dropped at"), null=True, blank=True)
    dropped_reason = models.CharField(_("reason for dropping"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["batch", "priority", "applied_at", "id"]
        indexes = [
            models.Index(fields=["batch", "status", "priority"], name="trainee_batch_status"),
            models.Index(fields=["person", "status"], name="trainee_person_status"),
            models.Index(fields=["desa_code"], name="trainee_desa"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["batch", "person"], name="trainee_one_per_person_and_batch"),
            models.UniqueConstraint(fields=["certificate_number"], condition=~Q(certificate_number=""),
                                    name="trainee_unique_certificate"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {self.person_id} · {self.get_status_display()}"


class Attendance(models.Model):
    trainee = models.ForeignKey(Trainee, verbose_name=_("trainee"), on_delete=models.CASCADE,
                                related_name="attendance")
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["trainee", "day"]
        constraints = [models.UniqueConstraint(fields=["trainee", "day"], name="attendance_one_per_trainee_day")]

    def __str__(self) -> str:
        return f"{self.trainee_id} {self.day} {'present' if self.present else 'absent'}"


class CertificateSequence(models.Model):
    """The last certificate serial issued per regency and year (locked while a number is taken)."""

    regency_code = models.CharField(_("regency code"), max_length=4)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("certificate sequence")
        verbose_name_plural = _("certificate sequences")
        constraints = [models.UniqueConstraint(fields=["regency_code", "year"], name="certificate_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.regency_code} {self.year}: {self.last}"


class InternshipSlot(TimeStampedModel):
    """Places for interns (magang) at an employer of the career center, with a monthly stipend."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    employer = models.ForeignKey("careers.Employer", verbose_name=_("employer"), on_delete=models.PROTECT,
                                 related_name="internship_slots")
    title = models.CharField(_("title"), max_length=150)
    kbji_code = models.CharField(_("KBJI 2014 occupation code"), max_length=10, blank=True)
    openings = models.PositiveIntegerField(_("openings"))
    months = models.PositiveSmallIntegerField(_("duration (months)"))
    stipend = models.PositiveIntegerField(_("stipend (Rp/month)"), default=0)
    starts_on = models.DateField(_("starts on"))
    desa_code = models.CharField(_("village code of the workplace"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("internship slot")
        verbose_name_plural = _("internship slots")
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["status", "starts_on"], name="slot_status_start"),
                   models.Index(fields=["desa_code"], name="slot_desa")]
        constraints = [
            models.CheckConstraint(condition=Q(openings__gt=0), name="slot_openings_positive"),
            models.CheckConstraint(condition=Q(months__gt=0), name="slot_months_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer_id})"


class Internship(models.Model):
    class Status(models.TextChoices):
        MATCHED = "matched", _("Matched")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CONVERTED = "converted", _("Converted to a job")
        DROPPED = "dropped", _("Dropped")

    # Statuses that take one of the slot's openings.
    HOLDING = (Status.MATCHED, Status.ACTIVE, Status.COMPLETED, Status.CONVERTED)

    slot = models.ForeignKey(InternshipSlot, verbose_name=_("slot"), on_delete=models.PROTECT,
                             related_name="internships")
    person = models.ForeignKey("registry.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="internships")
    desa_code = models.CharField(_("village code when matched"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.MATCHED)
    matched_at = models.DateTimeField(_("matched at"))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    placement = models.OneToOneField("careers.Placement", verbose_name=_("job after the internship"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="internship")
    dropped_reason = models.CharField(_("reason for dropping"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        ordering = ["slot", "matched_at", "id"]
        indexes = [models.Index(fields=["slot", "status"], name="internship_slot_status"),
                   models.Index(fields=["person", "status"], name="internship_person_status"),
                   models.Index(fields=["desa_code"], name="internship_desa")]
        constraints = [
            models.UniqueConstraint(fields=["slot", "person"], name="internship_one_per_person_and_slot"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(started_on__isnull=False,
                                                                          ended_on__gte=F("started_on")),
                                   name="internship_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.person_id} · {self.get_status_display()}"
