"""The one screen that owns the draft: it shows questions, takes answers and fetches suggestions."""

from __future__ import annotations

from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from ...drafting import REVIEW, SAVE, Draft, FieldStep, Outcome, Question, ReviewStep, RowStep, SaveStep, Step, Workspace
from ...drafting.files import free_name, perform
from ..messages import AcceptHighlight, GoBack, MoveHighlight, PickSuggestion, SuggestionsReady, WorkspaceReady
from ..widgets.answer_input import AnswerInput, GoalEditor, ListSuggester
from ..widgets.preview import TablePreview
from ..widgets.suggestions import SuggestionItem, SuggestionList
from ..text import plain, shown
from ..widgets.transcript import Transcript
from .choice import errors_choice, overwrite_choice

# Steps whose answers may begin with a digit ("2025年…", "60人", "0101-…", "1年"): there digits are typed and
# the list is shown without numbers (↓ and Enter, or Tab, pick it); elsewhere the number shown is the key.
_DIGIT_ANSWERS = {FieldStep(p) for p in ("project.name", "project.attribute", "project.period", "project.goal")}


def numbered(q: Question) -> bool:
    """Whether the list shows numbers: a numbered choice (typed and Enter), or a list a digit picks from."""
    return q.kind in ("choice", "confirm", "review", "header") or digits_pick(q)


def digits_pick(q: Question) -> bool:
    if q.kind in ("choice", "confirm", "review", "header"):
        return True  # a number picks once it is whole ("1" waits for "10" when there are ten or more)
    is_value = isinstance(q.step, RowStep) and q.step.part == "value"
    return q.kind == "text" and q.step not in _DIGIT_ANSWERS and not is_value


def step_has_value(step: Step) -> bool:
    """A row's wording step: a chosen suggestion brings its value along."""
    return isinstance(step, RowStep) and step.part == "name"


def suggestion_item(s, step: Step) -> SuggestionItem:
    """One suggestion as the list shows it: its value, its kind of source (本单位往年 / 其他单位 / 指标库 /
    通用 / 来自总体目标) and the table it comes from."""
    detail = [s.value] if s.value else []
    if s.label:
        detail.append(s.label)
    if s.source and s.source.project != s.text:
        detail.append(f"{s.source.project}" + ("，已改写" if s.adapted else ""))
    elif s.adapted:
        detail.append(f"由{s.source.year}年的表改写" if s.source else "已改写")
    value = (s.value or "") if step_has_value(step) else ""
    return SuggestionItem(s.text, " · ".join(detail), value=value, from_table=s.kind in ("own", "corpus"))


def default_label(q: Question) -> str:
    """What Enter takes, as the user reads it (a numbered choice by its label, not its number)."""
    return dict(q.choices).get(q.default, q.default) if q.kind == "choice" else q.default


def question_text(q: Question) -> str:
    """A question bubble: section, prompt, explanation, default and examples (plain text)."""
    lines = [f"【{q.section}】{q.prompt}", q.help]
    if q.kind in ("choice", "review", "header") and q.choices:
        lines += [f"{value}. {label}" for value, label in q.choices]  # the same numbers as the list below
    lines += q.notes
    if q.default and q.kind == "review" and q.default.isdigit():
        lines.append(f"回车：跳到第{q.default}条修改")
    elif q.default and q.kind not in ("review",):
        lines.append(f"回车采用：{default_label(q)}")
    elif q.examples:
        lines.append("例如：" + "；".join(q.examples[:2]))
    return "\n".join(line for line in lines if line)


class DialogueScreen(Screen):
    BINDINGS = [
        Binding("f1", "app.help", "帮助"),  # first in the footer: every other key is on it
        Binding("f2", "toggle_preview", "预览"),
        Binding("f3", "review", "检查"),
        # Shown on F1 (and in the palette): the footer keeps the keys every step needs.
        Binding("f4", "skip", "跳过本类", show=False),
        Binding("f6", "delete_row", "删除本条", show=False),
        Binding("f7", "move_row(-1)", "上移", show=False),
        Binding("f8", "move_row(1)", "下移", show=False),
        Binding("ctrl+z", "undo_delete", "撤销删除", show=False),
        *(Binding(f"alt+{n}", f"pick({n})", f"选第{n}条", show=False) for n in range(1, 10)),
    ]

    def __init__(self, draft: Draft, autosave) -> None:
        super().__init__()
        self.draft = draft
        self.autosave = autosave  # callable(state) -> None
        self.suggester = ListSuggester()
        self.with_errors = False  # the user chose "仍然保存" for this save

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield Transcript(id="transcript")
            yield TablePreview(id="preview")
        yield Static("", id="answer-error", markup=False)
        yield AnswerInput(id="answer", suggester=self.suggester, compact=True)
        yield GoalEditor(id="goal-editor", compact=True)
        yield Static("", id="suggest-notice", markup=False)
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
        answered = [label for step, label in draft.steps() if step in draft.answered]
        if answered:  # a resumed draft shows what was answered, not an empty transcript
            self.query_one(Transcript).add("已填写：\n" + "\n".join(answered), "notice")
        self.show_question()

    def show_question(self) -> None:
        q = self.draft.question()
        self.query_one(Transcript).add(question_text(q), "question")
        self.query_one(TablePreview).show(self.draft.table)
        multiline = q.kind == "multiline"
        answer, editor = self.query_one(AnswerInput), self.query_one(GoalEditor)
        answer.display, editor.display = not multiline, multiline
        answer.quick_pick = digits_pick(q)
        answer.keys = q.keys
        self.query_one(SuggestionList).numbered = numbered(q)
        answer.value = ""
        if not isinstance(q.step, SaveStep):
            self.with_errors = False
        answer.placeholder = plain(f"回车采用：{default_label(q)}") if q.default else "输入回答，回车确认"
        if multiline:
            editor.text = ""
            editor.placeholder = "回车确认，Ctrl+J 换行；回车直接采用下方第一条或默认" if q.default else "回车确认，Ctrl+J 换行"
            editor.focus()
        else:
            answer.focus()
        self.set_error("")
        self.apply_suggestions([])  # never a digit on the previous step's list while this step's is fetched
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
            if q.kind in ("text", "code"):  # the corpus's values of a header field (代码 too), each with its source
                items = [SuggestionItem(value, label if label != value else "") for value, label in q.choices if typed in value]
            else:  # the key shown is the answer ("0. 不参照"), the same number the transcript shows
                items = [SuggestionItem(value, label=label, key=value) for value, label in q.choices]
            self.apply_suggestions(items)
            return
        if q.suggest is None or self.engine is None:
            self.apply_suggestions([])
            return
        # A value step's default (the value as it is) is in the answer line's placeholder, not listed again.
        skip = q.default if isinstance(q.step, RowStep) and q.step.part == "value" else ""
        self.fetch_suggestions(self.engine, q.step, typed, dict(q.suggest), skip)

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def fetch_suggestions(self, engine, step: Step, typed: str, args: dict, skip: str = "") -> None:
        # The engine is handed in from the UI thread: the worker never reads the screen's state.
        results = [s for s in engine.suggest(typed, k=10, **args) if not skip or s.text != skip][:9]
        if get_current_worker().is_cancelled:
            return
        notice = ""
        if args.get("field") == "name" and args.get("level2"):  # say so when nothing in the corpus is of this kind
            notice = engine.notice(args.get("project", ""), args.get("goal", ""), args.get("year")) or ""
        items = [suggestion_item(s, step) for s in results]
        self.post_message(SuggestionsReady(step, typed, items, notice))

    @on(SuggestionsReady)
    def _suggestions_ready(self, message: SuggestionsReady) -> None:
        # A late answer to an old query or an earlier step is dropped.
        if message.step == self.draft.step and message.query == self.current_text():
            self.apply_suggestions(message.items, message.notice)

    def apply_suggestions(self, items: list[SuggestionItem], notice: str = "") -> None:
        self.query_one(SuggestionList).show(items)
        line = self.query_one("#suggest-notice", Static)
        line.update(notice)
        line.display = bool(notice and items)
        self.suggester.options = [plain(i.text) for i in items]  # shown inline in the answer line
        shown = self.query_one(SuggestionList)
        self.query_one(AnswerInput).pick_keys = frozenset(k for n, i in enumerate(items, 1) if (k := shown.key_of(n, i)))

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
            self.query_one(AnswerInput).placeholder = plain(f"回车采用：{default_label(q)}")
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
        item = self.query_one(SuggestionList).by_key(str(number))
        if item is not None:
            self.submit(item.text, item.value, item.from_table)

    # ------------------------------------------------------------------------------ answers
    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        chosen = self.query_one(SuggestionList).chosen()
        self.submit(chosen.text, chosen.value, chosen.from_table) if chosen else self.submit(event.value)

    @on(GoalEditor.Submitted)
    def _goal_submitted(self) -> None:
        chosen = self.query_one(SuggestionList).chosen()
        self.submit(chosen.text if chosen else self.current_text())

    def submit(self, text: str, value: str = "", from_table: bool = False) -> None:
        """An answer; `value` is the 指标值 a chosen suggestion carries (the row takes it along), marked
        "请核实" when it is another table's figure (`from_table`)."""
        q = self.draft.question()
        if isinstance(q.step, SaveStep):
            self.save_to(text or q.default)
            return
        outcome = self.draft.answer(text, value=value, from_table=from_table)
        self.settle(outcome, f"{text} {value}" if value else text, q)

    def settle(self, outcome: Outcome, text: str, q: Question) -> None:
        if outcome.request is not None:  # a file to write or read: the screen does it, the draft hears how it went
            outcome = self.draft.finish(perform(outcome.request))
        if outcome.ask is not None:
            self.ask(outcome)
            return
        if not outcome.ok:
            self.set_error(outcome.message, outcome.severity)
            if outcome.severity == "warning":
                # Enter on the unchanged answer confirms it; typing anything replaces it (never appends).
                answer = self.query_one(AnswerInput)
                if answer.display:
                    answer.value = text or q.default
                    answer.select_all()
            return  # what was typed stays in the input
        shown = text.strip() or q.default or ("（本类已填完）" if isinstance(q.step, RowStep) else "（跳过）")
        self.query_one(Transcript).add(shown, "answer")
        self.after_change(outcome)

    # --------------------------------------------------------------------------------- saving
    def save_to(self, path: str, *, overwrite: bool = False) -> None:
        q = self.draft.question()
        self.settle(self.draft.save(path, overwrite=overwrite, with_errors=self.with_errors), path, q)

    def ask(self, outcome: Outcome) -> None:
        """A choice no Enter makes: replacing another file, or saving a table with errors."""
        ask = outcome.ask
        self.set_error(outcome.message, "warning")
        if ask.kind == "overwrite":
            self.app.push_screen(overwrite_choice(str(ask.target)), partial(self._overwrite_chosen, ask.target))
        else:
            self.app.push_screen(errors_choice(outcome.message), partial(self._errors_chosen, ask.target))

    def _overwrite_chosen(self, target, choice: str | None) -> None:
        if choice == "overwrite":
            self.save_to(str(target), overwrite=True)
        elif choice == "saveas":
            self._to_save_step()
            free = free_name(target)
            answer = self.query_one(AnswerInput)
            answer.value = str(free)
            answer.cursor_position = len(answer.value)
            self.set_error(f"另存为：回车保存到 {free}，也可以改成别的文件名。", "warning")
        else:
            self._to_save_step()
            self.set_error("没有保存。可以输入另一个文件名。", "warning")

    def _to_save_step(self) -> None:
        """From the review's Enter: the file name is asked now (the answer line takes a path there)."""
        if not isinstance(self.draft.step, SaveStep):
            self.draft.goto(SAVE)
            self.after_change()

    def _errors_chosen(self, target, choice: str | None) -> None:
        if choice == "anyway":
            self.with_errors = True
            self.save_to(str(target))
        else:
            self.action_review()

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

    def action_undo_delete(self) -> None:
        outcome = self.draft.undo_delete()
        if outcome.ok:
            self.after_change(outcome)
        else:
            self.set_error(outcome.message, "warning")

    def action_move_row(self, delta: int) -> None:
        row = self._current_row()
        step = self.draft.step
        if row is None and isinstance(step, RowStep) and step.n > 0:
            # On "再加一条" there is no row to move: go to the last row of this 二级, where F7/F8 move it.
            self.jump(RowStep(step.level2, step.n - 1, "name"))
            self.set_error("已转到本类最后一条；再按 F7/F8 移动它，回车保留原样。", "warning")
            return
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
