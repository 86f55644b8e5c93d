"""The live draft the screen drives: a session seen through the current workspace (questions, answers, commands)."""

from __future__ import annotations

import copy as _copy
from pathlib import Path
from typing import TYPE_CHECKING

from ..checks import Finding
from ..model import Indicator, Table
from .answers import Answerer
from .copy import copy
from .flow import Flow
from .lookups import Lookups
from .outcome import OpenRequest, Outcome
from .questions import Asker, Question, short
from .session import Session
from .steps import REVIEW, SAVE, TEMPLATE, FieldStep, RowStep, Step, parse
from .workspace import Workspace

if TYPE_CHECKING:
    from .files import FileResult


class Draft:
    """Owns no I/O and no thread: the engine and corpus arrive as a whole new Workspace (`use`)."""

    def __init__(self, session: Session | None = None, workspace: Workspace | None = None, *, cwd: Path | None = None):
        self.workspace = workspace or Workspace()
        self.session = session or Session(template_key=self.workspace.framework.default_template)
        self.cwd = Path(cwd) if cwd else Path.cwd()
        self._lookups = Lookups(self.workspace)
        self._deleted: list[tuple[int, Indicator, Step]] = []  # for Ctrl+Z

    # ------------------------------------------------------------------------- construction
    @classmethod
    def from_state(cls, state: dict, workspace: Workspace | None = None, *, cwd: Path | None = None) -> Draft:
        ws = workspace or Workspace()
        if state.get("template") not in ws.framework.templates:  # a template this framework lacks: its default
            state = {**state, "template": ""}
        session = Session.from_state(
            state, lambda s, step: Flow(s, ws.framework, ws.profile).valid(step), ws.framework.default_template
        )
        return cls(session, ws, cwd=cwd)

    @classmethod
    def from_table(
        cls, table: Table, workspace: Workspace | None = None, *, cwd: Path | None = None, path: Path | None = None
    ) -> Draft:
        """An existing table opened for editing: every step answered, the review first; saved back to `path`."""
        d = cls(None, workspace, cwd=cwd)
        s = d.session
        s.table = _copy.deepcopy(table)
        s.opened_from = str(Path(path).absolute()) if path is not None else ""
        s.answered = {*d.flow.header(), TEMPLATE, FieldStep(copy().goal.path), REVIEW}
        for l2 in d.flow.order:
            rows = s.rows(l2)
            if not rows:
                s.skipped.add(l2)
            for n in range(len(rows)):
                s.answered.update({RowStep(l2, n, "name"), RowStep(l2, n, "value")})
        s.step = REVIEW
        return d

    def use(self, workspace: Workspace) -> None:
        """The one way a loaded workspace reaches the draft (from the screen's WorkspaceReady handler)."""
        self.workspace = workspace
        self._lookups = Lookups(workspace)

    # ------------------------------------------------------------------------------- parts
    @property
    def flow(self) -> Flow:
        return Flow(self.session, self.workspace.framework, self.workspace.profile)

    @property
    def _asker(self) -> Asker:
        return Asker(self.session, self.flow, self._lookups, self.cwd)

    # The session's state, read by the screen and the tests.
    @property
    def table(self) -> Table:
        return self.session.table

    @property
    def step(self) -> Step:
        return self.session.step

    @property
    def key(self) -> str:
        return self.session.key

    @property
    def answered(self) -> set[Step]:
        return self.session.answered

    @property
    def saved_to(self) -> str:
        return self.session.saved_to

    # ------------------------------------------------------------------------------- asking
    def question(self) -> Question:
        """A getter: engine queries and corpus checks behind it are memoised per workspace."""
        return self._asker.question()

    def answer(self, text: str, *, value: str = "", from_table: bool = False) -> Outcome:
        """Take an answer for the current step; on success the draft moves on (a save comes back as a request).

        `value`: the 指标值 a chosen wording suggestion carries, taken along; `from_table`: it is another
        table's figure, so it is marked "请核实" as renew marks carried-over figures."""
        return Answerer(self._asker).answer(text, value, from_table)

    def save(self, path: str, *, overwrite: bool = False, with_errors: bool = False) -> Outcome:
        """Save after the user's choice in a dialog: "覆盖" (`overwrite`) or "仍然保存" (`with_errors`)."""
        return Answerer(self._asker)._save(path, overwrite=overwrite, with_errors=with_errors)

    def finish(self, result: FileResult) -> Outcome:
        """Hear how the screen performed the file request of the last answer (files.perform)."""
        answers = Answerer(self._asker)
        if isinstance(result.request, OpenRequest):
            return answers.opened(result.table, result.problem)
        return answers.saved(result.request, result.problem, result.copy_path, result.copy_problem)

    def findings(self) -> list[Finding]:
        return self._asker.findings()

    def header_defaults(self) -> list[tuple[str, str]]:
        """(path, value) the header step shows, in its order (its numbers are their places, from 1)."""
        return self._asker.header_defaults()

    def adopted_unnamed(self, findings: list[Finding]) -> list[int]:
        """Rows taken whole from the reference table that no finding names (the review's [沿用] lines)."""
        return self._asker.adopted_unnamed(findings)

    def to_table(self) -> Table:
        return self.session.to_table()

    def to_state(self) -> dict:
        return self.session.to_state()

    # ----------------------------------------------------------------------------- commands
    def back(self) -> bool:
        return self.session.back()

    def goto(self, step: Step | str) -> None:
        """Jump to any step that exists (from the review, the palette or a key)."""
        target = parse(step) if isinstance(step, str) else step
        if target is None:
            raise ValueError(f"no such step: {step}")
        self.flow.goto(target)

    def step_for(self, where: str) -> Step:
        return self.flow.step_for(where)

    def current_row(self) -> int | None:
        return self.flow.current_row()

    def skip(self) -> Outcome:
        """Leave out the current 二级 (only where that is allowed)."""
        return self.flow.skip()

    def delete_indicator(self, index: int) -> Outcome:
        inds = self.session.table.indicators
        if not 0 <= index < len(inds):
            return Outcome(False, copy().say("no_such_row"), "error")
        ind = inds.pop(index)
        self._deleted.append((index, ind, self.session.step))
        self.flow.after_delete()
        return Outcome(True, copy().say("deleted", name=ind.name))

    def undo_delete(self) -> Outcome:
        """Put the last deleted row back where it was (Ctrl+Z), and return to it."""
        if not self._deleted:
            return Outcome(False, copy().say("nothing_to_undo"), "warning")
        index, ind, step = self._deleted.pop()
        inds = self.session.table.indicators
        inds.insert(min(index, len(inds)), ind)
        self.session.history.append(self.session.step)
        self.session.step = step if self.flow.valid(step) else REVIEW
        return Outcome(True, copy().say("undeleted", name=ind.name))

    def move_indicator(self, index: int, delta: int) -> Outcome:
        """Move a row up (-1) or down (+1) within its 二级."""
        inds: list[Indicator] = self.session.table.indicators
        if not 0 <= index < len(inds):
            return Outcome(False, copy().say("no_such_row"), "error")
        rows = self.session.rows(inds[index].level2)
        pos = rows.index(index) + delta
        if not 0 <= pos < len(rows):
            return Outcome(False, copy().say("move_at_end"), "error")
        other = rows[pos]
        inds[index], inds[other] = inds[other], inds[index]
        return Outcome(True)

    def restart(self) -> None:
        self.session = Session(template_key=self.session.template_key)

    # ------------------------------------------------------------------------------ labels
    def steps(self) -> list[tuple[Step, str]]:
        """(step, label) for every step that has an answer to change, in table order (the palette's 跳到…)."""
        asker, s, t = self._asker, self.session, copy()["step_labels"]
        out: list[tuple[Step, str]] = [
            (FieldStep(f.path), t["field"].format(label=f.label, value=asker.current_text(f.path) or t["blank"]))
            for f in copy().header
        ]
        out.append((FieldStep(copy().goal.path), t["goal"].format(value=s.table.project.goal[:20] or t["blank"])))
        for l2 in self.flow.order:
            rows = s.rows(l2)
            for n, i in enumerate(rows):
                ind = s.table.indicators[i]
                out.append((RowStep(l2, n, "name"), t["row_name"].format(short=short(l2), name=ind.name)))
                value = ind.value or t["blank"]
                out.append((RowStep(l2, n, "value"), t["row_value"].format(short=short(l2), name=ind.name, value=value)))
            out.append((RowStep(l2, len(rows), "name"), t["row_new"].format(short=short(l2))))
        out += [(REVIEW, t["review"]), (SAVE, t["save"])]
        return out

    def help(self) -> str:
        q = self.question()
        return f"{q.prompt}\n{q.help}\n\n{copy()['keys']['help']}"

    def summary(self) -> str:
        """One line for "resume this draft?": name and how far it got."""
        t = copy()["summary"]
        name = self.session.table.project.name or t["unnamed"]
        q = self.question()
        done, total = q.progress
        return t["text"].format(name=name, done=done, total=total, prompt=q.prompt)


