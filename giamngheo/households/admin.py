"""Administration: the register itself is edited through its pages (services, history, scope); the
administrator gets the audit trail of who looked at full citizen IDs."""

from django.contrib import admin

from giamngheo.households.models import CitizenIdReveal


@admin.register(CitizenIdReveal)
class CitizenIdRevealAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "member")
    list_select_related = ("user", "member")
    date_hierarchy = "at"
    search_fields = ("user__username", "member__full_name")
    readonly_fields = ("at", "user", "member")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
