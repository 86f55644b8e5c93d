"""The answer line: an Input whose arrow keys, Tab, Esc and quick digits drive the suggestion list,
so focus never leaves it (textual-autocomplete's rule)."""

from __future__ import annotations

from time import monotonic

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


# Alt+digit as a macOS terminal (and tmux passing it on) sends it: ⌥1 = "¡", ⌥2 = "™", ⌥3 = "£" … ⌥0 = "º".
# No answer holds these, so they pick like Alt+digit does, at every step.
ALT_DIGITS = {ch: n for n, ch in enumerate("º¡™£¢∞§¶•ª")}


class AnswerInput(Input):
    BINDINGS = [
        Binding("up", "move(-1)", "上一条", show=False),
        Binding("down", "move(1)", "下一条", show=False),
        Binding("tab", "accept", "采用", show=True),
        Binding("escape", "back", "返回", show=True),
    ]

    quick_pick = True  # digits pick a suggestion on an empty line (off for numeric steps)
    pick_keys: frozenset[str] = frozenset()  # the numbers the list shows ("1" … "12")

    def action_move(self, delta: int) -> None:
        self.post_message(MoveHighlight(delta))

    def action_accept(self) -> None:
        self.post_message(AcceptHighlight())

    def action_back(self) -> None:
        self.post_message(GoBack())

    async def _on_key(self, event: events.Key) -> None:
        if event.character in ALT_DIGITS:
            event.prevent_default()
            event.stop()
            self.post_message(PickSuggestion(ALT_DIGITS[event.character]))
            return
        if self.quick_pick and event.character and event.character in "0123456789" and (not self.value or self.value.isdigit()):
            # A number picks as soon as it is whole: "3" at once; "1" waits when the list goes on to 10, 11 …
            typed = self.value + event.character
            longer = any(k.startswith(typed) and k != typed for k in self.pick_keys)
            if longer:
                return await super()._on_key(event)  # typed into the line; Enter takes "1" as it is
            event.prevent_default()
            event.stop()
            self.value = ""
            self.post_message(PickSuggestion(int(typed)))
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

    # A terminal without bracketed paste sends a pasted goal as keys, its line breaks as Enter. An Enter that
    # comes within a burst of keys waits this long: if more keys follow, it was a line break, not "done".
    BURST = 0.03
    _last_key = 0.0
    _submit_timer = None

    async def _on_key(self, event: events.Key) -> None:
        if self._submit_timer is not None:  # keys right after an Enter: the Enter was a pasted line break
            self._submit_timer.stop()
            self._submit_timer = None
            self.insert("\n")
        self._last_key = monotonic()
        await super()._on_key(event)

    def action_submit(self) -> None:
        now, last = monotonic(), self._last_key
        self._last_key = now
        if self._submit_timer is not None:  # a blank line within a paste
            self._submit_timer.stop()
            self._submit_timer = None
            self.insert("\n")
        if now - last < self.BURST:
            self._submit_timer = self.set_timer(self.BURST * 2, self._submit_now)
        else:
            self._submit_now()

    @property
    def submit_pending(self) -> bool:
        return self._submit_timer is not None

    def _submit_now(self) -> None:
        self._submit_timer = None
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
