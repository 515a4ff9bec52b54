"""The levels of Vietnam's administrative tree, as data (since 1 July 2025: province → commune → village)."""

from django.db import migrations

LEVELS = [
    # code, name_vi, name_en, rank, parent levels, aliases, legacy
    ("province", "tỉnh", "province", 1, [], ["tỉnh", "thành phố trực thuộc trung ương", "thành phố", "tp"], False),
    ("district", "huyện", "district", 2, ["province"], ["huyện", "quận", "thị xã", "thành phố thuộc tỉnh"], True),
    ("commune", "xã", "commune", 3, ["province", "district"], ["xã", "phường", "thị trấn", "đặc khu"], False),
    ("village", "thôn", "village", 4, ["commune"], ["thôn", "xóm", "bản", "ấp", "tổ dân phố", "tdp", "khu phố", "làng", "buôn", "sóc", "tổ"], False),
]


def add_levels(apps, schema_editor):
    UnitLevel = apps.get_model("units", "UnitLevel")
    for code, name_vi, name_en, rank, parents, aliases, legacy in LEVELS:
        UnitLevel.objects.update_or_create(
            code=code,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "rank": rank,
                "parent_levels": parents,
                "aliases": aliases,
                "is_legacy": legacy,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(add_levels, migrations.RunPython.noop)]
