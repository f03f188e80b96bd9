"""Forms of the follow-up pages. They check shape only; the services check the rules and rights."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from naervaer.followup.models import Meeting, Outcome, Recipient, WorkplaceDescription

DATE = forms.DateInput(attrs={"type": "date", "class": "ds-input"})


class DateField(forms.DateField):
    widget = DATE


class BringForwardForm(forms.Form):
    bring_forward = DateField(label=_("Bring forward on"), required=False)


class WaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it obviously unnecessary?"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
    )


class DoneForm(forms.Form):
    document = forms.ChoiceField(label=_("Document that fulfils it"))

    def __init__(self, *args, case=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f"meeting:{m.pk}", str(m)) for m in case.meetings.all()]
        if hasattr(case, "plan"):
            choices.insert(0, ("plan", _("the follow-up plan")))
        self.fields["document"].choices = choices
        self.fields["document"].widget.attrs["class"] = "ds-input"


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    held_on = DateField(label=_("Date"))
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        help_text=_("One per line: name, role (e.g. Kari Nordmann, employee)"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "ds-input"}),
    )
    agreements = forms.CharField(
        label=_("Agreements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )
    next_meeting = DateField(label=_("Next meeting"), required=False)
    copies = forms.MultipleChoiceField(
        label=_("Copies sent to"),
        choices=Recipient.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_participants(self) -> list[tuple[str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["participants"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, role = line.partition(",")
            if not sep or not name.strip() or not role.strip():
                raise forms.ValidationError(
                    _("Line %(n)s: write the name, a comma and the role.") % {"n": number}
                )
            rows.append((name.strip(), role.strip()))
        return rows


class TaskForm(forms.Form):
    task = forms.CharField(label=_("Work task"), required=False)
    capacity = forms.ChoiceField(
        label=_("Can do"),
        required=False,
        choices=[
            ("", "—"),
            ("can", _("can do")),
            ("adapted", _("with adaptation")),
            ("cannot", _("cannot do")),
        ],
    )


class MeasureForm(forms.Form):
    measure = forms.CharField(label=_("Measure"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", "—"),
            ("proposed", _("proposed")),
            ("agreed", _("agreed")),
            ("not_relevant", _("not relevant")),
        ],
    )
    owner = forms.CharField(label=_("Responsible"), required=False)
    deadline = DateField(label=_("Deadline"), required=False)


TaskFormSet = forms.formset_factory(TaskForm, extra=2)
MeasureFormSet = forms.formset_factory(MeasureForm, extra=2)


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    information_to_colleagues = forms.CharField(
        label=_("Information to colleagues"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
    )
    evaluation_date = DateField(label=_("Evaluation date"), required=False)
    share_with_doctor = forms.BooleanField(
        label=_("Share the plan with the doctor"), required=False
    )
    share_with_nav = forms.BooleanField(label=_("Share the plan with NAV"), required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
    )


class PlacementForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    title = forms.CharField(label=_("Task or position"))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
    )
    suitable_for = forms.CharField(
        label=_("Suitable for"), required=False, help_text=_("e.g. graded leave, work trial")
    )

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AssignPlacementForm(forms.Form):
    placement = forms.ModelChoiceField(label=_("Placement"), queryset=None)
    start = DateField(label=_("Start"))
    end = DateField(label=_("End"), required=False)
    outcome = forms.CharField(label=_("Outcome"), required=False)

    def __init__(self, *args, placements=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = placements


class WorkplaceDescriptionForm(forms.ModelForm):
    class Meta:
        model = WorkplaceDescription
        fields = [
            "tasks",
            "physical_demands",
            "psychosocial_demands",
            "working_hours",
            "adaptation_options",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3, "class": "ds-input"}) for name in fields}


class CommitteeReferForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the committee"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
    )


class CommitteeDecideForm(forms.Form):
    decision = forms.CharField(
        label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"})
    )
    decided_on = DateField(label=_("Decided on"))


class SickNoteForm(forms.Form):
    """The employer's copy of a sick note: periods, type, grade and the work-related fields only."""

    employment = forms.ModelChoiceField(label=_("Employee"), queryset=None)
    note_type = forms.ChoiceField(
        label=_("Type"),
        choices=[
            ("full", _("full")),
            ("graded", _("graded")),
            ("awaiting", _("awaiting")),
            ("treatment_days", _("treatment days")),
            ("travel_grant", _("travel grant")),
        ],
    )
    start_date = DateField(label=_("From"))
    end_date = DateField(label=_("To"))
    grade = forms.IntegerField(
        label=_("Grade (percent, graded only)"), required=False, min_value=1, max_value=100
    )
    work_related_reason = forms.CharField(
        label=_("Work-related reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note_to_employer = forms.CharField(
        label=_("Note to the employer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, employments=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employment"].queryset = employments
        self.fields["employment"].label_from_instance = lambda e: (
            f"{e.employee.first_name} {e.employee.last_name} ({e.unit.name})"
        )
