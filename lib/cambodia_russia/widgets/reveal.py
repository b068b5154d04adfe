"""Reveal: a model answer that stays hidden until a student asks for it.

The solution (Markdown, usually read from the data) appears in the widget's Output only
while its toggle button is pressed. Before that it exists only in the kernel's memory: not
in the cell's outputs, not in the widget state a notebook stores (the Output is empty, the
button only says "Show solution"). The static view (what a notebook shows without a kernel:
GitHub, print) says that a solution exists and how to see it, but never shows it.

The Markdown is untrusted text (anyone can edit a CSV file): it is rendered to HTML by
:func:`cambodia_russia.safe_markdown.render` (no raw HTML, only http(s) and relative links),
never handed to Jupyter's own Markdown renderer.

Accessibility: ipywidgets 8 has no way to set ``aria-expanded`` on a button, so the state is
in the button's words ("Show solution" / "Hide solution") and its icon, and the button's
tooltip (its accessible description) says what pressing it does. The revealed answer starts
with a heading-like label, so a screen reader announces what appeared.
"""

from __future__ import annotations

from cambodia_russia.widgets import _common
from cambodia_russia.widgets._common import esc


def hidden_note_html(label: str) -> str:
    """The static text shown in place of a hidden solution."""
    noun = _noun(label)
    return (
        f'<p style="font-size:{_common.FONT_SIZE}"><em>{esc(noun.capitalize())} hidden '
        f"&mdash; run the notebook and click &lsquo;{esc(label)}&rsquo; to see it.</em></p>"
    )


def hide_label(label: str) -> str:
    """The button's text while the solution is shown: "Show solution" → "Hide solution"."""
    if label.lower().startswith("show "):
        return "Hide " + label[5:]
    return label


def _noun(label: str) -> str:
    words = label.split(maxsplit=1)
    if len(words) == 2 and words[0].lower() in {"show", "reveal", "see"}:
        return words[1]
    return "solution"


def description_text(label: str, shown: bool) -> str:
    """The button's accessible description (its tooltip) in either state."""
    noun = _noun(label)
    if shown:
        return f"The {noun} is shown below. Press to hide it again."
    return f"The {noun} is hidden. Press to show it below this button."


def solution_html(markdown_text: str, label: str) -> str:
    """The revealed content: a label naming what it is, then the Markdown as safe HTML."""
    from cambodia_russia.safe_markdown import render

    noun = _noun(label)
    return (
        f'<div class="cr-solution" role="region" aria-label="{esc(noun.capitalize())}" '
        f'style="font-size:{_common.FONT_SIZE}"><p><strong>{esc(noun.capitalize())}</strong></p>'
        f"{render(markdown_text)}</div>"
    )


class Reveal(_common.LiveView):
    """A toggle button that shows or hides a Markdown solution.

    ``markdown_text`` is the solution (Markdown, rendered safely: see the module docstring);
    ``label`` the button's text. Attributes for tests: ``button`` (the ToggleButton),
    ``shown`` (whether the solution is visible), ``markdown``, ``output``, ``box``.
    """

    live_note = "Solution button: run the notebook to show the solution."

    def __init__(self, markdown_text: str, label: str = "Show solution"):
        import ipywidgets as w

        if not str(markdown_text).strip():
            raise ValueError("the solution text is empty")
        self.markdown = str(markdown_text)
        self.label = str(label)
        self.button = w.ToggleButton(
            value=False,
            description=self.label,
            tooltip=description_text(self.label, shown=False),
            icon="eye",
            layout=w.Layout(width="auto", min_width="12em", align_self="flex-start"),
        )
        self.button.style.font_size = _common.FONT_SIZE
        self.output = w.Output()
        self.box = w.VBox([_common.style_widget(), self.button, self.output])
        self.box.add_class(_common.CSS_CLASS)
        self.button.observe(self._on_toggle, names="value")

    @property
    def shown(self) -> bool:
        """True while the solution is visible."""
        return bool(self.button.value)

    def _on_toggle(self, change) -> None:
        if change["new"]:
            self.button.description = hide_label(self.label)
            self.button.icon = "eye-slash"
            self.button.tooltip = description_text(self.label, shown=True)
            _common.set_outputs(
                self.output, [_common.html_bundle(solution_html(self.markdown, self.label))]
            )
        else:
            self.button.description = self.label
            self.button.icon = "eye"
            self.button.tooltip = description_text(self.label, shown=False)
            _common.set_outputs(self.output, [])
        self._live_changed()

    steady = False  # hiding the solution again gives its room back

    def live_bundles(self) -> None:
        """The Output stays empty until the button is pressed."""
        return None

    def static_bundles(self) -> list[dict[str, str]]:
        """Only the note that a solution exists; never the solution itself."""
        return [_common.html_bundle(hidden_note_html(self.label))]
