"""Web pages saved from a browser (.html/.htm) -> grids, through the standard library's `html.parser`.

Why html.parser: it is tolerant of the broken markup of real government pages, streams, and needs no compiled
dependency; the form reader needs only cell texts and positions, not a DOM. Every `<table>` becomes rows with
rowspan/colspan placed on a grid (a cell covered by a span above is skipped, like Excel's merged cells); text
outside tables (title, year line, 单位：万元) becomes one-cell rows in page order. Scripts and styles are dropped.
"""

from __future__ import annotations

from html.parser import HTMLParser

from .grid import Cell, Row, Sheet
from .reader import fill_gaps, page_text_kept

_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section", "title", "caption"}


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[tuple[str, int, int]]] = []
        self.cell: list[str] | None = None
        self.span = (1, 1)
        # In document order, for a layout table that holds other tables: ("text", cell text), ("row", placed row)
        self.events: list[tuple[str, object]] = []
        self.nested = False


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[list[tuple[int, str, int, int]] | str] = []  # table rows or text lines, in order
        self.tables: list[_Table] = []
        self.text: list[str] = []
        self.skip = 0

    # -- outside tables ---------------------------------------------------------------------------
    def _flush_text(self) -> None:
        line = " ".join("".join(self.text).split())
        if line:
            self.out.append(line)
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1
            return
        a = dict(attrs)
        if tag == "table":
            if self.tables:
                outer = self.tables[-1]
                outer.nested = True  # a layout table: its own cells become lines around the inner table
                if outer.cell is not None:
                    outer.events.append(("text", _cell_text(outer.cell)))
                    outer.cell = []
            self._flush_text()
            self.tables.append(_Table())
        elif not self.tables:
            if tag in _BLOCK:
                self._flush_text()
        elif tag == "tr":
            self.tables[-1].rows.append([])
        elif tag in ("td", "th"):
            t = self.tables[-1]
            if not t.rows:
                t.rows.append([])
            t.cell = []
            t.span = (_int(a.get("rowspan")), _int(a.get("colspan")))
        elif tag in ("br", "p", "div") and self.tables[-1].cell is not None:
            self.tables[-1].cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
            return
        if not self.tables:
            if tag in _BLOCK:
                self._flush_text()
            return
        t = self.tables[-1]
        if tag in ("td", "th") and t.cell is not None:
            text = _cell_text(t.cell)
            t.rows[-1].append((text, *t.span))
            t.events.append(("text", text))
            t.cell = None
        elif tag == "table":
            self._close_table()

    def _close_table(self) -> None:
        """A table's rows go to the table around it (in order) or to the page; a layout table that held other
        tables gives its own cells as lines of text around them, never a grid that swallows the form."""
        t = self.tables.pop()
        if t.nested:
            flat: list = []
            for kind, item in t.events:
                if kind == "text":
                    flat.extend(line for line in str(item).split("\n") if line.strip())
                else:
                    flat.append(item)
        else:
            flat = _place(t.rows)
        if self.tables:
            self.tables[-1].events.extend(("text", x) if isinstance(x, str) else ("row", x) for x in flat)
        else:
            self.out.extend(flat)

    def handle_data(self, data):
        if self.skip:
            return
        if self.tables:
            if self.tables[-1].cell is not None:
                self.tables[-1].cell.append(data)
        else:
            self.text.append(data)

    def close(self):
        super().close()
        while self.tables:
            self._close_table()
        self._flush_text()


def _cell_text(parts: list[str]) -> str:
    return "\n".join(" ".join(part.split()) for part in "".join(parts).split("\n")).strip()


def _int(value: str | None) -> int:
    try:
        return max(1, min(int((value or "1").strip()), 500))
    except ValueError:
        return 1


def _place(rows: list[list[tuple[str, int, int]]]) -> list[list[tuple[int, str, int, int]]]:
    """Rows of (text, rowspan, colspan) -> rows of (column, text, rowspan, colspan) on the table's grid."""
    covered: dict[tuple[int, int], bool] = {}
    out = []
    for r, row in enumerate(rows):
        col = 0
        placed = []
        for text, rowspan, colspan in row:
            while covered.get((r, col)):
                col += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    covered[(r + dr, col + dc)] = True
            placed.append((col, text, rowspan, colspan))
            col += colspan
        out.append(placed)
    return out


def read_html(text: str) -> tuple[list[Sheet], str | None]:
    parser = _Parser()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is tolerant; anything else means the page is unusable
        return [], "无法读取这个网页文件。"
    rows: list[Row] = []
    table_rows: list[Row] = []
    line = 0
    has_tables = any(not isinstance(item, str) for item in parser.out)
    for item in parser.out:
        line += 1
        if isinstance(item, str):
            if has_tables and not page_text_kept(item):
                continue  # navigation, site footer: not part of a form that is in a table
            if table_rows:
                rows.extend(fill_gaps(table_rows))
                table_rows = []
            rows.append(Row(line, (Cell(0, item),)))
        else:
            cells = tuple(Cell(col, t, rs, cs) for col, t, rs, cs in item if t)
            if cells:
                table_rows.append(Row(line, cells))
    rows.extend(fill_gaps(table_rows))
    return ([Sheet(rows)] if rows else []), None
