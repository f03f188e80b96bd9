"""Milestones store their schedule (window start, applicability, escalation day) instead of a state
computed on some day; cases no longer store whether they had ended on the day they were computed;
history events store a kind and parameters instead of words.

Existing rows are converted in place: the window and escalation day come from each case's routine
file, applicability from the state stored before. ``hr_takeover_on`` is filled by the next
recomputation (``naervaer remind`` runs one daily). Events written as words become kind ``text``.
"""

import datetime

from django.db import migrations, models
from django.db.models import F


def schedule_from_routines(apps, schema_editor):
    from naervaer.rules import RoutineError, load_routine

    Milestone = apps.get_model("followup", "Milestone")
    Milestone.objects.filter(computed_state="not_applicable").update(applicable=False)
    routines = Milestone.objects.values_list("case__routine", flat=True).distinct()
    for key in routines:
        try:
            routine = load_routine(key)
        except RoutineError:
            continue
        rows = Milestone.objects.filter(case__routine=key, due__isnull=False)
        rows.update(opens=F("due") - datetime.timedelta(days=routine.due_window_days))
        for milestone in routine.milestones:
            if milestone.escalation:
                rows.filter(key=milestone.key).update(
                    escalation_role=milestone.escalation.to,
                    escalates_on=F("due")
                    + datetime.timedelta(days=milestone.escalation.after_days),
                )


def events_as_text(apps, schema_editor):
    CaseEvent = apps.get_model("followup", "CaseEvent")
    batch = []
    for event in CaseEvent.objects.only("id", "text").iterator():
        event.kind, event.params = "text", {"text": event.text}
        batch.append(event)
        if len(batch) == 1000:
            CaseEvent.objects.bulk_update(batch, ["kind", "params"])
            batch = []
    CaseEvent.objects.bulk_update(batch, ["kind", "params"])


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="followupcase",
            name="hr_takeover_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RemoveField(model_name="followupcase", name="computed_on"),
        migrations.RemoveField(model_name="followupcase", name="ended"),
        migrations.AddField(
            model_name="milestone",
            name="applicable",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="milestone",
            name="opens",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="milestone",
            name="escalation_role",
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.AddField(
            model_name="milestone",
            name="escalates_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(schedule_from_routines, migrations.RunPython.noop),
        migrations.RemoveField(model_name="milestone", name="computed_state"),
        migrations.AddIndex(
            model_name="milestone",
            index=models.Index(fields=["due", "case"], name="followup_mi_due_bed0ff_idx"),
        ),
        migrations.AddField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(default="text", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="caseevent",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(events_as_text, migrations.RunPython.noop),
        migrations.RemoveField(model_name="caseevent", name="text"),
    ]
