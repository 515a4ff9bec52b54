"""Register pages: thin views. Each one finds the household through the user's scope (a household outside
it is "not found"), checks ``units.change_unit_data`` on the household's village before any write, and
leaves the rules to ``services`` and the reads to ``selectors``."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.accounts.models import User
from giamngheo.common.web import add_problems, problem_both_languages
from giamngheo.errors import InputError
from giamngheo.households import selectors, services
from giamngheo.households.forms import (
    CATEGORY_LABELS,
    HouseholdForm,
    MemberForm,
    MemberMoveForm,
    MergeForm,
    RegisterFilterForm,
    SplitForm,
)
from giamngheo.households.labour import household_no_labour_capacity
from giamngheo.households.models import Household, Member, Status
from giamngheo.text import fold
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q

if TYPE_CHECKING:
    from django.forms import ChoiceField

# Short category marks for the list (the household page spells them out).
BADGES = (
    ("social_protection", gettext_lazy("Social protection")),
    ("ethnic_minority", gettext_lazy("Ethnic minority")),
    ("meritorious", gettext_lazy("Meritorious")),
    ("provincial_income_support", gettext_lazy("Income support")),
)


# --- helpers --------------------------------------------------------------------------------------------


def _household(request: AuthenticatedRequest, pk: int) -> Household:
    household = selectors.household_for(request.user, pk)
    if household is None:
        raise Http404(_("No such household in your area"))
    return household


def _may_edit(user: User, household: Household) -> bool:
    return user.has_perm("units.change_unit_data", household.village)


def _require_edit(request: AuthenticatedRequest, household: Household) -> None:
    if not _may_edit(request.user, household):
        raise PermissionDenied(_("You may read this household but not change it."))


def editable_villages(user: User) -> QuerySet[Unit]:
    """Villages the user may put households in: in scope, and only for roles that edit."""
    if not user.can_edit:
        return Unit.objects.none()
    return (
        Unit.objects.filter(scope_q(user), level__code="village")
        .select_related("level", "parent")
        .order_by("parent__sort_order", "parent__name", "sort_order", "name")
    )


def _changes(form: Any, skip: tuple[str, ...] = ("version", "confirm_duplicate")) -> dict[str, Any]:
    return {name: value for name, value in form.cleaned_data.items() if name not in skip}


# --- the list -------------------------------------------------------------------------------------------


SEARCHES_KEPT = 20  # citizen-ID searches a session remembers (older tokens stop working)


def _search_redirect(request: AuthenticatedRequest) -> HttpResponse:
    """The search form posts; the list is then shown at a GET address (bookmarkable, pages continue). A
    citizen ID never goes into that address (nor so into access logs or the browser history): it stays in
    the session and the address carries a random token for it (``cid``)."""
    params = request.POST.copy()
    params.pop("csrfmiddlewaretoken", None)
    compact = params.get("q", "").replace(" ", "")
    if services.CITIZEN_ID.match(compact):
        token = secrets.token_urlsafe(9)
        kept = dict(list(request.session.get("citizen_id_searches", {}).items())[-(SEARCHES_KEPT - 1) :])
        kept[token] = compact
        request.session["citizen_id_searches"] = kept
        params.pop("q")
        params["cid"] = token
    return redirect(reverse("households:list") + ("?" + params.urlencode() if params else ""))


def _list_params(request: AuthenticatedRequest) -> Any:
    params = request.GET.copy()
    token = params.pop("cid", [None])[-1]
    if token:
        params["q"] = request.session.get("citizen_id_searches", {}).get(token, "")
    return params


@login_required
def household_list(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        return _search_redirect(request)
    user: User = request.user
    selected = None
    if request.GET.get("unit", "").isdigit():
        selected = (
            Unit.objects.filter(scope_q(user), pk=int(request.GET["unit"])).select_related("level").first()
        )
    form = RegisterFilterForm(_list_params(request) or None, units=selectors.filter_units(user, selected))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    query = selectors.RegisterQuery(
        text=data.get("q") or "",
        unit=data.get("unit"),
        status=data.get("status") or "",
        categories=tuple(data.get("category") or ()),
        newly_escaped=bool(data.get("newly_escaped")),
        include_closed=bool(data.get("closed")),
        sort=data.get("sort") or "name",
        after=data.get("after"),
        known_total=data.get("n"),
        any_order=bool(data.get("words")),
    )
    page = selectors.register_page(user, query)
    status_labels = dict(Status.choices)
    for row in page.rows:
        row.status_label = status_labels.get(row.status, "")  # type: ignore[attr-defined]
        row.badges = [short for name, short in BADGES if getattr(row, name)]  # type: ignore[attr-defined]
        row.matched = [  # type: ignore[attr-defined]
            m for m in page.matched_members.get(row.pk, []) if fold(m.full_name) != fold(row.head_name)
        ]
    # Where the page stands in the list ("51–100 / 1.545"): pages continue after the last row seen (keyset),
    # so the links carry how many rows came before (``s``).
    start = int(request.GET["s"]) if query.after is not None and request.GET.get("s", "").isdigit() else 0
    position = {
        "first": start + 1,
        "last": start + len(page.rows),
        "total": page.total if page.total is not None and not page.capped else None,
    }
    paging = ("after", "n", "words", "s")
    next_url = None
    if page.next_after is not None:
        params: list[tuple[str, Any]] = [
            (k, v) for k, vs in request.GET.lists() for v in vs if k not in paging
        ]
        if page.any_order or query.any_order:
            params.append(("words", "1"))  # later pages keep the any-order match the first page fell back to
        params.append(("after", page.next_after))
        params.append(("s", position["last"]))
        if page.total is not None and not page.capped:
            params.append(("n", page.total))
        next_url = "?" + urlencode(params)
    first_url = None
    if query.after is not None:
        first_url = "?" + urlencode([(k, v) for k, vs in request.GET.lists() for v in vs if k not in paging])
    context = {
        "form": form,
        "options": _filter_options(form, query),
        "list_url": reverse("households:list"),
        "page": page,
        "query": query,
        "next_url": next_url,
        "first_url": first_url,
        "position": position,
        # The categories column only when a row of the page has one: an empty column says nothing.
        "show_categories": any(row.badges for row in page.rows),  # type: ignore[attr-defined]
        "can_create": user.can_edit and user.unit_id is not None,
        "category_labels": CATEGORY_LABELS,
    }
    return render(request, "households/list.html", context)


def _options(choices: Any, selected: set[str], *, checkbox: str | None = None) -> str:
    """<option>s (or labelled checkboxes) written in one go: the list page re-renders them on every search."""
    rows: Iterator[tuple[Any, ...]]
    if checkbox:
        rows = (
            (checkbox, value, " checked" if str(value) in selected else "", label) for value, label in choices
        )
        return format_html_join("", '<label><input type="checkbox" name="{}" value="{}"{}> {}</label>', rows)
    rows = ((value, " selected" if str(value) in selected else "", label) for value, label in choices)
    return format_html_join("", '<option value="{}"{}>{}</option>', rows)


def _filter_options(form: RegisterFilterForm, query: selectors.RegisterQuery) -> dict[str, str]:
    fields = cast("dict[str, ChoiceField]", form.fields)  # the stubs type each as Field
    return {
        "unit": _options(fields["unit"].choices, {str(query.unit.pk) if query.unit else ""}),
        "status": _options(fields["status"].choices, {query.status}),
        "sort": _options(fields["sort"].choices, {query.sort}),
        "category": _options(fields["category"].choices, set(query.categories), checkbox="category"),
    }


# --- one household --------------------------------------------------------------------------------------


def _detail_context(
    request: AuthenticatedRequest, household: Household, revealed: dict[int, str] | None = None
) -> dict:
    members = selectors.household_members(household)
    for member in members:
        member.masked_cid = services.mask_citizen_id(member.citizen_id)  # type: ignore[attr-defined]
        member.revealed_cid = (revealed or {}).get(member.pk, "")  # type: ignore[attr-defined]
    today = timezone.localdate()
    no_labour, derived = household_no_labour_capacity(household, members, today)
    results = selectors.household_results(household)
    categories = [
        (CATEGORY_LABELS["social_protection"], household.social_protection),
        (CATEGORY_LABELS["ethnic_minority"], household.ethnic_minority),
        (CATEGORY_LABELS["meritorious"], household.meritorious),
        (CATEGORY_LABELS["provincial_income_support"], household.provincial_income_support),
    ]
    return {
        "household": household,
        "members": members,
        "no_labour": no_labour,
        "no_labour_derived": derived,
        "categories": categories,
        "results": results,
        "latest_decided": next((r for r in results if r.review_round.is_decided), None),
        "history": selectors.household_history(household),
        "can_edit": _may_edit(request.user, household) and household.dissolved_on is None,
    }


@login_required
def household_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    return render(request, "households/detail.html", _detail_context(request, household))


@login_required
@require_POST
def citizen_id_show(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Show one member's full citizen ID to a user who may edit the household — and record that they did."""
    member = Member.objects.filter(pk=pk).first()
    household = _household(request, member.household_id) if member else None
    if member is None or household is None:
        raise Http404(_("No such person in your area"))
    _require_edit(request, household)
    value = services.citizen_id_reveal(actor=request.user, member=member)
    if request.headers.get("HX-Request"):
        return render(request, "households/_citizen_id.html", {"value": value})
    return render(request, "households/detail.html", _detail_context(request, household, {member.pk: value}))


# --- editing --------------------------------------------------------------------------------------------


@login_required
def household_create(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    villages = editable_villages(user)
    if not villages.exists():
        raise PermissionDenied(_("Your account cannot add households."))
    form = HouseholdForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = _changes(form)
        try:
            household = services.household_create(actor=user, **data)
        except InputError as error:
            add_problems(form, error, problem_both_languages)
        else:
            messages.success(request, _("Household %(code)s was added.") % {"code": household.code})
            return redirect("households:detail", pk=household.pk)
    return render(request, "households/household_form.html", {"form": form, "household": None})


@login_required
def household_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    _require_edit(request, household)
    villages = editable_villages(request.user)
    form = HouseholdForm(request.POST or None, instance=household, villages=villages)
    conflict = None
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data["version"]
        try:
            services.household_update(
                actor=request.user,
                household=Household.objects.get(pk=household.pk),
                expected_version=expected,
                **_changes(form),
            )
        except services.ConflictError as error:
            conflict = {
                "message": problem_both_languages(error.problems[0]),
                "changes": selectors.household_changes_since(household, expected),
            }
        except InputError as error:
            add_problems(form, error, problem_both_languages)
        else:
            messages.success(request, _("The household was saved."))
            return redirect("households:detail", pk=household.pk)
    return render(
        request,
        "households/household_form.html",
        {"form": form, "household": household, "conflict": conflict},
    )


def _member_form_page(
    request: AuthenticatedRequest, household: Household, member: Member | None
) -> HttpResponse:
    form = MemberForm(request.POST or None, instance=member)
    duplicates = selectors.Duplicates(visible=[])
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = selectors.member_duplicates_for(
            user=request.user,
            commune=household.commune,
            full_name=data["full_name"],
            birth_date=data.get("birth_date"),
            exclude_pk=member.pk if member else None,
        )
        if (duplicates.visible or duplicates.elsewhere) and not data.get("confirm_duplicate"):
            form.add_error(
                None,
                _("Someone with this name and birth date is already in the commune. Check the list below."),
            )
        else:
            try:
                if member is None:
                    saved = services.member_add(
                        actor=request.user,
                        household=household,
                        **_changes(form),
                    )
                else:
                    saved = services.member_update(
                        actor=request.user,
                        member=member,
                        expected_version=data["version"],
                        **_changes(form),
                    )
            except services.ConflictError as error:
                conflict = {"message": problem_both_languages(error.problems[0]), "changes": []}
            except InputError as error:
                add_problems(form, error, problem_both_languages)
            else:
                messages.success(request, _("%(name)s was saved.") % {"name": saved.full_name})
                return redirect("households:detail", pk=household.pk)
    for duplicate in duplicates.visible:
        duplicate.masked_cid = services.mask_citizen_id(duplicate.citizen_id)  # type: ignore[attr-defined]
    context = {
        "form": form,
        "household": household,
        "member": member,
        "duplicates": duplicates,
        "conflict": conflict,
    }
    return render(request, "households/member_form.html", context)


@login_required
def member_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    _require_edit(request, household)
    return _member_form_page(request, household, None)


def _member(request: AuthenticatedRequest, pk: int) -> tuple[Member, Household]:
    member = Member.objects.filter(pk=pk).first()
    if member is None:
        raise Http404(_("No such person in your area"))
    household = _household(request, member.household_id)
    _require_edit(request, household)
    return member, household


@login_required
def member_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    member, household = _member(request, pk)
    return _member_form_page(request, household, member)


@login_required
def member_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    member, household = _member(request, pk)
    form = MemberMoveForm(request.POST or None, initial={"version": member.version, "relation": "other"})
    if request.method == "POST" and form.is_valid():
        target = (
            selectors.households_visible_to(request.user)
            .select_related("village")
            .filter(
                commune=household.commune,
                code=form.cleaned_data["to_code"].strip(),
                dissolved_on__isnull=True,
            )
            .first()
        )
        if target is None or not _may_edit(request.user, target):
            form.add_error(
                "to_code",
                _("No open household with this code that you may change in %(commune)s.")
                % {"commune": household.commune.name},
            )
        else:
            try:
                services.member_move(
                    actor=request.user,
                    member=member,
                    to_household=target,
                    expected_version=form.cleaned_data["version"],
                    relation=form.cleaned_data["relation"],
                )
            except InputError as error:
                add_problems(form, error, problem_both_languages)
            else:
                messages.success(
                    request,
                    _("%(name)s moved to household %(code)s.")
                    % {"name": member.full_name, "code": target.code},
                )
                return redirect("households:detail", pk=target.pk)
    return render(
        request, "households/member_move.html", {"form": form, "member": member, "household": household}
    )


@login_required
def household_split(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    _require_edit(request, household)
    villages = editable_villages(request.user)
    form = SplitForm(request.POST or None, household=household, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.household_split(
                actor=request.user,
                household=household,
                expected_version=data["version"],
                members=list(data["members"]),
                code=data["code"],
                head=data["head"],
                village=data["village"],
                remaining_head=data.get("remaining_head"),
            )
        except InputError as error:
            add_problems(form, error, problem_both_languages)
        else:
            messages.success(request, _("Household %(code)s was split off.") % {"code": new.code})
            return redirect("households:detail", pk=new.pk)
    return render(request, "households/split.html", {"form": form, "household": household})


@login_required
def household_merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Two steps: name the household that joins (by code), then confirm after seeing both."""
    household = _household(request, pk)
    _require_edit(request, household)
    form = MergeForm(request.POST or None, initial={"version": household.version})
    other = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        other = (
            selectors.households_visible_to(request.user)
            .select_related("village")
            .filter(commune=household.commune, code=data["other_code"].strip(), dissolved_on__isnull=True)
            .exclude(pk=household.pk)
            .first()
        )
        if other is None or not _may_edit(request.user, other):
            form.add_error(
                "other_code",
                _("No other open household with this code that you may change in %(commune)s.")
                % {"commune": household.commune.name},
            )
            other = None
        elif data.get("confirm") and data.get("other_version"):
            try:
                services.household_merge(
                    actor=request.user,
                    household=household,
                    expected_version=data["version"],
                    merged=other,
                    merged_expected_version=data["other_version"],
                )
            except InputError as error:
                add_problems(form, error, problem_both_languages)
            else:
                messages.success(
                    request, _("Household %(code)s was merged into this one.") % {"code": other.code}
                )
                return redirect("households:detail", pk=household.pk)
    context = {
        "form": form,
        "household": household,
        "other": other,
        "other_members": selectors.household_members(other) if other else [],
        "members": selectors.household_members(household),
    }
    return render(request, "households/merge.html", context)
