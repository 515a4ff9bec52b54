"""The levels of Vietnam's administrative tree, as data (see ``giamngheo/units/levels.py``)."""

from django.db import migrations

from giamngheo.units.levels import levels_ensure


def add_levels(apps, schema_editor):
    levels_ensure(apps.get_model("units", "UnitLevel"))


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(add_levels, migrations.RunPython.noop)]
