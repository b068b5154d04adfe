"""What the widget tests share: :func:`capture_display` (captures what a widget displays),
:func:`live_model_id` and :func:`with_event_changes`.

The widget tests load the one fixture dataset (``tests/fixture_data/``) with the real
loader: ``data_helpers.load_fixture`` (a test changes a table by passing new rows,
``load_fixture(tmp_path, events=[...])``).
"""

from __future__ import annotations

from typing import Any

from data_helpers import fixture_rows


def with_event_changes(event_id: str, **values: str) -> list[dict[str, str]]:
    """The fixture's event rows with some cells of one event changed (for
    ``load_fixture(events=...)``)."""
    rows = fixture_rows("events")
    for row in rows:
        if row["id"] == event_id:
            row.update(values)
    return rows


class FakeHandle:
    """Stands in for IPython's DisplayHandle: records the updates a widget sends."""

    def __init__(self, obj: Any):
        self.obj = obj
        self.updates: list[Any] = []

    def update(self, obj: Any, **kwargs: Any) -> None:
        self.updates.append(obj)


class Capture:
    """What a widget asked ``IPython.display.display`` to show, in order.

    ``objects``: the displayed objects; ``handles``: a :class:`FakeHandle` for each object
    displayed with a ``display_id`` (as in a kernel, where display returns a handle).
    """

    def __init__(self) -> None:
        self.objects: list[Any] = []
        self.handles: list[FakeHandle] = []

    def __call__(self, *objs: Any, **kwargs: Any):
        self.objects.extend(objs)
        if kwargs.get("display_id"):
            handle = FakeHandle(objs[0] if objs else None)
            self.handles.append(handle)
            return handle
        return None


def live_model_id(obj: Any) -> str | None:
    """The widget model id of a displayed live-widget bundle (None for anything else)."""
    if isinstance(obj, dict):
        view = obj.get("application/vnd.jupyter.widget-view+json")
        if view:
            return view["model_id"]
    return None


def capture_display(monkeypatch) -> Capture:
    """Replace ``IPython.display.display`` by a :class:`Capture` for one test."""
    import IPython.display

    capture = Capture()
    monkeypatch.setattr(IPython.display, "display", capture)
    return capture
