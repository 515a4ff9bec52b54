"""Read-only administration of submitted progress reports (every write goes through ``reports.services``)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from giamngheo.reports.models import ProgressReport
from giamngheo.support.admin import ReadOnly


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("unit", "period", "version", "state", "submitted_by", "submitted_at", "decided_by")
    list_filter = ("state",)
    exclude = ("data",)
