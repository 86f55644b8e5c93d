"""What the app shows for the current step: a Question built from the session, the copy and memoised lookups."""

from __future__ import annotations

import copy as copy_module
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..adapt import core_name, name_year
from ..checks import Finding, describe_where
from ..filenames import slug
from ..renew import has_number
from ..values import format_number
from .copy import FieldCopy, copy
from .flow import Flow
from .lookups import Lookups
from .session import Session
from .steps import DONE, HEADER, REVIEW, SAVE, TEMPLATE, FieldStep, HeaderStep, MoreStep, ReviewStep, RowStep, SaveStep, Step, TemplateStep

# Header fields whose default and choices are the corpus's values.
_CORPUS_VALUES = ("project.department", "project.department_code", "project.implementing_unit", "project.attribute", "project.period")
# Of those, the ones that name the user's unit: a default only from the user's own saved tables.
_OWN_ONLY = ("project.department", "project.department_code", "project.implementing_unit")
SEVERITIES = ("error", "warning", "info")


@dataclass
class Question:
    """What the app shows for one step."""

    step: Step
    section: str  # "项目信息", "绩效指标·产出指标·数量指标" …
    prompt: str
    help: str  # for new staff: what it means and how a good answer is written
    kind: str = "text"  # text, multiline, year, code, amount, choice, confirm, review, save, done
    default: str = ""
    examples: list[str] = field(default_factory=list)
    choices: list[tuple[str, str]] = field(default_factory=list)  # (answer, label)
    suggest: dict | None = None  # arguments for Engine.suggest, or None where suggestions make no sense
    optional: bool = False
    progress: tuple[int, int] = (0, 0)  # (answered steps, known steps)
    notes: list[str] = field(default_factory=list)  # the review's ✓ lines (what the checks found right)
    keys: frozenset[str] = frozenset()  # answers one key gives at once on an empty line ("y" in the review)

    @property
    def key(self) -> str:
        return str(self.step)


def short(level2: str) -> str:
    return level2.removesuffix("指标")


class Asker:
    """Builds the question for the session's current step; reads only, never changes the session."""

    def __init__(self, session: Session, flow: Flow, lookups: Lookups, cwd: Path) -> None:
        self.s, self.flow, self.look, self.cwd = session, flow, lookups, cwd

    def question(self) -> Question:
        step = self.s.step
        progress = (len(self.s.answered), self.flow.known_steps())
        text = copy()
        if isinstance(step, FieldStep):
            return self._field(text.field(step.path), progress)
        if isinstance(step, HeaderStep):
            return self._header(progress)
        if isinstance(step, TemplateStep):
            return self._template(progress)
        if isinstance(step, RowStep):
            return self._row(step, progress)
        if isinstance(step, MoreStep):
            n = len(self.s.rows(step.level2))
            more = n < len(self.s.prior_rows(step.level2))
            t = text["more"]
            yes, no = text["defaults"]["yes"], text["defaults"]["no"]
            return Question(
                step, self.section(step.level2), t["prompt"].format(short=short(step.level2)), t["help"].format(count=n),
                kind="confirm", default=yes if more else no, choices=[(yes, t["yes"]), (no, t["no"])], progress=progress,
            )  # fmt: skip
        if isinstance(step, ReviewStep):
            return self._review(progress)
        if isinstance(step, SaveStep):
            t = text["save"]
            return Question(
                SAVE, text["sections"]["save"], t["prompt"], t["help"], kind="save",
                default=self.save_path(), progress=progress,
            )  # fmt: skip
        t = text["done"]
        return Question(DONE, text["sections"]["done"], t["prompt"].format(path=self.s.saved_to), t["help"], kind="done", progress=progress)

    def save_path(self) -> str:
        """Where Enter saves: the draft's own file once saved, the file it was opened from, else a new name."""
        return self.s.saved_to or self.s.opened_from or str(self.cwd / f"{slug(self.s.table.project.name)}.toml")

    def shown_save_path(self) -> str:
        """The save path as the review names it: relative to the working folder when it is inside it."""
        path = Path(self.save_path())
        try:
            return str(path.relative_to(self.cwd))
        except ValueError:
            return str(path)

    def section(self, level2: str) -> str:
        return copy()["sections"]["indicator"].format(level1=self.flow.fw.level1_for(level2), level2=level2)

    # ------------------------------------------------------------------------------ header
    def _field(self, f: FieldCopy, progress: tuple[int, int]) -> Question:
        sections = copy()["sections"]
        section = sections["goal"] if f.path == copy().goal.path else sections[f.path.split(".")[0]]
        q = Question(FieldStep(f.path), section, f.prompt, f.help, kind=f.kind, examples=list(f.examples), progress=progress)
        q.default = self.default(f.path)
        p = self.s.table.project
        if f.path == "project.name":
            q.suggest = {"field": "project", "year": p.year}
        elif f.path == "project.goal":
            q.suggest = {"field": "goal", "project": p.name, "year": p.year}
            if self.look.ws.ready and not self.look.notice(p.name, "", p.year):  # another kind's goal is no example
                top = self.look.top_suggestion("goal", project=p.name, year=p.year)
                q.examples = [top] if top else []
        elif f.path in _CORPUS_VALUES:  # each says where it comes from: the user's own tables or other units'
            own = set(self._own_values(f.path))
            kinds = copy()["defaults"]
            # 项目属性 and 项目期 are the form's vocabulary (经常性项目, 1年), not another unit's own business
            other = kinds["corpus"] if f.path in _OWN_ONLY else kinds["usual"]
            q.choices = [(v, kinds["own"] if v in own else other) for v in self._header_values(f.path)[:5]]
        return q

    def header_defaults(self) -> list[tuple[str, str]]:
        """(path, default) of the header fields after the name, each as Enter would take it in turn (代码 follows
        the 主管部门 before it); [] unless the user's own tables give the unit (then all of them go in one step)."""
        if not self.look.own_values("department"):
            return []
        trial = copy_module.deepcopy(self.s)
        out = []
        for f in copy().header[1:]:
            if f.kind == "funding":
                break
            value = Asker(trial, Flow(trial, self.flow.fw, self.flow.profile), self.look, self.cwd).default(f.path)
            if not value:
                return []
            out.append((f.path, value))
            name = f.path.split(".", 1)[1]
            setattr(trial.table.project, name, int(value) if f.kind == "year" and value.isdigit() else value)
            trial.answered.add(FieldStep(f.path))
        return out

    def _header(self, progress: tuple[int, int]) -> Question:
        t = copy()["header"]
        fields = {f.path: f for f in copy().header}
        choices = [(str(n), f"{fields[path].label}：{value}") for n, (path, value) in enumerate(self.header_defaults(), 1)]
        return Question(
            HEADER, copy()["sections"]["project"], t["prompt"], t["help"], kind="header",
            default=t["all"], choices=choices, progress=progress,
        )  # fmt: skip

    def _own_values(self, path: str) -> list[str]:
        """A header field as the user's own saved tables wrote it (代码, 实施单位: of the department given)."""
        name = path.split(".", 1)[1]
        own = self.look.own_values(name)
        if own and name in ("department_code", "implementing_unit"):
            mine = [t for t in self.look.ws.own_tables() if t.project.department == self.s.table.project.department]
            own = list(dict.fromkeys(v for t in mine if (v := getattr(t.project, name, ""))))
        return own

    def _header_values(self, path: str) -> list[str]:
        """The user's own tables' values first (their unit, department, code), then the corpus's."""
        name = path.split(".", 1)[1]
        return list(dict.fromkeys(self._own_values(path) + self.look.header_values(name, self.s.table.project.department)))

    def fits(self, where: str, value: str) -> bool:
        """Whether the checks accept `value` at `where` (a default is never something they would flag)."""
        trial = self.s.to_table()
        if where == "project.goal":
            trial.project.goal = value
        else:
            m = re.match(r"^indicators\[(\d+)\]\.value$", where)
            if not m:
                return True
            trial.indicators[int(m.group(1))].value = value
        return not any(f.where == where and f.code != "review-mark" for f in self.look.findings(trial))

    def default(self, path: str) -> str:
        """What Enter on an empty answer takes: the earlier answer, or a value derived or from the corpus."""
        p = self.s.table.project
        if FieldStep(path) in self.s.answered or (path.startswith("project.") and self.current_text(path)):
            return self.current_text(path)  # answered before, or given along with another answer
        if path == "project.year":
            year = name_year(p.name)
            return str(year) if year else ""
        if path in _OWN_ONLY:  # the user's unit: from their own tables only, never another unit's from the corpus
            own = self._own_values(path)
            if path == "project.implementing_unit" and p.department:
                mine = [v for v in own if v.startswith(p.department)]
                return mine[0] if mine else copy()["defaults"]["own_unit"].format(department=p.department)
            return own[0] if own else ""
        if path in _CORPUS_VALUES:  # 项目属性, 项目期: the usual form, whoever wrote it
            values = self._header_values(path)
            return values[0] if values else ""
        if path == "project.goal" and self.s.prior is not None:
            goal = self.s.prior.project.goal
            return goal if self.fits(path, goal) else ""  # never another project's goal the checks flag
        return ""

    def current_text(self, path: str) -> str:
        money = self.s.table.funding
        if path == "funding.total" and money.other:  # the one funding answer: 总额 财政 其他
            return " ".join(format_number(v) for v in (money.total, money.fiscal, money.other))
        section, name = path.split(".", 1)
        value = getattr(self.s.table.project if section == "project" else self.s.table.funding, name)
        if isinstance(value, float):
            return format_number(value)
        return "" if value is None else str(value)

    # ---------------------------------------------------------------------------- template
    def similar(self) -> list:
        return [table for table, _ in self.look.similar(self.s.table.project.name, self.s.table.project.year)]

    def _template(self, progress: tuple[int, int]) -> Question:
        t = copy()["template"]
        offers = self.look.similar(self.s.table.project.name, self.s.table.project.year)
        choices = [("0", t["blank"])] + [
            (str(n), t["choice"].format(name=o.project.name, year=o.project.year, count=len(o.indicators)))
            for n, (o, _) in enumerate(offers, 1)
        ]
        # Enter starts from another table only when it is this same project in another year; any other
        # table is offered, never the default (its wording would be another project's).
        same = bool(offers) and core_name(offers[0][0].project.name) == core_name(self.s.table.project.name)
        return Question(
            TEMPLATE, copy()["sections"]["template"], t["prompt"], t["help"] if offers else t["none"],
            kind="choice", default="1" if same else "0", choices=choices, progress=progress,
        )  # fmt: skip

    # -------------------------------------------------------------------------------- rows
    def _row(self, step: RowStep, progress: tuple[int, int]) -> Question:
        l2, n = step.level2, step.n
        spec = self.flow.fw.level2[l2]
        rows = self.s.rows(l2)
        prior = self.s.prior_rows(l2)
        p = self.s.table.project
        if step.part == "name":
            t = copy()["row_name"]
            existing = [self.s.table.indicators[i].name for i in rows]
            optional = not self.flow.required(l2) or n > 0
            if n < len(rows):
                default = self.s.table.indicators[rows[n]].name
            else:  # the reference table's row, shown with the value Enter takes along
                default = f"{prior[n].name} {prior[n].value}".strip() if n < len(prior) else ""
            skip = t["skip"] if optional and not default else ""
            return Question(
                step, self.section(l2), t["prompt"].format(short=short(l2), number=n + 1),
                t["help"].format(definition=spec.definition, skip=skip),
                default=default, optional=optional,
                suggest={"field": "name", "level2": l2, "project": p.name, "goal": p.goal, "year": p.year,
                         "exclude": [e for j, e in enumerate(existing) if j != n],
                         "funding": self.s.table.funding.total or None},
                progress=progress,
            )  # fmt: skip
        t = copy()["row_value"]
        ind = self.s.table.indicators[rows[n]]
        default = ind.value
        if not default:
            offers = [prior[n].value] if n < len(prior) and prior[n].name == ind.name else []
            offers.append(
                self.look.top_suggestion("value", name=ind.name, level2=l2, project=p.name, goal=p.goal, year=p.year,
                                         **self._derive())
            )
            where = f"indicators[{rows[n]}].value"
            default = next((v for v in offers if v and self.fits(where, v)), "")  # never a value the checks flag
        note = t["marked"].format(mark=ind.review) if ind.review else ""
        return Question(
            step, self.section(l2), t["prompt"].format(name=ind.name), note + spec.hint, default=default,
            suggest={"field": "value", "name": ind.name, "level2": l2, "project": p.name, "goal": p.goal, "year": p.year,
                     **self._derive()},
            progress=progress,
        )  # fmt: skip

    def _derive(self) -> dict:
        """What lets the engine derive a 成本 standard (funding ÷ a 数量 row's quantity)."""
        money = self.s.table.funding.total
        rows = tuple((i.level2, i.name, i.value) for i in self.s.table.indicators if i.value)
        return {"funding": money or None, "rows": rows}

    # ------------------------------------------------------------------------------ review
    def findings(self) -> list[Finding]:
        return self.look.findings(self.s.to_table())

    def _review(self, progress: tuple[int, int]) -> Question:
        t = copy()["review"]
        review = self.look.review(self.s.to_table())
        findings = review.findings
        jumps = [(str(n), self._finding_label(f)) for n, f in enumerate(findings, 1)]
        count = {sev: sum(f.severity == sev for f in findings) for sev in SEVERITIES}
        summary = t["summary"].format(errors=count["error"], warnings=count["warning"], infos=count["info"]) if findings else t["clean"]
        # With errors, Enter goes to the first one (they sort first): Enter alone never saves a table `check` rejects.
        advice = t["has_errors"] if count["error"] else t["help"].format(path=self.shown_save_path())
        default = "1" if count["error"] else copy()["defaults"]["review"]
        marks = [n for n, f in enumerate(findings, 1) if f.code == "review-mark"]
        keys: frozenset[str] = frozenset()
        if marks and not count["error"]:
            # A carried figure is confirmed by its own key, one at a time and named, never by Enter: Enter held
            # down saves the table with its 「请核实」 marks still on, as renew leaves them, rather than clearing them.
            keys = copy().words("confirm_mark")
        notes = [t["confirmed"].format(message=c.message) for c in review.confirmations]
        # Rows taken whole from the reference table that no finding names are listed too, numbered after the
        # findings: every adopted row is on screen (and one key away) before the table can be saved.
        inds = self.s.table.indicators
        for n, i in enumerate(self.adopted_unnamed(findings), len(findings) + 1):
            ind = inds[i]
            label = t["adopted_checked"] if has_number(ind.name) or has_number(ind.value) else t["adopted_row"]
            jumps.append((str(n), label.format(short=short(ind.level2), name=ind.name, value=ind.value)))
        if self.s.adopted:
            notes.append(t["adopted"].format(name=self.s.adopted))
        if keys:  # last, next to the list and the answer line (the help above may scroll away on a small screen)
            notes.append(t["has_marks"].format(number=marks[0], path=self.shown_save_path(), count=len(marks)))
        return Question(
            REVIEW, copy()["sections"]["review"], t["prompt"].format(summary=summary), advice,
            kind="review", default=default, choices=jumps, progress=progress, notes=notes, keys=keys,
        )  # fmt: skip

    def adopted_unnamed(self, findings: list[Finding]) -> list[int]:
        """Rows as the reference table gave them (unchanged) that no finding is about: indices, in table order."""
        if not self.s.adopted or self.s.prior is None:
            return []
        given = {(i.level2, i.name, i.value) for i in self.s.prior.indicators}
        named = {int(m.group(1)) for f in findings if (m := re.match(r"^indicators\[(\d+)\]", f.where))}
        inds = self.s.table.indicators
        return [n for n, i in enumerate(inds) if n not in named and (i.level2, i.name, i.value) in given]

    def _finding_label(self, f: Finding) -> str:
        mark = copy()["severity"][f.severity]
        inds = self.s.table.indicators
        m = re.match(r"^indicators\[(\d+)\]", f.where)
        named = m and int(m.group(1)) < len(inds) and inds[int(m.group(1))].name in f.message
        if named or not f.where:
            return f"[{mark}]{f.message}"  # the message already says which row
        return f"[{mark}]{describe_where(self.s.table, f.where)}：{f.message}"
