"""Administrator screens for the register. Saving goes through ``full_clean()`` (ModelAdmin forms
call it); who may use them and the audit of reads come from ``RegisterAdmin``."""

from __future__ import annotations

from django.contrib import admin

from naervaer.org.admin_site import RegisterAdmin, RegisterAdminMixin
from naervaer.org.models import (
    Employee,
    Employment,
    Organisation,
    PositionChange,
    RetentionRules,
    RoleAssignment,
    Unit,
)


class RetentionRulesInline(RegisterAdminMixin, admin.StackedInline):
    """The organisation's retention rules (docs/retention.md); left unsaved, the defaults apply."""

    model = RetentionRules
    can_delete = False
    max_num = 1


@admin.register(Organisation)
class OrganisationAdmin(RegisterAdmin):
    list_display = ("name", "org_number", "self_certification_rules")
    search_fields = ("name", "org_number")
    inlines = [RetentionRulesInline]


@admin.register(Unit)
class UnitAdmin(RegisterAdmin):
    list_display = (
        "name",
        "level",
        "parent",
        "sector_code",
        "valid_from",
        "valid_to",
        "external_id",
    )
    list_filter = ("organisation", "level")
    search_fields = ("name", "external_id")
    autocomplete_fields = ("parent",)


@admin.register(Employee)
class EmployeeAdmin(RegisterAdmin):
    person_path = "pk"
    list_display = ("last_name", "first_name", "birth_date", "sex", "language", "external_id")
    list_filter = ("organisation", "language")
    search_fields = ("last_name", "first_name", "external_id")
    readonly_fields = ("birth_date", "sex")
    autocomplete_fields = ("user",)


class PositionChangeInline(RegisterAdminMixin, admin.TabularInline):
    model = PositionChange
    extra = 0


@admin.register(Employment)
class EmploymentAdmin(RegisterAdmin):
    person_path = "employee_id"
    list_display = (
        "employee",
        "unit",
        "occupation",
        "start_date",
        "end_date",
        "nearest_leader",
        "external_id",
    )
    list_filter = ("organisation", "unit")
    search_fields = ("employee__last_name", "external_id", "occupation")
    autocomplete_fields = ("employee", "unit", "nearest_leader")
    inlines = [PositionChangeInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(RegisterAdmin):
    person_path = "user__employee"
    list_display = ("user", "role", "organisation", "unit", "valid_from", "valid_to")
    list_filter = ("role", "organisation")
    autocomplete_fields = ("user", "unit")
