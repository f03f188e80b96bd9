"""HSE work per unit (DOMAIN.md §11): action plans with goals and measures, staff meetings with
the HSE item, the safety rep's comments, deviations, safety rounds from checklist templates,
employee conversations and the working-environment committee (AMU).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from naervaer.org.models import Employee, Organisation, Unit

USER = settings.AUTH_USER_MODEL


class ActionPlan(models.Model):
    """A unit's HSE action plan for a period of 2–3 years (Aurskog-Høland's third phase)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("from year"))
    last_year = models.PositiveSmallIntegerField(_("to year"))
    survey_round = models.ForeignKey(
        "prevention.SurveyRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on survey round"),
    )
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__name", "-first_year"]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=300)
    factor = models.CharField(_("factor"), max_length=80, blank=True)

    class Meta:
        ordering = ["plan", "id"]


class Measure(models.Model):
    """A measure of a plan: owner, deadline, status and the survey factors it addresses."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        STARTED = "started", _("started")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    OPEN = (Status.PLANNED, Status.STARTED)

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="measures")
    text = models.CharField(_("measure"), max_length=300)
    owner = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(_("owner"), max_length=120)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    factors = models.JSONField(_("factors addressed"), default=list, blank=True)
    source = models.CharField(max_length=200, blank=True)  # e.g. "safety round 2026-05-02"
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]


class StaffMeeting(models.Model):
    """A staff meeting with its HSE item: what was discussed and what was decided."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(_("held on"))
    hse_item = models.TextField(_("HSE item: what was discussed"))
    decisions = models.TextField(_("decided"), blank=True)
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]


class PlanComment(models.Model):
    """The safety representative's (or union rep's) comment on a plan."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    author_role = models.CharField(max_length=20)
    text = models.TextField(_("comment"))
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "id"]


class Deviation(models.Model):
    """An accident, near miss, threat/violence or other deviation, followed up until closed."""

    class Category(models.TextChoices):
        ACCIDENT = "accident", _("accident / injury")
        NEAR_MISS = "near_miss", _("near miss")
        VIOLENCE = "violence", _("threat or violence")
        ENVIRONMENT = "environment", _("work environment")
        OTHER = "other", _("other deviation")

    class Severity(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("being followed up")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", editable=False
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    description = models.TextField(_("what happened"))
    immediate_action = models.TextField(_("immediate action"), blank=True)
    # Empty when the reporter chose not to give their name.
    reported_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    follow_up = models.TextField(_("follow-up"), blank=True)
    closed_on = models.DateField(null=True, blank=True)
    measure = models.ForeignKey(
        Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]


class ChecklistTemplate(models.Model):
    """A safety-round or risk-assessment checklist: data per organisation, versioned by key."""

    class Kind(models.TextChoices):
        SAFETY_ROUND = "safety_round", _("safety round")
        RISK = "risk", _("risk assessment")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    items = models.JSONField()  # [{"key": ..., "text": ...}]

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Inspection(models.Model):
    """A safety round or risk assessment of a unit, answered item by item from a template."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(_("held on"))
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    # {item key: {"ok": bool, "finding": str, "risk": "low|medium|high" (risk assessments)}}
    answers = models.JSONField(default=dict)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]


class Conversation(models.Model):
    """An employee conversation (medarbeidersamtale) planned or held in a year."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    planned_on = models.DateField(_("planned"), null=True, blank=True)
    held_on = models.DateField(_("held"), null=True, blank=True)
    leader = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["year", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="conversation_once_per_year")
        ]


class AmuMeeting(models.Model):
    """A meeting of the working-environment committee: agenda and decisions."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"))
    decisions = models.TextField(_("decisions"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]


class ReminderSent(models.Model):
    """One row per reminder e-mail item and user, so ``naervaer prevention remind`` sends it once."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    item = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "item"], name="prevention_reminder_once")
        ]
