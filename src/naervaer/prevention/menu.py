"""Main-menu entry of the prevention part, shown to the roles that may use any of it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from naervaer.prevention.permissions import Action, can
from naervaer.web import navigation


def _any(user) -> bool:
    return can(user, Action.SURVEY_RESULTS) or can(user, Action.REPORT_DEVIATION)


def register_entries() -> None:
    navigation.register(
        "prevention:index",
        _("Work environment"),
        visible=_any,
        order=50,
        description=_(
            "Surveys, HSE action plans, deviations, safety rounds, employee conversations and AMU."
        ),
    )
