"""Administrator screens for absence records; the model ``clean()`` validates every save, and every
save or delete recomputes the quota flags and follow-up cases (``services.absences_changed``).

``NavDiagnosis`` is deliberately not registered: the diagnosis stays out of the employer's admin.
"""

from __future__ import annotations

from django.contrib import admin

from naervaer.absence.models import HolidayLeave, SelfCertification, SickNotePeriod
from naervaer.absence.services import absences_changed


class AbsencePeriodAdmin(admin.ModelAdmin):
    list_display = ("employment", "start_date", "end_date", "external_id")
    list_filter = ("organisation",)
    search_fields = ("employment__employee__last_name", "external_id")
    autocomplete_fields = ("employment",)
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        absences_changed([obj.employment])

    def delete_model(self, request, obj) -> None:
        employment = obj.employment
        super().delete_model(request, obj)
        absences_changed([employment])

    def delete_queryset(self, request, queryset) -> None:
        employments = [record.employment for record in queryset.select_related("employment")]
        super().delete_queryset(request, queryset)
        absences_changed(employments)


@admin.register(SelfCertification)
class SelfCertificationAdmin(AbsencePeriodAdmin):
    list_display = (*AbsencePeriodAdmin.list_display, "quota_breach")
    readonly_fields = ("quota_breach", "quota_breach_reason")


@admin.register(SickNotePeriod)
class SickNotePeriodAdmin(AbsencePeriodAdmin):
    list_display = (*AbsencePeriodAdmin.list_display, "note_type", "grade")
    list_filter = (*AbsencePeriodAdmin.list_filter, "note_type")


@admin.register(HolidayLeave)
class HolidayLeaveAdmin(AbsencePeriodAdmin):
    list_display = (*AbsencePeriodAdmin.list_display, "kind")
