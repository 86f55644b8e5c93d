"""The draft as plain data: the table, where the user is, what was answered; to and from draft.json state."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from ..adapt import name_year
from ..model import Funding, Indicator, Project, Source, Table
from .steps import DONE, REVIEW, FieldStep, Step, dump, parse

FIRST: Step = FieldStep("project.name")


@dataclass
class Session:
    """No I/O, no engine: every change is a method here or a new trial table from answers.py."""

    table: Table = field(default_factory=Table)
    step: Step = FIRST
    history: list[Step] = field(default_factory=list)
    answered: set[Step] = field(default_factory=set)
    skipped: set[str] = field(default_factory=set)  # 二级 the user chose to leave out
    prior: Table | None = None  # the table the user chose to start from (adapted)
    pending: tuple[Step, str] | None = None  # (step, answer) a warning was shown for: Enter on it confirms
    saved_to: str = ""
    template_key: str = ""
    opened_from: str = ""  # the file the table was opened from: saving there needs no confirmation
    corpus_copy: str = ""  # this draft's copy in the user's corpus (a re-save replaces it, never another file)
    adopted: str = ""  # the reference table whose rows the draft took: the review lists them before saving
    editing: bool = False  # jumped from the review to change one answer: once it is done, back to the review

    @property
    def key(self) -> str:
        """The current step in its serialised form (draft.json, tests, stale-message checks)."""
        return dump(self.step)

    # ----------------------------------------------------------------------------- rows
    def rows(self, level2: str) -> list[int]:
        """Indices into table.indicators of the rows of one 二级."""
        return [i for i, ind in enumerate(self.table.indicators) if ind.level2 == level2]

    def prior_rows(self, level2: str) -> list[Indicator]:
        return [i for i in self.prior.indicators if i.level2 == level2] if self.prior else []

    # ----------------------------------------------------------------------------- moves
    def advance(self, to: Step, answered: Step | None = None) -> None:
        if answered is not None:
            self.answered.add(answered)
        self.history.append(self.step)
        self.step = to
        if to == REVIEW:
            self.editing = False

    def back(self) -> bool:
        """Return to the previous step (its answer is kept as the default). False at the start."""
        if not self.history:
            return False
        self.pending = None
        self.step = self.history.pop()
        return True

    def confirmed(self, value: str) -> bool:
        """A warning is confirmed by giving the same answer again (Enter on the unchanged text): True then,
        else remember this answer as the one the warning was about."""
        if self.pending == (self.step, value):
            return True
        self.pending = (self.step, value)
        return False

    def warned_value(self) -> str | None:
        """The answer a warning is waiting on at the current step (the screen keeps it for Enter to confirm)."""
        return self.pending[1] if self.pending and self.pending[0] == self.step else None

    # ------------------------------------------------------------------------- persistence
    def to_state(self) -> dict:
        """Everything needed to resume, as JSON-able data (the draft.json format, version 1)."""
        state = {
            "version": 1,
            "table": asdict(self.table),
            "prior": asdict(self.prior) if self.prior else None,
            "key": dump(self.step),
            "history": [dump(s) for s in self.history],
            "answered": sorted(dump(s) for s in self.answered),
            "skipped": sorted(self.skipped),
            "template": self.template_key,
            "saved_to": self.saved_to,
        }
        # Later additions are written only when set, so an older draft resumes and saves back unchanged.
        extra = {
            "opened_from": self.opened_from, "corpus_copy": self.corpus_copy, "editing": self.editing, "adopted": self.adopted,
        }  # fmt: skip
        return state | {k: v for k, v in extra.items() if v}

    @classmethod
    def from_state(cls, state: dict, valid: Callable[[Session, Step], bool], template_key: str) -> Session:
        """A session from saved state; steps that no longer exist (`valid`) are dropped, an unknown one is the review."""
        s = cls(template_key=state.get("template") or template_key)
        s.table = table_from(state["table"])
        s.prior = table_from(state["prior"]) if state.get("prior") else None
        s.answered = {step for k in state.get("answered", []) if (step := parse(k)) is not None}
        s.skipped = set(state.get("skipped", []))
        s.history = [step for k in state.get("history", []) if (step := parse(k)) is not None and valid(s, step)]
        s.saved_to = state.get("saved_to", "")
        s.opened_from = state.get("opened_from", "")
        s.corpus_copy = state.get("corpus_copy", "")
        s.editing = bool(state.get("editing", False))
        adopted = state.get("adopted", "")
        s.adopted = adopted if isinstance(adopted, str) else ""
        step = parse(state.get("key", dump(FIRST)))
        s.step = step if step is not None and (step == DONE or valid(s, step)) else REVIEW
        return s

    def to_table(self) -> Table:
        """The table as it would be saved (the year read from the name when not given)."""
        table = copy.deepcopy(self.table)
        if table.project.year is None:
            table.project.year = name_year(table.project.name)
        return table


def table_from(data: dict) -> Table:
    p = Project(**data["project"])
    f = Funding(**data["funding"])
    inds = [Indicator(**i) for i in data.get("indicators", [])]
    src = Source(**data["source"]) if data.get("source") else None
    return Table(p, f, inds, src, data.get("schema", 1))
