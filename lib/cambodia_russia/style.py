"""Colours with a meaning and sizes, beyond the look in ``cambodia_russia.mplstyle``.

Colours are Okabe–Ito (readable with the common colour-vision deficiencies) and never the only
cue: categories, series and bounds also differ in marker or line style. Importing this module
imports neither matplotlib nor pandas.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

#: The matplotlib style file of every chart (package data).
STYLE_FILE = Path(__file__).with_name("cambodia_russia.mplstyle")

#: Okabe–Ito without black, in the order handed out: blue, orange, bluish green, vermillion,
#: sky blue, reddish purple, yellow (neighbours differ in hue and lightness).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442")
BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW = PALETTE
NEUTRAL, LIGHT_NEUTRAL = "#8C8C8C", "#D9D9D9"  # things without a category
TEXT_COLOR = "#1A1A1A"  # near-black reads better than black on a bright projector

DPI = 100  # fixed, so a figure's PNG is the same on every run
FIGSIZE: Mapping[str, tuple[float, float]] = {"wide": (10.0, 7.3)}  # 1000 px wide
FONT = "DejaVu Sans"
BASE_FONT_SIZE = 14  # ticks, legends, labels; also the smallest text anywhere
SMALL_FONT_SIZE = 14  # footnotes
LABEL_FONT_SIZE = 15  # axis labels, scheme names
TITLE_FONT_SIZE = 19


def apply_style() -> Any:
    """A context manager (``with apply_style(): ...``) under which charts are drawn: the style
    file plus the sizes and colour cycle above; the notebook's own settings come back after."""
    import matplotlib
    from cycler import cycler

    small = ("font.", "xtick.label", "ytick.label", "legend.font", "legend.title_font")
    rc = {f"{k}size": BASE_FONT_SIZE for k in small} | {"axes.labelsize": LABEL_FONT_SIZE}
    rc |= dict.fromkeys(["axes.titlesize", "figure.titlesize"], TITLE_FONT_SIZE)
    rc |= {"figure.dpi": DPI, "savefig.dpi": DPI, "font.sans-serif": [FONT]}
    rc |= {"figure.figsize": FIGSIZE["wide"], "axes.prop_cycle": cycler(color=list(PALETTE))}
    return matplotlib.rc_context(rc, fname=STYLE_FILE)


def lighten(color: str, amount: float = 0.7) -> str:
    """Mix ``color`` (``#RRGGBB``) with white: 0 keeps it, 1 gives white (opaque, unlike alpha)."""
    text = color.lstrip("#")
    if not 0.0 <= amount <= 1.0 or len(text) != 6:
        raise ValueError(
            f"expected a colour like '#0072B2' and an amount in 0..1, got {color!r}, {amount!r}"
        )
    rgb = [int(text[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)


def period_order(periods: Any, scheme: str = "collection") -> list[str]:
    """Ids of one scheme's periods in order (``order``, then ``start_year``, then ``id``): from
    the data, so a period a teacher adds takes its place."""
    import pandas as pd

    rows = periods.loc[periods["scheme"].astype(str) == scheme]
    orders, starts = (
        pd.to_numeric(rows[c], errors="coerce").fillna(10**9) for c in ("order", "start_year")
    )
    return [pid for *_, pid in sorted(zip(orders, starts, rows["id"].astype(str), strict=True))]


def period_colors(periods: Any, scheme: str = "collection") -> dict[str, str]:
    """Period id → colour: the scheme's first period gets the first colour, and so on."""
    return {pid: PALETTE[i % len(PALETTE)] for i, pid in enumerate(period_order(periods, scheme))}


def period_color(period_id: str, periods: Any) -> str:
    """The colour of one period, in its own scheme's order; ``KeyError`` for an unknown id."""
    match = periods.loc[periods["id"].astype(str) == str(period_id), "scheme"]
    if match.empty:
        raise KeyError(f"unknown period id {period_id!r}: not in the periods table")
    return period_colors(periods, str(match.iloc[0]))[str(period_id)]


CategoryStyle = namedtuple("CategoryStyle", "color marker")
SeriesStyle = namedtuple("SeriesStyle", "color marker linestyle")
#: A bound's marker, whether it is filled, the symbol before its value and its legend text.
BoundStyle = namedtuple("BoundStyle", "marker filled symbol meaning")


CATEGORY_STYLES: Mapping[str, CategoryStyle] = {
    "diplomacy": CategoryStyle(BLUE, "o"),
    "aid and economy": CategoryStyle(ORANGE, "s"),
    "military and security": CategoryStyle(VERMILLION, "^"),
    "education and culture": CategoryStyle(GREEN, "D"),
    "politics inside Cambodia": CategoryStyle(PURPLE, "v"),
    "international context": CategoryStyle(SKY, "P"),
}
_SPARE = [CategoryStyle(*s) for s in zip((YELLOW, "#000000", *PALETTE), "Xh*p<>d8H", strict=True)]


def category_styles(categories: Iterable[str]) -> dict[str, CategoryStyle]:
    """Styles for categories in order: one not among the six gets the next spare style."""
    result: dict[str, CategoryStyle] = {}
    for name in map(str, categories):
        if name not in result:
            spare = sum(1 for n in result if n not in CATEGORY_STYLES)
            result[name] = CATEGORY_STYLES.get(name) or _SPARE[spare % len(_SPARE)]
    return result


_SERIES = (
    (BLUE, "o", "-"),
    (VERMILLION, "s", "--"),
    (GREEN, "D", ":"),
    (PURPLE, "h", "-."),
    (ORANGE, "p", (0, (5, 1, 1, 1, 1, 1))),
    (SKY, "8", (0, (1, 3))),
    ("#000000", "H", (0, (8, 3))),
)


def series_style(index: int) -> SeriesStyle:
    """Style of the ``index``-th series: colour, marker and line style all change."""
    if index < 0:
        raise ValueError(f"index must be >= 0, got {index}")
    return SeriesStyle(*_SERIES[index % len(_SERIES)])


BOUND_STYLES: Mapping[str, BoundStyle] = {
    "exact": BoundStyle("o", True, "", "exact figure"),
    "about": BoundStyle("o", False, "≈", "about (rounded figure)"),
    "more than": BoundStyle("^", True, ">", "more than (true value is higher)"),
    "less than": BoundStyle("v", True, "<", "less than (true value is lower)"),
    "up to": BoundStyle("v", False, "≤", "up to (at most this much)"),
}


def bound_style(bound: str) -> BoundStyle:
    """The style of a bound; ``KeyError`` naming the known ones for any other."""
    if str(bound) not in BOUND_STYLES:
        raise KeyError(f"unknown bound {bound!r}; expected one of {list(BOUND_STYLES)}")
    return BOUND_STYLES[str(bound)]


#: Tally segments: colour, and hatching that repeats the distinction without colour.
VOTE_COLORS = {"yes": GREEN, "no": VERMILLION, "abstain": ORANGE, "absent": LIGHT_NEUTRAL}
VOTE_HATCHES: Mapping[str, str] = {"yes": "", "no": "xx", "abstain": "//", "absent": ".."}
