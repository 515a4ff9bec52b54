"""Read-only administration of the support tracker: for looking things up and auditing (history).

Every write goes through ``services`` (validation, permissions, the ledger's balance lock), so the admin
offers no add, change or delete: the pages of /ho-tro/ are where people record.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from giamngheo.support.models import (
    Activity,
    EscapePlan,
    FundSource,
    LedgerEntry,
    Milestone,
    Organisation,
    OrganisationMember,
    Support,
)


class ReadOnly:
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class MemberInline(ReadOnly, admin.TabularInline):
    model = OrganisationMember
    extra = 0
    fields = ("full_name", "position", "assignment", "village", "user", "active")


class MilestoneInline(ReadOnly, admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ("title", "due_date", "done_on", "note")


@admin.register(Organisation)
class OrganisationAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("name", "kind", "unit", "active")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [MemberInline]


@admin.register(FundSource)
class FundSourceAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("name", "kind", "unit", "donor")
    list_filter = ("kind",)
    search_fields = ("name", "donor")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("date", "source", "entry_type", "signed_amount", "household", "description", "created_by")
    list_filter = ("entry_type", "flow")
    search_fields = ("description", "source__name", "household__code")
    date_hierarchy = "date"
    list_select_related = ("source", "household", "created_by")


@admin.register(Support)
class SupportAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("date", "household", "member", "kind", "form", "status", "amount", "source")
    list_filter = ("kind", "status")
    search_fields = ("household__code", "household__head_name", "member__full_name")
    date_hierarchy = "date"
    list_select_related = ("household", "member", "source")


@admin.register(EscapePlan)
class EscapePlanAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("household", "year", "status_at_start", "group", "organisation", "status")
    list_filter = ("year", "group", "status")
    search_fields = ("household__code", "household__head_name")
    list_select_related = ("household", "organisation")
    inlines = [MilestoneInline]


@admin.register(Activity)
class ActivityAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("date", "kind", "title", "unit", "reach", "organisation")
    list_filter = ("kind",)
    date_hierarchy = "date"
