"""Reads of BLK training. Every function takes the user, so scoping cannot be forgotten."""

from sejahtera.training.selectors.internships import interns, slot_list
from sejahtera.training.selectors.lists import (
    AttendanceSheet,
    SheetRow,
    attendance_sheet,
    batch_get,
    batch_list,
    course_list,
    trainees,
)
from sejahtera.training.selectors.placements import PLACEMENT_MONTHS, add_months, batch_placements
from sejahtera.training.selectors.statistics import training_statistics

__all__ = [
    "PLACEMENT_MONTHS", "AttendanceSheet", "SheetRow", "add_months", "attendance_sheet", "batch_get", "batch_list",
    "batch_placements", "course_list", "interns", "slot_list", "trainees",
    "training_statistics",
]
