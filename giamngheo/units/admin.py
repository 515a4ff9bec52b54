from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from giamngheo.errors import InputError
from giamngheo.units.models import Unit, UnitLevel
from giamngheo.units.services import UnitData, unit_create, unit_update


@admin.register(UnitLevel)
class UnitLevelAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "rank", "is_legacy")


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "parent", "area", "valid_from", "valid_to", "successor")
    list_filter = ("level", "area")
    search_fields = ("code", "name", "search_text")
    autocomplete_fields = ("parent", "successor")
    readonly_fields = ("path", "depth")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):  # type: ignore[no-untyped-def]
        # The services refuse some changes (a unit under its own village, a move the data under it does not
        # allow): the admin's transaction is rolled back and the reason shown on the form, not a 500.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except InputError as error:
            self.message_user(request, str(error), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # Writes go through the services, which derive the path and check the tree.
        data = UnitData(
            code=obj.code,
            name=obj.name,
            level=obj.level,
            parent=obj.parent,
            area=obj.area,
            sort_order=obj.sort_order,
            valid_from=obj.valid_from,
            valid_to=obj.valid_to,
        )
        if change:
            unit = unit_update(unit=Unit.objects.get(pk=obj.pk), data=data, actor=request.user)
        else:
            unit = unit_create(data=data)
        if obj.successor_id != unit.successor_id:
            unit.successor_id = obj.successor_id
            unit.save(update_fields=["successor"])
        obj.pk = unit.pk
