from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
        unit = unit_update(unit=Unit.objects.get(pk=obj.pk), data=data) if change else unit_create(data=data)
        if obj.successor_id != unit.successor_id:
            unit.successor_id = obj.successor_id
            unit.save(update_fields=["successor"])
        obj.pk = unit.pk
