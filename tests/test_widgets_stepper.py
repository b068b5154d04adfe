"""PeriodStepper and period_card, driven without a kernel."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from cambodia_russia.widgets import PeriodStepper, _common, period_card  # noqa: E402
from cambodia_russia.widgets.stepper import (  # noqa: E402
    key_events,
    key_people,
    role_in_years,
)
from data_helpers import fixture_rows, load_fixture
from widget_fixtures import capture_display, live_model_id  # noqa: E402

SCRIPT = "<script>alert(1)</script>"
ORDER = [
    "sihanouk_1955_1970",
    "rupture_1970_1979",
    "prk_1979_1991",
    "crossroads_1991_1993",
    "renewal_1993_2021",
    "ukraine_2022_2024",
]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return load_fixture(tmp_path_factory.mktemp("widget_data"))


def test_collection_period_ids_in_order(tables):
    assert PeriodStepper(tables).period_ids == ORDER  # kin_phea_1 is another scheme


def test_card_content(tables):
    html = period_card(tables, "prk_1979_1991")
    assert "The People&#x27;s Republic and Soviet aid (1979–1991)" in html
    assert "The Soviet Union backs the new government" in html
    assert (
        "<dt><strong>Opens with</strong></dt><dd>7 January 1979 &mdash; Khmer Rouge regime overthrown</dd>"
        in html
    )
    assert "23 October 1991 &mdash; Paris Peace Agreements signed" in html
    # key events, by date, with their sources
    listed = html[html.index("<h4>Key events</h4>") : html.index("<h4>Key people</h4>")]
    positions = [
        listed.index(title)
        for title in (
            "Diplomatic relations re-established",
            "Khmer Rouge regime overthrown",
            "Gorbachev urges",
        )
    ]
    assert positions == sorted(positions)
    assert "(Mosyakov (2021), para 13; Vadim Medvedev, memoir (1994))" in listed
    # people most involved first, with the role of the time
    assert html.index("Heng Samrin</strong>") < html.index("Mikhail Gorbachev</strong>")
    assert "Head of state of the People&#x27;s Republic of Kampuchea (1979–1992)" in html
    assert (
        "<strong>Sources for this card:</strong> Mosyakov (2021), para 10; Kin Phea (2021), para 9"
        in html
    )
    assert 'href="03_prk_1979_1991.ipynb"' in html


def test_open_period_card(tables):
    html = period_card(tables, "ukraine_2022_2024")
    assert "(2022–today)" in html
    assert "Still open: this period reaches today." in html
    assert "2 March 2022 &mdash; Vote on resolution ES-11/1" in html


def test_unknown_period(tables):
    with pytest.raises(KeyError):
        period_card(tables, "no_such_period")


def test_key_events_spread_over_the_period(tables):
    events = tables.events
    chosen = key_events(events, "sihanouk_1955_1970", limit=2)
    assert list(chosen["id"]) == ["visit_1955_mosyakov", "agreements_1957"]  # first and last kept
    assert list(key_events(events, "sihanouk_1955_1970")["id"]) == [
        "visit_1955_mosyakov",
        "first_visit_1956",
        "relations_1956",
        "agreements_1957",
    ]
    assert len(key_events(events, "sihanouk_1955_1970", limit=1)) == 1


def test_key_people(tables):
    people = key_people(tables.events, tables.people, "renewal_1993_2021")
    assert people[0] == ("hun_sen", "Hun Sen", "Prime Minister of Cambodia")
    assert [p[0] for p in people] == ["hun_sen", "medvedev"]


@pytest.mark.parametrize(
    ("roles", "years", "expected"),
    [
        (
            "King (1941–1955); Prince (from 1955); Chief of State (1960–1970)",
            (1955, 1970),
            "Chief of State (1960–1970)",
        ),
        (
            "Foreign Minister (from 1979); Prime Minister (1985–2023)",
            (2022, 2024),
            "Prime Minister (1985–2023)",
        ),
        (
            "Foreign Minister (from 1979); Prime Minister (1985–2023)",
            (1979, 1983),
            "Foreign Minister (from 1979)",
        ),
        ("Historian; Head of a centre (2010–2020)", (1980, 1989), "Historian"),
        ("Minister (1959–1965)", (1990, 1991), "Minister (1959–1965)"),
        ("", (1990, 1991), ""),
    ],
)
def test_role_in_years(roles, years, expected):
    assert role_in_years(roles, *years) == expected


def test_card_text_is_escaped(tmp_path):
    periods = fixture_rows("periods")
    periods[1]["name"] = f"{SCRIPT} War"
    periods[1]["summary"] = "A & B <b>bold</b>"
    tables = load_fixture(tmp_path, periods=periods)
    html = period_card(tables, "rupture_1970_1979")
    assert SCRIPT not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; War" in html
    assert "A &amp; B &lt;b&gt;bold&lt;/b&gt;" in html


def test_stepping(tables):
    stepper = PeriodStepper(tables)
    assert stepper.period_ids == ORDER
    assert (stepper.index, stepper.period_id, stepper.label.value) == (0, ORDER[0], "Period 1 of 6")
    assert stepper.previous.disabled and not stepper.next.disabled
    assert stepper.html == period_card(tables, ORDER[0])
    stepper.next.click()
    assert (stepper.period_id, stepper.label.value) == (ORDER[1], "Period 2 of 6")
    assert not stepper.previous.disabled
    assert stepper.html == period_card(tables, ORDER[1])
    (shown,) = stepper.output.outputs
    assert shown["data"]["text/html"] == _common.output_html(stepper.html)
    for _ in range(10):
        stepper.next.click()
    assert (stepper.period_id, stepper.label.value) == (ORDER[-1], "Period 6 of 6")
    assert stepper.next.disabled
    stepper.step(+1)  # already at the end: nothing happens
    assert stepper.index == 5
    stepper.previous.click()
    assert stepper.label.value == "Period 5 of 6"


def test_start_argument(tables):
    stepper = PeriodStepper(tables, start="crossroads_1991_1993")
    assert stepper.label.value == "Period 4 of 6"
    assert "At the crossroads (1991–1993)" in stepper.html
    with pytest.raises(KeyError):
        PeriodStepper(tables, start="kin_phea_1")


def test_display_static_card_then_controls(tables, monkeypatch):
    capture = capture_display(monkeypatch)
    stepper = PeriodStepper(tables)
    stepper.display()
    first, last = capture.objects
    assert "Period 1 of 6" in first["text/html"]
    assert "Sihanouk and the Soviet Union (1955–1970)" in first["text/html"]
    assert "Sihanouk and the Soviet Union (1955–1970)" in first["text/plain"]
    assert live_model_id(last) == stepper.box.model_id
    assert "run the notebook" in last["text/plain"]
    # The live widget is complete by itself: its Output shows the card below the
    # controls, it hides the one static output before it, and its height never shrinks.
    (card,) = stepper.output.outputs
    assert card["data"]["text/html"] == _common.output_html(stepper.html)
    assert "cr-after-static-1" in stepper.box._dom_classes
    assert _common.STEADY_CLASS in stepper.output._dom_classes
    stepper.next.click()
    assert capture.handles[0].updates == [{"text/plain": ""}]


def test_the_live_widget_css_hides_exactly_the_static_outputs_before_it():
    css = _common._STYLE_CSS
    one = ".jp-OutputArea-child:has(+ .jp-OutputArea-child .cr-after-static-1)"
    two = (
        ".jp-OutputArea-child:has(+ .jp-OutputArea-child + .jp-OutputArea-child .cr-after-static-2)"
    )
    assert one in css and two in css
    assert "+ .jp-OutputArea-child + .jp-OutputArea-child .cr-after-static-1" not in css


def test_shipped_data_every_card():
    stepper = PeriodStepper()
    titles = []
    while True:
        assert "<h3" in stepper.html and "Sources for this card:" in stepper.html
        titles.append(stepper.label.value)
        if stepper.next.disabled:
            break
        stepper.next.click()
    assert len(titles) == len(stepper.period_ids) >= 6


def test_focus_never_drops_to_the_page_at_either_end(tables, monkeypatch):
    """Next is disabled at the last period: focus moves to Previous (and back at the first)."""
    stepper = PeriodStepper(tables)
    focused = []
    for name in ("previous", "next"):
        monkeypatch.setattr(getattr(stepper, name), "focus", lambda name=name: focused.append(name))
    for _ in range(len(ORDER) - 2):
        stepper.next.click()
    assert focused == []  # Next is still enabled: focus stays on it
    stepper.next.click()
    assert stepper.next.disabled and focused == ["previous"]
    for _ in range(len(ORDER) - 1):
        stepper.previous.click()
    assert stepper.previous.disabled and focused == ["previous", "next"]


def test_the_keys_are_shown_next_to_the_buttons(tables):
    stepper = PeriodStepper(tables)
    texts = [getattr(child, "value", "") for child in stepper.box.children]
    assert any("Keyboard: Tab to Previous or Next" in text for text in texts)
    assert 'style="text-decoration:underline"' in stepper.html  # the lesson link
    assert _common.LIVE_CLASS in stepper.label._dom_classes  # "Period 2 of 6" is announced


def test_every_widget_shares_one_aria_model(tables):
    """One anywidget model per kernel (each would load its module within anywidget's 2 s)."""
    from cambodia_russia.widgets import SourceComparer

    first, second = PeriodStepper(tables), SourceComparer(tables)
    aria = [
        child
        for box in (first.box, second.box)
        for child in box.children[0].children
        if type(child).__name__ == "AriaSemantics"
    ]
    assert len(aria) == 2 and aria[0] is aria[1] is _common.aria_widget()
