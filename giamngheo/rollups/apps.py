from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    name = "giamngheo.rollups"
    label = "rollups"
    verbose_name = _("Status rollups")

    def ready(self) -> None:
        from giamngheo.reviews.services import round_decided
        from giamngheo.rollups.services import rollup_round_apply

        round_decided.connect(rollup_round_apply, dispatch_uid="rollup_round_apply")
