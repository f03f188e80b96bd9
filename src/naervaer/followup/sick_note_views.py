"""Registering the employer's copy of a sick note from the follow-up pages (leaders and HR).

The register's service validates and saves it and recomputes the case in the same transaction, so
the leader lands on the case page with the milestones already there.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from naervaer.absence import services as absence
from naervaer.followup import forms
from naervaer.followup.models import FollowupCase
from naervaer.org import access
from naervaer.org import selectors as org_selectors


@login_required
def sick_note_new(request: HttpRequest) -> HttpResponse:
    """Leaders (their reports), unit leaders and HR (their scope) only: occupational health and NAV
    register nothing on the employer side and get no list of employees."""
    if not access.as_actor(request.user).can(access.Action.REGISTER_ABSENCE):
        raise PermissionDenied(_("Only leaders and HR register sick notes."))
    employments = org_selectors.employment_list(
        request.user, access.Action.REGISTER_ABSENCE
    ).filter(access.active_on(timezone.localdate()))
    employments = employments.exclude(employee__user=request.user)
    form = forms.SickNoteForm(request.POST or None, employments=employments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            note = absence.sick_note_period_register(
                actor=request.user,
                employment=data["employment"],
                note_type=data["note_type"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                grade=data["grade"],
                work_related_reason=data["work_related_reason"],
                note_to_employer=data["note_to_employer"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The sick note is registered."))
            case = FollowupCase.objects.filter(
                employment=note.employment, start__lte=note.end_date, end__gte=note.start_date
            ).first()
            return (
                redirect("followup:case", case_id=case.pk)
                if case
                else redirect("followup:worklist")
            )
    return render(request, "followup/sick_note_form.html", {"form": form})
