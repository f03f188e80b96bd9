"""HSE pages: action plans with goals, measures, staff meetings and comments; deviations; safety
rounds and risk assessments; employee conversations; the AMU. Thin: permissions decide, services
write, and a refused write shows its reason next to the form."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naervaer.audit.services import record_reads
from naervaer.org import access
from naervaer.org.access import Action
from naervaer.org.models import Employment, Role, Unit
from naervaer.prevention import hse_services, permissions, selectors
from naervaer.prevention.forms import (
    AmuMeetingForm,
    CommentForm,
    ConversationForm,
    DeviationFollowUpForm,
    DeviationForm,
    GoalForm,
    MeasureForm,
    MeasureStatusForm,
    MeetingForm,
    PlanForm,
    TemplateForm,
)
from naervaer.prevention.models import (
    ActionPlan,
    AmuMeeting,
    ChecklistTemplate,
    Conversation,
    Deviation,
    Inspection,
    Measure,
    SurveyRound,
)


def _save(request: HttpRequest, form: Form, write, success: str) -> bool:
    """Run a service write for a valid form; put its refusal on the form. True when saved."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        for field, problems in getattr(error, "message_dict", {None: error.messages}).items():
            form.add_error(field if field in form.fields else None, problems)
        return False
    messages.success(request, success)
    return True


def _factor_choices(plan: ActionPlan) -> list[tuple[str, str]]:
    survey = (
        plan.survey_round
        or SurveyRound.objects.filter(
            status=SurveyRound.Status.CLOSED, organisation_id=plan.organisation_id
        ).first()
    )
    if survey is None:
        return []
    lang = "en" if (get_language() or "nb").startswith("en") else "nb"
    return [(f["key"], f[f"title_{lang}"]) for f in survey.instrument.definition["factors"]]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (
        permissions.can(user, Action.SURVEY_RESULTS)
        or permissions.can(user, Action.REPORT_DEVIATION)
    ):
        raise PermissionDenied
    return render(
        request,
        "prevention/index.html",
        {"can": {action.name.lower(): permissions.can(user, action) for action in Action}},
    )


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, Action.VIEW_HSE)
    can_edit = permissions.can(request.user, Action.EDIT_HSE_PLAN)
    form = PlanForm(
        request.POST or None, units=selectors.unit_choices(request.user, Action.EDIT_HSE_PLAN)
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied

        created: list[ActionPlan] = []

        def write(data: dict) -> None:
            unit = selectors.unit_for(request.user, Action.EDIT_HSE_PLAN, int(data["unit"]))
            survey = SurveyRound.objects.filter(
                status=SurveyRound.Status.CLOSED, organisation_id=unit.organisation_id
            ).first()
            created.append(
                hse_services.plan_create(
                    actor=request.user,
                    unit=unit,
                    title=data["title"],
                    first_year=data["first_year"],
                    last_year=data["last_year"],
                    survey_round=survey,
                )
            )

        if _save(request, form, write, _("The action plan is created.")):
            return redirect("prevention:plan", plan_id=created[0].pk)
    listed = selectors.plans_for(request.user).order_by("unit__name", "-first_year")
    return render(
        request,
        "prevention/plans.html",
        {"plans": listed, "form": form if can_edit else None, "today": datetime.date.today()},
    )


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    units_edit = permissions.units_for(request.user, Action.EDIT_HSE_PLAN)
    can_edit = plan.unit_id in units_edit
    comment_roles = permissions.roles_for(request.user, Action.COMMENT_HSE_PLAN)
    factors = _factor_choices(plan)
    forms = {
        "goal": GoalForm(prefix="goal", factors=factors),
        "measure": MeasureForm(prefix="measure", factors=factors),
        "meeting": MeetingForm(prefix="meeting"),
        "comment": CommentForm(prefix="comment"),
    }
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "comment" and comment_roles:
            form = forms["comment"] = CommentForm(request.POST, prefix="comment")
            saved = _save(
                request,
                form,
                lambda d: hse_services.plan_comment(
                    actor=request.user, plan=plan, role=sorted(comment_roles)[0], text=d["text"]
                ),
                _("Your comment is saved."),
            )
        elif which in ("goal", "measure", "meeting") and can_edit:
            form = forms[which] = {
                "goal": GoalForm,
                "measure": MeasureForm,
                "meeting": MeetingForm,
            }[which](
                request.POST, prefix=which, **({} if which == "meeting" else {"factors": factors})
            )
            writes = {
                "goal": lambda d: hse_services.goal_add(
                    plan=plan, text=d["text"], factor=d["factor"]
                ),
                "measure": lambda d: hse_services.measure_add(
                    plan=plan,
                    text=d["text"],
                    owner_name=d["owner_name"],
                    deadline=d["deadline"],
                    owner=request.user,
                    factors=d["factors"],
                ),
                "meeting": lambda d: hse_services.meeting_record(
                    actor=request.user,
                    unit=plan.unit,
                    held_on=d["held_on"],
                    hse_item=d["hse_item"],
                    decisions=d["decisions"],
                    plan=plan,
                ),
            }
            saved = _save(request, form, writes[which], _("Saved."))
        else:
            raise PermissionDenied
        if saved:
            return redirect("prevention:plan", plan_id=plan.pk)
    labels = dict(factors)
    measures = [
        {"measure": m, "factors": [labels.get(k, k) for k in m.factors]}
        for m in plan.measures.all()
    ]
    return render(
        request,
        "prevention/plan.html",
        {
            "plan": plan,
            "goals": plan.goals.all(),
            "measures": measures,
            "meetings": plan.meetings.all(),
            "comments": plan.comments.select_related("author"),
            "forms": forms,
            "can_edit": can_edit,
            "can_comment": bool(comment_roles),
            "status_choices": Measure.Status.choices,
            "today": datetime.date.today(),
        },
    )


@login_required
@require_POST
def measure_status(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = get_object_or_404(Measure.objects.select_related("plan"), pk=measure_id)
    if measure.plan.unit_id not in permissions.units_for(request.user, Action.EDIT_HSE_PLAN):
        raise PermissionDenied
    form = MeasureStatusForm(request.POST)
    if form.is_valid():
        hse_services.measure_status(measure=measure, status=form.cleaned_data["status"])
        messages.success(request, _("The status is updated."))
    return redirect("prevention:plan", plan_id=measure.plan_id)


@login_required
def deviations(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, Action.REPORT_DEVIATION)
    listed = selectors.deviations_for(request.user)
    can_view = permissions.can(request.user, Action.VIEW_HSE)
    return render(
        request,
        "prevention/deviations.html",
        {
            "deviations": listed[:200],
            "counts": selectors.deviation_counts(listed) if can_view else None,
            "categories": dict(Deviation.Category.choices),
        },
    )


def _report_units(user) -> list[tuple[int, str]]:
    """Where a person can report: the units they work in or oversee."""
    own = set(
        Employment.objects.filter(
            access.active_on(datetime.date.today()), employee__user=user
        ).values_list("unit_id", flat=True)
    )
    ids = own | permissions.units_for(user, Action.VIEW_HSE)
    return [(u.pk, u.name) for u in Unit.objects.filter(pk__in=ids).order_by("name")]


@login_required
def deviation_new(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, Action.REPORT_DEVIATION)
    units = _report_units(request.user)
    form = DeviationForm(request.POST or None, units=units)

    def write(data: dict) -> None:
        hse_services.deviation_report(
            actor=request.user,
            unit=Unit.objects.get(pk=int(data["unit"])),
            occurred_on=data["occurred_on"],
            category=data["category"],
            severity=data["severity"],
            description=data["description"],
            immediate_action=data["immediate_action"],
            anonymous=data["anonymous"],
        )

    if request.method == "POST" and _save(
        request, form, write, _("Thank you. The deviation is reported to the unit's leader.")
    ):
        return redirect("prevention:deviations")
    return render(request, "prevention/deviation_new.html", {"form": form})


@login_required
def deviation_detail(request: HttpRequest, deviation_id: int) -> HttpResponse:
    deviation = get_object_or_404(selectors.deviations_for(request.user), pk=deviation_id)
    can_follow = deviation.unit_id in permissions.units_for(request.user, Action.FOLLOW_DEVIATION)
    form = DeviationFollowUpForm(request.POST or None, initial={"status": deviation.status})
    if request.method == "POST":
        if not can_follow:
            raise PermissionDenied
        if _save(
            request,
            form,
            lambda d: hse_services.deviation_follow_up(
                deviation=deviation, follow_up=d["follow_up"], status=d["status"]
            ),
            _("The follow-up is saved."),
        ):
            return redirect("prevention:deviation", deviation_id=deviation.pk)
    return render(
        request,
        "prevention/deviation.html",
        {"deviation": deviation, "form": form if can_follow else None},
    )


@login_required
def inspections(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, Action.VIEW_HSE)
    units = permissions.units_for(request.user, Action.VIEW_HSE)
    organisation = selectors.organisation_of(request.user, Action.VIEW_HSE)
    form = (
        TemplateForm(request.POST or None)
        if permissions.can(request.user, Action.MANAGE_SURVEYS)
        else None
    )
    if (
        request.method == "POST"
        and form is not None
        and _save(
            request,
            form,
            lambda d: hse_services.template_create(organisation=organisation, **d),
            _("The checklist is saved."),
        )
    ):
        return redirect("prevention:inspections")
    return render(
        request,
        "prevention/inspections.html",
        {
            "inspections": Inspection.objects.filter(unit_id__in=units).select_related(
                "unit", "template"
            )[:100],
            "templates": ChecklistTemplate.objects.filter(organisation=organisation),
            "form": form,
            "can_record": permissions.can(request.user, Action.EDIT_HSE_PLAN),
        },
    )


@login_required
def inspection_new(request: HttpRequest, template_id: int) -> HttpResponse:
    selectors.require(request.user, Action.EDIT_HSE_PLAN)
    template = get_object_or_404(
        ChecklistTemplate,
        pk=template_id,
        organisation=selectors.organisation_of(request.user, Action.EDIT_HSE_PLAN),
    )
    units = selectors.unit_choices(request.user, Action.EDIT_HSE_PLAN)
    plans = ActionPlan.objects.filter(unit_id__in=[u for u, _n in units]).select_related("unit")
    problems: list[str] = []
    if request.method == "POST":
        try:
            unit = selectors.unit_for(request.user, Action.EDIT_HSE_PLAN, int(request.POST["unit"]))
            plan_id = request.POST.get("plan") or None
            plan = plans.filter(pk=plan_id, unit=unit).first() if plan_id else None
            if plan_id and plan is None:
                raise ValidationError(_("The action plan must belong to the unit inspected."))
            held_on = datetime.date.fromisoformat(request.POST.get("held_on", ""))
            deadline = datetime.date.fromisoformat(
                request.POST.get("deadline") or (held_on + datetime.timedelta(days=30)).isoformat()
            )
            answers = {
                item["key"]: {
                    "ok": request.POST.get(f"ok-{item['key']}") == "yes",
                    "finding": request.POST.get(f"finding-{item['key']}", "").strip(),
                    "risk": request.POST.get(f"risk-{item['key']}", ""),
                }
                for item in template.items
            }
            hse_services.inspection_record(
                actor=request.user,
                template=template,
                unit=unit,
                held_on=held_on,
                participants=request.POST.get("participants", ""),
                answers=answers,
                plan=plan,
                deadline=deadline,
                owner_name=request.POST.get("owner_name", ""),
            )
        except (KeyError, ValueError):
            problems = [_("Choose the unit and give the date as dd.mm.yyyy.")]
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, _("The round is recorded; findings became measures."))
            return redirect("prevention:inspections")
    return render(
        request,
        "prevention/inspection_new.html",
        {"template": template, "units": units, "plans": plans, "problems": problems},
        status=400 if problems else 200,
    )


@login_required
def conversations(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = int(request.GET.get("year") or datetime.date.today().year)
    overview_units = permissions.units_for(user, Action.VIEW_HSE) | permissions.units_for(
        user, Action.CONVERSATIONS
    )
    if not overview_units:
        raise PermissionDenied
    completion = selectors.conversations_completion(overview_units, year)
    people = []
    if permissions.can(user, Action.CONVERSATIONS):
        # The leader who holds the conversations lists their own direct reports; others see
        # completion per unit only.
        employments = (
            Employment.objects.filter(
                access.active_on(datetime.date.today()), nearest_leader__user=user
            )
            .select_related("employee", "unit")
            .order_by("unit__name", "employee__last_name")
        )
        held = {
            c.employee_id: c
            for c in Conversation.objects.filter(
                year=year, employee_id__in=[e.employee_id for e in employments]
            )
        }
        people = [{"employment": e, "conversation": held.get(e.employee_id)} for e in employments]
        if people:
            record_reads(
                user, "conversation", [e.employee_id for e in employments], "conversations"
            )
    return render(
        request,
        "prevention/conversations.html",
        {"year": year, "completion": completion, "people": people, "form": ConversationForm()},
    )


@login_required
@require_POST
def conversation_set(request: HttpRequest, employment_id: int) -> HttpResponse:
    selectors.require(request.user, Action.CONVERSATIONS)
    employment = get_object_or_404(
        Employment.objects.restrict(request.actor, Action.CONVERSATIONS).select_related(
            "employee", "unit"
        ),
        pk=employment_id,
    )
    form = ConversationForm(request.POST)
    year = int(request.POST.get("year") or datetime.date.today().year)
    if (
        _save(
            request,
            form,
            lambda d: hse_services.conversation_set(
                actor=request.user,
                employee=employment.employee,
                unit=employment.unit,
                year=year,
                planned_on=d["planned_on"],
                held_on=d["held_on"],
            ),
            _("The conversation is saved."),
        )
        is False
    ):
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('prevention:conversations')}?year={year}")


@login_required
def amu(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, Action.AMU)
    organisation = selectors.organisation_of(request.user, Action.AMU)
    can_record = Role.HR in permissions.roles_for(request.user, Action.AMU)
    form = AmuMeetingForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if _save(
            request,
            form,
            lambda d: hse_services.amu_meeting_record(
                actor=request.user, organisation=organisation, **d
            ),
            _("The AMU meeting is recorded."),
        ):
            return redirect("prevention:amu")
    plans = selectors.plans_for(request.user)
    deviations = selectors.deviations_for(request.user)
    by_unit = (
        deviations.values("unit__name")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=~Q(status=Deviation.Status.CLOSED)),
        )
        .order_by("-total")[:15]
    )
    return render(
        request,
        "prevention/amu.html",
        {
            "meetings": AmuMeeting.objects.filter(organisation=organisation)[:20],
            "plans": plans.order_by("-overdue_measures", "unit__name")[:30],
            "deviation_counts": selectors.deviation_counts(deviations),
            "deviations_by_unit": by_unit,
            "categories": dict(Deviation.Category.choices),
            "form": form if can_record else None,
        },
    )
