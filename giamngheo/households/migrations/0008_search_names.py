"""``Household.search_text`` becomes "| head name| code| member name…" (names and words start after a
separator, so "a name starting with" and "a word starting with" are substrings), and prefix indexes on the
heads' and members' folded names. Existing rows are rewritten here with a frozen copy of the rule."""

import re
import unicodedata

from django.db import migrations, models


def _fold(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", stripped).strip().lower()


def _text(code, head_name, member_names):
    head = _fold(head_name)
    tokens = [head, _fold(code)]
    parts = [part for part in re.split(r"[^0-9a-z]+", _fold(code)) if part]
    if len(parts) > 1:
        tokens += parts
    for name in member_names:
        folded = _fold(name)
        if folded and folded not in tokens:
            tokens.append(folded)
    return "".join("| " + token for token in tokens)[:1000]


def rewrite_search_text(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    Member = apps.get_model("households", "Member")
    last = 0
    while True:
        batch = list(Household.objects.filter(pk__gt=last).order_by("pk").values("pk", "code", "head_name")[:2000])
        if not batch:
            return
        last = batch[-1]["pk"]
        names = {}
        for household_id, full_name in (
            Member.objects.filter(household_id__in=[h["pk"] for h in batch])
            .order_by("household_id", "pk")
            .values_list("household_id", "full_name")
        ):
            names.setdefault(household_id, []).append(full_name)
        rows = [
            Household(pk=h["pk"], search_text=_text(h["code"], h["head_name"], names.get(h["pk"], [])))
            for h in batch
        ]
        Household.objects.bulk_update(rows, ["search_text"])


class Migration(migrations.Migration):

    dependencies = [
        ('households', '0007_status_name_index'),
        ('units', '0002_levels'),
    ]

    operations = [
        migrations.RunPython(rewrite_search_text, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='household',
            index=models.Index(fields=['search_text'], name='household_name_prefix', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['search_text'], name='member_name_prefix', opclasses=['varchar_pattern_ops']),
        ),
    ]
