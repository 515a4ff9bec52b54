from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Files at the floor: the PDF/XLSX writers every feature renders with, and documents prepared in the
    background (``DocumentJob``)."""

    name = "giamngheo.documents"
    label = "documents"
    verbose_name = _("Documents")
