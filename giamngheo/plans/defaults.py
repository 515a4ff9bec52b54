"""The indicator targets a new plan starts with: the seed's §I.1.b, each with what it counts.

Texts are the plan document's wording (Vietnamese, editable per plan); ``definition`` says what the live
value counts, so anyone can check it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from giamngheo.plans.models import Measure


@dataclass(frozen=True)
class DefaultIndicator:
    measure: str
    text: str
    definition: str
    target_percent: Decimal | None


DEFAULT_INDICATORS = (
    DefaultIndicator(
        Measure.LOANS,
        "100% hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo có nhu cầu vay vốn được vay vốn tín dụng ưu đãi từ "
        "Ngân hàng Chính sách xã hội huyện.",
        "Số hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo có nhu cầu vay đã được vay vốn ưu đãi, trên số hộ có "
        "nhu cầu vay (theo sổ theo dõi hỗ trợ).",
        Decimal("100"),
    ),
    DefaultIndicator(
        Measure.HEALTH_INSURANCE,
        "Đảm bảo 100% người thuộc hộ nghèo, hộ cận nghèo được cấp thẻ Bảo hiểm Y tế và khám chữa bệnh theo "
        "đúng quy định.",
        "Số người thuộc hộ nghèo, hộ cận nghèo (danh sách rà soát cuối năm trước) có thẻ BHYT, trên tổng số "
        "người của các hộ đó trong sổ hộ.",
        Decimal("100"),
    ),
    DefaultIndicator(
        Measure.SCHOOL_ATTENDANCE,
        "Duy trì 100% tỷ lệ trẻ em thuộc hộ nghèo, hộ cận nghèo đi học đúng độ tuổi.",
        "Số trẻ em từ 3 đến dưới 16 tuổi thuộc hộ nghèo, hộ cận nghèo đang đi học đúng cấp học theo độ tuổi, "
        "trên tổng số trẻ em trong độ tuổi đó của các hộ.",
        Decimal("100"),
    ),
    DefaultIndicator(
        Measure.HOUSING_SURVEY,
        "Tiến hành khảo sát nhà ở của các gia đình hộ nghèo, hộ cận nghèo bị hư hỏng, dột nát có nhu cầu sửa "
        "chữa, xây mới để hỗ trợ xây dựng.",
        "Số hộ nghèo, hộ cận nghèo có nhà thiếu kiên cố hoặc đơn sơ theo sổ hộ: những nhà cần khảo sát.",
        None,
    ),
    DefaultIndicator(
        Measure.JOB_COUNSELLING,
        "Phấn đấu 90% người có khả năng lao động có nhu cầu thuộc hộ nghèo, hộ cận nghèo được hỗ trợ tư vấn "
        "giới thiệu việc làm, chuyển đổi nghề nhằm tăng thu nhập, cải thiện đời sống.",
        "Số người trong độ tuổi lao động, có khả năng lao động và có nhu cầu, thuộc hộ nghèo, hộ cận nghèo, "
        "được tư vấn, giới thiệu việc làm hoặc chuyển đổi nghề, trên số người có nhu cầu.",
        Decimal("90"),
    ),
)
