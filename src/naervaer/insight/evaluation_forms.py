"""The intervention form of the evaluation page: plain fields whose names are the spec's fields.

Field names match ``InterventionSpec`` keys on purpose, so a :class:`SpecError` from the spec or
from the evaluation lands next to the field it names (``SpecError.field``). The evaluation package
is imported only when a form is validated (see ``evaluation_views``: it is slow to import).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from naervaer.insight import process_tables

if TYPE_CHECKING:
    from naervaer.stats.evaluation import InterventionSpec, SpecError

INDICATOR_CHOICES = [
    ("absence_percent", _("Absence percent (level)")),
    ("spells_per_employee_year", _("Spells per employee-year (incidence)")),
    ("spell_length", _("Average spell length in calendar days (duration)")),
    ("paid_days_per_case", _("Paid days beyond day 16 per case (duration)")),
    ("graded_share", _("Graded share of lost workdays")),
]
# Offered when another app supplies a process table (``insight.process_tables``).
PROCESS_CHOICE = ("process", _("Process indicators (surveys, HSE measures, conversations)"))
REFERENCE_CHOICES = [
    ("chosen", _("the reference units chosen below")),
    ("suggest", _("units suggested by size, sector and before-period level")),
    ("none", _("no reference (the target's own trend only)")),
]
DATE_FIELDS = ("before_start", "preparation_start", "active_start", "active_end", "after_end")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(attrs={"class": "ds-input"}, format="%Y-%m-%d")


class EvaluationForm(forms.Form):
    """Bound from the query string, so the page, the PDF and the JSON share one URL of parameters.

    The unit lists are plain multi-selects: Designsystemet's ``ds-input`` shows a select as one line.
    """

    name = forms.CharField(
        label=_("Name of the intervention"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    target_units = forms.TypedMultipleChoiceField(
        label=_("Target units"),
        coerce=int,
        help_text=_("Each unit covers its whole subtree."),
        error_messages={"required": _("Choose at least one target unit.")},
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    reference = forms.ChoiceField(
        label=_("Compare with"),
        choices=REFERENCE_CHOICES,
        initial="chosen",
        widget=forms.RadioSelect,
    )
    reference_units = forms.TypedMultipleChoiceField(
        label=_("Reference units"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    reference_count = forms.IntegerField(
        label=_("How many units to suggest"),
        min_value=1,
        max_value=20,
        initial=3,
        widget=forms.NumberInput(attrs={"class": "ds-input"}),
    )
    before_start = forms.DateField(label=_("Before period starts"), widget=DateInput())
    preparation_start = forms.DateField(
        label=_("Preparation starts (optional; left out of the estimates)"),
        required=False,
        widget=DateInput(),
    )
    active_start = forms.DateField(label=_("Active period starts"), widget=DateInput())
    active_end = forms.DateField(label=_("Active period ends"), widget=DateInput())
    after_end = forms.DateField(
        label=_("Follow-up after the project ends"),
        widget=DateInput(),
        help_text=_("The same date as the end of the active period for no follow-up."),
    )
    indicators = forms.MultipleChoiceField(
        label=_("Indicators"),
        choices=INDICATOR_CHOICES,
        initial=[value for value, _label in INDICATOR_CHOICES],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data: Mapping[str, object] | None, units: Mapping[int, str]) -> None:
        """``units``: the organisation's units the user may see, id → label (choices of both unit lists)."""
        super().__init__(data)
        self.units = dict(units)
        choices = list(self.units.items())
        self.fields["target_units"].choices = choices
        self.fields["reference_units"].choices = choices
        if process_tables.available():
            self.fields["indicators"].choices = [*INDICATOR_CHOICES, PROCESS_CHOICE]
        self.spec: InterventionSpec | None = None

    def clean(self) -> dict:
        """Validate the whole intervention with the evaluation's own rules (order of periods, overlap…)."""
        from naervaer.stats.evaluation import InterventionSpec, SpecError

        data = super().clean()
        if self.errors:
            return data
        mapping = {key: value for key, value in data.items() if value not in (None, "", [])}
        mapping["indicators"] = list(data["indicators"])
        if data["reference"] != "suggest":
            mapping.pop("reference_count", None)
        if data["reference"] == "chosen" and not data["reference_units"]:
            self.add_error(
                "reference_units",
                _(
                    "Choose at least one reference unit, or let the page suggest units, "
                    "or choose no reference."
                ),
            )
            return data
        for key in DATE_FIELDS:
            if isinstance(mapping.get(key), dt.date):
                mapping[key] = mapping[key].isoformat()
        try:
            self.spec = InterventionSpec.from_mapping(mapping, known_units=self.units)
        except SpecError as error:
            self.add_spec_error(error)
        return data

    def add_spec_error(self, error: SpecError) -> None:
        """Show a spec or evaluation error next to the field it names (or above the form)."""
        message = str(error).removeprefix(f"{error.field}: ")
        self.add_error(error.field if error.field in self.fields else None, message)
