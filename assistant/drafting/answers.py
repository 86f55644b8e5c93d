"""An answer to the current step: read it, build the trial table, take the verdict from run_checks, move on."""

from __future__ import annotations

import copy as _copy
import re
from pathlib import Path

from ..adapt import adapter, subject_groups
from ..checks import run_checks
from ..model import Indicator, Table
from ..renew import renew
from ..segment import first_word
from ..textnorm import tidy
from ..values import format_number, parse_amount
from .copy import FieldCopy, copy
from .outcome import OpenRequest, Outcome, SaveRequest
from .questions import Asker
from .steps import DONE, REVIEW, SAVE, TEMPLATE, FieldStep, MoreStep, ReviewStep, RowStep, SaveStep, TemplateStep

_CODE = re.compile(r"^\d{1,20}$")
_DEPARTMENT_WITH_CODE = re.compile(r"^(.*?\D)\s*(\d{2,})$")
AMOUNT_TOLERANCE = 5e-5  # half a yuan in 万元: amounts carry at most 4 decimals
# The sum of the funding is judged when its last part is given (at 其他资金), not on the total alone.
_ASKED_LATER = ("funding-sum",)


class Answerer:
    """Takes one answer for the session's current step; the session changes only when the answer is accepted."""

    def __init__(self, asker: Asker) -> None:
        self.ask = asker
        self.s, self.flow = asker.s, asker.flow

    def answer(self, text: str) -> Outcome:
        step = self.s.step
        raw = text if step == FieldStep("project.goal") else text.strip()
        if isinstance(step, FieldStep):
            outcome = self._field(copy().field(step.path), raw)
        elif isinstance(step, TemplateStep):
            return self._template(raw)  # a named file comes back as an OpenRequest
        elif isinstance(step, RowStep):
            outcome = self._row(step, raw)
        elif isinstance(step, MoreStep):
            outcome = self._more(step, raw)
        elif isinstance(step, ReviewStep):
            outcome = self._review(raw)
        elif isinstance(step, SaveStep):
            return self._save(raw)  # pending stays: the save is confirmed only once it is written
        else:
            outcome = Outcome(False, copy().say("finished"), "error")
        if outcome.ok:
            self.s.pending = None
        return outcome

    def _confirm(self, step, value: str, message: str) -> Outcome | None:
        """Warnings need the same answer twice: None when this is the second time."""
        if self.s.confirmed(step, value):
            return None
        return Outcome(False, copy().say("confirm", message=message), "warning")

    def _check_at(self, trial: Table, where: str, value: str, *, also: tuple[str, ...] = ()) -> Outcome | None:
        """Findings of the checks module at this key path (and the rules in `also`): errors block, warnings ask."""
        found = [
            f
            for f in run_checks(trial, framework=self.flow.fw, profile=self.flow.profile)
            if (f.where == where and f.code not in _ASKED_LATER) or f.code in also
        ]
        errors = [f for f in found if f.severity == "error"]
        if errors:
            return Outcome(False, errors[0].message, "error")
        warnings = [f for f in found if f.severity == "warning"]
        if warnings:
            return self._confirm(where, value, warnings[0].message)
        return None

    # ------------------------------------------------------------------------------ header
    def _field(self, f: FieldCopy, raw: str) -> Outcome:
        value = raw if raw else self.ask.default(f.path)
        if f.kind != "multiline":
            value = tidy(value)
        else:
            value = "\n".join(line.strip() for line in value.strip().splitlines())
        if not value.strip():
            return Outcome(False, copy().say("empty_field", label=f.label), "error")
        name = f.path.split(".", 1)[1]
        trial = _copy.deepcopy(self.s.table)
        if f.kind == "year":
            if not re.fullmatch(r"\d{4}", value) or not 2000 <= int(value) <= 2100:
                return Outcome(False, copy().say("bad_year"), "error")
            trial.project.year = int(value)
        elif f.kind == "code":
            if not _CODE.match(value):
                return Outcome(False, copy().say("bad_code"), "error")
            trial.project.department_code = value
        elif f.kind == "amount":
            problem = self._amount(trial, name, value)
            if problem is not None:
                return problem
        else:
            setattr(trial.project, name, value)
            if f.path == "project.department":
                m = _DEPARTMENT_WITH_CODE.match(value)
                if m and FieldStep("project.department_code") not in self.s.answered:
                    trial.project.department, trial.project.department_code = m.group(1).strip(), m.group(2)
        problem = self._check_at(trial, f.path, value, also=_ASKED_LATER if f.path == "funding.other" else ())
        if problem is not None:
            return problem
        if f.path == "project.goal":
            trial.project.review = ""  # the user has looked at the goal: renew's mark is done
        elif f.path == "funding.other":
            trial.funding.review = ""
        self.s.table = trial
        step = FieldStep(f.path)
        self.s.advance(self.flow.after_field(step), step)
        return Outcome(True)

    @staticmethod
    def _amount(trial: Table, name: str, value: str) -> Outcome | None:
        """One of the three amounts read into the trial table. Whether it is a valid amount and whether the
        three add up is the checks' verdict (funding-value, funding-sum); this only reads the number and
        keeps 财政拨款 within the total already given, which no check can judge before 其他资金 is known."""
        amount = parse_amount(value)
        if amount is None:
            return Outcome(False, copy().say("bad_amount"), "error")
        money = trial.funding
        setattr(money, name, round(amount, 6))
        if name == "fiscal" and amount > money.total + AMOUNT_TOLERANCE:
            return Outcome(False, copy().say("fiscal_over_total", total=format_number(money.total)), "error")
        return None

    # ---------------------------------------------------------------------------- template
    def _template(self, raw: str) -> Outcome:
        choice = raw or self.ask.question().default
        if choice in copy().words("blank_template"):
            self.s.prior = None
        elif choice.isdigit():
            options = self.ask.similar()
            n = int(choice)
            if not 1 <= n <= len(options):
                return Outcome(False, copy().say("bad_template_number", count=len(options)), "error")
            self.s.prior = self._adapted(options[n - 1])
        else:
            path = Path(choice).expanduser()
            return Outcome(True, request=OpenRequest(path if path.is_absolute() else self.ask.cwd / path))
        self.s.advance(FieldStep("project.goal"), TEMPLATE)
        return Outcome(True)

    def opened(self, table: Table | None, problem: str) -> Outcome:
        """The screen's report on an OpenRequest: the reference table, or why it could not be read."""
        if table is None:
            return Outcome(False, copy().say("unreadable_template", error=problem), "error")
        self.s.prior = self._adapted(table)
        self.s.pending = None
        self.s.advance(FieldStep("project.goal"), TEMPLATE)
        return Outcome(True)

    def _adapted(self, prior: Table) -> Table:
        """The chosen table moved to the drafted project: years by `renew`, subjects by the adapter.
        Its goal and rows become defaults that the user confirms one by one."""
        p = self.s.table.project
        out = _copy.deepcopy(prior)
        if p.year and prior.project.year and p.year > prior.project.year:
            out = renew(prior, p.year)
        a = adapter(out.project.name, p.year or 0, p.name, p.year, subject_groups(), first_word)  # subjects only
        if a:
            out.project.goal = a.apply(out.project.goal)
            for ind in out.indicators:
                ind.name, ind.value = a.apply(ind.name), a.apply(ind.value)
        return out

    # -------------------------------------------------------------------------------- rows
    def _row(self, step: RowStep, raw: str) -> Outcome:
        l2, n = step.level2, step.n
        rows = self.s.rows(l2)
        if step.part == "name":
            text = tidy(raw) if raw else self.ask.question().default
            if not text:
                if n < len(rows):
                    return Outcome(False, copy().say("empty_row_name"), "error")
                if self.flow.required(l2) and n == 0:
                    return Outcome(False, copy().say("required_category", level2=l2), "error")
                if n == 0:
                    self.s.skipped.add(l2)
                self.s.advance(self.flow.next_category(l2), step)
                return Outcome(True, copy().say("skipped", level2=l2) if n == 0 else "")
            twins = [i for i in rows if self.s.table.indicators[i].name == text and (n >= len(rows) or i != rows[n])]
            if twins:
                problem = self._confirm(step, text, copy().say("duplicate_row", level2=l2, name=text))
                if problem:
                    return problem
            self.s.skipped.discard(l2)
            if n < len(rows):
                self.s.table.indicators[rows[n]].name = text
            else:
                self.flow.insert(Indicator(self.flow.fw.level1_for(l2), l2, text, ""))
            self.s.advance(RowStep(l2, n, "value"), step)
            return Outcome(True)
        value = tidy(raw) if raw else self.ask.question().default
        if not value:
            return Outcome(False, copy().say("empty_value"), "error")
        index = rows[n]
        trial = _copy.deepcopy(self.s.table)
        trial.indicators[index].value = value
        trial.indicators[index].review = ""  # confirmed by the user
        problem = self._check_at(trial, f"indicators[{index}].value", value)
        if problem is not None:
            return problem
        self.s.table = trial
        self.s.advance(REVIEW if REVIEW in self.s.answered else MoreStep(l2), step)
        return Outcome(True)

    def _more(self, step: MoreStep, raw: str) -> Outcome:
        choice = (raw or self.ask.question().default).lower()
        if choice in copy().words("yes"):
            self.s.advance(RowStep(step.level2, len(self.s.rows(step.level2)), "name"), step)
        elif choice in copy().words("no"):
            self.s.advance(self.flow.next_category(step.level2), step)
        else:
            return Outcome(False, copy().say("yes_or_no"), "error")
        return Outcome(True)

    # ------------------------------------------------------------------------ review, save
    def _review(self, raw: str) -> Outcome:
        if raw in copy().words("save"):
            self.s.advance(SAVE, REVIEW)
            return Outcome(True)
        findings = self.ask.findings()
        if raw.isdigit() and 1 <= int(raw) <= len(findings):
            target = self.flow.step_for(findings[int(raw) - 1].where)
            self.s.answered.add(REVIEW)
            self.s.history.append(self.s.step)
            self.s.step = target
            return Outcome(True)
        return Outcome(False, copy().say("bad_finding_number", count=len(findings)) if findings else copy().say("review_clean"), "error")

    def _save(self, raw: str) -> Outcome:
        """Not written here: a SaveRequest for the screen, which reports back through Draft.finish."""
        target = Path(raw or self.ask.question().default).expanduser()
        if not target.is_absolute():
            target = self.ask.cwd / target
        if target.suffix.lower() != ".toml":
            target = target.with_name(target.name + ".toml")
        overwrite = self.s.pending == (SAVE, str(target))
        return Outcome(True, request=SaveRequest(target, self.s.to_table(), overwrite))

    def saved(self, target: Path, problem: str, copy_path: Path | None, copy_problem: str = "") -> Outcome:
        """The screen's report on a SaveRequest: "" (written), "exists" (ask first), "folder" or the reason it failed."""
        if problem == "exists":
            confirm = self._confirm(SAVE, str(target), copy().say("save_exists", target=target))
            return confirm or Outcome(False, copy().say("save_exists", target=target), "error")
        if problem == "folder":
            return Outcome(False, copy().say("save_folder", target=target), "error")
        if problem:
            return Outcome(False, copy().say("save_failed", target=target, reason=problem), "error")
        self.s.pending = None
        self.s.saved_to = str(target)
        self.s.advance(DONE, SAVE)
        if copy_problem:  # the file was written: say so, and that only the corpus copy failed
            return Outcome(True, copy().say("saved_no_copy", target=target, reason=copy_problem))
        return Outcome(True, copy().say("saved", target=target, copy=copy_path))


