"""Reveal: a model answer that stays hidden until a student asks for it.

The solution (Markdown written by the notebook's authors) appears in the widget's Output
only while its toggle button is pressed. The static view (what a notebook shows without a
kernel: GitHub, print) says that a solution exists and how to see it, but never shows it.
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


class Reveal(_common.LiveView):
    """A toggle button that shows or hides a Markdown solution.

    ``markdown_text`` is the solution (authored in the notebook, rendered as Markdown);
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
            _common.set_outputs(self.output, [_common.markdown_bundle(self.markdown)])
        else:
            self.button.description = self.label
            self.button.icon = "eye"
            _common.set_outputs(self.output, [])
        self._live_changed()

    def static_bundles(self) -> list[dict[str, str]]:
        """Only the note that a solution exists; never the solution itself."""
        return [_common.html_bundle(hidden_note_html(self.label))]
