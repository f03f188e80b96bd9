"""Pages of the follow-up: the work list, the case page and the small forms posted from it.

Views stay thin: selectors decide what the user sees (and log the read), services decide what the
user may change. Posted forms answer with a redirect back to the case page (post/redirect/get).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from naervaer.followup import forms, selectors
from naervaer.followup.models import (
    CommitteeReferral,
    FollowupCase,
    Meeting,
    Milestone,
    WorkplaceDescription,
)
from naervaer.followup.services import case as case_services
from naervaer.followup.services import committee as committee_services
from naervaer.followup.services import documents as document_services
from naervaer.followup.services import meetings as meeting_services
from naervaer.followup.services import milestones as milestone_services
from naervaer.followup.services import placements as placement_services
from naervaer.org.access import Action, as_actor


def _errors(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _require(request: HttpRequest, action: Action) -> None:
    if not as_actor(request.user).can(action):
        raise PermissionDenied(_("This page is not for your role."))


@login_required
@require_safe
def worklist(request: HttpRequest) -> HttpResponse:
    _require(request, Action.VIEW_CASE)
    rows = selectors.worklist(request.user)
    can_register = as_actor(request.user).can(Action.REGISTER_ABSENCE)
    return render(request, "followup/worklist.html", {"rows": rows, "can_register": can_register})


def _case(
    request: HttpRequest, case_id: int, purpose: str = "case page", action: Action | None = None
) -> FollowupCase:
    """The case (404 outside the actor's scope), and PermissionDenied unless the actor may do
    ``action`` on it — checked before any form is read."""
    case = selectors.case_get(request.user, case_id, purpose)
    if action is not None:
        selectors.require(request.user, case, action)
    return case


@login_required
@require_safe
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    held = selectors.capacities(
        request.user, case, Action.WORK_CASE, Action.RECORD_MEETING, Action.DECIDE_COMMITTEE
    )
    plan = getattr(case, "plan", None)
    responsible = FollowupCase.Responsible(case.responsible_on(timezone.localdate()))
    context = {
        "case": case,
        "responsible": responsible.label,
        "can_work": bool(held[Action.WORK_CASE]),
        "can_meet": bool(held[Action.RECORD_MEETING]),
        "is_hr": bool(held[Action.DECIDE_COMMITTEE]),
        "strip": selectors.day_strip(case),
        "milestones": selectors.case_milestones(case),
        "meetings": case.meetings.prefetch_related("participants", "copies"),
        "plan": plan,
        "events": case.events.select_related("actor")[:50],
        "placements": case.placements.select_related("placement"),
        "referrals": case.committee_referrals.all(),
        "check": selectors.documentation_check(case),
        "workplace": WorkplaceDescription.objects.filter(employment_id=case.employment_id).first(),
        "bring_forward_form": forms.BringForwardForm(initial={"bring_forward": case.bring_forward}),
        "close_form": forms.CloseForm(),
        "assign_form": forms.AssignPlacementForm(
            placements=selectors.placements_for(request.user).filter(available=True)
        ),
        "refer_form": forms.CommitteeReferForm(),
        "decide_form": forms.CommitteeDecideForm(),
    }
    return render(request, "followup/case.html", context)


def _back(case_id: int) -> HttpResponse:
    return redirect("followup:case", case_id=case_id)


def _run(request: HttpRequest, case_id: int, action) -> HttpResponse:
    """Run a service call; show its validation message instead of failing the page."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Saved."))
    return _back(case_id)


@login_required
@require_POST
def bring_forward(request: HttpRequest, case_id: int) -> HttpResponse:
    """Set the bring-forward date. From htmx (the case page with scripts) the answer is the form
    again plus the new date and a status line swapped in place, so the page is not reloaded."""
    case = _case(request, case_id, "bring forward", Action.WORK_CASE)
    form = forms.BringForwardForm(request.POST)
    saved, status = False, _("Give a valid date.")
    if form.is_valid():
        try:
            case_services.bring_forward_set(
                actor=request.user, case=case, on=form.cleaned_data["bring_forward"]
            )
        except ValidationError as exc:
            status = _errors(exc)
        else:
            saved, status = True, _("Saved.")
            form = forms.BringForwardForm(initial={"bring_forward": case.bring_forward})
    if request.headers.get("HX-Request"):
        return render(
            request,
            "followup/bring_forward.html",
            {"case": case, "bring_forward_form": form, "swapped": True, "status": status},
        )
    (messages.success if saved else messages.error)(request, status)
    return _back(case.pk)


@login_required
@require_POST
def refer_occupational_health(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, "referral", Action.WORK_CASE)
    return _run(
        request,
        case.pk,
        lambda: case_services.refer_to_occupational_health(actor=request.user, case=case),
    )


@login_required
def milestone_record(request: HttpRequest, milestone_id: int) -> HttpResponse:
    """Mark done (with its document) or waive (with a reason) one milestone."""
    milestone = get_object_or_404(Milestone, pk=milestone_id)
    case = _case(request, milestone.case_id, "milestone", Action.WORK_CASE)
    done_form = forms.DoneForm(request.POST or None, case=case)
    waive_form = forms.WaiveForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "waive" and waive_form.is_valid():
                milestone_services.milestone_waive(
                    actor=request.user,
                    milestone=milestone,
                    reason=waive_form.cleaned_data["reason"],
                )
                return _back(case.pk)
            if request.POST.get("action") == "done" and done_form.is_valid():
                document = done_form.cleaned_data["document"]
                meeting = (
                    case.meetings.get(pk=document.split(":")[1])
                    if document.startswith("meeting:")
                    else None
                )
                milestone_services.milestone_done(
                    actor=request.user,
                    milestone=milestone,
                    meeting=meeting,
                    plan=case.plan if document == "plan" else None,
                )
                return _back(case.pk)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return render(
        request,
        "followup/milestone.html",
        {"case": case, "milestone": milestone, "done_form": done_form, "waive_form": waive_form},
    )


@login_required
def meeting_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, "meeting", Action.RECORD_MEETING)
    form = forms.MeetingForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting_services.meeting_record(
                actor=request.user,
                case=case,
                kind=data["kind"],
                held_on=data["held_on"],
                minutes=data["minutes"],
                agreements=data["agreements"],
                next_meeting=data["next_meeting"],
                participants=data["participants"],
                copies=data["copies"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The meeting is recorded."))
            return _back(case.pk)
    return render(request, "followup/meeting_form.html", {"case": case, "form": form})


@login_required
@require_safe
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    case = _case(request, meeting.case_id, "meeting record")
    return render(request, "followup/meeting.html", {"case": case, "meeting": meeting})


@login_required
@require_POST
def close(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, "close case", Action.WORK_CASE)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an outcome."))
        return _back(case.pk)
    return _run(
        request,
        case.pk,
        lambda: case_services.case_close(
            actor=request.user,
            case=case,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        ),
    )


@login_required
@require_POST
def placement_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, "placement", Action.WORK_CASE)
    form = forms.AssignPlacementForm(
        request.POST, placements=selectors.placements_for(request.user)
    )
    if not form.is_valid():
        messages.error(request, _("Choose a placement and a start date."))
        return _back(case.pk)
    data = form.cleaned_data
    return _run(
        request,
        case.pk,
        lambda: placement_services.placement_assign(
            actor=request.user,
            case=case,
            placement=data["placement"],
            start=data["start"],
            end=data["end"],
            outcome=data["outcome"],
        ),
    )


@login_required
def placements(request: HttpRequest) -> HttpResponse:
    if not as_actor(request.user).can(Action.PLACEMENTS):
        raise PermissionDenied(_("The placement bank is for leaders and HR."))
    units = selectors.placement_units(request.user)
    form = forms.PlacementForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placement_services.placement_create(
                actor=request.user,
                unit=data["unit"],
                title=data["title"],
                description=data["description"],
                suitable_for=data["suitable_for"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("followup:placements")
    rows = selectors.placements_for(request.user).prefetch_related("assignments")
    return render(request, "followup/placements.html", {"placements": rows, "form": form})


@login_required
def workplace_description(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, "workplace description", Action.WORK_CASE)
    instance = WorkplaceDescription.objects.filter(employment_id=case.employment_id).first()
    form = forms.WorkplaceDescriptionForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        document_services.workplace_description_save(
            actor=request.user, case=case, **form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return _back(case.pk)
    return render(request, "followup/workplace.html", {"case": case, "form": form})


@login_required
@require_POST
def committee_refer(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, "committee", Action.WORK_CASE)
    form = forms.CommitteeReferForm(request.POST)
    question = form.cleaned_data["question"] if form.is_valid() else ""
    return _run(
        request,
        case.pk,
        lambda: committee_services.committee_refer(
            actor=request.user, case=case, question=question
        ),
    )


@login_required
@require_POST
def committee_decide(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = get_object_or_404(CommitteeReferral, pk=referral_id)
    case = _case(request, referral.case_id, "committee", Action.DECIDE_COMMITTEE)
    form = forms.CommitteeDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the decision and its date."))
        return _back(case.pk)
    return _run(
        request,
        case.pk,
        lambda: committee_services.committee_decide(
            actor=request.user,
            referral=referral,
            decision=form.cleaned_data["decision"],
            on=form.cleaned_data["decided_on"],
        ),
    )


@login_required
@require_safe
def nav_cases(request: HttpRequest) -> HttpResponse:
    return render(request, "followup/nav_cases.html", {"rows": selectors.nav_cases(request.user)})
