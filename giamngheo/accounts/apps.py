from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "giamngheo.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from giamngheo.accounts.middleware import session_stamp_at_login

        # Django's own login hook: the session's start is stamped in the login's own session write.
        user_logged_in.connect(session_stamp_at_login, dispatch_uid="giamngheo_session_stamp")
