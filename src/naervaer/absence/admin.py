"""Administrator screens for absence records; the model ``clean()`` validates every save.

``NavDiagnosis`` is deliberately not registered: the diagnosis stays out of the employer's admin.
"""

from __future__ import annotations

from django.contrib import admin

from naervaer.absence.models import HolidayLeave, SelfCertification, SickNotePeriod
from naervaer.absence.services import refresh_quota_flags


class AbsencePeriodAdmin(admin.ModelAdmin):
    list_display = ("employment", "start_date", "end_date", "external_id")
    list_filter = ("organisation",)
    search_fields = ("employment__employee__last_name", "external_id")
    autocomplete_fields = ("employment",)
    date_hierarchy = "start_date"


@admin.register(SelfCertification)
class SelfCertificationAdmin(AbsencePeriodAdmin):
    list_display = (*AbsencePeriodAdmin.list_display, "quota_breach")
    readonly_fields = ("quota_breach", "quota_breach_reason")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        refresh_quota_flags(obj.employment)


@admin.register(SickNotePeriod)
class SickNotePeriodAdmin(AbsencePeriodAdmin):
    list_display = (*AbsencePeriodAdmin.list_display, "note_type", "grade")
    list_filter = (*AbsencePeriodAdmin.list_filter, "note_type")


@admin.register(HolidayLeave)
class HolidayLeaveAdmin(AbsencePeriodAdmin):
    list_display = (*AbsencePeriodAdmin.list_display, "kind")
