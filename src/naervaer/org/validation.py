"""Pure validators for the register (DOMAIN.md §4), shared by model ``clean()``, services and imports.

Each validator returns a list of ``Problem`` (field, message) instead of raising, so an import can
collect every problem of every row before refusing the file. Messages are English msgids wrapped in
gettext; the nb catalogue translates them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer, orgnr


@dataclass(frozen=True)
class Problem:
    """One broken rule: the model field it concerns and a user-facing message naming the rule."""

    field: str
    message: str


def raise_problems(problems: Iterable[Problem]) -> None:
    """Turn problems into the ValidationError dict Django forms, admin and imports understand."""
    by_field: dict[str, list[str]] = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(problem.message)
    if by_field:
        raise ValidationError(by_field)


def organisation_number_problems(value: str) -> list[Problem]:
    try:
        orgnr.validate(value)
    except StdnumError:
        return [
            Problem(
                "org_number",
                _(
                    "Organisation number %(value)s is not a valid 9-digit number with a correct mod-11 check digit."
                )
                % {"value": value},
            )
        ]
    return []


@dataclass(frozen=True)
class IdentityFacts:
    """What a national identity number tells: birth date and legal sex (F/M)."""

    number: str
    birth_date: datetime.date
    sex: str


def identity_facts(value: str) -> IdentityFacts | list[Problem]:
    """Validate a fødselsnummer or D-number (two mod-11 check digits) and derive birth date and sex."""
    try:
        number = fodselsnummer.validate(value)
        return IdentityFacts(
            number, fodselsnummer.get_birth_date(number), fodselsnummer.get_gender(number)
        )
    except StdnumError:
        return [
            Problem(
                "national_id",
                _(
                    "National identity number %(value)s is not a valid fødselsnummer or D-number (11 digits, date of birth and two mod-11 check digits)."
                )
                % {"value": value},
            )
        ]


def date_range_problems(
    start: datetime.date | None,
    end: datetime.date | None,
    start_field: str = "start_date",
    end_field: str = "end_date",
) -> list[Problem]:
    if start is not None and end is not None and end < start:
        return [
            Problem(
                end_field,
                _(
                    "The end date %(end)s is before the start date %(start)s; the end must be on or after the start."
                )
                % {"end": end, "start": start},
            )
        ]
    return []


def position_percent_problems(value: Decimal | float | None) -> list[Problem]:
    if value is not None and not 0 <= value <= 100:
        return [
            Problem(
                "position_percent",
                _("Position percent %(value)s is outside 0–100.") % {"value": value},
            )
        ]
    return []
