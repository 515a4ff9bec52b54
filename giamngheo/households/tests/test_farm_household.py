"""Issue 17 C4: whether a household works in agriculture, forestry, fishery or salt production is a fact of
the register (nullable: not recorded until someone says), edited on the household's form, shown on its page,
kept in history (Phiếu B honours it: ``reviews/tests/test_average_needs_a_farm_household.py``)."""

from __future__ import annotations

from django.urls import reverse

from giamngheo.households.models import Household
from giamngheo.testing.language import vi


def test_the_form_records_it_and_the_page_and_history_show_it(household_register, officer, client):
    h1 = household_register["h1"]
    assert h1.farm_household is None  # not recorded: the register before issue 17 C4
    client.force_login(officer)
    form = client.get(reverse("households:edit", args=[h1.pk])).context["form"]
    assert "farm_household" in form.fields
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(farm_household="false", version=h1.version)
    response = client.post(reverse("households:edit", args=[h1.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Household.objects.get(pk=h1.pk).farm_household is False
    html = client.get(reverse("households:detail", args=[h1.pk])).content.decode()
    label = vi("Works in agriculture, forestry, fishery or salt production")
    assert label in html
    assert f"{label}: <del>—</del> → <ins>" in html  # the history row (its field name, capitalised)
