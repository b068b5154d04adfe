"""Shared pieces of the charts: the :class:`Chart` result, :func:`show` and helpers.

matplotlib is imported inside functions only, so importing this module is cheap.
Figures are built with matplotlib's object API (:class:`matplotlib.figure.Figure`
with an Agg canvas), never through pyplot: a chart never appears twice in a
notebook, never piles up in pyplot's list of open figures when a widget redraws
it, and does not depend on the notebook's backend.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import style

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["Chart", "show", "show_figure", "figure_png", "image_html"]


class Chart(NamedTuple):
    """A finished chart: the matplotlib figure and a one-paragraph description.

    ``alt_text`` describes what the chart shows in words, for screen readers,
    for students who cannot see the projection well, and for tests.
    In a notebook, a ``Chart`` as the last expression of a cell is shown with
    :func:`show`.
    """

    figure: Figure
    alt_text: str

    def _ipython_display_(self) -> None:
        show(self)


def figure_png(figure: Figure) -> bytes:
    """The figure as PNG bytes, at the figure's own size and resolution.

    No tight bounding box and no varying metadata: the same figure gives the
    same bytes on every run (on one machine with one matplotlib version).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi, metadata={"Software": None})
    return buffer.getvalue()


def image_html(png: bytes, alt_text: str) -> str:
    """An HTML ``<img>`` showing ``png`` (a data URI) with ``alt_text`` as its ``alt``.

    This is how every chart of the package reaches the page: JupyterLab shows a bare
    ``image/png`` output as an image without any ``alt``, so screen readers announce
    nothing. The image is never wider than the notebook column and keeps its shape;
    its ``width``/``height`` attributes (from the PNG header) reserve the space before
    it loads.
    """
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(" ".join(alt_text.split()), quote=True)}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto">'
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~$])")


def _markdown_text(text: str) -> str:
    """Escape text for a Markdown line: HTML first, then Markdown's own marks.

    ``$`` is escaped too: JupyterLab typesets ``$...$`` in Markdown as mathematics,
    which would turn "$200 million ... $20 million" into an italic formula.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def show(chart: Chart) -> None:
    """Display a chart in a notebook: the picture with its alt text, then its description.

    The figure is sent as an HTML ``<img>`` (PNG data URI, see :func:`image_html`)
    whose ``alt`` is the chart's description, with the description as the plain-text
    alternative too. A visible Markdown line ``**Chart description:** ...`` follows
    (HTML- and Markdown-escaped, ``$`` included, in a block MathJax leaves alone, see
    :func:`cambodia_russia.widgets._common.no_math_markdown`). If the figure is known to pyplot, it
    is closed afterwards so the inline backend does not draw it a second time.
    """
    from IPython.display import Markdown, display

    figure = chart.figure
    display({"text/html": image_html(figure_png(figure), chart.alt_text), "text/plain": chart.alt_text}, raw=True)
    from ..widgets._common import no_math_markdown

    display(Markdown(no_math_markdown(f"**Chart description:** {_markdown_text(chart.alt_text)}")))
    manager = getattr(figure.canvas, "manager", None)
    if manager is not None:
        import matplotlib.pyplot as plt

        plt.close(figure)


def show_figure(figure: Figure, alt_text: str) -> None:
    """Display any matplotlib figure (e.g. one drawn with pyplot) like a chart of the package.

    Use it in place of ``plt.show()``: the picture gets ``alt_text`` as its ``alt`` and
    the visible "Chart description" line (see :func:`show`)::

        fig, ax = plt.subplots()
        ax.bar(...)
        show_figure(fig, "Bar chart of ...: the tallest bar is ...")
    """
    show(Chart(figure, alt_text))


# --------------------------------------------------------------------------
# Helpers used by the chart modules
# --------------------------------------------------------------------------


def new_figure(size: str = "wide", height: float | None = None) -> Figure:
    """A new figure of one of the fixed sizes of :data:`style.FIGSIZE`.

    ``height`` (inches) replaces the size's height, for charts whose height
    follows the number of rows. Call inside ``with style.apply_style():``.
    The figure gets an Agg canvas, so text can be measured before it is shown.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, default_height = style.FIGSIZE[size]
    figure = Figure(figsize=(width, height or default_height), dpi=style.DPI)
    FigureCanvasAgg(figure)
    return figure


def is_missing(value: Any) -> bool:
    """True for None, NaN, NA and NaT (and for a blank string)."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, (tuple, list, dict, set)):
        return False
    try:
        import pandas as pd

        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return isinstance(result, bool) and result or (getattr(result, "shape", None) == () and bool(result))


def text(value: Any) -> str:
    """A cell as a clean string ('' when missing)."""
    return "" if is_missing(value) else str(value).strip()


def as_int(value: Any) -> int | None:
    """A cell as an int, or None when missing."""
    return None if is_missing(value) else int(value)


def as_bool(value: Any) -> bool | None:
    """A boolean cell (True/False/missing), accepting 'true'/'false' strings too."""
    if is_missing(value):
        return None
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def truncate(label: str, max_chars: int) -> str:
    """Shorten ``label`` to at most ``max_chars`` characters, ending with '…'."""
    label = " ".join(label.split())
    if len(label) <= max_chars:
        return label
    if max_chars <= 1:
        return "…"
    cut = label[: max_chars - 1].rstrip(" ,;:–-")
    return cut + "…"


def wrap(label: str, width: int, max_lines: int | None = None) -> str:
    """Wrap text at ``width`` characters; cut with '…' after ``max_lines`` lines."""
    lines = textwrap.wrap(" ".join(label.split()), width=width, break_long_words=False, break_on_hyphens=False) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        if len(last) + 1 > width:
            last = last[: max(width - 1, 1)]
        lines[-1] = last.rstrip(" ,;:–-") + "…"
    return "\n".join(lines)


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 event', '3 events'."""
    word = singular if n == 1 else (plural_form or singular + "s")
    return f"{n} {word}"


def join_words(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def year_range(first: int, last: int) -> str:
    """'1979–1991', or '1979' when both are the same year."""
    return str(first) if first == last else f"{first}–{last}"


def categories_of(column: pd.Series) -> list[str]:
    """The categories of a column in schema order (Categorical) or first-seen order."""
    dtype = column.dtype
    cats = getattr(dtype, "categories", None)
    if cats is not None:
        return [str(c) for c in cats]
    seen: list[str] = []
    for value in column:
        name = text(value)
        if name and name not in seen:
            seen.append(name)
    return seen


@functools.lru_cache(maxsize=8)
def _char_advances(size: float, dpi: float, weight: str) -> tuple[Any, float, dict[str, float]]:
    """The font used for labels, and a cache of character widths in pixels."""
    from matplotlib import font_manager

    prop = font_manager.FontProperties(family=style.RC_PARAMS["font.sans-serif"], size=size, weight=weight)
    font = font_manager.get_font(font_manager.findfont(prop))
    font.set_size(size, dpi)
    # "M" as a fallback for characters the font lacks (drawn by another font).
    font.load_char(ord("M"))
    fallback = font.get_width_height()[0] / 64.0
    return font, fallback, {}


@functools.lru_cache(maxsize=8192)
def text_width_px(label: str, size: float, dpi: float = style.DPI, weight: str = "normal") -> float:
    """Width in pixels of a one-line label drawn in the chart font.

    Sums the advance width of each character (cached per character), which is
    what matplotlib's text layout does apart from kerning; kerning only ever
    narrows DejaVu Sans, so the estimate never undershoots. Much cheaper than
    asking the renderer, linear in the number of labels, and cached (a widget
    redrawing the same labels measures them once).
    """
    font, fallback, cache = _char_advances(float(size), float(dpi), weight)
    total = 0.0
    for char in label:
        width = cache.get(char)
        if width is None:
            try:
                glyph = font.load_char(ord(char))
                width = glyph.linearHoriAdvance / 65536.0
            except (RuntimeError, ValueError):
                width = fallback
            if width <= 0 and not char.isspace():
                width = fallback
            cache[char] = width
        total += width
    return total


def truncate_to_width(
    label: str, room_px: float, size: float, max_chars: int, min_chars: int = 1, weight: str = "normal"
) -> tuple[str, float] | None:
    """The longest :func:`truncate` of ``label`` (at most ``max_chars``) that fits ``room_px``.

    Returns ``(text, width_px)``, or None when even ``min_chars`` characters do
    not fit. One pass over the characters (prefix widths), no trial loop.
    """
    clean = " ".join(label.split())
    full = truncate(clean, max_chars)
    width = text_width_px(full, size, weight=weight)
    if width <= room_px:
        return full, width
    ellipsis = text_width_px("…", size, weight=weight)
    total = 0.0
    fits = 0
    for index, char in enumerate(clean[: max_chars - 1]):
        total += text_width_px(char, size, weight=weight)
        if total + ellipsis > room_px:
            break
        fits = index + 1
    if fits + 1 < min_chars:
        return None
    text_value = truncate(clean, fits + 1)
    return text_value, text_width_px(text_value, size, weight=weight)


def points_to_px(points: float, dpi: float = style.DPI) -> float:
    """Convert a length in points (1/72 inch) to pixels."""
    return points * dpi / 72.0


def draw_message(ax: Any, message: str) -> None:
    """Write a message in the middle of empty axes (used for empty selections)."""
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=style.TITLE_FONT_SIZE,
        color=style.TEXT_COLOR,
        gid="message",
    )


def fit_lines(text_value: str, room_px: float, size: float, max_lines: int, weight: str = "normal") -> str:
    """Wrap ``text_value`` so that every line fits in ``room_px`` pixels.

    Uses the widest wrapping that fits; after ``max_lines`` lines the text is
    cut with '…'.
    """
    one_line = " ".join(text_value.split())
    if text_width_px(one_line, size, weight=weight) <= room_px:
        return one_line
    for width in range(len(one_line), 9, -1):
        wrapped = wrap(one_line, width, max_lines=max_lines)
        if all(text_width_px(line, size, weight=weight) <= room_px for line in wrapped.split("\n")):
            return wrapped
    return wrap(one_line, 10, max_lines=max_lines)


def set_title(figure: Figure, title: str, y: float = 0.975) -> Any:
    """Put the (data-derived) title at the top left of the figure.

    The title is wrapped to the figure's width (two lines at most).
    """
    room = figure.get_figwidth() * figure.dpi * 0.955
    return figure.text(
        0.02,
        y,
        fit_lines(title, room, style.TITLE_FONT_SIZE, 2, weight="bold"),
        ha="left",
        va="top",
        fontsize=style.TITLE_FONT_SIZE,
        fontweight="bold",
        color=style.TEXT_COLOR,
        gid="title",
    )


def add_footnote(figure: Figure, note: str, y: float = 0.015) -> Any:
    """A footnote in the bottom-left corner of the figure, wrapped to its width."""
    room = figure.get_figwidth() * figure.dpi * 0.955
    return figure.text(
        0.02,
        y,
        fit_lines(note, room, style.SMALL_FONT_SIZE, 3),
        ha="left",
        va="bottom",
        fontsize=style.SMALL_FONT_SIZE,
        color="#404040",
        gid="footnote",
    )


def source_ids(sources: Any) -> list[str]:
    """Source ids of a typed ``sources`` cell (tuple of (id, locator) pairs)."""
    if is_missing(sources):
        return []
    ids: list[str] = []
    if isinstance(sources, str):
        items: Iterable[Any] = [part for part in sources.split(";")]
    else:
        items = sources
    for item in items:
        if isinstance(item, (tuple, list)):
            sid = text(item[0]) if item else ""
        else:
            sid = text(str(item).split(":", 1)[0])
        if sid and sid not in ids:
            ids.append(sid)
    return ids
