from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from naervaer.org.access import as_actor
from naervaer.org.models import Role
from naervaer.web.navigation import items_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Start page: the person's roles and a card for each part of the system they may use."""
    roles = as_actor(request.user).roles
    labels = [label for value, label in Role.choices if value in roles]
    return render(request, "web/home.html", {"roles": labels, "cards": items_for(request)})
