"""The commune's text of the plan document: the seed's default, placeholders, line kinds (pure)."""

import pytest

from giamngheo.errors import InputError
from giamngheo.plans.template import DEFAULTS, PLACEHOLDERS, SECTIONS, fill, lines, placeholders_in, validate


def test_the_default_text_is_the_seeds_with_valid_placeholders():
    validate(DEFAULTS)
    assert set(DEFAULTS) == set(SECTIONS)
    assert DEFAULTS["title"] == "KẾ HOẠCH"
    assert "Tăng cường sự lãnh đạo, chỉ đạo" in DEFAULTS["tasks"]
    assert "Ngày vì người nghèo" in DEFAULTS["organisation"]
    assert set(placeholders_in(DEFAULTS["analysis"])) <= set(PLACEHOLDERS)


def test_an_unknown_placeholder_is_an_error_naming_the_section_and_the_placeholder():
    with pytest.raises(InputError) as error:
        validate({**DEFAULTS, "closing": "Năm {nam} ./."})
    problem = error.value.problems[0]
    assert "{nam}" in problem.message_vi and "Đoạn kết" in problem.column


def test_a_lone_brace_is_an_error_with_the_fix():
    with pytest.raises(InputError) as error:
        validate({**DEFAULTS, "tasks": "Chỉ tiêu {năm"})
    assert "{{" in error.value.problems[0].fix_vi


def test_the_title_may_not_be_empty():
    with pytest.raises(InputError):
        validate({**DEFAULTS, "title": "  "})


def test_double_braces_print_a_brace():
    assert fill("{{ghi chú}} năm {year}", {"year": "2023"}) == "{ghi chú} năm 2023"


def test_lines_know_headings_items_and_sub_items():
    kinds = [line.kind for line in lines("1. Về tuyên truyền\n- một\n+ hai\n\nđoạn văn")]
    assert kinds == ["heading", "item", "subitem", "paragraph"]


@pytest.mark.parametrize(
    "placeholder",
    [
        "{year:>999999999}",
        "{year:.999999}",
        "{year!r}",
        "{year:{poor}}",
        "{year:d}",
        "{year:,}",
        "{year:>201}",
    ],
)
def test_a_format_spec_beyond_alignment_and_a_bounded_width_is_refused(placeholder):
    with pytest.raises(InputError) as error:
        validate({**DEFAULTS, "closing": f"Năm {placeholder} ./."})
    assert "Đoạn kết" in error.value.problems[0].column
    with pytest.raises(InputError):
        fill(placeholder, {"year": "2023", "poor": "5"})


def test_alignment_and_a_bounded_width_are_allowed():
    validate({**DEFAULTS, "closing": "Năm {year:>10} {commune:^30} {commune:.3} ./."})
    assert fill("[{year:>6}]", {"year": "2023"}) == "[  2023]"
