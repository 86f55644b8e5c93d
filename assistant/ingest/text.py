"""Text copied out of a PDF, a workbook, a Word file or a web page -> rows of cells.

Text comes in five shapes (DOMAIN.md §1), told apart per document:
- cells between tabs (the seed), between `|` (Markdown-like or console tables), or between runs of spaces
  (space-aligned text); a cell's column is its tab/bar index or its display position;
- one cell per line (a tree, indentation ignored), rebuilt into rows from the labels and the value shapes;
- cells run together with no separator at all ("产出指标数量指标村委会个数12个"), split on the known labels
  (knowledge/labels.toml, the framework) and on the shape of a target value at the end of a line.

Lines are produced lazily so that a very large text never exists as a list of rows (memory stays a small
multiple of the input).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from ..framework import default_framework
from ..textnorm import label_key
from .grid import Cell, Problem, Row
from .labels import vocabulary
from .reader import _is_preamble


def decode(data: bytes) -> tuple[str, list[Problem]]:
    """Bytes of a text export -> str. UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    problems: list[Problem] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), problems
    try:
        return data.decode("utf-8-sig"), problems
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
    try:
        text = data.decode("gb18030")
        problems.append(Problem(0, "文件不是 UTF-8 编码，已按 GB18030（GBK）读取，请核对汉字是否正确。"))
        return text, problems
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    lines = sorted({n for n, line in enumerate(text.splitlines(), 1) if "\ufffd" in line})
    shown = "、".join(map(str, lines[:10])) + ("等" if len(lines) > 10 else "")
    problems.append(Problem(bad_line, f"文件编码有误（第 {shown} 行有无法识别的字节），这些字已显示为 �。"))
    return text, problems


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_BAR = re.compile(r"[|｜│┃]")
_SPACE_RUN = re.compile(r"(?:[ \u00a0]{2,}|\u3000+)")
_RULE = re.compile(r"^[\s|｜│┃:：\-—=+┼├┤┌┐└┘─━]*$")


def lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based number, line) without building a list of all lines."""
    no = 0
    for m in _LINE.finditer(text):
        line = m.group(0)
        if not line:
            break
        no += 1
        yield no, line.rstrip("\r\n").replace("\x00", "")


def shape(text: str) -> str:
    """The document's cell separator: "tab", "bar", "space" or "none" (from the first 400 non-empty lines)."""
    counts = {"tab": 0, "bar": 0, "space": 0, "lines": 0}
    for _, line in lines(text):
        if not line.strip():
            continue
        counts["lines"] += 1
        body = line.strip()
        counts["tab"] += "\t" in body
        counts["bar"] += len(_BAR.findall(body)) >= 1 and not _RULE.match(body)
        counts["space"] += bool(_SPACE_RUN.search(body))
        if counts["lines"] >= 400:
            break
    n = max(counts["lines"], 1)
    for kind in ("tab", "bar", "space"):
        if counts[kind] >= 0.2 * n:
            return kind
    return "none"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def split_line(line: str, kind: str) -> list[Cell]:
    if kind == "tab":
        return [Cell(col, c.strip()) for col, c in enumerate(line.split("\t")) if c.strip()]
    if kind == "bar":
        if _RULE.match(line):
            return []
        parts = _BAR.split(line)
        return [Cell(col, c.strip()) for col, c in enumerate(parts) if c.strip()]
    if kind == "space":
        cells = []
        pos = 0
        for piece in _SPACE_RUN.split(line.rstrip()):
            start = line.find(piece, pos) if piece else pos
            if piece.strip():
                cells.append(Cell(_width(line[:start]) // 2, piece.strip()))
            pos = start + len(piece)
        return cells
    return [Cell(0, line.strip())] if line.strip() else []


def iter_rows(text: str) -> Iterator[Row]:
    """Rows of non-empty cells, whatever the shape of the text (lazily)."""
    kind = shape(text)
    if kind == "none":
        yield from _rebuild(text)
        return
    for no, line in lines(text):
        cells = split_line(line, kind)
        if kind != "tab" and len(cells) == 1:
            cells = split_run_together(cells[0].text) or cells
        if cells:
            yield Row(no, tuple(cells))


# ---------------------------------------------------------------------------------- run together
@lru_cache(maxsize=1)
def _patterns():
    voc = vocabulary()
    fw = default_framework()
    levels = set(voc.level1) | set(voc.level2)
    for spec in fw.level2.values():
        levels.update(label_key(x) for x in (spec.name, *spec.aliases))
    levels.update(label_key(x) for x in fw.level1)
    levels = {x for x in levels if len(x) >= 4 or x.endswith("指标")}
    # Mid-line, only labels long enough not to occur inside ordinary text (项目期 is the one short exception).
    header = {k for k, kind in voc.header.items() if len(k) >= 4 or kind == "period" and len(k) >= 3}
    start = {k for k in voc.header if k}
    columns = {k for k, role in voc.columns.items() if role in ("level1", "level2", "name", "value", "op", "unit")}

    def alt(words: set[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    level_re = re.compile(rf"^(?:{alt(levels)})(?:[(（](?:必填|选填)[^)）]*[)）])?")
    header_re = re.compile(rf"(?:其中[:：]?)?(?:{alt(header)})(?:[(（](?:万元|元)[)）])?[:：]?")
    start_re = re.compile(rf"^(?:其中[:：]?)?(?:{alt(start)})(?:[(（](?:万元|元)[)）])?[:：]?")
    column_re = re.compile(rf"^(?:绩效指标|年度绩效指标)?((?:{alt(columns)})+)$")
    qual = sorted({*voc.qualitative, *fw.checks.vague_words}, key=len, reverse=True)
    qual_re = re.compile(rf"(?:{'|'.join(re.escape(q) for q in qual)})$")
    return level_re, header_re, start_re, column_re, qual_re, frozenset(levels), alt(columns)


_VALUE_TAIL = re.compile(
    r"(?:[≥≤＝=<>＞＜]=?\s*)?(?:\d[\d,.]*\s*(?:%|‰|[^\d\s≥≤=<>]{0,10}?)){1,3}$"
)
_DATE_TAIL = re.compile(r"(?:20\d\d年)?\d{1,2}月(?:\d{1,2}日)?(?:底|前|底前|以前|之前)?$|20\d\d年(?:底|年底|\d{1,2}月.*)$")


_PER = ("人均", "户均", "每村", "每人", "每户", "村均", "校均", "生均")


def split_value(rest: str) -> tuple[str, str] | None:
    """"村委会个数12个" -> ("村委会个数", "12个"): a target value at the end of a run-together 三级.

    A graded word at the end (明显改善, 不断提高) is the value before any number is looked for, so that
    "受益村干部60人逐步提升" keeps its 60人 in the name as the form wrote it."""
    qual_re = _patterns()[4]
    m = qual_re.search(rest)
    if m and len(m.group(0)) >= 2 and m.start() >= 2:
        return rest[: m.start()], m.group(0)
    for i, ch in enumerate(rest):
        if i == 0 or not (ch.isdigit() or ch in "≥≤＝=<>＞＜"):
            continue
        start = i - 2 if rest[max(0, i - 2) : i] in _PER else i  # "人均200元/月": the 人均 belongs to the value
        tail = rest[start:]
        name = rest[:start]
        if len(name) < 2 or name[-1].isdigit() or name[-1] in ".,":
            continue
        if _VALUE_TAIL.fullmatch(rest[i:]) or _DATE_TAIL.fullmatch(rest[i:]):
            return name, tail
    if m and m.start() >= 2:
        return rest[: m.start()], m.group(0)
    return None


def split_run_together(text: str) -> list[Cell]:
    """One line with no separator -> cells, where it starts with a level label, a header label or the indicator
    block's column labels; [] if not. A goal runs to the end of its line: its text is never split."""
    level_re, header_re, start_re, column_re, _, _, columns = _patterns()
    t = text.strip()
    if _is_preamble(t):
        return []  # a title such as 绩效目标申报表(…) starts with a label's words but is no field
    cells: list[str] = []
    while m := level_re.match(t):
        cells.append(m.group(0))
        t = t[m.end() :].strip()
    if cells:
        if t:
            parts = split_value(t)
            cells.extend(parts if parts else [t])
        return [Cell(i, c) for i, c in enumerate(cells)]
    if m := column_re.match(label_key(t)):
        labels = re.findall(columns, m.group(1))
        return [Cell(i, c) for i, c in enumerate(labels)] if len(labels) >= 2 else []
    first = start_re.match(t)
    if not first:
        return []
    voc = vocabulary()
    pieces: list[str] = [first.group(0).rstrip(":：")]
    t = t[first.end() :]
    if voc.header_kind(pieces[0]) not in ("goal", "goal_long"):
        pos = 0
        for m in header_re.finditer(t):
            if m.start() > pos:
                pieces.append(t[pos : m.start()])
            pieces.append(m.group(0).rstrip(":："))
            pos = m.end()
            if voc.header_kind(pieces[-1]) in ("goal", "goal_long"):
                break
        t = t[pos:]
    pieces.append(t)
    pieces = [p.strip() for p in pieces if p.strip()]
    return [Cell(i, p) for i, p in enumerate(pieces)] if len(pieces) > 1 else []


# ---------------------------------------------------------------------------------- one per line
def _is_joined(text: str) -> bool:
    """Whether the lines are whole rows run together (some start with level labels and end in a value),
    rather than one cell per line."""
    found = 0
    for n, (_, line) in enumerate(lines(text)):
        cells = split_run_together(line)
        if len(cells) >= 3 and _patterns()[0].match(cells[0].text) and not _patterns()[0].match(cells[-1].text):
            found += 1
            if found >= 2:
                return True
        if n > 2000:
            break
    return False


def _rebuild(text: str) -> Iterator[Row]:
    """Lines of one cell each (or run together): header lines pass through (the reader takes a label's value
    from the following cells); in the indicator block, level labels, a 三级 and its value parts are gathered
    into one row."""
    voc = vocabulary()
    fw = default_framework()
    joined = _is_joined(text)
    block = False
    parts_expected = 1
    header_cells: list[Cell] = []
    header_line = 0
    pending: list[Cell] = []
    pending_line = 0
    have_name = False
    values = 0

    def flush() -> Iterator[Row]:
        nonlocal pending, have_name, values
        if pending:
            yield Row(pending_line, tuple(Cell(i, c.text) for i, c in enumerate(pending)))
        pending, have_name, values = [], False, 0

    stream = ((no, line.strip()) for no, line in lines(text) if line.strip())
    ahead = next(stream, None)
    while ahead is not None:
        no, line = ahead
        ahead = next(stream, None)
        if _is_preamble(line) or (voc.header_kind(line) == "name" and block):
            yield from flush()  # a new table: nothing carries over (a 三级 left without a value stays so)
            if header_cells:
                yield Row(header_line, tuple(header_cells))
                header_cells = []
            block = False
            yield Row(no, (Cell(0, line),))
            continue
        cells = split_run_together(line) or [Cell(0, line)]
        if len(cells) > 1:
            yield from flush()
            first = cells[0].text
            if voc.level1_of(first, fw) or voc.level2_of(first, fw) or voc.column_role(first):
                block = True  # a whole indicator row (or the block's header) run together
            yield Row(no, tuple(cells))
            continue
        t = cells[0].text
        role = voc.column_role(t)
        next_is_column = ahead is not None and voc.column_role(ahead[1]) in ("level1", "level2", "name", "value")
        if role in ("level1", "level2", "name", "value", "op", "unit", "skip", "caption") and not have_name and (
            role != "caption" or not header_cells and next_is_column
        ):
            if not header_cells:
                header_line = no
            header_cells.append(Cell(len(header_cells), t))
            block = True
            continue
        if header_cells:
            roles = [voc.column_role(c.text) for c in header_cells]
            parts_expected = max(1, sum(r in ("op", "value", "unit") for r in roles))
            yield Row(header_line, tuple(header_cells))
            header_cells = []
        is_level = bool(voc.level1_of(t, fw) or voc.level2_of(t, fw))
        if is_level and not have_name and (block or not pending):
            block = True
            if not pending:
                pending_line = no
            pending.append(Cell(0, t))
            continue
        if not block:
            yield Row(no, (Cell(0, t),))
            continue
        if voc.is_footer(t):
            yield from flush()
            yield Row(no, (Cell(0, t),))
            continue
        if is_level:
            yield from flush()
            pending_line = no
            pending.append(Cell(0, t))
            continue
        if joined and not have_name:
            # a 三级 and its value run together; where no value shape is found the row keeps its text as the
            # 三级 with no value (said as a problem), rather than gluing it onto the row above
            parts = split_value(t) or (t, "")
            yield from flush()
            yield Row(no, (Cell(0, parts[0]), Cell(1, parts[1])))
            continue
        if not have_name:
            if not pending:
                pending_line = no
            pending.append(Cell(0, t))
            have_name = True
            continue
        pending.append(Cell(0, t))
        values += 1
        if values >= parts_expected:
            yield from flush()
    if header_cells:
        yield Row(header_line, tuple(header_cells))
    yield from flush()
