"""Partial dates with a precision: a day, a month or a whole year.

The CSV files split dates into spreadsheet-friendly columns (``year``, ``month``,
``day`` and ``approximate``). The precision follows from what is filled in:

* ``day``   - year, month and day given: ``18 March 1970``
* ``month`` - year and month given: ``March 1970`` (the whole month)
* ``year``  - only the year given: ``1970`` (the whole year, never 1 January)

``approximate=true`` marks dates the sources give loosely ("c. 1956").

A :class:`PartialDate` covers a span of days, from :attr:`PartialDate.first_day` to
:attr:`PartialDate.last_day`. This module is pure Python (no pandas), so the data check
can use it without importing pandas.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass

__all__ = [
    "MONTH_NAMES",
    "PRECISIONS",
    "PartialDate",
    "days_in_month",
    "same_at_coarser_precision",
    "span_label",
]

#: English month names, index 1 = January (index 0 is empty).
MONTH_NAMES: tuple[str, ...] = tuple(calendar.month_name)

#: Precision names, finest first (the category order of the ``precision`` column).
PRECISIONS: tuple[str, ...] = ("day", "month", "year")


def days_in_month(year: int, month: int) -> int:
    """Number of days in ``month`` of ``year`` (leap years included): 28 to 31."""
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, to the month or only to the year.

    >>> PartialDate(1970, 3, 18).label()
    '18 March 1970'
    >>> PartialDate(1956, approximate=True).label()
    'c. 1956'
    >>> PartialDate(1970).last_day
    datetime.date(1970, 12, 31)

    Raises ``ValueError`` when the parts do not make a date (a day without a month,
    month 13, 31 February).
    """

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1 to 12, not {self.month}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year must be 1 to 9999, not {self.year}")
        if self.day is not None and self.month is not None:
            last = days_in_month(self.year, self.month)
            if not 1 <= self.day <= last:
                raise ValueError(
                    f"day must be 1 to {last} in {MONTH_NAMES[self.month]} {self.year}, "
                    f"not {self.day}"
                )

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``."""
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def first_day(self) -> _dt.date:
        """The first day the date covers (1 January for a year, the 1st for a month)."""
        return _dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> _dt.date:
        """The last day the date covers (31 December for a year, month end for a month)."""
        if self.day is not None:
            return _dt.date(self.year, self.month, self.day)  # type: ignore[arg-type]
        if self.month is not None:
            return _dt.date(self.year, self.month, days_in_month(self.year, self.month))
        return _dt.date(self.year, 12, 31)

    def label(self, with_year: bool = True) -> str:
        """The date as students read it: ``18 March 1970``, ``March 1970``, ``c. 1956``."""
        parts = []
        if self.day is not None:
            parts.append(str(self.day))
        if self.month is not None:
            parts.append(MONTH_NAMES[self.month])
        if with_year or not parts:
            parts.append(str(self.year))
        text = " ".join(parts)
        return f"c. {text}" if self.approximate else text

    def __str__(self) -> str:
        return self.label()


def span_label(start: PartialDate, end: PartialDate | None = None) -> str:
    """Label of a date or of a span of dates.

    ``1970``, ``c. 1956``, ``1970–1973``, ``March–May 1970``, ``18–20 March 1970``,
    ``18 March 1970 – 2 April 1971``. An end equal to the start gives the start's label.
    The ``approximate`` flag of ``start`` applies to the whole label.
    """
    if end is None or (end.year, end.month, end.day) == (start.year, start.month, start.day):
        return start.label()
    prefix = "c. " if start.approximate else ""
    plain_start = PartialDate(start.year, start.month, start.day)
    plain_end = PartialDate(end.year, end.month, end.day)
    if start.year == end.year and start.precision != "year" and end.precision != "year":
        if (
            start.month == end.month
            and start.precision == "day"
            and end.precision == "day"
        ):
            return f"{prefix}{start.day}\u2013{plain_end.label()}"
        if start.precision == end.precision == "month":
            first_month = MONTH_NAMES[start.month]  # type: ignore[index]
            return f"{prefix}{first_month}\u2013{plain_end.label()}"
        return f"{prefix}{plain_start.label(with_year=False)} \u2013 {plain_end.label()}"
    first, last = plain_start.label(), plain_end.label()
    if " " in first or " " in last:
        return f"{prefix}{first} \u2013 {last}"
    return f"{prefix}{first}\u2013{last}"


def same_at_coarser_precision(a: PartialDate, b: PartialDate) -> bool:
    """True when ``a`` and ``b`` cannot be told apart at the coarser of their precisions.

    ``1970`` and ``18 March 1970`` are the same at year precision; ``March 1970`` and
    ``April 1970`` differ. Used to make sure an "order the events" question has one
    right answer.
    """
    if a.year != b.year:
        return False
    if a.month is None or b.month is None:
        return True
    if a.month != b.month:
        return False
    if a.day is None or b.day is None:
        return True
    return a.day == b.day
