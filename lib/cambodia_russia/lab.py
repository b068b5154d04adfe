"""Checks for the data lab (``notebooks/08_data_lab.ipynb``).

Each step of the lab ends with a "your turn" cell in which the student stores an answer,
and a check cell::

    from cambodia_russia.lab import check

    answer_2 = None  # replace None with your code
    check("step2", answer_2, tables)

:func:`check` computes the right answer **from the tables every time** (never from a
stored number), so the lab stays correct when a teacher edits the CSV files. It returns a
:class:`Feedback` that Jupyter shows as a short message starting with "✓ Correct",
"✗ Not yet: <hint>" or, while the answer is still ``None``, "✗ Not answered yet" — always
a symbol and words, never colour alone.

The checks are tolerant where that is reasonable: a pandas Series, a dict or a
one-column DataFrame with the same counts are all accepted, the order of rows does not
matter, zero counts may be left out or kept, decades may be written ``1950`` or
``"1950s"``, and shares may be fractions (0.78) or percentages (78).

Public names:

* :data:`STEPS` — the steps, each with its title, task and first hint;
* :func:`check` — compare an answer with the right one and explain;
* :func:`expected_answer` — the right answer computed from the tables (for tests and the
  teacher guide);
* :data:`EXERCISE_CHECKS` — the exercises of ``exercises.csv`` that :func:`check` can also
  mark (``check("ex08_events_per_period", answer)``);
* :func:`busiest_periods` — the period(s) with the most events, ties included;
* :func:`visit_events`, :func:`trade_rows`, :func:`ukraine_votes` — the row selections the
  steps use;
* :class:`Feedback` — the result of a check.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .widgets._common import is_missing

__all__ = ["STEPS", "EXERCISE_CHECKS", "Feedback", "check", "expected_answer"]

#: Step 2 counts the categories of the events of this collection period.
CATEGORY_PERIOD = "prk_1979_1991"
#: Step 3 counts the year-only dates of this collection period.
PRECISION_PERIOD = "renewal_1993_2021"
#: Step 5 counts the trade figures of these indicator keys ...
TRADE_INDICATORS = ("trade_turnover", "exports", "imports")
#: ... for these years (first and last, both included).
TRADE_YEARS = (2020, 2022)
#: Step 6 keeps the UN resolutions whose symbol starts with this text.
VOTE_SYMBOL_PREFIX = "A/RES/ES-11"

# Shares (step 6) count as equal within this distance (0.6 percentage points), so that
# answers rounded to two decimals or to whole percentages are accepted.
_SHARE_TOLERANCE = 0.006

_SYMBOLS = {"correct": "✓", "wrong": "✗", "unanswered": "✗"}
_WORDS = {"correct": "Correct", "wrong": "Not yet", "unanswered": "Not answered yet"}
# Okabe–Ito bluish green, vermillion and grey: the border colour only repeats what the
# symbol and the words already say.
_COLOURS = {"correct": "#009E73", "wrong": "#D55E00", "unanswered": "#8C8C8C"}


# --------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class Step:
    """One step of the lab: its id (``"step1"`` ...), title, task and first hint."""

    id: str
    title: str
    task: str
    hint: str


STEPS: dict[str, Step] = {
    step.id: step
    for step in (
        Step(
            "step1",
            "Loading the tables",
            "Store in answer_1 the number of rows of the people table (tables.people).",
            "A DataFrame's .shape is (rows, columns); tables.people.shape[0] or "
            "len(tables.people) gives the number of rows.",
        ),
        Step(
            "step2",
            "Filtering and counting events",
            f"Store in answer_2 the number of events of each category in the period "
            f"{CATEGORY_PERIOD}.",
            f"First keep the rows of one period: events[events['period'] == "
            f"'{CATEGORY_PERIOD}']; then count them with "
            ".groupby('category', observed=True).size() or ['category'].value_counts().",
        ),
        Step(
            "step3",
            "How precise is a date?",
            f"Store in answer_3 how many events of the period {PRECISION_PERIOD} are dated "
            "only to the year (precision 'year').",
            f"Combine two conditions with &: (events['period'] == '{PRECISION_PERIOD}') & "
            "(events['precision'] == 'year'), then count the True values with .sum().",
        ),
        Step(
            "step4",
            "The rhythm of visits",
            "Store in answer_4 the number of diplomacy events per decade whose title or "
            "description contains the word 'visit' (any case).",
            "Keep events['category'] == 'diplomacy' and the rows where "
            "title.str.contains('visit', case=False) | description.str.contains('visit', "
            "case=False); then count the decades: (year // 10 * 10).value_counts().",
        ),
        Step(
            "step5",
            "Trade figures from different systems",
            f"Store in answer_5 the number of trade figures ({', '.join(TRADE_INDICATORS)}) "
            f"for the years {TRADE_YEARS[0]} to {TRADE_YEARS[1]} that each statistical "
            "system gives.",
            f"Keep indicators['indicator'].isin({list(TRADE_INDICATORS)}) and "
            f"indicators['year'].between({TRADE_YEARS[0]}, {TRADE_YEARS[1]}); then count "
            "the 'system' column with .value_counts().",
        ),
        Step(
            "step6",
            "Reading the UN tallies",
            f"Store in answer_6 the share of yes votes, yes / (yes + no + abstain), for each "
            f"resolution whose symbol starts with '{VOTE_SYMBOL_PREFIX}'.",
            f"Keep un_votes['symbol'].str.startswith('{VOTE_SYMBOL_PREFIX}', na=False); "
            "then divide the 'yes' column by yes + no + abstain (absent states did not "
            "vote, so leave them out).",
        ),
    )
}


def _step_id(step_id: Any) -> str:
    """``"step2"`` from ``"step2"``, ``"Step 2"``, ``"2"`` or ``2``; ValueError otherwise."""
    text = re.sub(r"[\s_-]+", "", str(step_id)).lower()
    if text.isdigit():
        text = f"step{int(text)}"
    if text not in STEPS:
        raise ValueError(f"unknown step {step_id!r}; the steps are {', '.join(STEPS)}")
    return text


# --------------------------------------------------------------------------- feedback


@dataclass(frozen=True)
class Feedback:
    """The result of :func:`check`.

    ``status`` is ``"correct"``, ``"wrong"`` or ``"unanswered"`` (the answer was None);
    ``message`` explains (a hint unless correct). Shown in Jupyter as a short block that
    starts with a symbol and a word (✓ Correct, ✗ Not yet, ✗ Not answered yet); the
    colour of its border only repeats them. ``bool(feedback)`` is True when correct.
    """

    step: str
    status: str
    message: str

    @property
    def correct(self) -> bool:
        """True when the answer is right."""
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.correct

    @property
    def headline(self) -> str:
        """``"✓ Correct"``, ``"✗ Not yet"`` or ``"✗ Not answered yet"``."""
        return f"{_SYMBOLS[self.status]} {_WORDS[self.status]}"

    def __str__(self) -> str:
        return f"{self.headline}: {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        return (
            f'<div class="cr-lab-feedback" role="status" style="border-left:6px solid {colour};'
            'padding:0.4em 0.8em;margin:0.3em 0;font-size:17px;line-height:1.45">'
            f"<strong>{html.escape(self.headline)}</strong>: {html.escape(self.message)}</div>"
        )


# --------------------------------------------------------------------------- selections


def _tables(tables):
    if tables is None:
        from .tables import load_all

        return load_all()
    return tables


def _says_visit(events, column: str):
    return events[column].astype(str).str.contains("visit", case=False, regex=False)


def visit_events(events):
    """The diplomacy events whose title or description contains "visit" (any case)."""
    diplomacy = events["category"].astype(str) == "diplomacy"
    return events[diplomacy & (_says_visit(events, "title") | _says_visit(events, "description"))]


def trade_rows(indicators):
    """The trade figures (TRADE_INDICATORS) of the years TRADE_YEARS."""
    first, last = TRADE_YEARS
    keep = indicators["indicator"].astype(str).isin(TRADE_INDICATORS)
    keep &= indicators["year"].between(first, last).fillna(False).astype(bool)
    return indicators[keep]


def ukraine_votes(un_votes):
    """The UN votes whose symbol starts with VOTE_SYMBOL_PREFIX, in date order."""
    symbols = un_votes["symbol"].astype("object")
    keep = [isinstance(s, str) and s.startswith(VOTE_SYMBOL_PREFIX) for s in symbols]
    rows = un_votes[keep]
    if "date" in rows.columns:
        rows = rows.sort_values("date", kind="stable")
    return rows


def busiest_periods(events, fewest: bool = False) -> list[str]:
    """The period id(s) with the most events (``fewest=True``: the fewest), sorted.

    Every period that reaches the top (or bottom) count is listed, so a tie is never
    hidden behind whichever period a sort happens to put first.
    """
    counts = _counts(events["period"])
    if not counts:
        return []
    target = min(counts.values()) if fewest else max(counts.values())
    return sorted(period for period, count in counts.items() if count == target)


def _counts(series) -> dict[str, int]:
    """Non-zero counts of a column's values, keyed by the value as text."""
    return {str(k): int(n) for k, n in series.dropna().astype(str).value_counts().items()}


def _decade_counts(years) -> dict[int, int]:
    decades = years.dropna().astype(int) // 10 * 10
    return {int(k): int(n) for k, n in decades.value_counts().sort_index().items()}


def _shares(rows, with_absent: bool = False, of_members: bool = False) -> dict[str, float]:
    shares = {}
    for row in rows.itertuples(index=False):
        yes, no, abstain = (_number(getattr(row, name)) for name in ("yes", "no", "abstain"))
        absent = _number(row.absent)
        if of_members:
            total = 193.0
        elif with_absent:
            total = yes + no + abstain + absent
        else:
            total = yes + no + abstain
        shares[str(row.symbol)] = yes / total if total and not math.isnan(total) else math.nan
    return shares


def expected_answer(step_id, tables=None):
    """The right answer of a step, computed from ``tables`` (default: the shipped data).

    ``"ex08_events_per_period"``: the sorted list of :func:`busiest_periods`.
    step1: an int; step2, step5: a dict of non-zero counts keyed by text; step3: an int;
    step4: a dict ``{decade: count}`` (decades as ints, e.g. 1950); step6: a dict
    ``{symbol: share}`` with shares as fractions (NaN when the tally is missing).
    """
    if str(step_id) in EXERCISE_CHECKS:
        return busiest_periods(_tables(tables).events)
    step = _step_id(step_id)
    tables = _tables(tables)
    events = tables.events
    if step == "step1":
        return int(len(tables.people))
    if step == "step2":
        return _counts(events.loc[events["period"].astype(str) == CATEGORY_PERIOD, "category"])
    if step == "step3":
        mask = (events["period"].astype(str) == PRECISION_PERIOD) & (
            events["precision"].astype(str) == "year"
        )
        return int(mask.sum())
    if step == "step4":
        return _decade_counts(visit_events(events)["year"])
    if step == "step5":
        return _counts(trade_rows(tables.indicators)["system"])
    return _shares(ukraine_votes(tables.un_votes))


# --------------------------------------------------------------------------- normalising


def _number(value: Any) -> float:
    """A float from an int, float, numpy or pandas scalar; NaN for missing values."""
    if is_missing(value):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _as_int(value: Any) -> int | None:
    """An int when ``value`` is a whole number (not a bool), else None."""
    if isinstance(value, bool) or is_missing(value):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return int(value)
    if type(value).__module__.startswith("numpy") and hasattr(value, "item"):
        return _as_int(value.item())
    return None


def _mapping(answer: Any) -> dict[Any, Any] | None:
    """A dict from a Series, a dict or a DataFrame with one (counting) column; else None."""
    if isinstance(answer, pd.DataFrame):
        columns = list(answer.columns)
        if len(columns) == 1:
            return _mapping(answer[columns[0]])
        for name in ("count", "size", "counts", "n", 0):
            if name in columns:
                others = [c for c in columns if c != name]
                if len(others) == 1:  # e.g. .reset_index(): one key column, one count column
                    keys, values = answer[others[0]].tolist(), answer[name].tolist()
                    return dict(zip(keys, values, strict=True))
                return _mapping(answer[name])
        return None
    if isinstance(answer, pd.Series):
        return dict(zip(answer.index.tolist(), answer.tolist(), strict=True))
    if isinstance(answer, Mapping):
        return dict(answer)
    return None


def _count_mapping(answer: Any) -> tuple[dict[str, int] | None, str | None]:
    """Non-zero counts keyed by text, or (None, reason) when the answer is not counts."""
    mapping = _mapping(answer)
    if mapping is None:
        return None, None
    counts: dict[str, int] = {}
    for key, value in mapping.items():
        number = _as_int(value)
        if number is None:
            return None, "its values are not whole-number counts"
        if isinstance(key, tuple) and len(key) == 1:
            key = key[0]
        if number:
            counts[str(key)] = counts.get(str(key), 0) + number
    return counts, None


def _decade_key(key: Any) -> int | None:
    if isinstance(key, tuple) and len(key) == 1:
        key = key[0]
    number = _as_int(key)
    if number is None:
        match = re.fullmatch(r"\s*(\d{4})\s*s?\s*", str(key))
        if not match:
            return None
        number = int(match.group(1))
    return number


def _describe(counts: Mapping[Any, int]) -> str:
    return ", ".join(f"{key}: {value}" for key, value in counts.items()) or "nothing"


def _kind(answer: Any) -> str:
    if isinstance(answer, pd.DataFrame):
        return "a whole table (DataFrame)"
    if isinstance(answer, pd.Series):
        return "a Series"
    return f"a {type(answer).__name__}"


# --------------------------------------------------------------------------- the checks


def _correct(step: str, message: str) -> Feedback:
    return Feedback(step, "correct", message)


def _wrong(step: str, message: str) -> Feedback:
    return Feedback(step, "wrong", message)


def _check_step1(answer, tables) -> Feedback:
    rows = expected_answer("step1", tables)
    columns = len(tables.people.columns)
    if isinstance(answer, pd.DataFrame):
        return _wrong(
            "step1",
            "you stored the whole table. Ask it for its number of rows: "
            "tables.people.shape[0] or len(tables.people).",
        )
    if isinstance(answer, tuple) and len(answer) == 2:
        if _as_int(answer[0]) == rows and _as_int(answer[1]) == columns:
            return _correct(
                "step1",
                f"that is the shape (rows, columns); its first number, "
                f"{rows}, is the number of people.",
            )
        return _wrong(
            "step1",
            "a shape is (rows, columns); check that you asked "
            "tables.people, not another table, for its shape.",
        )
    number = _as_int(answer)
    if number is None:
        return _wrong(
            "step1", f"expected a whole number, got {_kind(answer)}. " + STEPS["step1"].hint
        )
    if number == rows:
        return _correct("step1", f"the people table has {rows} rows, one per person.")
    if number == columns:
        return _wrong(
            "step1",
            f"{number} is the number of columns. The rows come first in .shape: (rows, columns).",
        )
    if number == rows + 1:
        return _wrong(
            "step1",
            "that counts one row too many (the header row of the CSV file "
            "is not a row of the DataFrame). " + STEPS["step1"].hint,
        )
    return _wrong(
        "step1", "that is not the number of rows of tables.people. " + STEPS["step1"].hint
    )


def _check_counts(step: str, answer, expected: dict[str, int], alternatives) -> Feedback:
    """Shared check for answers that are counts by a text key (steps 2 and 5)."""
    counts, reason = _count_mapping(answer)
    if counts is None:
        if reason:
            return _wrong(
                step, f"your answer looks like a table of values, but {reason}. " + STEPS[step].hint
            )
        number = _as_int(answer)
        if number is not None and number == sum(expected.values()):
            return _wrong(
                step,
                f"{number} is the total; the task asks for one count per group. "
                + STEPS[step].hint,
            )
        return _wrong(
            step, f"expected counts (a Series or a dict), got {_kind(answer)}. " + STEPS[step].hint
        )
    if counts == expected:
        ordered = dict(sorted(expected.items(), key=lambda item: (-item[1], item[0])))
        return _correct(step, f"{_describe(ordered)}.")
    for candidate, hint in alternatives:
        if counts == candidate:
            return _wrong(step, hint)
    missing = sorted(set(expected) - set(counts))
    extra = sorted(set(counts) - set(expected))
    if extra:
        return _wrong(
            step,
            f"your counts include {', '.join(extra)}, which should not be "
            "there. " + STEPS[step].hint,
        )
    if missing:
        return _wrong(step, f"your counts leave out {', '.join(missing)}. " + STEPS[step].hint)
    return _wrong(step, "the groups are right but some counts differ. " + STEPS[step].hint)


def _check_step2(answer, tables) -> Feedback:
    events = tables.events
    expected = expected_answer("step2", tables)
    alternatives = [
        (
            _counts(events["category"]),
            f"these are the counts for all periods together. Keep only the rows of "
            f"{CATEGORY_PERIOD} first.",
        ),
        (
            _counts(events.loc[events["period"].astype(str) == CATEGORY_PERIOD, "precision"]),
            "you counted how precisely the events are dated. Group by 'category' instead.",
        ),
        (
            _counts(events["period"]),
            "you counted the events per period. Keep the rows of one period, then group by "
            "'category'.",
        ),
    ]
    for period in sorted(set(events["period"].astype(str)) - {CATEGORY_PERIOD}):
        other = _counts(events.loc[events["period"].astype(str) == period, "category"])
        alternatives.append(
            (
                other,
                f"these are the counts for the period {period}. The task "
                f"asks for {CATEGORY_PERIOD}: check the text in your filter.",
            )
        )
    alternatives = [(c, h) for c, h in alternatives if c != expected]
    return _check_counts("step2", answer, expected, alternatives)


def _check_step3(answer, tables) -> Feedback:
    events = tables.events
    expected = expected_answer("step3", tables)
    in_period = events["period"].astype(str) == PRECISION_PERIOD
    year_only = events["precision"].astype(str) == "year"
    mapping = _mapping(answer)
    if mapping is not None:
        keyed = {str(k): v for k, v in mapping.items()}
        if _as_int(keyed.get("year")) == expected:
            return _correct(
                "step3",
                f"the 'year' entry of your counts is {expected}: "
                f"{expected} events of {PRECISION_PERIOD} are dated only to the year.",
            )
        return _wrong("step3", "expected one number. " + STEPS["step3"].hint)
    number = _as_int(answer)
    if number is None:
        return _wrong(
            "step3", f"expected a whole number, got {_kind(answer)}. " + STEPS["step3"].hint
        )
    if number == expected:
        return _correct(
            "step3",
            f"{expected} events of {PRECISION_PERIOD} are known only to "
            "the year: each stands for the whole year, not for 1 January.",
        )
    hints = [
        (
            int(year_only.sum()),
            "that counts the year-only dates of every period. Add the "
            f"condition on the period ({PRECISION_PERIOD}) with &.",
        ),
        (
            int(in_period.sum()),
            "that counts every event of the period. Add the condition "
            "events['precision'] == 'year' with &.",
        ),
        (
            int((in_period & ~year_only).sum()),
            "that counts the events dated to the month or day. Keep precision == 'year'.",
        ),
        (
            int((in_period & year_only & events["approximate"].fillna(False).astype(bool)).sum()),
            "that counts only the approximate dates ('c.'). The task asks for precision 'year'.",
        ),
    ]
    for value, hint in hints:
        if number == value and value != expected:
            return _wrong("step3", hint)
    return _wrong("step3", "not the right count. " + STEPS["step3"].hint)


def _check_step4(answer, tables) -> Feedback:
    events = tables.events
    expected = expected_answer("step4", tables)
    mapping = _mapping(answer)
    if mapping is None:
        if _as_int(answer) == sum(expected.values()):
            return _wrong(
                "step4",
                "that is the total number of visits; the task asks for one "
                "count per decade. " + STEPS["step4"].hint,
            )
        return _wrong(
            "step4",
            f"expected counts per decade (a Series or a dict), got "
            f"{_kind(answer)}. " + STEPS["step4"].hint,
        )
    counts: dict[int, int] = {}
    for key, value in mapping.items():
        decade = _decade_key(key)
        number = _as_int(value)
        if decade is None or number is None:
            return _wrong(
                "step4",
                "the keys should be decades (1950, 1960, ...) and the values "
                "whole-number counts. " + STEPS["step4"].hint,
            )
        if number:
            counts[decade] = counts.get(decade, 0) + number
    if counts == expected:
        busiest = max(expected, key=expected.get) if expected else None
        extra = f" The busiest decade is the {busiest}s." if busiest is not None else ""
        return _correct("step4", f"{_describe({f'{k}s': v for k, v in expected.items()})}.{extra}")
    diplomacy = events[events["category"].astype(str) == "diplomacy"]
    title_only = diplomacy[_says_visit(diplomacy, "title")]
    any_category = events[_says_visit(events, "title") | _says_visit(events, "description")]
    visits = visit_events(events)
    alternatives = [
        (
            _decade_counts(title_only["year"]),
            "you searched only the titles. The task asks for "
            "'visit' in the title OR the description: combine the two conditions with |.",
        ),
        (
            _decade_counts(diplomacy["year"]),
            "these are all diplomacy events. Keep only those "
            "whose title or description contains 'visit'.",
        ),
        (
            _decade_counts(any_category["year"]),
            "you kept events of every category. Add the condition events['category'] == 'diplomacy'.",
        ),
    ]
    for candidate, hint in alternatives:
        if counts == candidate and candidate != expected:
            return _wrong("step4", hint)
    tenths = {decade * 10: n for decade, n in counts.items()}
    if tenths == expected and counts != expected:
        return _wrong(
            "step4",
            "your decades are written without their last digit (195 "
            "instead of 1950). Use year // 10 * 10.",
        )
    yearly = _counts(visits["year"])
    if {str(k): v for k, v in counts.items()} == yearly and yearly != {
        str(k): v for k, v in expected.items()
    }:
        return _wrong(
            "step4",
            "these are counts per year. Turn each year into its decade first: year // 10 * 10.",
        )
    return _wrong("step4", "not the right counts yet. " + STEPS["step4"].hint)


def _check_step5(answer, tables) -> Feedback:
    indicators = tables.indicators
    expected = expected_answer("step5", tables)
    first, last = TRADE_YEARS
    years = indicators["year"].between(first, last).fillna(False).astype(bool)
    trade = indicators["indicator"].astype(str).isin(TRADE_INDICATORS)
    alternatives = [
        (
            _counts(indicators.loc[years, "system"]),
            "these count every indicator of those years (tourists too). Keep only the trade "
            f"indicators: {', '.join(TRADE_INDICATORS)}.",
        ),
        (
            _counts(indicators.loc[trade, "system"]),
            f"these count the trade figures of every year. Keep only {first} to {last}, both "
            f"included: .between({first}, {last}).",
        ),
        (
            _counts(
                indicators.loc[
                    trade & indicators["year"].between(first, last - 1).fillna(False).astype(bool),
                    "system",
                ]
            ),
            f"your year filter leaves out {last}. .between({first}, {last}) includes both ends.",
        ),
        (
            _counts(indicators.loc[trade & years, "indicator"]),
            "you counted the indicators. Count the 'system' column instead.",
        ),
    ]
    alternatives = [(c, h) for c, h in alternatives if c != expected]
    return _check_counts("step5", answer, expected, alternatives)


def _share_mapping(answer, rows) -> dict[str, float] | None:
    """Shares keyed by symbol from a Series/dict keyed by symbol, id or row label."""
    mapping = _mapping(answer)
    if mapping is None:
        if isinstance(answer, (list, tuple)) and len(answer) == len(rows):
            mapping = dict(zip(rows["symbol"].astype(str), answer, strict=True))
        else:
            return None
    by_id = dict(zip(rows["id"].astype(str), rows["symbol"].astype(str), strict=True))
    by_label = dict(zip(rows.index.tolist(), rows["symbol"].astype(str), strict=True))
    symbols = set(rows["symbol"].astype(str))
    shares: dict[str, float] = {}
    for key, value in mapping.items():
        if isinstance(key, tuple) and len(key) == 1:
            key = key[0]
        if str(key) in symbols:
            symbol = str(key)
        elif str(key) in by_id:
            symbol = by_id[str(key)]
        elif key in by_label and not isinstance(key, bool):
            symbol = by_label[key]
        else:
            shares[f"?{key}"] = _number(value)
            continue
        shares[symbol] = _number(value)
    return shares


def _close(got: dict[str, float], want: dict[str, float]) -> bool:
    if set(got) != set(want):
        return False
    for key, target in want.items():
        value = got[key]
        if math.isnan(target) or math.isnan(value):
            if not (math.isnan(target) and math.isnan(value)):
                return False
        elif abs(value - target) > _SHARE_TOLERANCE:
            return False
    return True


def _check_step6(answer, tables) -> Feedback:
    rows = ukraine_votes(tables.un_votes)
    expected = expected_answer("step6", tables)
    shares = _share_mapping(answer, rows)
    if shares is None:
        return _wrong(
            "step6",
            f"expected one share per resolution (a Series or a dict), got "
            f"{_kind(answer)}. " + STEPS["step6"].hint,
        )
    unknown = sorted(k[1:] for k in shares if k.startswith("?"))
    if unknown:
        return _wrong(
            "step6",
            f"some of your rows are not resolutions {VOTE_SYMBOL_PREFIX}... "
            f"({', '.join(unknown[:3])}). Keep only the symbols that start with "
            f"'{VOTE_SYMBOL_PREFIX}'.",
        )
    finite = [v for v in shares.values() if not math.isnan(v)]
    if finite and max(finite) > 1.5:  # percentages
        shares = {k: v / 100 for k, v in shares.items()}
    if _close(shares, expected):
        lowest = sorted(((v, k) for k, v in expected.items() if not math.isnan(v)))[:2]
        low = " and ".join(f"{k} ({v:.0%})" for v, k in lowest)
        extra = f" The narrowest majorities: {low}." if low else ""
        return _correct("step6", f"one share for each of the {len(expected)} resolutions.{extra}")
    if set(shares) != set(expected):
        missing = sorted(set(expected) - set(shares))
        return _wrong(
            "step6", f"your answer leaves out {', '.join(missing)}. " + STEPS["step6"].hint
        )
    if _close(shares, _shares(rows, with_absent=True)):
        return _wrong(
            "step6",
            "you divided by yes + no + abstain + absent. Absent states did "
            "not vote: divide by yes + no + abstain only.",
        )
    if _close(shares, _shares(rows, of_members=True)):
        return _wrong(
            "step6",
            "you divided by all 193 member states. Divide by the states "
            "that voted: yes + no + abstain.",
        )
    return _wrong(
        "step6", "the resolutions are right but some shares differ. " + STEPS["step6"].hint
    )


def _period_set(answer) -> set[str] | None:
    """The period ids of an answer: one id, a list/set/Index of ids; None otherwise."""
    if isinstance(answer, str):
        return {answer.strip()}
    if isinstance(answer, (pd.Series, pd.DataFrame)) or isinstance(answer, Mapping):
        return None
    try:
        items = list(answer)
    except TypeError:
        return None
    if not items or not all(isinstance(item, str) for item in items):
        return None
    return {item.strip() for item in items}


_EVENTS_PER_PERIOD_HINT = (
    "count the events with events.groupby('period', observed=True).size(), then keep every "
    "period that reaches the largest count: list(counts[counts == counts.max()].index)."
)


def _check_events_per_period(answer, tables) -> Feedback:
    step = "ex08_events_per_period"
    events = tables.events
    counts = _counts(events["period"])
    expected = set(busiest_periods(events))
    top = max(counts.values()) if counts else 0
    got = _period_set(answer)
    if got is None:
        mapping = _mapping(answer)
        if mapping is not None and len(mapping) == len(counts):
            return _wrong(
                step,
                "these are the counts of every period. The task asks which "
                "period has the most events: " + _EVENTS_PER_PERIOD_HINT,
            )
        if mapping is not None and {str(k) for k in mapping} == expected:
            got = expected  # e.g. counts[counts == counts.max()], a Series of the top rows
        else:
            return _wrong(
                step,
                f"expected a period id or a list of period ids, got "
                f"{_kind(answer)}. " + _EVENTS_PER_PERIOD_HINT,
            )
    if got == expected:
        if len(expected) == 1:
            return _correct(step, f"{next(iter(expected))} has the most events ({top}).")
        return _correct(
            step, f"{' and '.join(sorted(expected))} share the top place with {top} events each."
        )
    unknown = sorted(got - set(counts))
    if unknown:
        return _wrong(
            step,
            f"{', '.join(unknown)} is not a period with events; the period "
            f"ids are {', '.join(counts)}.",
        )
    if got < expected:
        others = sorted(expected - got)
        return _wrong(
            step,
            f"{', '.join(sorted(got))} has {top} events, but "
            f"{' and '.join(others)} has just as many: a tie. List every period "
            "with the largest count.",
        )
    if got == set(busiest_periods(events, fewest=True)):
        return _wrong(
            step, "those are the periods with the fewest events. The task asks for the most."
        )
    return _wrong(step, "not the period(s) with the most events. " + _EVENTS_PER_PERIOD_HINT)


#: Exercise ids (exercises.csv) that :func:`check` marks too, with their checks.
EXERCISE_CHECKS = {"ex08_events_per_period": _check_events_per_period}


_CHECKS = {
    "step1": _check_step1,
    "step2": _check_step2,
    "step3": _check_step3,
    "step4": _check_step4,
    "step5": _check_step5,
    "step6": _check_step6,
}


def check(step_id, answer, tables=None) -> Feedback:
    """Check the answer to one step of the data lab and explain.

    ``step_id`` is ``"step1"`` ... ``"step6"`` (``2`` or ``"Step 2"`` work too) or an
    exercise id of :data:`EXERCISE_CHECKS`;
    ``answer`` is what the student stored; ``tables`` the tables the student used
    (default: :func:`cambodia_russia.load_all`, which follows ``CAMBODIA_RUSSIA_DATA``).
    The right answer is computed from ``tables`` each time. Returns a :class:`Feedback`:
    "✓ Correct: ...", "✗ Not yet: <hint>" or, for ``None``, "✗ Not answered yet: ...".
    """
    if str(step_id) in EXERCISE_CHECKS:
        if answer is None:
            return Feedback(
                str(step_id),
                "unanswered",
                "store your answer first. Hint: " + _EVENTS_PER_PERIOD_HINT,
            )
        return EXERCISE_CHECKS[str(step_id)](answer, _tables(tables))
    step = _step_id(step_id)
    if answer is None:
        return Feedback(
            step,
            "unanswered",
            "replace None in the cell above with your code, run that cell, then run this "
            f"check again. Hint: {STEPS[step].hint}",
        )
    return _CHECKS[step](answer, _tables(tables))
