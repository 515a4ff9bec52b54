"""Access tokens, recorded survey uploads (idempotency) and partner lookups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token of one user. Only a SHA-256 of the secret is kept; the secret is shown once.

    The token a client sends is ``gn_<prefix>_<secret>``: the prefix finds the row (indexed), the hash of the
    whole token is compared in constant time.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("label"), max_length=100, blank=True)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} — {self.name or self.prefix}"

    def is_usable(self, now: object = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)  # type: ignore[operator]


class SurveyUpload(models.Model):
    """One survey the offline app uploaded, kept under its idempotency key: a retry gets the first answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=100)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey upload")
        verbose_name_plural = _("survey uploads")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_upload_per_key_and_user")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"


class PartnerLookup(models.Model):
    """One status check by a partner institution: who, when, why, and what was looked up (masked)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner")
    )
    token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=300)
    citizen_id_masked = models.CharField(_("citizen ID (masked)"), max_length=12)
    # The household's village path when the person was found ("" when not): the commune and the province
    # see the lookups of their people through it.
    unit_path = models.CharField(max_length=400, blank=True, db_index=True)
    found = models.BooleanField(_("found"), default=False)
    status = models.CharField(_("status answered"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("partner lookup")
        verbose_name_plural = _("partner lookups")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.at:%Y-%m-%d %H:%M}: {self.citizen_id_masked}"
