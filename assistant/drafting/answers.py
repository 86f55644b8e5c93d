"""An answer to the current step: read it, build the trial table, take the verdict from run_checks, move on."""

from __future__ import annotations

import copy as _copy
import re
from pathlib import Path

from ..adapt import adapter, subject_groups
from ..checks import run_checks
from ..model import Indicator, Table
from ..renew import REVIEW_NOTE, has_number, renew
from ..segment import first_word
from ..textnorm import tidy
from ..values import format_number, parse_amount
from .copy import FieldCopy, copy
from .outcome import Ask, OpenRequest, Outcome, SaveRequest
from .questions import Asker
from .steps import DONE, HEADER, REVIEW, SAVE, TEMPLATE, FieldStep, HeaderStep, MoreStep, ReviewStep, RowStep, SaveStep, TemplateStep

_CODE = re.compile(r"^\d{1,20}$")
# "保障村干部人数 60人", "…治理能力 显著提升": a wording and its value in one answer, split at the last space
# (a wording keeps no space next to 汉字: tidy drops it) when the value holds a number or 汉字 meet the space.
_WORDING_VALUE = re.compile(r"^(?P<name>.+?)[\s\u3000]+(?P<value>\S+)$")
_HAN_EDGE = re.compile(r"[\u4e00-\u9fff][\s\u3000]+\S|\S[\s\u3000]+[\u4e00-\u9fff]")
# The funding in one answer: "200", "200 180" (total, fiscal) or "200 180 20"; labels may be written.
_FUNDING_SPLIT = re.compile(r"[\s\u3000/、;；]+|(?=财政)|(?=其他)")
_FUNDING_LABEL = re.compile(r"^(?:年度资金总额|资金总额|总额|财政拨款|财政资金|财政|其他资金|其他)[:：]?")
_DEPARTMENT_WITH_CODE = re.compile(r"^(.*?\D)\s*(\d{2,})$")
AMOUNT_TOLERANCE = 5e-5  # half a yuan in 万元: amounts carry at most 4 decimals
# The funding is one answer: every rule about its three figures is judged there.
_FUNDING_RULES = ("funding-sum", "funding-value")


def adopted_rows(prior: Table | None) -> list[Indicator]:
    """A reference table's rows as the draft takes them: its figures marked for checking."""
    rows = _copy.deepcopy(prior.indicators) if prior is not None else []
    for ind in rows:
        if has_number(ind.name) or has_number(ind.value):
            ind.review = REVIEW_NOTE
    return rows


class Answerer:
    """Takes one answer for the session's current step; the session changes only when the answer is accepted."""

    def __init__(self, asker: Asker) -> None:
        self.ask = asker
        self.s, self.flow = asker.s, asker.flow

    def answer(self, text: str, value: str = "", from_table: bool = False) -> Outcome:
        """`value`: the 指标值 that came with a chosen suggestion; `from_table`: another table's figure."""
        self.carried, self.from_table = value, from_table
        step = self.s.step
        raw = text if step == FieldStep("project.goal") else text.strip()
        if isinstance(step, FieldStep):
            outcome = self._field(copy().field(step.path), raw)
        elif isinstance(step, HeaderStep):
            outcome = self._header(raw)
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
        if outcome.ok and (self.s.pending is None or self.s.pending[0] != self.s.step):
            self.s.pending = None  # kept only for a flagged value the next step asks to confirm
        return outcome

    def _confirm(self, value: str, message: str) -> Outcome | None:
        """A warning is confirmed by Enter on the unchanged answer: None when this is that second time."""
        if self.s.confirmed(value):
            return None
        return Outcome(False, copy().say("confirm", message=message), "warning")

    def _check_at(self, trial: Table, where: str, value: str, *, also: tuple[str, ...] = ()) -> Outcome | None:
        """Findings of the checks module at this key path (and the rules in `also`): errors block, warnings ask."""
        found = [
            f
            for f in run_checks(trial, framework=self.flow.fw, profile=self.flow.profile)
            if f.where == where or f.code in also
        ]
        errors = [f for f in found if f.severity == "error"]
        if errors:
            return Outcome(False, errors[0].message, "error")
        warnings = [f for f in found if f.severity == "warning"]
        if warnings:
            return self._confirm(value, warnings[0].message)
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
        elif f.kind == "funding":
            problem = self._funding(trial, value)
            if problem is not None:
                return problem
        else:
            setattr(trial.project, name, value)
            if f.path == "project.department":
                m = _DEPARTMENT_WITH_CODE.match(value)
                if m and FieldStep("project.department_code") not in self.s.answered:
                    trial.project.department, trial.project.department_code = m.group(1).strip(), m.group(2)
        if f.path == "project.goal":
            trial.project.review = ""  # the user has looked at the goal: renew's mark is done
        elif f.kind == "funding":
            trial.funding.review = ""  # confirmed or changed: renew's mark is done
        problem = self._check_at(trial, f.path, value, also=_FUNDING_RULES if f.kind == "funding" else ())
        if problem is not None:
            return problem
        self.s.table = trial
        step = FieldStep(f.path)
        to = self.flow.after_field(step)
        if step == self.flow.header()[0] and not self.s.editing and self.ask.header_defaults():
            to = HEADER  # every header default is the user's own: one step takes them all
        self.s.advance(to, step)
        return Outcome(True)

    def _header(self, raw: str) -> Outcome:
        """Enter takes every default shown (each through its own checks); a number opens that one field."""
        defaults = self.ask.header_defaults()
        if not defaults:  # a resumed draft whose own tables are gone: the fields are asked one by one
            self.s.advance(self.flow.header()[1])
            return Outcome(True)
        choice = raw or copy()["header"]["all"]
        if choice.isdigit():
            n = int(choice)
            if not 1 <= n <= len(defaults):
                return Outcome(False, copy().say("bad_finding_number", count=len(defaults)), "error")
            for path, value in defaults[: n - 1]:  # the fields above it as shown (代码 follows the 主管部门)
                name = path.split(".", 1)[1]
                setattr(self.s.table.project, name, int(value) if name == "year" else value)
            self.s.history.append(self.s.step)
            self.s.step = FieldStep(defaults[n - 1][0])
            return Outcome(True)
        if choice not in copy().words("accept_all") | {copy()["header"]["all"]}:
            return Outcome(False, copy().say("header_choice", count=len(defaults)), "error")
        start = len(self.s.history)
        for path, _ in defaults:
            self.s.step = FieldStep(path)
            outcome = self._field(copy().field(path), "")
            if not outcome.ok:  # the field with the problem is asked on its own
                del self.s.history[start:]
                self.s.history.append(HEADER)
                self.s.step = FieldStep(path)
                return outcome
        to = self.s.step
        del self.s.history[start:]
        self.s.history.append(HEADER)
        self.s.answered.add(HEADER)
        self.s.step = to
        return Outcome(True)

    @staticmethod
    def _funding(trial: Table, value: str) -> Outcome | None:
        """总额, or 总额 财政 (其他 is the rest), or all three, read into the trial table so that the sum holds.
        With the total alone, 其他资金 already given is kept and 财政拨款 is the rest (a renewed table's
        split survives a new total); whether the figures are valid is the checks' verdict."""
        parts = [_FUNDING_LABEL.sub("", p) for p in _FUNDING_SPLIT.split(value) if p.strip()]
        amounts = [parse_amount(p) for p in parts if p]
        if not amounts or len(amounts) > 3 or any(a is None for a in amounts):
            return Outcome(False, copy().say("bad_amount"), "error")
        money = trial.funding
        total = round(amounts[0], 6)
        if len(amounts) == 1:
            other = money.other if 0 < money.other <= total else 0.0
            fiscal = round(total - other, 6)
        elif len(amounts) == 2:
            fiscal = round(amounts[1], 6)
            if fiscal > total + AMOUNT_TOLERANCE:
                return Outcome(False, copy().say("fiscal_over_total", total=format_number(total)), "error")
            other = round(total - fiscal, 6)
        else:
            fiscal, other = round(amounts[1], 6), round(amounts[2], 6)
        money.total, money.fiscal, money.other = total, fiscal, other
        return None

    # ---------------------------------------------------------------------------- template
    def _template(self, raw: str) -> Outcome:
        choice = raw or self.ask.question().default
        if choice in copy().words("blank_template"):
            self._take_reference(None)
        elif choice.isdigit():
            options = self.ask.similar()
            n = int(choice)
            if not 1 <= n <= len(options):
                return Outcome(False, copy().say("bad_template_number", count=len(options)), "error")
            self._take_reference(self._adapted(options[n - 1]), options[n - 1].project.name)
        else:
            path = Path(choice).expanduser()
            return Outcome(True, request=OpenRequest(path if path.is_absolute() else self.ask.cwd / path))
        self.s.advance(FieldStep("project.goal"), TEMPLATE)
        return Outcome(True)

    def opened(self, table: Table | None, problem: str) -> Outcome:
        """The screen's report on an OpenRequest: the reference table, or why it could not be read."""
        if table is None:
            return Outcome(False, copy().say("unreadable_template", error=problem), "error")
        self._take_reference(self._adapted(table), table.project.name)
        self.s.pending = None
        self.s.advance(FieldStep("project.goal"), TEMPLATE)
        return Outcome(True)

    def _take_reference(self, prior: Table | None, source: str = "") -> None:
        """The chosen table's rows become the draft's ("same as last year, new numbers"): every figure marked
        「沿用上年数值，请核实」 as renew marks it, and the review lists every row before the table can be saved.
        Rows the user wrote are never replaced: with those the reference only offers its rows as defaults."""
        s = self.s
        if s.adopted and s.table.indicators == adopted_rows(s.prior):
            s.table.indicators = []  # another choice replaces rows the user has not touched yet
        s.adopted = ""
        s.prior = prior
        if prior is not None and not s.table.indicators and prior.indicators:
            s.table.indicators = adopted_rows(prior)
            s.adopted = source or prior.project.name  # as the user chose it (the adapted copy has this year's)
            s.skipped.clear()
            s.answered.discard(REVIEW)  # seen in the review before it is saved

    def _adapted(self, prior: Table) -> Table:
        """The chosen table moved to the drafted project: years by `renew`, subjects by the adapter.
        Its goal is offered; its rows are taken into the draft (`_take_reference`) and checked in the review."""
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
        if step.part == "value":
            return self._value(step, raw)
        l2, n = step.level2, step.n
        rows = self.s.rows(l2)
        carried = ""  # a value given with the wording ("保障村干部人数 60人", a suggestion, the reference row)
        borrowed = False  # taken from another table: marked "请核实" as renew marks carried-over figures
        typed = False  # the value was typed, not taken as a table or the library wrote it
        if raw:
            text = tidy(raw)  # tidy drops spaces next to 汉字: split first
            m = _WORDING_VALUE.match(raw.strip())
            if m and (any(c.isdigit() for c in m["value"]) or _HAN_EDGE.search(m.group(0)[len(m["name"]) - 1 :])):
                text, carried, typed = tidy(m["name"]), tidy(m["value"]), True
            elif self.carried:
                carried, borrowed = tidy(self.carried), self.from_table
        else:
            text, carried = self._default_row(step)
            borrowed = bool(carried)
        if not text:
            if n < len(rows):
                return Outcome(False, copy().say("empty_row_name"), "error")
            if self.flow.required(l2) and n == 0:
                return Outcome(False, copy().say("required_category", level2=l2), "error")
            if n == 0:
                self.s.skipped.add(l2)
            self._advance_row(self.flow.next_category(l2), step)
            return Outcome(True, copy().say("skipped", level2=l2) if n == 0 else copy().say("category_done", level2=l2))
        twins = [i for i in rows if self.s.table.indicators[i].name == text and (n >= len(rows) or i != rows[n])]
        if twins:
            problem = self._confirm(raw or text, copy().say("duplicate_row", level2=l2, name=text))
            if problem:
                return problem
        self.s.skipped.discard(l2)
        if n < len(rows):
            ind = self.s.table.indicators[rows[n]]
            ind.name = text
        else:
            ind = Indicator(self.flow.fw.level1_for(l2), l2, text, "")
            self.flow.insert(ind)
        self.s.answered.add(step)
        value_step = RowStep(l2, n, "value")
        if carried:
            ind.value = carried
            ind.review = REVIEW_NOTE if borrowed and has_number(carried) else ""
            problem = self._value_problem(self.s.table.indicators.index(ind), carried)
            if problem is not None and problem.severity == "warning" and self.carried and not typed:
                # A suggestion the user picked, its value exactly as its source wrote it, flagged by a warning
                # (有效提高 is vague): no second question; the warning stays in the review's list. (A default
                # taken by Enter alone still stops at its value: Enter never passes a flagged value unseen.)
                problem = None
            if problem is None:
                self.s.answered.add(value_step)
                self._advance_row(RowStep(l2, n + 1, "name"), step)
                return Outcome(True)
            self.s.advance(value_step)  # the value question follows only for a flagged value
            if problem.severity == "warning":
                self.s.pending = (value_step, carried)  # Enter on it there confirms
            return Outcome(True, problem.message, "info")
        if self.s.editing and ind.value:
            self._advance_row(REVIEW, step)  # only the wording was to change
            return Outcome(True)
        self.s.advance(value_step)
        return Outcome(True)

    def _default_row(self, step: RowStep) -> tuple[str, str]:
        """(wording, value) Enter takes on an empty answer: the row as it is, or the reference table's row."""
        rows = self.s.rows(step.level2)
        if step.n < len(rows):
            return self.s.table.indicators[rows[step.n]].name, ""
        prior = self.s.prior_rows(step.level2)
        if step.n < len(prior):
            return prior[step.n].name, prior[step.n].value
        return "", ""

    def _advance_row(self, to, answered) -> None:
        """After a row: the next one, or back to the review when this was an edit from there."""
        self.s.advance(REVIEW if self.s.editing and to != REVIEW else to, answered)

    def _value_problem(self, index: int, value: str) -> Outcome | None:
        """The checks' verdict on a row's value: an error, a warning, or None."""
        trial = _copy.deepcopy(self.s.table)
        trial.indicators[index].value = value
        found = [
            f
            for f in run_checks(trial, framework=self.flow.fw, profile=self.flow.profile)
            if f.where == f"indicators[{index}].value" and f.code != "review-mark"
        ]
        for severity in ("error", "warning"):
            hit = next((f for f in found if f.severity == severity), None)
            if hit is not None:
                return Outcome(False, hit.message, severity)
        return None

    def _value(self, step: RowStep, raw: str) -> Outcome:
        l2, n = step.level2, step.n
        rows = self.s.rows(l2)
        value = tidy(raw) if raw else self.ask.question().default
        if not value:
            return Outcome(False, copy().say("empty_value"), "error")
        index = rows[n]
        trial = _copy.deepcopy(self.s.table)
        trial.indicators[index].value = value
        trial.indicators[index].review = ""  # confirmed or changed by the user: the mark is done
        problem = self._check_at(trial, f"indicators[{index}].value", value)
        if problem is not None:
            return problem
        self.s.table = trial
        self._advance_row(RowStep(l2, n + 1, "name"), step)
        return Outcome(True)

    def _more(self, step: MoreStep, raw: str) -> Outcome:
        """Only an older draft stops here (the question is no longer asked): yes adds a row, no moves on."""
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
        findings = self.ask.findings()
        choice = raw or self.ask.question().default
        if choice in copy().words("save"):  # to the path the review shows (Ctrl+S asks for another one)
            self.s.answered.add(REVIEW)
            return self._save(self.ask.save_path())
        if choice.lower() in copy().words("confirm_mark"):  # the first carried figure still to confirm
            mark = next((f for f in findings if f.code == "review-mark"), None)
            if mark is not None:
                return self._confirm_mark(mark)
        adopted = self.ask.adopted_unnamed(findings)
        if choice.isdigit() and 1 <= int(choice) <= len(findings) + len(adopted):
            n = int(choice)
            where = findings[n - 1].where if n <= len(findings) else f"indicators[{adopted[n - len(findings) - 1]}].value"
            target = self.flow.step_for(where)
            self.s.answered.add(REVIEW)
            self.s.history.append(self.s.step)
            self.s.step = target
            self.s.editing = target != REVIEW
            return Outcome(True)
        count = len(findings) + len(adopted)
        return Outcome(False, copy().say("bad_finding_number", count=count) if count else copy().say("review_clean"), "error")

    def _confirm_mark(self, finding) -> Outcome:
        """A carried figure (a review-mark finding) confirmed in place, in the review: its 「请核实」 mark is done,
        the value unchanged."""
        table = self.s.table
        if finding.where == "project.goal":
            table.project.review = ""
        elif finding.where.startswith("funding"):
            table.funding.review = ""
        else:
            index = int(re.match(r"^indicators\[(\d+)\]", finding.where).group(1))
            table.indicators[index].review = ""
        self.s.answered.add(REVIEW)
        return Outcome(True, copy().say("mark_confirmed", what=self.ask._finding_label(finding)))

    def target(self, raw: str) -> Path:
        target = Path(raw or self.ask.question().default).expanduser()
        if not target.is_absolute():
            target = self.ask.cwd / target
        if target.suffix.lower() != ".toml":
            target = target.with_name(target.name + ".toml")
        return target

    def _save(self, raw: str, *, overwrite: bool = False, with_errors: bool = False) -> Outcome:
        """Not written here: a SaveRequest for the screen, which reports back through Draft.finish.

        A table with errors is saved only when the user chose "仍然保存" (`with_errors`), and never into the
        corpus; another file is replaced only when the user chose "覆盖" (`overwrite`), never on a second Enter.
        """
        if self.s.adopted and REVIEW not in self.s.answered:  # rows taken whole are seen before they are saved
            self.s.history.append(self.s.step)
            self.s.step = REVIEW
            return Outcome(True, copy().say("review_first"))
        target = self.target(raw)
        errors = sum(f.severity == "error" for f in self.ask.findings())
        if errors and not with_errors:
            return Outcome(False, copy().say("save_has_errors", count=errors), "error", ask=Ask("errors", target))
        own = str(target) in (self.s.saved_to, self.s.opened_from)
        corpus = None if errors else Path(self.s.corpus_copy) if self.s.corpus_copy else True
        return Outcome(True, request=SaveRequest(target, self.s.to_table(), overwrite or own, corpus))

    def saved(self, request: SaveRequest, problem: str, copy_path: Path | None, copy_problem: str = "") -> Outcome:
        """The screen's report on a SaveRequest: "" (written), "exists" (ask first), "folder" or the reason it failed."""
        target = request.target
        if problem == "exists":
            return Outcome(False, copy().say("save_exists", target=target), "warning", ask=Ask("overwrite", target))
        if problem == "folder":
            return Outcome(False, copy().say("save_folder", target=target), "error")
        if problem:
            return Outcome(False, copy().say("save_failed", target=target, reason=problem), "error")
        self.s.pending = None
        self.s.saved_to = str(target)
        if copy_path is not None:
            self.s.corpus_copy = str(copy_path)
        self.s.advance(DONE, SAVE)
        if copy_problem:  # the file was written: say so, and that only the corpus copy failed
            return Outcome(True, copy().say("saved_no_copy", target=target, reason=copy_problem))
        if copy_path is None:
            return Outcome(True, copy().say("saved_not_in_corpus", target=target))
        return Outcome(True, copy().say("saved", target=target, copy=copy_path))
