"""``giamngheo standards list`` / ``show ID``: what the engine knows, with what is provisional."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("standards", *args, stdout=out)
    return out.getvalue()


def test_list_shows_every_standard_with_its_years():
    text = run("list")
    assert "VN-2022-2025" in text and "2022–2026" in text and "VN-2027-2030" in text and "2027–2030" in text


def test_show_gives_the_parameters_in_vietnamese_and_english_and_marks_provisional_ones():
    text = run("show", "VN-2027-2030")
    assert "2.200.000 đ" in text and "nông thôn / rural" in text
    assert "waste" in text and "information_devices" not in text
    assert "[tạm tính / provisional]" in text and "income.average_upper" in text


def test_show_of_an_unknown_standard_exits_2_listing_the_known_ones():
    with pytest.raises(CommandError) as error:
        run("show", "XX-1")
    assert error.value.returncode == 2 and "VN-2022-2025" in str(error.value)


def test_show_without_an_id_exits_2():
    with pytest.raises(CommandError) as error:
        run("show")
    assert error.value.returncode == 2
