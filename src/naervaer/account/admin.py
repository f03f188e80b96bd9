"""Second-factor devices and login attempts in the admin site, for the administrator (the access
layer decides, as for the register), with no secrets shown — no TOTP keys, no recovery codes, no
submitted form data. Nothing is added or changed here; a user's devices may be deleted (a lost
phone: the user enrols again at the next login), audited like the register. Lockouts are lifted
on the locked-logins page.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from naervaer.org.admin_site import RegisterAdminMixin

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ReadOnlyAdmin(RegisterAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeviceAdmin(ReadOnlyAdmin):
    person_path = "user__employee"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(DeviceAdmin):
    list_display = fields = ("user", "name", "confirmed", "created_at", "last_used_at")


@admin.register(StaticDevice)
class StaticDeviceAdmin(DeviceAdmin):
    list_display = fields = ("user", "name", "created_at", "last_used_at")


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ReadOnlyAdmin):
    list_display = fields = (
        "username",
        "ip_address",
        "failures_since_start",
        "attempt_time",
        "path_info",
    )
    search_fields = ("username", "ip_address")


@admin.register(AccessLog)
class LoginLogAdmin(ReadOnlyAdmin):
    list_display = fields = ("username", "ip_address", "attempt_time", "logout_time")
    search_fields = ("username", "ip_address")
