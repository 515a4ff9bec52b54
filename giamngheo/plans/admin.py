"""Plans in the administration site (read and correct; the pages are where communes work)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from giamngheo.plans.models import IndicatorTarget, Plan, PlanTemplate, VillageTarget


class VillageTargetInline(admin.TabularInline):
    model = VillageTarget
    fields = ("village", "poor_reduction", "near_poor_reduction")
    readonly_fields = ("village",)
    extra = 0
    can_delete = False


class IndicatorTargetInline(admin.StackedInline):
    model = IndicatorTarget
    fields = ("sort_order", "measure", "text", "definition", "target_percent")
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ("commune", "year", "assigned_poor_rate", "assigned_near_poor_rate", "updated_at")
    list_filter = ("year",)
    search_fields = ("commune__name", "commune__code")
    readonly_fields = ("commune", "year", "baseline_round", "version")
    inlines = [VillageTargetInline, IndicatorTargetInline]


@admin.register(PlanTemplate)
class PlanTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("commune", "title", "updated_at")
    readonly_fields = ("commune", "version")
