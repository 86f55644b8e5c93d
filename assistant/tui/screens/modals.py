"""Small modal screens: help (resuming a draft is screens/resume.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..text import shown


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q,enter", "close", "关闭")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("帮助", classes="title")
            yield Static(shown(self.text), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
