"""Format C's columns: the headers a household list may carry, and the parsers of its cells."""

from __future__ import annotations

from giamngheo.households.services import is_masked_citizen_id
from giamngheo.tabular.header import ColumnSpec
from giamngheo.tabular.values import CellError, parse_int
from giamngheo.text import fold_key

BATCH = 5000  # rows compared and written together (a look-up of 5,000 codes costs PostgreSQL what 2,000 do)
MAX_MEMBERS = 100  # a "household" of more people is a typing error (or an institution, not a household)

CATEGORY_FIELDS = ("social_protection", "ethnic_minority", "meritorious")

SPECS = (
    ColumnSpec(
        "household_id",
        ("mã hộ", "mã hộ gia đình", "mã số hộ", "household code", "household id"),
        required=True,
        label_vi="Mã hộ",
        identity=True,
    ),
    ColumnSpec(
        "village",
        ("thôn", "thôn/xóm", "thôn, xóm", "tổ dân phố", "thôn/tổ dân phố"),
        required=True,
        label_vi="Thôn",
    ),
    ColumnSpec("village_code", ("mã thôn", "village code"), label_vi="Mã thôn"),
    ColumnSpec(
        "head_name",
        ("họ và tên chủ hộ", "họ tên chủ hộ", "tên chủ hộ", "chủ hộ", "họ và tên", "head of household"),
        required=True,
        label_vi="Họ và tên chủ hộ",
        identity=True,
    ),
    ColumnSpec(
        "members", ("số khẩu", "số nhân khẩu", "nhân khẩu", "số người"), required=True, label_vi="Số khẩu"
    ),
    ColumnSpec(
        "status",
        ("phân loại", "phân loại hộ", "loại hộ", "kết quả rà soát", "xếp loại"),
        label_vi="Phân loại",
    ),
    ColumnSpec(
        "head_citizen_id", ("số CCCD", "CCCD", "số CCCD chủ hộ", "số định danh", "số CMND/CCCD", "CCCD/CMND")
    ),
    ColumnSpec("labour_capacity", ("có khả năng lao động", "có KNLĐ", "khả năng lao động")),
    ColumnSpec(
        "no_labour_capacity", ("không có khả năng lao động", "hộ không có khả năng lao động", "không có KNLĐ")
    ),
    ColumnSpec("social_protection", ("BTXH", "hộ BTXH", "bảo trợ xã hội", "hộ bảo trợ xã hội")),
    ColumnSpec("ethnic_minority", ("DTTS", "hộ DTTS", "dân tộc thiểu số", "hộ dân tộc thiểu số")),
    ColumnSpec("meritorious", ("người có công", "hộ người có công", "NCC", "có công với cách mạng")),
)
CLASSIFICATION = ("income_per_capita", "b1_score")

STATUS_WORDS = {
    **dict.fromkeys(("poor", "ngheo", "hongheo"), "poor"),
    **dict.fromkeys(("nearpoor", "canngheo", "hocanngheo"), "near_poor"),
    **dict.fromkeys(
        (
            "average",
            "trungbinh",
            "hotrungbinh",
            "mucsongtrungbinh",
            "homucsongtrungbinh",
            "hocomucsongtrungbinh",
        ),
        "average",
    ),
    **dict.fromkeys(("notpoor", "khong", "khongngheo", "hokhongngheo"), "not_poor"),
}


def specs() -> list[ColumnSpec]:
    """Format C's columns, then format A's classification columns (used only when there is no status)."""
    from giamngheo.standards.format_a import format_a_specs

    ours = {s.name for s in SPECS}
    return [*SPECS, *(s for s in format_a_specs() if s.name not in ours)]


def parse_status(value: str) -> str:
    status = STATUS_WORDS.get(fold_key(value))
    if status is None:
        raise CellError(
            f"không hiểu phân loại “{value}”",
            f"unknown status “{value}”",
            "ghi một trong: nghèo, cận nghèo, trung bình, không nghèo",
            "write one of: poor, near_poor, average, not_poor (or nghèo, cận nghèo, trung bình, không)",
        )
    return status


def parse_citizen_id(value: str) -> str | None:
    """12 digits (CCCD) or 9 (old CMND). Excel drops a leading zero from a number cell: 11 or 8 digits get it
    back (every CCCD starts with a province code 001–096)."""
    if is_masked_citizen_id(value):
        return None  # a masked number (an export given back): not given, the known number stays
    digits = value.strip().replace(" ", "")
    if digits.isdigit() and len(digits) in (8, 11):
        digits = "0" + digits
    if not digits.isdigit() or len(digits) not in (9, 12):
        raise CellError(
            f"số CCCD không hợp lệ “{value}”",
            f"not a citizen ID number: “{value}”",
            "ghi đủ 12 chữ số CCCD (hoặc 9 số CMND); trong Excel định dạng ô là Text để giữ số 0 đầu",
            "write the 12 digits of the CCCD (or 9 of an old CMND); format the Excel cell as Text to keep"
            " a leading 0",
        )
    return digits


def parse_members(value: str) -> int:
    number = parse_int(value, minimum=1)
    assert number is not None  # blank cells are reported as missing, never parsed
    if number > MAX_MEMBERS:
        raise CellError(
            f"số khẩu {number} quá lớn",
            f"{number} members is too many for a household",
            "kiểm tra lại số khẩu",
            "check the number of members",
        )
    return number
