"""``giamngheo api token create --user NAME [--days N] [--name LABEL]`` (the new token alone on the last line
of standard output), ``giamngheo api token list [--user NAME]``, ``giamngheo api token revoke PREFIX``."""

from __future__ import annotations

from typing import Any

from giamngheo.accounts.models import User
from giamngheo.api.models import ApiToken
from giamngheo.api.tokens import token_create, token_revoke
from giamngheo.common.command import GiamngheoCommand
from giamngheo.errors import InputError


def _user(name: str) -> User:
    user = User.objects.filter(username=name).first()
    if user is None:
        raise InputError.single(f"Không có tài khoản “{name}”", f"No user named “{name}”", column="--user")
    return user


class Command(GiamngheoCommand):
    help = "API tokens: create (shown once), list, revoke."

    def add_arguments(self, parser: Any) -> None:
        groups = parser.add_subparsers(dest="noun", required=True)
        token = groups.add_parser("token", help="bearer tokens")
        verbs = token.add_subparsers(dest="verb", required=True)
        create = verbs.add_parser("create", help="a new token; printed once, alone on the last line")
        create.add_argument("--user", required=True)
        create.add_argument("--days", type=int, default=90, help="valid for N days (default 90)")
        create.add_argument("--name", default="", help="a label to recognise it by")
        listing = verbs.add_parser("list", help="tokens (of one user, or everybody's)")
        listing.add_argument("--user")
        revoke = verbs.add_parser("revoke", help="revoke a token by the prefix `list` shows")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "create":
            new = token_create(user=_user(options["user"]), name=options["name"], days=options["days"])
            expires = f"{new.token.expires_at:%Y-%m-%d}" if new.token.expires_at else "—"
            self.stdout.write(
                f"Mã truy cập mới của {new.token.user.username} (hết hạn {expires}); chỉ hiện một lần / "
                f"new token for {new.token.user.username} (expires {expires}); shown once:"
            )
            self.stdout.write(new.secret)
        elif verb == "list":
            tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
            if options.get("user"):
                tokens = tokens.filter(user=_user(options["user"]))
            self.stdout.write("prefix\tuser\tname\tcreated\texpires\tlast_used\tstate")
            for t in tokens:
                state = "revoked" if t.revoked_at else ("active" if t.is_usable() else "expired")
                self.stdout.write(
                    "\t".join(
                        [
                            t.prefix,
                            t.user.username,
                            t.name,
                            f"{t.created_at:%Y-%m-%d %H:%M}",
                            f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "",
                            f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "",
                            state,
                        ]
                    )
                )
        else:
            prefix = options["prefix"].removeprefix("gn_").split("_", 1)[0]
            token = ApiToken.objects.filter(prefix=prefix).first()
            if token is None:
                raise InputError.single(
                    f"Không có mã truy cập bắt đầu bằng “{prefix}”",
                    f"No token starts with “{prefix}”",
                    column="prefix",
                )
            token_revoke(token=token)
            self.stdout.write(f"Đã thu hồi / revoked: {token.prefix}")
