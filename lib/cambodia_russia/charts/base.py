"""What every chart shares: the :class:`Chart` result, its PNG and display, cells, text layout.

Figures use matplotlib's object API with an Agg canvas, never pyplot, so a chart never shows
twice; matplotlib is imported inside functions only.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import math
import re
import textwrap
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Any, NamedTuple

from .. import style

__all__ = ["Chart", "show", "show_figure", "figure_png", "image_html"]

#: Colours of a chart's PNG: enough for the palette, its lightened shades and smooth text.
PNG_COLORS = 64
#: How many PNGs of figures marked with :func:`mark_drawn` are kept for reuse.
PNG_CACHE_SIZE = 8
_PNGS: OrderedDict = OrderedDict()  # (drawn key, max width, colours) -> PNG bytes


class Chart(NamedTuple):
    """A finished chart: the figure and its description (``alt_text``) in words."""

    figure: Any
    alt_text: str

    def _ipython_display_(self) -> None:
        show(self)


def require(table: Any, name: str, chart: str) -> Any:
    """``table`` if it is a DataFrame, else a ``TypeError`` saying how to load it."""
    if not hasattr(table, "columns"):
        raise TypeError(
            f"{chart} needs the {name} table (a DataFrame), "
            f"got {type(table).__name__}: load it with "
            f"cambodia_russia.tables.load_{name}() or use tables.{name}"
        )
    return table


def figure_png(figure: Any, max_width_px: float | None = None, colors: int = PNG_COLORS) -> bytes:
    """The figure as a palette PNG of ``colors`` colours, the same bytes on every run; drawn
    at a lower resolution when wider than ``max_width_px``. A figure marked with
    :func:`mark_drawn` is drawn once per key."""
    key = getattr(figure, "drawn_key", None)
    if key is not None:
        key = (key, max_width_px, colors)
        if key in _PNGS:
            _PNGS.move_to_end(key)
            return _PNGS[key]
    png = _draw_png(figure, max_width_px, colors)
    if key is not None:
        mark_drawn(figure, key[0])  # drawing changed its dpi and back: the same picture
        _PNGS[key] = png
        while len(_PNGS) > PNG_CACHE_SIZE:
            _PNGS.popitem(last=False)
    return png


def mark_drawn(figure: Any, key: Hashable) -> None:
    """Say that ``figure`` shows exactly what ``key`` describes, so :func:`figure_png` draws one
    PNG per key; any later change to the figure (matplotlib marks it stale) removes the mark."""
    if figure.stale_callback in (None, _forget_drawn_key):  # not pyplot's: it keeps its own
        figure.drawn_key = key
        figure.stale_callback = _forget_drawn_key


def _forget_drawn_key(figure: Any, stale: bool) -> None:
    if stale:
        figure.drawn_key = None


def _draw_png(figure: Any, max_width_px: float | None, colors: int) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)
    dpi = figure.dpi
    figure.set_dpi(min(dpi, (max_width_px or math.inf) / figure.get_figwidth()))
    try:
        canvas.draw()
        size = canvas.get_width_height(physical=True)
        rgba = Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    finally:
        figure.set_dpi(dpi)
    image = rgba.convert("RGB")  # an opaque figure (white in the style) needs no mixing
    if rgba.getchannel("A").getextrema()[0] < 255:
        image = Image.alpha_composite(Image.new("RGBA", size, "white"), rgba).convert("RGB")
    image = image.quantize(colors, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def image_html(png: bytes, alt_text: str) -> str:
    """An ``<img>`` of ``png`` (data URI) with ``alt_text`` as ``alt``, never wider than the
    column; width and height reserve its space."""
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return (
        f'<img src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}" '
        f'alt="{html.escape(" ".join(alt_text.split()), quote=True)}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto">'
    )


def show(chart: Chart) -> None:
    """Display a chart: the picture with its alt text, then a visible "Chart description" line
    (HTML- and Markdown-escaped, ``$`` too). A pyplot figure is closed afterwards."""
    from IPython.display import Markdown, display

    from ..widgets._common import no_math_markdown
    from .readable import DISPLAY_WIDTH_PX

    figure = chart.figure
    html_img = image_html(figure_png(figure, DISPLAY_WIDTH_PX), chart.alt_text)
    display({"text/html": html_img, "text/plain": chart.alt_text}, raw=True)
    escaped = re.sub(r"([\\`*_\[\]{}#|~$])", r"\\\1", html.escape(chart.alt_text, quote=False))
    display(Markdown(no_math_markdown(f"**Chart description:** {escaped}")))
    if getattr(figure.canvas, "manager", None) is not None:
        import matplotlib.pyplot as plt

        plt.close(figure)


def show_figure(figure: Any, alt_text: str) -> None:
    """Display any matplotlib figure like a chart of the package (instead of ``plt.show()``)."""
    show(Chart(figure, alt_text))


def new_figure(size: str = "wide", height: float | None = None) -> Any:
    """A figure of a size of :data:`style.FIGSIZE` (``height`` in inches replaces its height),
    with an Agg canvas so text can be measured before it is shown."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, default_height = style.FIGSIZE[size]
    figure = Figure(figsize=(width, height or default_height), dpi=style.DPI)
    FigureCanvasAgg(figure)
    return figure


def is_missing(value: Any) -> bool:
    """True for None, NaN, NA, NaT and a blank string."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    if isinstance(value, (str, tuple, list, dict, set)):
        return False
    try:
        import pandas as pd

        return bool(pd.isna(value)) if pd.api.types.is_scalar(value) else False
    except (TypeError, ValueError):
        return False


def text(value: Any) -> str:
    """A cell as a clean string ('' when missing)."""
    return "" if is_missing(value) else str(value).strip()


def as_int(value: Any) -> int | None:
    return None if is_missing(value) else int(value)


def as_bool(value: Any) -> bool | None:
    """A boolean cell; 'true'/'false' strings too; None when missing."""
    if is_missing(value):
        return None
    return value.strip().lower() == "true" if isinstance(value, str) else bool(value)


def split_citation(item: Any) -> tuple[str, str]:
    """One citation of a ``sources`` cell, ``(id, locator)`` or ``"id: locator"``: two strings."""
    if isinstance(item, str):
        source_id, _, locator = item.partition(":")
    else:
        source_id, locator = (tuple(item) + ("", ""))[:2]
    return text(source_id), text(locator)


def source_ids(sources: Any) -> list[str]:
    """The distinct source ids of a ``sources`` cell (typed tuple of pairs, or ``"a: p 1; b"``)."""
    if is_missing(sources):
        return []
    items = sources.split(";") if isinstance(sources, str) else sources
    return list(dict.fromkeys(sid for sid, _ in map(split_citation, items) if sid))


def year_range(start: Any, end: Any) -> str:
    """'1979–1991'; '1991' when both are the same; '2022–today' when ``end`` is missing."""
    if is_missing(end):
        return f"{text(start)}–today"
    return text(start) if text(start) == text(end) else f"{text(start)}–{text(end)}"


def categories_of(column: Any) -> list[str]:
    """The categories of a column in schema order (Categorical) or first-seen order."""
    cats = getattr(column.dtype, "categories", None)
    if cats is not None:
        return [str(c) for c in cats]
    return list(dict.fromkeys(name for name in map(text, column) if name))


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 event', '3 events'."""
    return f"{n} {singular if n == 1 else (plural_form or singular + 's')}"


def join_words(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


def wrap(label: str, width: int, max_lines: int | None = None) -> str:
    """Wrap on word boundaries at ``width`` characters; cut with '…' after ``max_lines``."""
    clean = " ".join(label.split())
    lines = textwrap.wrap(clean, width, break_long_words=False, break_on_hyphens=False) or [""]
    if max_lines is not None and len(lines) > max_lines:
        last = lines[max_lines - 1][: max(width - 1, 1)].rstrip(" ,;:–-")
        lines = lines[: max_lines - 1] + [last + "…"]
    return "\n".join(lines)


@functools.lru_cache(maxsize=8)
def _font(size: float, dpi: float, weight: str) -> tuple[Any, float, dict[str, float]]:
    """The chart font at a size, the width of "M" (for missing glyphs) and a cache of advances."""
    from matplotlib import font_manager

    props = font_manager.FontProperties(family=[style.FONT], size=size, weight=weight)
    font = font_manager.get_font(font_manager.findfont(props))
    font.set_size(size, dpi)
    font.load_char(ord("M"))
    return font, font.get_width_height()[0] / 64.0, {}


@functools.lru_cache(maxsize=8192)
def text_width_px(label: str, size: float, dpi: float = 100.0, weight: str = "normal") -> float:
    """Width in pixels of a one-line label: the sum of its characters' advances (cached); like
    matplotlib's layout without kerning, which only narrows DejaVu Sans."""
    font, fallback, cache = _font(float(size), float(dpi), weight)
    total = 0.0
    for char in label:
        if char not in cache:
            font.set_size(size, dpi)  # the renderer shares this font and sets its own size
            try:
                width = font.load_char(ord(char)).linearHoriAdvance / 65536.0
            except (RuntimeError, ValueError):
                width = fallback
            cache[char] = width if width > 0 or char.isspace() else fallback
        total += cache[char]
    return total


def points_to_px(points: float, dpi: float = style.DPI) -> float:
    return points * dpi / 72.0


def fit_lines(value: str, room_px: float, size: float, max_lines: int | None, weight="normal"):
    """The widest word wrapping of ``value`` whose lines fit ``room_px`` (cut with '…' after
    ``max_lines`` lines)."""
    one_line = " ".join(value.split())
    for width in range(len(one_line), 9, -1):
        wrapped = wrap(one_line, width, max_lines=max_lines)
        if all(text_width_px(line, size, weight=weight) <= room_px for line in wrapped.split("\n")):
            return wrapped
    return wrap(one_line, 10, max_lines=max_lines)


def set_title(figure: Any, title: str, y: float = 0.975) -> Any:
    """The title at the top left in two lines at most, never cut: while they would not hold it,
    its font shrinks a point at a time, down to two points above the base font."""
    wanted, size = " ".join(title.split()), style.TITLE_FONT_SIZE
    lines = fit_lines(title, text_room(figure), size, 2, weight="bold")
    while " ".join(lines.split()) != wanted and size > style.BASE_FONT_SIZE + 2:
        size -= 1
        lines = fit_lines(title, text_room(figure), size, 2, weight="bold")
    return _corner_text(figure, y, lines, size, "top", fontweight="bold", gid="title")


def add_footnote(figure: Any, note: str, y: float = 0.015) -> Any:
    """A footnote at the bottom left, wrapped to the figure's width."""
    size = style.SMALL_FONT_SIZE
    lines = fit_lines(note, text_room(figure), size, 3)
    return _corner_text(figure, y, lines, size, "bottom", color="#404040", gid="footnote")


def text_room(figure: Any) -> float:
    return figure.get_figwidth() * figure.dpi * 0.955


def _corner_text(figure: Any, y: float, value: str, size: float, va: str, **options: Any) -> Any:
    options.setdefault("color", style.TEXT_COLOR)
    return figure.text(0.02, y, value, ha="left", va=va, fontsize=size, **options)


def draw_message(ax: Any, message: str) -> None:
    """A message in the middle of empty axes (an empty selection)."""
    ax.set_axis_off()
    size, color = style.TITLE_FONT_SIZE, style.TEXT_COLOR
    where = dict(transform=ax.transAxes, ha="center", va="center")
    ax.text(0.5, 0.5, message, **where, fontsize=size, color=color, gid="message")
