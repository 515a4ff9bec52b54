"""The number filters of the pages are written once; every app's template library offers the same ones."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from giamngheo.common import filters
from giamngheo.reviews.templatetags import reviews_tags
from giamngheo.support.templatetags import support_tags


def test_an_amount_is_written_the_vietnamese_way_by_default_and_the_english_way_when_chosen():
    with translation.override("vi"):
        assert filters.vnd(1_500_000) == "1.500.000" and filters.pct(Decimal("3.3")) == "3,30%"
    with translation.override("en"):
        assert filters.vnd(1_500_000) == "1,500,000" and filters.pct("3.30") == "3.30%"


def test_an_amount_that_does_not_exist_is_a_dash_on_every_page():
    for library in (reviews_tags, support_tags):
        vnd = library.register.filters["vnd"]
        assert vnd(None) == "—" and vnd("") == "—" and vnd(0) == "0"
    assert support_tags.register.filters["pct"](None) == "—"
