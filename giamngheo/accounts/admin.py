from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from giamngheo.accounts.models import User


@admin.register(User)
class GiamngheoUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    autocomplete_fields = ("unit",)
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Work"), {"fields": ("full_name", "role", "unit")}),
    )
