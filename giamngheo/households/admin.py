"""Administration: the register itself is edited through its pages (services, history, scope); the
administrator gets the audit trail of who looked at full citizen IDs and who exported household lists (with
full or masked citizen IDs)."""

from django.contrib import admin

from giamngheo.households.models import CitizenIdExport, CitizenIdReveal


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # an audit trail is not edited from the admin


@admin.register(CitizenIdExport)
class CitizenIdExportAdmin(_ReadOnly):
    list_display = ("at", "user", "unit", "year", "file_format", "full_citizen_ids", "rows")
    list_filter = ("full_citizen_ids", "file_format")
    list_select_related = ("user", "unit")
    date_hierarchy = "at"
    search_fields = ("user__username", "unit__name", "unit__code")
    readonly_fields = list_display


@admin.register(CitizenIdReveal)
class CitizenIdRevealAdmin(_ReadOnly):
    list_display = ("at", "user", "member")
    list_select_related = ("user", "member")
    date_hierarchy = "at"
    search_fields = ("user__username", "member__full_name")
    readonly_fields = ("at", "user", "member")
