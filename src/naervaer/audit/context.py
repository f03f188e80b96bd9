"""Where a request comes from, captured once per request so services can log it without a request."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class Origin:
    ip_address: str | None = None
    path: str = ""
    user_agent: str = ""


NO_ORIGIN = Origin()
current_origin: ContextVar[Origin] = ContextVar("naervaer_audit_origin", default=NO_ORIGIN)


def origin_of(request: HttpRequest) -> Origin:
    return Origin(
        ip_address=request.META.get("REMOTE_ADDR") or None,
        path=request.get_full_path()[:300],
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


class AuditOriginMiddleware:
    """Makes the request's address, path and browser available to audit logging."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_origin.set(origin_of(request))
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
