"""The main menu. Each app registers its entries in ``AppConfig.ready``; the base layout shows the
entries the signed-in user may use, so the menu never offers a page that would refuse them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    visible: Callable[[User], bool]
    order: int = 100
    description: str | Promise = ""


_entries: list[NavEntry] = []


def register(
    url_name: str,
    label: str | Promise,
    visible: Callable[[User], bool],
    order: int = 100,
    description: str | Promise = "",
) -> None:
    """Add a menu entry (idempotent per url name, so a re-run of ready() does not duplicate it).

    The description, when given, is shown on the start page's card for the entry.
    """
    if any(entry.url_name == url_name for entry in _entries):
        return
    _entries.append(NavEntry(url_name, label, visible, order, description))
    _entries.sort(key=lambda entry: entry.order)


def items_for(request: HttpRequest) -> list[dict[str, object]]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    for entry in _entries:
        if entry.visible(user):
            url = reverse(entry.url_name)
            items.append(
                {
                    "url": url,
                    "label": entry.label,
                    "description": entry.description,
                    "current": request.path.startswith(url) and url != "/",
                }
            )
    return items


def navigation(request: HttpRequest) -> dict[str, object]:
    """Template context processor: ``nav_items`` for the base layout."""
    return {"nav_items": items_for(request)}
