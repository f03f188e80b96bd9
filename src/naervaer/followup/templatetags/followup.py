"""Template filters of the follow-up pages: stored keys shown as words in the reader's language."""

from __future__ import annotations

from django import template

from naervaer.followup import history
from naervaer.followup.models import CaseEvent
from naervaer.org.models import Role

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    """A role key (as routines name them) as the role's translated name."""
    return str(Role(value).label) if value in Role.values else value


@register.filter
def event_text(event: CaseEvent) -> str:
    return history.event_text(event)
