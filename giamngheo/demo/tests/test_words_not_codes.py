"""Every page of the demo, as each persona sees it, speaks in words — no snake_case code
(``stayed_near_poor``), no year written with a thousands separator ("2.023", "2,023"), no date written
2023-12-14 instead of 14/12/2023 — in Vietnamese and English.

The crawl starts at the home page and follows the site's own links, breadth first, bounded: at most a few
pages per URL shape (digits replaced), so 1,545 household pages are sampled, not all read.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings

from giamngheo.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PERSONAS = [
    "canbo.sontrung",  # commune officer
    "truongthon.maiha",  # village head
    "canbo.sonhong",  # officer of another commune
    "tinh.hatinh",  # province viewer
    "bcd.sontrung",  # steering committee member
    "hoiphunu.sontrung",  # mass organisation
]
PAGES_PER_PERSONA = 120  # above what any persona reaches today (the officer: about 70 pages)
PAGES_PER_SHAPE = 2
SKIPPED = ("/static/", "/admin/", "/dang-xuat/", "/i18n/")
DOWNLOADS = (".pdf", ".xlsx", ".docx", ".csv", ".zip")  # files, not pages: their text is tested elsewhere

# A code in the visible text; a {placeholder} of the plan's template editor is the template's own syntax.
SNAKE_CASE = re.compile(r"(?<!\{)\b[a-z]+(?:_[a-z0-9]+)+\b(?!\})")
# A year 1990–2099 written with a thousands separator, and not part of a larger number (2.050.000 đồng).
# A date shown the machine's way (2023-12-14) instead of dd/mm/yyyy.
ISO_DATE = re.compile(r"\b(?:19|20)\d\d-\d\d-\d\d\b")
GROUPED_YEAR = re.compile(r"(?<![\d.,])(?:1[.,]99\d|2[.,]0\d\d)(?![\d]|[.,]\d)")


class _Page(HTMLParser):
    """The visible text of a page (no script, style or attributes) and its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not self._hidden:
            self.text.append(data)


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(client, start: str = "/") -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Visible text of each HTML page reached from ``start`` by the site's links (bounded)."""
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue = deque([start])
    pages: dict[str, str] = {}
    while queue and len(pages) < PAGES_PER_PERSONA:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Page()
        parser.feed(response.content.decode())
        pages[url] = " ".join(parser.text)
        for href in parser.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if (
                parts.scheme
                or parts.netloc
                or not parts.path.startswith("/")
                or parts.path.startswith(SKIPPED)
            ):
                continue
            if parts.path.endswith(DOWNLOADS) or "format=" in parts.query:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            shape = _shape(parts.path) + ("?" if parts.query else "")
            if target not in seen and shapes[shape] < PAGES_PER_SHAPE:
                shapes[shape] += 1
                queue.append(target)
    return pages


def _around(text: str, match: re.Match[str]) -> str:
    return " ".join(text[max(0, match.start() - 60) : match.end() + 30].split())


def problems(pages: dict[str, str]) -> list[str]:
    found = []
    for url, text in pages.items():
        for match in SNAKE_CASE.finditer(text):
            found.append(f"{url}: code {match.group()!r} in «{_around(text, match)}»")
        for match in GROUPED_YEAR.finditer(text):
            found.append(f"{url}: grouped year {match.group()!r} in «{_around(text, match)}»")
        for match in ISO_DATE.finditer(text):
            found.append(f"{url}: ISO date {match.group()!r} in «{_around(text, match)}»")
    return found


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("username", PERSONAS)
def test_every_page_a_persona_reaches_shows_words_and_plain_years(demo_register, client, username, language):
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = crawl(client)
    assert len(pages) >= 5, pages.keys()
    found = problems(pages)
    assert not found, "\n".join(found)
