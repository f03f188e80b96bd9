"""The access log. Rows are only ever inserted: the model refuses updates and deletes, and database
triggers (SQLite and PostgreSQL) refuse them too, so not even raw SQL from the app can rewrite history.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit record."""


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit records cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit records cannot be deleted")


class AccessLog(models.Model):
    class Action(models.TextChoices):
        READ = "read", _("read")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        EXPORT = "export", _("exported")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # PROTECT: an account that has touched case data is deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Kept as text too, so the record reads the same after the account is renamed; the name and
    # the roles held at the time are what the person concerned is shown ("who has seen my case").
    actor_username = models.CharField(_("user"), max_length=150)
    actor_name = models.CharField(_("name"), max_length=200, blank=True)
    actor_roles = models.CharField(_("roles"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("what"), max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    # The person whose data it is; a plain id so retention deletion of the person keeps the log intact.
    subject_employee_id = models.BigIntegerField(null=True, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("from"), null=True)
    path = models.CharField(max_length=300, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["actor", "at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit records cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit records cannot be deleted")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type} {self.object_id}"
