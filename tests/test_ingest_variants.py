"""Ingest reads the same tables however the PDF text was extracted, and other units' layouts too.

1. Re-rendered seed. A deterministic noise generator (seeded `random.Random`) re-renders the seed with
   extraction noise, working on its lines and tab cells only (never through the parser), and every header
   field and every indicator row must still equal tests/data/seed_golden.json (the golden regression
   file of the clean seed: the parser's own output, not a hand-written truth).
2. Other units. Small hand-written tables in layouts the seed does not have, with hand-written expectations.
3. Robustness. A few hundred random mutations: `parse_text` never raises and every Problem is well formed.
"""

from __future__ import annotations

import copy
import json
import math
import random
import re
import textwrap
from dataclasses import asdict, dataclass
from decimal import Decimal

import pytest

from assistant.ingest import IngestResult, decode, parse_text

from .conftest import DATA, SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")
EXPECTED: list[dict] = json.loads((DATA / "seed_golden.json").read_text(encoding="utf-8"))
DOC = "noisy.txt"
CJK = re.compile(r"[\u4e00-\u9fff]")


# =============================================================================== comparing to a truth
def _fields(obj) -> dict:
    """A model object as a dict without the optional `review` note (ingest never sets it)."""
    return {k: v for k, v in asdict(obj).items() if k != "review"}


def _as_truth(result: IngestResult) -> list[dict]:
    return [
        {
            "table": p.table.source.table if p.table.source else None,
            "document": p.table.source.document if p.table.source else None,
            "project": _fields(p.table.project),
            "funding": _fields(p.table.funding),
            "indicators": [_fields(i) for i in p.table.indicators],
        }
        for p in result.tables
    ]


def _mismatches(result: IngestResult, expected: list[dict], document: str) -> list[str]:
    """Every difference between the parsed tables and the truth, as readable lines (empty = equal)."""
    got = _as_truth(result)
    out: list[str] = []
    if len(got) != len(expected):
        out.append(f"{len(got)} tables, expected {len(expected)}: {[g['project']['name'] for g in got]}")
    for g, e in zip(got, expected):
        where = f"表{e['table']}"
        if g["table"] != e["table"]:
            out.append(f"{where}: source.table {g['table']!r} != {e['table']!r}")
        if g["document"] != document:
            out.append(f"{where}: source.document {g['document']!r} != {document!r}")
        for key, want in e["project"].items():
            if g["project"][key] != want:
                out.append(f"{where} project.{key}: {g['project'][key]!r} != {want!r}")
        for key, want in e["funding"].items():
            if not math.isclose(g["funding"][key], want, rel_tol=0, abs_tol=1e-7):  # 0.001 元
                out.append(f"{where} funding.{key}: {g['funding'][key]!r} != {want!r}")
        gi, ei = g["indicators"], e["indicators"]
        if len(gi) != len(ei):
            out.append(f"{where}: {len(gi)} indicator rows, expected {len(ei)}")
        for n, (a, b) in enumerate(zip(gi, ei)):
            if a != b:
                out.append(f"{where} row {n + 1}: {a} != {b}")
    return out


def assert_parses_to(text: str, expected: list[dict], document: str = DOC) -> IngestResult:
    result = parse_text(text, document)
    diff = _mismatches(result, expected, document)
    assert not diff, "\n".join(diff[:25]) + (f"\n… {len(diff) - 25} more" if len(diff) > 25 else "")
    return result


# ======================================================================= the seed as lines of cells
@dataclass(eq=False)  # lines are compared (and found with list.index) by identity
class Line:
    kind: str  # blank mark annex title year name dept attr total fiscal other goal ind_header ind | page unit wrap
    table: int  # 表 N this line belongs to (0 before the first)
    cells: list[str]

    @property
    def filled(self) -> list[int]:
        return [i for i, c in enumerate(self.cells) if c.strip()]


def seed_lines() -> list[Line]:
    """Classify the seed's lines by plain text rules (what a person sees), not by the parser."""
    lines: list[Line] = []
    table, in_indicators = 0, False
    for raw in SEED_TEXT.split("\n"):
        cells = raw.split("\t")
        first = next((c.strip() for c in cells if c.strip()), "")
        if not first:
            kind = "blank"
        elif m := re.fullmatch(r"表\s*(\d+)\s*[:：]", raw.strip()):
            table, in_indicators, kind = int(m.group(1)), False, "mark"
        elif first.startswith("附件"):
            kind = "annex"
        elif first == "部门项目支出预算绩效目标表":
            kind = "title"
        elif re.fullmatch(r"\(\d{4} 年度\)", first):
            kind = "year"
        elif first == "名称":
            kind, in_indicators = "ind_header", True
        elif in_indicators:
            kind = "ind"
        else:
            kind = {
                "项目名称": "name",
                "主管部门及代码": "dept",
                "项目属性": "attr",
                "项目资金 (万元)": "total",
                "其他资金": "other",
                "年度总体目标": "goal",
            }.get(first, "")
            if first.startswith("其中"):
                kind = "fiscal"
            assert kind, f"unclassified seed line {raw!r}"
        lines.append(Line(kind, table, cells))
    return lines


SEED_LINES = seed_lines()


def render(lines: list[Line]) -> str:
    return "\n".join("\t".join(line.cells) for line in lines)


def test_seed_classifier_matches_truth():
    """The line model itself: one `ind` line per expected indicator row, in every table."""
    for e in EXPECTED:
        rows = [line for line in SEED_LINES if line.table == e["table"] and line.kind == "ind"]
        assert len(rows) == len(e["indicators"]), e["table"]
    assert render(SEED_LINES) == SEED_TEXT
    assert_parses_to(render(SEED_LINES), EXPECTED)


# ------------------------------------------------------------------------------------ noise kinds
HEADER_KINDS = {"year", "name", "dept", "attr", "total", "fiscal", "other", "goal"}
VALUE_KINDS = {"year", "name", "dept", "attr", "total", "fiscal", "ind"}  # where digits are
MARKER = re.compile(r"\s*[（(]必填(?:硬性指标)?[）)]")
LEVEL2_BARE = re.compile(r"^[\u4e00-\u9fff]+指标$")
NOT_LEVEL2 = ("绩效指标", "产出指标", "效益指标", "满意度指标")  # caption and 一级 labels: no （必填） added
CATEGORY = re.compile(r"指标\s*(?:[（(][^)）]*[)）])?\s*$")
FW_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
FW_DIGITS_BACK = str.maketrans("０１２３４５６７８９", "0123456789")


def _tables(lines: list[Line]) -> list[int]:
    return sorted({line.table for line in lines if line.table})


def _find(lines: list[Line], table: int, kind: str) -> Line | None:
    return next((line for line in lines if line.table == table and line.kind == kind), None)


def _drop_leading(cells: list[str]) -> list[str]:
    i = 0
    while i < len(cells) - 1 and not cells[i].strip():
        i += 1
    return cells[i:]


def shift_rows(lines, rng):
    """Whole rows moved 0–2 tab columns right, or up to 2 columns left where leading cells are empty."""
    for line in lines:
        if line.kind == "blank":
            continue
        k = rng.randint(-2, 2)
        if k > 0:
            line.cells[:0] = [""] * k
        for _ in range(-k):
            if len(line.cells) > 1 and not line.cells[0].strip():
                line.cells.pop(0)
    return lines


def shift_cells(lines, rng):
    """Single cells moved: 1–2 empty cells inserted before a cell, or one empty cell before it removed."""
    for line in lines:
        if line.kind == "blank":
            continue
        out: list[str] = []
        for i, cell in enumerate(line.cells):
            if i and cell.strip() and rng.random() < 0.4:
                if rng.random() < 0.5:
                    out.extend([""] * rng.randint(1, 2))
                elif out and not out[-1].strip():
                    out.pop()
            out.append(cell)
        line.cells = out
    return lines


def trailing_tabs(lines, rng):
    for line in lines:
        while len(line.cells) > 1 and not line.cells[-1].strip():
            line.cells.pop()
        line.cells.extend([""] * rng.choice([0, 0, 1, 2, 3]))
    return lines


def blank_lines(lines, rng):
    out = []
    for line in lines:
        out.append(line)
        if rng.random() < 0.25:
            out.append(Line("blank", line.table, [rng.choice(["", " ", "  ", "\t\t", "\t \t\t", "\u3000"])]))
    return out


def trailing_spaces(lines, rng):
    for line in lines:
        for i, cell in enumerate(line.cells):
            if cell.strip() and rng.random() < 0.5:
                line.cells[i] = cell + rng.choice([" ", "  ", "   "])
        if rng.random() < 0.3:
            line.cells[-1] += rng.choice([" ", "  "])
    return lines


def fullwidth_digits(lines, rng):
    """０-９ in values, amounts, years (and whatever else those rows hold: names, the code)."""
    for line in lines:
        if line.kind in VALUE_KINDS:
            line.cells = [c.translate(FW_DIGITS) if rng.random() < 0.6 else c for c in line.cells]
    return lines


_DIGIT_HAN = re.compile(r"(?<=\d)[ ]*(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[ ]*(?=\d)")


def digit_spaces(lines, rng):
    """A space between digits and 汉字 added or removed at random: 「2024 年」/「2024年」, 「12 个」/「12个」."""
    for line in lines:
        if line.kind in VALUE_KINDS | {"goal"}:
            line.cells = [_DIGIT_HAN.sub(lambda _m: rng.choice(["", " "]), c) for c in line.cells]
    return lines


_LABELS = ("项目名称", "主管部门及代码", "实施单位", "项目属性", "项目期", "其他资金", "年度总体目标")


def colons(lines, rng):
    """Colons after labels in either width (also added where there was none, or dropped), and inside 其中："""
    for line in lines:
        if line.kind not in HEADER_KINDS:
            continue
        for i, cell in enumerate(line.cells):
            c = cell.strip()
            if m := re.fullmatch(r"(年度资金总额)[:：]", c):
                line.cells[i] = m.group(1) + rng.choice(["：", ":", ""])
            elif m := re.fullmatch(r"其中[:：](财政拨款)", c):
                line.cells[i] = "其中" + rng.choice(["：", ":"]) + m.group(1)
            elif c in _LABELS:
                line.cells[i] = c + rng.choice(["", "：", ":"])
    return lines


def markers(lines, rng):
    """（必填）/(必填)/（必填硬性指标） swapped between widths, dropped, or added; brackets of the year line too."""
    choices = ["（必填）", "(必填)", "（必填硬性指标）", "(必填硬性指标)", "（必填)", " (必填)", ""]
    for line in lines:
        if line.kind == "ind":
            for i, cell in enumerate(line.cells):
                if MARKER.search(cell):
                    line.cells[i] = MARKER.sub(rng.choice(choices), cell)
                elif LEVEL2_BARE.match(cell.strip()) and cell.strip() not in NOT_LEVEL2:
                    line.cells[i] = cell + rng.choice(choices)
        elif line.kind == "year":
            i = line.filled[0]
            year = re.search(r"\d{4} ?年度", line.cells[i]).group(0)
            line.cells[i] = rng.choice(["({})", "（{}）", "({}）", "（{})"]).format(year)
        elif line.kind == "total":  # 项目资金 (万元) / （元）: keep the unit, change the brackets
            i = line.filled[0]
            opening, closing = rng.choice([(" (", ")"), ("（", "）"), ("(", ")"), (" （", "）"), ("(", "）")])
            line.cells[i] = re.sub(
                r"\s*[(（]\s*(万元|元)\s*[)）]", lambda m, o=opening, c=closing: o + m.group(1) + c, line.cells[i]
            )
    return lines


def page_breaks(lines, rng):
    """Between indicator rows: a page-number line, the indicator header repeated, the next row without leading tabs."""
    page = 2
    for t in _tables(lines):
        header = _find(lines, t, "ind_header")
        rows = [line for line in lines if line.table == t and line.kind == "ind"]
        for k in sorted(rng.sample(range(len(rows) - 1), k=min(2, len(rows) - 1))):
            after, nxt = rows[k], rows[k + 1]
            at = lines.index(after) + 1
            text = rng.choice([f"第 {page} 页", f"- {page} -", f"第 {page} 页 共 18 页", f"—{page}—"])
            head = [c for c in header.cells if c.strip()]
            if rng.random() < 0.4:
                head = head[1:]  # some exports repeat the header without its 名称 caption
            inserted = [
                Line("page", t, [""] * rng.randint(0, 3) + [text] + [""] * rng.randint(0, 2)),
                Line("ind_header", t, head),
            ]
            if rng.random() < 0.5:
                inserted.insert(0, Line("blank", t, [""]))
            lines[at:at] = inserted
            nxt.cells = _drop_leading(nxt.cells)
            page += 1
    return lines


def _yuan(amount: str, rng) -> str:
    value = Decimal(amount.strip()) * 10000
    return format(value, rng.choice([",.2f", ",.2f", ",.0f", ".2f"]))


def yuan(lines, rng, mode: str | None = None):
    """Amounts in 元 with thousands separators, announced by 「项目资金（元）」 or a 「金额单位：元」 line."""
    for t in _tables(lines):
        how = mode or rng.choice(["label", "line"])
        total = _find(lines, t, "total")
        i = total.filled[0]
        if how == "label":
            total.cells[i] = rng.choice(["项目资金（元）", "项目资金(元)", "项目资金 (元)"])
        else:  # the unit on its own line under the year, or at the right end of the year's row
            total.cells[i] = "项目资金"
            year = _find(lines, t, "year")
            unit = rng.choice(["金额单位：元", "金额单位:元", "单位：元"])
            if rng.random() < 0.5:
                lines.insert(lines.index(year) + 1, Line("unit", t, [""] * rng.randint(0, 4) + [unit]))
            else:
                year.cells = [c for c in year.cells if c.strip()] + [""] * rng.randint(1, 4) + [unit]
        for line in (total, _find(lines, t, "fiscal")):
            line.cells = [_yuan(c, rng) if re.fullmatch(r"\s*\d+(\.\d+)?\s*", c) else c for c in line.cells]
    return lines


def code_position(lines, rng, mode: str | None = None):
    """The 代码 before the department in brackets, or in its own cell."""
    for t in _tables(lines):
        dept = _find(lines, t, "dept")
        i = dept.filled[1]
        name, code = dept.cells[i].rsplit(" ", 1)
        how = mode or rng.choice(["【】", "[]", "cell"])
        if how == "cell":
            dept.cells[i : i + 1] = [name, code]
        else:
            dept.cells[i] = how[0] + code + how[1] + rng.choice(["", " "]) + name
    return lines


LABEL_VARIANTS = {
    "dept": ["主管部门及代码", "主管部门", "主管部门及其编码", "项目主管部门", "预算部门"],
    "unit": ["实施单位", "项目实施单位", "项目执行单位"],
    "goal": ["年度总体目标", "年度目标", "本年度绩效目标"],
    "total": ["年度资金总额", "资金总额"],
    "name3": ["三级指标", "指标内容"],
}


def _relabel(lines: list[Line], t: int, field: str, label: str) -> None:
    if field == "dept":
        line = _find(lines, t, "dept")
        line.cells[line.filled[0]] = label
    elif field == "unit":
        line = _find(lines, t, "dept")
        i = next(i for i in line.filled if line.cells[i].strip() == "实施单位")
        line.cells[i] = label
    elif field == "goal":
        line = _find(lines, t, "goal")
        line.cells[line.filled[0]] = label
    elif field == "total":
        line = _find(lines, t, "total")
        i = line.filled[1]
        line.cells[i] = line.cells[i].replace("年度资金总额", label)
    elif field == "name3":
        line = _find(lines, t, "ind_header")
        line.cells = [label if c == "三级指标" else c for c in line.cells]


def labels(lines, rng, field: str | None = None, label: str | None = None):
    """Label wording of other forms (DOMAIN.md §1): 预算部门, 项目执行单位, 本年度绩效目标, 资金总额, 指标内容 …"""
    for t in _tables(lines):
        for f, options in LABEL_VARIANTS.items():
            if field is None:
                _relabel(lines, t, f, rng.choice(options))
            elif f == field:
                _relabel(lines, t, f, label)
    return lines


def _latin(ch: str) -> bool:
    """A letter or digit of a Latin word or number (full-width too): PDFs don't wrap inside those."""
    ch = ch.translate(FW_DIGITS_BACK)
    return ch.isascii() and ch.isalnum()


def _split_point(text: str, rng, earliest: int = 0) -> int | None:
    """A place to wrap `text` in its middle third (not before `earliest`), not between two ASCII letters/digits."""
    points = [
        p
        for p in range(max(2, earliest, len(text) // 3), min(len(text) - 1, max(earliest + 1, 2 * len(text) // 3 + 1)))
        if not (_latin(text[p - 1]) and _latin(text[p])) and text[p - 1] != " " and text[p] != " "
    ]
    return rng.choice(points) if points else None


def _wrap_cell(lines: list[Line], line: Line, i: int, rng, after: str | None = None) -> None:
    stripped = line.cells[i].strip()
    earliest = re.search(after, stripped).end() if after else 0
    p = _split_point(stripped, rng, earliest)
    if p is None:
        return
    line.cells[i] = stripped[:p]
    lines.insert(lines.index(line) + 1, Line("wrap", line.table, [""] * i + [stripped[p:]]))


def wrap_goal(lines, rng):
    """A long 年度总体目标 wrapped: the rest on the next line, a lone cell at the same column."""
    for t in _tables(lines):
        goal = _find(lines, t, "goal")
        _wrap_cell(lines, goal, goal.filled[1], rng)
    return lines


def wrap_name(lines, rng):
    """The 项目名称 wrapped the same way, somewhere after its 「20xx年」 prefix (see the test of a wrap right after it)."""
    for t in _tables(lines):
        name = _find(lines, t, "name")
        _wrap_cell(lines, name, name.filled[1], rng, after=r"年\S")
    return lines


def wrap_indicator_name(lines, rng):
    """A long 三级 name (its row has a value) wrapped onto a lone cell in the name column."""
    for t in _tables(lines):
        rows = [
            line
            for line in lines
            if line.table == t
            and line.kind == "ind"
            and len(line.filled) >= 2
            and len(line.cells[line.filled[-2]].strip()) >= 8
            and not CATEGORY.search(line.cells[line.filled[-2]])  # 表1's last row has no value
        ]
        for line in rng.sample(rows, k=min(2, len(rows))):
            _wrap_cell(lines, line, line.filled[-2], rng)
    return lines


def no_table_marks(lines, rng):
    """No 「表 N：」 lines: each table's number is then its ordinal, which is N here."""
    return [line for line in lines if line.kind != "mark"]


def text_crlf(text: str, rng) -> str:
    return text.replace("\n", "\r\n")


def text_bom(text: str, rng) -> str:
    return "\ufeff" + text.lstrip("\n")


LINE_NOISE = {
    "shift_rows": shift_rows,
    "shift_cells": shift_cells,
    "trailing_tabs": trailing_tabs,
    "blank_lines": blank_lines,
    "trailing_spaces": trailing_spaces,
    "fullwidth_digits": fullwidth_digits,
    "digit_spaces": digit_spaces,
    "colons": colons,
    "markers": markers,
    "page_breaks": page_breaks,
    "yuan_label": lambda lines, rng: yuan(lines, rng, "label"),
    "yuan_unit_line": lambda lines, rng: yuan(lines, rng, "line"),
    "code_brackets": lambda lines, rng: code_position(lines, rng, rng.choice(["【】", "[]"])),
    "code_cell": lambda lines, rng: code_position(lines, rng, "cell"),
    "labels": labels,
    "wrap_goal": wrap_goal,
    "wrap_name": wrap_name,
    "wrap_indicator_name": wrap_indicator_name,
    "no_table_marks": no_table_marks,
}
TEXT_NOISE = {"crlf": text_crlf, "bom": text_bom}

# Order for the combined runs: wording first, then cell moves, then line insertions that need final columns.
COMBINED_ORDER = [
    "labels", "code_brackets|code_cell", "yuan_label|yuan_unit_line", "colons", "markers", "fullwidth_digits",
    "digit_spaces", "no_table_marks", "shift_rows", "shift_cells", "trailing_tabs", "page_breaks",
    "wrap_goal", "wrap_name", "wrap_indicator_name", "blank_lines", "trailing_spaces",
]  # fmt: skip


def noisy(kinds: list[str], seed: int) -> str:
    rng = random.Random(seed)
    lines = copy.deepcopy(SEED_LINES)
    for kind in kinds:
        if kind in LINE_NOISE:
            lines = LINE_NOISE[kind](lines, rng)
    text = render(lines)
    for kind in kinds:
        if kind in TEXT_NOISE:
            text = TEXT_NOISE[kind](text, rng)
    return text


def combined(seed: int, every: bool = False) -> str:
    """Most noise kinds at once (each with probability 0.8), or with `every`, all of them."""
    rng = random.Random(seed * 7919)
    kinds = []
    for step in COMBINED_ORDER:
        options = step.split("|")
        if every or len(options) > 1 or rng.random() < 0.8:
            kinds.append(rng.choice(options))
    kinds += [k for k in TEXT_NOISE if every or rng.random() < 0.5]
    return noisy(kinds, seed)


# ------------------------------------------------------------------------------- seed re-rendered
ALL_KINDS = [*LINE_NOISE, *TEXT_NOISE]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_seed_with_noise_parses_exactly(kind, seed):
    text = noisy([kind], seed)
    assert text != SEED_TEXT, "the noise changed nothing"
    result = assert_parses_to(text, EXPECTED)
    assert any("群众满意度" in p.message for p in result.problems), "表1's empty 群众满意度 value must be reported"


@pytest.mark.parametrize("seed", range(10))
def test_seed_with_all_noise_combined_parses_exactly(seed):
    assert_parses_to(combined(seed), EXPECTED)


@pytest.mark.parametrize("seed", (100, 101, 102))
def test_seed_with_every_noise_kind_at_once_parses_exactly(seed):
    assert_parses_to(combined(seed, every=True), EXPECTED)


@pytest.mark.parametrize(("field", "label"), [(f, label) for f, options in LABEL_VARIANTS.items() for label in options])
def test_seed_with_each_label_variant(field, label):
    lines = labels(copy.deepcopy(SEED_LINES), random.Random(0), field, label)
    assert_parses_to(render(lines), EXPECTED)


@pytest.mark.parametrize("mode", ["【】", "[]", "cell"])
def test_seed_with_each_code_position(mode):
    lines = code_position(copy.deepcopy(SEED_LINES), random.Random(0), mode)
    assert_parses_to(render(lines), EXPECTED)


def test_noise_generator_is_deterministic():
    assert combined(3) == combined(3)
    assert noisy(["shift_cells", "page_breaks"], 5) == noisy(["shift_cells", "page_breaks"], 5)
    assert combined(3) != combined(4)


# ======================================================================================= other units
def grid(block: str) -> str:
    """A table written with `|` between cells (readable here) -> the tab-separated text of a PDF export."""
    return "\n".join(line.strip().replace("|", "\t") for line in textwrap.dedent(block).strip("\n").split("\n"))


def table(n, name, year, dept, code, unit, attribute, period, goal, total, fiscal, other, rows) -> dict:
    return {
        "table": n,
        "project": {
            "name": name, "year": year, "department": dept, "department_code": code, "implementing_unit": unit,
            "attribute": attribute, "period": period, "goal": goal,
        },
        "funding": {"total": total, "fiscal": fiscal, "other": other},
        "indicators": [dict(zip(("level1", "level2", "name", "value"), row)) for row in rows],
    }  # fmt: skip


P, C, B, S = "产出指标", "成本指标", "效益指标", "满意度指标"

# Split value columns (指标性质 | 指标值 | 度量单位), no 名称 column, code after the department.
SPLIT_VALUE = grid("""
    附件2
    石嘴山市惠农区教育体育局项目支出绩效目标表
    （2025年度）
    项目名称|2025年农村义务教育学生营养改善计划||||
    主管部门及代码|石嘴山市惠农区教育体育局 308001||实施单位|惠农区教育体育局本级|
    项目属性|0101-一年期项目||项目期|1年|
    项目资金（万元）|年度资金总额：|152.00|||
    |其中：财政拨款|152.00|||
    |其他资金||||
    年度总体目标|保障全区1900名农村义务教育阶段学生营养膳食补助按时足额发放，改善学生营养健康状况。||||
    一级指标|二级指标|三级指标|指标性质|指标值|度量单位
    产出指标|数量指标|受益学生人数|≥|1900|人
    ||在校供餐天数|＝|200|天
    |质量指标|食品安全抽检合格率|≥|98|%
    |时效指标|营养膳食补助发放及时率|≥|95|%
    |成本指标|生均营养膳食补助标准|＝|4|元/人/天
    效益指标|社会效益指标|学生营养健康状况|定性|优良中低差|
    |可持续影响指标|营养改善计划持续实施年限|≥|3|年
    满意度指标|服务对象满意度指标|学生家长满意度|≥|90|%
""")
SPLIT_VALUE_EXPECTED = [
    table(1, "2025年农村义务教育学生营养改善计划", 2025, "石嘴山市惠农区教育体育局", "308001", "惠农区教育体育局本级",
          "0101-一年期项目", "1年", "保障全区1900名农村义务教育阶段学生营养膳食补助按时足额发放，改善学生营养健康状况。",
          152.0, 152.0, 0.0, [
              (P, "数量指标", "受益学生人数", "≥1900人"),
              (P, "数量指标", "在校供餐天数", "200天"),
              (P, "质量指标", "食品安全抽检合格率", "≥98%"),
              (P, "时效指标", "营养膳食补助发放及时率", "≥95%"),
              (P, "成本指标", "生均营养膳食补助标准", "4元/人/天"),
              (B, "社会效益指标", "学生营养健康状况", "优良中低差"),
              (B, "可持续影响指标", "营养改善计划持续实施年限", "≥3年"),
              (S, "服务对象满意度指标", "学生家长满意度", "≥90%"),
          ]),
]  # fmt: skip

# An extra 权重 column to ignore; 项目主管部门 / 项目实施单位 / 资金情况 / 资金总额 / 年度目标 labels; 其他资金 "0".
WEIGHTS = grid("""
    项目支出绩效目标申报表
    （2024年度）
    项目名称|2024年城乡居民最低生活保障工作经费|||
    项目主管部门|浏阳市民政局 415||项目实施单位|浏阳市社会救助服务中心
    项目属性|0101-一年期项目||项目期|1年
    资金情况（万元）|资金总额|45.60||
    |其中：财政拨款|45.60||
    |其他资金|0||
    年度目标|完成全市低保对象动态核查，确保低保金按月足额发放到户。|||
    一级指标|二级指标|三级指标|指标值|权重
    产出指标|数量指标|低保对象动态核查户数|≥3800户|15
    ||入户走访次数|≥2次/户|10
    |质量指标|低保金发放准确率|100%|15
    |时效指标|低保金发放时间|每月10日前|10
    |成本指标|低保工作经费|≤45.6万元|10
    效益指标|社会效益指标|困难群众基本生活保障率|100%|20
    |可持续影响指标|社会救助长效机制|持续完善|10
    满意度指标|服务对象满意度指标|低保对象满意度|≥90%|10
""")
WEIGHTS_EXPECTED = [
    table(1, "2024年城乡居民最低生活保障工作经费", 2024, "浏阳市民政局", "415", "浏阳市社会救助服务中心",
          "0101-一年期项目", "1年", "完成全市低保对象动态核查，确保低保金按月足额发放到户。", 45.6, 45.6, 0.0, [
              (P, "数量指标", "低保对象动态核查户数", "≥3800户"),
              (P, "数量指标", "入户走访次数", "≥2次/户"),
              (P, "质量指标", "低保金发放准确率", "100%"),
              (P, "时效指标", "低保金发放时间", "每月10日前"),
              (P, "成本指标", "低保工作经费", "≤45.6万元"),
              (B, "社会效益指标", "困难群众基本生活保障率", "100%"),
              (B, "可持续影响指标", "社会救助长效机制", "持续完善"),
              (S, "服务对象满意度指标", "低保对象满意度", "≥90%"),
          ]),
]  # fmt: skip

# G2021: 成本指标 is its own 一级 with 经济/社会/生态环境成本指标; 预算部门 with the code in its own cell;
# 项目执行单位 on its own row; 本年度绩效目标; 其他资金 non-zero.
G2021 = grid("""
    项目支出绩效目标表
    (2024年度)
    项目名称|2024年国土绿化示范项目|||
    预算部门|银川市西夏区自然资源局|215||
    项目执行单位|西夏区林业和草原服务中心|||
    项目属性|0101-一年期项目|项目期|1年|
    项目资金（万元）|年度资金总额|600.00||
    |其中：财政拨款|500.00||
    |其他资金|100.00||
    本年度绩效目标|完成人工造林4000亩，造林成活率达到85%以上，新增森林面积4000亩。|||
    一级指标|二级指标|三级指标|指标值
    产出指标|数量指标|完成人工造林面积|4000亩
    |质量指标|造林成活率|≥85%
    |时效指标|造林任务完成时间|2024年6月30日前
    成本指标|经济成本指标|人工造林单位成本|≤1500元/亩
    |社会成本指标|对周边群众生产生活的负面影响|无
    |生态环境成本指标|施工造成的植被破坏面积|≤10亩
    效益指标|生态效益指标|新增森林面积|4000亩
    |可持续影响指标|林木管护期|≥3年
    满意度指标|服务对象满意度指标|周边群众满意度|≥90%
""")
G2021_EXPECTED = [
    table(1, "2024年国土绿化示范项目", 2024, "银川市西夏区自然资源局", "215", "西夏区林业和草原服务中心",
          "0101-一年期项目", "1年", "完成人工造林4000亩，造林成活率达到85%以上，新增森林面积4000亩。",
          600.0, 500.0, 100.0, [
              (P, "数量指标", "完成人工造林面积", "4000亩"),
              (P, "质量指标", "造林成活率", "≥85%"),
              (P, "时效指标", "造林任务完成时间", "2024年6月30日前"),
              (C, "经济成本指标", "人工造林单位成本", "≤1500元/亩"),
              (C, "社会成本指标", "对周边群众生产生活的负面影响", "无"),
              (C, "生态环境成本指标", "施工造成的植被破坏面积", "≤10亩"),
              (B, "生态效益指标", "新增森林面积", "4000亩"),
              (B, "可持续影响指标", "林木管护期", "≥3年"),
              (S, "服务对象满意度指标", "周边群众满意度", "≥90%"),
          ]),
]  # fmt: skip

# Older Hubei form: 满意度 under 效益指标 as 社会公众或服务对象满意度指标; 长期目标 and 年度目标 (the goal is the
# 年度 one); 主管部门及其编码 with the code before it in brackets; 三级 headed 指标内容; "854万（…）".
HUBEI = grid("""
    部门项目支出绩效目标表
    （2023年度）
    项目名称|2023年高标准农田建设项目|||
    主管部门及其编码|【107001】竹山县农业农村局|实施单位|竹山县农田建设服务中心
    项目属性|0102-延续性项目|项目期|3年
    项目资金（万元）|年度资金总额|854万（含中央资金600万）|
    |其中：财政拨款|854|
    |其他资金|0|
    长期目标|到2025年累计建成高标准农田5万亩，农田基础设施条件明显改善。|||
    年度目标|2023年新建高标准农田1.2万亩，项目区亩均粮食产能提高50公斤以上。|||
    一级指标|二级指标|指标内容|指标值
    产出指标|数量指标|新建高标准农田面积|1.2万亩
    |质量指标|工程验收合格率|≥95%
    |时效指标|项目完成时间|2023年12月31日前
    |成本指标|亩均财政投资标准|≤712元/亩
    效益指标|经济效益指标|亩均粮食产能提升|≥50公斤
    |社会效益指标|受益农户数|≥3000户
    |生态效益指标|节水灌溉面积占比|≥30%
    |可持续影响指标|工程设施使用年限|≥15年
    |社会公众或服务对象满意度指标|受益群众满意度|≥90%
""")
HUBEI_EXPECTED = [
    table(1, "2023年高标准农田建设项目", 2023, "竹山县农业农村局", "107001", "竹山县农田建设服务中心",
          "0102-延续性项目", "3年", "2023年新建高标准农田1.2万亩，项目区亩均粮食产能提高50公斤以上。",
          854.0, 854.0, 0.0, [
              (P, "数量指标", "新建高标准农田面积", "1.2万亩"),
              (P, "质量指标", "工程验收合格率", "≥95%"),
              (P, "时效指标", "项目完成时间", "2023年12月31日前"),
              (P, "成本指标", "亩均财政投资标准", "≤712元/亩"),
              (B, "经济效益指标", "亩均粮食产能提升", "≥50公斤"),
              (B, "社会效益指标", "受益农户数", "≥3000户"),
              (B, "生态效益指标", "节水灌溉面积占比", "≥30%"),
              (B, "可持续影响指标", "工程设施使用年限", "≥15年"),
              (S, "服务对象满意度指标", "受益群众满意度", "≥90%"),
          ]),
]  # fmt: skip

# Several tables, each with its own title, no 表 N and no year line (the year is the name's prefix);
# ASCII operators (>= <=, stored as ≥ ≤); amounts like "250万" with 其他资金 non-zero; 项目来源 instead of 项目属性.
MULTI = grid("""
    贺兰县卫生健康局2025年部门预算项目支出绩效目标表

    项目支出绩效目标表
    项目名称|2025年基本公共卫生服务项目||
    主管部门|贺兰县卫生健康局 156||
    实施单位|贺兰县疾病预防控制中心||
    项目属性|0101-一年期项目|项目期|1年
    项目资金（万元）|年度资金总额|250万|
    |其中：财政拨款|200万|
    |其他资金|50万|
    年度总体目标|为辖区常住居民免费提供基本公共卫生服务，提高居民健康素养水平。||
    一级指标|二级指标|三级指标|指标值
    产出指标|数量指标|居民电子健康档案建档人数|>=28000人
    |质量指标|高血压患者规范管理率|>=65%
    |时效指标|资金拨付时限|<=30日
    |成本指标|人均基本公共卫生服务经费|89元/人/年
    效益指标|社会效益指标|居民健康素养水平|>= 25%
    满意度指标|服务对象满意度指标|居民满意度|>=90%

    项目支出绩效目标表
    项目名称|2025年计划生育家庭特别扶助金||
    主管部门|贺兰县卫生健康局 156||
    实施单位|贺兰县卫生健康局本级||
    项目属性|0101-一年期项目|项目期|1年
    项目资金（万元）|年度资金总额|86.40|
    |其中：财政拨款|86.40|
    |其他资金||
    年度总体目标|按时足额向计划生育特殊家庭发放特别扶助金，保障其基本生活。||
    一级指标|二级指标|三级指标|指标值
    产出指标|数量指标|扶助对象人数|120人
    |质量指标|扶助金发放准确率|100%
    |时效指标|扶助金发放时间|2025年12月底前
    |成本指标|特别扶助金标准|600元/人/月
    效益指标|社会效益指标|特殊家庭基本生活保障|有效保障
    满意度指标|服务对象满意度指标|扶助对象满意度|>=95%

    项目支出绩效目标表
    项目名称|2025年村卫生室运行补助经费||
    主管部门|贺兰县卫生健康局 156||
    实施单位|贺兰县各乡镇卫生院||
    项目来源|上级转移支付|项目期|1年
    项目资金（万元）|年度资金总额|36.00|
    |其中：财政拨款|36.00|
    |其他资金||
    年度总体目标|保障全县60个村卫生室正常运行，方便群众就近就医。||
    一级指标|二级指标|三级指标|指标值
    产出指标|数量指标|补助村卫生室个数|60个
    |质量指标|村卫生室正常运行率|>=95%
    |时效指标|补助资金拨付时间|2025年6月底前
    |成本指标|村卫生室运行补助标准|6000元/个/年
    效益指标|社会效益指标|群众就近就医便利程度|明显提升
    满意度指标|服务对象满意度指标|村民满意度|>=90%
""")
MULTI_EXPECTED = [
    table(1, "2025年基本公共卫生服务项目", 2025, "贺兰县卫生健康局", "156", "贺兰县疾病预防控制中心",
          "0101-一年期项目", "1年", "为辖区常住居民免费提供基本公共卫生服务，提高居民健康素养水平。",
          250.0, 200.0, 50.0, [
              (P, "数量指标", "居民电子健康档案建档人数", "≥28000人"),
              (P, "质量指标", "高血压患者规范管理率", "≥65%"),
              (P, "时效指标", "资金拨付时限", "≤30日"),
              (P, "成本指标", "人均基本公共卫生服务经费", "89元/人/年"),
              (B, "社会效益指标", "居民健康素养水平", "≥25%"),
              (S, "服务对象满意度指标", "居民满意度", "≥90%"),
          ]),
    table(2, "2025年计划生育家庭特别扶助金", 2025, "贺兰县卫生健康局", "156", "贺兰县卫生健康局本级",
          "0101-一年期项目", "1年", "按时足额向计划生育特殊家庭发放特别扶助金，保障其基本生活。", 86.4, 86.4, 0.0, [
              (P, "数量指标", "扶助对象人数", "120人"),
              (P, "质量指标", "扶助金发放准确率", "100%"),
              (P, "时效指标", "扶助金发放时间", "2025年12月底前"),
              (P, "成本指标", "特别扶助金标准", "600元/人/月"),
              (B, "社会效益指标", "特殊家庭基本生活保障", "有效保障"),
              (S, "服务对象满意度指标", "扶助对象满意度", "≥95%"),
          ]),
    table(3, "2025年村卫生室运行补助经费", 2025, "贺兰县卫生健康局", "156", "贺兰县各乡镇卫生院",
          "", "1年", "保障全县60个村卫生室正常运行，方便群众就近就医。", 36.0, 36.0, 0.0, [
              (P, "数量指标", "补助村卫生室个数", "60个"),
              (P, "质量指标", "村卫生室正常运行率", "≥95%"),
              (P, "时效指标", "补助资金拨付时间", "2025年6月底前"),
              (P, "成本指标", "村卫生室运行补助标准", "6000元/个/年"),
              (B, "社会效益指标", "群众就近就医便利程度", "明显提升"),
              (S, "服务对象满意度指标", "村民满意度", "≥90%"),
          ]),
]  # fmt: skip

OTHER_UNITS = {
    "split_value_columns": (SPLIT_VALUE, SPLIT_VALUE_EXPECTED),
    "weight_column": (WEIGHTS, WEIGHTS_EXPECTED),
    "g2021_cost_level1": (G2021, G2021_EXPECTED),
    "hubei_satisfaction_under_benefit": (HUBEI, HUBEI_EXPECTED),
    "multi_table_no_marks_ascii_ops": (MULTI, MULTI_EXPECTED),
}


@pytest.mark.parametrize("name", OTHER_UNITS)
def test_other_unit_tables_parse_exactly(name):
    text, expected = OTHER_UNITS[name]
    assert_parses_to(text, expected, "other.txt")


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("name", OTHER_UNITS)
def test_other_unit_tables_with_light_noise(name, seed):
    """The same tables with cell shifts, CRLF, full-width digits and PDF spaces: still exact."""
    text, expected = OTHER_UNITS[name]
    rng = random.Random(seed)
    lines = [Line("row", 1, raw.split("\t")) for raw in text.split("\n")]
    for noise in (shift_rows, shift_cells, trailing_tabs, blank_lines, trailing_spaces):
        lines = noise(lines, rng)
    for line in lines:  # digits: full width or spaced from 汉字, in every cell
        line.cells = [
            _DIGIT_HAN.sub(lambda _m: rng.choice(["", " "]), c.translate(FW_DIGITS) if rng.random() < 0.3 else c)
            for c in line.cells
        ]
    assert_parses_to(text_crlf(render(lines), rng) if seed % 2 else render(lines), expected, "other.txt")


# ======================================================================================= robustness
def _mut_truncate(text: str, rng) -> str:
    data = text.encode("utf-8")
    return data[: rng.randrange(len(data) + 1)].decode("utf-8", errors="replace")


def _mut_delete_lines(text: str, rng) -> str:
    lines = text.split("\n")
    return "\n".join(line for line in lines if rng.random() > rng.choice([0.05, 0.2, 0.6]))


def _mut_duplicate_lines(text: str, rng) -> str:
    out = []
    for line in text.split("\n"):
        out.append(line)
        while rng.random() < 0.1:
            out.append(line)
    if out and rng.random() < 0.3:  # and a block moved elsewhere
        a = rng.randrange(len(out))
        b = min(len(out), a + rng.randint(1, 30))
        out[rng.randrange(len(out)) : 0] = out[a:b]
    return "\n".join(out)


def _mut_shuffle_cells(text: str, rng) -> str:
    out = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if rng.random() < 0.3:
            rng.shuffle(cells)
        out.append("\t".join(cells))
    return "\n".join(out)


_TOKENS = [
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "\u200b",
    "\u200e", "\u202e", "\ufeff", "\ufffd", "\u3000", "\xa0", "\r", "\n", "\t", "\t\t\t", "😀", "🧧", "🇨🇳", "👨‍👩‍👧",
    "\u0301", "𠀀", "１２", "：", ":", "（必填）", "(", "）", "【", "]", "≥", ">=", "%", "万元", "元", "表 3：", "第 2 页",
    "项目名称", "年度资金总额", "其中：财政拨款", "一级指标\t二级指标\t三级指标\t指标值", "产出指标", "数量指标",
    "成本指标", "满意度指标", "金额单位：元", "(2024 年度)", "部门项目支出预算绩效目标表", "9" * 40, "-", "1e309",
    "NaN", "٣", "²", "½", "Ⅻ",
]  # fmt: skip


def _random_char(rng) -> str:
    while True:
        cp = rng.choice([rng.randrange(0x20), rng.randrange(0x80, 0x3000), rng.randrange(0x3000, 0xA000),
                         rng.randrange(0xA000, 0x110000)])  # fmt: skip
        if not 0xD800 <= cp <= 0xDFFF:
            return chr(cp)


def _mut_insert_unicode(text: str, rng) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 60)):
        token = rng.choice(_TOKENS) if rng.random() < 0.6 else _random_char(rng)
        chars.insert(rng.randrange(len(chars) + 1), token)
    return "".join(chars)


def _mut_random_bytes(text: str, rng) -> str:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 80)):
        at = rng.randrange(len(data) + 1)
        chunk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.5 and at < len(data):
            data[at : at + len(chunk)] = chunk
        else:
            data[at:at] = chunk
    return bytes(data).decode("utf-8", errors="replace")


def _mut_garbage(text: str, rng) -> str:
    """Not a table at all: random lines of random cells."""
    return "\n".join(
        "\t".join("".join(_random_char(rng) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(0, 6)))
        for _ in range(rng.randint(0, 40))
    )


MUTATIONS = {
    "truncate": _mut_truncate,
    "delete_lines": _mut_delete_lines,
    "duplicate_lines": _mut_duplicate_lines,
    "shuffle_cells": _mut_shuffle_cells,
    "insert_unicode": _mut_insert_unicode,
    "random_bytes": _mut_random_bytes,
    "garbage": _mut_garbage,
}
FUZZ_PER_KIND = 45  # 7 kinds x 45 = 315 documents


def _fuzz_inputs(kind: str):
    bases = [SEED_TEXT, combined(0), combined(1), MULTI, SPLIT_VALUE, HUBEI]
    for seed in range(FUZZ_PER_KIND):
        rng = random.Random(f"{kind}-{seed}")
        text = rng.choice(bases)
        for _ in range(rng.choice([1, 1, 2])):
            text = MUTATIONS[kind](text, rng)
        yield seed, text


def _line_count(text: str) -> int:
    return len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _problem_faults(text: str, result: IngestResult) -> list[str]:
    faults = []
    for p in result.problems:
        if not isinstance(p.line, int) or isinstance(p.line, bool) or p.line < 0:
            faults.append(f"bad line {p.line!r} in {p}")
        elif p.line > _line_count(text):
            faults.append(f"line {p.line} beyond the text's {_line_count(text)} lines: {p}")
        if not isinstance(p.message, str) or not p.message.strip() or not CJK.search(p.message):
            faults.append(f"message not Chinese text: {p!r}")
    for parsed in result.tables:
        t = parsed.table
        if not all(isinstance(getattr(t.project, f), str) for f in ("name", "department", "goal", "period")):
            faults.append(f"non-str header field in {t.project}")
        if not all(isinstance(v, float) and math.isfinite(v) for v in _fields(t.funding).values()):
            faults.append(f"funding not finite floats: {t.funding}")
        if not all(isinstance(x, str) for i in t.indicators for x in _fields(i).values()):
            faults.append(f"non-str indicator field in {t.indicators}")
    return faults


@pytest.mark.parametrize("kind", MUTATIONS)
def test_mutations_never_raise_and_problems_are_well_formed(kind):
    failures = []
    for seed, text in _fuzz_inputs(kind):
        try:
            result = parse_text(text, "fuzz.txt")
        except Exception as exc:  # noqa: BLE001 - the point of the test
            failures.append(f"seed {seed}: raised {type(exc).__name__}: {exc}")
            continue
        failures += [f"seed {seed}: {f}" for f in _problem_faults(text, result)]
    assert not failures, f"{len(failures)} faults, first: " + "\n".join(failures[:5])


@pytest.mark.parametrize("kind", MUTATIONS)
def test_mutations_cause_no_internal_parser_error(kind):
    """An exception caught inside parse_text still costs the user a table: none should happen."""
    failures = []
    for seed, text in _fuzz_inputs(kind):
        result = parse_text(text, "fuzz.txt")
        failures += [f"seed {seed}: {p}" for p in result.problems if "出错" in p.message]
    assert not failures, f"{len(failures)} internal errors, first: " + "\n".join(failures[:5])


def test_decode_never_raises_on_random_bytes():
    rng = random.Random(99)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
        if rng.random() < 0.3:
            data = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]) + data
        text, problems = decode(data)
        assert isinstance(text, str)
        assert all(isinstance(p.line, int) and p.line >= 0 and CJK.search(p.message) for p in problems)


# ============================================================================ known parser failures
def _mini(
    year_line: str, name_rows: str, amounts: tuple[str, str, str] = ("项目资金（万元）", "36.00", "36.00")
) -> str:
    label, total, fiscal = amounts
    return grid(f"""
        部门项目支出预算绩效目标表
        {year_line}
        {name_rows}
        主管部门及代码|平罗县头闸镇人民政府 049|实施单位|平罗县头闸镇人民政府本级
        项目属性|0101-一年期项目|项目期|1年
        {label}|年度资金总额|{total}
        |其中：财政拨款|{fiscal}
        |其他资金|
        年度总体目标|保障村级组织正常运转。
        名称|一级指标|二级指标|三级指标|指标值
        绩效指标|产出指标|数量指标|村委会个数|12个
    """)


def _mini_expected(name: str) -> list[dict]:
    return [table(1, name, 2024, "平罗县头闸镇人民政府", "049", "平罗县头闸镇人民政府本级", "0101-一年期项目", "1年",
                  "保障村级组织正常运转。", 36.0, 36.0, 0.0, [(P, "数量指标", "村委会个数", "12个")])]  # fmt: skip


def test_mini_table_baseline():
    """The control for the failures below: the same mini table with nothing unusual parses."""
    assert_parses_to(_mini("(2024年度)", "项目名称|村委会办公经费"), _mini_expected("村委会办公经费"))
    assert_parses_to(_mini("(2024年度)|||金额单位：元", "项目名称|2024年村委会办公经费",
                           ("项目资金", "360,000.00", "360,000.00")), _mini_expected("2024年村委会办公经费"))  # fmt: skip
    assert_parses_to(_mini("(2024年度)", "项目名称|2024年村委\n|会办公经费"), _mini_expected("2024年村委会办公经费"))


def test_fullwidth_year_line_is_the_budget_year():
    result = assert_parses_to(_mini("（２０２４年度）", "项目名称|村委会办公经费"), _mini_expected("村委会办公经费"))
    assert not [p for p in result.problems if "无法识别" in p.message]


def test_yuan_unit_on_fullwidth_year_row():
    text = _mini(
        "（２０２４年度）|||金额单位：元", "项目名称|2024年村委会办公经费", ("项目资金", "360,000.00", "360,000.00")
    )
    assert_parses_to(text, _mini_expected("2024年村委会办公经费"))


def test_name_wrapped_right_after_its_year():
    assert_parses_to(_mini("(2024年度)", "项目名称|2024年\n|村委会办公经费"), _mini_expected("2024年村委会办公经费"))
