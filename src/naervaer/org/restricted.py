"""The queryset half of the access layer, kept apart so models can use it without importing
``naervaer.org.access`` (which imports the models).

A model that holds personal data or a scoped thing declares an ``access_subject`` (how its rows
reach an employment, an employee, a unit or an organisation) and uses ``RestrictedQuerySet`` as its
manager, so ``Model.objects.restrict(actor, action)`` gives the rows the actor may use for the action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from naervaer.org.access import Action, ActorLike


@dataclass(frozen=True)
class Subject:
    """Lookups from a model to what access is decided on ("" means the model itself is that thing).

    Give exactly one of ``employment``, ``employee``, ``unit`` or ``organisation``. ``referred``,
    ``closed_on`` and ``last_day`` (of a case) are optional lookups that grants with a condition
    use (``access.GRANTS``).
    """

    employment: str | None = None
    employee: str | None = None
    unit: str | None = None
    organisation: str | None = None
    referred: str | None = None
    closed_on: str | None = None
    last_day: str | None = None

    def __post_init__(self) -> None:
        given = [self.employment, self.employee, self.unit, self.organisation]
        if sum(path is not None for path in given) != 1:
            raise ValueError(
                "a Subject names exactly one of employment, employee, unit, organisation"
            )


def lookup(path: str, field: str) -> str:
    """``lookup("employment", "unit_id")`` → ``"employment__unit_id"``; ``lookup("", f)`` → ``f``."""
    return f"{path}__{field}" if path else field


class RestrictedQuerySet(models.QuerySet):
    """NetBox's ``RestrictedQuerySet``: ``restrict(actor, action)`` narrows to what the actor may use."""

    def restrict(self, actor: ActorLike, action: Action) -> Self:
        from naervaer.org.access import restrict

        return restrict(self, actor, action)

    def __class_getitem__(cls, item: Any) -> Any:  # allows RestrictedQuerySet[Model] in hints
        return cls
