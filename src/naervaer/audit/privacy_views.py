"""Privacy pages: HR's list of what retention has made due, and the employee's own data."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from naervaer.audit import selectors


@login_required
@require_safe
def retention(request: HttpRequest) -> HttpResponse:
    overviews = selectors.retention_due(request.user, timezone.localdate())
    return render(request, "privacy/retention.html", {"overviews": overviews})
