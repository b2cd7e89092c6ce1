"""Fixed-point decimal arithmetic for counts.

A value with ``places`` decimal places is held as an integer scaled by
``10 ** places``: 12.34 at two places is the integer 1234.  Integers are exact
and fast; no count ever uses floating point.  Every division states its
rounding: :meth:`FixedPoint.divide_down` ignores the remainder (what the STV
rules mean by "ignoring any remainder"), :meth:`FixedPoint.divide_up` rounds
any remainder up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FixedPoint:
    """Arithmetic at a stated number of decimal places."""

    places: int

    @property
    def unit(self) -> int:
        """The scaled value of 1."""
        return 10**self.places

    def whole(self, number: int) -> int:
        """The scaled value of a whole number (of papers, say)."""
        return number * self.unit

    def divide_down(self, numerator: int, denominator: int) -> int:
        """``numerator / denominator`` for values already scaled, remainder ignored."""
        return numerator // denominator

    def divide_up(self, numerator: int, denominator: int) -> int:
        """``numerator / denominator`` for values already scaled, any remainder rounded up."""
        return -(-numerator // denominator)

    def text(self, value: int) -> str:
        """The value written out at this precision, e.g. ``'12.34'``."""
        return format_scaled(value, self.places)


def format_scaled(value: int, places: int) -> str:
    """Write a scaled integer as a decimal with ``places`` decimal places."""
    if places == 0:
        return str(value)
    sign = "-" if value < 0 else ""
    whole, fraction = divmod(abs(value), 10**places)
    return f"{sign}{whole}.{fraction:0{places}d}"


def rescale_down(value: int, from_places: int, to_places: int) -> int:
    """Drop decimal places from a scaled value, remainder ignored."""
    return value // 10 ** (from_places - to_places)
