"""Labels shown for movements (spec §5) and official lists, translatable (English message ids)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from giamngheo.standards.transitions import Transition

MOVEMENT_LABELS = {
    Transition.ESCAPED_POVERTY.value: _("Escaped poverty"),
    Transition.ESCAPED_TO_NEAR_POOR.value: _("Escaped poverty, now near-poor"),
    Transition.ESCAPED_NEAR_POVERTY.value: _("Escaped near-poverty"),
    Transition.NEWLY_POOR.value: _("Newly poor"),
    Transition.NEWLY_NEAR_POOR.value: _("Newly near-poor"),
    Transition.FELL_BACK_POOR.value: _("Fell back into poverty"),
    Transition.FELL_BACK_NEAR_POOR.value: _("Fell back into near-poverty"),
    Transition.NEAR_POOR_TO_POOR.value: _("Near-poor, now poor"),
    Transition.STAYED_POOR.value: _("Still poor"),
    Transition.STAYED_NEAR_POOR.value: _("Still near-poor"),
    Transition.STAYED_OFF_LISTS.value: _("Not on the lists"),
}

# Titles of the official lists, in the order the commune publishes them.
LIST_TITLES = {
    "poor": _("List of poor households"),
    "near_poor": _("List of near-poor households"),
    "escaped_poverty": _("List of households that escaped poverty"),
    "escaped_near_poverty": _("List of households that escaped near-poverty"),
    "newly": _("List of newly poor and near-poor households"),
    "fell_back": _("List of households that fell back into poverty or near-poverty"),
}

# Short names of the steps, for the progress strip of each household (phones have little room).
FLOW_LABELS = {
    10: _("Listed"),
    20: _("Phiếu A"),
    30: _("Phiếu B"),
    40: _("Meeting"),
    50: _("Posted"),
    60: _("Decided"),
}
