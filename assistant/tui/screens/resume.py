"""At start: the unfinished drafts no other window has open, to continue one or start a new draft.

Declining (Esc, N, "新建") only means "start a new draft": every draft stays on disk and is offered again next
time. Names come from draft files, so they pass through `shown` like all text from data.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ..text import shown


@dataclass(frozen=True)
class DraftChoice:
    id: str
    summary: str  # name and progress (Draft.summary)
    modified: float  # seconds since the epoch

    def label(self) -> str:
        return f"{self.summary}（{time.strftime('%Y-%m-%d %H:%M', time.localtime(self.modified))}）"


class ResumeScreen(ModalScreen[str | None]):
    """Dismissed with the id of the draft to continue, or None for a new draft (nothing is deleted)."""

    BINDINGS = [
        Binding("enter,y", "resume", "继续选中的草稿", show=True),
        Binding("escape,n", "fresh", "新建草稿", show=True),
        Binding("up", "move(-1)", "上一份", show=False),
        Binding("down", "move(1)", "下一份", show=False),
    ]

    def __init__(self, choices: list[DraftChoice]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = "发现上次未完成的草稿" if len(self.choices) == 1 else f"发现 {len(self.choices)} 份未完成的草稿"
            yield Static(title, classes="title")
            yield OptionList(*(Option(shown(c.label()), id=c.id) for c in self.choices), id="drafts", markup=False)
            yield Static("新建不会删除这些草稿，下次启动时仍可继续。", classes="hint")
            yield Button("继续选中的草稿（回车）", id="resume", variant="primary")
            yield Button("新建草稿（Esc）", id="fresh")

    def on_mount(self) -> None:
        drafts = self.query_one("#drafts", OptionList)
        drafts.highlighted = 0
        drafts.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "resume":
            self.action_resume()
        else:
            self.action_fresh()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_move(self, delta: int) -> None:
        drafts = self.query_one("#drafts", OptionList)
        drafts.highlighted = max(0, min(len(self.choices) - 1, (drafts.highlighted or 0) + delta))

    def action_resume(self) -> None:
        drafts = self.query_one("#drafts", OptionList)
        n = drafts.highlighted if drafts.highlighted is not None else 0
        self.dismiss(self.choices[n].id if self.choices else None)

    def action_fresh(self) -> None:
        self.dismiss(None)
