"""Small modal screens: resume a draft, help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ResumeScreen(ModalScreen[bool]):
    """Offer the autosaved draft back: its project name and how far it got."""

    BINDINGS = [
        Binding("enter,y", "resume", "继续", show=True),
        Binding("escape,n", "fresh", "重新开始", show=True),
    ]

    def __init__(self, summary: str) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("发现上次未完成的草稿", classes="title")
            yield Static(Content(self.summary), markup=False)
            yield Button("继续这份草稿（回车）", id="resume", variant="primary")
            yield Button("重新开始（Esc）", id="fresh")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "resume")

    def action_resume(self) -> None:
        self.dismiss(True)

    def action_fresh(self) -> None:
        self.dismiss(False)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q,enter", "close", "关闭")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("帮助", classes="title")
            yield Static(Content(self.text), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
