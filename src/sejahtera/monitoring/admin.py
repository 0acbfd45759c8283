from django.contrib import admin

from sejahtera.monitoring.models import Indicator, PlanPeriod, Realisation, ScorecardThreshold, Target


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "polarity", "level", "kind", "accumulation", "agency", "is_active"]
    list_filter = ["kind", "level", "agency", "is_active"]
    search_fields = ["code", "name"]


@admin.register(PlanPeriod)
class PlanPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start_year", "end_year", "regency_code"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "plan_period", "year", "region_code", "value"]
    list_filter = ["plan_period", "indicator"]
    search_fields = ["region_code"]


@admin.register(Realisation)
class RealisationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "region_code", "period_kind", "period_start", "value", "computed"]
    list_filter = ["computed", "period_kind", "indicator"]
    search_fields = ["region_code"]
    raw_id_fields = ["entered_by"]


@admin.register(ScorecardThreshold)
class ScorecardThresholdAdmin(admin.ModelAdmin):
    list_display = ["regency_code", "green_from", "yellow_from"]
