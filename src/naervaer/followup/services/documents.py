"""Documents about the job rather than the case: the workplace description (one per employment)."""

from __future__ import annotations

from django.db import transaction

from naervaer.followup import selectors
from naervaer.followup.models import FollowupCase, WorkplaceDescription
from naervaer.followup.services.history import event, log
from naervaer.org import access
from naervaer.org.access import Action


@transaction.atomic
def workplace_description_save(
    *, actor: access.User, case: FollowupCase, **fields: str
) -> WorkplaceDescription:
    selectors.require(actor, case, Action.WORK_CASE)
    description, _created = WorkplaceDescription.objects.get_or_create(employment=case.employment)
    for name, value in fields.items():
        setattr(description, name, value)
    description.updated_by = actor
    description.save()
    event(case, actor, "workplace_description_updated")
    log(actor, "update", "workplace_description", description.pk, case)
    return description
