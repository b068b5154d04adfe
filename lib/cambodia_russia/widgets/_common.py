"""Helpers shared by the widgets: escaping, figure → PNG/SVG, output bundles, display.

Every widget in this package follows one pattern:

* the work is done by pure functions (they return DataFrames, figures or HTML strings);
* the widget class owns its controls and ONE ``ipywidgets.Output`` and keeps the state a
  test needs as attributes;
* displaying the widget first shows a *static* view of its current (normally default)
  state as ordinary outputs (a PNG chart and/or HTML, each with a readable plain-text
  part), then the live controls, whose Output already shows the same state. A notebook
  read without a kernel (GitHub, nbviewer, print) is therefore never blank. Where the live
  widget renders, its CSS hides the static view before it (:data:`AFTER_STATIC`), so each
  widget is on screen once; the first change of a control
  also blanks the static view (through its display handle) for front ends without CSS
  ``:has()``.

The live Output is filled by assigning complete output bundles to its ``outputs`` trait.
That works the same with or without a kernel (``with output:`` captures nothing in a plain
Python process), replaces the old content in one step (no flicker) and lets tests read
exactly what a student would see. Live charts are SVG with text as text (fast to
redraw, sharp when projected); static charts are PNG (shown everywhere).

Nothing here imports pandas, matplotlib or ipywidgets at module level.
"""

from __future__ import annotations

import abc
import base64
import html
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

#: CSS class added to every widget box (for the larger, projector-friendly fonts).
CSS_CLASS = "cambodia-russia-widget"

#: Base font size of the widgets' HTML, readable on a classroom projector.
FONT_SIZE = "17px"

#: Class prefix of a live widget shown after N (1 to 4) static outputs: ``cr-after-static-2``.
#: The widget's CSS hides those N outputs before it in the cell (CSS ``:has()``), so each
#: widget is on screen once where it renders, and the static view stays for readers
#: without a kernel.
AFTER_STATIC = "cr-after-static-"

#: Class of a live Output whose height never shrinks while the page is open (set by
#: :data:`_ARIA_ESM`): a shorter card does not pull the text below it up and down.
STEADY_CLASS = "cr-steady"

#: Colour of the focus ring: near-black, 17:1 against the white page and above 12:1
#: against the grey of a button (WCAG asks for 3:1). ipywidgets' own ring is a faint blue
#: 1px line (about 2.2:1).
FOCUS_COLOR = "#1A1A1A"

#: Above this many plotted items, an SVG keeps its text as text but draws the markers
#: and boxes as one embedded bitmap (thousands of vector markers are slow to write and
#: to show).
SVG_RASTERIZE_ABOVE = 300

_STYLE_CSS = f"""<style>
.{CSS_CLASS} {{ font-size: {FONT_SIZE}; }}
.{CSS_CLASS} .widget-label, .{CSS_CLASS} .widget-label-basic,
.{CSS_CLASS} select, .{CSS_CLASS} input, .{CSS_CLASS} button,
.{CSS_CLASS} .widget-radio-box label {{ font-size: {FONT_SIZE}; }}
.{CSS_CLASS} select, .{CSS_CLASS} input {{ height: auto; min-height: 2em; }}
.{CSS_CLASS} .widget-radio-box label {{
  height: auto; line-height: 1.45; display: flex; align-items: flex-start; padding: 0.2em 0;
}}
.{CSS_CLASS} .widget-radio-box input {{
  height: 1.45em; min-height: 0; margin-top: 0; float: none; flex: 0 0 auto; order: -1;
}}
.{CSS_CLASS} .jp-RenderedMarkdown, .{CSS_CLASS} .jp-RenderedHTMLCommon,
.{CSS_CLASS} .rendered_html {{ font-size: {FONT_SIZE}; }}
.{CSS_CLASS} button:focus-visible, .{CSS_CLASS} select:focus-visible,
.{CSS_CLASS} input:focus-visible, .{CSS_CLASS} .jupyter-button:focus:enabled,
.{CSS_CLASS} .widget-dropdown select:focus, .{CSS_CLASS} .widget-radio-box input:focus {{
  outline: 3px solid {FOCUS_COLOR} !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 2px #ffffff !important;
}}
.{CSS_CLASS} .cr-keys {{ font-size: 0.9em; color: #404040; margin: 0.2em 0; }}
{{hide_static}} {{ display: none; }}
</style>""".replace(
    "{hide_static}",
    ",\n".join(
        ".jp-OutputArea-child:has(" + "+ .jp-OutputArea-child " * k + f".{AFTER_STATIC}{n})"
        for n in range(1, 5)
        for k in range(1, n + 1)
    ),
)


def esc(value: Any) -> str:
    """Return ``value`` as text that is safe inside HTML (``<script>`` shows as text).

    ``None`` and missing values (pandas ``NA``, ``NaN``) become an empty string.
    """
    if not isinstance(value, str) and is_missing(value):
        return ""
    return html.escape(str(value), quote=True)


def is_missing(value: Any) -> bool:
    """True for ``None``, pandas ``NA``/``NaT``, ``NaN`` and empty strings."""
    if value is None:
        return True
    if type(value).__name__ in {"NAType", "NaTType"}:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def text_or_empty(value: Any) -> str:
    """Return ``str(value)`` with missing values as ``""`` (no escaping)."""
    return "" if is_missing(value) else str(value)


def fold(text: str) -> str:
    """Fold text for case- and accent-insensitive search ("Sihanouk" ~ "SIHANOUK")."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("\u2019", "'").replace("\u2018", "'")
    stripped = re.sub("[\u2010-\u2015]", "-", stripped)
    return stripped.casefold()


def year_range_label(start: Any, end: Any) -> str:
    """``1955–1970``; an open end reads ``2022–today``; equal years read ``1991``."""
    start_text = text_or_empty(start)
    if is_missing(end):
        return f"{start_text}\u2013today"
    if str(end) == start_text:
        return start_text
    return f"{start_text}\u2013{end}"


# --- sources -----------------------------------------------------------------------


def source_names(sources) -> dict[str, str]:
    """Map source id → short name, from the typed ``sources`` table."""
    return {
        str(sid): text_or_empty(name) or str(sid)
        for sid, name in zip(sources["id"], sources["short_name"], strict=True)
    }


def citation_text(citations: Iterable, names: Mapping[str, str]) -> str:
    """Plain text of a ``sources`` cell: ``Mosyakov (2021), para 4; Kin Phea (2021)``.

    ``citations`` is the typed column value: a tuple of ``(source_id, locator)`` pairs.
    Unknown ids are shown as they are (the schema check reports them).
    """
    parts = []
    for item in citations or ():
        source_id, locator = _split_citation(item)
        name = names.get(source_id, source_id)
        parts.append(f"{name}, {locator}" if locator else name)
    return "; ".join(parts)


def citation_html(citations: Iterable, names: Mapping[str, str]) -> str:
    """Escaped HTML version of :func:`citation_text`."""
    return esc(citation_text(citations, names))


def _split_citation(item) -> tuple[str, str]:
    if isinstance(item, str):
        source_id, _, locator = item.partition(":")
        return source_id.strip(), locator.strip()
    source_id, locator = item
    return str(source_id), text_or_empty(locator).strip()


# --- figures and output bundles ----------------------------------------------------


def figure_png(figure, dpi: float | None = None) -> bytes:
    """Render a matplotlib figure to PNG bytes at its own resolution (or ``dpi``).

    No version or date metadata: the same figure gives the same bytes on every run.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi or figure.dpi, metadata={"Software": None})
    return buffer.getvalue()


def figure_svg(figure, items: int = 0) -> str:
    """Render a matplotlib figure to SVG text, for the live views.

    Text stays text (``svg.fonttype: none``): the browser draws the letters, which is
    several times faster than rasterising them with Agg, and stays sharp on a projector.
    The ids are salted and the date left out, so the same figure gives the same SVG.
    With more than :data:`SVG_RASTERIZE_ABOVE` ``items``, collections (boxes, markers) and
    lines with many points are embedded as a bitmap (the labels stay text).

    Measuring text is most of the cost of writing an SVG, and matplotlib measures every
    label again for every new figure. The widgets redraw the same labels (titles, period
    names, ticks, legend) many times, so :func:`_svg_text` keeps the measurements between
    figures; if that ever fails, the ordinary ``savefig`` is used.
    """
    import matplotlib

    if items > SVG_RASTERIZE_ABOVE:
        for ax in figure.axes:
            for artist in ax.collections:
                artist.set_rasterized(True)
            for line in ax.lines:
                if len(line.get_xdata()) > 50:
                    line.set_rasterized(True)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "cambodia_russia"}):
        try:
            return _svg_text(figure)
        except Exception:  # a matplotlib without the internals used there
            buffer = io.BytesIO()
            figure.savefig(buffer, format="svg", metadata={"Date": None})
            return buffer.getvalue().decode("utf-8")


#: Text measurements kept between SVG renderings: (text, font, math, dpi) → size.
_TEXT_METRICS: dict = {}
_TEXT_METRICS_MAX = 20_000
_RENDERER_CLASS = None


def _svg_text(figure) -> str:
    """``figure.savefig(format="svg")`` with text measurements kept between calls.

    Does what matplotlib's ``FigureCanvasSVG.print_svg`` does, with a renderer whose
    ``get_text_width_height_descent`` remembers its results (the result depends only on
    the text, the font properties and the resolution).
    """
    from matplotlib.backends.backend_mixed import MixedModeRenderer

    global _RENDERER_CLASS
    if _RENDERER_CLASS is None:
        from matplotlib.backends.backend_svg import RendererSVG

        class _MeasuringOnceRendererSVG(RendererSVG):
            def get_text_width_height_descent(self, s, prop, ismath):
                # Plain strings and numbers only: a cache of such tuples costs the
                # garbage collector nothing (font objects in the keys would).
                key = (
                    s,
                    ismath,
                    self.points_to_pixels(72),
                    tuple(prop.get_family()),
                    prop.get_style(),
                    prop.get_variant(),
                    prop.get_weight(),
                    prop.get_stretch(),
                    prop.get_size_in_points(),
                    prop.get_file(),
                    prop.get_math_fontfamily(),
                )
                size = _TEXT_METRICS.get(key)
                if size is None:
                    if len(_TEXT_METRICS) >= _TEXT_METRICS_MAX:
                        _TEXT_METRICS.clear()
                    size = _TEXT_METRICS[key] = super().get_text_width_height_descent(s, prop, ismath)
                return size

        _RENDERER_CLASS = _MeasuringOnceRendererSVG

    buffer = io.StringIO()
    dpi = figure.dpi
    width, height = figure.get_size_inches()
    try:
        figure.dpi = 72
        renderer = MixedModeRenderer(
            figure,
            width,
            height,
            dpi,
            _RENDERER_CLASS(width * 72, height * 72, buffer, image_dpi=dpi, metadata={"Date": None}),
        )
        figure.draw(renderer)
        renderer.finalize()
    finally:
        figure.dpi = dpi
    return buffer.getvalue()


def close_figure(figure) -> None:
    """Release a figure from pyplot's registry (a no-op for figures pyplot never saw).

    Closed figures keep their artists, so tests can still read what was plotted; closing
    stops the inline backend from showing them a second time at the end of a cell and
    stops long sessions from piling up figures.
    """
    if figure is None:
        return
    import sys

    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(figure)


#: Classes that keep MathJax (JupyterLab: ``mathjax_ignore``; classic Notebook and
#: nbviewer: ``tex2jax_ignore``) away from an HTML output: JupyterLab typesets ``$...$``
#: in HTML outputs as mathematics, and data text speaks of "$200 million".
NO_MATH_CLASSES = "mathjax_ignore tex2jax_ignore"

#: Style of every HTML output of the package: long words and URLs wrap instead of making
#: the output scroll sideways (a scrolling region a keyboard cannot reach).
WRAP_STYLE = "overflow-wrap:anywhere"

#: Inline style of every link the package writes: underlined, so a link is told from the
#: text around it by more than its colour (JupyterLab only underlines on hover).
LINK_STYLE = "text-decoration:underline"


def output_html(markup: str) -> str:
    """``markup`` in the wrapper every HTML output of the package gets.

    The wrapper keeps MathJax out (:data:`NO_MATH_CLASSES`) and wraps long words
    (:data:`WRAP_STYLE`).
    """
    return f'<div class="cr-output {NO_MATH_CLASSES}" style="{WRAP_STYLE}">{markup}</div>'


def html_bundle(markup: str, plain: str = "") -> dict[str, str]:
    """An output bundle showing HTML (with a plain-text fallback), see :func:`output_html`."""
    return {"text/html": output_html(markup), "text/plain": plain or _plain_from_html(markup)}


_MARKDOWN_DOLLAR = re.compile(r"(`+).*?\1|\\.|\$", re.S)


def escape_dollars(markdown: str) -> str:
    """Escape every ``$`` of ``markdown`` as ``\\$`` (code spans and ``\\$`` are left alone).

    Markdown renderers that know maths (JupyterLab, GitHub, nbconvert) read ``$...$`` as
    a formula: "more than $200 million ... nearly $20 million" would become an italic
    formula with its spaces lost. The escape keeps the text out of their maths parsing;
    JupyterLab 4 still hands the rendered ``$`` pair to MathJax, hence
    :func:`no_math_markdown`.
    """
    return _MARKDOWN_DOLLAR.sub(lambda m: "\\$" if m.group(0) == "$" else m.group(0), markdown)


def no_math_markdown(markdown: str) -> str:
    """``markdown`` with its ``$`` escaped, inside a block MathJax leaves alone.

    Every Markdown the package writes goes through this. The ``<div>`` carries
    :data:`NO_MATH_CLASSES`; the blank lines around the text keep it Markdown (CommonMark
    ends an HTML block at a blank line), so lists, emphasis and links still render.
    """
    return f'<div class="{NO_MATH_CLASSES}">\n\n{escape_dollars(markdown)}\n\n</div>'


def markdown_bundle(markdown: str) -> dict[str, str]:
    """An output bundle showing Markdown (Jupyter renders it; the text is the fallback).

    The Markdown shown goes through :func:`no_math_markdown`: the collection writes no maths.
    """
    return {"text/markdown": no_math_markdown(markdown), "text/plain": markdown}


def png_bundle(png: bytes, alt_text: str) -> dict[str, str]:
    """An output bundle showing a PNG image with ``alt_text`` as its ``alt``.

    Sent as an HTML ``<img>`` (:func:`cambodia_russia.charts.base.image_html`), because
    JupyterLab shows a bare ``image/png`` output without any ``alt``; the plain-text
    fallback is the alt text.
    """
    from cambodia_russia.charts.base import image_html

    return {"text/html": image_html(png, alt_text), "text/plain": alt_text}


def svg_bundle(svg: str, alt_text: str) -> dict[str, str]:
    """An output bundle showing an SVG image as wide as the notebook (never wider).

    The SVG is sent as an HTML ``<img>`` (data URI) with the alt text: JupyterLab shows a
    bare ``image/svg+xml`` output at its natural size, wider than the notebook column.
    """
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    markup = (
        f'<img src="data:image/svg+xml;base64,{data}" alt="{esc(alt_text)}" '
        'style="width:100%;max-width:100%;height:auto">'
    )
    return {"text/html": markup, "text/plain": alt_text}


def set_outputs(output, bundles: Iterable[Mapping[str, str]]) -> None:
    """Replace everything an ``ipywidgets.Output`` shows by ``bundles``, in one step."""
    output.outputs = tuple(
        {"output_type": "display_data", "data": dict(bundle), "metadata": {}}
        for bundle in bundles
    )


def alt_text_html(alt_text: str) -> str:
    """The chart description line shown under every chart."""
    return f'<p style="font-size:{FONT_SIZE}"><strong>Chart description:</strong> {esc(alt_text)}</p>'


def _plain_from_html(markup: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", "", markup, flags=re.S | re.I)
    text = re.sub(r"<br\s*/?>|</(p|li|h\d|tr|div|dt|dd|blockquote)>", "\n", text, flags=re.I)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


# --- static first view, then live controls -----------------------------------------


#: Class of the question text a radio group (class :data:`CHOICE_CLASS`) is named by.
QUESTION_CLASS = "cr-question"
#: Class of a RadioButtons widget that answers the :data:`QUESTION_CLASS` before it.
CHOICE_CLASS = "cr-choice"
#: Class of a widget whose changes a screen reader announces (``aria-live="polite"``).
LIVE_CLASS = "cr-live"

#: The front end of :func:`aria_widget` (an anywidget ES module, no build step). ipywidgets
#: 8 cannot set ARIA attributes, so this adds them to the widget it sits in, and again
#: whenever the widget's content changes:
#: * each ``.cr-choice`` radio group gets ``role="radiogroup"``, ``aria-labelledby`` its
#:   question and one shared ``name`` (one Tab stop; the arrow keys move between the
#:   options), and keeps the arrow keys from JupyterLab (``data-lm-suppress-shortcuts``:
#:   otherwise they move to the next cell);
#: * dropdowns keep the arrow keys too (JupyterLab would move to the next cell);
#: * each ``.cr-live`` element becomes a polite live region.
_ARIA_ESM = """
let counter = 0;
const uid = (prefix) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

function patch(root) {
  for (const choice of root.querySelectorAll('.%(choice)s')) {
    const box = choice.querySelector('.widget-radio-box');
    if (!box) continue;
    const question = choice.parentElement && choice.parentElement.querySelector(':scope > .%(question)s');
    if (question) {
      if (!question.id) question.id = uid('cr-question');
      box.setAttribute('aria-labelledby', question.id);
    }
    box.setAttribute('role', 'radiogroup');
    if (!box.dataset.crName) box.dataset.crName = uid('cr-choice');
    for (const input of box.querySelectorAll('input[type=radio]')) {
      if (input.name !== box.dataset.crName) input.name = box.dataset.crName;
      // On the focused element itself: Lumino checks it before walking up.
      input.setAttribute('data-lm-suppress-shortcuts', 'true');
    }
  }
  for (const select of root.querySelectorAll('select')) {
    select.setAttribute('data-lm-suppress-shortcuts', 'true');
  }
  for (const live of root.querySelectorAll('.%(live)s')) {
    if (live.getAttribute('aria-live') !== 'polite') live.setAttribute('aria-live', 'polite');
  }
  for (const out of root.querySelectorAll('.%(steady)s')) {
    if (out.crSteady) continue;
    out.crSteady = new ResizeObserver(() => steady(out));
    out.crSteady.observe(out);
  }
}

// An Output that never shrinks (until the page width changes): a shorter card or
// comparison does not pull the text below it up.
function steady(out) {
  const width = out.clientWidth;
  if (width !== out.crWidth) { out.crWidth = width; out.crMax = 0; out.style.minHeight = ''; }
  const height = out.getBoundingClientRect().height;
  if (height > (out.crMax || 0)) { out.crMax = height; out.style.minHeight = `${height}px`; }
}

export default {
  render({ el }) {
    let observer = null;
    const start = () => {
      const root = el.closest('.%(widget)s');
      if (!root) return false;
      patch(root);
      observer = new MutationObserver(() => patch(root));
      observer.observe(root, { childList: true, subtree: true });
      return true;
    };
    let tries = 0;
    const wait = () => { if (!start() && ++tries < 200) setTimeout(wait, 50); };
    wait();
    return () => observer && observer.disconnect();
  },
};
""" % {
    "choice": CHOICE_CLASS, "question": QUESTION_CLASS, "live": LIVE_CLASS, "widget": CSS_CLASS,
    "steady": STEADY_CLASS,
}

_ARIA_WIDGET = None


def aria_widget():
    """The invisible widget that gives the widget it sits in the ARIA semantics ipywidgets
    lacks (see :data:`_ARIA_ESM`): named radio groups and live regions.

    One model per kernel, shown once in every widget of the package (each view patches
    its own widget). anywidget gives a model 2 s to load its module before it logs an
    error; a single model keeps that far from the limit on a busy classroom server,
    where a notebook with fifteen widgets would otherwise load fifteen modules at once.
    """
    global _ARIA_WIDGET
    if _ARIA_WIDGET is None or _ARIA_WIDGET.comm is None:  # none yet, or closed
        import anywidget
        import ipywidgets

        class AriaSemantics(anywidget.AnyWidget):
            """Adds radio-group and live-region semantics to its enclosing widget."""

            _esm = _ARIA_ESM

        _ARIA_WIDGET = AriaSemantics(layout=ipywidgets.Layout(height="0px", margin="0px"))
    return _ARIA_WIDGET


def style_widget():
    """A tiny invisible box with the widgets' CSS and their ARIA semantics.

    The CSS gives larger fonts and a clearly visible focus ring (3px, :data:`FOCUS_COLOR`,
    with a white gap so it shows on any button); :func:`aria_widget` adds what ipywidgets
    cannot set from Python.
    """
    import ipywidgets

    css = ipywidgets.HTML(_STYLE_CSS, layout=ipywidgets.Layout(height="0px", margin="0px"))
    return ipywidgets.Box([css, aria_widget()], layout=ipywidgets.Layout(height="0px", margin="0px"))


class LiveView(abc.ABC):
    """Base of the widgets: static first view, then the live controls.

    A subclass sets ``self.box`` (the controls, then ``self.output``, an ``ipywidgets.Box``),
    implements :meth:`static_bundles` (the current state as output bundles) and calls
    :meth:`_live_changed` whenever a control changes what the Output shows.
    ``live_note`` is the text a reader without a kernel sees in place of the controls.
    ``steady`` (default True): the Output never shrinks while the page is open.
    """

    box: Any
    live_note = "Interactive controls: run the notebook to use them."
    steady = True
    _static_handles: list

    @abc.abstractmethod
    def static_bundles(self) -> list[dict[str, str]]:
        """The static view (output bundles) of the widget's current state."""

    def live_bundles(self) -> list[dict[str, str]] | None:
        """What the live Output shows when displayed (``None``: leave it as it is)."""
        return self.static_bundles()

    def display(self) -> None:
        """Show the static view of the current state, then the live controls.

        Both are sent as raw output bundles whose plain-text part reads well on its own
        (the chart's description, the text of the HTML, a note about the controls). The
        static HTML sits in a :data:`STATIC_CLASS` block (hidden where the live widget
        renders); the live Output shows the same state, below its controls.
        """
        from IPython import display as ipd

        handles = getattr(self, "_static_handles", None)
        if handles is None:
            handles = self._static_handles = []
        static = self.static_bundles()
        for bundle in static:
            handle = ipd.display(bundle, raw=True, display_id=True)
            if handle is not None:
                handles.append(handle)
        for name in [c for c in self.box._dom_classes if c.startswith(AFTER_STATIC)]:
            self.box.remove_class(name)
        if 1 <= len(static) <= 4:
            self.box.add_class(f"{AFTER_STATIC}{len(static)}")
        output = getattr(self, "output", None)
        live = self.live_bundles()
        if output is not None and live is not None:
            set_outputs(output, live)
        if output is not None and self.steady:
            output.add_class(STEADY_CLASS)
        ipd.display(widget_bundle(self.box, self.live_note), raw=True)

    def _ipython_display_(self) -> None:
        self.display()

    def _live_changed(self) -> None:
        """Blank the static view once the live controls take over (kernel sessions only)."""
        handles = getattr(self, "_static_handles", None)
        if not handles:
            return
        for handle in handles:
            handle.update({"text/plain": ""}, raw=True)
        handles.clear()


def keys_html(text: str) -> str:
    """A short line telling keyboard users which keys work, shown next to the controls.

    JupyterLab takes the arrow keys for moving between cells (a dropdown opens with
    Alt+Down arrow), so each widget says on screen which keys to use.
    """
    return f'<p class="cr-keys" style="margin:0.2em 0">Keyboard: {esc(text)}</p>'


def widget_bundle(widget, note: str) -> dict[str, Any]:
    """The output bundle of a live widget, with ``note`` as its plain-text fallback.

    Same view data as ipywidgets' own; only the text differs (ipywidgets would put the
    widget's ``repr`` there, which is what GitHub shows of a widget).
    """
    return {
        "text/plain": note,
        "application/vnd.jupyter.widget-view+json": {
            "version_major": 2,
            "version_minor": 0,
            "model_id": widget.model_id,
        },
    }
