"""Balance rules for the shipped data (issue 15, "Close the balance gaps").

* A UN vote of 2014 or 2022 cites the UN's own record (a document or press release on a UN
  site), so students can read the primary document and not only what others say about it.
* Every disputed topic sets at least two sources and at least two positions side by side.
* Every disputed topic is shown in a notebook's source comparer.
* Quiz: the right option is the longest in at most 40% of the multiple-choice questions,
  and no position holds more than 35% of the right options.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from urllib.parse import urlparse

import pytest

from data_helpers import DATA, REPO, real_data_missing

pytestmark = pytest.mark.skipif(bool(real_data_missing()), reason="data/ is incomplete")

# Hosts that publish the UN's own records: documents, voting records, meetings coverage.
UN_RECORD_HOSTS = ("undocs.org", "digitallibrary.un.org", "press.un.org", "www.un.org", "un.org")
PRIMARY_RECORD_YEARS = {2014, 2022}


def _rows(table: str) -> list[dict[str, str]]:
    with open(DATA / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _cited_ids(cell: str) -> list[str]:
    return [part.split(":", 1)[0].strip() for part in cell.split(";") if part.strip()]


def _is_un_record(url: str) -> bool:
    host = urlparse(url.strip()).netloc.lower()
    return any(host == h or host.endswith("." + h) for h in UN_RECORD_HOSTS)


def test_un_record_hosts_are_recognised():
    assert _is_un_record("https://undocs.org/A/RES/ES-11/1")
    assert _is_un_record("https://press.un.org/en/2022/ga12407.doc.htm")
    assert not _is_un_record("https://en.wikipedia.org/wiki/United_Nations")
    assert not _is_un_record("https://unwatch.org/some-page/")


def test_votes_of_2014_and_2022_cite_a_un_primary_record():
    urls = {row["id"]: row["url"] for row in _rows("sources")}
    missing = []
    for vote in _rows("un_votes"):
        if int(vote["year"]) not in PRIMARY_RECORD_YEARS:
            continue
        cited = _cited_ids(vote["sources"])
        if not any(
            _is_un_record(u) for i in cited for u in urls.get(i, "").split(";") if u.strip()
        ):
            missing.append(vote["id"])
    assert not missing, f"UN votes without a UN primary record among their sources: {missing}"


def test_every_topic_sets_two_sources_and_two_positions_side_by_side():
    sources, stances = defaultdict(set), defaultdict(set)
    for claim in _rows("claims"):
        sources[claim["topic"]].add(claim["source"])
        stances[claim["topic"]].add(claim["stance"].strip().lower())
    one_sided = [
        t["id"] for t in _rows("topics") if len(sources[t["id"]]) < 2 or len(stances[t["id"]]) < 2
    ]
    assert not one_sided, f"topics with fewer than two sources or two positions: {one_sided}"


def test_every_topic_can_be_opened_in_a_notebook():
    """A topic is reachable when a notebook opens a comparer on it; the comparer's menu
    then offers every other topic too, so at least one explicit comparer must exist, and
    the topics added for the balance gaps must each have their own."""
    shown = set()
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text("utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        shown |= set(re.findall(r'SourceComparer\(tables, topic="([a-z0-9_]+)"', code))
    assert shown, "no notebook opens a source comparer"
    for topic in ("un_seat_and_aid_1980s", "russia_never_interferes"):
        assert topic in shown, f"no notebook opens a source comparer on {topic}"


# --- quiz: the right option is not given away by its length or its place ------------------

#: At most this share of multiple-choice questions has the right option as the longest
#: (a tie for longest counts as longest).
MAX_LONGEST_SHARE = 0.40
#: At most this share of the right options stands in any one position.
MAX_POSITION_SHARE = 0.35


def _choice_questions() -> list[tuple[str, list[str], str]]:
    rows = [r for r in _rows("quiz") if r["kind"] == "choice"]
    return [
        (r["id"], [o.strip() for o in r["options"].split(";")], r["answer"].strip()) for r in rows
    ]


def quiz_balance(questions) -> tuple[float, dict[int, float]]:
    """Share of questions whose right option is (one of) the longest; share of right
    options in each position (0-based)."""
    longest = sum(len(answer) >= max(map(len, options)) for _id, options, answer in questions)
    positions: dict[int, int] = defaultdict(int)
    for _id, options, answer in questions:
        positions[options.index(answer)] += 1
    total = len(questions)
    return longest / total, {p: n / total for p, n in sorted(positions.items())}


def test_quiz_balance_is_computed_as_documented():
    questions = [
        ("a", ["xx", "y"], "xx"),
        ("b", ["x", "yy"], "x"),
        ("c", ["x", "y"], "y"),
        ("d", ["x", "y"], "x"),
    ]
    assert quiz_balance(questions) == (0.75, {0: 0.75, 1: 0.25})  # a tie counts as longest


def test_the_right_option_is_rarely_the_longest_and_has_no_favourite_place():
    questions = _choice_questions()
    assert len(questions) >= 20
    longest, positions = quiz_balance(questions)
    print(
        f"right option longest in {longest:.0%} of {len(questions)} questions; positions {positions}"
    )
    assert longest <= MAX_LONGEST_SHARE, (
        f"the right option is the longest in {longest:.0%} of the questions"
    )
    crowded = {p + 1: f"{s:.0%}" for p, s in positions.items() if s > MAX_POSITION_SHARE}
    assert not crowded, (
        f"positions holding more than {MAX_POSITION_SHARE:.0%} of the right options: {crowded}"
    )
