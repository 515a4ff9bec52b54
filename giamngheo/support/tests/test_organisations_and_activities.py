"""Organisations and the steering committee, their members and assignments; communication activities."""

import pytest

from giamngheo.errors import InputError
from giamngheo.support import services
from giamngheo.support.models import Activity, Organisation
from giamngheo.support.selectors import activity_list


def test_the_steering_committee_and_mass_organisations_with_their_members(
    support_register, officer, women_user
):
    committee = services.organisation_create(
        actor=officer,
        unit=support_register.commune,
        kind="steering_committee",
        name="Ban Chỉ đạo giảm nghèo xã",
    )
    services.organisation_member_add(
        actor=officer,
        organisation=committee,
        full_name="Trần Đình Quang",
        position="Trưởng ban",
        assignment="Chỉ đạo chung",
    )
    services.organisation_member_add(
        actor=officer,
        organisation=committee,
        full_name="Nguyễn Thị Lan",
        position="Thường trực",
        assignment="Thôn Mai Hà",
        village=support_register.mai_ha,
        user=officer,
    )
    assert list(committee.members.order_by("id").values_list("full_name", "assignment")) == [
        ("Trần Đình Quang", "Chỉ đạo chung"),
        ("Nguyễn Thị Lan", "Thôn Mai Hà"),
    ]


def test_organisation_input_is_checked(support_register, officer, village_head, other_officer):
    services.organisation_create(
        actor=officer, unit=support_register.commune, kind="youth_union", name="Đoàn TN"
    )
    with pytest.raises(InputError):
        services.organisation_create(
            actor=officer, unit=support_register.commune, kind="youth_union", name="Đoàn TN"
        )
    with pytest.raises(InputError):
        services.organisation_create(actor=officer, unit=support_register.commune, kind="club", name="CLB")
    with pytest.raises(InputError):  # a village head does not manage the commune's organisations
        services.organisation_create(
            actor=village_head, unit=support_register.commune, kind="veterans", name="CCB"
        )
    union = Organisation.objects.get()
    with pytest.raises(InputError) as error:  # a login of another commune
        services.organisation_member_add(actor=officer, organisation=union, full_name="X", user=other_officer)
    assert error.value.problems[0].column == "user"
    assert Organisation.objects.count() == 1


def test_an_activity_is_recorded_with_date_place_and_reach(support_register, officer):
    activity = services.activity_record(
        actor=officer,
        unit=support_register.mai_ha,
        kind="meeting",
        title="Họp thôn",
        date="2023-03-08",
        place="Nhà văn hoá",
        reach="48",
    )
    assert (activity.reach, activity.unit_path) == (48, support_register.mai_ha.path)
    assert list(activity_list(user=officer, unit=support_register.commune, year=2023)) == [activity]


@pytest.mark.parametrize(
    ("field", "value"), [("reach", "-3"), ("reach", "nhiều"), ("date", "2099-01-01"), ("kind", "party")]
)
def test_bad_activity_input_writes_nothing(support_register, officer, field, value):
    values = {"kind": "broadcast", "title": "Phát thanh", "date": "2023-03-08", "reach": 100, field: value}
    with pytest.raises(InputError) as error:
        services.activity_record(actor=officer, unit=support_register.commune, **values)
    assert error.value.problems[0].column == field
    assert not Activity.objects.exists()


def test_a_mass_organisation_member_records_activities_of_their_organisation_only(
    support_register, officer, women_user
):
    union = services.organisation_create(
        actor=officer, unit=support_register.commune, kind="womens_union", name="Hội PN"
    )
    farmers = services.organisation_create(
        actor=officer, unit=support_register.commune, kind="farmers_union", name="Hội ND"
    )
    services.organisation_member_add(
        actor=officer, organisation=union, full_name="Phạm Thị Hoa", user=women_user
    )
    services.activity_record(
        actor=women_user,
        unit=support_register.commune,
        kind="meeting",
        title="Sinh hoạt",
        date="2023-03-08",
        organisation=union,
    )
    for organisation in (farmers, None):
        with pytest.raises(InputError):
            services.activity_record(
                actor=women_user,
                unit=support_register.commune,
                kind="meeting",
                title="X",
                date="2023-03-08",
                organisation=organisation,
            )


def test_activities_are_scoped(support_register, officer, other_officer):
    services.activity_record(
        actor=officer, unit=support_register.commune, kind="broadcast", title="Loa", date="2023-03-08"
    )
    assert not list(activity_list(user=other_officer, unit=other_officer.unit))
