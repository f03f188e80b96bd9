"""How access-log entries read to people: names, roles, what and why, in plain language.

Code logs short English keys (object type, purpose); the employee's "who has seen my case" page
shows these translated phrases instead, never the keys. A key missing here falls back to a phrase
for the kind of record or the action, so a new purpose is never shown raw.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from naervaer.audit.models import AccessLog
from naervaer.org.models import Role

PURPOSES: dict[str, Promise] = {
    "case page": _("following up your case"),
    "work list": _("the list of cases to follow up"),
    "NAV case list": _("NAV's follow-up"),
    "bring forward": _("setting a date to take the case up again"),
    "referral": _("referral to the occupational health service"),
    "milestone": _("recording a step in the follow-up"),
    "meeting": _("recording a meeting or talk"),
    "meeting record": _("reading the record of a meeting"),
    "close case": _("closing the case"),
    "placement": _("a temporary placement"),
    "workplace description": _("the description of your workplace"),
    "committee": _("the reintegration committee"),
    "plan": _("the follow-up plan"),
    "plan approval": _("approving the follow-up plan"),
    "plan PDF": _("downloading the follow-up plan"),
    "calendar feed": _("the calendar of upcoming follow-up"),
    "who has seen my case": _("showing you who has seen your case"),
    "access log search": _("checking the access log"),
    "administration": _("keeping the employee register up to date"),
    "unlock login": _("opening your login after it was locked"),
    "retention": _("deleting what is no longer needed (retention rules)"),
    "retention overview": _("checking what is due for deletion (retention rules)"),
    "personal data download": _("your download of everything held about you"),
}
OBJECTS: dict[str, Promise] = {
    "followup_case": _("your follow-up case"),
    "absence": _("your absence"),
    "sicknoteperiod": _("a sick note"),
    "selfcertification": _("a self-certification"),
    "holidayleave": _("holiday or leave"),
    "diagnosis": _("the diagnosis (NAV)"),
    "nav_case": _("your case at NAV"),
    "milestone": _("a step in the follow-up"),
    "meeting": _("a meeting record"),
    "plan": _("the follow-up plan"),
    "committee_referral": _("the reintegration committee"),
    "placement_assignment": _("a temporary placement"),
    "workplace_description": _("the description of your workplace"),
    "calendar_feed": _("the calendar of upcoming follow-up"),
    "attention_list": _("the list of employees offered a follow-up talk"),
    "access_log": _("the access log"),
    "employee": _("your details in the employee register"),
    "employment": _("your employment"),
    "roleassignment": _("your roles"),
    "user": _("your user account"),
    "login_lockout": _("your login"),
    "retention": _("follow-up information kept past its retention time"),
    "personal_data": _("everything held about you"),
}
# Purposes for records of a kind whose entries carry no purpose key.
OBJECT_PURPOSES: dict[str, Promise] = {
    "attention_list": _("the attention programme: offering a follow-up talk"),
    "diagnosis": _("NAV's follow-up"),
}
FALLBACK_PURPOSE = _("the follow-up of your absence")
FALLBACK_OBJECT = _("information about you")

# Entries of the NAV side; they never appear on the employer side (HR's log search).
NAV_SIDE_OBJECTS = frozenset({"diagnosis", "nav_case"})
NAV_SIDE_PURPOSES = frozenset({"NAV case list"})

ROLE_LABELS = dict(Role.choices)


@dataclass(frozen=True)
class SeenRow:
    at: datetime.datetime
    who: str | Promise
    roles: list[str | Promise]
    action: str | Promise
    what: str | Promise
    purpose: str | Promise


def roles_shown(stored: str) -> list[str | Promise]:
    """The roles an entry was made in; "employee" only when it was the only one (a leader who is
    also an employee reads a report's case as leader)."""
    roles = [r for r in stored.split(",") if r in ROLE_LABELS]
    if len(roles) > 1:
        roles = [r for r in roles if r != Role.EMPLOYEE]
    return [ROLE_LABELS[r] for r in roles]


def seen_row(entry: AccessLog) -> SeenRow:
    if entry.actor_id is None:
        who: str | Promise = _("the system")
    else:
        who = entry.actor_name or _("name not registered")
    purpose = PURPOSES.get(entry.purpose) or OBJECT_PURPOSES.get(entry.object_type)
    return SeenRow(
        at=entry.at,
        who=who,
        roles=roles_shown(entry.actor_roles),
        action=entry.get_action_display(),
        what=OBJECTS.get(entry.object_type, FALLBACK_OBJECT),
        purpose=purpose or FALLBACK_PURPOSE,
    )
