"""Keyboard shortcuts for the screening view, through a small anywidget.

:class:`KeyShortcuts` is a focusable strip whose JavaScript (``keys.js`` beside this
file) listens for key presses inside the screening view and sends them to Python. It
stops them reaching JupyterLab, so ``m`` does not turn the cell into Markdown. Without
anywidget, :data:`KeyShortcuts` is ``None`` and the buttons still work.
"""

from __future__ import annotations

from pathlib import Path

#: Key -> the action it does in the screening view (``1``-``9`` choose an exclusion reason).
KEYS = {"i": "include", "e": "exclude", "m": "maybe", "u": "undo", "s": "skip"}

try:  # keyboard shortcuts need anywidget; without it the buttons still work
    import anywidget
    import traitlets
except ImportError:  # pragma: no cover - depends on the environment
    anywidget = None

if anywidget is not None:

    class KeyShortcuts(anywidget.AnyWidget):
        """A focusable strip; key presses inside the screening view are sent to Python."""

        _esm = Path(__file__).with_name("keys.js").read_text(encoding="utf-8")
        shortcut_keys = traitlets.List(traitlets.Unicode()).tag(sync=True)
        label = traitlets.Unicode("").tag(sync=True)
        autofocus = traitlets.Bool(True).tag(sync=True)

        def focus(self) -> None:  # type: ignore[override]
            """Give the strip keyboard focus (after a click elsewhere in the view)."""
            self.send({"focus": True})

else:  # pragma: no cover
    KeyShortcuts = None  # type: ignore[assignment,misc]
