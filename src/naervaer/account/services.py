"""Writes of the account app, one transaction each: the second factor's devices and unlocking."""

from __future__ import annotations

import axes.utils
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from naervaer.account import lockout
from naervaer.audit import services as audit
from naervaer.org.access import ActorLike
from naervaer.org.models import Employee

RECOVERY_CODES = 10
APP_DEVICE = "app"
RECOVERY_DEVICE = "recovery"


@transaction.atomic
def totp_enrolment(user) -> TOTPDevice:
    """The unconfirmed authenticator-app device being enrolled (made on first use, kept until
    confirmed, so reloading the page shows the same QR code)."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, name=APP_DEVICE, confirmed=False)
    return device


@transaction.atomic
def totp_confirm(user, token: str) -> TOTPDevice | None:
    """Confirm the enrolment with a code from the app; it replaces any earlier app device."""
    device = TOTPDevice.objects.filter(user=user, name=APP_DEVICE, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


@transaction.atomic
def recovery_codes_renew(user) -> list[str]:
    """New single-use recovery codes; the old ones stop working. Shown to the user once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def login_unlock(*, actor: ActorLike, kind: str, value: str) -> int:
    """Lift a lockout of a username or an address; written to the access log. Returns the number
    of attempt records removed."""
    lockout.require_unlocker(actor)
    if kind == "username":
        removed = axes.utils.reset(username=value)
        employee = Employee.objects.filter(user__username=value).values_list("pk", flat=True)
        subject = employee.first()
    elif kind == "ip_address":
        removed = axes.utils.reset(ip=value)
        subject = None
    else:
        raise ValueError(f"unknown lockout kind {kind!r}")
    audit.record(
        actor, "update", "login_lockout", value, subject_employee_id=subject, purpose="unlock login"
    )
    return removed
