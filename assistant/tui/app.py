"""JixiaoApp: keys, the command palette, the background workspace load, autosave and resume."""

from __future__ import annotations

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
from ..drafting import Draft, Workspace
from ..drafting import workspace as workspace_loader
from ..model import Table
from ..safefile import os_reason
from .messages import WorkspaceReady
from .palette import StepProvider
from .screens.dialogue import DialogueScreen
from .screens.modals import HelpScreen, ResumeScreen

LOAD_WORKSPACE = "load-workspace"


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
        resume: dict | None = None,
        draft_path: Path | None = None,
        notice: str = "",
    ) -> None:
        super().__init__()
        self.first_draft = draft
        self.load_workspace = load_workspace
        self.resume_state = resume
        self.draft_path = draft_path or drafts.draft_path()
        self.notice = notice

    # ------------------------------------------------------------------------------- start-up
    def get_default_screen(self) -> Screen:
        return DialogueScreen(self.first_draft, self.autosave)

    def on_mount(self) -> None:
        if self.notice:
            self.notify(self.notice, severity="warning", markup=False)
        if self.resume_state is not None:
            summary = Draft.from_state(self.resume_state, cwd=self.first_draft.cwd).summary()
            self.push_screen(ResumeScreen(summary), self._resume_answered)
        if self.load_workspace is not None:
            self.load_workspace_in_background()

    def _resume_answered(self, resume: bool | None) -> None:
        if resume and self.resume_state is not None:
            screen = self.dialogue_screen
            # Whatever has loaded by now is the screen's; the resumed draft takes it from there.
            screen.replace_draft(Draft.from_state(self.resume_state, screen.workspace, cwd=screen.draft.cwd))
        self.resume_state = None

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
            reason = os_reason(error) if isinstance(error, OSError) else type(error).__name__
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
    def autosave(self, state: dict) -> None:
        try:
            drafts.save(state, self.draft_path)
        except OSError as exc:
            self.notify(f"无法自动保存草稿：{os_reason(exc)}", severity="error", markup=False)
            return
        if state.get("key") == "done":
            self.draft_saved()

    def draft_saved(self) -> None:
        """The table is saved: the draft must not be offered back as unfinished.

        Hook for the draft store (issue 16 keeps it as a backup); until then the finished draft file is removed.
        """
        archive = getattr(drafts, "archive", None)
        try:
            archive(self.draft_path) if archive is not None else drafts.discard(self.draft_path)
        except OSError as exc:
            self.notify(f"无法关闭草稿：{os_reason(exc)}", severity="error", markup=False)

    # -------------------------------------------------------------------------------- actions
    def action_quit_now(self) -> None:
        d = self.draft
        if d.saved_to:
            self.exit(f"已保存到 {d.saved_to}")
        elif d.answered:
            self.exit(f"草稿已自动保存在 {self.draft_path}，下次运行 jixiao 时可以继续。")
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
    """The app wired as `jixiao` starts it: a table opened for editing, or the autosaved draft offered back.

    Tests call this too; they may pass their own `load_workspace` (a prepared engine, or a gate) and folders.
    """
    resume, notice = None, ""
    if table is not None:
        draft = Draft.from_table(table, cwd=cwd, path=opened)  # saved back to the file it came from
    else:
        draft = Draft(cwd=cwd)
        resume, notice = drafts.load(draft_path)
    loader = load_workspace or partial(workspace_loader.load, knowledge)
    return JixiaoApp(draft, load_workspace=loader, resume=resume, notice=notice, draft_path=draft_path)
