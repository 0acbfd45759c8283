"""Administration of the career center for system staff.

Seekers, employers, vacancies, applications and placements are shown read-only: changes go
through the audited services (and the portal pages built on them). Skills can be tidied here.
"""

from django.contrib import admin

from sejahtera.careers import models as m


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "normalized"]
    search_fields = ["normalized"]
    readonly_fields = ["normalized"]


class CertificateInline(admin.TabularInline):
    model = m.Certificate
    extra = 0


class WorkExperienceInline(admin.TabularInline):
    model = m.WorkExperience
    extra = 0


class DesiredOccupationInline(admin.TabularInline):
    model = m.DesiredOccupation
    extra = 0


class WorkAreaInline(admin.TabularInline):
    model = m.WorkArea
    extra = 0


@admin.register(m.JobSeeker)
class JobSeekerAdmin(ReadOnlyAdmin):
    list_display = ["ak1_number", "desa_code", "education", "status", "ak1_valid_until", "created_at"]
    list_filter = ["status", "education"]
    search_fields = ["ak1_number"]
    exclude = ["person"]  # the NIK and registry data stay in the registry's own pages
    inlines = [CertificateInline, WorkExperienceInline, DesiredOccupationInline, WorkAreaInline]


class EmployerMemberInline(admin.TabularInline):
    model = m.EmployerMember
    extra = 0


@admin.register(m.Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ["name", "nib", "kbli_code", "desa_code", "status", "verified_at"]
    list_filter = ["status"]
    search_fields = ["name", "nib"]
    inlines = [EmployerMemberInline]


@admin.register(m.Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    list_display = ["title", "employer", "kbji_code", "kecamatan_code", "status", "openings", "deadline"]
    list_filter = ["status", "employment_type"]
    search_fields = ["title", "employer__name"]


@admin.register(m.Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["seeker", "vacancy", "status", "applied_at"]
    list_filter = ["status"]


@admin.register(m.Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["seeker", "employer_label", "position", "contract_type", "start_date", "confirmed_at"]
    list_filter = ["contract_type"]
    exclude = ["person"]


@admin.register(m.Ak1Sequence)
class Ak1SequenceAdmin(ReadOnlyAdmin):
    list_display = ["regency_code", "year", "last_serial"]
