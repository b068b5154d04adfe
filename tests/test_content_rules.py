"""Content rules that catch whole classes of error found in the content review (issue 15).

Each test reads the shipped tables in ``data/`` and the notebooks' Markdown as plain text,
so it is fast and needs no kernel:

* relative time phrases ("later", "a year earlier", "the following year") only in a
  sentence that also gives a year, so that the reader is never left to guess the date;
* no typed counts of data rows ("24 events", "the six votes of ...") in notebook Markdown:
  such counts go stale when rows are added and are printed by a code cell instead;
* UN votes agree with a reference list of dates and tallies, in ``un_votes.csv`` and
  wherever a text quotes a tally;
* order questions in the quiz use only events whose date outside references confirm, so
  that exactly one order is right;
* wordings the review found wrong do not come back.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re

import pytest

from data_helpers import DATA, REPO

NOTEBOOKS = REPO / "notebooks"
MONTHS = (
    "January February March April May June July August September October November December"
).split()

# Reference list of UN votes: symbol -> (year, month, day, yes, no, abstain). Dates and
# tallies as checked in the project's reference sheet (facts.md, B04, B17, B23-B25 and the
# correction of X30 by X106). ``None`` where the sheet gives no tally.
REFERENCE_UN_VOTES = {
    "A/RES/995(X)": (1955, 12, 14, None, None, None),
    "S/RES/109": (1955, 12, 14, None, None, None),
    "A/RES/34/22": (1979, 11, 14, 91, 21, 29),
    "S/RES/718": (1991, 10, 31, None, None, None),
    "S/RES/745": (1992, 2, 28, None, None, None),
    "A/RES/ES-11/1": (2022, 3, 2, 141, 5, 35),
    "A/RES/ES-11/2": (2022, 3, 24, 140, 5, 38),
    "A/RES/ES-11/3": (2022, 4, 7, 93, 24, 58),
    "A/RES/ES-11/4": (2022, 10, 12, 143, 5, 35),
    "A/RES/ES-11/5": (2022, 11, 14, 94, 14, 73),
    "A/RES/ES-11/6": (2023, 2, 23, 141, 7, 32),
}

# Free-text columns checked for relative time phrases, per table.
TEXT_COLUMNS = {
    "events": ("title", "description"),
    "claims": ("claim",),
    "topics": ("summary",),
    "periods": ("summary",),
    "glossary": ("definition",),
    "people": ("roles",),
    "un_votes": ("note",),
    "indicators": ("note",),
    "quiz": ("question", "explanation"),
}

RELATIVE = re.compile(
    r"\b(?:later|earlier|afterwards|the following year|the previous year|the next year"
    r"|last year|next year|ago"
    r"|(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty)"
    r" (?:days?|weeks?|months?|years?|decades?) (?:later|earlier|before|after|on))\b",
    re.IGNORECASE,
)
# Phrases that use "later" for a name or title, not for a date.
RELATIVE_ALLOWED = re.compile(r"\blater known as\b", re.IGNORECASE)
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")

NUMBER = (
    r"(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
)
TYPED_COUNTS = (
    # "the collection's 24 events", "27 events", "twenty events of 1993-2021"
    re.compile(rf"\b{NUMBER} (?:\w+ ){{0,2}}events\b", re.IGNORECASE),
    # "the six votes of 2022-2023", "holds two votes of 1979"
    re.compile(
        rf"\b{NUMBER} (?:General Assembly |UN |Security Council )?votes (?:of|in|from)\b",
        re.IGNORECASE,
    ),
    # "In six General Assembly votes"
    re.compile(
        rf"\bin {NUMBER} (?:General Assembly |UN |Security Council )?votes\b", re.IGNORECASE
    ),
)


def _rows(table: str) -> list[dict[str, str]]:
    with open(DATA / f"{table}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _sentences(text: str) -> list[str]:
    """Split a text into sentences (good enough for the checks below)."""
    text = re.sub(r"\s+", " ", text)
    return [s for s in re.split(r"(?<=[.!?])[\"')]* (?=[A-Z\"'(*])", text) if s.strip()]


def _markdown_cells() -> list[tuple[str, int, str]]:
    cells = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for index, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "markdown":
                source = cell["source"]
                text = "".join(source) if isinstance(source, list) else source
                cells.append((path.name, index, text))
    return cells


def _all_texts() -> list[tuple[str, str]]:
    """(where, text) for every free-text cell of the data and every Markdown cell."""
    texts = []
    for table, columns in TEXT_COLUMNS.items():
        for row in _rows(table):
            for column in columns:
                texts.append((f"{table}.csv {row['id']} {column}", row[column]))
    for row in _rows("sources"):
        texts.append((f"sources.csv {row['id']} notes", row["notes"]))
    for name, index, text in _markdown_cells():
        texts.append((f"{name} cell {index}", text))
    return texts


def relative_phrases_without_a_year(text: str) -> list[str]:
    """Sentences of ``text`` that use a relative time phrase but give no year."""
    found = []
    for sentence in _sentences(text):
        cleaned = RELATIVE_ALLOWED.sub("", sentence)
        if RELATIVE.search(cleaned) and not YEAR.search(sentence):
            found.append(sentence)
    return found


def typed_counts(text: str) -> list[str]:
    return [m.group(0) for pattern in TYPED_COUNTS for m in pattern.finditer(text)]


# --- relative time phrases -------------------------------------------------------------


def test_relative_phrase_rule_flags_and_allows():
    assert relative_phrases_without_a_year("Russia's ambassador later recalled the seat.")
    assert relative_phrases_without_a_year("He came back a year earlier.")
    assert relative_phrases_without_a_year("Russia offered 40 scholarships the following year.")
    assert not relative_phrases_without_a_year("In December 2023 Russia's ambassador recalled it.")
    assert not relative_phrases_without_a_year("Saloth Sâr, later known as Pol Pot, went to Hanoi.")
    assert not relative_phrases_without_a_year("Talks in July 1987, almost 29 years before.")


@pytest.mark.parametrize("table", sorted(TEXT_COLUMNS))
def test_relative_time_phrases_come_with_a_year(table):
    """A relative phrase ("later", "a year earlier") must sit in a sentence that names the year."""
    problems = []
    for row in _rows(table):
        for column in TEXT_COLUMNS[table]:
            for sentence in relative_phrases_without_a_year(row[column]):
                problems.append(f"{table}.csv {row['id']} {column}: {sentence}")
    assert not problems, "\n".join(problems)


# --- counts in notebook Markdown ---------------------------------------------------------


def test_typed_count_rule_flags_and_allows():
    assert typed_counts("The timeline shows the collection's 24 events of 1993–2021.")
    assert typed_counts("The chart shows the six votes of 2022–2023 in the data.")
    assert typed_counts("In six General Assembly votes of 2022–2023 Cambodia voted yes.")
    assert not typed_counts("Adopted by 141 votes to 5, with 35 abstentions.")
    assert not typed_counts("The next cell counts the events of 1993–2021.")


def test_notebook_markdown_has_no_typed_counts_of_data_rows():
    """Counts of events and votes are printed by a code cell, never typed in Markdown."""
    problems = [
        f"{name} cell {index}: {found!r}"
        for name, index, text in _markdown_cells()
        for found in typed_counts(text)
    ]
    assert not problems, "\n".join(problems)


# --- UN votes ---------------------------------------------------------------------------


def test_un_votes_agree_with_the_reference_list():
    problems = []
    for row in _rows("un_votes"):
        reference = REFERENCE_UN_VOTES.get(row["symbol"])
        if reference is None:
            continue
        year, month, day, yes, no, abstain = reference
        got = tuple(int(row[c]) if row[c] else None for c in ("year", "month", "day"))
        if got != (year, month, day):
            problems.append(f"{row['id']}: date {got}, reference {(year, month, day)}")
        for column, expected in (("yes", yes), ("no", no), ("abstain", abstain)):
            if expected is not None and row[column] != str(expected):
                problems.append(f"{row['id']}: {column} {row[column]!r}, reference {expected}")
    assert not problems, "\n".join(problems)


def test_the_1979_withdrawal_vote_is_resolution_34_22():
    rows = [r for r in _rows("un_votes") if r["yes"] == "91" and r["no"] == "21"]
    assert [r["symbol"] for r in rows] == ["A/RES/34/22"]


def _tally_patterns():
    for symbol, (year, month, day, yes, no, _abstain) in REFERENCE_UN_VOTES.items():
        if yes is None:
            continue
        pattern = re.compile(rf"\b{yes}(?: votes)? (?:to|against) {no}\b|\b{yes}[–-]{no}\b")
        yield symbol, (year, month, day), pattern


def test_texts_that_quote_a_tally_give_the_right_month():
    """A sentence that quotes a vote's tally and names a month must name the vote's month."""
    problems = []
    for where, text in _all_texts():
        for sentence in _sentences(text):
            for symbol, (year, month, _day), pattern in _tally_patterns():
                if not pattern.search(sentence):
                    continue
                named = set(re.findall(rf"\b({'|'.join(MONTHS)})(?: |, )(\d{{4}})\b", sentence))
                if named and (MONTHS[month - 1], str(year)) not in named:
                    problems.append(f"{where}: {symbol} is {MONTHS[month - 1]} {year}: {sentence}")
    assert not problems, "\n".join(problems)


def test_events_that_quote_a_tally_are_dated_on_the_vote():
    problems = []
    for row in _rows("events"):
        for symbol, (year, month, day), pattern in _tally_patterns():
            if pattern.search(row["description"]):
                got = (int(row["year"]), int(row["month"] or 0), int(row["day"] or 0))
                if got != (year, month, day):
                    problems.append(f"{row['id']} quotes the tally of {symbol}: dated {got}")
    assert not problems, "\n".join(problems)


def test_only_the_march_2022_vote_cites_the_2024_report():
    """The quiz (q06_missing_votes) and notebooks 06 and 07 say the report mentions one vote."""
    citing = [
        r["symbol"]
        for r in _rows("un_votes")
        if any(c.split(":")[0].strip() == "ppp_2024" for c in r["sources"].split(";"))
    ]
    assert citing == ["A/RES/ES-11/1"]
    quiz = {r["id"]: r for r in _rows("quiz")}
    assert "2 March 2022" in quiz["q06_missing_votes"]["answer"]


# --- quiz --------------------------------------------------------------------------------


def _event_dates() -> dict[str, tuple[dt.date, str]]:
    return {
        r["id"]: (
            dt.date(int(r["year"]), int(r["month"] or 1), int(r["day"] or 1)),
            r["verification"],
        )
        for r in _rows("events")
    }


def test_order_questions_use_only_verified_dates():
    """An order question built on a disputed or unconfirmed date can have two right orders."""
    events = _event_dates()
    problems = []
    for row in _rows("quiz"):
        if row["kind"] != "order":
            continue
        for event_id in (e.strip() for e in row["options"].split(";")):
            verification = events[event_id][1]
            if verification != "verified":
                problems.append(f"{row['id']}: {event_id} is {verification}")
    assert not problems, "\n".join(problems)


REBUILT_QUESTIONS = ("q01_which_text_1956", "q05_thirty_years", "q06_missing_votes")


@pytest.mark.parametrize("question_id", REBUILT_QUESTIONS)
def test_rebuilt_questions_do_not_give_the_answer_away(question_id):
    """The right option is not the longest one and not always in the same place."""
    row = {r["id"]: r for r in _rows("quiz")}[question_id]
    options = [o.strip() for o in row["options"].split(";")]
    answer = options.index(row["answer"].strip())
    assert len(options[answer]) < max(len(o) for o in options)


def test_rebuilt_questions_vary_the_position_of_the_answer():
    rows = {r["id"]: r for r in _rows("quiz")}
    positions = {
        [o.strip() for o in rows[q]["options"].split(";")].index(rows[q]["answer"].strip())
        for q in REBUILT_QUESTIONS
    }
    assert len(positions) == len(REBUILT_QUESTIONS)


# --- wordings the review found wrong -----------------------------------------------------

FORBIDDEN = {
    # Sihanouk was head of state of GRUNK and chairman of FUNK, not head of its government.
    r"head of (?:the )?government in exile": "Sihanouk headed GRUNK as head of state",
    # Mosyakov speaks of three conditions of Beijing but names only two.
    r"three conditions (?:that )?Mosyakov names|Mosyakov's three conditions": "Mosyakov names two of the three conditions",
    # The schemes do not all break in 1991: Mosyakov gives no end date for his third stage.
    r"agree on (?:breaks in )?1970, 1979 and 1991": "Mosyakov gives no end date for his third stage",
    # The 91-21-29 vote was on 14 November 1979, the September vote on credentials.
    r"September 1979[^.]{0,80}\b91\b|\b91\b[^.]{0,80}September 1979(?![^.]{0,200}November)": "resolution 34/22 was adopted on 14 November 1979",
}


@pytest.mark.parametrize("pattern", sorted(FORBIDDEN))
def test_corrected_wordings_do_not_come_back(pattern):
    regex = re.compile(pattern, re.IGNORECASE)
    problems = [
        f"{where}: {m.group(0)!r}" for where, text in _all_texts() for m in regex.finditer(text)
    ]
    assert not problems, FORBIDDEN[pattern] + "\n" + "\n".join(problems)
