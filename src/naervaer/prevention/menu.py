"""Main-menu entry of the prevention part, shown to the roles that may use any of it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from naervaer.org.access import Action, Actor
from naervaer.web import navigation


def _any(actor: Actor) -> bool:
    return actor.can(Action.SURVEY_RESULTS) or actor.can(Action.REPORT_DEVIATION)


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
