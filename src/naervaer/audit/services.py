"""Writing the access log. Every selector or service that touches a person's case data calls
``record`` in the same transaction, so a read that happened is a read that was logged.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from naervaer.audit.context import Origin, current_origin
from naervaer.audit.models import AccessLog


def record(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    object_type: str,
    object_id: object = "",
    subject_employee_id: int | None = None,
    purpose: str = "",
    origin: Origin | None = None,
) -> AccessLog:
    """Append one entry. ``origin`` defaults to the current request (see AuditOriginMiddleware)."""
    if action not in AccessLog.Action.values:
        raise ValueError(
            f"unknown audit action {action!r}; expected one of {', '.join(AccessLog.Action.values)}"
        )
    origin = origin or current_origin.get()
    user = actor if actor is not None and actor.is_authenticated else None
    return AccessLog.objects.create(
        actor=user,
        actor_username=user.get_username() if user else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        subject_employee_id=subject_employee_id,
        purpose=purpose[:200],
        ip_address=origin.ip_address,
        path=origin.path,
        user_agent=origin.user_agent,
    )


def record_reads(
    actor: AbstractBaseUser | AnonymousUser | None,
    object_type: str,
    subject_employee_ids: Iterable[int],
    purpose: str = "",
) -> int:
    """Log a read of a list (one entry per person shown) in one insert."""
    origin = current_origin.get()
    user = actor if actor is not None and actor.is_authenticated else None
    entries = [
        AccessLog(
            actor=user,
            actor_username=user.get_username() if user else "system",
            action=AccessLog.Action.READ,
            object_type=object_type,
            subject_employee_id=employee_id,
            purpose=purpose[:200],
            ip_address=origin.ip_address,
            path=origin.path,
            user_agent=origin.user_agent,
        )
        for employee_id in sorted(set(subject_employee_ids))
    ]
    AccessLog.objects.bulk_create(entries)
    return len(entries)
