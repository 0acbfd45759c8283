"""Writes of BLK training: courses, batches, trainees, attendance, completion; internships.

Every function takes keyword arguments with ``actor`` first, checks that the actor is Disnaker
staff for the region concerned, runs in one transaction and writes the audit log. Selection and
attendance are set-based statements.
"""

from sejahtera.training.services.access import disnaker_scopes, is_disnaker_staff, require_disnaker_staff
from sejahtera.training.services.attendance import attendance_record
from sejahtera.training.services.completion import ATTENDANCE_MIN_PERCENT, next_certificate_number
from sejahtera.training.services.courses import (
    PROGRAMME_CODE,
    batch_create,
    batch_finish,
    batch_open,
    batch_start,
    course_create,
    course_update,
)
from sejahtera.training.services.internships import (
    internship_assign,
    internship_complete,
    internship_convert,
    internship_drop,
    internship_start,
    slot_create,
)
from sejahtera.training.services.trainees import (
    POOR_DESIL,
    SelectionResult,
    batch_select,
    trainee_apply,
    trainee_complete,
    trainee_drop,
)

__all__ = [
    "ATTENDANCE_MIN_PERCENT", "POOR_DESIL", "PROGRAMME_CODE", "SelectionResult", "attendance_record",
    "batch_create", "batch_finish", "batch_open", "batch_select", "batch_start", "course_create", "course_update",
    "disnaker_scopes", "internship_assign", "internship_complete", "internship_convert", "internship_drop",
    "internship_start", "is_disnaker_staff", "next_certificate_number", "require_disnaker_staff", "slot_create",
    "trainee_apply", "trainee_complete", "trainee_drop",
]
