"""The chat transcript: one bubble per question, answer and notice; user and corpus text never as markup."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from ..text import shown


class Bubble(Static):
    """A block of plain text (Content, so "[bold]" shows as typed; escapes made visible)."""

    def __init__(self, text: str, *, classes: str) -> None:
        super().__init__(shown(text), classes=classes, markup=False)


class Transcript(VerticalScroll, can_focus=False):
    def on_mount(self) -> None:
        self.anchor()

    def add(self, text: str, kind: str) -> Bubble:
        bubble = Bubble(text, classes=f"bubble {kind}")
        self.mount(bubble)
        return bubble

    def restate(self, text: str) -> None:
        """Replace the last question (its content changed under it, e.g. once the corpus has loaded)."""
        questions = self.query(".question")
        if questions and questions.last() is self.children[-1]:
            questions.last().remove()
        self.add(text, "question")
        self.call_after_refresh(self._settle_at_end)  # the new one may be taller: stay at the end

    def _settle_at_end(self) -> None:
        self.scroll_end(animate=False, immediate=True)
        self.vertical_scrollbar.refresh()
