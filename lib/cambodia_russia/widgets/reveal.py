"""Reveal: a model answer hidden until a student asks for it.

The solution lives only in the kernel until the button is pressed (not in the cell's outputs
nor the stored widget state); it is untrusted Markdown, rendered by
:func:`cambodia_russia.safe_markdown.render`. ipywidgets cannot set ``aria-expanded``, so the
state is in the button's words, icon and tooltip.
"""

from __future__ import annotations

from cambodia_russia.widgets import _common
from cambodia_russia.widgets._common import FONT_SIZE, esc


def _noun(label: str) -> str:
    words = label.split(maxsplit=1)
    return (
        words[1]
        if len(words) == 2 and words[0].lower() in {"show", "reveal", "see"}
        else "solution"
    )


def hidden_note_html(label: str) -> str:
    """The static text shown in place of a hidden solution."""
    return (
        f'<p style="font-size:{FONT_SIZE}"><em>{esc(_noun(label).capitalize())} hidden '
        f"&mdash; run the notebook and click &lsquo;{esc(label)}&rsquo; to see it.</em></p>"
    )


def hide_label(label: str) -> str:
    """The button's text while the solution is shown: "Show solution" → "Hide solution"."""
    return "Hide " + label[5:] if label.lower().startswith("show ") else label


def description_text(label: str, shown: bool) -> str:
    """The button's accessible description (its tooltip) in either state."""
    if shown:
        return f"The {_noun(label)} is shown below. Press to hide it again."
    return f"The {_noun(label)} is hidden. Press to show it below this button."


class Reveal(_common.LiveView):
    """A toggle button that shows or hides a Markdown solution.

    For tests: ``button`` (ToggleButton), ``shown``, ``markdown``, ``output``.
    """

    live_note = "Solution button: run the notebook to show the solution."
    steady = False  # hiding the solution again gives its room back
    fills_output = False  # empty until the button is pressed

    def __init__(self, markdown_text: str, label: str = "Show solution"):
        import ipywidgets as w

        if not str(markdown_text).strip():
            raise ValueError("the solution text is empty")
        self.markdown, self.label = str(markdown_text), str(label)
        self.button = _common.make(
            w.ToggleButton,
            {"width": "auto", "min_width": "12em", "align_self": "flex-start"},
            {"font_size": FONT_SIZE},
            description=self.label,
            tooltip=description_text(self.label, shown=False),
            icon="eye",
        )
        self.output = _common.make(w.Output)
        self.box = _common.widget_box(w, self.button, self.output)
        self.button.observe(self._on_toggle, names="value")

    @property
    def shown(self) -> bool:
        """True while the solution is visible."""
        return bool(self.button.value)

    def _on_toggle(self, change) -> None:
        from cambodia_russia.safe_markdown import render

        shown, noun = bool(change["new"]), esc(_noun(self.label).capitalize())
        self.button.description = hide_label(self.label) if shown else self.label
        self.button.icon = "eye-slash" if shown else "eye"
        self.button.tooltip = description_text(self.label, shown=shown)
        bundles = []
        if shown:  # a region named for what it holds
            solution = (
                f'<div class="cr-solution" role="region" aria-label="{noun}" style="font-size:'
                f'{FONT_SIZE}"><p><strong>{noun}</strong></p>{render(self.markdown)}</div>'
            )
            bundles.append(_common.html_bundle(solution))
        self._update(bundles)

    def static_bundles(self) -> list[dict[str, str]]:
        """Only the note that a solution exists; never the solution itself."""
        return [_common.html_bundle(hidden_note_html(self.label))]
