"""The guided dialogue as a plain state machine: `question()` -> `answer(text)` -> next question.

No Textual here: the app is a view over this, and tests drive it directly. The steps follow the table:
项目名称 → 年度 → 主管部门 → 代码 → 实施单位 → 项目属性 → 项目期 → 资金 (总额, 财政拨款, 其他资金) →
an offer to start from a similar table → 年度总体目标 → indicators, one 二级 at a time in framework order
(三级, 指标值, "another one?"), optional categories skippable → review (every finding, each a jump) → save.

Answers are validated at once with the checks module: an error keeps the question (and what was typed);
a warning is shown and the same answer given again is accepted. Step keys are stable strings
("project.name", "ind/数量指标/0/value", "review") so the app, drafts and tests can name a step.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .adapt import adapter, name_year, subject_groups
from .checks import Finding, describe_where, run_checks
from .filenames import slug
from .framework import Framework, default_framework
from .model import Funding, Indicator, Project, Source, Table
from .paths import user_knowledge_dir
from .renew import renew
from .segment import first_word
from .textnorm import tidy
from .tomlio import TableFileError, load, os_reason, write, write_new
from .values import format_number, parse_amount

SAVE, REVIEW, DONE, TEMPLATE = "save", "review", "done", "template"
YES = {"是", "y", "yes", "1", "好", "要", "继续", "还要", "对"}
NO = {"否", "n", "no", "0", "不", "不要", "没有", "完成", "结束", "下一类"}


@dataclass
class Question:
    """What the app shows for one step."""

    key: str
    section: str  # "项目信息", "绩效指标 · 数量指标" …
    prompt: str
    help: str  # for new staff: what it means and how a good answer is written
    kind: str = "text"  # text, multiline, year, code, amount, choice, confirm, review, save, done
    default: str = ""
    examples: list[str] = field(default_factory=list)
    choices: list[tuple[str, str]] = field(default_factory=list)  # (answer, label)
    suggest: dict | None = None  # arguments for Engine.suggest, or None where suggestions make no sense
    optional: bool = False
    progress: tuple[int, int] = (0, 0)  # (answered steps, known steps)


@dataclass
class Outcome:
    ok: bool
    message: str = ""
    severity: str = ""  # "error" keeps the question; "warning" asks to confirm; "" / "info" moves on


# ---------------------------------------------------------------------------------- header steps
@dataclass(frozen=True)
class _Field:
    key: str
    label: str
    prompt: str
    help: str
    kind: str = "text"
    examples: tuple[str, ...] = ()


_HEADER: tuple[_Field, ...] = (
    _Field(
        "project.name", "项目名称", "项目名称是什么？",
        "项目名称以预算年度开头，后面写清楚钱用于什么，如「2024年村委会办公经费」「2024年村干部任职补贴」。"
        "可以输入关键词或拼音首字母，从下方列表选择往年的名称。",
        examples=("2024年村委会办公经费", "2024年村干部任职补贴"),
    ),
    _Field(
        "project.year", "预算年度", "预算年度是哪一年？",
        "这张表对应的预算年度，四位数字。一般与项目名称开头的年份相同。", kind="year", examples=("2025",),
    ),
    _Field(
        "project.department", "主管部门", "主管部门是哪个单位？",
        "项目的主管部门（预算部门）全称，如「平罗县头闸镇人民政府」。代码在下一步单独填写。",
        examples=("平罗县头闸镇人民政府",),
    ),
    _Field(
        "project.department_code", "主管部门代码", "主管部门的代码是多少？",
        "预算系统中主管部门的编码，只含数字，前面的 0 要保留，如「049」。", kind="code", examples=("049",),
    ),
    _Field(
        "project.implementing_unit", "实施单位", "实施单位是哪个单位？",
        "具体实施项目的单位。主管部门自己实施时一般写「…本级」，如「平罗县头闸镇人民政府本级」。",
    ),
    _Field(
        "project.attribute", "项目属性", "项目属性是什么？",
        "按预算系统的项目属性填写，代码加名称，如「0101-一年期项目」。",
        examples=("0101-一年期项目",),
    ),
    _Field("project.period", "项目期", "项目期多长？", "项目的实施期限，一年期项目填「1年」。", examples=("1年",)),
    _Field(
        "funding.total", "年度资金总额", "年度资金总额是多少（万元）？",
        "本年度项目资金总额，单位万元，最多保留4位小数（精确到元），如「36」「184.032」。"
        "也可以写「1840320元」，会换算成万元。",
        kind="amount", examples=("36", "184.032"),
    ),
    _Field(
        "funding.fiscal", "财政拨款", "其中财政拨款是多少（万元）？",
        "年度资金总额中来自财政拨款的部分（本级、上级资金都算），单位万元。全部是财政资金时与总额相同。",
        kind="amount",
    ),
    _Field(
        "funding.other", "其他资金", "其他资金是多少（万元）？",
        "单位自有资金等其他来源，单位万元；没有填 0。财政拨款与其他资金之和应等于年度资金总额。",
        kind="amount",
    ),
)
_GOAL = _Field(
    "project.goal", "年度总体目标", "年度总体目标是什么？",
    "用一段话写清楚今年要做成什么：提供多少、达到什么标准、何时完成、带来什么效果。"
    "后面的绩效指标要把这段话细化、量化，所以这里提到的事项后面都应有对应的指标。",
    kind="multiline",
)
_BY_KEY = {f.key: f for f in (*_HEADER, _GOAL)}
_HEADER_KEYS = [f.key for f in _HEADER]
_SECTION = {"project": "项目信息", "funding": "项目资金（万元）"}
_ROW = re.compile(r"^ind/(?P<l2>[^/]+)/(?P<n>\d+)/(?P<part>name|value)$")
_MORE = re.compile(r"^ind/(?P<l2>[^/]+)/more$")
_CODE = re.compile(r"^\d{1,20}$")


class Dialogue:
    """One table being drafted. All state is plain data (see `to_state`) so a draft can be saved and resumed."""

    def __init__(
        self,
        *,
        framework: Framework | None = None,
        engine=None,
        corpus_tables: Sequence[Table] = (),
        template: str | None = None,
        profile: str | None = None,
        cwd: Path | None = None,
    ):
        self.fw = framework or default_framework()
        self.engine = engine  # may be None, or set later once it has loaded in the background
        self.corpus_tables = list(corpus_tables)
        self.template_key = template or self.fw.default_template
        self.profile = profile
        self.cwd = Path(cwd) if cwd else Path.cwd()
        self.table = Table()
        self.key = "project.name"
        self.history: list[str] = []
        self.answered: set[str] = set()
        self.skipped: set[str] = set()  # 二级 the user chose to leave out
        self.prior: Table | None = None  # the table the user chose to start from (adapted)
        self.pending: tuple[str, str] | None = None  # (step, answer) awaiting a second Enter
        self.saved_to: str = ""
        self._similar_cache: tuple[object, list[Table]] = (None, [])

    # ------------------------------------------------------------------------------- structure
    @property
    def order(self) -> list[str]:
        """The 二级 in the order the template lists them."""
        return [l2 for _, l2 in self.fw.template(self.template_key).order()]

    def rows(self, level2: str) -> list[int]:
        """Indices into table.indicators of the rows of one 二级."""
        return [i for i, ind in enumerate(self.table.indicators) if ind.level2 == level2]

    def _prior_rows(self, level2: str) -> list[Indicator]:
        return [i for i in self.prior.indicators if i.level2 == level2] if self.prior else []

    def _required(self, level2: str) -> bool:
        """Whether leaving this 二级 empty would be an error-severity finding."""
        for req in self.fw.requirements(self.profile):
            if req.severity != "error":
                continue
            if level2 in req.level2 and not any(self.rows(l2) for l2 in req.level2 if l2 != level2):
                return True
            if req.level1 and level2 in self.order and self.fw.level1_for(level2) == req.level1:
                group = [l2 for l2 in self.order if self.fw.level1_for(l2) == req.level1]
                later = group[group.index(level2) + 1 :]
                if not any(self.rows(l2) for l2 in group if l2 != level2) and not later:
                    return True  # the last chance to give the required 一级 a row
        return False

    # ------------------------------------------------------------------------------- questions
    def question(self) -> Question:
        key = self.key
        progress = (len(self.answered), self._known_steps())
        if key in _BY_KEY:
            return self._field_question(_BY_KEY[key], progress)
        if key == TEMPLATE:
            return self._template_question(progress)
        if m := _ROW.match(key):
            return self._row_question(m["l2"], int(m["n"]), m["part"], progress)
        if m := _MORE.match(key):
            l2 = m["l2"]
            n = len(self.rows(l2))
            more = n < len(self._prior_rows(l2))
            return Question(
                key, self._l2_section(l2), f"「{self._short(l2)}」还要再加一条吗？",
                f"已填{n}条。一个二级指标下可以有多条三级指标；回车选默认，输入「是」或「否」。",
                kind="confirm", default="是" if more else "否", choices=[("是", "再加一条"), ("否", "下一类")],
                progress=progress,
            )  # fmt: skip
        if key == REVIEW:
            return self._review_question(progress)
        if key == SAVE:
            return Question(
                key, "保存", "保存到哪个文件？",
                "回车保存到默认位置，或输入文件名（.toml）。同时会在你的语料库中留一份副本，明年起草时可参考。",
                kind="save", default=str(self.cwd / f"{slug(self.table.project.name)}.toml"), progress=progress,
            )  # fmt: skip
        return Question(DONE, "完成", f"已保存到 {self.saved_to}", "可以关闭助手，或用「重新开始」起草下一张表。", kind="done", progress=progress)

    def _field_question(self, f: _Field, progress: tuple[int, int]) -> Question:
        section = _SECTION.get(f.key.split(".")[0], "年度总体目标")
        if f.key == "project.goal":
            section = "年度总体目标"
        q = Question(f.key, section, f.prompt, f.help, kind=f.kind, examples=list(f.examples), progress=progress)
        q.default = self._default(f.key)
        p = self.table.project
        if f.key == "project.name":
            q.suggest = {"field": "project", "year": p.year}
        elif f.key == "project.goal":
            q.suggest = {"field": "goal", "project": p.name, "year": p.year}
            if self.engine is not None:
                q.examples = [s.text for s in self.engine.suggest("", field="goal", project=p.name, year=p.year, k=1)]
        elif f.key in ("project.department", "project.department_code", "project.implementing_unit", "project.attribute", "project.period"):
            q.choices = [(v, v) for v in self._header_values(f.key)[:5]]
        return q

    def _header_values(self, key: str) -> list[str]:
        if self.engine is None:
            return []
        return self.engine.header_values(key.split(".", 1)[1], self.table.project.department)

    def _default(self, key: str) -> str:
        p, money = self.table.project, self.table.funding
        if key in self.answered or (key.startswith("project.") and self._current_text(key)):
            return self._current_text(key)  # answered before, or given along with another answer
        if key == "project.year":
            year = name_year(p.name)
            return str(year) if year else ""
        if key in ("project.department", "project.attribute", "project.period", "project.department_code", "project.implementing_unit"):
            values = self._header_values(key)
            if key == "project.implementing_unit" and p.department:
                own = [v for v in values if v.startswith(p.department)]
                return own[0] if own else f"{p.department}本级"
            return values[0] if values else ""
        if key == "funding.fiscal" and "funding.total" in self.answered:
            return format_number(money.total)
        if key == "funding.other" and "funding.fiscal" in self.answered:
            return format_number(max(0.0, round(money.total - money.fiscal, 6)))
        if key == "project.goal" and self.prior is not None:
            return self.prior.project.goal
        return ""

    def _current_text(self, key: str) -> str:
        section, name = key.split(".", 1)
        value = getattr(self.table.project if section == "project" else self.table.funding, name)
        if isinstance(value, float):
            return format_number(value)
        return "" if value is None else str(value)

    def _template_question(self, progress: tuple[int, int]) -> Question:
        choices = [(str(n), f"{t.project.name}（{t.project.year}年，{len(t.indicators)}条指标）") for n, t in enumerate(self._similar(), 1)]
        choices.append(("0", "不参照，从空白开始"))
        return Question(
            TEMPLATE, "参照往年", "要参照一张相似的表吗？",
            "选一张相似的往年表格，它的总体目标和各条指标会作为预填的建议，逐条请你确认或修改，不会直接照搬。"
            "输入编号选择，输入「0」从空白开始，也可以输入一个 .toml 文件的路径。年份和对象会自动换成本项目的。",
            kind="choice", default="1" if len(choices) > 1 else "0", choices=choices, progress=progress,
        )  # fmt: skip

    def _similar(self) -> list[Table]:
        """Up to three corpus tables most like the drafted one (the engine's context), loaded once."""
        if self.engine is None:
            return []
        key = (self.table.project.name, self.table.project.year, id(self.engine))
        if self._similar_cache[0] != key:
            self._similar_cache = (key, self._load_similar())
        return self._similar_cache[1]

    def _load_similar(self) -> list[Table]:
        ctx = self.engine.context(self.table.project.name, "", self.table.project.year)
        out = []
        for t in sorted(ctx.similar, key=lambda t: -ctx.similar[t]):
            try:
                out.append(load(self.engine.tables[t][0]))
            except TableFileError:
                continue
            if len(out) == 3:
                break
        return out

    def _row_question(self, l2: str, n: int, part: str, progress: tuple[int, int]) -> Question:
        spec = self.fw.level2[l2]
        rows = self.rows(l2)
        prior = self._prior_rows(l2)
        p = self.table.project
        existing = [self.table.indicators[i].name for i in rows]
        if part == "name":
            optional = not self._required(l2) or n > 0
            default = self.table.indicators[rows[n]].name if n < len(rows) else (prior[n].name if n < len(prior) else "")
            skip = "直接回车不填、进入下一类。" if optional and not default else ""
            return Question(
                f"ind/{l2}/{n}/name", self._l2_section(l2), f"「{self._short(l2)}」第{n + 1}条：三级指标怎么写？",
                f"{spec.definition}{skip}可输入关键词或拼音首字母，从下方列表选择同类项目的写法。",
                default=default, optional=optional,
                suggest={"field": "name", "level2": l2, "project": p.name, "goal": p.goal, "year": p.year,
                         "exclude": [e for j, e in enumerate(existing) if j != n]},
                progress=progress,
            )  # fmt: skip
        ind = self.table.indicators[rows[n]]
        default = ind.value
        if not default and n < len(prior) and prior[n].name == ind.name:
            default = prior[n].value
        if not default and self.engine is not None:
            top = self.engine.suggest("", field="value", name=ind.name, level2=l2, project=p.name, year=p.year, k=1)
            default = top[0].text if top else ""
        note = f"{ind.review}：这是沿用的数值，确认或改成今年的。" if ind.review else ""
        return Question(
            f"ind/{l2}/{n}/value", self._l2_section(l2), f"「{ind.name}」的指标值是多少？",
            note + spec.hint, default=default,
            suggest={"field": "value", "name": ind.name, "level2": l2, "project": p.name, "year": p.year},
            progress=progress,
        )  # fmt: skip

    def _review_question(self, progress: tuple[int, int]) -> Question:
        findings = self.findings()
        jumps = [(str(n), self._finding_label(f)) for n, f in enumerate(findings, 1)]
        errors = sum(f.severity == "error" for f in findings)
        summary = (
            f"发现{errors}个错误、{sum(f.severity == 'warning' for f in findings)}个警告、"
            f"{sum(f.severity == 'info' for f in findings)}个提示。"
            if findings
            else "没有发现问题。"
        )
        advice = "输入编号跳到对应的一步修改；回车保存。" + ("有错误的表会被退回，建议先修改。" if errors else "")
        return Question(REVIEW, "检查", "检查结果：" + summary, advice, kind="review", default="保存", choices=jumps, progress=progress)

    def _finding_label(self, f: Finding) -> str:
        mark = {"error": "错误", "warning": "警告", "info": "提示"}[f.severity]
        m = re.match(r"^indicators\[(\d+)\]", f.where)
        named = m and int(m.group(1)) < len(self.table.indicators) and self.table.indicators[int(m.group(1))].name in f.message
        if named or not f.where:
            return f"[{mark}]{f.message}"  # the message already says which row
        return f"[{mark}]{describe_where(self.table, f.where)}：{f.message}"

    def _l2_section(self, l2: str) -> str:
        return f"绩效指标·{self.fw.level1_for(l2)}·{l2}"

    @staticmethod
    def _short(l2: str) -> str:
        return l2.removesuffix("指标")

    def _known_steps(self) -> int:
        rows = sum(max(len(self.rows(l2)), 1 if l2 not in self.skipped else 0) for l2 in self.order)
        return len(_HEADER) + 2 + rows * 2 + len(self.order) + 2

    # --------------------------------------------------------------------------------- answers
    def answer(self, text: str) -> Outcome:
        """Take an answer for the current step; on success the dialogue moves to the next step."""
        key = self.key
        raw = text if key == "project.goal" else text.strip()
        if key in _BY_KEY:
            outcome = self._answer_field(_BY_KEY[key], raw)
        elif key == TEMPLATE:
            outcome = self._answer_template(raw)
        elif m := _ROW.match(key):
            outcome = self._answer_row(m["l2"], int(m["n"]), m["part"], raw)
        elif m := _MORE.match(key):
            outcome = self._answer_more(m["l2"], raw)
        elif key == REVIEW:
            outcome = self._answer_review(raw)
        elif key == SAVE:
            outcome = self._answer_save(raw)
        else:
            outcome = Outcome(False, "表格已保存。可以关闭助手，或重新开始起草下一张表。", "error")
        if outcome.ok:
            self.pending = None
        return outcome

    def _advance(self, to: str, answered: str | None = None) -> None:
        if answered:
            self.answered.add(answered)
        self.history.append(self.key)
        self.key = to

    def _confirm(self, key: str, value: str, message: str) -> Outcome | None:
        """Warnings need the same answer twice: None when this is the second time."""
        if self.pending == (key, value):
            return None
        self.pending = (key, value)
        return Outcome(False, f"{message}（确认无误请再按一次回车）", "warning")

    def _answer_field(self, f: _Field, raw: str) -> Outcome:
        value = raw if raw else self._default(f.key)
        if f.kind != "multiline":
            value = tidy(value)
        else:
            value = "\n".join(line.strip() for line in value.strip().splitlines())
        if not value.strip():
            return Outcome(False, f"请填写「{f.label}」。", "error")
        name = f.key.split(".", 1)[1]
        trial = copy.deepcopy(self.table)
        if f.kind == "year":
            if not re.fullmatch(r"\d{4}", value) or not 2000 <= int(value) <= 2100:
                return Outcome(False, "年度应为四位数字年份，如「2025」。", "error")
            trial.project.year = int(value)
        elif f.kind == "code":
            if not _CODE.match(value):
                return Outcome(False, "代码只能包含数字，如「049」（前面的0要保留）。", "error")
            trial.project.department_code = value
        elif f.kind == "amount":
            amount = parse_amount(value)
            if amount is None:
                return Outcome(False, "请输入数字金额（万元），如「36」或「184.032」；也可写「1840320元」。", "error")
            if amount < 0:
                return Outcome(False, "金额不能为负数。", "error")
            if name == "total" and amount == 0:
                return Outcome(False, "年度资金总额须大于0。", "error")
            setattr(trial.funding, name, round(amount, 6))
            if name == "fiscal" and amount > trial.funding.total + 5e-5:
                return Outcome(False, f"财政拨款不能超过年度资金总额 {format_number(trial.funding.total)} 万元。", "error")
            if name == "other":
                money = trial.funding
                if abs(money.total - (money.fiscal + money.other)) > 5e-5:
                    return Outcome(
                        False,
                        f"财政拨款 {format_number(money.fiscal)} 与其他资金 {format_number(money.other)} 之和"
                        f"应等于年度资金总额 {format_number(money.total)} 万元。",
                        "error",
                    )
        else:
            setattr(trial.project, name, value)
            if f.key == "project.department":
                m = re.match(r"^(.*?\D)\s*(\d{2,})$", value)
                if m and "project.department_code" not in self.answered:
                    trial.project.department, trial.project.department_code = m.group(1).strip(), m.group(2)
        problem = self._check_at(trial, f.key, value)
        if problem is not None:
            return problem
        if f.key == "project.goal":
            trial.project.review = ""  # the user has looked at the goal: renew's mark is done
        elif f.key == "funding.other":
            trial.funding.review = ""
        self.table = trial
        self._after_field(f.key)
        return Outcome(True)

    def _after_field(self, key: str) -> None:
        if key in self.answered and self.history and self._return_to_review():
            return
        if key == "funding.other":
            self._advance(TEMPLATE, key)
        elif key == "project.goal":
            self._advance(self._first_indicator_step(), key)
        else:
            self._advance(_HEADER_KEYS[_HEADER_KEYS.index(key) + 1], key)

    def _return_to_review(self) -> bool:
        """After an edit jumped to from the review, go back to the review."""
        if REVIEW in self.answered:
            self._advance(REVIEW, self.key)
            return True
        return False

    def _check_at(self, trial: Table, where: str, value: str) -> Outcome | None:
        """Findings of the checks module at this key path: errors block, warnings ask to confirm."""
        # The sum of the funding is checked when its last part is given, not on the total alone.
        found = [
            f
            for f in run_checks(trial, framework=self.fw, profile=self.profile)
            if f.where == where and f.code != "funding-sum"
        ]
        errors = [f for f in found if f.severity == "error"]
        if errors:
            return Outcome(False, errors[0].message, "error")
        warnings = [f for f in found if f.severity == "warning"]
        if warnings:
            return self._confirm(where, value, warnings[0].message)
        return None

    def _answer_template(self, raw: str) -> Outcome:
        choice = raw or self.question().default
        if choice in ("0", "不参照", "空白", "不"):
            self.prior = None
        elif choice.isdigit():
            options = self._similar()
            n = int(choice)
            if not 1 <= n <= len(options):
                return Outcome(False, f"请输入 0 到 {len(options)} 之间的编号，或一个 .toml 文件的路径。", "error")
            self.prior = self._adapted(options[n - 1])
        else:
            path = Path(choice).expanduser()
            if not path.is_absolute():
                path = self.cwd / path
            try:
                self.prior = self._adapted(load(path))
            except TableFileError as exc:
                return Outcome(False, f"无法读取这张表：{exc}", "error")
        self._advance("project.goal", TEMPLATE)
        return Outcome(True)

    def _adapted(self, prior: Table) -> Table:
        """The chosen table moved to the drafted project: years by `renew`, subjects by the adapter.
        Its goal and rows become defaults that the user confirms one by one."""
        p = self.table.project
        out = copy.deepcopy(prior)
        if p.year and prior.project.year and p.year > prior.project.year:
            out = renew(prior, p.year)
        a = adapter(out.project.name, p.year or 0, p.name, p.year, subject_groups(), first_word)  # subjects only
        if a:
            out.project.goal = a.apply(out.project.goal)
            for ind in out.indicators:
                ind.name, ind.value = a.apply(ind.name), a.apply(ind.value)
        return out

    def _first_indicator_step(self) -> str:
        return self._category_start(0)

    def _category_start(self, index: int) -> str:
        """The first step of the index-th 二级 (or the review after the last one)."""
        order = self.order
        while index < len(order):
            l2 = order[index]
            if l2 not in self.skipped or self.rows(l2):
                return f"ind/{l2}/0/name"
            index += 1
        return REVIEW

    def _next_category(self, l2: str) -> str:
        return self._category_start(self.order.index(l2) + 1)

    def _answer_row(self, l2: str, n: int, part: str, raw: str) -> Outcome:
        rows = self.rows(l2)
        key = self.key
        if part == "name":
            text = tidy(raw) if raw else self.question().default
            if not text:
                if n < len(rows):
                    return Outcome(False, "三级指标不能为空；要删掉这一条，请用「删除」。", "error")
                if self._required(l2) and n == 0:
                    return Outcome(False, f"「{l2}」为必填，至少填写一条。", "error")
                if n == 0:
                    self.skipped.add(l2)
                self._advance(self._next_category(l2), key)
                return Outcome(True, f"已跳过「{l2}」。" if n == 0 else "")
            duplicates = [i for i in rows if self.table.indicators[i].name == text and (n >= len(rows) or i != rows[n])]
            if duplicates:
                problem = self._confirm(key, text, f"「{l2}」中已有「{text}」这条指标")
                if problem:
                    return problem
            self.skipped.discard(l2)
            if n < len(rows):
                self.table.indicators[rows[n]].name = text
            else:
                self._insert(Indicator(self.fw.level1_for(l2), l2, text, ""))
            self._advance(f"ind/{l2}/{n}/value", key)
            return Outcome(True)
        value = tidy(raw) if raw else self.question().default
        if not value:
            return Outcome(False, "请填写指标值，如「60人」「100%」「2024年12月31日前」。", "error")
        index = rows[n]
        trial = copy.deepcopy(self.table)
        trial.indicators[index].value = value
        trial.indicators[index].review = ""  # confirmed by the user
        problem = self._check_at(trial, f"indicators[{index}].value", value)
        if problem is not None:
            return problem
        self.table = trial
        if REVIEW in self.answered:
            self._advance(REVIEW, key)
        else:
            self._advance(f"ind/{l2}/more", key)
        return Outcome(True)

    def _insert(self, ind: Indicator) -> None:
        """A new row goes after the last row of its 二级, or before the first row of a later one."""
        order = self.order
        rank = order.index(ind.level2) if ind.level2 in order else len(order)
        at = len(self.table.indicators)
        for i, other in enumerate(self.table.indicators):
            other_rank = order.index(other.level2) if other.level2 in order else len(order)
            if other_rank > rank:
                at = i
                break
        self.table.indicators.insert(at, ind)

    def _answer_more(self, l2: str, raw: str) -> Outcome:
        choice = (raw or self.question().default).lower()
        if choice in YES:
            self._advance(f"ind/{l2}/{len(self.rows(l2))}/name", self.key)
        elif choice in NO:
            self._advance(self._next_category(l2), self.key)
        else:
            return Outcome(False, "请输入「是」或「否」（回车选默认）。", "error")
        return Outcome(True)

    def _answer_review(self, raw: str) -> Outcome:
        if raw in ("", "保存", "s", "save"):
            self._advance(SAVE, REVIEW)
            return Outcome(True)
        findings = self.findings()
        if raw.isdigit() and 1 <= int(raw) <= len(findings):
            target = self.step_for(findings[int(raw) - 1].where)
            self.answered.add(REVIEW)
            self.history.append(self.key)
            self.key = target
            return Outcome(True)
        return Outcome(False, f"请输入 1 到 {len(findings)} 之间的编号，或直接回车保存。" if findings else "直接回车保存。", "error")

    def _answer_save(self, raw: str) -> Outcome:
        target = Path(raw or self.question().default).expanduser()
        if not target.is_absolute():
            target = self.cwd / target
        if target.suffix.lower() != ".toml":
            target = target.with_name(target.name + ".toml")
        table = self.to_table()
        try:
            if os.path.isdir(target):
                return Outcome(False, f"{target} 是一个文件夹，请输入文件名。", "error")
            outcome = write_new(target, table)
            if outcome == "exists":
                problem = self._confirm(SAVE, str(target), f"{target} 已存在，将被覆盖")
                if problem:
                    return problem
                write(target, table)
            copy_path = user_knowledge_dir() / target.name
            write(copy_path, table)
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
            reason = os_reason(exc) if isinstance(exc, OSError) else "文件名中有不允许的字符"
            return Outcome(False, f"无法保存到 {target}：{reason}。请换一个文件名。", "error")
        self.saved_to = str(target)
        self._advance(DONE, SAVE)
        return Outcome(True, f"已保存到 {target}，并在语料库中保存了副本（{copy_path}）。")

    # -------------------------------------------------------------------------------- commands
    def back(self) -> bool:
        """Return to the previous step (its answer is kept as the default). False at the start."""
        if not self.history:
            return False
        self.pending = None
        self.key = self.history.pop()
        return True

    def goto(self, key: str) -> None:
        """Jump to any step that exists (from the review or a command)."""
        if not self._valid_step(key):
            raise ValueError(f"no such step: {key}")
        self.pending = None
        self.history.append(self.key)
        self.key = key

    def _valid_step(self, key: str) -> bool:
        if key in _BY_KEY or key in (TEMPLATE, REVIEW, SAVE):
            return True
        if m := _ROW.match(key):
            return m["l2"] in self.fw.level2 and int(m["n"]) <= len(self.rows(m["l2"])) - (m["part"] == "value")
        if m := _MORE.match(key):
            return m["l2"] in self.fw.level2
        return False

    def steps(self) -> list[tuple[str, str]]:
        """(step key, label) for every step that has an answer to change, in table order."""
        out = [(f.key, f"{f.label}：{self._current_text(f.key) or '（未填）'}") for f in _HEADER]
        out.append(("project.goal", f"年度总体目标：{self.table.project.goal[:20] or '（未填）'}"))
        for l2 in self.order:
            for n, i in enumerate(self.rows(l2)):
                ind = self.table.indicators[i]
                out.append((f"ind/{l2}/{n}/name", f"{self._short(l2)}·三级指标：{ind.name}"))
                out.append((f"ind/{l2}/{n}/value", f"{self._short(l2)}·指标值：{ind.name} → {ind.value or '（未填）'}"))
            out.append((f"ind/{l2}/{len(self.rows(l2))}/name", f"{self._short(l2)}·再加一条"))
        out += [(REVIEW, "检查"), (SAVE, "保存")]
        return out

    def step_for(self, where: str) -> str:
        """The step that answers a finding's key path ("indicators[3].value" -> that row's value step)."""
        if where in _BY_KEY:
            return where
        if where == "project.year":
            return "project.year"
        if m := re.match(r"^indicators\[(\d+)\](?:\.(\w+))?$", where):
            i = int(m.group(1))
            if i < len(self.table.indicators):
                ind = self.table.indicators[i]
                n = self.rows(ind.level2).index(i)
                return f"ind/{ind.level2}/{n}/{'name' if m.group(2) == 'name' else 'value'}"
        if where == "indicators":
            missing = [l2 for l2 in self.order if not self.rows(l2)]
            return f"ind/{missing[0]}/0/name" if missing else self._first_indicator_step()
        if where.startswith("funding"):
            return "funding.total"
        return REVIEW

    def skip(self) -> Outcome:
        """Leave out the current 二级 (only where that is allowed)."""
        m = _ROW.match(self.key) or _MORE.match(self.key)
        if not m:
            return Outcome(False, "只有绩效指标的类别可以跳过。", "error")
        l2 = m["l2"]
        if self._required(l2) and not self.rows(l2):
            return Outcome(False, f"「{l2}」为必填，不能跳过。", "error")
        if not self.rows(l2):
            self.skipped.add(l2)
        self._advance(self._next_category(l2))
        return Outcome(True, f"已跳过「{l2}」。")

    def current_row(self) -> int | None:
        """The index into table.indicators of the row the current step is about, if any."""
        m = _ROW.match(self.key)
        if not m:
            return None
        rows = self.rows(m["l2"])
        n = int(m["n"])
        return rows[n] if n < len(rows) else None

    def delete_indicator(self, index: int) -> Outcome:
        if not 0 <= index < len(self.table.indicators):
            return Outcome(False, "没有这一条指标。", "error")
        ind = self.table.indicators.pop(index)
        if _ROW.match(self.key) or _MORE.match(self.key):
            l2 = (_ROW.match(self.key) or _MORE.match(self.key))["l2"]
            self.key = f"ind/{l2}/{len(self.rows(l2))}/name" if l2 != REVIEW else self.key
        self.history = [k for k in self.history if self._valid_step(k)]
        return Outcome(True, f"已删除「{ind.name}」。")

    def move_indicator(self, index: int, delta: int) -> Outcome:
        """Move a row up (-1) or down (+1) within its 二级."""
        inds = self.table.indicators
        if not 0 <= index < len(inds):
            return Outcome(False, "没有这一条指标。", "error")
        rows = self.rows(inds[index].level2)
        pos = rows.index(index) + delta
        if not 0 <= pos < len(rows):
            return Outcome(False, "已经在本类的最前或最后。", "error")
        other = rows[pos]
        inds[index], inds[other] = inds[other], inds[index]
        return Outcome(True)

    def restart(self) -> None:
        self.__init__(framework=self.fw, engine=self.engine, corpus_tables=self.corpus_tables,
                      template=self.template_key, profile=self.profile, cwd=self.cwd)  # fmt: skip

    # -------------------------------------------------------------------------------- results
    def findings(self) -> list[Finding]:
        return run_checks(self.to_table(), framework=self.fw, corpus_tables=self.corpus_tables, profile=self.profile)

    def to_table(self) -> Table:
        table = copy.deepcopy(self.table)
        if table.project.year is None:
            table.project.year = name_year(table.project.name)
        return table

    def help(self) -> str:
        q = self.question()
        keys = (
            "回车：确认（空着回车采用默认）　Tab：采用选中的建议　↑↓：在建议中移动　Alt+数字：直接选第几条"
            "（措辞等不以数字开头的步骤直接按数字）\nEsc：上一步　F2：预览　F3：检查　F4：跳过本类　F6：删除本条"
            "　F7/F8：上移/下移　Ctrl+S：保存　Ctrl+P：命令　Ctrl+Q：退出（草稿已自动保存）"
        )
        return f"{q.prompt}\n{q.help}\n\n{keys}"

    # ------------------------------------------------------------------------------ persistence
    def to_state(self) -> dict:
        """Everything needed to resume, as JSON-able data."""
        return {
            "version": 1,
            "table": _table_dict(self.table),
            "prior": _table_dict(self.prior) if self.prior else None,
            "key": self.key,
            "history": list(self.history),
            "answered": sorted(self.answered),
            "skipped": sorted(self.skipped),
            "template": self.template_key,
            "saved_to": self.saved_to,
        }

    @classmethod
    def from_state(cls, state: dict, **kwargs) -> Dialogue:
        d = cls(**kwargs)
        d.table = _table_from(state["table"])
        d.prior = _table_from(state["prior"]) if state.get("prior") else None
        d.template_key = state.get("template") or d.template_key
        d.answered = set(state.get("answered", []))
        d.skipped = set(state.get("skipped", []))
        d.history = [k for k in state.get("history", []) if d._valid_step(k)]
        d.saved_to = state.get("saved_to", "")
        key = state.get("key", "project.name")
        d.key = key if d._valid_step(key) or key == DONE else REVIEW
        return d

    @classmethod
    def from_table(cls, table: Table, **kwargs) -> Dialogue:
        """An existing table opened for editing: every step answered, the review first."""
        d = cls(**kwargs)
        d.table = copy.deepcopy(table)
        d.answered = {*_HEADER_KEYS, TEMPLATE, "project.goal", REVIEW}
        for l2 in d.order:
            rows = d.rows(l2)
            if not rows:
                d.skipped.add(l2)
            for n in range(len(rows)):
                d.answered.update({f"ind/{l2}/{n}/name", f"ind/{l2}/{n}/value"})
        d.key = REVIEW
        return d

    def summary(self) -> str:
        """One line for "resume this draft?": name and how far it got."""
        name = self.table.project.name or "（未命名）"
        done, total = self.question().progress
        return f"{name}：已完成{done}/{total}步，当前在「{self.question().prompt}」"


def _table_dict(table: Table) -> dict:
    return asdict(table)


def _table_from(data: dict) -> Table:
    p = Project(**data["project"])
    f = Funding(**data["funding"])
    inds = [Indicator(**i) for i in data.get("indicators", [])]
    src = Source(**data["source"]) if data.get("source") else None
    return Table(p, f, inds, src, data.get("schema", 1))


