"""What insight stores itself: targets, cost rates, imported reference figures and the data version.

Statistics are never stored here: they come from the engine over a snapshot of the register and are
cached until ``DataVersion`` moves (see ``signals``).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from naervaer.org.models import Organisation, Unit


class DataVersion(models.Model):
    """A counter per organisation, bumped whenever register data behind the statistics changes."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveBigIntegerField(default=0)


class Target(models.Model):
    """An absence-percent target for a unit (with its subtree) over a range of months."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    target_percent = models.DecimalField(
        _("target (absence percent)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    starting_percent = models.DecimalField(
        _("starting level (absence percent)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["unit", "-first_month"]
        verbose_name = _("absence target")
        verbose_name_plural = _("absence targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_month__lte=F("last_month")), name="target_months_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.target_percent} % ({self.first_month:%Y-%m}–{self.last_month:%Y-%m})"

    def covers(self, month: str) -> bool:
        """``month`` as YYYY-MM."""
        return f"{self.first_month:%Y-%m}" <= month <= f"{self.last_month:%Y-%m}"


class CostRate(models.Model):
    """Cost of one lost workday: daily salary plus social costs; blank occupation = the default rate."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    occupation = models.CharField(_("occupation (blank = all others)"), max_length=100, blank=True)
    daily_salary = models.DecimalField(
        _("daily salary (NOK)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    social_cost_percent = models.DecimalField(
        _("social costs (percent of salary)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("200"))],
    )

    class Meta:
        ordering = ["organisation", "occupation"]
        verbose_name = _("cost per lost workday")
        verbose_name_plural = _("costs per lost workday")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "occupation"], name="cost_rate_unique_occupation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occupation or '*'}: {self.per_day} NOK"

    @property
    def per_day(self) -> Decimal:
        return (self.daily_salary * (1 + self.social_cost_percent / 100)).quantize(Decimal("0.01"))


class ReferenceFigure(models.Model):
    """A published quarterly absence percent (country, sector or industry) imported from CSV."""

    class Level(models.TextChoices):
        COUNTRY = "country", _("country")
        SECTOR = "sector", _("sector")
        INDUSTRY = "industry", _("industry")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    quarter = models.CharField(_("quarter (YYYYQn)"), max_length=7)
    absence_percent = models.DecimalField(_("absence percent"), max_digits=4, decimal_places=1)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["level", "code", "quarter"]
        verbose_name = _("reference figure")
        verbose_name_plural = _("reference figures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "level", "code", "quarter"], name="reference_unique_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.quarter}: {self.absence_percent} %"
