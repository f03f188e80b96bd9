"""Keep cases current: any change to an employment's absences recomputes that employment's cases.

Bulk loads that bypass ``save()`` (``bulk_create``) must call ``services.cases_refresh_all``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from naervaer.absence.models import HolidayLeave, SelfCertification, SickNotePeriod


def _absence_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    from naervaer.followup.services import cases_refresh
    from naervaer.org.models import Employment

    if kwargs.get("raw"):
        return
    origin = kwargs.get("origin")
    if origin is not None and origin is not instance:
        return  # deleted along with its employment or organisation: nothing left to follow up
    employment = (
        Employment.objects.filter(pk=instance.employment_id)
        .select_related("employee", "unit")
        .first()
    )
    if employment is not None:
        cases_refresh(employment)


def connect() -> None:
    for model in (SelfCertification, SickNotePeriod, HolidayLeave):
        post_save.connect(
            _absence_changed, sender=model, dispatch_uid=f"followup-{model.__name__}-saved"
        )
        post_delete.connect(
            _absence_changed, sender=model, dispatch_uid=f"followup-{model.__name__}-deleted"
        )
