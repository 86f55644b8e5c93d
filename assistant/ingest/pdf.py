"""PDF -> one grid for the whole document, through pdfplumber.

Budget disclosures are made by Excel or WPS "save as PDF": ruled tables. On each page pdfplumber finds the
tables from their ruling lines (a merged cell is one cell between rulings: its text in its top-left position,
the covered positions empty), and the text outside them (title, year line, 单位：万元) is read as lines; all
are put in reading order. A page without rulings is read from its text layout: words on one line, split into
cells where the gap between them is wide. A table may run on over pages, so the pages form one grid; each row
remembers its page for messages and for `[source] part`.

A scan (pages with images and no text layer) gets a clear message, never a guess. Pages are closed as soon as
they are read, so a 300-page document does not hold every page's objects at once.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from .grid import Cell, Row, Sheet
from .reader import _header_label, _join, fill_gaps

SCAN = "这是扫描件，没有文字层，请用原始 Excel 或可复制文字的 PDF。"
MAX_PAGES = 2000


def read_pdf(data: bytes, progress: Callable[[str, int, int], None] | None = None) -> tuple[list[Sheet], str | None]:
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds for a damaged or locked file
        return [], _why(exc)
    rows: list[Row] = []
    pages: dict[int, int] = {}
    chars = images = 0
    try:
        total = min(len(pdf.pages), MAX_PAGES)
        for number in range(total):
            page = pdf.pages[number]
            try:
                chars += len(page.chars)
                images += len(page.images)
                for cells in _page_rows(page):
                    line = len(rows) + 1
                    rows.append(Row(line, cells))
                    pages[line] = number + 1
            finally:
                page.close()
            if progress:
                progress("页", number + 1, total)
    except Exception as exc:  # noqa: BLE001
        return [], _why(exc)
    finally:
        pdf.close()
    if chars == 0:
        return [], SCAN if images else "PDF 中没有任何文字。" + SCAN.split("，", 1)[1]
    return [Sheet(fill_gaps(rows), "", pages)], None


def _why(exc: Exception) -> str:
    name = type(exc).__name__ + "".join(type(a).__name__ for a in getattr(exc, "args", ()))
    text = repr(exc).lower()
    if "password" in name.lower() or "encrypt" in text or "password" in text:
        return "PDF 已加密（设置了打开密码），jixiao 无法读取：请提供未加密的文件或原始 Excel。"
    return "无法作为 PDF 读取，文件可能已损坏或不完整（例如下载时被截断）。"


def _page_rows(page) -> list[tuple[Cell, ...]]:
    """(top, cells) of every table row and text line on a page, in reading order."""
    items: list[tuple[float, tuple[Cell, ...]]] = []
    tables = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
    boxes = [t.bbox for t in tables]
    for table in tables:
        for row, texts in zip(table.rows, table.extract()):
            cells = tuple(Cell(col, _clean(t)) for col, t in enumerate(texts) if t and _clean(t))
            if cells:
                items.append((row.bbox[1], cells))

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    rest = page.filter(outside) if boxes else page
    for top, cells in _text_lines(rest):
        items.append((top, cells))
    items.sort(key=lambda item: item[0])
    return [cells for _, cells in items]


def _clean(text: str) -> str:
    """A cell's lines joined: in a PDF a line break inside a cell is where the text wrapped."""
    return _join([line.strip() for line in text.split("\n")]).strip()


def _text_lines(page) -> list[tuple[float, tuple[Cell, ...]]]:
    """Words grouped into lines, and each line into cells where the gap between words is wide."""
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) < 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    out: list[tuple[float, list[list]]] = []  # (top, cells as [x0, x1, text, bottom])
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        size = max(1.0, sum(w["bottom"] - w["top"] for w in line) / len(line))
        groups: list[list[dict]] = [[line[0]]]
        for prev, word in zip(line, line[1:]):
            if word["x0"] - prev["x1"] > 0.45 * size:
                groups.append([word])
            else:
                groups[-1].append(word)
        cells = [[g[0]["x0"], g[-1]["x1"], _join_words(g), max(w["bottom"] for w in g)] for g in groups]
        top = line[0]["top"]
        if out and _continues(out[-1][1], cells, top, size):
            _merge(out[-1][1], cells)  # a cell's text wrapped onto this line
        else:
            out.append((top, cells))
    return [(top, tuple(Cell(int(c[0] // 10), c[2]) for c in cells if c[2])) for top, cells in out]


def _continues(prev: list[list], cells: list[list], top: float, size: float) -> bool:
    """Whether a line is the wrapped rest of the line above: it follows at the line spacing of a paragraph (a
    new table row sits lower, by the cells' padding) and each of its pieces lies under a piece above."""
    gap = top - max(c[3] for c in prev)
    if gap > 0.3 * size or any(_header_label(c[2]) for c in cells):
        return False  # a label starts a row of its own
    return all(any(_overlap(p, c) > 0 for p in prev) for c in cells)


def _overlap(a: list, b: list) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def _merge(prev: list[list], cells: list[list]) -> None:
    for c in cells:
        target = max(prev, key=lambda p: _overlap(p, c))
        target[2] = _join([target[2], c[2]])
        target[1] = max(target[1], c[1])
        target[3] = max(target[3], c[3])


def _join_words(words: list[dict]) -> str:
    return _join([w["text"] for w in words])
