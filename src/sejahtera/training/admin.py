from django.contrib import admin

from sejahtera.training.models import (
    Attendance,
    CertificateSequence,
    Course,
    Internship,
    InternshipSlot,
    Trainee,
    TrainingBatch,
)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "vocation", "kbji_code", "hours", "is_active", "regency_code"]
    list_filter = ["is_active", "regency_code"]
    search_fields = ["code", "name", "vocation", "kbji_code"]


@admin.register(TrainingBatch)
class TrainingBatchAdmin(admin.ModelAdmin):
    list_display = ["course", "label", "starts_on", "ends_on", "capacity", "status", "desa_code", "cycle"]
    list_filter = ["status", "course"]
    search_fields = ["label", "course__name", "instructor"]
    raw_id_fields = ["cycle"]
    date_hierarchy = "starts_on"


@admin.register(Trainee)
class TraineeAdmin(admin.ModelAdmin):
    list_display = ["batch", "person", "status", "priority", "priority_reason", "competent", "certificate_number"]
    list_filter = ["status", "competent"]
    search_fields = ["certificate_number", "person__name"]
    raw_id_fields = ["batch", "person"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["trainee", "day", "present", "recorded_by"]
    list_filter = ["present"]
    raw_id_fields = ["trainee", "recorded_by"]
    date_hierarchy = "day"


@admin.register(CertificateSequence)
class CertificateSequenceAdmin(admin.ModelAdmin):
    list_display = ["regency_code", "year", "last"]


@admin.register(InternshipSlot)
class InternshipSlotAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "openings", "months", "stipend", "starts_on", "status"]
    list_filter = ["status"]
    search_fields = ["title", "employer__name", "kbji_code"]
    raw_id_fields = ["employer"]


@admin.register(Internship)
class InternshipAdmin(admin.ModelAdmin):
    list_display = ["slot", "person", "status", "started_on", "ended_on", "placement"]
    list_filter = ["status"]
    raw_id_fields = ["slot", "person", "placement"]
