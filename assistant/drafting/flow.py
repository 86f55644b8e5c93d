"""The order of the steps: which comes next, jumping and skipping, where a finding is answered."""

from __future__ import annotations

import re

from ..framework import Framework
from .copy import copy
from .outcome import Outcome
from .session import Session
from .steps import HEADER, REVIEW, TEMPLATE, FieldStep, HeaderStep, MoreStep, ReviewStep, RowStep, SaveStep, Step, TemplateStep, level2_of

_INDICATOR_PATH = re.compile(r"^indicators\[(\d+)\](?:\.(\w+))?$")


class Flow:
    """Navigation over one session with the framework's template order and requirement profile."""

    def __init__(self, session: Session, framework: Framework, profile: str | None) -> None:
        self.s = session
        self.fw = framework
        self.profile = profile

    # --------------------------------------------------------------------------- structure
    @property
    def order(self) -> list[str]:
        """The 二级 in the order the template lists them."""
        return [l2 for _, l2 in self.fw.template(self.s.template_key or None).order()]

    def header(self) -> list[FieldStep]:
        return [FieldStep(f.path) for f in copy().header]

    def required(self, level2: str) -> bool:
        """Whether leaving this 二级 empty would be an error-severity finding (the checks' requirement profile)."""
        rows = self.s.rows
        for req in self.fw.requirements(self.profile):
            if req.severity != "error":
                continue
            if level2 in req.level2 and not any(rows(l2) for l2 in req.level2 if l2 != level2):
                return True
            if req.level1 and level2 in self.order and self.fw.level1_for(level2) == req.level1:
                group = [l2 for l2 in self.order if self.fw.level1_for(l2) == req.level1]
                later = group[group.index(level2) + 1 :]
                if not any(rows(l2) for l2 in group if l2 != level2) and not later:
                    return True  # the last chance to give the required 一级 a row
        return False

    def valid(self, step: Step) -> bool:
        """Whether a step exists for this table (a row step needs its row, bar the next new one)."""
        if isinstance(step, FieldStep):
            return copy().field(step.path) is not None
        if isinstance(step, (HeaderStep, TemplateStep, ReviewStep, SaveStep)):
            return True
        if isinstance(step, RowStep):
            return step.level2 in self.fw.level2 and step.n <= len(self.s.rows(step.level2)) - (step.part == "value")
        if isinstance(step, MoreStep):
            return step.level2 in self.fw.level2
        return False

    def known_steps(self) -> int:
        rows = sum(len(self.s.rows(l2)) for l2 in self.order)
        return len(copy().header) + 2 + rows * 2 + len(self.order) + 2  # each 二级 ends with an empty Enter

    # -------------------------------------------------------------------------------- next
    def after_field(self, step: FieldStep) -> Step:
        """Where a header answer leads: back to the review after an edit from there, else the next field."""
        header = self.header()
        if self.s.editing:
            return REVIEW
        if self.s.history and self.s.history[-1] == HEADER and step != header[0] and copy().field(step.path).kind != "funding":
            return HEADER  # one field changed from the header overview: back to it
        if step == header[-1]:
            return TEMPLATE
        if step == FieldStep(copy().goal.path):  # rows taken from a reference table: checked in the review
            return REVIEW if self.s.adopted else self.category_start(0)
        return header[header.index(step) + 1]

    def category_start(self, index: int) -> Step:
        """The first step of the index-th 二级 (or the review after the last one)."""
        order = self.order
        while index < len(order):
            l2 = order[index]
            if l2 not in self.s.skipped or self.s.rows(l2):
                return RowStep(l2, 0, "name")
            index += 1
        return REVIEW

    def next_category(self, level2: str) -> Step:
        return self.category_start(self.order.index(level2) + 1)

    def goto(self, step: Step) -> None:
        """Jump to any step that exists (from the review or a command)."""
        if not self.valid(step):
            raise ValueError(f"no such step: {step}")
        self.s.pending = None
        # A change made from the review (or once it was reached) returns there when it is done.
        self.s.editing = step != REVIEW and (self.s.step == REVIEW or REVIEW in self.s.answered)
        self.s.history.append(self.s.step)
        self.s.step = step

    def skip(self) -> Outcome:
        """Leave out the current 二级 (only where that is allowed)."""
        l2 = level2_of(self.s.step)
        if l2 is None:
            return Outcome(False, copy().say("skip_not_here"), "error")
        if self.required(l2) and not self.s.rows(l2):
            return Outcome(False, copy().say("skip_required", level2=l2), "error")
        if not self.s.rows(l2):
            self.s.skipped.add(l2)
        self.s.advance(self.next_category(l2))
        return Outcome(True, copy().say("skipped", level2=l2))

    def step_for(self, where: str) -> Step:
        """The step that answers a finding's key path ("indicators[3].value" -> that row's value step)."""
        if copy().field(where) is not None:
            return FieldStep(where)
        if m := _INDICATOR_PATH.match(where):
            i = int(m.group(1))
            if i < len(self.s.table.indicators):
                ind = self.s.table.indicators[i]
                n = self.s.rows(ind.level2).index(i)
                return RowStep(ind.level2, n, "name" if m.group(2) == "name" else "value")
        if where == "indicators":
            missing = [l2 for l2 in self.order if not self.s.rows(l2)]
            return RowStep(missing[0], 0, "name") if missing else self.category_start(0)
        if where.startswith("funding"):
            return FieldStep("funding.total")
        return REVIEW

    def current_row(self) -> int | None:
        """The index into table.indicators of the row the current step is about, if any."""
        step = self.s.step
        if not isinstance(step, RowStep):
            return None
        rows = self.s.rows(step.level2)
        return rows[step.n] if step.n < len(rows) else None

    def insert(self, ind) -> None:
        """A new row goes after the last row of its 二级, or before the first row of a later one."""
        order = self.order
        rank = order.index(ind.level2) if ind.level2 in order else len(order)
        at = len(self.s.table.indicators)
        for i, other in enumerate(self.s.table.indicators):
            other_rank = order.index(other.level2) if other.level2 in order else len(order)
            if other_rank > rank:
                at = i
                break
        self.s.table.indicators.insert(at, ind)

    def after_delete(self) -> None:
        """After a row is deleted: stay in its 二级 at the next new row; forget steps that no longer exist."""
        step = self.s.step
        if isinstance(step, (RowStep, MoreStep)):
            self.s.step = RowStep(step.level2, len(self.s.rows(step.level2)), "name")
        self.s.history = [k for k in self.s.history if self.valid(k)]


