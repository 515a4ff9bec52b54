"""The shape of a synthetic register: which provinces, communes and villages, and how many households each.

Two shapes: ``national_shape`` — the 34 provinces of 2025 with their 3,321 communes, households shared by
population, villages of realistic sizes, poverty and ethnic-minority shares by region — and
``province_shape``, the single province of ``per_commune``-household communes of twelve villages that the
province benchmarks use. A shape is plain data (pure Python, deterministic for a seed); units are created
from it and rows generated for it by ``demo.synthetic`` (Python) or ``demo.synthetic_sql`` (PostgreSQL).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

NATIONAL_COMMUNES = 3_321
VILLAGE_MEDIAN = {
    "rural": 220,
    "urban": 350,
}  # households of a village (thôn) / a ward's quarter (tổ dân phố)
MAX_VILLAGES = 60

# The 34 provinces from 1 July 2025: official code, name, population (millions, rounded), communes and wards,
# relative poverty (1 = the national average: the north-west mountains far above, the big cities far below),
# share of ethnic-minority households, share of wards among the communes. Figures are rounded public ones:
# the shape has to be realistic, not exact.
PROVINCES: list[tuple[str, str, float, int, float, float, float]] = [
    ("01", "Hà Nội", 8.7, 126, 0.15, 0.01, 0.40),
    ("04", "Cao Bằng", 0.57, 56, 3.0, 0.93, 0.05),
    ("08", "Tuyên Quang", 1.9, 124, 2.2, 0.60, 0.05),
    ("11", "Điện Biên", 0.65, 45, 3.5, 0.80, 0.05),
    ("12", "Lai Châu", 0.48, 38, 3.5, 0.85, 0.05),
    ("14", "Sơn La", 1.3, 75, 2.5, 0.83, 0.05),
    ("15", "Lào Cai", 1.8, 99, 2.0, 0.60, 0.07),
    ("19", "Thái Nguyên", 1.8, 92, 1.0, 0.30, 0.15),
    ("20", "Lạng Sơn", 0.8, 65, 1.8, 0.83, 0.06),
    ("22", "Quảng Ninh", 1.4, 54, 0.2, 0.12, 0.55),
    ("24", "Bắc Ninh", 3.6, 99, 0.4, 0.05, 0.30),
    ("25", "Phú Thọ", 4.0, 148, 0.9, 0.20, 0.10),
    ("31", "Hải Phòng", 4.7, 114, 0.3, 0.01, 0.40),
    ("33", "Hưng Yên", 3.6, 104, 0.5, 0.01, 0.10),
    ("37", "Ninh Bình", 4.4, 129, 0.5, 0.02, 0.10),
    ("38", "Thanh Hóa", 4.3, 166, 1.1, 0.17, 0.12),
    ("40", "Nghệ An", 3.8, 130, 1.2, 0.15, 0.10),
    ("42", "Hà Tĩnh", 1.6, 69, 0.9, 0.01, 0.12),
    ("44", "Quảng Trị", 1.9, 78, 1.2, 0.05, 0.10),
    ("46", "Huế", 1.2, 40, 0.6, 0.05, 0.50),
    ("48", "Đà Nẵng", 3.1, 94, 0.5, 0.05, 0.25),
    ("51", "Quảng Ngãi", 2.2, 96, 1.2, 0.25, 0.10),
    ("52", "Gia Lai", 3.6, 135, 1.5, 0.30, 0.10),
    ("56", "Khánh Hòa", 2.2, 65, 0.8, 0.10, 0.25),
    ("66", "Đắk Lắk", 3.3, 102, 1.3, 0.25, 0.10),
    ("68", "Lâm Đồng", 3.9, 124, 0.8, 0.20, 0.15),
    ("75", "Đồng Nai", 4.5, 95, 0.4, 0.05, 0.25),
    ("79", "Hồ Chí Minh", 14.0, 168, 0.1, 0.02, 0.68),
    ("80", "Tây Ninh", 3.3, 96, 0.5, 0.01, 0.15),
    ("82", "Đồng Tháp", 4.4, 102, 0.6, 0.01, 0.15),
    ("86", "Vĩnh Long", 4.3, 124, 0.7, 0.10, 0.15),
    ("91", "An Giang", 4.95, 102, 0.8, 0.08, 0.20),
    ("92", "Cần Thơ", 4.2, 103, 0.8, 0.15, 0.30),
    ("96", "Cà Mau", 2.6, 64, 0.9, 0.04, 0.15),
]
# Weights from published surname frequencies (Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 %, …).
FAMILY = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4.5), ("Vũ", 3.9),
    ("Võ", 3), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1),
    ("Lý", 0.5), ("Đinh", 0.8), ("Trương", 0.7), ("Hà", 0.6), ("Lương", 0.5), ("Thái", 0.4),
]  # fmt: skip
MIDDLE = {
    "male": [("Văn", 45), ("Đức", 10), ("Hữu", 10), ("Minh", 8), ("Quang", 6), ("Công", 5), ("Thành", 4),
             ("Xuân", 4), ("Đình", 4), ("Ngọc", 2), ("Trọng", 2)],
    "female": [("Thị", 60), ("Ngọc", 8), ("Thu", 6), ("Thanh", 5), ("Minh", 4), ("Hồng", 4), ("Kim", 3),
               ("Thùy", 3), ("Mai", 3), ("Phương", 2), ("Bích", 2)],
}  # fmt: skip
GIVEN = {
    "male": ["Anh", "Bình", "Cường", "Dũng", "Đức", "Hùng", "Hải", "Hiếu", "Hoàng", "Huy", "Khánh", "Long",
             "Lâm", "Mạnh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quý", "Sơn", "Tài", "Thắng", "Thành",
             "Tiến", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Đạt", "Định", "Hưng", "Lợi", "Tâm"],
    "female": ["Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ",
               "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên",
               "Tâm", "Thảo", "Thủy", "Trang", "Uyên", "Vân", "Yến", "Nga", "Nhàn", "Lý", "Thơ", "Xuân"],
}  # fmt: skip

STATUS_NEXT = {  # yearly movement between reviews (rough national proportions)
    None: ([("poor", 0.04), ("near_poor", 0.045), ("average", 0.09), ("not_poor", 0.825)]),
    "poor": ([("poor", 0.72), ("near_poor", 0.14), ("average", 0.06), ("not_poor", 0.08)]),
    "near_poor": ([("poor", 0.05), ("near_poor", 0.63), ("average", 0.17), ("not_poor", 0.15)]),
    "average": ([("poor", 0.006), ("near_poor", 0.02), ("average", 0.8), ("not_poor", 0.174)]),
    "not_poor": ([("poor", 0.002), ("near_poor", 0.006), ("average", 0.02), ("not_poor", 0.972)]),
}
POOR_LEANING_START = [("poor", 0.3), ("near_poor", 0.3), ("average", 0.2), ("not_poor", 0.2)]

MINORITIES = ["Thái", "Mường", "Tày", "H'Mông", "Dao", "Nùng", "Chứt", "Lào"]

LEANING = 0.12  # share of households with poverty-leaning facts in a province of relative poverty 1


@dataclass
class VillageShape:
    code: str
    name: str
    households: int


@dataclass
class CommuneShape:
    code: str
    name: str
    area: str  # "urban" for a ward
    households: int
    minority_share: float  # chance that a household belongs to an ethnic minority
    leaning: float  # chance that a household's facts lean towards poverty
    villages: list[VillageShape] = field(default_factory=list)


@dataclass
class ProvinceShape:
    code: str
    name: str
    communes: list[CommuneShape] = field(default_factory=list)

    @property
    def households(self) -> int:
        return sum(c.households for c in self.communes)


def apportion(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders: the parts add up exactly)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [math.floor(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: parts[i] - raw[i])[: total - sum(parts)]:
        parts[i] += 1
    return parts


PLACE = [
    "An", "Bình", "Châu", "Đông", "Giang", "Hà", "Hải", "Hòa", "Hồng", "Hưng", "Kim", "Lâm", "Long", "Mỹ",
    "Nam", "Ninh", "Phú", "Phúc", "Quang", "Sơn", "Tân", "Thạch", "Thanh", "Thịnh", "Thượng", "Tiến",
    "Trung", "Trường", "Vĩnh", "Xuân", "Yên", "Đức", "Cẩm", "Kỳ", "Lộc", "Mai", "Hương",
]  # fmt: skip


def place_name(rng: random.Random, taken: set[str]) -> str:
    """A two-word place name not yet ``taken`` (a third word once the pairs run out)."""
    while True:
        words = [rng.choice(PLACE), rng.choice(PLACE)]
        if len(taken) > 1000:
            words.append(rng.choice(PLACE))
        name = " ".join(words)
        if name not in taken and len(set(words)) == len(words):
            taken.add(name)
            return name


def _villages(
    rng: random.Random, commune_code: str, area: str, households: int, count: int | None
) -> list[VillageShape]:
    if count is None:
        count = max(1, min(MAX_VILLAGES, round(households / VILLAGE_MEDIAN[area])))
    weights = [rng.lognormvariate(0, 0.45) for _ in range(count)]
    sizes = apportion(households, weights)
    label = "Tổ dân phố" if area == "urban" else "Thôn"
    return [
        VillageShape(code=f"{commune_code}-{v:02d}", name=f"{label} {v}", households=n)
        for v, n in enumerate(sizes, start=1)
    ]


def national_shape(
    *, households: int, seed: int = 2025, communes: int = NATIONAL_COMMUNES
) -> list[ProvinceShape]:
    """34 provinces (codes ``S01``…``S96``: the official code after an S, so no real unit is touched), their
    communes (``communes`` in all, shared as the real ones are, at least one each) and villages, with
    ``households`` shared by population and, inside a province, by communes of unequal size."""
    rng = random.Random(f"national-{seed}")
    per_province = apportion(max(communes, len(PROVINCES)) - len(PROVINCES), [p[3] for p in PROVINCES])
    counts = [n + 1 for n in per_province]
    province_households = apportion(households, [p[2] for p in PROVINCES])
    shape = []
    taken: set[str] = set()
    for (code, name, _people, _communes, poverty, minority, urban), n_communes, n_households in zip(
        PROVINCES, counts, province_households, strict=True
    ):
        province = ProvinceShape(code=f"S{code}", name=f"{name} (tổng hợp)")
        sizes = apportion(n_households, [rng.lognormvariate(0, 0.45) for _ in range(n_communes)])
        for c, size in enumerate(sizes, start=1):
            area = "urban" if rng.random() < urban else "rural"
            upland = area == "rural" and rng.random() < minority * 1.1
            commune_code = f"{province.code}-{c:04d}"
            province.communes.append(
                CommuneShape(
                    code=commune_code,
                    name=f"{place_name(rng, taken)} (tổng hợp)",
                    area=area,
                    households=size,
                    minority_share=0.85 if upland else 0.02,
                    leaning=min(
                        0.6, LEANING * poverty * (1.8 if upland else 0.8) * (0.5 if area == "urban" else 1)
                    ),
                    villages=_villages(rng, commune_code, area, size, None),
                )
            )
        shape.append(province)
    return shape


def province_shape(
    *, households: int, province_code: str, per_commune: int, seed: int = 2025
) -> list[ProvinceShape]:
    """One province of ``ceil(households / per_commune)`` communes of twelve villages (the province
    benchmarks' register): one commune in ten is a ward, one in seven mostly ethnic-minority."""
    rng = random.Random(f"units-{seed}")
    count = max(1, math.ceil(households / per_commune))
    base, extra = divmod(households, count)
    province = ProvinceShape(code=province_code, name=f"Tổng hợp {province_code} (tổng hợp)")
    taken: set[str] = set()
    for index in range(count):
        c = index + 1
        area = "urban" if c % 10 == 0 else "rural"
        size = base + (1 if index < extra else 0)
        code = f"{province_code}-{c:03d}"
        province.communes.append(
            CommuneShape(
                code=code,
                name=f"{place_name(rng, taken)} (tổng hợp)",
                area=area,
                households=size,
                minority_share=0.8 if index % 7 == 3 else 0.02,
                leaning=LEANING,
                villages=_villages(random.Random(f"{seed}-{code}"), code, area, size, 12),
            )
        )
    return [province]
