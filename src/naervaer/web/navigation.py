"""The main menu. Each app registers its entries in ``AppConfig.ready``; the base layout shows the
entries the signed-in user may use, so the menu never offers a page that would refuse them.

Visibility is asked of the request's actor (``naervaer.org.access``), computed once per request,
so the whole menu costs no queries of its own. Before a required second login step is passed
(``naervaer.account.middleware``) the menu is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

from naervaer.org.access import Action, Actor, as_actor


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    visible: Callable[[Actor], bool]
    order: int = 100
    description: str | Promise = ""


_entries: list[NavEntry] = []


def register(
    url_name: str,
    label: str | Promise,
    visible: Action | Callable[[Actor], bool],
    order: int = 100,
    description: str | Promise = "",
) -> None:
    """Add a menu entry (idempotent per url name, so a re-run of ready() does not duplicate it).

    ``visible`` is the action the page serves (shown to actors who ``can`` it) or a predicate on
    the actor. The description, when given, is shown on the start page's card for the entry.
    """
    if any(entry.url_name == url_name for entry in _entries):
        return
    check = (lambda actor: actor.can(visible)) if isinstance(visible, Action) else visible
    _entries.append(NavEntry(url_name, label, check, order, description))
    _entries.sort(key=lambda entry: entry.order)


def items_for(request: HttpRequest) -> list[dict[str, object]]:
    actor = as_actor(request.user)
    if not actor.is_authenticated or getattr(request, "second_factor_pending", False):
        return []
    items = []
    for entry in _entries:
        if entry.visible(actor):
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
