"""The heading and signature blocks of an administrative document (Decree 30/2020/NĐ-CP, Appendix I). Pure.

Every document a People's Committee issues opens with two columns — on the left the issuing body
("ỦY BAN NHÂN DÂN" / "XÃ SƠN TRUNG"), a short rule and the number ("Số: …/KH-UBND"); on the right the
national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lập - Tự do - Hạnh phúc"), a rule and the
place-and-date line in italics — and closes with the recipients ("Nơi nhận:") on the left and the
signature ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH") on the right. ``official_heading`` and ``official_signature``
build both as data; the DOCX renderer (``documents.docx.heading_block``/``signature_block``) and the PDF
templates (``reports/_heading.html``, ``reports/_signature.html``) draw them, each line on one line.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

NATION = {"vi": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "en": "SOCIALIST REPUBLIC OF VIET NAM"}
MOTTO = {"vi": "Độc lập - Tự do - Hạnh phúc", "en": "Independence - Freedom - Happiness"}
COMMITTEE = {"vi": "ỦY BAN NHÂN DÂN", "en": "PEOPLE'S COMMITTEE"}
ON_BEHALF = {"vi": "TM. ỦY BAN NHÂN DÂN", "en": "ON BEHALF OF THE PEOPLE'S COMMITTEE"}
CHAIR = {"vi": "CHỦ TỊCH", "en": "CHAIR"}
SIGN_HINT = {"vi": "(Ký, ghi rõ họ tên và đóng dấu)", "en": "(Signature, full name and seal)"}
RECIPIENTS = {"vi": "Nơi nhận:", "en": "Recipients:"}
FILED = {"vi": "- Lưu: VT.", "en": "- Filed: office."}


@dataclass(frozen=True)
class Heading:
    issuer: tuple[str, ...]  # ("ỦY BAN NHÂN DÂN", "XÃ SƠN TRUNG"), each line bold, upper case
    number: str  # "Số: …/KH-UBND"
    nation: str
    motto: str
    place_date: str  # "Sơn Trung, ngày 05 tháng 3 năm 2024"


@dataclass(frozen=True)
class Signature:
    recipients: tuple[str, ...]  # ("Nơi nhận:", "- Như trên;", "- Lưu: VT.")
    authority: tuple[str, ...]  # ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    hint: str = ""  # "(Ký, ghi rõ họ tên và đóng dấu)"
    name: str = ""  # the signer, printed under the space for the signature


def place_date(place: str, day: datetime.date | None, language: str = "vi") -> str:
    """ "Sơn Trung, ngày 05 tháng 3 năm 2024": a day below 10 and the months 1 and 2 take a leading zero
    (Decree 30/2020, Appendix I, II.5); dots for a date the signer writes by hand."""
    if day is None:
        return f"{place}, ngày … tháng … năm …" if language == "vi" else f"{place}, day … month … year …"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    if language == "vi":
        return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {day:%d/%m/%Y}"


def official_heading(
    *,
    body: str,
    place: str,
    number: str,
    day: datetime.date | None = None,
    language: str = "vi",
    committee: bool = True,
) -> Heading:
    """The heading of a document issued by ``body`` ("Xã Sơn Trung": its level and name) at ``place``
    ("Sơn Trung"), numbered ``number`` ("Số: …/BC-UBND"). ``committee``: the body is the unit's People's
    Committee (its name is written on two lines, "ỦY BAN NHÂN DÂN" over "XÃ SƠN TRUNG")."""
    issuer = (COMMITTEE[language], body.upper()) if committee else (body.upper(),)
    return Heading(
        issuer=issuer,
        number=number,
        nation=NATION[language],
        motto=MOTTO[language],
        place_date=place_date(place, day, language),
    )


def official_signature(
    *,
    recipients: Sequence[str] = (),
    language: str = "vi",
    authority: Sequence[str] | None = None,
    name: str = "",
) -> Signature:
    """The closing block: "Nơi nhận:" and its lines (``recipients``, "- Lưu: VT." added), and the People's
    Committee's signature ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH") unless ``authority`` names another."""
    return Signature(
        recipients=(RECIPIENTS[language], *recipients, FILED[language]),
        authority=tuple(authority) if authority else (ON_BEHALF[language], CHAIR[language]),
        hint=SIGN_HINT[language],
        name=name,
    )
