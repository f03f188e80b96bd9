"""The admin site, decided by the access layer: only actors who may ``ADMINISTER`` get in, and they
get the register and the user accounts — no absence content (no sick notes, self-certifications,
diagnoses or follow-up documents are registered here). Every read of a person's data in it is
written to the access log, and so is every change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from naervaer.audit import services as audit
from naervaer.org.access import Action, as_actor

PURPOSE = "administration"


class NaervaerAdminSite(admin.AdminSite):
    site_header = _("Nærvær administration")
    site_title = _("Nærvær administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and as_actor(request.user).can(Action.ADMINISTER)


class RegisterAdminMixin:
    """Permissions from the access layer; reads and changes of a person's data audited.

    ``person_path`` is the lookup from the model to the employee id the row is about ("pk" for
    Employee itself), or None when the model holds no person's data.
    """

    person_path: str | None = None
    admin_site: admin.AdminSite
    model: type[Model]

    def _allowed(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    has_module_permission = _allowed
    has_view_permission = _allowed
    has_add_permission = _allowed
    has_change_permission = _allowed
    has_delete_permission = _allowed

    def _people(self, pks: list[Any]) -> list[int]:
        if self.person_path is None or not pks:
            return []
        rows = self.model._default_manager.filter(pk__in=pks).values_list(
            self.person_path, flat=True
        )
        return [pk for pk in rows if pk is not None]

    def _record(self, request: HttpRequest, action: str, obj: Model) -> None:
        people = self._people([obj.pk])
        audit.record(
            request.user,
            action,
            obj._meta.model_name,
            obj.pk,
            subject_employee_id=people[0] if people else None,
            purpose=PURPOSE,
        )

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)  # type: ignore[misc]
        shown = [row.pk for row in changelist.result_list]
        audit.record_reads(request.user, self.model._meta.model_name, self._people(shown), PURPOSE)
        return changelist

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET" and self.person_path is not None:
            obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
            if obj is not None:
                self._record(request, "read", obj)
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._record(request, "create", obj)
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._record(request, "update", obj)
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: QuerySet) -> Any:
        for obj in queryset:
            self._record(request, "delete", obj)
        return super().log_deletions(request, queryset)  # type: ignore[misc]

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, ...]:
        """Name only what is deleted, not what cascades with it (that could be absence content)."""
        _deleted, _counts, perms_needed, protected = super().get_deleted_objects(objs, request)  # type: ignore[misc]
        return [str(obj) for obj in objs], {}, perms_needed, protected


class RegisterAdmin(RegisterAdminMixin, admin.ModelAdmin):
    pass
