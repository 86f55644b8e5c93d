"""The one screen that owns the draft: it shows questions, takes answers and fetches suggestions."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from ...drafting import REVIEW, SAVE, Draft, FieldStep, Outcome, Question, ReviewStep, RowStep, Step, Workspace
from ...drafting.files import perform
from ..messages import AcceptHighlight, GoBack, MoveHighlight, PickSuggestion, SuggestionsReady, WorkspaceReady
from ..widgets.answer_input import AnswerInput, GoalEditor, ListSuggester
from ..widgets.preview import TablePreview
from ..widgets.suggestions import SuggestionItem, SuggestionList
from ..text import plain, shown
from ..widgets.transcript import Transcript

# Steps whose answers may begin with a digit ("2025年…", "60人", "0101-…", "1年"): there digits are typed,
# not quick picks (Alt+1…9 always picks).
_DIGIT_ANSWERS = {FieldStep(p) for p in ("project.name", "project.attribute", "project.period", "project.goal")}


def digits_pick(q: Question) -> bool:
    if q.kind in ("choice", "confirm"):
        return len(q.choices) <= 9
    is_value = isinstance(q.step, RowStep) and q.step.part == "value"
    return q.kind == "text" and q.step not in _DIGIT_ANSWERS and not is_value


def question_text(q: Question) -> str:
    """A question bubble: section, prompt, explanation, default and examples (plain text)."""
    lines = [f"【{q.section}】{q.prompt}", q.help]
    if q.kind in ("choice", "review") and q.choices:
        lines += [f"{value}、{label}" for value, label in q.choices]  # no space: Textual wraps at spaces
    if q.default and q.kind not in ("review",):
        lines.append(f"回车采用：{q.default}")
    elif q.examples:
        lines.append("例如：" + "；".join(q.examples[:2]))
    return "\n".join(line for line in lines if line)


class DialogueScreen(Screen):
    BINDINGS = [
        Binding("f2", "toggle_preview", "预览"),
        Binding("f3", "review", "检查"),
        Binding("f4", "skip", "跳过本类", show=False),
        Binding("f6", "delete_row", "删除本条", show=False),
        Binding("f7", "move_row(-1)", "上移", show=False),
        Binding("f8", "move_row(1)", "下移", show=False),
        *(Binding(f"alt+{n}", f"pick({n})", f"选第{n}条", show=False) for n in range(1, 10)),
    ]

    def __init__(self, draft: Draft, autosave) -> None:
        super().__init__()
        self.draft = draft
        self.autosave = autosave  # callable(state) -> None
        self.suggester = ListSuggester()

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield Transcript(id="transcript")
            yield TablePreview(id="preview")
        yield Static("", id="answer-error", markup=False)
        yield AnswerInput(id="answer", suggester=self.suggester, compact=True)
        yield GoalEditor(id="goal-editor", compact=True)
        yield SuggestionList(id="suggestions")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(GoalEditor).display = False
        self.show_question()

    # ----------------------------------------------------------------------------- showing
    @property
    def engine(self):
        return self.draft.workspace.engine

    @property
    def workspace(self) -> Workspace:
        return self.draft.workspace

    def replace_draft(self, draft: Draft) -> None:
        """A resumed or restarted draft: it takes the workspace the screen already has, then is shown afresh."""
        draft.use(self.workspace)
        self.draft = draft
        self.query_one(Transcript).remove_children()
        self.show_question()

    def show_question(self) -> None:
        q = self.draft.question()
        self.query_one(Transcript).add(question_text(q), "question")
        self.query_one(TablePreview).show(self.draft.table)
        multiline = q.kind == "multiline"
        answer, editor = self.query_one(AnswerInput), self.query_one(GoalEditor)
        answer.display, editor.display = not multiline, multiline
        answer.quick_pick = digits_pick(q)
        answer.value = ""
        answer.placeholder = plain(f"回车采用：{q.default}") if q.default else "输入回答，回车确认"
        if multiline:
            editor.text = ""
            editor.placeholder = "回车确认，Ctrl+J 换行；回车直接采用下方第一条或默认" if q.default else "回车确认，Ctrl+J 换行"
            editor.focus()
        else:
            answer.focus()
        self.set_error("")
        self.refresh_suggestions("")

    def set_error(self, text: str, severity: str = "error") -> None:
        line = self.query_one("#answer-error", Static)
        line.update(shown(text))
        line.set_class(severity == "warning", "-warning")
        line.display = bool(text)

    def current_text(self) -> str:
        if self.query_one(GoalEditor).display:
            return self.query_one(GoalEditor).text
        return self.query_one(AnswerInput).value

    # -------------------------------------------------------------------------- suggestions
    def refresh_suggestions(self, typed: str) -> None:
        q = self.draft.question()
        if q.choices and q.suggest is None:  # a fixed list: numbered choices, or the corpus's values
            if q.kind == "text":
                items = [SuggestionItem(value) for value, _ in q.choices if typed in value]
            else:
                items = [SuggestionItem(value, label=label) for value, label in q.choices]
            self.apply_suggestions(items)
            return
        if q.suggest is None or self.engine is None:
            self.apply_suggestions([])
            return
        self.fetch_suggestions(self.engine, q.step, typed, dict(q.suggest))

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def fetch_suggestions(self, engine, step: Step, typed: str, args: dict) -> None:
        # The engine is handed in from the UI thread: the worker never reads the screen's state.
        results = engine.suggest(typed, k=9, **args)
        if get_current_worker().is_cancelled:
            return
        items = []
        for s in results:
            detail = []
            if s.value:
                detail.append(s.value)
            if s.source and s.source.project != s.text:
                detail.append(f"{s.source.project}" + ("，已改写" if s.adapted else ""))
            elif s.adapted:
                detail.append(f"由{s.source.year}年的表改写" if s.source else "已改写")
            items.append(SuggestionItem(s.text, " · ".join(detail)))
        self.post_message(SuggestionsReady(step, typed, items))

    @on(SuggestionsReady)
    def _suggestions_ready(self, message: SuggestionsReady) -> None:
        # A late answer to an old query or an earlier step is dropped.
        if message.step == self.draft.step and message.query == self.current_text():
            self.apply_suggestions(message.items)

    def apply_suggestions(self, items: list[SuggestionItem]) -> None:
        self.query_one(SuggestionList).show(items)
        self.suggester.options = [plain(i.text) for i in items]  # shown inline in the answer line

    @on(WorkspaceReady)
    def _workspace_ready(self, message: WorkspaceReady) -> None:
        before = self.draft.question() if isinstance(self.draft.step, ReviewStep) else None
        self.draft.use(message.workspace)
        if before is not None and before.choices != self.draft.question().choices:
            # The review shown before the corpus loaded lacked the rules that compare with other tables.
            self.query_one(Transcript).restate(question_text(self.draft.question()))
        for warning in message.workspace.warnings[:3]:
            self.notify(warning, severity="warning", markup=False)
        # Defaults that come from the corpus (代码, 实施单位 …) are known now.
        q = self.draft.question()
        if q.default and not self.current_text():
            self.query_one(AnswerInput).placeholder = plain(f"回车采用：{q.default}")
        self.refresh_suggestions(self.current_text())

    @on(Input.Changed, "#answer")
    def _typed(self, event: Input.Changed) -> None:
        self.refresh_suggestions(event.value)

    @on(GoalEditor.Changed, "#goal-editor")
    def _goal_typed(self) -> None:
        self.refresh_suggestions(self.current_text())

    @on(MoveHighlight)
    def _move(self, message: MoveHighlight) -> None:
        self.query_one(SuggestionList).move(message.delta)

    @on(AcceptHighlight)
    def _accept(self) -> None:
        suggestions = self.query_one(SuggestionList)
        item = suggestions.chosen() or (suggestions.items[0] if suggestions.items else None)
        if item is None:
            return
        self.prefill(item.text)

    @on(PickSuggestion)
    def _pick(self, message: PickSuggestion) -> None:
        self.action_pick(message.number)

    def action_pick(self, number: int) -> None:
        items = self.query_one(SuggestionList).items
        if 1 <= number <= len(items):
            self.submit(items[number - 1].text)

    # ------------------------------------------------------------------------------ answers
    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        chosen = self.query_one(SuggestionList).chosen()
        self.submit(chosen.text if chosen else event.value)

    @on(GoalEditor.Submitted)
    def _goal_submitted(self) -> None:
        chosen = self.query_one(SuggestionList).chosen()
        self.submit(chosen.text if chosen else self.current_text())

    def submit(self, text: str) -> None:
        q = self.draft.question()
        outcome = self.draft.answer(text)
        if outcome.request is not None:  # a file to write or read: the screen does it, the draft hears how it went
            outcome = self.draft.finish(perform(outcome.request))
        if not outcome.ok:
            self.set_error(outcome.message, outcome.severity)
            return  # what was typed stays in the input
        shown = text.strip() or q.default or "（跳过）"
        self.query_one(Transcript).add(shown, "answer")
        self.after_change(outcome)

    def after_change(self, outcome: Outcome | None = None) -> None:
        self.autosave(self.draft.to_state())
        if outcome is not None and outcome.message:
            self.query_one(Transcript).add(outcome.message, "notice")
        self.show_question()

    @on(GoBack)
    def action_back(self) -> None:
        if self.draft.back():
            self.query_one(Transcript).add("（返回上一步）", "notice")
            self.after_change()
        else:
            self.set_error("已经是第一步。", "warning")

    # ----------------------------------------------------------------------------- commands
    def action_toggle_preview(self) -> None:
        # Wide screens show the preview beside the transcript, narrow ones instead of it (see app.tcss).
        self.toggle_class("-preview-toggled")

    def jump(self, step: Step) -> None:
        """Go to any step (the palette's 跳到…); its answer is the default there."""
        self.draft.goto(step)
        self.after_change()

    def action_review(self) -> None:
        self.draft.goto(REVIEW)
        self.after_change()

    def action_save(self) -> None:
        self.draft.goto(SAVE)
        self.after_change()

    def action_skip(self) -> None:
        outcome = self.draft.skip()
        if outcome.ok:
            self.after_change(outcome)
        else:
            self.set_error(outcome.message)

    def _current_row(self) -> int | None:
        return self.draft.current_row()

    def action_delete_row(self) -> None:
        row = self._current_row()
        if row is None:
            self.set_error("当前不在某一条已填写的指标上。", "warning")
            return
        self.after_change(self.draft.delete_indicator(row))

    def action_move_row(self, delta: int) -> None:
        row = self._current_row()
        outcome = self.draft.move_indicator(row, delta) if row is not None else Outcome(False, "当前不在某一条指标上。")
        if outcome.ok:
            self.after_change(outcome)
        else:
            self.set_error(outcome.message, "warning")

    def prefill(self, text: str) -> None:
        """Put text into the answer line or the goal editor (a suggestion taken, an answer typed before a restart)."""
        text = plain(text)  # an input shows its value: no escapes from the corpus reach the terminal that way
        if self.query_one(GoalEditor).display:
            self.query_one(GoalEditor).text = text
        else:
            answer = self.query_one(AnswerInput)
            answer.value = text
            answer.cursor_position = len(text)

    def restart(self) -> None:
        self.draft.restart()
        self.query_one(Transcript).remove_children()
        self.after_change()
