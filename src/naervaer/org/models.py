"""The workforce register: organisation, unit tree, employees, employments and role scopes (DOMAIN.md §4).

Units and employments carry validity dates because statistics use the unit an employment belonged
to at the time, never today's tree. Position percent changes over time, so it lives in dated
``PositionChange`` rows under the employment.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from stdnum.no import fodselsnummer

from naervaer.org.restricted import RestrictedQuerySet, Subject
from naervaer.org.validation import (
    IdentityFacts,
    Problem,
    date_range_problems,
    identity_facts,
    organisation_number_problems,
    position_percent_problems,
    raise_problems,
)


def _unique_external_id(model: str, scope: str) -> models.UniqueConstraint:
    """External ids are optional, but unique within their scope when given (they drive import upserts)."""
    return models.UniqueConstraint(
        fields=[scope, "external_id"],
        condition=~Q(external_id=""),
        name=f"{model}_unique_external_id",
    )


class Organisation(models.Model):
    class SelfCertificationRules(models.TextChoices):
        STANDARD = "standard", _("standard (3 days each time, 4 times in 12 months)")
        INCLUSIVE_WORKPLACE = (
            "inclusive_workplace",
            _("inclusive workplace (8 days each time, 24 days in 12 months)"),
        )

    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=9, unique=True)
    self_certification_rules = models.CharField(
        _("self-certification rules"),
        max_length=20,
        choices=SelfCertificationRules.choices,
        default=SelfCertificationRules.STANDARD,
    )

    access_subject = Subject(organisation="")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.org_number})"

    def clean(self) -> None:
        raise_problems(organisation_number_problems(self.org_number))


class Unit(models.Model):
    class Level(models.TextChoices):
        ORGANISATION = "organisation", _("organisation")
        SECTOR = "sector", _("sector")
        DEPARTMENT = "department", _("department")
        SITE = "site", _("site")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("organisation")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    sector_code = models.CharField(_("sector code"), max_length=40, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    external_id = models.CharField(_("external id"), max_length=64, blank=True)

    access_subject = Subject(unit="")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [_unique_external_id("unit", "organisation")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems = date_range_problems(self.valid_from, self.valid_to, "valid_from", "valid_to")
        parent = self.parent
        if parent is not None:
            if parent.organisation_id != self.organisation_id:
                problems.append(
                    Problem("parent", _g("The parent unit belongs to another organisation."))
                )
            order = list(self.Level.values)
            if self.level in order and order.index(parent.level) >= order.index(self.level):
                problems.append(
                    Problem(
                        "parent",
                        _g(
                            "A %(level)s cannot lie under a %(parent_level)s; the tree runs organisation → sector → department → site."
                        )
                        % {"level": self.level, "parent_level": parent.level},
                    )
                )
            seen = {self.pk} if self.pk else set()
            while parent is not None:
                if parent.pk in seen:
                    problems.append(
                        Problem("parent", _g("The parent unit would make the unit tree circular."))
                    )
                    break
                seen.add(parent.pk)
                parent = parent.parent
        raise_problems(problems)


class Employee(models.Model):
    class Language(models.TextChoices):
        BOKMAAL = "nb", _("Norwegian Bokmål")
        NYNORSK = "nn", _("Norwegian Nynorsk")
        SAMI = "se", _("Northern Sami")
        ENGLISH = "en", _("English")
        OTHER = "other", _("other (interpreter may be needed)")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="employees",
        verbose_name=_("organisation"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
        verbose_name=_("user account"),
    )
    national_id = models.CharField(_("national identity number"), max_length=11)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Derived from the national identity number on clean(); stored so statistics need no parsing.
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(
        _("sex"), max_length=1, choices=[("F", _("female")), ("M", _("male"))], editable=False
    )
    language = models.CharField(
        _("language preference"), max_length=5, choices=Language.choices, default=Language.BOKMAAL
    )
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    # Set when retention anonymised the person (docs/retention.md): name, national identity number,
    # user account and external id are gone; birth date and sex remain for the statistics.
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True, editable=False)

    access_subject = Subject(employee="")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "national_id"], name="employee_unique_national_id"
            ),
            _unique_external_id("employee", "organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        self.national_id = fodselsnummer.compact(self.national_id or "")
        super().clean_fields(exclude)

    def clean(self) -> None:
        facts = identity_facts(self.national_id)
        if isinstance(facts, list):
            raise_problems(facts)
        self.apply_identity(facts)

    def apply_identity(self, facts: IdentityFacts) -> None:
        self.national_id, self.birth_date, self.sex = facts.number, facts.birth_date, facts.sex


class Employment(models.Model):
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="employments", verbose_name=_("employee")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="employments", verbose_name=_("unit")
    )
    occupation = models.CharField(_("occupation / personnel group"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    nearest_leader = models.ForeignKey(
        Employee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_employments",
        verbose_name=_("nearest leader"),
    )
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    # Denormalised for the constraint below and for scoping queries by organisation.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="employments", editable=False
    )

    access_subject = Subject(employment="")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["employee", "start_date"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [_unique_external_id("employment", "organisation")]

    def __str__(self) -> str:
        return f"{self.employee} – {self.unit} ({self.start_date}–{self.end_date or ''})"

    def clean(self) -> None:
        problems = date_range_problems(self.start_date, self.end_date)
        if self.employee_id and self.unit_id:
            self.organisation_id = self.employee.organisation_id
            if self.unit.organisation_id != self.organisation_id:
                problems.append(
                    Problem(
                        "unit", _g("The unit belongs to another organisation than the employee.")
                    )
                )
        if self.nearest_leader_id and self.nearest_leader_id == self.employee_id:
            problems.append(
                Problem("nearest_leader", _g("An employee cannot be their own nearest leader."))
            )
        raise_problems(problems)

    def covers(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def position_percent_on(self, day: datetime.date) -> Decimal | None:
        """The position percent in force on ``day`` (None outside the employment)."""
        if not self.covers(day):
            return None
        change = self.position_changes.filter(valid_from__lte=day).order_by("-valid_from").first()
        return change.position_percent if change else None


class PositionChange(models.Model):
    """Position percent from ``valid_from`` until the next change (the first one starts with the employment)."""

    employment = models.ForeignKey(
        Employment,
        on_delete=models.CASCADE,
        related_name="position_changes",
        verbose_name=_("employment"),
    )
    valid_from = models.DateField(_("valid from"))
    position_percent = models.DecimalField(_("position percent"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["employment", "valid_from"]
        verbose_name = _("position percent change")
        verbose_name_plural = _("position percent changes")
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "valid_from"], name="position_change_unique_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position_percent} % from {self.valid_from}"

    def clean(self) -> None:
        problems = position_percent_problems(self.position_percent)
        if (
            self.employment_id
            and self.valid_from is not None
            and not self.employment.covers(self.valid_from)
        ):
            problems.append(
                Problem(
                    "valid_from",
                    _g("The position change date %(day)s lies outside the employment.")
                    % {"day": self.valid_from},
                )
            )
        raise_problems(problems)


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("employee")
    NEAREST_LEADER = "nearest_leader", _("nearest leader")
    UNIT_LEADER = "unit_leader", _("unit leader")
    HR = "hr", _("HR adviser")
    OCCUPATIONAL_HEALTH = "occupational_health", _("occupational health service")
    NAV = "nav", _("NAV caseworker")
    SAFETY_REP = "safety_rep", _("safety representative")
    UNION_REP = "union_rep", _("union representative")
    ANALYST = "analyst", _("analyst")
    ADMIN = "admin", _("administrator")


class RoleAssignment(models.Model):
    """Grants a user a role in an organisation, optionally limited to a unit and its subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit (with subtree)"),
    )
    valid_from = models.DateField(_("valid from"), default=datetime.date.today)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    def clean(self) -> None:
        problems = date_range_problems(self.valid_from, self.valid_to, "valid_from", "valid_to")
        if (
            self.unit_id
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            problems.append(Problem("unit", _g("The unit belongs to another organisation.")))
        if self.role == Role.UNIT_LEADER and not self.unit_id:
            problems.append(Problem("unit", _g("A unit leader role needs the unit it leads.")))
        raise_problems(problems)


def _period(label: str, default: int, least: int, most: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(least), MaxValueValidator(most)]
    )


class RetentionRules(models.Model):
    """How long an organisation keeps follow-up data (docs/retention.md has the defaults and why).

    An organisation without a row follows the defaults (``for_organisation``). The clocks run from
    when the case ended (closed by people, or ended by the rules 16 days after the last sick day)
    or when the person's last employment ended; ``naervaer retention`` does the deleting.
    """

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="retention_rules",
        verbose_name=_("organisation"),
    )
    case_years = _period(_("follow-up documentation kept (years after the case ended)"), 3, 1, 50)
    employment_years = _period(
        _("person anonymised (years after the last employment ended)"), 3, 1, 50
    )
    diagnosis_months = _period(
        _("NAV-side diagnoses kept (months after the sick note ended, when no case is open)"),
        12,
        1,
        600,
    )
    leader_months = _period(_("nearest leader sees a closed case for (months)"), 12, 0, 600)

    class Meta:
        verbose_name = _("retention rules")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return str(_("Retention rules"))

    @classmethod
    def for_organisation(cls, organisation_id: int) -> RetentionRules:
        """The stored rules, or the defaults (unsaved) when the organisation has none."""
        found = cls.objects.filter(organisation_id=organisation_id).first()
        return found or cls(organisation_id=organisation_id)

    @classmethod
    def leader_months_by_organisation(cls, employment_ids: Collection[int]) -> dict[int, int]:
        """``leader_months`` of the organisations of these employments, in one query."""
        default = cls._meta.get_field("leader_months").default
        rows = (
            Organisation.objects.filter(employments__pk__in=employment_ids)
            .values_list("pk", "retention_rules__leader_months")
            .distinct()
        )
        return {pk: default if months is None else months for pk, months in rows}
