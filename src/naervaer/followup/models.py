"""Follow-up of sick-listed employees (DOMAIN.md §1–2, §8).

Cases and their milestones are *computed* by the rules core from the registered absences and
stored here so the app can hang documents, decisions and history on them. What is stored does not
depend on the day it was computed: whether a case has ended, who is responsible after an HR
takeover and each milestone's state are derived from the stored schedule on the day they are read
(``FollowupCase.ended_on``, ``responsible_on``, ``Milestone.state_on``, ``MilestoneQuerySet``).
Everything written by people — meetings, plans, placements, committee decisions, the closing
outcome — points at a case. Nothing here holds a diagnosis: that lives only in
``absence.NavDiagnosis``.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from naervaer.org.models import Employee, Employment, Organisation, Role, Unit
from naervaer.org.restricted import RestrictedQuerySet, Subject
from naervaer.rules import escalated_on, state_on
from naervaer.rules.cases import CASE_GAP_DAYS


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
    # From this day HR is responsible (the routine choice's takeover), if the case is still open then.
    hr_takeover_on = models.DateField(null=True, blank=True)
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

    access_subject = Subject(
        employment="employment",
        referred="referred_to_occupational_health",
        closed_on="closed_on",
        last_day="end",
    )
    objects = RestrictedQuerySet.as_manager()

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
        return f"{self.employee} {self.start:%d.%m.%Y}"

    @staticmethod
    def running_on(day: datetime.date, prefix: str = "") -> Q:
        """Cases the rules have not ended on ``day``: fewer than 16 gap days after the last sick day."""
        return Q(**{f"{prefix}end__gt": day - datetime.timedelta(days=CASE_GAP_DAYS)})

    @classmethod
    def open_on(cls, day: datetime.date, prefix: str = "") -> Q:
        """Cases to follow up on ``day``: current, not closed by people, not ended by the rules."""
        return Q(**{f"{prefix}current": True, f"{prefix}closed_on__isnull": True}) & cls.running_on(
            day, prefix
        )

    def ended_on(self, day: datetime.date) -> bool:
        return day >= self.end + datetime.timedelta(days=CASE_GAP_DAYS)

    def responsible_on(self, day: datetime.date) -> str:
        """HR once the routine's takeover day has come, else who was assigned (``responsible``)."""
        if self.hr_takeover_on is not None and self.hr_takeover_on <= day:
            return self.Responsible.HR
        return self.responsible

    @staticmethod
    def responsible_expression(day: datetime.date) -> Case:
        """``responsible_on`` in SQL, for filtering and sorting whole lists."""
        return Case(
            When(hr_takeover_on__lte=day, then=Value(FollowupCase.Responsible.HR.value)),
            default=F("responsible"),
        )


class ErasedCase(models.Model):
    """A case whose documentation retention deleted (docs/retention.md): only its employment and
    days, which the absences kept for the statistics tell anyway. The case synchronisation skips a
    computed case that overlaps one, so a deleted case is not computed anew, empty."""

    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    end = models.DateField()
    erased_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["employment", "start"])]


class MilestoneQuerySet(models.QuerySet):
    def with_state(self, day: datetime.date) -> MilestoneQuerySet:
        """Annotate ``state`` and ``escalated`` (the role, or "") as of ``day``, in SQL.

        The same decision as ``rules.state_on``/``rules.escalated_on``; a test compares the two
        over every stored milestone and a range of days, so they cannot drift apart.
        """
        state = Case(
            When(~Q(recorded=""), then=F("recorded")),
            When(applicable=False, then=Value("not_applicable")),
            When(Q(due__isnull=True) | Q(opens__gt=day), then=Value("upcoming")),
            When(due__gte=day, then=Value("due")),
            default=Value("overdue"),
            output_field=models.CharField(),
        )
        escalated = Case(
            When(
                Q(recorded="", applicable=True, due__lt=day, escalates_on__lte=day),
                then=F("escalation_role"),
            ),
            default=Value(""),
            output_field=models.CharField(),
        )
        return self.annotate(state=state, escalated=escalated)


class Milestone(models.Model):
    """A milestone of the case's routine as the rules core scheduled it: due date, start of the
    due window, whether it applies, when it escalates. The state follows from these and the day
    (``state_on``); ``recorded`` (done or waived) is what people record, with the document or
    the reason."""

    class Recorded(models.TextChoices):
        NONE = "", _("not recorded")
        DONE = "done", _("done")
        WAIVED = "waived", _("waived")

    case = models.ForeignKey(FollowupCase, on_delete=models.CASCADE, related_name="milestones")
    key = models.CharField(max_length=60)
    title_nb = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    due = models.DateField(_("due"), null=True, blank=True)  # None: on request
    opens = models.DateField(null=True, blank=True)  # first day of the due window
    applicable = models.BooleanField(default=True)
    responsible = models.CharField(_("responsible"), max_length=30)
    document = models.CharField(_("expected document"), max_length=30, blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=100, blank=True)
    waivable = models.BooleanField(default=False)
    escalation_role = models.CharField(max_length=30, blank=True)
    escalates_on = models.DateField(null=True, blank=True)
    # The role the escalation was announced to in the case history (by the daily recomputation).
    escalated_to = models.CharField(max_length=30, blank=True)
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

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due", "key"]
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="followup_milestone_unique_key")
        ]
        indexes = [models.Index(fields=["due", "case"])]

    def __str__(self) -> str:
        return f"{self.key} {self.due}"

    @property
    def on_request(self) -> bool:
        return self.due is None and self.applicable

    def state_on(self, day: datetime.date) -> str:
        """What people recorded wins over what the schedule says for ``day``."""
        return state_on(day, self.due, self.opens, self.applicable, self.recorded)

    def escalated_on(self, day: datetime.date) -> str:
        """The role the milestone has escalated to on ``day``, or ""."""
        escalated = escalated_on(day, self.state_on(day), self.escalates_on)
        return self.escalation_role if escalated else ""

    @property
    def responsible_label(self) -> str:
        """Routines name roles by key; people read the role's translated name."""
        return Role(self.responsible).label if self.responsible in Role.values else self.responsible


class CaseEvent(models.Model):
    """The case history: what happened (``kind`` with its ``params``), when and by whom. Stored
    without words, so each reader gets it in their own language (``followup.history``). Never edited."""

    case = models.ForeignKey(FollowupCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)

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
        return f"{self.get_kind_display()} {self.held_on:%d.%m.%Y}"


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

    access_subject = Subject(unit="unit")
    objects = RestrictedQuerySet.as_manager()

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
