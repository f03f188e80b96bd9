"""Who must log in with a second factor, and how long a session may sit idle (settings).

``NAERVAER_2FA``: ``roles`` (default) — the roles that reach many people's data or health data
(HR, administrator, NAV, occupational health); ``all`` — everyone; ``off`` — nobody (the demo
only, so its printed logins work).
"""

from __future__ import annotations

import datetime

from django.conf import settings

from naervaer.org.access import Actor
from naervaer.org.models import Role

SECOND_FACTOR_ROLES = (Role.HR, Role.ADMIN, Role.NAV, Role.OCCUPATIONAL_HEALTH)


def second_factor_required(actor: Actor) -> bool:
    policy = settings.NAERVAER_2FA
    if policy == "all":
        return actor.is_authenticated
    if policy == "off":
        return False
    return actor.has(*SECOND_FACTOR_ROLES)


def idle_timeout() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.NAERVAER_IDLE_TIMEOUT)
