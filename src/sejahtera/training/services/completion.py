"""The completion rule and certificate numbers.

A trainee completes only with attendance of at least ``ATTENDANCE_MIN_PERCENT`` of the batch's
days. The batch's days are the days on which attendance was taken for the batch (any trainee);
a trainee without a row for such a day was absent. Certificate numbers run per regency and year
of completion, ``BLK-3201-2026-00012``, from a counter row locked while a number is taken.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from sejahtera.training.models import Attendance, CertificateSequence, Trainee

ATTENDANCE_MIN_PERCENT = 80
CERTIFICATE_FORMAT = "BLK-{regency}-{year}-{serial:05d}"


def attendance_counts(trainee: Trainee) -> tuple[int, int]:
    """(days the trainee was present, days attendance was taken for the batch)."""
    days = Attendance.objects.filter(trainee__batch_id=trainee.batch_id).values("day").distinct().count()
    present = Attendance.objects.filter(trainee=trainee).aggregate(n=Count("id", filter=Q(present=True)))["n"]
    return present, days


def meets_attendance(present: int, days: int) -> bool:
    return days > 0 and present * 100 >= ATTENDANCE_MIN_PERCENT * days


def check_attendance(trainee: Trainee) -> None:
    present, days = attendance_counts(trainee)
    if days == 0:
        raise ValidationError(_("No attendance has been recorded for %(batch)s.") % {"batch": trainee.batch},
                              code="no_attendance")
    if not meets_attendance(present, days):
        raise ValidationError(
            _("%(name)s attended %(present)d of %(days)d days (%(percent)d%%); completing the course needs "
              "%(minimum)d%%.") % {"name": trainee.person.name, "present": present, "days": days,
                                   "percent": present * 100 // days, "minimum": ATTENDANCE_MIN_PERCENT},
            code="attendance")


def next_certificate_number(regency_code: str, year: int) -> str:
    """Take the next serial of ``regency_code`` and ``year`` (call inside a transaction)."""
    sequence, _created = CertificateSequence.objects.select_for_update().get_or_create(
        regency_code=regency_code, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return CERTIFICATE_FORMAT.format(regency=regency_code, year=year, serial=sequence.last)
