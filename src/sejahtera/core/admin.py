from django.contrib import admin

from sejahtera.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "region_code", "channel"]
    list_filter = ["action", "object_type", "channel"]
    search_fields = ["object_id", "region_code", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
