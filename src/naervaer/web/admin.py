"""User accounts in the admin site, under the same permissions and audit as the register.

Groups and Django's model permissions are not used: the access layer decides (``org.access``).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from naervaer.org.admin_site import RegisterAdminMixin

User = get_user_model()
admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(RegisterAdminMixin, auth_admin.UserAdmin):
    person_path = "employee"
