"""The two records every case write leaves: an event in the case history (kind and parameters,
worded for each reader by ``followup.history``) and an entry in the access log."""

from __future__ import annotations

from typing import Any

from naervaer.audit import services as audit
from naervaer.followup.models import CaseEvent, FollowupCase
from naervaer.org import access


def event(case: FollowupCase, actor: access.User | None, kind: str, **params: Any) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=actor if actor is not None and actor.is_authenticated else None,
        kind=kind,
        params=params,
    )


def log(
    actor: access.User | None, action: str, what: str, obj_id: object, case: FollowupCase
) -> None:
    audit.record(actor, action, what, obj_id, subject_employee_id=case.employee_id)
