"""Targets: a monthly status (the seeds' smiley) and the trend toward the target.

A month is on track when its absence percent is at or under the target. The trend compares the
latest four-quarter figure with the one a year earlier: closer to the target, further away, or
reached. Both read the engine's presented (rounded) figures; nothing is recomputed here.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from naervaer.insight.models import Target
from naervaer.org.models import Unit

ON_TRACK, OFF_TRACK = "on_track", "off_track"
SYMBOLS = {ON_TRACK: "☺", OFF_TRACK: "☹"}


def month_status(percent: Decimal | None, target: Decimal) -> str | None:
    if percent is None:
        return None
    return ON_TRACK if percent <= target else OFF_TRACK


def trend_toward(
    target: Decimal, latest: Decimal | None, year_before: Decimal | None
) -> str | None:
    """ "reached", "closer", "further" or "unchanged" for the latest four quarters vs a year earlier."""
    if latest is None:
        return None
    if latest <= target:
        return "reached"
    if year_before is None:
        return None
    before, now = abs(year_before - target), abs(latest - target)
    if now < before:
        return "closer"
    if now > before:
        return "further"
    return "unchanged"


def trend_text(trend: str | None) -> str:
    return {
        "reached": _("target reached over the last four quarters"),
        "closer": _("moving toward the target (last four quarters against the year before)"),
        "further": _("moving away from the target (last four quarters against the year before)"),
        "unchanged": _("no change toward the target"),
    }.get(trend or "", _("not enough unmasked figures to tell the trend"))


def targets_for(unit: Unit) -> list[Target]:
    return list(Target.objects.filter(unit=unit).order_by("-first_month"))


def target_for_month(targets: list[Target], month: str) -> Target | None:
    """The most recently starting target that covers ``month`` (YYYY-MM)."""
    return next((target for target in targets if target.covers(month)), None)
