"""Main-menu entries of the privacy pages, shown only to those the pages serve."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from naervaer.org.access import Action
from naervaer.web import navigation


def register_entries() -> None:
    navigation.register(
        "privacy:retention",
        _("Due for deletion"),
        visible=Action.RETENTION,
        order=82,
        description=_("Cases and people the retention rules will delete or anonymise."),
    )
    navigation.register(
        "privacy:mine",
        _("My data"),
        visible=Action.OWN_DATA,
        order=84,
        description=_("Download everything held about you, as PDF or JSON."),
    )
