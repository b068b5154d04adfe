"""What the widgets share: escaping, output bundles, the widgets' CSS and ARIA front end, and
:class:`LiveView` (a static view first, for readers without a kernel, then the live controls).
Nothing here imports pandas, matplotlib or ipywidgets at import."""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from cambodia_russia.charts.base import is_missing, split_citation

#: CSS class of every widget box; base font size, readable on a projector.
CSS_CLASS = "cambodia-russia-widget"
FONT_SIZE = "17px"
#: A live widget shown after N (1-4) static outputs carries ``cr-after-static-N``: its CSS
#: (``:has()``) hides those outputs, so each widget is on screen once.
AFTER_STATIC = "cr-after-static-"
#: A live Output that never shrinks while the page is open (see :data:`_ARIA_ESM`).
STEADY_CLASS = "cr-steady"
#: Focus ring colour: 17:1 against white, above 12:1 against a grey button.
FOCUS_COLOR = "#1A1A1A"
#: A question's text; the RadioButtons (``CHOICE_CLASS``) after it answer it; a region a
#: screen reader announces when it changes (``LIVE_CLASS``).
QUESTION_CLASS = "cr-question"
CHOICE_CLASS = "cr-choice"
LIVE_CLASS = "cr-live"
#: Classes that keep MathJax away from an HTML output (data text speaks of "$200 million").
NO_MATH_CLASSES = "mathjax_ignore tex2jax_ignore"
#: Long words and URLs wrap instead of making an output scroll sideways.
WRAP_STYLE = "overflow-wrap:anywhere"
#: Links are underlined: told from the text by more than colour.
LINK_STYLE = "text-decoration:underline"

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


def text_or_empty(value: Any) -> str:
    """``str(value)``, with missing values as ``""`` (no escaping)."""
    return "" if is_missing(value) else str(value)


def esc(value: Any) -> str:
    """``value`` as text safe inside HTML; missing values give ``""``. The one escape."""
    return html.escape(text_or_empty(value))


def fold(text: str) -> str:
    """Text folded for case-, accent- and dash-insensitive search."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
    text = re.sub(r"[^\x00-\x7f]", lambda m: "" if unicodedata.combining(m[0]) else m[0], text)
    return re.sub("[\u2010-\u2015]", "-", text).casefold()


def source_names(sources) -> dict[str, str]:
    """Map source id → short name, from the typed ``sources`` table."""
    return {
        str(sid): text_or_empty(name) or str(sid)
        for sid, name in zip(sources["id"], sources["short_name"], strict=True)
    }


def citation_text(citations: Iterable, names: Mapping[str, str]) -> str:
    """Plain text of a ``sources`` cell (``(id, locator)`` pairs): ``Mosyakov (2021), para 4;
    Kin Phea (2021)``. Unknown ids are shown as they are."""
    parts = []
    for item in citations or ():
        source_id, locator = split_citation(item)
        name = names.get(source_id, source_id)
        parts.append(f"{name}, {locator}" if locator else name)
    return "; ".join(parts)


def citation_html(citations: Iterable, names: Mapping[str, str]) -> str:
    """Escaped :func:`citation_text`."""
    return esc(citation_text(citations, names))


def output_html(markup: str) -> str:
    """``markup`` in the wrapper of every HTML output of the package (no maths, long words wrap)."""
    return f'<div class="cr-output {NO_MATH_CLASSES}" style="{WRAP_STYLE}">{markup}</div>'


def html_bundle(markup: str, plain: str = "") -> dict[str, str]:
    """An output bundle showing HTML, with a plain-text fallback."""
    return {"text/html": output_html(markup), "text/plain": plain or _plain_from_html(markup)}


def _plain_from_html(markup: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", "", markup, flags=re.S | re.I)
    text = re.sub(r"<br\s*/?>|</(p|li|h\d|tr|div|dt|dd|blockquote)>", "\n", text, flags=re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


_MARKDOWN_DOLLAR = re.compile(r"(`+).*?\1|\\.|\$", re.S)


def escape_dollars(markdown: str) -> str:
    """Every ``$`` of ``markdown`` as ``\\$`` (code spans and ``\\$`` left alone), so no
    renderer reads "$200 million ... $20 million" as a formula."""
    return _MARKDOWN_DOLLAR.sub(lambda m: "\\$" if m.group(0) == "$" else m.group(0), markdown)


def no_math_markdown(markdown: str) -> str:
    """``markdown`` with ``$`` escaped, in a block MathJax leaves alone (the blank lines keep
    the inside Markdown)."""
    return f'<div class="{NO_MATH_CLASSES}">\n\n{escape_dollars(markdown)}\n\n</div>'


def png_bundle(png: bytes, alt_text: str) -> dict[str, str]:
    """An output bundle showing a PNG as an ``<img>`` with ``alt_text`` (a bare ``image/png``
    output has no alt in JupyterLab)."""
    from cambodia_russia.charts.base import image_html

    return {"text/html": image_html(png, alt_text), "text/plain": alt_text}


def set_outputs(output, bundles: Iterable[Mapping[str, str]]) -> None:
    """Replace everything an ``ipywidgets.Output`` shows by ``bundles``, in one step."""
    output.outputs = tuple(
        {"output_type": "display_data", "data": dict(bundle), "metadata": {}} for bundle in bundles
    )


def rows_where(frame, column: str, value):
    """The rows of ``frame`` whose ``column`` reads ``value`` (compared as text)."""
    return frame[frame[column].astype(str) == str(value)]


def row_by_id(frame, row_id, what: str):
    """The row whose ``id`` is ``row_id``; ``KeyError`` ("unknown topic 'x'") if none."""
    match = rows_where(frame, "id", row_id)
    if match.empty:
        raise KeyError(f"unknown {what} {row_id!r}")
    return match.iloc[0]


#: The front end of :func:`aria_widget` (an anywidget module; ipywidgets 8 cannot set ARIA):
#: names radio groups by their question (one Tab stop, arrows choose), keeps the arrow keys
#: from JupyterLab in radios and dropdowns, marks live regions, keeps steady Outputs steady.
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

// An Output never shrinks until the page width changes: the text below it stays put.
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
    "choice": CHOICE_CLASS,
    "question": QUESTION_CLASS,
    "live": LIVE_CLASS,
    "widget": CSS_CLASS,
    "steady": STEADY_CLASS,
}

_SHARED: dict[tuple, Any] = {}  # see shared()


def shared(cls, **traits):
    """One model per kernel of ``cls`` with these ``traits`` (a Layout, a style, an invisible
    helper), shared by every widget that uses it: a kernel sends far fewer models."""
    key = (cls, *sorted(traits.items()))
    model = _SHARED.get(key)
    if model is None or model.comm is None:  # none yet, or closed
        model = _SHARED[key] = cls(**traits)
    return model


@functools.cache
def _aria_class():
    import anywidget

    return type("AriaSemantics", (anywidget.AnyWidget,), {"_esm": _ARIA_ESM})


def aria_widget():
    """The invisible widget that runs :data:`_ARIA_ESM` on the widget it sits in. One model per
    kernel: fifteen modules loading at once on a busy hub could pass anywidget's 2 s limit."""
    import ipywidgets

    return shared(_aria_class(), layout=shared(ipywidgets.Layout, height="0px", margin="0px"))


def style_widget():
    """A tiny invisible box with the widgets' CSS (larger fonts, a visible focus ring) and
    :func:`aria_widget`; one model per kernel, shown in each widget's view."""
    import ipywidgets

    hidden = shared(ipywidgets.Layout, height="0px", margin="0px")
    css = shared(ipywidgets.HTML, value=_STYLE_CSS, layout=hidden)
    return shared(ipywidgets.Box, children=(css, aria_widget()), layout=hidden)


def make(cls, layout=None, style=None, **traits):
    """``cls(**traits)``, an ipywidget whose Layout (traits ``layout``) and style (traits
    ``style``) are :func:`shared`."""
    import ipywidgets

    parts = {"layout": shared(ipywidgets.Layout, **(layout or {}))}
    if "style" in cls.class_traits():
        parts["style"] = shared(cls.class_traits()["style"].klass, **(style or {}))
    return cls(**parts, **traits)


def keys_line(w, text: str):
    """An HTML widget saying which keys work (JupyterLab takes the arrows to move between cells)."""
    return make(
        w.HTML, value=f'<p class="cr-keys" style="margin:0.2em 0">Keyboard: {esc(text)}</p>'
    )


def widget_box(w, *children):
    """The widget's VBox: the style widget, then ``children``, with :data:`CSS_CLASS`."""
    box = make(w.VBox, children=[style_widget(), *children])
    box.add_class(CSS_CLASS)
    return box


class LiveView:
    """Base of the widgets: a static view of the state first, then the live controls.

    A subclass sets ``self.box`` (controls, then ``self.output``) and ``self.html`` or its own
    :meth:`static_bundles`, and shows a change with :meth:`_update`. ``live_note``: what a
    reader without a kernel sees for the controls; ``steady``: the Output never shrinks;
    ``fills_output``: False when the live Output starts as it is (empty, or a score line).
    """

    box: Any
    live_note = "Interactive controls: run the notebook to use them."
    steady = True
    fills_output = True

    def static_bundles(self) -> list[dict[str, str]]:
        """The static view (output bundles) of the widget's current state."""
        return [html_bundle(self.html)]

    def live_bundles(self) -> list[dict[str, str]]:
        """What the live Output shows when displayed (if :attr:`fills_output`)."""
        return self.static_bundles()

    def _update(self, bundles: list[dict[str, str]]) -> None:
        """Put ``bundles`` in the live Output after a change of a control."""
        set_outputs(self.output, bundles)
        self._live_changed()

    def display(self) -> None:
        """Show the static view of the current state, then the live controls."""
        from IPython import display as ipd

        handles = self.__dict__.setdefault("_static_handles", [])
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
        if output is not None and self.fills_output:
            set_outputs(output, self.live_bundles())
        if output is not None and self.steady:
            output.add_class(STEADY_CLASS)
        # ipywidgets' own bundle, with the note (not the widget's repr) as plain text.
        view = {"version_major": 2, "version_minor": 0, "model_id": self.box.model_id}
        bundle = {"text/plain": self.live_note, "application/vnd.jupyter.widget-view+json": view}
        ipd.display(bundle, raw=True)

    def _ipython_display_(self) -> None:
        self.display()

    def _live_changed(self) -> None:
        """Blank the static view once the live controls take over (front ends without ``:has()``)."""
        handles = self.__dict__.get("_static_handles") or []
        for handle in handles:
            handle.update({"text/plain": ""}, raw=True)
        handles.clear()
