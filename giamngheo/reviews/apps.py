from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "giamngheo.reviews"
    label = "reviews"
    verbose_name = _("Poverty reviews")

    def ready(self) -> None:
        from giamngheo.reviews.services import open_rounds_keep_their_villages
        from giamngheo.units.services import unit_moved

        unit_moved.connect(open_rounds_keep_their_villages, dispatch_uid="open_rounds_keep_their_villages")
