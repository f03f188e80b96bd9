"""Follow-up of sick-listed employees (DOMAIN.md §1–2, §8).

Cases and their milestones are *computed* by the rules core from the registered absences and
stored here so the app can hang documents, decisions and history on them. Everything written by
people — meetings, plans, placements, committee decisions, the closing outcome — points at a case.
Nothing here holds a diagnosis: that lives only in ``absence.NavDiagnosis``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from naervaer.org.models import Employee, Employment, Organisation, Role, Unit


class RoutineChoice(models.Model):
    """Which routine an organisation (or one unit and its subtree) follows from a date on.

    Rows are never edited: a change is a new row, so the history of choices is the version history.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit (with subtree)"),
    )
    routine = models.CharField(_("routine"), max_length=60)
    hr_takeover_weeks = models.PositiveSmallIntegerField(
        _("HR takes over after (weeks)"), null=True, blank=True
    )
    valid_from = models.DateField(_("valid from"))
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-valid_from", "-id"]
        verbose_name = _("routine choice")
        verbose_name_plural = _("routine choices")


class Outcome(models.TextChoices):
    BACK_FULL_TIME = "back_full_time", _("back full time")
    BACK_PART_TIME = "back_part_time", _("back part-time")
    REASSIGNED = "reassigned", _("reassigned")
    VOCATIONAL_REHABILITATION = "vocational_rehabilitation", _("vocational rehabilitation")
    DISABILITY_BENEFIT = "disability_benefit", _("disability benefit")
    RESIGNED = "resigned", _("resigned")
    DISMISSED = "dismissed", _("dismissed")
    OTHER = "other", _("other")


class FollowupCase(models.Model):
    """One follow-up case (oppfølgingstilfelle) of one employment, as the rules core computed it."""

    class Responsible(models.TextChoices):
        NEAREST_LEADER = "nearest_leader", _("nearest leader")
        HR = "hr", _("HR")

    employment = models.ForeignKey(
        Employment, on_delete=models.CASCADE, related_name="+", verbose_name=_("employment")
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="+", editable=False
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", editable=False
    )
    start = models.DateField(_("case start"))
    end = models.DateField(_("last sick day"))
    sick_days = models.PositiveIntegerField(_("sick days"))
    employer_period_end = models.DateField(_("employer period ends"), null=True, blank=True)
    max_date = models.DateField(_("max date"), null=True, blank=True)
    days_used = models.PositiveIntegerField(_("sick-pay days used"), null=True, blank=True)
    days_remaining = models.PositiveIntegerField(
        _("sick-pay days remaining"), null=True, blank=True
    )
    max_date_rule = models.CharField(_("max-date rule"), max_length=30, blank=True)
    routine = models.CharField(_("routine"), max_length=60)
    # False once the absences no longer give this case (an absence was corrected); kept for its documents.
    current = models.BooleanField(default=True)
    responsible = models.CharField(
        _("responsible"),
        max_length=20,
        choices=Responsible.choices,
        default=Responsible.NEAREST_LEADER,
    )
    bring_forward = models.DateField(_("bring forward"), null=True, blank=True)
    referred_to_occupational_health = models.DateField(
        _("referred to occupational health"), null=True, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    # The rules say the case has ended (16 gap days after the last sick day) as of ``computed_on``.
    ended = models.BooleanField(default=False)
    computed_on = models.DateField()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("follow-up case")
        verbose_name_plural = _("follow-up cases")
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "start"], name="followup_case_unique_start"
            )
        ]
        indexes = [models.Index(fields=["organisation", "closed_on"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.start:%Y-%m-%d}"


class Milestone(models.Model):
    """A milestone of the case's routine. Due date and computed state come from the rules core;
    ``recorded`` (done or waived) is what people record, with the document or the reason."""

    class Recorded(models.TextChoices):
        NONE = "", _("not recorded")
        DONE = "done", _("done")
        WAIVED = "waived", _("waived")

    case = models.ForeignKey(FollowupCase, on_delete=models.CASCADE, related_name="milestones")
    key = models.CharField(max_length=60)
    title_nb = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    due = models.DateField(_("due"), null=True, blank=True)  # None: on request
    responsible = models.CharField(_("responsible"), max_length=30)
    document = models.CharField(_("expected document"), max_length=30, blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=100, blank=True)
    waivable = models.BooleanField(default=False)
    # The role an overdue milestone has escalated to (per the routine), blank while not escalated.
    escalated_to = models.CharField(max_length=30, blank=True)
    computed_state = models.CharField(max_length=20)
    recorded = models.CharField(max_length=10, choices=Recorded.choices, blank=True, default="")
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    waive_reason = models.TextField(_("reason for waiving"), blank=True)
    meeting = models.ForeignKey(
        "Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey(
        "Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due", "key"]
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="followup_milestone_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.due}"

    @property
    def state(self) -> str:
        """What people recorded wins over what the rules computed."""
        return self.recorded or self.computed_state

    @property
    def responsible_label(self) -> str:
        """Routines name roles by key; people read the role's translated name."""
        return Role(self.responsible).label if self.responsible in Role.values else self.responsible

    @property
    def escalated_to_label(self) -> str:
        return (
            Role(self.escalated_to).label if self.escalated_to in Role.values else self.escalated_to
        )


class CaseEvent(models.Model):
    """The case history shown on the case page: what happened, when and by whom (never edited)."""

    case = models.ForeignKey(FollowupCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at", "-id"]


class Meeting(models.Model):
    class Kind(models.TextChoices):
        FOLLOW_UP_TALK = "follow_up_talk", _("follow-up talk")
        DIALOGUE_1 = "dialogue_1", _("dialogue meeting 1")
        DIALOGUE_2 = "dialogue_2", _("dialogue meeting 2")
        DIALOGUE_3 = "dialogue_3", _("dialogue meeting 3")
        THREE_PARTY = "three_party", _("three-party talk")
        BASIS_GROUP = "basis_group", _("basis-group meeting")
        GRADED_LEAVE = "graded_leave", _("graded / active sick leave talk")
        OCCUPATIONAL_HEALTH = "occupational_health", _("occupational-health talk")

    case = models.ForeignKey(FollowupCase, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    minutes = models.TextField(_("minutes"), blank=True)
    agreements = models.TextField(_("agreements"), blank=True)
    next_meeting = models.DateField(_("next meeting"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"


class Participant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=40)


class Recipient(models.TextChoices):
    PERSONNEL_FILE = "personnel_file", _("personnel file")
    EMPLOYEE = "employee", _("employee")
    OCCUPATIONAL_HEALTH = "occupational_health", _("occupational health")
    HR = "hr", _("HR")
    NAV = "nav", _("NAV")


class MeetingCopy(models.Model):
    """One copy of a meeting record sent to one recipient on the distribution list."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="copies")
    recipient = models.CharField(_("recipient"), max_length=30, choices=Recipient.choices)
    sent_on = models.DateField(_("sent on"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )


class Plan(models.Model):
    """The follow-up plan (oppfølgingsplan). ``version`` is the optimistic lock: a save names the
    version it started from and fails if someone saved in between. Each save keeps a PlanVersion."""

    case = models.OneToOneField(FollowupCase, on_delete=models.CASCADE, related_name="plan")
    version = models.PositiveIntegerField(default=1)
    tasks = models.JSONField(default=list)  # [{"task": str, "capacity": can|adapted|cannot}]
    measures = models.JSONField(
        default=list
    )  # [{"measure", "status": proposed|agreed|not_relevant, "owner", "deadline"}]
    information_to_colleagues = models.TextField(_("information to colleagues"), blank=True)
    evaluation_date = models.DateField(_("evaluation date"), null=True, blank=True)
    share_with_doctor = models.BooleanField(_("share with the doctor"), default=False)
    share_with_nav = models.BooleanField(_("share with NAV"), default=False)
    approved_by_leader_at = models.DateTimeField(null=True, blank=True)
    approved_by_employee_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    @property
    def approved(self) -> bool:
        return bool(self.approved_by_leader_at and self.approved_by_employee_at)


class PlanVersion(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    content = models.JSONField()
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="followup_plan_version_unique")
        ]


class Placement(models.Model):
    """A temporary task or position in a unit's placement bank (stillingsbank)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    suitable_for = models.CharField(_("suitable for"), max_length=100, blank=True)
    available = models.BooleanField(_("available"), default=True)

    class Meta:
        ordering = ["unit", "title"]

    def __str__(self) -> str:
        return self.title


class PlacementAssignment(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="assignments")
    case = models.ForeignKey(FollowupCase, on_delete=models.CASCADE, related_name="placements")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)


class WorkplaceDescription(models.Model):
    """What the job demands, for the doctor and NAV (arbeidsplassbeskrivelse); one per employment."""

    employment = models.OneToOneField(Employment, on_delete=models.CASCADE, related_name="+")
    tasks = models.TextField(_("main tasks"), blank=True)
    physical_demands = models.TextField(_("physical demands"), blank=True)
    psychosocial_demands = models.TextField(_("psychosocial demands"), blank=True)
    working_hours = models.TextField(_("working hours"), blank=True)
    adaptation_options = models.TextField(_("possible adaptations"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )


class CommitteeReferral(models.Model):
    """A case lifted to the reintegration committee (attføringsutvalg) and its decision."""

    case = models.ForeignKey(
        FollowupCase, on_delete=models.CASCADE, related_name="committee_referrals"
    )
    referred_on = models.DateField(_("referred on"))
    question = models.TextField(_("question to the committee"))
    decision = models.TextField(_("decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    @property
    def handling_days(self) -> int | None:
        return (self.decided_on - self.referred_on).days if self.decided_on else None


class ReminderSent(models.Model):
    """One reminder item e-mailed to one person; the unique key makes ``naervaer remind`` idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.CharField(max_length=80)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "item"], name="followup_reminder_once")
        ]


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A personal calendar feed address; revoking it replaces the token so old links stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)
