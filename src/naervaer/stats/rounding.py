"""Percentages as Decimals and half-up rounding to one decimal, only when presenting (DOMAIN §9).

Day counts come out of the engine as binary floats (sums of workdays × position % × grade %);
they are first brought back to their exact decimal value (six decimals is exact for percentages
given with up to one decimal) so that a true 12.25 % rounds to 12.3, never to 12.2.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DAY_QUANTUM = Decimal("0.000001")
ONE_DECIMAL = Decimal("0.1")


def exact_days(value: float | int | Decimal) -> Decimal:
    """A day count as the Decimal it stands for (binary float noise removed)."""
    return Decimal(str(value)).quantize(DAY_QUANTUM, rounding=ROUND_HALF_UP)


def percent(lost: float | int | Decimal, possible: float | int | Decimal) -> Decimal:
    """lost / possible × 100, unrounded. A zero denominator has no value: it raises."""
    denominator = exact_days(possible)
    if denominator == 0:
        raise ZeroDivisionError("absence percent of zero possible workdays has no value")
    return exact_days(lost) * 100 / denominator


def present_percent(value: Decimal | float | None) -> Decimal | None:
    """Round half-up to one decimal for display; None stays None (masked or no denominator)."""
    if value is None:
        return None
    return Decimal(value if isinstance(value, Decimal) else str(value)).quantize(
        ONE_DECIMAL, ROUND_HALF_UP
    )


def present_ratio(numerator: float | int, denominator: float | int) -> Decimal | None:
    """percent() rounded for display, or None when the denominator is zero."""
    if exact_days(denominator) == 0:
        return None
    return present_percent(percent(numerator, denominator))
