"""JixiaoApp: keys, the command palette, the background workspace load, autosave, resume and signals."""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from .. import drafts
from ..drafting import DONE, Draft, Workspace
from ..drafting import workspace as workspace_loader
from ..model import Table
from ..safefile import failure_reason, os_reason
from .messages import WorkspaceReady
from .palette import StepProvider
from .screens.dialogue import DialogueScreen
from .screens.modals import HelpScreen
from .screens.resume import DraftChoice, ResumeScreen
from .text import plain

LOAD_WORKSPACE = "load-workspace"
_UNUSABLE = drafts.DraftError("内容与本版本的填写步骤不符")


class JixiaoApp(App[str]):
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {StepProvider}
    TITLE = "绩效目标表助手"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "quit_now", "退出", priority=True),
        Binding("ctrl+s", "save", "保存", priority=True),
        Binding("f1", "help", "帮助", show=False),  # shown by the dialogue screen, first in its footer
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True),
    ]

    def __init__(
        self,
        draft: Draft,
        *,
        load_workspace: Callable[[], Workspace] | None = None,
        store: drafts.Store | None = None,
        offered: list[drafts.Listed] | None = None,
        notices: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.first_draft = draft
        self.load_workspace = load_workspace
        self.store = store or drafts.Store()
        self.offered = {d.id: d for d in offered or []}
        self.notices = list(notices)
        self.open_draft: drafts.OpenDraft | None = None  # this window's draft file, under its lock
        self._signals: list[int] = []
        self._autosave_problem = ""  # said once, not after every answer

    # ------------------------------------------------------------------------------- start-up
    def get_default_screen(self) -> Screen:
        return DialogueScreen(self.first_draft, self.autosave)

    def on_mount(self) -> None:
        self._catch_signals()
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=15)
        choices = []
        for listed in self.offered.values():
            try:
                summary = Draft.from_state(listed.state, cwd=self.first_draft.cwd).summary()
            except Exception:  # noqa: BLE001 - a draft that passed the schema but not the flow: set aside
                self.notify(self.store.set_aside(listed.path, _UNUSABLE), severity="warning", timeout=15)
                continue
            choices.append(DraftChoice(listed.id, summary, listed.modified))
        if choices:
            self.push_screen(ResumeScreen(choices), self._resume_answered)
        if self.load_workspace is not None:
            self.load_workspace_in_background()

    def _resume_answered(self, draft_id: str | None) -> None:
        listed = self.offered.get(draft_id) if draft_id else None
        self.offered = {}
        if listed is None:
            return  # a new draft: every offered one stays on disk for next time
        opened = self.store.open(listed.id)
        if opened is None:
            self.notify("这份草稿刚在另一个窗口中打开了；本窗口新建一份草稿。", severity="warning", timeout=15)
            return
        screen = self.dialogue_screen
        try:
            # Whatever has loaded by now is the screen's; the resumed draft takes it from there.
            resumed = Draft.from_state(listed.state, screen.workspace, cwd=screen.draft.cwd)
        except Exception:  # noqa: BLE001
            opened.close()
            self.notify(self.store.set_aside(listed.path, _UNUSABLE), severity="warning", timeout=15)
            return
        if self.open_draft is not None:
            self.open_draft.close()
        self.open_draft = opened
        screen.replace_draft(resumed)
        typed = listed.state.get("typed")
        if typed and typed.get("step") == resumed.key:
            screen.prefill(typed.get("text", ""))

    @work(thread=True, exit_on_error=False, name=LOAD_WORKSPACE, group=LOAD_WORKSPACE)
    def load_workspace_in_background(self) -> Workspace:
        """The corpus index and jieba load here, never before the first question shows."""
        workspace = self.load_workspace()
        self.dialogue_screen.post_message(WorkspaceReady(workspace))
        return workspace

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        # A failed load is said, not swallowed: drafting goes on without suggestions and corpus rules.
        if event.worker.name == LOAD_WORKSPACE and event.state == WorkerState.ERROR:
            error = event.worker.error
            reason = failure_reason(error)
            self.notify(
                f"语料库加载失败（{reason}），本次没有建议，也不做与其他表格的对比检查；仍可以照常填写。",
                severity="error", timeout=30, markup=False,
            )  # fmt: skip

    @property
    def dialogue_screen(self) -> DialogueScreen:
        return self.screen_stack[0]  # type: ignore[return-value]

    @property
    def draft(self) -> Draft:
        """The live draft (the screen's; resume replaces it)."""
        return self.dialogue_screen.draft

    # --------------------------------------------------------------------------------- drafts
    def _draft_file(self) -> drafts.OpenDraft:
        if self.open_draft is None:
            self.open_draft = self.store.new()
        return self.open_draft

    def autosave(self, state: dict) -> bool:
        """After every change; True when the draft is on disk. A saved table's draft is archived instead (not
        offered back as unfinished)."""
        try:
            if state.get("key") == str(DONE):
                self.draft_saved()
                return False
            self._draft_file().save(state)
            self._autosave_problem = ""
            return True
        except OSError as exc:
            reason = os_reason(exc)
            if reason != self._autosave_problem:
                self._autosave_problem = reason
                self.notify(
                    f"无法自动保存草稿（{reason}）：退出后本次填写的内容不会保留，请记得保存表格（Ctrl+S）。",
                    severity="error", timeout=30,
                )  # fmt: skip
            return False

    def draft_saved(self) -> None:
        """The table is saved: its draft moves to drafts/saved/ (kept, but not offered back as unfinished).
        Raises OSError (autosave says why)."""
        if self.open_draft is not None:
            self.open_draft.archive()

    def keep_typed(self) -> bool:
        """Save the draft with what is typed but not yet answered (quitting, a signal). True if it is on disk."""
        screen = self.dialogue_screen
        d = screen.draft
        typed = screen.current_text()
        if not (d.answered or typed.strip()) or d.step == DONE:
            return False
        state = d.to_state()
        if typed.strip():
            state["typed"] = {"step": d.key, "text": typed}
        return self.autosave(state)

    # ------------------------------------------------------------------------------ signals
    def _catch_signals(self) -> None:
        """SIGTERM and SIGHUP (the terminal closed, a logout, `kill`) end the app the normal way: the draft keeps
        what was typed, and Textual restores the terminal (main screen, no mouse tracking, cooked mode)."""
        if sys.platform == "win32" or threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(sig, self._signalled, sig)
                self._signals.append(sig)
            except (ValueError, RuntimeError, NotImplementedError):
                pass

    def _signalled(self, sig: int) -> None:
        try:
            self.keep_typed()
        finally:
            self.exit("", return_code=128 + sig)

    def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in self._signals:
            loop.remove_signal_handler(sig)
        self._signals = []
        if self.open_draft is not None:
            self.open_draft.close()

    def notify(self, message: str, *, title: str = "", **kwargs) -> None:
        """Every notification passes through here: text from data is made printable, never read as markup."""
        kwargs["markup"] = False
        super().notify(plain(message), title=plain(title), **kwargs)

    # -------------------------------------------------------------------------------- actions
    def action_quit_now(self) -> None:
        d = self.draft
        kept = self.keep_typed()
        if d.saved_to and d.step == DONE:
            self.exit(f"已保存到 {d.saved_to}")
        elif kept:
            self.exit(f"草稿已自动保存在 {self.open_draft.path}，下次运行 jixiao 时可以继续。")
        else:
            self.exit("")

    def action_save(self) -> None:
        self.dialogue_screen.action_save()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder="输入命令或步骤（可用拼音首字母，如 bc 保存）…"))

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.draft.help()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if not isinstance(screen, DialogueScreen):
            yield from super().get_system_commands(screen)
            return
        yield SystemCommand("保存 (Ctrl+S)", "把表格保存为 TOML 文件", self.action_save)
        yield SystemCommand("检查 (F3)", "运行所有审核规则，逐条跳转修改", screen.action_review)
        yield SystemCommand("预览 (F2)", "显示或隐藏表格预览", screen.action_toggle_preview)
        yield SystemCommand("帮助 (F1)", "当前这一步怎么填", self.action_help)
        yield SystemCommand("跳过本类 (F4)", "不填当前这一类可选的二级指标", screen.action_skip)
        yield SystemCommand("删除本条指标 (F6)", "删除当前这一条三级指标", screen.action_delete_row)
        yield SystemCommand("上移本条指标 (F7)", "在本类中上移", lambda: screen.action_move_row(-1))
        yield SystemCommand("下移本条指标 (F8)", "在本类中下移", lambda: screen.action_move_row(1))
        yield SystemCommand("重新开始", "清空当前表格，从第一步开始", screen.restart)
        yield SystemCommand("退出 (Ctrl+Q)", "退出助手（草稿已自动保存）", self.action_quit_now)


def build_app(
    knowledge: str | None,
    table: Table | None = None,
    *,
    draft_path: Path | None = None,
    cwd: Path | None = None,
    load_workspace: Callable[[], Workspace] | None = None,
    opened: Path | None = None,
) -> JixiaoApp:
    """The app wired as `jixiao` starts it: a table opened for editing, or the unfinished drafts offered back.

    Tests call this too; they may pass their own `load_workspace` (a prepared engine, or a gate) and folders.
    `draft_path` is where the single draft.json of earlier versions would be; drafts live in `drafts/` beside it.
    """
    store = drafts.Store(draft_path.parent / "drafts", legacy=draft_path) if draft_path else drafts.Store()
    offered: list[drafts.Listed] = []
    notices: list[str] = []
    if table is not None:
        draft = Draft.from_table(table, cwd=cwd, path=opened)  # saved back to the file it came from
    else:
        draft = Draft(cwd=cwd)
        offered, notices = store.unfinished()
    loader = load_workspace or partial(workspace_loader.load, knowledge)
    return JixiaoApp(draft, load_workspace=loader, store=store, offered=offered, notices=notices)
