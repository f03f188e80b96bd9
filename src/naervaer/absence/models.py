"""Absence records of an employment: self-certifications, sick-note periods, holidays and leave.

The employer's copy of a sick note carries only periods, type, grade, the work-related reason and
the note to the employer. The diagnosis lives in ``NavDiagnosis``, a NAV-side model with no reverse
accessor from the sick note, so employer-side code cannot reach it by following relations.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from naervaer.absence import validation
from naervaer.absence.validation import Period
from naervaer.org.models import Employment, Organisation
from naervaer.org.restricted import RestrictedQuerySet, Subject
from naervaer.org.validation import Problem, date_range_problems, raise_problems


class AbsencePeriod(models.Model):
    """Fields and checks shared by every dated absence record of one employment."""

    employment = models.ForeignKey(
        Employment, on_delete=models.CASCADE, related_name="+", verbose_name=_("employment")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    # Denormalised so external ids can be unique per organisation (import upserts key on them).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", editable=False
    )

    access_subject = Subject(employment="employment")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["employment", "start_date"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.start_date}–{self.end_date}"

    def clean(self) -> None:
        problems = date_range_problems(self.start_date, self.end_date)
        if not problems and self.employment_id:
            employment = self.employment
            self.organisation_id = employment.organisation_id
            problems += validation.within_employment_problems(
                self.start_date, self.end_date, employment.start_date, employment.end_date
            )
            problems += self.period_problems()
            problems += validation.overlap_problems(
                self.start_date, self.end_date, self.is_awaiting(), self.neighbours()
            )
        raise_problems(problems)

    def period_problems(self) -> list[Problem]:
        return []

    def is_awaiting(self) -> bool:
        return False

    def neighbours(self) -> list[Period]:
        """Periods of the same employment that must not overlap (or, for awaiting notes, adjoin) this one."""
        margin = datetime.timedelta(days=1)
        result = []
        for model in self.conflicting_models:
            rows = model.objects.filter(
                employment_id=self.employment_id,
                start_date__lte=self.end_date + margin,
                end_date__gte=self.start_date - margin,
            )
            if model is type(self) and self.pk:
                rows = rows.exclude(pk=self.pk)
            result += [row.as_period() for row in rows]
        return result

    def as_period(self) -> Period:
        return Period(self.start_date, self.end_date, str(self), self.is_awaiting())

    conflicting_models: ClassVar[list[type[AbsencePeriod]]]


class SelfCertification(AbsencePeriod):
    """Employee-declared sick days. Quota breaches are flagged (with the reason), never refused."""

    quota_breach = models.BooleanField(_("quota breached"), default=False, editable=False)
    quota_breach_reason = models.CharField(
        _("quota breach reason"), max_length=300, blank=True, editable=False
    )

    class Meta(AbsencePeriod.Meta):
        verbose_name = _("self-certification")
        verbose_name_plural = _("self-certifications")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="selfcert_unique_external_id",
            )
        ]


class SickNotePeriod(AbsencePeriod):
    class NoteType(models.TextChoices):
        FULL = validation.FULL, _("full")
        GRADED = validation.GRADED, _("graded")
        AWAITING = validation.AWAITING, _("awaiting")
        TREATMENT_DAYS = validation.TREATMENT_DAYS, _("treatment days")
        TRAVEL_GRANT = validation.TRAVEL_GRANT, _("travel grant")
        ACTIVE_SICK_LEAVE = validation.ACTIVE_SICK_LEAVE, _("active sick leave (historic)")

    note_type = models.CharField(
        _("type"), max_length=20, choices=NoteType.choices, default=NoteType.FULL
    )
    grade = models.PositiveSmallIntegerField(_("grade (percent)"), null=True, blank=True)
    treatment_days = models.PositiveSmallIntegerField(
        _("number of treatment days"), null=True, blank=True
    )
    work_related_reason = models.TextField(_("work-related reason"), blank=True)
    note_to_employer = models.TextField(_("note to the employer"), blank=True)
    # The 3-year backdating limit counts from when the employer received the note.
    received_on = models.DateField(_("received on"), default=datetime.date.today)

    class Meta(AbsencePeriod.Meta):
        verbose_name = _("sick-note period")
        verbose_name_plural = _("sick-note periods")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="sicknote_unique_external_id",
            )
        ]

    def clean(self) -> None:
        if self.grade is None and validation.FIXED_GRADE.get(self.note_type) is not None:
            self.grade = validation.FIXED_GRADE[self.note_type]
        super().clean()

    def period_problems(self) -> list[Problem]:
        return validation.sick_note_problems(
            self.note_type,
            self.start_date,
            self.end_date,
            self.grade,
            self.treatment_days,
            self.received_on,
        )

    def is_awaiting(self) -> bool:
        return self.note_type == self.NoteType.AWAITING


SickNotePeriod.conflicting_models = SelfCertification.conflicting_models = [
    SickNotePeriod,
    SelfCertification,
]


class HolidayLeave(AbsencePeriod):
    """Holiday and leave, which the employer-period and follow-up rules need (DOMAIN.md §5–6).

    They may overlap sickness (sickness during holiday is common and the rules decide precedence),
    but not one another.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday")
        LEAVE = "leave", _("leave")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)

    class Meta(AbsencePeriod.Meta):
        verbose_name = _("holiday or leave")
        verbose_name_plural = _("holidays and leave")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="holidayleave_unique_external_id",
            )
        ]


HolidayLeave.conflicting_models = [HolidayLeave]


class NavDiagnosis(models.Model):
    """NAV-side only: the ICPC-2 diagnosis of a sick note. Employer roles never query this model."""

    # related_name="+" leaves SickNotePeriod without a reverse accessor to the diagnosis.
    sick_note_period = models.OneToOneField(
        SickNotePeriod,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("sick-note period"),
    )
    icpc2_code = models.CharField(_("ICPC-2 code"), max_length=6)
    chapter = models.CharField(_("ICPC-2 chapter"), max_length=1, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    access_subject = Subject(employment="sick_note_period__employment")
    objects = RestrictedQuerySet.as_manager()

    ICPC2_CHAPTERS = "ABDFHKLNPRSTUWXYZ"

    class Meta:
        verbose_name = _("diagnosis (NAV)")
        verbose_name_plural = _("diagnoses (NAV)")

    def __str__(self) -> str:
        return self.icpc2_code

    def clean(self) -> None:
        code = (self.icpc2_code or "").strip().upper()
        self.icpc2_code = code
        if len(code) < 2 or code[0] not in self.ICPC2_CHAPTERS or not code[1:].isalnum():
            raise_problems(
                [
                    Problem(
                        "icpc2_code",
                        _g(
                            "%(code)s is not an ICPC-2 code (a chapter letter followed by the rubric, e.g. L03)."
                        )
                        % {"code": code},
                    )
                ]
            )
        self.chapter = code[0]
