"""Forms of the insight pages (targets, cost rates, reference import, attention thresholds)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from naervaer.insight.models import CostRate, Target
from naervaer.org.uploads import LimitedFileField


class MonthField(forms.DateField):
    """A month as YYYY-MM (the browser's month input), stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"})
    input_formats = ["%Y-%m"]

    def prepare_value(self, value: object) -> object:
        return f"{value:%Y-%m}" if isinstance(value, dt.date) else value


class TargetForm(forms.ModelForm):
    first_month = MonthField(label=_("First month"))
    last_month = MonthField(label=_("Last month"))

    class Meta:
        model = Target
        fields = ["target_percent", "starting_percent", "first_month", "last_month"]
        localized_fields = ["target_percent", "starting_percent"]  # nb users type a decimal comma

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and first > last:
            self.add_error("last_month", _("The last month must not come before the first month."))
        return data


class CostRateForm(forms.ModelForm):
    class Meta:
        model = CostRate
        fields = ["occupation", "daily_salary", "social_cost_percent"]
        localized_fields = ["daily_salary", "social_cost_percent"]


class ReferenceUploadForm(forms.Form):
    file = LimitedFileField(label=_("CSV file with reference figures"))


class AttentionForm(forms.Form):
    lost_days = forms.DecimalField(
        label=_("Lost workdays over the last 12 months, at least"),
        min_value=Decimal("1"),
        initial=Decimal("40"),
        decimal_places=1,
        max_digits=6,
    )
    recurring = forms.BooleanField(
        label=_("Include recurring absence as NAV defines it"), required=False, initial=True
    )
