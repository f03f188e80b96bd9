"""The follow-up plan pages: edit (with the optimistic lock), approve, versions and the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from naervaer.audit import services as audit
from naervaer.followup import forms, selectors
from naervaer.followup.models import Plan
from naervaer.followup.services import plans
from naervaer.followup.views import _case
from naervaer.org.access import Action


def _rows(formset, fields: tuple[str, ...], key: str) -> list[dict]:
    rows = []
    for form in formset:
        data = form.cleaned_data
        if data.get(key, "").strip():
            row = {name: data.get(name) or "" for name in fields}
            if "deadline" in row:
                row["deadline"] = data["deadline"].isoformat() if data.get("deadline") else ""
            rows.append(row)
    return rows


@login_required
def plan_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, "plan")
    held = selectors.capacities(request.user, case, Action.WORK_CASE, Action.APPROVE_PLAN)
    plan = getattr(case, "plan", None)
    can_edit = bool(held[Action.WORK_CASE])
    if request.method == "POST":
        selectors.require(request.user, case, Action.WORK_CASE)
        form = forms.PlanForm(request.POST)
        tasks = forms.TaskFormSet(request.POST, prefix="tasks")
        measures = forms.MeasureFormSet(request.POST, prefix="measures")
        if form.is_valid() and tasks.is_valid() and measures.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            data["tasks"] = _rows(tasks, ("task", "capacity"), "task")
            data["measures"] = _rows(
                measures, ("measure", "status", "owner", "deadline"), "measure"
            )
            try:
                plans.plan_save(
                    actor=request.user,
                    case=case,
                    expected_version=form.cleaned_data["version"],
                    data=data,
                )
            except plans.PlanConflict as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("The plan is saved. Both the leader and the employee must approve it."),
                )
                return redirect("followup:plan", case_id=case.pk)
    else:
        initial = {"version": plan.version if plan else None}
        if plan:
            initial.update(
                information_to_colleagues=plan.information_to_colleagues,
                evaluation_date=plan.evaluation_date,
                share_with_doctor=plan.share_with_doctor,
                share_with_nav=plan.share_with_nav,
            )
        form = forms.PlanForm(initial=initial)
        tasks = forms.TaskFormSet(prefix="tasks", initial=plan.tasks if plan else [])
        measures = forms.MeasureFormSet(prefix="measures", initial=plan.measures if plan else [])
    context = {
        "case": case,
        "plan": plan,
        "form": form,
        "tasks": tasks,
        "measures": measures,
        "can_edit": can_edit,
        "is_employee": selectors.EMPLOYEE in held[Action.APPROVE_PLAN],
        "versions": plan.versions.select_related("saved_by")[:20] if plan else [],
    }
    return render(request, "followup/plan.html", context)


@login_required
@require_POST
def plan_approve(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, "plan approval", Action.APPROVE_PLAN)
    version = request.POST.get("version", "0")
    if not version.isascii() or not version.isdigit():
        return HttpResponseBadRequest(
            _("The plan was not approved: the version %(version)s is not a whole number.")
            % {"version": version[:20]},
            content_type="text/plain; charset=utf-8",
        )
    try:
        plans.plan_approve(
            actor=request.user, plan=get_object_or_404(Plan, case=case), version=int(version)
        )
    except plans.PlanConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You have approved the plan."))
    return redirect("followup:plan", case_id=case.pk)


@login_required
@require_safe
def plan_download(request: HttpRequest, case_id: int) -> HttpResponse:
    from naervaer.followup.plan_pdf import (
        plan_pdf,
    )  # fpdf only when a PDF is asked for: 0.4–0.7 s off a process's first request

    case = _case(request, case_id, "plan PDF")
    plan = get_object_or_404(Plan, case=case)
    audit.record(
        request.user,
        "export",
        "plan",
        plan.pk,
        subject_employee_id=case.employee_id,
        purpose="plan PDF",
    )
    response = HttpResponse(plan_pdf(case, plan), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="oppfolgingsplan-{case.pk}-v{plan.version}.pdf"'
    )
    return response
