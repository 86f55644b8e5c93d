"""A modal choice the user must make with a deliberate key: 覆盖/另存为/取消, 仍然保存/返回修改.

The safe button has the focus, so Enter (the key pressed most) never picks the risky one; Esc cancels.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ChoiceScreen(ModalScreen[str]):
    """Buttons as (id, label); dismisses with the chosen id, or `cancel` on Esc."""

    BINDINGS = [
        Binding("escape", "cancel", "取消"),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, title: str, message: str, buttons: list[tuple[str, str]], *, focus: str, cancel: str) -> None:
        super().__init__()
        self.title_text, self.message = title, message
        self.buttons, self.focus_id, self.cancel_id = buttons, focus, cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(self.title_text), classes="title", markup=False)
            yield Static(Content(self.message), markup=False)
            with Horizontal(id="choices"):
                for button_id, label in self.buttons:
                    yield Button(label, id=button_id, variant="error" if button_id == "overwrite" else "default")

    def on_mount(self) -> None:
        self.query_one(f"#{self.focus_id}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or self.cancel_id)

    def action_cancel(self) -> None:
        self.dismiss(self.cancel_id)


def overwrite_choice(target: str) -> ChoiceScreen:
    return ChoiceScreen(
        "文件已存在",
        f"{target}\n已经存在，是另一个文件。要覆盖它吗？",
        [("saveas", "另存为新文件名"), ("overwrite", "覆盖"), ("cancel", "取消")],
        focus="saveas", cancel="cancel",
    )  # fmt: skip


def errors_choice(message: str) -> ChoiceScreen:
    return ChoiceScreen(
        "表中还有错误",
        f"{message}\n建议先返回修改。仍然保存时只保存到文件，不放入语料库。",
        [("fix", "返回修改"), ("anyway", "仍然保存")],
        focus="fix", cancel="fix",
    )  # fmt: skip
