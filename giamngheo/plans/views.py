"""Plan pages: thin views. Each finds the plan through the user's scope (outside it: "not found"), checks
``units.change_unit_data`` on the commune before any write, and leaves the rules to ``services`` and the
reads to ``selectors``. Writes from the page arrive through htmx (a section is sent back) or as plain
forms (redirect back to the page), so the page also works without JavaScript.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.accounts.models import User
from giamngheo.common.replicas import reads_from_replica
from giamngheo.errors import InputError
from giamngheo.plans import selectors, services
from giamngheo.plans import template as plan_text
from giamngheo.plans.documents import render as renderers
from giamngheo.plans.forms import IndicatorForm, PlanOpenForm, ProposalForm, RatesForm, TemplateForm
from giamngheo.plans.models import IndicatorTarget, Plan
from giamngheo.units.models import Unit

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


# --- helpers -----------------------------------------------------------------------------------------------


def _user(request: AuthenticatedRequest) -> User:
    return request.user


def _is_htmx(request: AuthenticatedRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _plan(request: AuthenticatedRequest, code: str, year: int) -> Plan:
    plan = selectors.plans_visible_to(_user(request)).filter(commune__code=code, year=year).first()
    if plan is None:
        raise Http404(_("No such plan in your area"))
    return plan


def _may_edit(user: User, commune: Unit) -> bool:
    return user.has_perm("units.change_unit_data", commune)


def _require_edit(request: AuthenticatedRequest, commune: Unit) -> None:
    if not _may_edit(_user(request), commune):
        raise PermissionDenied(_("You may read this plan but not change it."))


def _commune(request: AuthenticatedRequest, code: str) -> Unit:
    communes = {c.code: c for c in selectors.communes_for_plans(_user(request))}
    if code not in communes:
        raise Http404(_("No such commune in your area"))
    return communes[code]


def _download(data: bytes | str, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _detail_url(plan: Plan) -> str:
    return reverse("plans:detail", args=[plan.commune.code, plan.year])


# --- the list ----------------------------------------------------------------------------------------------


@login_required
def plan_index(request: AuthenticatedRequest) -> HttpResponse:
    user = _user(request)
    plans = list(selectors.plans_visible_to(user).order_by("commune__path", "-year"))
    communes = selectors.communes_for_plans(user)
    editable = [c for c in communes if _may_edit(user, c)]
    form = PlanOpenForm(communes=editable, year=selectors.next_plan_year(editable)) if editable else None
    if len(plans) == 1 and not editable and request.GET.get("all") is None:
        return redirect(_detail_url(plans[0]))
    return render(request, "plans/index.html", {"plans": plans, "form": form})


@login_required
@require_POST
def plan_open(request: AuthenticatedRequest) -> HttpResponse:
    user = _user(request)
    communes = [c for c in selectors.communes_for_plans(user) if _may_edit(user, c)]
    form = PlanOpenForm(request.POST, communes=communes)
    if not form.is_valid():
        plans = list(selectors.plans_visible_to(user).order_by("commune__path", "-year"))
        return render(request, "plans/index.html", {"plans": plans, "form": form}, status=400)
    commune = next(c for c in communes if c.code == form.cleaned_data["commune"])
    try:
        plan = services.plan_open(actor=user, commune=commune, year=form.cleaned_data["year"])
    except InputError as error:
        plans = list(selectors.plans_visible_to(user).order_by("commune__path", "-year"))
        return render(request, "plans/index.html", {"plans": plans, "form": form, "error": error}, status=400)
    return redirect(_detail_url(plan))


# --- the plan page -----------------------------------------------------------------------------------------


def _grid_rows(
    page_figures: selectors.PlanFigures, values: dict[int, tuple[Any, Any]] | None = None
) -> list[dict]:
    """The grid's rows: baseline counts and the values to show (saved, posted or proposed)."""
    rows = []
    for line, row in zip(page_figures.lines, page_figures.table.rows, strict=True):
        poor, near = (values or {}).get(line.village.pk, (line.poor_reduction, line.near_poor_reduction))
        rows.append(
            {
                "row": row,
                "pk": line.village.pk,
                "name": line.village.name,
                "households": line.counts.households,
                "poor": line.counts.poor,
                "near_poor": line.counts.near_poor,
                "poor_reduction": poor,
                "near_poor_reduction": near,
            }
        )
    return rows


def _targets_context(
    request: AuthenticatedRequest,
    plan: Plan,
    *,
    figures: selectors.PlanFigures | None = None,
    values: dict[int, tuple[Any, Any]] | None = None,
    error: InputError | None = None,
    proposal: selectors.Proposal | None = None,
    saved: list[str] | None = None,
) -> dict[str, Any]:
    user = _user(request)
    figures = figures or selectors.plan_figures(user=user, plan=plan)
    rows = _grid_rows(figures, values)
    return {
        "plan": plan,
        "figures": figures,
        "checks": selectors.rate_checks(figures),
        "grid_rows": rows,
        "grid_json": json.dumps(
            {
                "rows": [{k: v for k, v in r.items() if k != "row"} for r in rows],
                "assigned": {
                    "poor": str(plan.assigned_poor_rate) if plan.assigned_poor_rate is not None else None,
                    "near_poor": str(plan.assigned_near_poor_rate)
                    if plan.assigned_near_poor_rate is not None
                    else None,
                },
            },
            default=str,
        ),
        "can_edit": _may_edit(user, plan.commune),
        "error": error,
        "proposal": proposal,
        "saved": saved,
        "proposal_form": ProposalForm(),
        "rates_form": RatesForm(
            initial={
                "assigned_poor_rate": plan.assigned_poor_rate or "",
                "assigned_near_poor_rate": plan.assigned_near_poor_rate or "",
                "version": plan.version,
            }
        ),
    }


@login_required
@require_GET
def plan_detail(request: AuthenticatedRequest, code: str, year: int) -> HttpResponse:
    plan = _plan(request, code, year)
    user = _user(request)
    page = selectors.plan_page(user=user, plan=plan)
    context = _targets_context(request, plan, figures=page.figures)
    context.update(
        {
            "page": page,
            "indicators": page.indicators,
            "as_of": page.as_of,
            "add_form": IndicatorForm(),
            "editing": None,
            "template_text": selectors.plan_template_for(plan.commune)
            if page.figures.whole_commune
            else None,
            "other_plans": list(
                selectors.plans_visible_to(user)
                .filter(commune=plan.commune)
                .exclude(pk=plan.pk)
                .order_by("-year")
            ),
        }
    )
    return render(request, "plans/detail.html", context)


def _targets_response(
    request: AuthenticatedRequest, plan: Plan, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    if _is_htmx(request):
        return render(request, "plans/_targets.html", context, status=200)
    if context.get("error") is not None:
        messages.error(request, str(context["error"]))
    return redirect(_detail_url(plan))


@login_required
@require_POST
def targets_save(request: AuthenticatedRequest, code: str, year: int) -> HttpResponse:
    plan = _plan(request, code, year)
    _require_edit(request, plan.commune)
    user = _user(request)
    figures = selectors.plan_figures(user=user, plan=plan)
    posted = {
        line.village.pk: (
            request.POST.get(f"poor-{line.village.pk}", ""),
            request.POST.get(f"near-{line.village.pk}", ""),
        )
        for line in figures.lines
    }
    entries = [
        services.TargetEntry(
            village=line.village,
            poor_reduction=posted[line.village.pk][0],
            near_poor_reduction=posted[line.village.pk][1],
        )
        for line in figures.lines
    ]
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        changed = services.plan_targets_set(actor=user, plan=plan, entries=entries, expected_version=version)
    except InputError as error:
        return _targets_response(
            request, plan, _targets_context(request, plan, figures=figures, values=posted, error=error)
        )
    plan.refresh_from_db()
    if not _is_htmx(request):
        messages.success(request, _("The village targets were saved."))
    return _targets_response(request, plan, _targets_context(request, plan, saved=changed))


@login_required
@require_POST
def targets_propose(request: AuthenticatedRequest, code: str, year: int) -> HttpResponse:
    """Fill the grid with a proposed split (not saved: the officer adjusts it, then saves)."""
    plan = _plan(request, code, year)
    _require_edit(request, plan.commune)
    form = ProposalForm(request.POST)
    figures = selectors.plan_figures(user=_user(request), plan=plan)
    if not form.is_valid():
        error = InputError.single(
            "Số hộ giảm phải là số nguyên từ 0", "Reductions must be whole numbers from 0"
        )
        return _targets_response(request, plan, _targets_context(request, plan, figures=figures, error=error))
    proposal = selectors.propose(
        figures,
        poor_total=form.cleaned_data["poor_total"],
        near_poor_total=form.cleaned_data["near_poor_total"],
        basis=form.cleaned_data["basis"],
    )
    values = {pk: (proposal.poor[pk], proposal.near_poor[pk]) for pk in proposal.poor}
    context = _targets_context(request, plan, figures=figures, values=values, proposal=proposal)
    if not _is_htmx(request):  # without JavaScript the proposal is shown on its own page
        return render(request, "plans/proposal.html", context)
    return render(request, "plans/_targets.html", context)


@login_required
@require_POST
def rates_save(request: AuthenticatedRequest, code: str, year: int) -> HttpResponse:
    plan = _plan(request, code, year)
    _require_edit(request, plan.commune)
    form = RatesForm(request.POST)
    error = None
    if form.is_valid():
        try:
            plan = services.plan_rates_set(
                actor=_user(request),
                plan=plan,
                poor_rate=form.cleaned_data["assigned_poor_rate"],
                near_poor_rate=form.cleaned_data["assigned_near_poor_rate"],
                expected_version=form.cleaned_data["version"],
            )
        except InputError as exc:
            error = exc
    else:
        error = InputError.single("Biểu mẫu không hợp lệ", "The form is not valid")
    plan = _plan(request, code, year)
    if error is None and not _is_htmx(request):
        messages.success(request, _("The assigned rates were saved."))
    return _targets_response(request, plan, _targets_context(request, plan, error=error))


# --- indicator targets -------------------------------------------------------------------------------------


def _indicators_response(
    request: AuthenticatedRequest,
    plan: Plan,
    *,
    editing: int | None = None,
    form: IndicatorForm | None = None,
    error: InputError | None = None,
) -> HttpResponse:
    if not _is_htmx(request):
        if error is not None:
            messages.error(request, str(error))
        return redirect(_detail_url(plan) + "#indicators")
    lines, as_of = selectors.indicator_lines(user=_user(request), plan=plan)
    return render(
        request,
        "plans/_indicators.html",
        {
            "plan": plan,
            "indicators": lines,
            "as_of": as_of,
            "can_edit": _may_edit(_user(request), plan.commune),
            "editing": editing,
            "edit_form": form,
            "error": error,
            "add_form": IndicatorForm(),
        },
    )


def _indicator(plan: Plan, pk: int) -> IndicatorTarget:
    target = IndicatorTarget.objects.filter(plan=plan, pk=pk).first()
    if target is None:
        raise Http404(_("No such target in this plan"))
    return target


@login_required
def indicator_edit(request: AuthenticatedRequest, code: str, year: int, pk: int) -> HttpResponse:
    plan = _plan(request, code, year)
    _require_edit(request, plan.commune)
    target = _indicator(plan, pk)
    if request.method == "GET" and request.GET.get("cancel"):
        return _indicators_response(request, plan)
    if request.method == "GET":
        form = IndicatorForm(
            initial={
                "text": target.text,
                "definition": target.definition,
                "target_percent": target.target_percent or "",
            }
        )
        return _indicators_response(request, plan, editing=target.pk, form=form)
    form = IndicatorForm(request.POST)
    if not form.is_valid():
        return _indicators_response(request, plan, editing=target.pk, form=form)
    try:
        services.indicator_target_update(
            actor=_user(request),
            target=target,
            text=form.cleaned_data["text"],
            definition=form.cleaned_data["definition"],
            target_percent=form.cleaned_data["target_percent"],
        )
    except InputError as error:
        return _indicators_response(request, plan, editing=target.pk, form=form, error=error)
    return _indicators_response(request, plan)


@login_required
@require_POST
def indicator_add(request: AuthenticatedRequest, code: str, year: int) -> HttpResponse:
    plan = _plan(request, code, year)
    _require_edit(request, plan.commune)
    form = IndicatorForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.indicator_target_add(
                actor=_user(request),
                plan=plan,
                text=form.cleaned_data["text"],
                definition=form.cleaned_data["definition"],
                target_percent=form.cleaned_data["target_percent"],
            )
        except InputError as exc:
            error = exc
    else:
        error = InputError.single("Cần nội dung chỉ tiêu", "The target needs a text", column="text")
    return _indicators_response(request, plan, error=error)


@login_required
@require_POST
def indicator_delete(request: AuthenticatedRequest, code: str, year: int, pk: int) -> HttpResponse:
    plan = _plan(request, code, year)
    _require_edit(request, plan.commune)
    services.indicator_target_delete(actor=_user(request), target=_indicator(plan, pk))
    return _indicators_response(request, plan)


# --- downloads ---------------------------------------------------------------------------------------------


def _table_title(plan: Plan) -> renderers.TableTitle:
    return renderers.TableTitle.for_plan(
        commune_level=plan.commune.level.name_vi, commune_name=plan.commune.name, year=plan.year
    )


@login_required
@require_GET
@reads_from_replica
def targets_download(request: AuthenticatedRequest, code: str, year: int, fmt: str) -> HttpResponse:
    plan = _plan(request, code, year)
    table = selectors.plan_figures(user=_user(request), plan=plan).table
    stem = f"chi-tieu-{plan.commune.code}-{plan.year}"
    if fmt == "csv":
        return _download(renderers.targets_csv(table), f"{stem}.csv", fmt)
    if fmt == "xlsx":
        return _download(renderers.targets_xlsx(table, _table_title(plan)), f"{stem}.xlsx", fmt)
    if fmt == "pdf":
        return _download(renderers.targets_pdf(table, _table_title(plan)), f"{stem}.pdf", fmt)
    if fmt == "html":
        fonts = static("vendor/fonts/liberation-serif").rstrip("/")  # served from here, not another host
        return _download(
            renderers.targets_html(table, _table_title(plan), font_dir=fonts), f"{stem}.html", fmt
        )
    raise Http404(_("Unknown format"))


@login_required
@require_GET
@reads_from_replica
def plan_download(request: AuthenticatedRequest, code: str, year: int, fmt: str) -> HttpResponse:
    plan = _plan(request, code, year)
    user = _user(request)
    if not selectors.plan_figures(user=user, plan=plan).whole_commune:
        raise PermissionDenied(_("The plan document is the whole commune's: you see only part of it."))
    document = selectors.plan_document(user=user, plan=plan)
    stem = f"ke-hoach-giam-ngheo-{plan.commune.code}-{plan.year}"
    if fmt == "docx":
        return _download(renderers.plan_docx(document), f"{stem}.docx", fmt)
    if fmt == "pdf":
        return _download(renderers.plan_pdf(document), f"{stem}.pdf", fmt)
    raise Http404(_("Unknown format"))


# --- the commune's text ------------------------------------------------------------------------------------


@login_required
def template_edit(request: AuthenticatedRequest, code: str) -> HttpResponse:
    commune = _commune(request, code)
    user = _user(request)
    if not user.has_perm("units.view_unit_data", commune):
        raise PermissionDenied(_("The plan text is the whole commune's: you see only part of it."))
    can_edit = _may_edit(user, commune)
    current = selectors.plan_template_for(commune)
    error = None
    back = request.GET.get("next") or request.POST.get("next") or ""
    if not back.startswith("/"):
        back = ""
    if request.method == "POST":
        _require_edit(request, commune)
        if "restore" in request.POST:
            services.plan_template_restore_defaults(actor=user, commune=commune)
            messages.success(request, _("The text was restored to the default (the seed document's)."))
            return redirect(request.path + (f"?next={back}" if back else ""))
        form = TemplateForm(request.POST)
        if form.is_valid():
            sections = {name: form.cleaned_data[name] for name in plan_text.SECTIONS}
            try:
                services.plan_template_save(
                    actor=user,
                    commune=commune,
                    sections=sections,
                    expected_version=form.cleaned_data["version"],
                )
            except InputError as exc:
                error = exc
            else:
                messages.success(request, _("The text of the plan document was saved."))
                return redirect(back or request.path)
    else:
        form = TemplateForm(initial={**current.sections, "version": current.version})
    placeholders = [(f"{{{name}}}", vi, en) for name, (vi, en) in plan_text.PLACEHOLDERS.items()]
    return render(
        request,
        "plans/template_edit.html",
        {
            "commune": commune,
            "form": form,
            "error": error,
            "can_edit": can_edit,
            "is_default": current.is_default,
            "placeholders": placeholders,
            "next": back,
        },
        status=400 if error else 200,
    )
