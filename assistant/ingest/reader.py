"""The form reader: any grid (rows of cells from text, PDF, Excel, Word or a web page) -> one `Table` per 绩效目标表.

Columns drift from table to table and from row to row (PDF text, provincial layouts), so nothing here relies on
a fixed column. Every cell is classified by its *content*:
a header label (项目名称, 年度资金总额 …), a category label (一级/二级 from the framework), or text.
Header fields take the text that follows their label (on the same row or wrapped onto the next);
indicator rows take their category from the labels they carry or inherit it from the row above.

Anything not understood becomes a `Problem` with its line number; parsing never raises on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..framework import Framework, default_framework
from ..model import Funding, Indicator, Project, Source, Table
from ..textnorm import fold_width, tidy
from ..values import parse_amount
from .grid import Cell, IngestResult, Parsed, Problem, Row
from .labels import vocabulary


# ------------------------------------------------------------------------------------- vocabulary
# Header labels, indicator-column labels and provincial level names live in knowledge/labels.toml.
_VOC = vocabulary()


def _header_kind(text: str) -> str | None:
    return _VOC.header_kind(text)


def _column_role(text: str) -> str | None:
    return _VOC.column_role(text)


_TITLE = re.compile(r"绩效目标(?:申报|批复|审核|审批)?表")
_TABLE_MARK = re.compile(r"^表\s*(\d+)\s*[:：]?$")
# "(2024 年度)", "（2024年）" or "2024年度"; a bare "2024年" may be a wrapped name, not a year line.
_YEAR_LINE = re.compile(r"^(?:[(（]\s*(20\d\d)\s*年\s*度?\s*[)）]|(20\d\d)\s*年\s*度)$")
_UNIT_LINE = re.compile(r"^(?:金额)?单位\s*[:：]\s*(万元|元)$")
_UNIT_ANYWHERE = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)(?![\u4e00-\u9fff])")
_WEB_NOISE = re.compile(r"^(?:发布时间|发布日期|来源|信息来源|作者|浏览次数|点击数|字号)\s*[:：]|\.gov\.cn|^填报单位\s*[:：]")
_TITLE_YEAR = re.compile(r"(20\d\d)\s*年")
_PAGE = re.compile(r"^(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页.*|[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+)$")
_ANNEX = re.compile(r"^附件\s*\d*\s*[:：]?")
_FUNDING_UNIT = re.compile(r"[(（]\s*(万元|元)\s*[)）]")
_LEADING_YEAR = re.compile(r"^(20\d\d)年")
_CODE_AFTER = re.compile(r"^(.*?\D)\s*(\d{2,})$")
_CODE_IN_PARENS = re.compile(r"\s*[(（]\s*(?:代码|编码|编号)\s*[:：]?\s*(\d{2,})\s*[)）]\s*$")
_CODE_BEFORE = re.compile(r"^[\[【(（]\s*(\d+)\s*[\]】)）]\s*(.+)$")
_VALUE_LIKE = re.compile(r"\d|^[≥≤＝=<>＞＜]|^(?:定性|优|良|中|差|是|否|有|无|达标|合格)")
_OPS = (("＞＝", "≥"), (">=", "≥"), ("≥=", "≥"), ("＜＝", "≤"), ("<=", "≤"), ("≤=", "≤"))
_QUALITATIVE_OPS = {"定性", "定量"}
_EQUAL_OPS = {"=", "＝", "等于"}
_DASH = re.compile(r"\s*([-—－–])\s*")


def _join(parts: list[str]) -> str:
    """Join wrapped pieces of one cell: no space where CJK meets anything, one space between Latin words."""
    out = ""
    for part in (p for p in parts if p):
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def _normalise_value(text: str) -> str:
    value = tidy(text)
    for ascii_op, op in _OPS:
        if value.startswith(ascii_op):
            value = op + value[len(ascii_op) :].lstrip()
    return value


# -------------------------------------------------------------------------------------- classifying
@dataclass(frozen=True)
class _Label:
    kind: str
    unit: str | None = None  # 万元 / 元 where the label carries it ("项目资金（元）")
    rest: str = ""  # text after "label：" in the same cell
    part: bool = False  # a sub-line of a nested funding block (1、一般公共预算)
    subtotal: bool = False  # (一)财政拨款小计


def _header_label(text: str) -> _Label | None:
    """A header label cell, possibly with its value in the same cell ("项目名称：2024年…")."""
    unit_match = _FUNDING_UNIT.search(fold_width(text))
    unit = unit_match.group(1) if unit_match else None
    bare = _FUNDING_UNIT.sub("", fold_width(text))
    kind = _header_kind(bare)
    if kind is not None:
        return _Label(kind, unit, part=_VOC.is_part(bare), subtotal="小计" in bare)
    head, _, rest = text.replace("：", ":").partition(":")
    if rest.strip():
        inner = _header_label(head)
        if inner is not None and inner.kind != "funding" and not inner.rest:
            return _Label(inner.kind, inner.unit, rest.strip(), inner.part, inner.subtotal)
    return None


def _is_preamble(text: str) -> bool:
    t = tidy(text)
    return bool(
        _WEB_NOISE.search(t)
        or _TITLE.search(t)
        or _TABLE_MARK.match(t)
        or _YEAR_LINE.match(t)
        or _UNIT_LINE.match(tidy(t))
        or _ANNEX.match(t)
    )


def _is_noise(text: str) -> bool:
    return bool(_PAGE.match(text.strip()))


# ---------------------------------------------------------------------------------------- segments
@dataclass
class _Segment:
    rows: list[Row] = field(default_factory=list)
    number: int | None = None
    year: int | None = None
    unit: str | None = None
    has_name: bool = False
    preamble_done: bool = False


_MAX_LOOSE_ROWS = 5000  # rows before any 项目名称: beyond this the text is no form, keep only the latest


def _segments(rows: Iterable[Row]) -> Iterator[_Segment]:
    """Split a document into one segment per table: at a title, a 表N mark, or a second 项目名称.

    A generator: a huge text is read one table at a time."""
    seg = _Segment()
    for row in rows:
        first = row.cells[0].text
        is_mark = len(row.cells) <= 2 and all(_is_preamble(c.text) for c in row.cells) or bool(
            _TITLE.search(first) and len(first) < 60
        )
        is_name = any((lab := _header_label(c.text)) is not None and lab.kind == "name" for c in row.cells)
        if (is_mark and (seg.has_name or seg.preamble_done)) or (is_name and seg.has_name):
            yield seg
            seg = _Segment()
        if is_mark:
            for cell in row.cells:
                t = tidy(cell.text)
                if _TITLE.search(t) and (m := _TITLE_YEAR.search(t)) and seg.year is None:
                    seg.year = int(m.group(1))  # "2023年项目支出绩效目标申报表"; a (2023年度) line overrides
                if (m := _UNIT_ANYWHERE.search(t)) and not _UNIT_LINE.match(t):
                    seg.unit = m.group(1)
                if m := _TABLE_MARK.match(t):
                    seg.number = int(m.group(1))
                elif (m := _YEAR_LINE.match(t)) and not _TITLE.search(t):
                    seg.year = int(m.group(1) or m.group(2))
                elif m := _UNIT_LINE.match(t):
                    seg.unit = m.group(1)
            continue
        unit = _UNIT_LINE.match(tidy(first))
        if unit:
            seg.unit = unit.group(1)
            continue
        if is_name:
            seg.has_name = True
        if seg.has_name:
            seg.preamble_done = True
        seg.rows.append(row)
        if not seg.has_name and len(seg.rows) > _MAX_LOOSE_ROWS:
            del seg.rows[: _MAX_LOOSE_ROWS // 2]
    yield seg


# ------------------------------------------------------------------------------------------ header
class _TableParser:
    def __init__(self, seg: _Segment, framework: Framework, document: str, ordinal: int):
        self.seg = seg
        self.fw = framework
        self.document = document
        self.ordinal = ordinal
        self.problems: list[Problem] = []
        self.values: dict[str, list[tuple[Row, Cell]]] = {}
        self.label_line: dict[str, int] = {}
        self.funding_unit = seg.unit or "万元"
        self.parts: dict[tuple[int, str], bool] = {}  # (line, kind) of funding sub-lines

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    # -- split header rows from indicator rows -----------------------------------------------------
    def _starts_indicators(self, row: Row) -> bool:
        roles = [_column_role(c.text) for c in row.cells]
        if sum(r in ("level1", "level2", "name") for r in roles) >= 2:
            return True
        first = row.cells[0].text
        return bool(_VOC.level1_of(first, self.fw) or _VOC.level2_of(first, self.fw)) and not _header_label(first)

    def parse(self) -> Table | None:
        rows = self.seg.rows
        split = next((i for i, row in enumerate(rows) if self._starts_indicators(row)), len(rows))
        self._header(rows[:split])
        indicators = _IndicatorParser(self.fw, self.problem).parse(rows[split:])
        project = self._project()
        if project is None:
            return None
        funding = self._funding()
        number = self.seg.number or self.ordinal
        if not indicators:
            self.problem(rows[split - 1].line if split else rows[0].line, f"「{project.name}」没有读到任何绩效指标。")
        return Table(project, funding, indicators, Source(self.document, number))

    def _header(self, rows: list[Row]) -> None:
        current: str | None = None
        captions: list[tuple[str, int]] = []  # labels on a row of their own, values on the next row
        for row in map(_without_broken_caption, rows):
            if all(_column_role(c.text) == "caption" for c in row.cells):
                current = None  # "绩效指标" on a line of its own: the indicator block's caption, not a value
                continue
            labels = [(c, _header_label(c.text)) for c in row.cells]
            if captions and all(lab is None for _, lab in labels):
                self._assign_by_column(row, captions)
                captions = []
                current = None
                continue
            captions = []
            if len(labels) >= 2 and all(lab is not None and not lab.rest for _, lab in labels):
                captions = [(lab.kind, c.col) for c, lab in labels if lab and lab.kind != "funding"]
                for c, lab in labels:
                    self._note_label(row, lab)
                if len(captions) < 2:
                    captions = []
                    current = labels[-1][1].kind if labels[-1][1] else current
                continue
            for cell, lab in labels:
                if lab is not None:
                    current = lab.kind
                    self._note_label(row, lab)
                    if lab.rest:
                        self.values.setdefault(current, []).append((row, Cell(cell.col, lab.rest)))
                elif _is_noise(cell.text) or _is_preamble(cell.text):
                    continue
                elif current is None:
                    self.problem(row.line, f"无法识别的内容「{_clip(cell.text)}」，已忽略。")
                else:
                    self.values.setdefault(current, []).append((row, cell))

    def _note_label(self, row: Row, lab: _Label) -> None:
        self.label_line.setdefault(lab.kind, row.line)
        if lab.part:
            self.parts[(row.line, lab.kind)] = True
        self.values.setdefault(lab.kind, [])
        if lab.unit:
            self.funding_unit = lab.unit

    def _assign_by_column(self, row: Row, captions: list[tuple[str, int]]) -> None:
        kinds = [k for k, _ in captions]
        if len(row.cells) == 1 and "goal" in kinds and set(kinds) <= {"goal", "goal_long", "skip"}:
            # "总体目标 | 年度目标 | 完成情况" over one paragraph: the paragraph is the 年度 goal
            self.values.setdefault("goal", []).append((row, row.cells[0]))
            return
        if len(row.cells) == len(captions):
            pairs = zip([k for k, _ in captions], row.cells)
        else:
            pairs = ((min(captions, key=lambda kc: abs(kc[1] - c.col))[0], c) for c in row.cells)
        for kind, cell in pairs:
            self.values.setdefault(kind, []).append((row, cell))

    def _text(self, kind: str) -> str:
        return _join([tidy(c.text) for _, c in self.values.get(kind, [])])

    def _project(self) -> Project | None:
        name = self._text("name")
        first_line = self.seg.rows[0].line if self.seg.rows else 0
        if "name" not in self.values:
            if self.seg.rows:
                self.problem(first_line, "这一段内容没有「项目名称」，无法识别为绩效目标表，已跳过。")
            return None
        line = self.label_line.get("name", first_line)
        if not name:
            self.problem(line, "「项目名称」未填写。")
        department, code = self._department()
        year = self.seg.year
        if year is None and (m := _LEADING_YEAR.match(name)):
            year = int(m.group(1))
        if year is None:
            # No year line and no year before the name: the first year the name, period or goal mentions
            # ("2023.07-2024.01", "2023年底前完成…"), said as a problem so the user can check it.
            for kind in ("name", "period", "goal", "goal_long"):
                if m := re.search(r"(?<!\d)(20\d\d)(?:年|\.|-|/)", self._text(kind)):
                    year = int(m.group(1))
                    self.problem(line, f"「{name}」没有写明预算年度，按「{label_of(kind)}」中的 {year} 年读取，请核对。")
                    break
        if year is None:
            self.problem(line, f"「{name or '（无名称）'}」找不到预算年度（既没有「(20xx年度)」也不以年份开头），已跳过。")
            return None
        goal = self._text("goal") or self._text("goal_long")
        for kind, label in (("unit", "实施单位"), ("period", "项目期"), ("goal", "年度总体目标")):
            if not self._text(kind) and not (kind == "goal" and goal):
                self.problem(self.label_line.get(kind, line), f"「{name}」的「{label}」未填写。")
        return Project(
            name=name,
            year=year,
            department=department,
            department_code=code,
            implementing_unit=_strip_code(self._text("unit")),
            attribute=_attribute(self._text("attribute")),
            period=self._text("period"),
            goal=goal,
        )

    def _department(self) -> tuple[str, str]:
        cells = [tidy(c.text) for _, c in self.values.get("department", [])]
        code = next((t for t in (tidy(c.text) for _, c in self.values.get("code", [])) if t.isdigit()), "")
        if m := _CODE_IN_PARENS.search(_join(cells)):  # "某局（代码：445001）"
            code = code or m.group(1)
            cells = [_CODE_IN_PARENS.sub("", _join(cells))]
        if len(cells) > 1 and cells[-1].isdigit():
            code = cells.pop()
        text = _join(cells)
        if not code:
            if m := _CODE_BEFORE.match(text):
                code, text = m.group(1), m.group(2)
            elif m := _CODE_AFTER.match(text):
                text, code = m.group(1), m.group(2)
        return text.strip(), code

    def _funding(self) -> Funding:
        amounts = {}
        for kind in ("total", "fiscal", "other"):
            lines: list[tuple[bool, float]] = []  # (a sub-line of a 小计, amount)
            for row, cell in self.values.get(kind, []):
                amount = parse_amount(cell.text, self.funding_unit)
                if amount is None:
                    self.problem(row.line, f"资金数额「{_clip(cell.text)}」不是数字，已忽略。")
                    continue
                lines.append((self.parts.get((row.line, kind), False), amount))
                if kind == "total":
                    break  # a total is one cell; a repeated figure is not a second amount
            main = [a for part, a in lines if not part]
            chosen = main or [a for _, a in lines]  # sub-lines count only where no 小计 line gives the sum
            amounts[kind] = sum(chosen) if chosen else None
        total, fiscal, other = amounts["total"], amounts["fiscal"], amounts["other"]
        if total is None and (fiscal is not None or other is not None):
            total = (fiscal or 0.0) + (other or 0.0)
        if total is None:
            self.problem(self.label_line.get("total", self.label_line.get("name", 0)), "没有读到「年度资金总额」。")
        elif fiscal is None:
            fiscal = max(total - (other or 0.0), 0.0)  # a form giving only the total: the rest is fiscal
        elif other is None:
            other = max(total - fiscal, 0.0)  # 项目金额 164, 其中财政资金 132: the other 32 is other funds
        return Funding(round(total or 0.0, 6), round(fiscal or 0.0, 6), round(other or 0.0, 6))


# A caption printed down a merged cell one or two characters a line (绩/效/指/标, 项目/资金) leaves such pieces at
# the start of the rows beside it: they are not content.
_CAPTIONS = ("绩效指标", "项目资金", "资金情况", "年度总体目标", "总体目标", "年度绩效目标", "绩效目标")


def _without_broken_caption(row: Row) -> Row:
    first = tidy(row.cells[0].text)
    if (
        len(row.cells) > 1
        and 1 <= len(first) <= 2
        and any(first in caption for caption in _CAPTIONS)
        and _header_label(first) is None
        and not _VOC.level1_of(first, default_framework())
    ):
        return Row(row.line, row.cells[1:])
    return row


def label_of(kind: str) -> str:
    return {"name": "项目名称", "period": "项目期", "goal": "年度目标", "goal_long": "总体目标"}.get(kind, kind)


def _strip_code(text: str) -> str:
    """"[607001]衡阳市…" -> "衡阳市…": a unit code before a name is not part of it."""
    m = _CODE_BEFORE.match(text)
    return m.group(2).strip() if m else text


def _attribute(text: str) -> str:
    """项目属性 as written, or the checked option of a checkbox line ("持续性项目■ 新增性项目口" -> 持续性项目)."""
    marks = _VOC.checked + _VOC.unchecked
    if not any(m in text for m in marks):
        return _DASH.sub(r"\1", text)
    pattern = "(" + "|".join(re.escape(m) for m in marks) + ")"
    pieces = [p.strip() for p in re.split(pattern, text)]
    before = not pieces[0]  # "■持续性项目 □新增项目": the mark stands before its option
    for i, piece in enumerate(pieces):
        if piece in _VOC.checked:
            option = pieces[i + 1] if before else pieces[i - 1]
            if option:
                return option.strip(" ,，、;；")
    return ""


def _clip(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"


# -------------------------------------------------------------------------------------- indicators
@dataclass
class _Open:
    """An indicator being read, with the columns its cells came from (for wrapped continuations)."""

    indicator: Indicator
    line: int
    name_col: int
    value_col: int | None


class _IndicatorParser:
    def __init__(self, framework: Framework, problem):
        self.fw = framework
        self.problem = problem
        self.roles: list[tuple[str, int]] = []  # from the block's header row
        self.level1: str | None = None  # the source's 一级 (may be misplaced)
        self.level2: str | None = None
        self.rows: list[_Open] = []

    def parse(self, rows: list[Row]) -> list[Indicator]:
        for row in rows:
            if self.rows and _VOC.is_footer(row.cells[0].text):
                break  # approval, signature and note blocks under the form end it
            self._row(row)
        for open_ in self.rows:
            if not open_.indicator.value:
                self.problem(open_.line, f"三级指标「{open_.indicator.name}」没有指标值。")
        return [o.indicator for o in self.rows]

    def _row(self, row: Row) -> None:
        cells = [c for c in _without_broken_caption(row).cells if not _is_noise(c.text)]
        roles = [_column_role(c.text) for c in cells]
        if sum(r in ("level1", "level2", "name", "value") for r in roles) >= 2:
            self.roles = [(r, c.col) for r, c in zip(roles, cells) if r]
            return
        if self.roles and not self.rows and all(r in ("value", "skip") for r in roles):
            return  # a second header row under 指标值 ("2021年实际实现值 | 预期2022年实现值")
        cells = [c for c, r in zip(cells, roles) if r != "caption"]
        if not cells:
            return
        level1, level2, texts = self._labels(cells)
        if level1 is not None:
            self.level1 = level1
            if level2 is None:
                level2 = self._only_level2(level1)
        if level2 is not None:
            self.level2 = level2
            if level1 is None and self.level1 is not None and not self.fw.allows(self.level1, level2):
                self.level1 = None
        if not texts:
            return
        if level1 is None and level2 is None and len(texts) == 1:
            self._continue(row, texts[0])
            return
        if self.level2 is None:
            self.problem(row.line, f"无法判断「{_clip(texts[0].text)}」属于哪个二级指标，已跳过。")
            return
        name_cell, value = self._split(texts)
        level1_final = self.fw.level1_for(self.level2, self.level1)
        indicator = Indicator(level1_final, self.level2, tidy(name_cell.text), value)
        value_col = texts[-1].col if len(texts) > 1 else None
        self.rows.append(_Open(indicator, row.line, name_cell.col, value_col))

    def _only_level2(self, level1: str) -> str | None:
        """A 一级 with one possible 二级 (满意度指标 -> 服务对象满意度指标) implies it; else keep the current one."""
        options = [spec.name for spec in self.fw.level2.values() if level1 in spec.level1]
        if self.level2 in options:
            return self.level2
        return options[0] if len(options) == 1 else None

    def _labels(self, cells: list[Cell]) -> tuple[str | None, str | None, list[Cell]]:
        """Leading category cells -> (一级, 二级); the rest is text. Labels only lead a row, 一级 before 二级."""
        level1 = level2 = None
        i = 0
        while i < len(cells) and level2 is None:
            text = cells[i].text
            room = len(cells) - i - 1 >= 2
            as1 = _VOC.level1_of(text, self.fw, bare=room)
            as2 = _VOC.level2_of(text, self.fw, bare=room)
            if as1 is not None and level1 is None and not (as2 and self._l2_position(cells, i)):
                level1 = as1
            elif as2 is not None:
                level2 = as2
            else:
                break
            i += 1
        return level1, level2, cells[i:]

    def _l2_position(self, cells: list[Cell], i: int) -> bool:
        """Whether a cell that names both a 一级 and a 二级 (满意度指标, 成本指标) is the 二级 here:
        it is when no further category cell follows it."""
        nxt = cells[i + 1].text if i + 1 < len(cells) else ""
        return not (_VOC.level2_of(nxt, self.fw) or _VOC.level1_of(nxt, self.fw))

    def _split(self, texts: list[Cell]) -> tuple[Cell, str]:
        """Text cells -> (三级 cell, 指标值): by the header's columns where it has more than name+value."""
        extra = [r for r, _ in self.roles if r in ("op", "unit", "skip")]
        if extra and len(texts) > 2:
            by_role = self._by_role(texts)
            if by_role is not None:
                return by_role
        name, rest = texts[0], [c.text for c in texts[1:]]
        return name, self._value(rest)

    def _by_role(self, texts: list[Cell]) -> tuple[Cell, str] | None:
        text_roles = [(r, col) for r, col in self.roles if r not in ("level1", "level2", "caption")]
        if len(texts) == len(text_roles):
            pairs = list(zip((r for r, _ in text_roles), texts))
        elif all(any(col == c.col for _, col in text_roles) for c in texts):
            pairs = [(next(r for r, col in text_roles if col == c.col), c) for c in texts]
        else:
            return None
        names = [c for r, c in pairs if r == "name"]
        if not names:
            return None
        parts = [c.text for r, c in pairs if r in ("op", "value", "unit")]
        return names[0], self._value(parts)

    @staticmethod
    def _value(parts: list[str]) -> str:
        parts = [p.strip() for p in parts if p.strip()]
        if parts and parts[0] in _QUALITATIVE_OPS | _EQUAL_OPS and len(parts) > 1:
            parts = parts[1:]
        if len(parts) > 1 and parts[-2].endswith(parts[-1]):
            parts = parts[:-1]  # a percentage cell already shows "95%" beside the 度量单位 "%"
        return _normalise_value("".join(parts))

    def _continue(self, row: Row, cell: Cell) -> None:
        """One lone text cell: a value or name wrapped onto its own line (page breaks do this)."""
        if not self.rows:
            self.problem(row.line, f"无法识别的内容「{_clip(cell.text)}」，已忽略。")
            return
        last = self.rows[-1]
        ind = last.indicator
        if not ind.value and _VALUE_LIKE.search(tidy(cell.text)):
            ind.value = _normalise_value(cell.text)
            last.value_col = cell.col
        elif last.value_col is not None and abs(cell.col - last.value_col) < abs(cell.col - last.name_col):
            ind.value = _normalise_value(_join([ind.value, tidy(cell.text)]))
        else:
            ind.name = _join([ind.name, tidy(cell.text)])


# --------------------------------------------------------------------------------------------- API
def parse_rows(
    rows: Iterable[Row], document: str = "", framework: Framework | None = None, *, first_ordinal: int = 0
) -> IngestResult:
    """Every table in a document already split into rows of cells (text lines, or a sheet's rows).

    Tables without a 表N mark are numbered from `first_ordinal + 1` (a workbook's later sheets go on counting).
    """
    fw = framework or default_framework()
    result = IngestResult()
    ordinal = first_ordinal
    held: _Segment | None = None  # the last table, kept until the next one shows it is not continued

    def finish(seg: _Segment) -> None:
        nonlocal ordinal
        ordinal += 1
        parser = _TableParser(seg, fw, document, ordinal)
        try:
            table = parser.parse()
        except Exception as exc:  # noqa: BLE001 - a parser bug must not cost the user the other tables
            parser.problem(seg.rows[0].line, f"解析这张表时出错（{type(exc).__name__}），已跳过。")
            table = None
        result.problems.extend(parser.problems)
        if table is not None:
            result.tables.append(Parsed(table, seg.rows[0].line))
        else:
            ordinal -= 1

    for seg in _segments(rows):
        if not seg.rows:
            continue
        if held is not None and not seg.has_name and _has_indicator_rows(seg, fw):
            held.rows.extend(seg.rows)  # the title printed again at the top of the next page: same table
            continue
        if held is not None:
            finish(held)
        held = seg
    if held is not None:
        finish(held)
    result.problems.sort(key=lambda p: p.line)
    return result


def _has_indicator_rows(seg: _Segment, fw: Framework) -> bool:
    return any(
        _VOC.level1_of(row.cells[0].text, fw) or _VOC.level2_of(row.cells[0].text, fw)
        or sum(_column_role(c.text) in ("level1", "level2", "name", "value") for c in row.cells) >= 2
        for row in seg.rows[:20]
    )


# ------------------------------------------------------------------------------------------ grids
def page_text_kept(text: str) -> bool:
    """Text outside the tables of a page or document whose forms are tables: only a title, a year or unit line,
    a 表N mark or a labelled field (项目名称：…) belongs to a form; menus and site footers do not."""
    return _is_preamble(text) or _header_label(text) is not None or _VOC.is_footer(text)

_FOOTER = re.compile(r"^(?:填报人|填表人|制表人|审核人|负责人|单位负责人|财务负责人|经办人|联系人|联系电话|填报日期)\s*[:：]")


def fill_gaps(rows: list[Row]) -> list[Row]:
    """In an indicator block, a row with a 三级 but no 指标值 (or the reverse) gets an empty cell for it;
    a footer row (填报人：…) ends the block and is dropped."""
    out: list[Row] = []
    name_col: int | None = None
    value_cols: list[int] = []
    for row in rows:
        roles = {c.col: _column_role(c.text) for c in row.cells}
        if sum(r in ("level1", "level2", "name", "value") for r in roles.values()) >= 2:
            name_col = next((col for col, r in roles.items() if r == "name"), None)
            value_cols = [col for col, r in roles.items() if r in ("op", "value", "unit")]
            out.append(row)
            continue
        if any(_TITLE.search(c.text) or _is_name_label(c.text) for c in row.cells):
            name_col, value_cols = None, []  # a new table starts
        if name_col is None or not value_cols:
            out.append(row)
            continue
        if any(_is_footer(c.text) for c in row.cells):
            name_col, value_cols = None, []  # 填报人：…, 联系电话：… under the form: not an indicator
            continue
        cols = {c.col for c in row.cells}
        has_name, has_value = name_col in cols, bool(cols & set(value_cols))
        if has_name and not has_value:
            row = Row(row.line, row.cells + (Cell(min(value_cols), ""),))
        elif has_value and not has_name:
            row = Row(row.line, tuple(sorted(row.cells + (Cell(name_col, ""),), key=lambda c: c.col)))
        out.append(row)
    return out


def _is_footer(text: str) -> bool:
    """填报人：…, 联系电话：…, 审核意见 …: the signature lines under a form."""
    if _FOOTER.match(text.strip()):
        return True
    label = _header_label(text)
    return label is not None and label.kind == "skip"


def _is_name_label(text: str) -> bool:
    label = _header_label(text)
    return label is not None and label.kind == "name"
