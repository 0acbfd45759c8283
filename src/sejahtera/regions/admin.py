from django.contrib import admin

from sejahtera.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "desa_type", "is_current"]
    list_filter = ["level", "is_current"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def has_delete_permission(self, request, obj=None):
        return False
