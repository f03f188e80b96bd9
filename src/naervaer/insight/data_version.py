"""The data-version counter: statistics are cached under the version, so a bump invalidates them.

Signals of the register models bump it (see ``connect_signals``); nothing has to remember to clear
the cache, and a stale entry is simply never asked for again. Bulk loads send no signals, so the
cache stamp (``stamp``) also carries the highest id of the register tables: a primary-key index
lookup each, read in the same single query as the counter (never a count over the absences).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save

from naervaer.insight.models import DataVersion


def stamp(organisation_id: int) -> str:
    """The counter plus the top ids of employments, position changes and absences, in one query.

    Any insert (bulk or not) raises a top id; saves and deletes bump the counter through signals.
    """
    from naervaer.absence.models import SelfCertification, SickNotePeriod
    from naervaer.org.models import Employment, PositionChange

    tops = ", ".join(
        f"(SELECT MAX(id) FROM {connection.ops.quote_name(m._meta.db_table)})"
        for m in (Employment, PositionChange, SickNotePeriod, SelfCertification)
    )
    counter = connection.ops.quote_name(DataVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT version FROM {counter} WHERE organisation_id = %s), {tops}",
            [organisation_id],
        )
        row = cursor.fetchone()
    return ".".join(str(value or 0) for value in row)


def bump(organisation_id: int) -> None:
    with transaction.atomic():
        updated = DataVersion.objects.filter(organisation_id=organisation_id).update(
            version=F("version") + 1
        )
        if not updated:
            DataVersion.objects.get_or_create(
                organisation_id=organisation_id, defaults={"version": 1}
            )


def _organisation_id(instance: Model) -> int | None:
    if getattr(instance, "organisation_id", None):
        return instance.organisation_id
    employment = getattr(instance, "employment", None)  # position changes
    return getattr(employment, "organisation_id", None)


def _on_change(sender: type[Model], instance: Model, **kwargs: object) -> None:
    if kwargs.get("raw"):
        return
    organisation_id = _organisation_id(instance)
    if organisation_id:
        bump(organisation_id)


def connect_signals() -> None:
    """Bump on every save or delete of what the statistics snapshot reads."""
    from naervaer.absence.models import SelfCertification, SickNotePeriod
    from naervaer.org.models import Employee, Employment, PositionChange, Unit

    for model in (Unit, Employee, Employment, PositionChange, SelfCertification, SickNotePeriod):
        post_save.connect(
            _on_change, sender=model, dispatch_uid=f"insight-version-save-{model.__name__}"
        )
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"insight-version-delete-{model.__name__}"
        )
