"""Administration: every user's tokens (revoke), and every partner lookup — including those that found nobody,
which no commune or province sees."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from giamngheo.api.models import ApiToken, PartnerLookup
from giamngheo.api.tokens import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "name", "prefix")
    readonly_fields = ("user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    exclude = ("secret_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # created with `giamngheo api token create` or on the user's page: shown once

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token_revoke(token=token)


@admin.register(PartnerLookup)
class PartnerLookupAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "purpose", "citizen_id_masked", "found", "status", "unit_path")
    list_select_related = ("user",)
    list_filter = ("found", "status")
    date_hierarchy = "at"
    search_fields = ("user__username", "purpose", "unit_path")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
