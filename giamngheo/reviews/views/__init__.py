"""Pages of the annual review, one module per step: ``rounds`` (the rounds, a round's page and standard, its
list of households, Mẫu số 01), ``screening`` (Phiếu A), ``surveys`` (Phiếu B), ``meetings`` (the village
meeting), ``posting`` (public posting, complaints and re-checks), ``decision`` (the decision, certificates,
the summary, the official lists), and what they share (``common``). The URLs name them through this package.

Thin: each finds the round through a scoped selector (404 outside the user's reach), checks the permission
for the action (403), then calls one service or selector.
"""

from giamngheo.reviews.views.decision import (
    certificate_one,
    certificates,
    certificates_docx,
    decision,
    decision_document,
    list_download,
    lists,
    summary,
)
from giamngheo.reviews.views.meetings import meeting_minutes, meeting_new
from giamngheo.reviews.views.posting import complaint_recheck, complaints, posting_new, posting_notice
from giamngheo.reviews.views.rounds import (
    entry_add,
    entry_defer,
    request_form,
    round_detail,
    round_list,
    round_seed,
    round_standard,
    round_village,
)
from giamngheo.reviews.views.screening import phieu_a_form, phieu_a_live
from giamngheo.reviews.views.surveys import phieu_b_form, phieu_b_live

__all__ = [
    "round_list",
    "round_detail",
    "round_standard",
    "round_seed",
    "entry_add",
    "round_village",
    "entry_defer",
    "request_form",
    "phieu_a_form",
    "phieu_a_live",
    "phieu_b_form",
    "phieu_b_live",
    "meeting_new",
    "meeting_minutes",
    "posting_new",
    "posting_notice",
    "complaints",
    "complaint_recheck",
    "decision",
    "certificates",
    "certificates_docx",
    "certificate_one",
    "summary",
    "decision_document",
    "lists",
    "list_download",
]
