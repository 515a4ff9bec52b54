"""The plan page: who sees what, the editable grid (htmx), the proposal, rates, indicators, the text."""

import pytest
from django.urls import reverse

from giamngheo.plans.models import IndicatorTarget, Plan, PlanTemplate

URL = reverse("plans:detail", args=["18133", 2023])
HTMX = {"HTTP_HX_REQUEST": "true"}


def grid(plan, **changes):
    data = {"version": plan.version}
    for target in plan.targets.all():
        data[f"poor-{target.village_id}"] = target.poor_reduction
        data[f"near-{target.village_id}"] = target.near_poor_reduction
    data.update(changes)
    return data


@pytest.fixture
def plan(demo_register):
    return Plan.objects.get(commune=demo_register, year=2023)


def test_the_officer_sees_the_table_the_analysis_and_the_indicators_in_few_queries(
    client, officer, plan, django_assert_max_num_queries
):
    client.force_login(officer)
    # 17 for the page (the register's households of the baseline and of the actual review among them: the
    # rates' denominators), 4 for the loans and job-counselling values from the support tracker (its rounds,
    # the villages moved in from other communes, the loan records, the members' job supports; PostgreSQL
    # reads the households on the lists once more, as an id array): a fixed number, whatever the commune's
    # size.
    with django_assert_max_num_queries(22):
        response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="poor-' in html  # the grid is editable
    assert "1.545" in html and "4,08%" in html and "3,30%" in html
    assert "Mỹ Sơn" in html and "Hải Thượng" in html
    assert "138/QĐ-UBND (demo)" in html  # target against actual, from the end-2023 review


def test_the_province_viewer_reads_but_cannot_edit(client, province_viewer, plan):
    client.force_login(province_viewer)
    html = client.get(URL).content.decode()
    assert "1.545" in html and 'name="poor-' not in html
    village = plan.targets.first().village_id
    response = client.post(
        reverse("plans:targets", args=["18133", 2023]), grid(plan, **{f"poor-{village}": 0})
    )
    assert response.status_code == 403


def test_an_officer_of_another_commune_does_not_find_the_plan(client, other_officer, plan):
    client.force_login(other_officer)
    assert client.get(URL).status_code == 404
    assert client.get(reverse("plans:targets_download", args=["18133", 2023, "csv"])).status_code == 404


def test_a_village_head_sees_only_the_village_and_not_the_commune_document(client, village_head, plan):
    client.force_login(village_head)
    html = client.get(URL).content.decode()
    assert "Mai Hà" in html and "Hà Tràng" not in html and 'name="poor-' not in html
    assert client.get(reverse("plans:plan_download", args=["18133", 2023, "docx"])).status_code == 403
    csv = client.get(reverse("plans:targets_download", args=["18133", 2023, "csv"])).content.decode()
    assert csv.splitlines()[1].startswith("1,Mai Hà,202,3,1.49,1,")


def test_saving_the_grid_through_htmx_returns_the_section_with_the_new_rates(client, officer, plan):
    client.force_login(officer)
    my_son = plan.targets.get(village__name="Mỹ Sơn")
    response = client.post(
        reverse("plans:targets", args=["18133", 2023]), grid(plan, **{f"poor-{my_son.village_id}": 2}), **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="plan-targets"')
    my_son.refresh_from_db()
    assert my_son.poor_reduction == 2
    assert "3,37%" in html and 'role="alert"' in html  # 52 of 1,545 is above the 3,30% assigned


def test_a_bad_grid_names_the_village_and_saves_nothing(client, officer, plan):
    client.force_login(officer)
    mai_ha = plan.targets.get(village__name="Mai Hà")
    response = client.post(
        reverse("plans:targets", args=["18133", 2023]), grid(plan, **{f"poor-{mai_ha.village_id}": 7}), **HTMX
    )
    html = response.content.decode()
    assert "Mai Hà" in html and "chỉ có 3 hộ nghèo" in html
    mai_ha.refresh_from_db()
    assert mai_ha.poor_reduction == 1


def test_a_stale_grid_is_refused(client, officer, plan):
    client.force_login(officer)
    response = client.post(
        reverse("plans:targets", args=["18133", 2023]), grid(plan, version=plan.version - 1), **HTMX
    )
    assert "vừa được người khác cập nhật" in response.content.decode()


def test_the_grid_works_without_javascript(client, officer, plan):
    client.force_login(officer)
    response = client.post(reverse("plans:targets", args=["18133", 2023]), grid(plan))
    assert response.status_code == 302 and response["Location"] == URL


def test_the_proposal_fills_the_grid_with_the_seed_split_without_saving(client, officer, plan):
    client.force_login(officer)
    plan.targets.update(poor_reduction=0, near_poor_reduction=0)
    response = client.post(reverse("plans:propose", args=["18133", 2023]), {"basis": "labour"}, **HTMX)
    html = response.content.decode()
    my_son = plan.targets.get(village__name="Mỹ Sơn").village_id
    hai_thuong = plan.targets.get(village__name="Hải Thượng").village_id
    assert f'name="poor-{my_son}" value="3"' in html and f'name="near-{hai_thuong}" value="4"' in html
    assert plan.targets.filter(poor_reduction__gt=0).count() == 0


def test_assigned_rates_are_saved_and_checked(client, officer, plan):
    client.force_login(officer)
    response = client.post(
        reverse("plans:rates", args=["18133", 2023]),
        {"assigned_poor_rate": "3,00", "assigned_near_poor_rate": "3,50", "version": plan.version},
        **HTMX,
    )
    plan.refresh_from_db()
    assert str(plan.assigned_poor_rate) == "3.00"
    assert 'role="alert"' in response.content.decode()  # 3,30% planned is above 3,00% assigned


def test_an_indicator_target_is_edited_in_place(client, officer, plan):
    client.force_login(officer)
    target = plan.indicators.get(measure="job_counselling")
    url = reverse("plans:indicator_edit", args=["18133", 2023, target.pk])
    assert 'name="text"' in client.get(url, **HTMX).content.decode()
    response = client.post(
        url, {"text": "Phấn đấu 95% người …", "definition": "", "target_percent": "95"}, **HTMX
    )
    assert "Phấn đấu 95% người" in response.content.decode()
    assert IndicatorTarget.objects.get(pk=target.pk).target_percent == 95


def test_the_plan_text_is_edited_by_the_commune_and_validated(client, officer, demo_register):
    client.force_login(officer)
    url = reverse("plans:template", args=["18133"])
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["version"] = ""
    response = client.post(url, {**data, "closing": "Năm {nam}./."})
    assert response.status_code == 400 and "{nam}" in response.content.decode()
    assert not PlanTemplate.objects.exists()
    response = client.post(url, {**data, "closing": "Kế hoạch năm {year} của xã {commune}./."})
    assert response.status_code == 302
    assert (
        PlanTemplate.objects.get(commune=demo_register).closing == "Kế hoạch năm {year} của xã {commune}./."
    )


def test_the_province_viewer_may_read_the_text_but_not_change_it(client, province_viewer, demo_register):
    client.force_login(province_viewer)
    url = reverse("plans:template", args=["18133"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "X"}).status_code == 403


def test_downloads(client, officer, plan):
    client.force_login(officer)
    for fmt, kind in (("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("html", "text/html")):
        response = client.get(reverse("plans:targets_download", args=["18133", 2023, fmt]))
        assert response.status_code == 200 and kind in response["Content-Type"]
    html = client.get(reverse("plans:targets_download", args=["18133", 2023, "html"])).content.decode()
    assert "/static/vendor/fonts/liberation-serif/" in html and "file://" not in html
    docx = client.get(reverse("plans:plan_download", args=["18133", 2023, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert 'filename="ke-hoach-giam-ngheo-18133-2023.docx"' in docx["Content-Disposition"]


def test_starting_a_plan_without_a_baseline_names_the_missing_review(client, officer, demo_register):
    client.force_login(officer)
    response = client.post(reverse("plans:open"), {"commune": "18133", "year": 2022})
    assert response.status_code == 400 and "cuối năm 2021" in response.content.decode()
    response = client.post(reverse("plans:open"), {"commune": "18133", "year": 2024})
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:detail", args=["18133", 2024]
    )


def test_the_index_lists_the_plans_the_user_may_see(client, province_viewer, other_officer, plan):
    client.force_login(province_viewer)
    assert client.get(reverse("plans:index"))["Location"] == URL  # the one plan it may see
    assert URL in client.get(reverse("plans:index") + "?all=1").content.decode()
    client.force_login(other_officer)
    html = client.get(reverse("plans:index")).content.decode()
    assert URL not in html and 'name="year"' in html  # may start Sơn Hồng's plan
