"""A year (2023) of the support tracker for the Sơn Trung demo: the steering committee and the mass
organisations with their members, sources of funds and their ledger, an escape plan for every poor and
near-poor household of the end-2022 lists, the supports of the year (loans, health-insurance cards,
schooling, housing, jobs, production, provincial income support, Tết gifts and donations), communication
activities, and two progress reports (Q1 approved by the province, Q2 awaiting its decision).

Everything is invented and marked "(demo)"; it is deterministic (fixed seed) and written through the
tracker's services, so it obeys the same rules as a user (balances, dates, permissions). It needs the demo
register (``demo.register``) and runs once: ``load_support_demo`` does nothing when the commune already has
organisations. ``support_demo_reset`` removes it (before the register is removed: supports point at
households).
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from typing import Any

from django.db import transaction

from giamngheo.accounts.models import User
from giamngheo.households.models import Household, Member
from giamngheo.reports import services as report_services
from giamngheo.reports.models import ProgressReport
from giamngheo.reviews.models import ReviewResult, RoundKind, RoundState
from giamngheo.support import services
from giamngheo.support.kinds import SupportForm, SupportKind, SupportStatus
from giamngheo.support.models import (
    Activity,
    EscapePlan,
    FundSource,
    LedgerEntry,
    Milestone,
    Organisation,
    OrganisationKind,
    OrganisationMember,
    PlanGroup,
    PlanStatus,
    Solution,
    Support,
)
from giamngheo.units.models import Unit

YEAR = 2023
SEED = 2023
OFFICER = "canbo.sontrung"
APPROVER = "quantri"  # the demo's only editing account at the province
WOMEN_LOGIN = "hoiphunu.sontrung"


def _d(month: int, day: int) -> datetime.date:
    return datetime.date(YEAR, month, day)


ORGANISATIONS: list[tuple[str, str, list[tuple[str, str, str, str | None]]]] = [
    # kind, name, members: (name, position, assignment, login)
    (
        OrganisationKind.STEERING_COMMITTEE,
        "Ban Chỉ đạo giảm nghèo xã Sơn Trung",
        [
            ("Trần Đình Quang (demo)", "Chủ tịch UBND xã, Trưởng ban", "Chỉ đạo chung", None),
            (
                "Nguyễn Thị Lan (demo)",
                "Công chức VH-XH, thường trực",
                "Tổng hợp, báo cáo tháng, quý, năm",
                OFFICER,
            ),
            (
                "Hoàng Văn Minh (demo)",
                "Phó Chủ tịch UBND xã, Phó ban",
                "Phụ trách nguồn lực, xã hội hoá",
                "bcd.sontrung",
            ),
        ],
    ),
    (
        OrganisationKind.FATHERLAND_FRONT,
        "Ủy ban MTTQ xã Sơn Trung",
        [
            ("Lê Văn Thành (demo)", "Chủ tịch", "Quỹ Vì người nghèo; giám sát họp dân", None),
            ("Phan Thị Mai (demo)", "Phó Chủ tịch", "Vận động xã hội hoá", None),
        ],
    ),
    (
        OrganisationKind.WOMENS_UNION,
        "Hội Liên hiệp Phụ nữ xã",
        [
            ("Phạm Thị Hoa (demo)", "Chủ tịch Hội", "Hộ nghèo do phụ nữ làm chủ hộ", WOMEN_LOGIN),
            ("Võ Thị Hằng (demo)", "Chi hội trưởng", "Kèm cặp hộ nghèo thôn", None),
        ],
    ),
    (
        OrganisationKind.FARMERS_UNION,
        "Hội Nông dân xã",
        [
            ("Đặng Văn Hùng (demo)", "Chủ tịch Hội", "Hỗ trợ sản xuất, khuyến nông", None),
            ("Bùi Xuân Tiến (demo)", "Phó Chủ tịch", "Chăn nuôi, giống cây", None),
        ],
    ),
    (
        OrganisationKind.YOUTH_UNION,
        "Đoàn Thanh niên xã",
        [
            ("Nguyễn Hữu Phúc (demo)", "Bí thư Đoàn", "Tư vấn việc làm, học nghề, XKLĐ", None),
        ],
    ),
    (
        OrganisationKind.VETERANS,
        "Hội Cựu chiến binh xã",
        [
            ("Hồ Văn Lực (demo)", "Chủ tịch Hội", "Hộ cựu chiến binh, người có công", None),
            ("Ngô Quang Nghĩa (demo)", "Hội viên", "Sửa nhà, nhà tiêu hợp vệ sinh", None),
        ],
    ),
]

SOURCES = [
    # kind, name, donor, allocations (date, amount, description)
    (
        "central_budget",
        "Ngân sách Trung ương — CTMTQG giảm nghèo 2023",
        "",
        [
            (_d(2, 10), 380_000_000, "Phân bổ vốn sự nghiệp CTMTQG giảm nghèo năm 2023 (demo)"),
            (_d(7, 5), 120_000_000, "Bổ sung vốn hỗ trợ nhà ở (demo)"),
        ],
    ),
    (
        "provincial_budget",
        "Ngân sách tỉnh — NQ 72/2022/NQ-HĐND",
        "",
        [
            (_d(1, 20), 60_000_000, "Kinh phí hỗ trợ thu nhập theo NQ 72/2022 (demo)"),
            (_d(3, 15), 40_000_000, "Hỗ trợ học sinh hộ nghèo (demo)"),
        ],
    ),
    (
        "local_budget",
        "Ngân sách xã",
        "",
        [
            (_d(1, 10), 50_000_000, "Dự toán chi giảm nghèo của xã năm 2023 (demo)"),
        ],
    ),
    (
        "for_the_poor_fund",
        "Quỹ Vì người nghèo xã Sơn Trung",
        "",
        [
            (_d(1, 3), 38_500_000, "Số dư chuyển sang từ năm 2022 (demo)"),
            (_d(10, 17), 64_200_000, "Ngày vì người nghèo 17/10 — quyên góp của nhân dân (demo)"),
        ],
    ),
    (
        "donor",
        "Công ty TNHH Thương mại Hồng Lĩnh (demo)",
        "Công ty TNHH Thương mại Hồng Lĩnh (demo)",
        [
            (_d(1, 12), 45_000_000, "Tài trợ quà Tết Quý Mão (demo)"),
        ],
    ),
]

ACTIVITIES = [
    # month, day, kind, title, place, reach, organisation kind
    (
        1,
        12,
        "meeting",
        "Hội nghị triển khai kế hoạch giảm nghèo năm 2023",
        "Hội trường UBND xã",
        85,
        OrganisationKind.STEERING_COMMITTEE,
    ),
    (
        1,
        16,
        "campaign",
        "Trao quà Tết cho hộ nghèo, cận nghèo",
        "Các thôn",
        132,
        OrganisationKind.FATHERLAND_FRONT,
    ),
    (2, 20, "broadcast", "Phát thanh chính sách vay vốn ưu đãi NHCSXH", "Đài truyền thanh xã", 1500, None),
    (
        3,
        8,
        "meeting",
        "Sinh hoạt chuyên đề: phụ nữ giúp nhau thoát nghèo",
        "Nhà văn hoá thôn Mai Hà",
        48,
        OrganisationKind.WOMENS_UNION,
    ),
    (
        4,
        14,
        "training",
        "Tập huấn kỹ thuật chăn nuôi bò sinh sản",
        "Nhà văn hoá thôn Lâm Thành",
        36,
        OrganisationKind.FARMERS_UNION,
    ),
    (
        5,
        10,
        "broadcast",
        "Phát thanh chính sách BHYT cho hộ nghèo, cận nghèo",
        "Đài truyền thanh xã",
        1500,
        None,
    ),
    (
        6,
        22,
        "meeting",
        "Tư vấn việc làm, xuất khẩu lao động cho thanh niên",
        "Hội trường UBND xã",
        64,
        OrganisationKind.YOUTH_UNION,
    ),
    (
        7,
        18,
        "broadcast",
        "Phong trào “Hà Tĩnh chung tay vì người nghèo – không để ai bị bỏ lại phía sau”",
        "Đài truyền thanh xã",
        1500,
        None,
    ),
    (8, 25, "campaign", "Ra quân sửa nhà cho hộ nghèo", "Thôn Hải Thượng", 40, OrganisationKind.VETERANS),
    (
        9,
        5,
        "campaign",
        "Tặng sách vở, đồ dùng học tập cho học sinh hộ nghèo",
        "Các trường trên địa bàn",
        95,
        OrganisationKind.YOUTH_UNION,
    ),
    (
        10,
        17,
        "campaign",
        "Ngày vì người nghèo 17/10: phát động quyên góp",
        "Hội trường UBND xã",
        320,
        OrganisationKind.FATHERLAND_FRONT,
    ),
    (
        11,
        8,
        "meeting",
        "Họp dân rà soát hộ nghèo, cận nghèo cuối năm",
        "Các thôn",
        910,
        OrganisationKind.FATHERLAND_FRONT,
    ),
    (
        12,
        20,
        "meeting",
        "Sơ kết công tác giảm nghèo năm 2023",
        "Hội trường UBND xã",
        70,
        OrganisationKind.STEERING_COMMITTEE,
    ),
]

SOLUTIONS: dict[str, list[Solution]] = {
    PlanGroup.HAS_LABOUR: [
        Solution.LOAN,
        Solution.PRODUCTION,
        Solution.EXTENSION,
        Solution.VOCATIONAL,
        Solution.JOB_REFERRAL,
    ],
    PlanGroup.ELDERLY_NO_LABOUR: [
        Solution.RELATIVES,
        Solution.INCOME_SUPPORT,
        Solution.INCOME_DOSSIER,
        Solution.HEALTH_INSURANCE,
    ],
    PlanGroup.LACKING_SERVICES: [
        Solution.HOUSING,
        Solution.WATER_SANITATION,
        Solution.INFORMATION,
        Solution.HEALTH_INSURANCE,
    ],
}

MILESTONES: dict[str, list[tuple[str, int, int]]] = {
    PlanGroup.HAS_LABOUR: [
        ("Hoàn thiện hồ sơ vay vốn", 3, 31),
        ("Nhận hỗ trợ sản xuất, bắt đầu chăn nuôi", 6, 30),
        ("Đánh giá thu nhập cuối năm", 11, 30),
    ],
    PlanGroup.ELDERLY_NO_LABOUR: [
        ("Vận động người thân hỗ trợ", 2, 28),
        ("Rà soát hồ sơ trợ cấp", 6, 30),
        ("Thăm hỏi, tặng quà cuối năm", 12, 15),
    ],
    PlanGroup.LACKING_SERVICES: [
        ("Khảo sát nhà ở, nước sạch, nhà tiêu", 3, 31),
        ("Huy động nguồn lực sửa chữa", 8, 31),
        ("Nghiệm thu công trình", 11, 30),
    ],
}


def support_demo_present(commune: Unit) -> bool:
    return Organisation.objects.filter(unit=commune).exists()


def _people(commune: Unit) -> dict[int, list[Member]]:
    members: dict[int, list[Member]] = {}
    for member in Member.objects.filter(household__commune=commune).order_by("household_id", "id"):
        members.setdefault(member.household_id, []).append(member)
    return members


def _age(member: Member, on: datetime.date) -> int | None:
    if member.birth_date is None:
        return None
    born = member.birth_date
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _results(commune: Unit, year: int) -> dict[int, ReviewResult]:
    return {
        r.household_id: r
        for r in ReviewResult.objects.filter(
            review_round__commune=commune,
            review_round__year=year,
            review_round__kind=RoundKind.REGULAR,
            review_round__state=RoundState.DECIDED,
        )
    }


@transaction.atomic
def load_support_demo(commune: Unit) -> dict[str, Any] | None:
    """Write the demo's 2023 support data for ``commune``; None when it is there already or when the
    commune has no decided end-2022 review to plan from."""
    if support_demo_present(commune):
        return None
    before = _results(commune, YEAR - 1)
    if not before:
        return None
    after = _results(commune, YEAR)
    officer = User.objects.select_related("unit").get(username=OFFICER)
    rng = random.Random(SEED)
    counts: Counter[str] = Counter()

    organisations = _organisations(commune, officer)
    helpers = {o.pk: list(o.members.filter(active=True).order_by("id")) for o in organisations.values()}
    sources = _sources(commune, officer)
    # What each source has left, kept here as the demo spends (the ledger's own check still guards it).
    balances = {source.pk: services.source_balance(source) for source in sources.values()}

    listed = sorted(
        (r for r in before.values() if r.status in ("poor", "near_poor")),
        key=lambda r: (r.unit_path, r.household_id),
    )
    households = Household.objects.in_bulk([r.household_id for r in listed])
    people = _people(commune)
    helping = [
        organisations[k]
        for k in (
            OrganisationKind.WOMENS_UNION,
            OrganisationKind.FARMERS_UNION,
            OrganisationKind.YOUTH_UNION,
            OrganisationKind.VETERANS,
            OrganisationKind.FATHERLAND_FRONT,
        )
    ]
    for index, result in enumerate(listed):
        household = households[result.household_id]
        members = people.get(household.pk, [])
        group = _group(result)
        organisation = helping[index % len(helping)]
        helper = (
            helpers[organisation.pk][index % len(helpers[organisation.pk])]
            if helpers[organisation.pk]
            else None
        )
        later = after.get(household.pk)
        improved = later is not None and (
            (result.status == "poor" and later.status != "poor")
            or (result.status == "near_poor" and later.status not in ("poor", "near_poor"))
        )
        # The year is over: each plan is written with its outcome and the milestones met, as an officer
        # copying the commune's paper records would (one write per plan and milestone).
        solutions = rng.sample(SOLUTIONS[group], k=min(3, len(SOLUTIONS[group])))
        done_share = 1.0 if improved else rng.choice([0.34, 0.67, 0.67, 1.0])
        steps = MILESTONES[group]  # in order of their due dates
        milestones = []
        for number, (title, month, day) in enumerate(steps):
            due, done_on = _d(month, day), None
            if number < round(done_share * len(steps)):
                done = min(due - datetime.timedelta(days=rng.randint(0, 20)), _d(12, 20))
                done_on = max(done, _d(1, 5))
            milestones.append((title, due, done_on))
        services.escape_plan_create(
            actor=officer,
            household=household,
            year=YEAR,
            group=group,
            solutions=solutions,
            organisation=organisation,
            helper=helper,
            notes="Kế hoạch giúp hộ thoát nghèo năm 2023 (demo)",
            milestones=milestones,
            status_at_start=result.status,
            status=PlanStatus.ACHIEVED
            if improved
            else (PlanStatus.IN_PROGRESS if rng.random() < 0.8 else PlanStatus.NOT_ACHIEVED),
        )
        counts["escape_plans"] += 1
        counts.update(
            _household_supports(
                officer, household, members, result, group, organisation, sources, balances, rng
            )
        )

    counts.update(_activities(commune, officer, organisations))
    counts["reports"] = _reports(commune, officer)
    return dict(counts)


def _organisations(commune: Unit, officer: User) -> dict[str, Organisation]:
    villages = list(Unit.objects.filter(parent=commune, level__code="village").order_by("sort_order"))
    logins = {u.username: u for u in User.objects.filter(username__in=[OFFICER, WOMEN_LOGIN, "bcd.sontrung"])}
    made: dict[str, Organisation] = {}
    for number, (kind, name, members) in enumerate(ORGANISATIONS):
        organisation = services.organisation_create(actor=officer, unit=commune, kind=kind, name=name)
        for position, (full_name, title, assignment, login) in enumerate(members):
            village = (
                villages[(number * 2 + position) % len(villages)]
                if kind != OrganisationKind.STEERING_COMMITTEE
                else None
            )
            services.organisation_member_add(
                actor=officer,
                organisation=organisation,
                full_name=full_name,
                position=title,
                assignment=assignment,
                village=village,
                user=logins.get(login) if login else None,
                phone=f"09{(number * 7 + position) % 10}{1000000 + number * 104729 + position * 7919:07d}"[
                    :10
                ],
            )
        made[kind] = organisation
    return made


def _sources(commune: Unit, officer: User) -> dict[str, FundSource]:
    made = {}
    for kind, name, donor, allocations in SOURCES:
        source = services.source_create(actor=officer, unit=commune, kind=kind, name=name, donor=donor)
        for day, amount, description in allocations:
            services.ledger_allocate(
                actor=officer, source=source, amount=amount, date=day, description=description
            )
        made[kind] = source
    return made


def _group(result: ReviewResult) -> str:
    deprived = [c for c in result.deprived.split(";") if c]
    return services.suggest_group(labour_capacity=result.labour_capacity, deprived=deprived)


def _household_supports(
    officer: User,
    household: Household,
    members: list[Member],
    result: ReviewResult,
    group: str,
    organisation: Organisation,
    sources: dict[str, FundSource],
    balances: dict[int, int],
    rng: random.Random,
) -> Counter[str]:
    made: Counter[str] = Counter()
    poor = result.status == "poor"

    def record(**values: Any) -> Support:
        source, amount = values.get("source"), values.get("amount", 0)
        delivered = values.get("status", SupportStatus.DELIVERED) == SupportStatus.DELIVERED
        if source is not None and amount and delivered:
            if balances[source.pk] < amount:
                # The money has run out: the need stays recorded, to be met from the next allocation.
                values.update(status=SupportStatus.NEEDED, amount=0, source=None)
            else:
                balances[source.pk] -= amount
        made[str(values["kind"])] += 1
        return services.support_record(
            actor=officer, household=household, organisation=organisation, **values
        )

    # Tết gifts to every household on the lists, from the donor (poor) and the fund (near-poor).
    record(
        kind=SupportKind.DONATION,
        form=SupportForm.DONATION_CASH,
        date=_d(1, 16),
        amount=500_000 if poor else 300_000,
        source=sources["donor" if poor else "for_the_poor_fund"],
        details={"donor": "Công ty TNHH Thương mại Hồng Lĩnh (demo)" if poor else "Quỹ Vì người nghèo xã"},
        note="Quà Tết Quý Mão (demo)",
    )
    # Health-insurance cards for those without one (the state pays for the poor, 70 % for the near-poor).
    for member in members:
        if member.has_health_insurance is not True and rng.random() < 0.8:
            record(
                kind=SupportKind.HEALTH_INSURANCE,
                form=SupportForm.HI_STATE_FULL if poor else SupportForm.HI_STATE_PARTIAL,
                member=member,
                date=_d(1, 9),
                valid_from=_d(1, 1),
                valid_to=_d(12, 31),
                provider="BHXH huyện Hương Sơn (demo)",
                details={"card_number": f"HN4{42}{rng.randint(10**9, 10**10 - 1)}"},
            )
    # Schooling for children of school age: supplies from the fund in September.
    for member in members:
        age = _age(member, _d(9, 5))
        if age is not None and 3 <= age < 16:
            record(
                kind=SupportKind.SCHOOLING,
                form=SupportForm.SCHOOL_SUPPLIES,
                member=member,
                date=_d(9, 5),
                amount=400_000,
                source=sources["provincial_budget"],
                details={"school": "Trường Tiểu học và THCS Sơn Trung (demo)"},
            )
    # Houses: every damaged house is surveyed; some are repaired or rebuilt from the central budget.
    if household.dwelling in ("semi_solid", "makeshift"):
        record(
            kind=SupportKind.HOUSING,
            form=SupportForm.HOUSING_SURVEY,
            date=_d(3, 20),
            details={
                "condition": "Nhà xuống cấp, dột mái (demo)"
                if household.dwelling == "semi_solid"
                else "Nhà tạm (demo)"
            },
        )
        if rng.random() < 0.45:
            new_build = household.dwelling == "makeshift"
            record(
                kind=SupportKind.HOUSING,
                form=SupportForm.HOUSING_NEW_BUILD if new_build else SupportForm.HOUSING_REPAIR,
                date=_d(8, 25),
                amount=40_000_000 if new_build else 20_000_000,
                source=sources["central_budget"],
                details={"completed_on": _d(11, 10).isoformat()},
            )
    able = [m for m in members if m.able_to_work and (_age(m, _d(6, 1)) or 0) >= 15]
    if group == PlanGroup.HAS_LABOUR or able:
        # A loan for most households with labour; a few needs are not met yet at the end of the year.
        if rng.random() < 0.7:
            met = rng.random() < 0.85
            amount = rng.choice([30, 40, 50, 60, 80, 100]) * 1_000_000
            record(
                kind=SupportKind.LOAN,
                form=SupportForm.LOAN_POOR if poor else SupportForm.LOAN_NEAR_POOR,
                status=SupportStatus.DELIVERED if met else SupportStatus.NEEDED,
                date=_d(rng.randint(3, 9), rng.randint(1, 28)),
                amount=amount if met else 0,
                provider="NHCSXH huyện Hương Sơn (demo)",
                details={
                    "term_months": rng.choice([36, 48, 60]),
                    "outstanding": amount if met else 0,
                    "lender": "Ngân hàng Chính sách xã hội (demo)",
                },
            )
        if poor and rng.random() < 0.6:
            record(
                kind=SupportKind.PRODUCTION,
                form=SupportForm.PRODUCTION_LIVESTOCK,
                date=_d(5, rng.randint(5, 25)),
                amount=rng.choice([8, 10, 12, 15]) * 1_000_000,
                source=sources["central_budget"],
                details={
                    "description": rng.choice(
                        [
                            "01 con bò cái giống (demo)",
                            "05 con dê giống (demo)",
                            "Lợn giống và thức ăn (demo)",
                        ]
                    )
                },
            )
        for member in able[:2]:
            if member.employment in ("unemployed", "employed_without_contract") or rng.random() < 0.3:
                form = rng.choice(
                    [SupportForm.JOB_COUNSELLING] * 3
                    + [SupportForm.JOB_TRAINING, SupportForm.JOB_LABOUR_EXPORT]
                )
                record(
                    kind=SupportKind.JOB,
                    form=form,
                    member=member,
                    date=_d(6, 22),
                    status=SupportStatus.DELIVERED if rng.random() < 0.9 else SupportStatus.NEEDED,
                    amount=3_000_000 if form == SupportForm.JOB_TRAINING else 0,
                    source=sources["local_budget"] if form == SupportForm.JOB_TRAINING else None,
                    details={
                        "place": "Trung tâm GDNN-GDTX huyện (demo)"
                        if form != SupportForm.JOB_LABOUR_EXPORT
                        else "Nhật Bản (demo)"
                    },
                )
    if household.provincial_income_support:
        record(
            kind=SupportKind.INCOME_SUPPORT,
            form=SupportForm.INCOME_PROVINCIAL,
            date=_d(1, 25),
            valid_from=_d(1, 1),
            valid_to=_d(12, 31),
            amount=12 * 500_000,
            source=sources["provincial_budget"],
            details={"dossier_status": "approved", "monthly_amount": 500_000},
        )
    elif group == PlanGroup.ELDERLY_NO_LABOUR and poor and rng.random() < 0.15:
        record(
            kind=SupportKind.INCOME_SUPPORT,
            form=SupportForm.INCOME_PROVINCIAL,
            status=SupportStatus.NEEDED,
            date=_d(6, 30),
            details={"dossier_status": "preparing"},
        )
    return made


def _activities(commune: Unit, officer: User, organisations: dict[str, Organisation]) -> Counter[str]:
    made: Counter[str] = Counter()
    for month, day, kind, title, place, reach, organisation_kind in ACTIVITIES:
        services.activity_record(
            actor=officer,
            unit=commune,
            kind=kind,
            title=f"{title} (demo)",
            date=_d(month, day),
            place=place,
            reach=reach,
            organisation=organisations.get(organisation_kind) if organisation_kind else None,
        )
        made["activities"] += 1
    return made


def _reports(commune: Unit, officer: User) -> int:
    approver = User.objects.filter(username=APPROVER).select_related("unit").first()
    q1 = report_services.progress_report_submit(actor=officer, unit=commune, period=f"{YEAR}-Q1")
    if approver is not None:
        report_services.progress_report_decide(
            actor=approver, report=q1, approve=True, comment="Đồng ý (demo)"
        )
    report_services.progress_report_submit(actor=officer, unit=commune, period=f"{YEAR}-Q2")
    return 2


@transaction.atomic
def support_demo_reset(commune: Unit) -> None:
    """Remove the tracker's demo data of ``commune`` and its history (ledger entries first: they point at
    supports; supports before the register they point at)."""
    path = commune.path
    ProgressReport.history.filter(unit_id=commune.pk).delete()
    ProgressReport.objects.filter(unit=commune).delete()
    LedgerEntry.objects.filter(unit_path__startswith=path).order_by("-id").update(reverses=None)
    LedgerEntry.objects.filter(unit_path__startswith=path).delete()
    Support.history.filter(unit_path__startswith=path).delete()
    Support.objects.filter(unit_path__startswith=path).delete()
    plans = EscapePlan.objects.filter(unit_path__startswith=path)
    Milestone.history.filter(plan_id__in=plans.values("pk")).delete()
    Milestone.objects.filter(plan__in=plans).delete()
    EscapePlan.history.filter(unit_path__startswith=path).delete()
    plans.delete()
    Activity.history.filter(unit_path__startswith=path).delete()
    Activity.objects.filter(unit_path__startswith=path).delete()
    organisations = Organisation.objects.filter(unit_path__startswith=path)
    OrganisationMember.history.filter(organisation_id__in=organisations.values("pk")).delete()
    OrganisationMember.objects.filter(organisation__in=organisations).delete()
    Organisation.history.filter(unit_path__startswith=path).delete()
    organisations.delete()
    sources = FundSource.objects.filter(unit_path__startswith=path)
    FundSource.history.filter(unit_path__startswith=path).delete()
    sources.delete()
