"""Bearer tokens: create (the secret shown once), find by the secret a client sends, list, revoke."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.api.models import ApiToken
from giamngheo.errors import InputError

PREFIX = "gn"
MAX_DAYS = 3650
# Writing "last used" on every request would cost a write per call: once a minute is precise enough.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token the client sends; never stored


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str = "", days: int | None = 90) -> NewToken:
    """A new token for ``user``, valid ``days`` days (None: until revoked)."""
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise InputError.single(
            f"Số ngày hiệu lực phải từ 1 đến {MAX_DAYS}",
            f"The number of days must be between 1 and {MAX_DAYS}",
            column="--days",
        )
    if not user.is_active:
        raise InputError.single(
            f"Tài khoản {user.username} đã bị khóa", f"User {user.username} is inactive", column="--user"
        )
    prefix = secrets.token_hex(6)
    secret = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    expires = timezone.now() + datetime.timedelta(days=days) if days is not None else None
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=prefix, secret_hash=_hash(secret), expires_at=expires
    )
    return NewToken(token=token, secret=secret)


def token_find(secret: str) -> ApiToken | None:
    """The usable token whose secret this is (with its user and unit), or None; notes when it was used."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__unit", "user__unit__level")
        .filter(prefix=parts[1])
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    now = timezone.now()
    if not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
