"""Work-environment surveys (DOMAIN.md §11): instruments as versioned data, rounds, invitations and
anonymous responses.

Anonymity is a property of the schema, not of the code that reads it: a ``Response`` carries the
round, the unit and the coarse bands the organisation chose, and nothing else — no person, no
invitation, no timestamp, and a random primary key, so neither a join nor the insertion order ties
an answer to whoever was invited. The ``Invitation`` keeps only a hash of its link's token and a
``used`` flag; it never learns which response it produced.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from naervaer.org.models import Employee, Organisation, Unit


class Instrument(models.Model):
    """A questionnaire version: factors, items, scale and texts in nb/en, stored as data.

    A version is never edited once saved; a changed questionnaire is a new version, so every round
    keeps the exact questions it asked. ``organisation`` is empty for the instruments we ship.
    """

    class Kind(models.TextChoices):
        PROFILE = "profile", _("work-environment profile")
        PULSE = "pulse", _("climate pulse")
        MINI = "mini", _("mini survey of the lowest factors")
        OWN = "own", _("the organisation's own instrument")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.SlugField(_("key"), max_length=80)
    version = models.PositiveIntegerField(_("version"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title_nb = models.CharField(_("title (Norwegian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    definition = models.JSONField(_("definition"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key", "version"], name="instrument_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title_nb} (v{self.version})"


class SurveyRound(models.Model):
    """One survey of the units under ``root_unit`` with one instrument, open between two dates."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="rounds")
    root_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("units surveyed")
    )
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    min_group = models.PositiveSmallIntegerField(
        _("smallest group with results"),
        default=5,
        help_text=_("At least 5; results of smaller groups are never shown."),
    )
    min_free_text = models.PositiveSmallIntegerField(
        _("smallest group with free-text answers"), default=10
    )
    remind_every_days = models.PositiveSmallIntegerField(_("remind every (days)"), default=7)
    # The coarse bands respondents place themselves in: [{key, label_nb, label_en, options: [...]}].
    bands = models.JSONField(_("bands"), default=list, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous round (for comparison)"),
    )
    # Mini surveys: the factors each unit answers (unit id → factor keys), empty for full rounds.
    factors_per_unit = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """A single-use link for one employee. Only the token's hash is kept, and ``used`` is a flag:
    the invitation does not know which response it produced, and no response points back."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invitations")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(blank=True)
    nonce = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)
    sent_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "employee"], name="invitation_once_per_round")
        ]


class Response(models.Model):
    """An anonymous answer: round, unit, bands, the item values and an optional comment — nothing
    else (no person, no invitation, no time; a random key so row order says nothing either)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    bands = models.JSONField(default=dict, blank=True)
    # One value per item of the instrument, in its order (None where the item was skipped).
    values = models.JSONField()
    comment = models.TextField(blank=True)


class ExternalResult(models.Model):
    """A unit-level factor score from another survey (e.g. 10-FAKTOR through Bedre kommune)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=60)
    period = models.CharField(_("period"), max_length=20)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    factor = models.CharField(_("factor"), max_length=120)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=2)
    respondents = models.PositiveIntegerField(_("respondents"))
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "period", "unit", "factor"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source", "period", "unit", "factor"],
                name="external_result_unique",
            )
        ]
