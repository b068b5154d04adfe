"""Colours, markers, fonts and figure sizes shared by every chart.

Everything here is chosen for a projector in a classroom and for readers with
colour-vision deficiencies:

* colours come from the Okabe–Ito palette, which stays distinguishable for the
  common forms of colour blindness;
* colour is never the only cue: every event category also has its own marker
  shape, every statistical system its own line style, every kind of bound
  ("more than", "about", ...) its own marker;
* fonts are large (base 14 pt, titles 18 pt) and figures have a fixed size and
  resolution, so the PNG written for a chart is the same on every run.

Importing this module does not import matplotlib and never changes matplotlib's
global settings: charts draw inside ``with apply_style():``, which uses
:func:`matplotlib.rc_context`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # pragma: no cover - imported for type hints only
    import contextlib

    import pandas as pd

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "NEUTRAL",
    "LIGHT_NEUTRAL",
    "TEXT_COLOR",
    "DPI",
    "FIGSIZE",
    "BASE_FONT_SIZE",
    "LABEL_FONT_SIZE",
    "TITLE_FONT_SIZE",
    "SMALL_FONT_SIZE",
    "RC_PARAMS",
    "CATEGORY_STYLES",
    "BOUND_STYLES",
    "VOTE_COLORS",
    "VOTE_HATCHES",
    "CategoryStyle",
    "BoundStyle",
    "SeriesStyle",
    "apply_style",
    "lighten",
    "period_order",
    "period_colors",
    "period_color",
    "category_style",
    "category_styles",
    "series_style",
    "bound_style",
]

# --------------------------------------------------------------------------
# Palette
# --------------------------------------------------------------------------

#: The eight Okabe–Ito colours (Okabe & Ito, "Color Universal Design", 2002).
OKABE_ITO: Mapping[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: The seven non-black colours, in the order they are handed out. Neighbours
#: in this order differ strongly in hue *and* lightness, so adjacent periods
#: (which are drawn side by side) never look alike.
PALETTE: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["yellow"],
)

#: Grey for things that carry no category (unknown period, "absent" votes).
NEUTRAL = "#8C8C8C"
LIGHT_NEUTRAL = "#D9D9D9"
#: Text colour: near-black reads better than pure black on a bright projector.
TEXT_COLOR = "#1A1A1A"

# --------------------------------------------------------------------------
# Figure size and fonts
# --------------------------------------------------------------------------

#: Resolution of every figure. Fixed so that PNG output is deterministic.
DPI = 100

#: Figure sizes in inches (at :data:`DPI` = 100, inches × 100 = pixels).
#: "wide" is 16:9, the shape of most classroom projectors.
FIGSIZE: Mapping[str, tuple[float, float]] = {
    "wide": (13.0, 7.3),
    "medium": (12.0, 6.0),
}

#: Base font size in points: tick labels, legends, event labels.
BASE_FONT_SIZE = 14
#: Axis labels and period names.
LABEL_FONT_SIZE = 15
#: Chart titles.
TITLE_FONT_SIZE = 19
#: The smallest text used anywhere (footnotes); still readable when projected.
SMALL_FONT_SIZE = 14

#: matplotlib settings used (temporarily) by every chart. The colour cycle
#: (:data:`PALETTE`) is added by :func:`apply_style`.
RC_PARAMS: Mapping[str, Any] = {
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.figsize": FIGSIZE["wide"],
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": BASE_FONT_SIZE,
    "text.color": TEXT_COLOR,
    "axes.titlesize": TITLE_FONT_SIZE,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": LABEL_FONT_SIZE,
    "axes.labelcolor": TEXT_COLOR,
    "axes.edgecolor": "#4D4D4D",
    "axes.linewidth": 1.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.labelsize": BASE_FONT_SIZE,
    "ytick.labelsize": BASE_FONT_SIZE,
    "xtick.color": TEXT_COLOR,
    "ytick.color": TEXT_COLOR,
    "legend.fontsize": BASE_FONT_SIZE,
    "legend.title_fontsize": BASE_FONT_SIZE,
    "legend.frameon": False,
    "figure.titlesize": TITLE_FONT_SIZE,
    "figure.titleweight": "bold",
    "lines.linewidth": 2.5,
    "lines.markersize": 10,
    "hatch.linewidth": 1.0,
    "svg.hashsalt": "cambodia_russia",
    "path.simplify": True,
    # Chart text comes from the data ("more than $200 million"): draw it literally, never
    # as mathtext (a "$" pair would be typeset, an odd "$" would raise an error).
    "text.parse_math": False,
}


def apply_style() -> contextlib.AbstractContextManager[Any]:
    """Return a context manager under which charts are drawn.

    Use it as ``with apply_style(): ...``. Inside the block matplotlib uses the
    project's fonts, sizes and colour cycle; when the block ends the previous
    settings come back (:func:`matplotlib.rc_context`), so importing or using
    this package never changes a notebook's own matplotlib settings.
    """
    import matplotlib
    from cycler import cycler

    params = dict(RC_PARAMS)
    params["axes.prop_cycle"] = cycler(color=list(PALETTE))
    return matplotlib.rc_context(params)


def lighten(color: str, amount: float = 0.7) -> str:
    """Mix ``color`` with white; ``amount`` 0 keeps it, 1 gives white.

    Used for background bands and bar fills behind black text. Mixing with
    white (instead of transparency) keeps the colour the same whatever is
    drawn behind it.
    """
    if not 0.0 <= amount <= 1.0:
        raise ValueError(f"amount must be between 0 and 1, got {amount!r}")
    text = color.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"expected a colour like '#0072B2', got {color!r}")
    rgb = [int(text[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(c + (255 - c) * amount) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


# --------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------


def _load_periods() -> pd.DataFrame:
    from .tables import load_periods

    return load_periods()


def cell_text(value: Any) -> str:
    """A table cell as text; missing values (None, NaN, NA) become ''."""
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


_text = cell_text


def _scheme_of(periods: pd.DataFrame, period_id: str) -> str | None:
    for pid, scheme in zip(periods["id"].tolist(), periods["scheme"].tolist()):
        if str(pid) == period_id:
            return _text(scheme)
    return None


def period_order(periods: pd.DataFrame | None = None, scheme: str = "collection") -> list[str]:
    """Ids of the periods of one scheme, in the scheme's own order.

    The order comes from the data (the ``order`` column, then ``start_year``,
    then ``id`` to break ties), never from a list in the code, so a period a
    teacher adds to ``periods.csv`` takes its place automatically.
    """
    if periods is None:
        periods = _load_periods()
    keyed = []
    for pid, sch, order, start in zip(
        periods["id"].tolist(),
        periods["scheme"].tolist(),
        periods["order"].tolist(),
        periods["start_year"].tolist(),
    ):
        if _text(sch) != scheme:
            continue
        order_key = _text(order)
        start_key = _text(start)
        keyed.append(
            (
                int(order_key) if order_key else 10**9,
                int(start_key) if start_key else 10**9,
                str(pid),
            )
        )
    keyed.sort()
    return [pid for _, _, pid in keyed]


def period_colors(periods: pd.DataFrame | None = None, scheme: str = "collection") -> dict[str, str]:
    """Map every period id of ``scheme`` to its colour.

    The first period of the scheme gets the first colour of :data:`PALETTE`,
    the second the second, and so on (cycling if there are more periods than
    colours). The same data therefore always gives the same colours, and
    each collection period keeps its colour in every chart and notebook.
    """
    return {pid: PALETTE[i % len(PALETTE)] for i, pid in enumerate(period_order(periods, scheme))}


def period_color(period_id: str, periods: pd.DataFrame | None = None) -> str:
    """The colour of one period (see :func:`period_colors`).

    ``periods`` is the typed periods table (loaded from the shipped data when
    omitted). Collection periods are coloured in the collection scheme's
    order; a period of another scheme is coloured in its own scheme's order.
    Raises ``KeyError`` for an id that is not in the table.
    """
    if periods is None:
        periods = _load_periods()
    scheme = _scheme_of(periods, str(period_id))
    if scheme is None:
        raise KeyError(f"unknown period id {period_id!r}: not in the periods table")
    return period_colors(periods, scheme)[str(period_id)]


# --------------------------------------------------------------------------
# Event categories
# --------------------------------------------------------------------------


class CategoryStyle(NamedTuple):
    """How one event category is drawn: a colour and a marker shape."""

    color: str
    marker: str


#: The six categories of ``events.csv``. Each has its own colour *and* its own
#: marker, so the categories can be told apart in grey-scale too.
CATEGORY_STYLES: Mapping[str, CategoryStyle] = {
    "diplomacy": CategoryStyle(OKABE_ITO["blue"], "o"),
    "aid and economy": CategoryStyle(OKABE_ITO["orange"], "s"),
    "military and security": CategoryStyle(OKABE_ITO["vermillion"], "^"),
    "education and culture": CategoryStyle(OKABE_ITO["bluish_green"], "D"),
    "politics inside Cambodia": CategoryStyle(OKABE_ITO["reddish_purple"], "v"),
    "international context": CategoryStyle(OKABE_ITO["sky_blue"], "P"),
}

#: Markers handed out to categories that are not in :data:`CATEGORY_STYLES`.
_SPARE_MARKERS: tuple[str, ...] = ("X", "h", "*", "p", "<", ">", "d", "8", "H")
_SPARE_COLORS: tuple[str, ...] = (OKABE_ITO["yellow"], OKABE_ITO["black"], *PALETTE)


def category_styles(categories: Iterable[str]) -> dict[str, CategoryStyle]:
    """Styles for a list of categories, in the given order.

    Known categories keep their fixed style; any other category (for example
    one a teacher added to the schema) gets a spare marker shape and colour,
    deterministically by its position among the unknown categories.
    """
    result: dict[str, CategoryStyle] = {}
    spare = 0
    used_markers = {s.marker for s in CATEGORY_STYLES.values()}
    for name in categories:
        name = str(name)
        if name in result:
            continue
        if name in CATEGORY_STYLES:
            result[name] = CATEGORY_STYLES[name]
            continue
        markers = [m for m in _SPARE_MARKERS if m not in used_markers] or list(_SPARE_MARKERS)
        result[name] = CategoryStyle(
            _SPARE_COLORS[spare % len(_SPARE_COLORS)], markers[spare % len(markers)]
        )
        spare += 1
    return result


def category_style(category: str, categories: Iterable[str] | None = None) -> CategoryStyle:
    """The (colour, marker) of one category.

    ``categories`` is the full ordered list of categories (e.g. the categories
    of the typed events table); it is only needed for categories that are not
    among the six of the schema.
    """
    if category in CATEGORY_STYLES:
        return CATEGORY_STYLES[category]
    names = list(categories) if categories is not None else []
    if category not in names:
        names.append(category)
    return category_styles(names)[category]


# --------------------------------------------------------------------------
# Statistical series (indicator chart)
# --------------------------------------------------------------------------


class SeriesStyle(NamedTuple):
    """How one statistical series is drawn: colour, marker and line style."""

    color: str
    marker: str
    linestyle: str | tuple[float, tuple[float, ...]]


_LINESTYLES: tuple[str | tuple[float, tuple[float, ...]], ...] = (
    "-",
    "--",
    ":",
    "-.",
    (0, (5, 1, 1, 1, 1, 1)),
    (0, (1, 3)),
    (0, (8, 3)),
)
_SERIES_COLORS: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
)
_SERIES_MARKERS: tuple[str, ...] = ("o", "s", "D", "h", "p", "8", "H")


def series_style(index: int) -> SeriesStyle:
    """Style of the ``index``-th series of a chart (0-based, deterministic).

    Colour, marker and line style all change from one series to the next, so
    two series can be told apart by any one of them.
    """
    if index < 0:
        raise ValueError(f"index must be >= 0, got {index}")
    return SeriesStyle(
        _SERIES_COLORS[index % len(_SERIES_COLORS)],
        _SERIES_MARKERS[index % len(_SERIES_MARKERS)],
        _LINESTYLES[index % len(_LINESTYLES)],
    )


class BoundStyle(NamedTuple):
    """How a figure's bound is drawn.

    ``marker`` is the marker shape, ``filled`` whether it is filled,
    ``symbol`` a short text hint shown next to the value and ``meaning`` the
    legend text.
    """

    marker: str
    filled: bool
    symbol: str
    meaning: str


#: One marker per kind of bound in ``indicators.csv``. Upward triangle = the
#: true value is higher, downward triangle = lower, hollow circle = rounded.
BOUND_STYLES: Mapping[str, BoundStyle] = {
    "exact": BoundStyle("o", True, "", "exact figure"),
    "about": BoundStyle("o", False, "≈", "about (rounded figure)"),
    "more than": BoundStyle("^", True, ">", "more than (true value is higher)"),
    "less than": BoundStyle("v", True, "<", "less than (true value is lower)"),
    "up to": BoundStyle("v", False, "≤", "up to (at most this much)"),
}


def bound_style(bound: str) -> BoundStyle:
    """The :class:`BoundStyle` for a bound (``exact``, ``about``, ...).

    Raises ``KeyError`` for a bound that is not in the schema.
    """
    try:
        return BOUND_STYLES[str(bound)]
    except KeyError:
        raise KeyError(f"unknown bound {bound!r}; expected one of {list(BOUND_STYLES)}") from None


# --------------------------------------------------------------------------
# UN votes
# --------------------------------------------------------------------------

#: Colours of the tally segments. Hatches repeat the distinction without colour.
VOTE_COLORS: Mapping[str, str] = {
    "yes": OKABE_ITO["bluish_green"],
    "no": OKABE_ITO["vermillion"],
    "abstain": OKABE_ITO["orange"],
    "absent": LIGHT_NEUTRAL,
}
VOTE_HATCHES: Mapping[str, str] = {
    "yes": "",
    "no": "xx",
    "abstain": "//",
    "absent": "..",
}
