"""Administrative units: a tree of any depth with a stored path, levels as data, validity and merges.

Why a stored path: every read in the system is scoped to "this unit and everything below it". With the
path ``/42/439/18133/`` stored on each unit (and copied onto big tables later), that scope is one indexed
prefix match (``path LIKE '/42/439/%'``), whatever the depth — no recursive query, no per-object
permission rows. Paths are built from official codes, which are stable and readable in exports.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamngheo.common.language import is_english


class Area(models.TextChoices):
    RURAL = "rural", _("Rural")
    URBAN = "urban", _("Urban")


class UnitLevel(models.Model):
    """A kind of unit (province, district, commune, village) — data, so the tree has no fixed depth."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64)
    # Lower rank is higher in the tree; used to order and to sanity-check imports.
    rank = models.PositiveSmallIntegerField(_("rank"))
    # Level codes a unit of this level may hang under; empty = a root level.
    parent_levels = models.JSONField(_("allowed parent levels"), default=list, blank=True)
    # Words used in names and files for this level ("xã", "phường", "thôn", "tổ dân phố"…).
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    # Levels kept only for history (districts were abolished on 1 July 2025).
    is_legacy = models.BooleanField(_("legacy level"), default=False)

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("unit level")
        verbose_name_plural = _("unit levels")

    def __str__(self) -> str:
        return self.name_vi

    @property
    def name_local(self) -> str:
        """The level's name in the language of the current request."""
        return self.name_en if is_english() else self.name_vi


class Unit(models.Model):
    code = models.CharField(_("official code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.ForeignKey(
        UnitLevel, on_delete=models.PROTECT, related_name="units", verbose_name=_("level")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(_("path"), max_length=400, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False)
    area = models.CharField(_("area"), max_length=8, choices=Area.choices, default=Area.RURAL)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # Set when the unit was merged into another: its figures roll up to the successor.
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        verbose_name=_("merged into"),
    )
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["path"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        indexes = [
            # (path is unique: Django also gives it a varchar_pattern_ops index on PostgreSQL, which is what
            # LIKE 'prefix%' needs whatever the database collation.)
            models.Index(fields=["parent", "sort_order"], name="unit_children"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level.name_vi} {self.name}" if self.level_id else self.name

    @property
    def display_name(self) -> str:
        """ "Xã Sơn Trung" — the level word capitalised, as on official documents."""
        word = self.level.name_local
        return f"{word[:1].upper()}{word[1:]} {self.name}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def contains(self, other: Unit) -> bool:
        return other.path.startswith(self.path)


class UnitMove(models.Model):
    """A unit given a new parent (``units.services.unit_update``). The unit's history holds the same change;
    this table lets the figures find, in one small query, the villages that came into a unit from another
    commune: their households' past decided results belong to that commune's review rounds."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="moves", verbose_name=_("unit"))
    old_parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("moved from")
    )
    new_parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("moved to")
    )
    moved_at = models.DateTimeField(_("moved at"), auto_now_add=True)
    moved_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["moved_at", "id"]
        verbose_name = _("unit move")
        verbose_name_plural = _("unit moves")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.old_parent_id} → {self.new_parent_id}"
