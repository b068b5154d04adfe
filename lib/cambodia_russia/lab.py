"""Checks for the data lab (``notebooks/08_data_lab.ipynb``).

``check("step2", answer_2, tables)`` compares a student's answer with the right one, computed
from the tables each time (so an edited CSV file changes it), and explains in a
:class:`Feedback`. One comparison serves every step of :data:`STEPS`: counts may be a Series,
a dict or a one-column DataFrame in any order, with or without zero counts; decades ``1950``
or ``"1950s"``; shares fractions or percentages. A wrong answer is compared with the common
mistakes, each the right answer computed with one thing changed, to give a specific hint.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .tables import ensure_tables

__all__ = ["STEPS", "EXERCISE_CHECKS", "Feedback", "check", "expected_answer"]

#: Step 2 counts the categories of the events of this collection period.
CATEGORY_PERIOD = "prk_1979_1991"
#: Step 3 counts the year-only dates of this collection period.
PRECISION_PERIOD = "renewal_1993_2021"
#: Step 5 counts the trade figures of these indicator keys, for these years (both included).
TRADE_INDICATORS = ("trade_turnover", "exports", "imports")
TRADE_YEARS = (2020, 2022)
_FIRST, _LAST = TRADE_YEARS
#: Step 6 keeps the UN resolutions whose symbol starts with this text.
VOTE_SYMBOL_PREFIX = "A/RES/ES-11"

# Headline and border colour (Okabe–Ito; the colour only repeats the symbol and the words).
_LOOKS = {
    "correct": ("✓ Correct", "#009E73"),
    "wrong": ("✗ Not yet", "#D55E00"),
    "unanswered": ("✗ Not answered yet", "#8C8C8C"),
}


@dataclass(frozen=True)
class Feedback:
    """The result of :func:`check`: ``status`` ("correct", "wrong" or "unanswered") and a
    ``message`` (a hint unless correct). ``bool(feedback)`` is True when correct."""

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
        return _LOOKS[self.status][0]

    def __str__(self) -> str:
        return f"{self.headline}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return (
            f'<div class="cr-lab-feedback" role="status" style="border-left:6px solid '
            f"{_LOOKS[self.status][1]};padding:0.4em 0.8em;margin:0.3em 0;font-size:17px;"
            f'line-height:1.45"><strong>{html.escape(self.headline)}</strong>: '
            f"{html.escape(self.message)}</div>"
        )


# --------------------------------------------------------------------------- the right answers


def _counts(values, key=str) -> dict:
    """Non-zero counts of a column's values, keyed by ``key(value as text)``."""
    return {key(k): int(n) for k, n in values.dropna().astype(str).value_counts().items()}


def _where(column, value):
    """The rows whose ``column`` is ``value`` (a text or a tuple of texts); all when None."""
    if value is None:
        return pd.Series(True, index=column.index)
    return column.astype(str).isin([value] if isinstance(value, str) else value)


def visit_events(events, columns=("title", "description"), category="diplomacy", word="visit"):
    """The diplomacy events whose title or description contains "visit" (any case)."""
    found = pd.Series(word is None, index=events.index)
    for column in columns if word else ():
        found |= events[column].astype(str).str.contains(word, case=False, regex=False)
    return events[_where(events["category"], category) & found]


def trade_rows(indicators, keys=TRADE_INDICATORS, years=TRADE_YEARS):
    """The trade figures (TRADE_INDICATORS) of the years TRADE_YEARS."""
    keep = indicators["year"].between(*years).fillna(False).astype(bool)
    return indicators[keep & _where(indicators["indicator"], keys)]


def ukraine_votes(un_votes):
    """The UN votes whose symbol starts with VOTE_SYMBOL_PREFIX, in date order."""
    keep = [isinstance(s, str) and s.startswith(VOTE_SYMBOL_PREFIX) for s in un_votes["symbol"]]
    rows = un_votes[keep]
    return rows.sort_values("date", kind="stable") if "date" in rows.columns else rows


def busiest_periods(events, fewest: bool = False) -> list[str]:
    """The period id(s) with the most events (``fewest=True``: the fewest), ties included."""
    counts = _counts(events["period"])
    target = (min if fewest else max)(counts.values(), default=None)
    return sorted(period for period, count in counts.items() if count == target)


# Each step's right answer; called with one argument changed, a common mistake.


def _categories(t, period=CATEGORY_PERIOD, column="category") -> dict[str, int]:
    return _counts(t.events.loc[_where(t.events["period"], period), column])


def _year_only(t, period=PRECISION_PERIOD, precision="year", approximate=False) -> int:
    keep = _where(t.events["period"], period) & _where(t.events["precision"], precision)
    if approximate:
        keep &= t.events["approximate"].fillna(False).astype(bool)
    return int(keep.sum())


def _visit_decades(t, per=10, times=10, **selection) -> dict[int, int]:
    """Counts of :func:`visit_events` by ``year // per * times``: by decade by default."""
    return _counts(visit_events(t.events, **selection)["year"].dropna() // per * times, int)


def _systems(t, keys=TRADE_INDICATORS, years=TRADE_YEARS, column="system") -> dict[str, int]:
    return _counts(trade_rows(t.indicators, keys, years)[column])


def _shares(t, total=lambda v: v[["yes", "no", "abstain"]].sum(axis=1, skipna=False)):
    rows = ukraine_votes(t.un_votes)
    votes = rows[["yes", "no", "abstain", "absent"]].astype(float)
    return dict(
        zip(rows["symbol"].astype(str), (votes["yes"] / total(votes)).tolist(), strict=True)
    )


# --------------------------------------------------------------------------- reading answers


def _number(value: Any) -> float:
    """A float from a number; NaN for anything else."""
    return float(value) if isinstance(value, numbers.Real) else math.nan


def _as_int(value: Any) -> int | None:
    """An int when ``value`` is a whole number (not a bool), else None."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    return None


def _decade(key: Any) -> int | None:
    """1950 from 1950, "1950" or "1950s"; None otherwise."""
    match = re.fullmatch(r"\s*(\d{4})\s*s?\s*", str(key))
    return _as_int(key) if _as_int(key) is not None else int(match[1]) if match else None


def _mapping(answer: Any) -> dict | None:
    """A dict from a Series, a dict, or a DataFrame of one column or of a key and a count
    column (``.reset_index()``); None otherwise."""
    if isinstance(answer, pd.DataFrame) and answer.shape[1] in (1, 2):
        answer = answer.set_index(answer.columns[0]) if answer.shape[1] == 2 else answer
        answer = answer.iloc[:, 0]
    if isinstance(answer, pd.Series):
        answer = dict(zip(answer.index.tolist(), answer.tolist(), strict=True))
    if not isinstance(answer, Mapping):
        return None
    return {k[0] if isinstance(k, tuple) and len(k) == 1 else k: v for k, v in answer.items()}


# What each form of answer is; for a table of values, how its keys and values are read.
_FORMS = {
    "number": "a whole number",
    "counts": "counts (whole numbers, in a Series or a dict)",
    "decades": "counts per decade: 1950, 1960, ... (whole numbers, in a Series or a dict)",
    "shares": "one share per resolution (a Series or a dict)",
    "periods": "a period id or a list of period ids",
}
_ITEMS = {"counts": (str, _as_int), "decades": (_decade, _as_int), "shares": (str, _number)}


def _read(answer: Any, form: str):
    """``answer`` in the form of the right answer (see :func:`expected_answer`), or None."""
    if form == "number":
        return _as_int(answer)
    if form == "periods":
        if isinstance(answer, str):
            answer = [answer]
        elif isinstance(answer, pd.Series | pd.DataFrame | Mapping):
            answer = _mapping(answer) or ()  # its keys, e.g. counts[counts == counts.max()]
        items = list(answer) if isinstance(answer, Iterable) else [None]
        return (
            {i.strip() for i in items} if items and all(isinstance(i, str) for i in items) else None
        )
    mapping = _mapping(answer)
    if mapping is None:
        return None
    key, value = _ITEMS[form]
    read: dict = {}
    for k, v in mapping.items():
        k, v = key(k), value(v)
        if k is None or v is None:
            return None
        if v or form == "shares":  # zero counts may be kept or left out
            read[k] = read.get(k, 0) + v
    return read


def _same(got, want) -> bool:
    """The same keys, and numbers within 0.006 (shares rounded to 0.01 or to 1%)."""
    if isinstance(want, dict):
        return (
            isinstance(got, dict)
            and got.keys() == want.keys()
            and all(_same(got[k], want[k]) for k in want)
        )
    if isinstance(want, list | set):
        return got == set(want)
    if not isinstance(got, numbers.Real):
        return False
    return abs(got - want) <= 0.006 or (math.isnan(got) and math.isnan(want))


# --------------------------------------------------------------------------- the steps


def _by_symbol(answer, t):
    """Step 6's shares keyed by symbol (from a list, or from keys that are symbols, ids or
    row labels), as fractions (percentages are divided by 100)."""
    rows = ukraine_votes(t.un_votes)
    symbols = rows["symbol"].astype(str).tolist()
    if isinstance(answer, list | tuple) and len(answer) == len(rows):
        answer = dict(zip(symbols, answer, strict=True))
    if (mapping := _mapping(answer)) is None:
        return answer
    names = dict(zip([*rows.index, *rows["id"].astype(str), *symbols], symbols * 3, strict=True))
    shares = {names.get(k, str(k)): _number(v) for k, v in mapping.items()}
    percent = any(v > 1.5 for v in shares.values())
    return {k: v / 100 if percent else v for k, v in shares.items()}


def _year_entry(answer, t):
    """Step 3 also accepts the counts of the period's precisions: their "year" entry."""
    mapping = _mapping(answer)
    return {str(k): v for k, v in mapping.items()}.get("year", answer) if mapping else answer


# The first hint of each step, then what to say about each common mistake.
_HINTS = {
    "step1": "A DataFrame's .shape is (rows, columns); tables.people.shape[0] or len(tables.people) gives the number of rows.",
    "step2": f"First keep the rows of one period: events[events['period'] == '{CATEGORY_PERIOD}']; then count them with .groupby('category', observed=True).size() or ['category'].value_counts().",
    "step3": f"Combine two conditions with &: (events['period'] == '{PRECISION_PERIOD}') & (events['precision'] == 'year'), then count the True values with .sum().",
    "step4": "Keep events['category'] == 'diplomacy' and the rows where title.str.contains('visit', case=False) | description.str.contains('visit', case=False); then count the decades: (year // 10 * 10).value_counts().",
    "step5": f"Keep indicators['indicator'].isin({list(TRADE_INDICATORS)}) and indicators['year'].between({_FIRST}, {_LAST}); then count the 'system' column with .value_counts().",
    "step6": f"Keep un_votes['symbol'].str.startswith('{VOTE_SYMBOL_PREFIX}', na=False); then divide the 'yes' column by yes + no + abstain (absent states did not vote, so leave them out).",
    "ex08_events_per_period": "Count the events with events.groupby('period', observed=True).size(), then keep every period that reaches the largest count: list(counts[counts == counts.max()].index).",
    "columns": "{} is the number of columns. The rows come first in .shape: (rows, columns).",
    "header": "that counts one row too many (the header row of the CSV file is not a row of the DataFrame).",
    "all periods": f"these are the counts for all periods together. Keep only the rows of {CATEGORY_PERIOD} first.",
    "precision": "you counted how precisely the events are dated. Group by 'category' instead.",
    "per period": "you counted the events per period. Keep the rows of one period, then group by 'category'.",
    "other period": f"these are the counts for the period {{}}. The task asks for {CATEGORY_PERIOD}: check the text in your filter.",
    "every period": f"that counts the year-only dates of every period. Add the condition on the period ({PRECISION_PERIOD}) with &.",
    "any precision": "that counts every event of the period. Add the condition events['precision'] == 'year' with &.",
    "month or day": "that counts the events dated to the month or day. Keep precision == 'year'.",
    "approximate": "that counts only the approximate dates ('c.'). The task asks for precision 'year'.",
    "titles": "you searched only the titles. The task asks for 'visit' in the title OR the description: combine the two conditions with |.",
    "diplomacy": "these are all diplomacy events. Keep only those whose title or description contains 'visit'.",
    "any category": "you kept events of every category. Add the condition events['category'] == 'diplomacy'.",
    "last digit": "your decades are written without their last digit (195 instead of 1950). Use year // 10 * 10.",
    "per year": "these are counts per year. Turn each year into its decade first: year // 10 * 10.",
    "any indicator": f"these count every indicator of those years (tourists too). Keep only the trade indicators: {', '.join(TRADE_INDICATORS)}.",
    "every year": f"these count the trade figures of every year. Keep only {_FIRST} to {_LAST}, both included: .between({_FIRST}, {_LAST}).",
    "last year": f"your year filter leaves out {_LAST}. .between({_FIRST}, {_LAST}) includes both ends.",
    "indicators": "you counted the indicators. Count the 'system' column instead.",
    "absent": "you divided by yes + no + abstain + absent. Absent states did not vote: divide by yes + no + abstain only.",
    "members": "you divided by all 193 member states. Divide by the states that voted: yes + no + abstain.",
    "all listed": "these are the counts of every period. The task asks which period has the most events.",
    "fewest": "those are the periods with the fewest events. The task asks for the most.",
}


def _mistakes(t, step: str):
    """The common wrong answers to ``step``, computed from the tables, with their hints."""
    if step == "step1":
        yield len(t.people.columns), _HINTS["columns"].format(len(t.people.columns))
        yield len(t.people) + 1, _HINTS["header"]
    elif step == "step2":
        yield _categories(t, None), _HINTS["all periods"]
        yield _categories(t, column="precision"), _HINTS["precision"]
        yield _categories(t, None, "period"), _HINTS["per period"]
        for other in sorted(set(t.events["period"].astype(str)) - {CATEGORY_PERIOD}):
            yield _categories(t, other), _HINTS["other period"].format(other)
    elif step == "step3":
        yield _year_only(t, period=None), _HINTS["every period"]
        yield _year_only(t, precision=None), _HINTS["any precision"]
        yield _year_only(t, precision=("month", "day")), _HINTS["month or day"]
        yield _year_only(t, approximate=True), _HINTS["approximate"]
    elif step == "step4":
        yield _visit_decades(t, columns=("title",)), _HINTS["titles"]
        yield _visit_decades(t, word=None), _HINTS["diplomacy"]
        yield _visit_decades(t, category=None), _HINTS["any category"]
        yield _visit_decades(t, times=1), _HINTS["last digit"]
        yield _visit_decades(t, per=1, times=1), _HINTS["per year"]
    elif step == "step5":
        yield _systems(t, keys=None), _HINTS["any indicator"]
        yield _systems(t, years=(-math.inf, math.inf)), _HINTS["every year"]
        yield _systems(t, years=(_FIRST, _LAST - 1)), _HINTS["last year"]
        yield _systems(t, column="indicator"), _HINTS["indicators"]
    elif step == "step6":
        yield _shares(t, lambda v: v.sum(axis=1, skipna=False)), _HINTS["absent"]
        yield _shares(t, lambda v: 193), _HINTS["members"]
    else:
        yield set(_counts(t.events["period"])), _HINTS["all listed"]
        yield set(busiest_periods(t.events, fewest=True)), _HINTS["fewest"]


def _praise(t, step: str, right) -> str:
    """What :func:`check` says about a right answer."""
    if step == "step1":
        return f"the people table has {right} rows, one per person."
    if step == "step3":
        return f"{right} events of {PRECISION_PERIOD} are known only to the year: each stands for the whole year, not for 1 January."
    if step == "step6":
        low = sorted((v, k) for k, v in right.items() if not math.isnan(v))[:2]
        low = " and ".join(f"{k} ({v:.0%})" for v, k in low)
        return f"one share for each of the {len(right)} resolutions." + (
            f" The narrowest majorities: {low}." if low else ""
        )
    if step == "step4":
        listed = ", ".join(f"{decade}s: {n}" for decade, n in sorted(right.items()))
        return (
            f"{listed}. The busiest decade is the {max(sorted(right), key=right.get)}s."
            if right
            else "nothing."
        )
    if isinstance(right, dict):
        ordered = sorted(right.items(), key=lambda item: (-item[1], item[0]))
        return (", ".join(f"{k}: {n}" for k, n in ordered) or "nothing") + "."
    top = max(_counts(t.events["period"]).values(), default=0)
    if len(right) == 1:
        return f"{right[0]} has the most events ({top})."
    return f"{' and '.join(right)} share the top place with {top} events each."


@dataclass(frozen=True)
class Step:
    """One step of the lab: its id (``"step1"`` ...) and title, the form of its answer, the
    right answer computed from the tables, and how to read the other forms it accepts."""

    id: str
    title: str
    form: str
    answer: Callable
    read: Callable = lambda answer, t: answer

    @property
    def hint(self) -> str:
        """The first hint, shown with every "Not yet"."""
        return _HINTS[self.id]


#: The steps of the lab, in order.
STEPS: dict[str, Step] = {
    step.id: step
    for step in (
        Step(
            "step1",
            "Loading the tables",
            "number",
            lambda t: len(t.people),
            lambda a, t: a[0] if isinstance(a, tuple) and a == t.people.shape else a,
        ),
        Step("step2", "Filtering and counting events", "counts", _categories),
        Step("step3", "How precise is a date?", "number", _year_only, _year_entry),
        Step("step4", "The rhythm of visits", "decades", _visit_decades),
        Step("step5", "Trade figures from different systems", "counts", _systems),
        Step("step6", "Reading the UN tallies", "shares", _shares, _by_symbol),
    )
}

#: Exercises of ``exercises.csv`` that :func:`check` marks too.
EXERCISE_CHECKS: dict[str, Step] = {
    "ex08_events_per_period": Step(
        "ex08_events_per_period",
        "Events per period",
        "periods",
        lambda t: busiest_periods(t.events),
    )
}


def _step(step_id: Any) -> Step:
    """The step of ``"step2"``, ``"Step 2"``, ``"2"``, ``2`` or of an exercise id."""
    if str(step_id) in EXERCISE_CHECKS:
        return EXERCISE_CHECKS[str(step_id)]
    text = re.sub(r"[\s_-]+", "", str(step_id)).lower()
    text = f"step{int(text)}" if text.isdigit() else text
    if text not in STEPS:
        raise ValueError(f"unknown step {step_id!r}; the steps are {', '.join(STEPS)}")
    return STEPS[text]


def expected_answer(step_id, tables=None):
    """The right answer of a step, computed from ``tables`` (default: the shipped data).

    An int (step1, step3); a dict of non-zero counts keyed by text (step2, step5) or by
    decade as an int (step4: ``{1950: 2}``); ``{symbol: share}`` with fractions, NaN when a
    tally is missing (step6); the sorted list of :func:`busiest_periods` (the exercise).
    """
    return _step(step_id).answer(ensure_tables(tables))


def _wrong(step: Step, answer, got, right, tables) -> str:
    """What :func:`check` says about a wrong answer: never the right answer itself."""
    hint = step.hint
    if got is None:
        if step.form in ("counts", "decades") and _as_int(answer) == sum(right.values()):
            return f"{answer} is the total; the task asks for one count per group. {hint}"
        kind = (
            "whole table (DataFrame)" if isinstance(answer, pd.DataFrame) else type(answer).__name__
        )
        other = " with other keys or values" if _mapping(answer) is not None else ""
        return f"expected {_FORMS[step.form]}, got a {kind}{other}. {hint}"
    for mistake, text in _mistakes(tables, step.id):
        if _same(got, mistake) and not _same(mistake, right):
            return text
    if step.form == "number":
        return f"that is not the right answer yet. {hint}"
    extra, missing = (sorted(map(str, set(a) - set(b))) for a, b in ((got, right), (right, got)))
    if extra:
        return f"your answer includes {', '.join(extra[:5])}, which should not be there. {hint}"
    if missing and step.form == "periods":
        return f"{', '.join(missing)} has just as many: a tie. List every period with the largest count."
    if missing:
        return f"your answer leaves out {', '.join(missing)}. {hint}"
    differ = ", ".join(str(k) for k in right if not _same(got[k], right[k]))
    return f"the keys are right but the values of {differ} differ. {hint}"


def check(step_id, answer, tables=None) -> Feedback:
    """Check the answer to one step of the data lab, or to an exercise of
    :data:`EXERCISE_CHECKS`, against the right answer computed from ``tables`` (default:
    :func:`cambodia_russia.load_all`, which follows ``CAMBODIA_RUSSIA_DATA``), and explain."""
    step = _step(step_id)
    if answer is None:
        again = "replace None in the cell above with your code, run that cell, then run this check again"
        return Feedback(step.id, "unanswered", f"{again}. Hint: {step.hint}")
    tables = ensure_tables(tables)
    right = step.answer(tables)
    got = _read(step.read(answer, tables), step.form)
    if _same(got, right):
        return Feedback(step.id, "correct", _praise(tables, step.id, right))
    return Feedback(step.id, "wrong", _wrong(step, answer, got, right, tables))
