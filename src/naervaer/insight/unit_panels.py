"""Panels other parts of the system show on the unit page beside the absence figures.

An app registers a provider in its ``AppConfig.ready``; the provider gets the request and the
finished unit page and returns a ``Panel`` (a template and its context) or None when it has nothing
the user may see. Insight itself imports no other app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


Provider = Callable[[HttpRequest, Any], Panel | None]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def for_unit(request: HttpRequest, page: Any) -> list[Panel]:
    return [panel for provider in _providers if (panel := provider(request, page)) is not None]
