"""Partial dates: a day, a month or a whole year (``18 March 1970``, ``March 1970``,
``1970``, never 1 January; ``c. 1956`` when approximate), as the CSV files split them into
``year``, ``month``, ``day``. Pure Python: the data check uses it without pandas.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass

__all__ = ["MONTH_NAMES", "PRECISIONS", "PartialDate", "same_at_coarser_precision", "span_label"]

#: English month names, index 1 = January (index 0 is empty).
MONTH_NAMES: tuple[str, ...] = tuple(calendar.month_name)
#: Precision names, finest first (the category order of the ``precision`` column).
PRECISIONS: tuple[str, ...] = ("day", "month", "year")


def days_in_month(year: int, month: int) -> int:
    """Number of days in ``month`` of ``year`` (28 to 31)."""
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or only the year, covering the days from
    :attr:`first_day` to :attr:`last_day`; ``ValueError`` when the parts make no date
    (a day without a month, 31 February)."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        self.last_day  # noqa: B018 - raises ValueError for month 13, 31 February, year 0

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``."""
        return PRECISIONS[(self.day is None) + (self.month is None)]

    @property
    def first_day(self) -> _dt.date:
        """The first day covered (1 January for a year, the 1st for a month)."""
        return _dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> _dt.date:
        """The last day covered (31 December for a year, the month's last day)."""
        month = self.month or 12
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1 to 12, not {month}")
        return _dt.date(self.year, month, self.day or days_in_month(self.year, month))

    def label(self, with_year: bool = True) -> str:
        """The date as students read it: ``18 March 1970``, ``March 1970``, ``c. 1956``."""
        parts = [str(self.day) if self.day else "", MONTH_NAMES[self.month or 0]]
        parts = [p for p in parts if p] + ([str(self.year)] if with_year or not any(parts) else [])
        return ("c. " if self.approximate else "") + " ".join(parts)

    def __str__(self) -> str:
        return self.label()


def span_label(start: PartialDate, end: PartialDate | None = None) -> str:
    """Label of a date or a span: ``1970–1973``, ``March–May 1970``, ``18–20 March 1970``,
    ``18 March 1970 – 2 April 1971``. ``start.approximate`` applies to the whole label."""
    if end is None or (end.year, end.month, end.day) == (start.year, start.month, start.day):
        return start.label()
    prefix = "c. " if start.approximate else ""
    first = PartialDate(start.year, start.month, start.day)
    last = PartialDate(end.year, end.month, end.day)
    if start.year == end.year and "year" not in (start.precision, end.precision):
        if start.precision == end.precision == "day" and start.month == end.month:
            return f"{prefix}{start.day}\u2013{last.label()}"
        if start.precision == end.precision == "month":
            return f"{prefix}{MONTH_NAMES[start.month or 0]}\u2013{last.label()}"
        return f"{prefix}{first.label(with_year=False)} \u2013 {last.label()}"
    a, b = first.label(), last.label()
    return f"{prefix}{a} \u2013 {b}" if " " in a + b else f"{prefix}{a}\u2013{b}"


def same_at_coarser_precision(a: PartialDate, b: PartialDate) -> bool:
    """True when ``a`` and ``b`` cannot be told apart at the coarser of their precisions
    (``1970`` and ``18 March 1970`` can not; ``March 1970`` and ``April 1970`` can)."""
    known = 3 - max(PRECISIONS.index(a.precision), PRECISIONS.index(b.precision))
    return (a.year, a.month, a.day)[:known] == (b.year, b.month, b.day)[:known]
