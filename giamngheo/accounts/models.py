"""Users, their role and the one unit each works in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamngheo.units.models import Unit


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Commune poverty-reduction officer")
    VILLAGE_HEAD = "village_head", _("Village head")
    MASS_ORGANISATION = "mass_organisation", _("Mass organisation member")
    STEERING_MEMBER = "steering_member", _("Steering committee member")
    # Chủ tịch UBND xã: issues the decision the commune officer prepared (separation of duties, issue 17 D).
    COMMUNE_CHAIRMAN = "commune_chairman", _("Chairman of the commune People's Committee")
    PROVINCE_VIEWER = "province_viewer", _("Province viewer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    # An institution that checks people's status through the API only (a bank, health insurance, a school).
    PARTNER = "partner", _("Partner institution (status lookup)")


# Roles that may change data in their unit; the others only read.
EDITING_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.VILLAGE_HEAD, Role.SYSTEM_ADMIN})


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.COMMUNE_OFFICER)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("unit"),
        help_text=_("The user sees this unit and everything below it."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_system_admin(self) -> bool:
        return self.is_superuser or self.role == Role.SYSTEM_ADMIN

    @property
    def can_edit(self) -> bool:
        return self.is_active and self.role in EDITING_ROLES

    def display(self) -> str:
        return self.full_name or self.username
