"""Writes to the workforce register: one transaction each, ``full_clean()`` before every save."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from naervaer.org.models import (
    Employee,
    Employment,
    Organisation,
    PositionChange,
    RoleAssignment,
    Unit,
)


def save_valid(instance: models.Model) -> models.Model:
    """Validate (fields, uniqueness and the model's domain rules) and save."""
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def organisation_create(
    *,
    name: str,
    org_number: str,
    self_certification_rules: str = Organisation.SelfCertificationRules.STANDARD,
) -> Organisation:
    return save_valid(
        Organisation(
            name=name, org_number=org_number, self_certification_rules=self_certification_rules
        )
    )


@transaction.atomic
def unit_create(
    *,
    organisation: Organisation,
    name: str,
    level: str,
    valid_from: datetime.date,
    parent: Unit | None = None,
    sector_code: str = "",
    valid_to: datetime.date | None = None,
    external_id: str = "",
) -> Unit:
    return save_valid(
        Unit(
            organisation=organisation,
            parent=parent,
            name=name,
            level=level,
            sector_code=sector_code,
            valid_from=valid_from,
            valid_to=valid_to,
            external_id=external_id,
        )
    )


@transaction.atomic
def employee_create(
    *,
    organisation: Organisation,
    national_id: str,
    first_name: str,
    last_name: str,
    language: str = Employee.Language.BOKMAAL,
    external_id: str = "",
    user: AbstractBaseUser | None = None,
) -> Employee:
    return save_valid(
        Employee(
            organisation=organisation,
            national_id=national_id,
            first_name=first_name,
            last_name=last_name,
            language=language,
            external_id=external_id,
            user=user,
        )
    )


@transaction.atomic
def employment_create(
    *,
    employee: Employee,
    unit: Unit,
    start_date: datetime.date,
    position_percent: Decimal | int | float,
    occupation: str = "",
    end_date: datetime.date | None = None,
    nearest_leader: Employee | None = None,
    external_id: str = "",
) -> Employment:
    """An employment and its first position percent, valid from the start date."""
    employment = save_valid(
        Employment(
            employee=employee,
            unit=unit,
            start_date=start_date,
            end_date=end_date,
            occupation=occupation,
            nearest_leader=nearest_leader,
            external_id=external_id,
            organisation_id=employee.organisation_id,
        )
    )
    save_valid(
        PositionChange(
            employment=employment,
            valid_from=start_date,
            position_percent=Decimal(str(position_percent)),
        )
    )
    return employment


@transaction.atomic
def position_change(
    *, employment: Employment, valid_from: datetime.date, position_percent: Decimal | int | float
) -> PositionChange:
    """Change the position percent from a date on (replacing a change already registered for that date)."""
    change = PositionChange.objects.filter(
        employment=employment, valid_from=valid_from
    ).first() or PositionChange(employment=employment, valid_from=valid_from)
    change.position_percent = Decimal(str(position_percent))
    return save_valid(change)


@transaction.atomic
def role_assign(
    *,
    user: AbstractBaseUser,
    role: str,
    organisation: Organisation,
    unit: Unit | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> RoleAssignment:
    return save_valid(
        RoleAssignment(
            user=user,
            role=role,
            organisation=organisation,
            unit=unit,
            valid_from=valid_from or datetime.date.today(),
            valid_to=valid_to,
        )
    )
