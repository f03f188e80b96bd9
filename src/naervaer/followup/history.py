"""The case history in the reader's language: each stored event (kind and parameters) worded when
it is shown, so the same history reads as Norwegian to one person and English to another."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from naervaer.followup.models import CaseEvent, Meeting, Outcome
from naervaer.org.models import Role


def _day(text: str) -> str:
    return datetime.date.fromisoformat(text).strftime("%d.%m.%Y")


def _title(params: dict[str, Any]) -> str:
    language = translation.get_language() or "nb"
    return params["title_nb"] if language.startswith("nb") else params["title_en"]


def _label(choices: type, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


WORDING: dict[str, Callable[[dict[str, Any]], str]] = {
    # Events written as words before the history stored kinds (migration 0002).
    "text": lambda p: p["text"],
    "responsibility_to_hr": lambda p: (
        _("Responsibility moved to HR after %(weeks)s weeks.") % {"weeks": p["weeks"]}
    ),
    "milestone_escalated": lambda p: (
        _("%(milestone)s is overdue and escalated to %(role)s.")
        % {"milestone": _title(p), "role": _label(Role, p["role"])}
    ),
    "milestone_done": lambda p: _("Milestone done: %(title)s") % {"title": _title(p)},
    "milestone_waived": lambda p: _("Milestone waived: %(title)s") % {"title": _title(p)},
    "bring_forward_set": lambda p: (
        _("Bring-forward date set to %(day)s.") % {"day": _day(p["day"])}
    ),
    "bring_forward_removed": lambda p: _("Bring-forward date removed."),
    "referred_to_occupational_health": lambda p: _("Referred to occupational health."),
    "meeting_recorded": lambda p: (
        _("%(kind)s held on %(day)s recorded.")
        % {"kind": _label(Meeting.Kind, p["meeting_kind"]), "day": _day(p["day"])}
    ),
    "plan_saved": lambda p: (
        _("Follow-up plan saved (version %(version)s).") % {"version": p["version"]}
    ),
    "plan_approved": lambda p: (
        (
            _("Follow-up plan version %(version)s approved by the employee.")
            if p["by"] == "employee"
            else _("Follow-up plan version %(version)s approved by the leader.")
        )
        % {"version": p["version"]}
    ),
    "placed": lambda p: (
        _("Placed in %(title)s from %(day)s.") % {"title": p["title"], "day": _day(p["day"])}
    ),
    "workplace_description_updated": lambda p: _("Workplace description updated."),
    "committee_referred": lambda p: _("Lifted to the reintegration committee."),
    "committee_decided": lambda p: (
        _("Reintegration committee decided after %(days)s days.") % {"days": p["days"]}
    ),
    "case_closed": lambda p: (
        _("Case closed: %(outcome)s.") % {"outcome": _label(Outcome, p["outcome"])}
    ),
    "case_reopened": lambda p: (
        _("Case reopened (was closed as %(outcome)s): %(reason)s")
        % {"outcome": _label(Outcome, p["outcome"]), "reason": p["reason"]}
    ),
}


def event_text(event: CaseEvent) -> str:
    """One history line in the active language."""
    return WORDING[event.kind](event.params)
