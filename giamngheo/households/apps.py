from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "giamngheo.households"
    label = "households"
    verbose_name = _("Household register")

    def ready(self) -> None:
        from giamngheo.households.services import households_follow_their_village
        from giamngheo.units.services import unit_moved

        unit_moved.connect(households_follow_their_village, dispatch_uid="households_follow_their_village")
