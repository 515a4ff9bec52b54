from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "giamngheo.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from giamngheo.accounts.middleware import session_limits_start

        # Stamp the session's start with the login's own session save: no extra write on the next page.
        user_logged_in.connect(session_limits_start, dispatch_uid="giamngheo.session_limits_start")
