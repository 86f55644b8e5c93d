"""The answer line: an Input whose arrow keys, Tab, Esc and quick digits drive the suggestion list,
so focus never leaves it (textual-autocomplete's rule)."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input, TextArea

from ..messages import AcceptHighlight, GoBack, MoveHighlight, PickSuggestion
from ..text import plain


class ListSuggester(Suggester):
    """Inline completion from the suggestions on screen: the first that extends what is typed."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.options: list[str] = []

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        return next((o for o in self.options if o.startswith(value) and o != value), None)


class AnswerInput(Input):
    BINDINGS = [
        Binding("up", "move(-1)", "上一条", show=False),
        Binding("down", "move(1)", "下一条", show=False),
        Binding("tab", "accept", "采用", show=True),
        Binding("escape", "back", "返回", show=True),
    ]

    quick_pick = True  # digits pick a suggestion on an empty line (off for numeric steps)

    def action_move(self, delta: int) -> None:
        self.post_message(MoveHighlight(delta))

    def action_accept(self) -> None:
        self.post_message(AcceptHighlight())

    def action_back(self) -> None:
        self.post_message(GoBack())

    async def _on_key(self, event: events.Key) -> None:
        if self.quick_pick and not self.value and event.character and event.character in "123456789":
            event.prevent_default()
            event.stop()
            self.post_message(PickSuggestion(int(event.character)))
            return
        await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        # Text copied out of a file: its escapes are shown, never sent on. Textual then calls Input's own
        # handler with the same event (handlers run down the class hierarchy), which inserts it.
        event.text = plain(event.text)


class GoalEditor(TextArea):
    """年度总体目标: several lines; Enter submits, Ctrl+J starts a new line, a paste keeps every line."""

    BINDINGS = [
        Binding("enter", "submit", "确认", show=True, priority=True),
        Binding("ctrl+j", "newline", "换行", show=True),
        Binding("escape", "back", "返回", show=True),
        Binding("tab", "accept", "采用", show=True),
        Binding("up", "move(-1)", "上一条", show=False),
        Binding("down", "move(1)", "下一条", show=False),
    ]

    class Submitted(TextArea.Changed):
        """The goal is finished."""

    def _on_paste(self, event: events.Paste) -> None:
        event.text = plain(event.text)  # keeps its lines; TextArea's own handler inserts it next

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self))

    def action_newline(self) -> None:
        self.insert("\n")

    def action_back(self) -> None:
        self.post_message(GoBack())

    def action_accept(self) -> None:
        self.post_message(AcceptHighlight())

    def action_move(self, delta: int) -> None:
        # Up/Down move in the text when it has several lines, else in the suggestions.
        if self.document.line_count > 1:
            self.move_cursor_relative(rows=delta)
        else:
            self.post_message(MoveHighlight(delta))
