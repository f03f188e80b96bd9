"""Main-menu entries of the follow-up and audit pages, shown only to those the pages serve."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from naervaer.org import access
from naervaer.web import navigation

CASE_ROLES = frozenset({"employee", "nearest_leader", "unit_leader", "hr", "occupational_health"})


def _has(*roles: str):
    return lambda user: bool(access.roles_of(user) & set(roles))


def register_entries() -> None:
    navigation.register("followup:worklist", _("Follow-up"), visible=_has(*CASE_ROLES), order=20)
    navigation.register(
        "followup:placements", _("Placement bank"), visible=_has("nearest_leader", "hr"), order=25
    )
    navigation.register("followup:nav_cases", _("NAV side"), visible=_has("nav"), order=30)
    navigation.register("followup:audit:search", _("Access log"), visible=_has("hr"), order=80)
    navigation.register(
        "followup:audit:mine", _("Who has seen my case"), visible=_has("employee"), order=85
    )
    navigation.register(
        "followup:calendar", _("Calendar feed"), visible=_has(*CASE_ROLES), order=90
    )
