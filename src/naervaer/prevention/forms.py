"""Forms of the prevention pages. They check shape only; the services check the rules."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from naervaer.org.uploads import LimitedFileField
from naervaer.prevention.models import ChecklistTemplate, Deviation, Measure


class StyledForm(forms.Form):
    """Designsystemet classes on every input; dates as date pickers."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(field, forms.DateField):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "ds-checkbox")
            elif not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "ds-input")


def _year_choices() -> list[tuple[int, int]]:
    this = datetime.date.today().year
    return [(y, y) for y in range(this - 1, this + 4)]


class RoundForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    instrument = forms.ChoiceField(label=_("Questionnaire"))
    root_unit = forms.ChoiceField(label=_("Units surveyed (with everything below)"))
    opens_on = forms.DateField(label=_("Opens"))
    closes_on = forms.DateField(label=_("Closes"))
    min_group = forms.IntegerField(label=_("Smallest group with results"), initial=5, min_value=5)
    min_free_text = forms.IntegerField(
        label=_("Smallest group with free-text answers"), initial=10, min_value=10
    )
    bands = forms.CharField(
        label=_("Background groups (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One group per line: name, then the options after a colon, separated by commas. "
            "Example: Age: under 40, 40 or older. Keep the options coarse."
        ),
    )
    previous = forms.ChoiceField(label=_("Compare with the round"), required=False)

    def __init__(self, *args, instruments, units, rounds, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = instruments
        self.fields["root_unit"].choices = units
        self.fields["previous"].choices = [("", _("no comparison")), *rounds]

    def clean_bands(self) -> list[dict]:
        bands = []
        for line in self.cleaned_data["bands"].splitlines():
            if not line.strip():
                continue
            name, _sep, options = line.partition(":")
            choices = [o.strip() for o in options.split(",") if o.strip()]
            if not name.strip() or len(choices) < 2:
                raise forms.ValidationError(
                    _("«%(line)s»: write the name, a colon and at least two options.")
                    % {"line": line.strip()}
                )
            key = name.strip().lower()
            bands.append(
                {"key": key, "label_nb": name.strip(), "label_en": name.strip(), "options": choices}
            )
        return bands


class MiniRoundForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_on = forms.DateField(label=_("Opens"))
    closes_on = forms.DateField(label=_("Closes"))
    lowest = forms.IntegerField(
        label=_("Lowest factors per unit"), initial=3, min_value=1, max_value=5
    )


class UploadForm(StyledForm):
    file = LimitedFileField(label=_("File"))


class ExternalImportForm(UploadForm):
    source = forms.CharField(label=_("Source"), initial="10-FAKTOR", max_length=60)


class PlanForm(StyledForm):
    unit = forms.ChoiceField(label=_("Unit"))
    title = forms.CharField(label=_("Title"), max_length=200)
    first_year = forms.TypedChoiceField(label=_("From year"), coerce=int)
    last_year = forms.TypedChoiceField(label=_("To year"), coerce=int)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units
        self.fields["first_year"].choices = _year_choices()
        self.fields["last_year"].choices = _year_choices()


class GoalForm(StyledForm):
    text = forms.CharField(label=_("Goal"), max_length=300)
    factor = forms.ChoiceField(label=_("Factor it addresses"), required=False)

    def __init__(self, *args, factors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factor"].choices = [("", "–"), *factors]


class MeasureForm(StyledForm):
    text = forms.CharField(label=_("Measure"), max_length=300)
    owner_name = forms.CharField(label=_("Owner"), max_length=120)
    deadline = forms.DateField(label=_("Deadline"))
    factors = forms.MultipleChoiceField(
        label=_("Factors it addresses"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, factors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factors"].choices = factors


class MeasureStatusForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)


class MeetingForm(StyledForm):
    held_on = forms.DateField(label=_("Meeting date"))
    hse_item = forms.CharField(
        label=_("HSE item: what was discussed"), widget=forms.Textarea(attrs={"rows": 3})
    )
    decisions = forms.CharField(
        label=_("What was decided"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(StyledForm):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class DeviationForm(StyledForm):
    unit = forms.ChoiceField(label=_("Unit"))
    occurred_on = forms.DateField(label=_("Date"))
    category = forms.ChoiceField(label=_("Category"), choices=Deviation.Category.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Deviation.Severity.choices)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4})
    )
    immediate_action = forms.CharField(
        label=_("What was done at once"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    anonymous = forms.BooleanField(
        label=_("Report without my name"),
        required=False,
        help_text=_("Then nobody can ask you about it, and you will not see the report later."),
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units


class DeviationFollowUpForm(StyledForm):
    follow_up = forms.CharField(
        label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(label=_("Status"), choices=Deviation.Status.choices)


class TemplateForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ChecklistTemplate.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    item_lines = forms.CharField(
        label=_("Checklist items, one per line"), widget=forms.Textarea(attrs={"rows": 6})
    )


class ConversationForm(StyledForm):
    planned_on = forms.DateField(label=_("Planned"), required=False)
    held_on = forms.DateField(label=_("Held"), required=False)


class AmuMeetingForm(StyledForm):
    held_on = forms.DateField(label=_("Date"))
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
