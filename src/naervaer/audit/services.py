"""Writing the access log. Every selector or service that touches a person's case data calls
``record`` in the same transaction, so a read that happened is a read that was logged.

Each entry keeps who (user name, full name and the roles held then, from the access layer's
actor — the request's, so logging costs no extra queries), what, whose, why and from where.
"""

from __future__ import annotations

from collections.abc import Iterable

from naervaer.audit.context import Origin, current_origin
from naervaer.audit.models import AccessLog
from naervaer.org.access import ActorLike, as_actor


def _who(actor: ActorLike | None) -> dict[str, object]:
    if actor is None or not actor.is_authenticated:
        return {"actor": None, "actor_username": "system", "actor_name": "", "actor_roles": ""}
    known = as_actor(actor)
    return {
        "actor": known.user,
        "actor_username": known.user.get_username(),
        "actor_name": known.name[:200],
        "actor_roles": ",".join(sorted(known.roles))[:200],
    }


def record(
    actor: ActorLike | None,
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
    return AccessLog.objects.create(
        **_who(actor),
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
    actor: ActorLike | None,
    object_type: str,
    subject_employee_ids: Iterable[int],
    purpose: str = "",
) -> int:
    """Log a read of a list (one entry per person shown) in one insert."""
    origin = current_origin.get()
    who = _who(actor)
    entries = [
        AccessLog(
            **who,
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
