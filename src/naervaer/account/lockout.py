"""Lockout after repeated failed logins (django-axes), with a limit per username and another,
higher one per address, so one office behind a shared address is not shut out by one person.

Axes compares a single number with ``AXES_FAILURE_LIMIT``; ``LockoutHandler`` reports the larger
of the username's failures and the address's failures scaled to the same limit, so the username
locks at ``AXES_FAILURE_LIMIT`` (5) and the address at ``NAERVAER_LOCKOUT_ADDRESS_LIMIT`` (50).
"""

from __future__ import annotations

from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from naervaer.org.access import Action, ActorLike, as_actor


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        by_username, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        user_limit = settings.AXES_FAILURE_LIMIT
        return max(by_username, by_address * user_limit // settings.NAERVAER_LOCKOUT_ADDRESS_LIMIT)


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(request: HttpRequest, response: HttpResponse, credentials: dict) -> HttpResponse:
    """The login page again, saying the login is locked and what to do (``AXES_LOCKOUT_CALLABLE``)."""
    from django.contrib.auth.forms import AuthenticationForm

    context = {
        "form": AuthenticationForm(request),
        "locked": True,
        "minutes": cooloff_minutes(),
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)


@dataclass(frozen=True)
class Locked:
    """A username or an address locked out now."""

    kind: str  # "username" or "ip_address"
    value: str
    failures: int
    last_attempt: object


def _recent() -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )


def require_unlocker(actor: ActorLike) -> None:
    if not as_actor(actor).can(Action.UNLOCK_LOGINS):
        raise PermissionDenied(_("Only HR and the administrator may unlock logins."))


def locked_logins(actor: ActorLike) -> list[Locked]:
    """Usernames at or over the per-user limit and addresses at or over the per-address limit."""
    require_unlocker(actor)
    found = []
    for kind, limit in (
        ("username", settings.AXES_FAILURE_LIMIT),
        ("ip_address", settings.NAERVAER_LOCKOUT_ADDRESS_LIMIT),
    ):
        rows = (
            _recent()
            .exclude(**{f"{kind}__isnull": True})
            .values(kind)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
            .order_by("-last")
        )
        found += [Locked(kind, row[kind], row["failures"], row["last"]) for row in rows]
    return found
