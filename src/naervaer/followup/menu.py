"""Main-menu entries of the follow-up and audit pages, shown only to those the pages serve."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from naervaer.org.access import Action
from naervaer.web import navigation


def register_entries() -> None:
    navigation.register("followup:worklist", _("Follow-up"), visible=Action.VIEW_CASE, order=20)
    navigation.register(
        "followup:placements", _("Placement bank"), visible=Action.PLACEMENTS, order=25
    )
    navigation.register("followup:nav_cases", _("NAV side"), visible=Action.NAV_SIDE, order=30)
    navigation.register(
        "followup:audit:search", _("Access log"), visible=Action.SEARCH_ACCESS_LOG, order=80
    )
    navigation.register(
        "followup:audit:mine",
        _("Who has seen my case"),
        visible=Action.OWN_ACCESS_LOG,
        order=85,
    )
    navigation.register("followup:calendar", _("Calendar feed"), visible=Action.VIEW_CASE, order=90)
