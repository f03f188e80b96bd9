"""The access-log pages: HR's search and the employee's "who has seen my case"."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from naervaer.audit import selectors


class SearchForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False)
    employee_id = forms.IntegerField(
        label=_("Employee number (internal id)"), required=False, min_value=1
    )
    object_type = forms.CharField(label=_("What"), required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    rows = selectors.log_search(
        request.user, **{k: v for k, v in criteria.items() if v not in (None, "")}
    )
    return render(request, "audit/search.html", {"form": form, "rows": rows[: selectors.PAGE_SIZE]})


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/mine.html", {"rows": selectors.who_has_seen(request.user)})
