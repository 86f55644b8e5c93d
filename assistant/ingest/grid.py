"""The one grid model every input format becomes: sheets of rows of cells.

A text line, a worksheet row, a row of a PDF, Word or HTML table: each is a `Row` of non-empty `Cell`s with the
column they stand in. Where the format knows merged cells (Excel ranges, rowspan/colspan, PDF rulings), the text
sits in the top-left cell and `rowspan`/`colspan` say how far it reaches; the form reader relies only on the
top-left position, which is where every published form puts its 一级/二级 labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Table


@dataclass(frozen=True)
class Cell:
    col: int
    text: str  # stripped, not yet tidied
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Row:
    line: int  # 1-based: a text line, a sheet row, a table row on a page
    cells: tuple[Cell, ...]


@dataclass
class Sheet:
    """One part of a document read on its own: a worksheet, a page, a Word or HTML table, a whole text."""

    rows: list[Row]
    where: str = ""  # "工作表「Sheet1」", "第2个表格"; "" for a plain text file or a whole PDF
    pages: dict[int, int] | None = None  # a PDF's row line -> page number, for messages and [source]


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based line in the source (0: the file as a whole)
    message: str


@dataclass
class Parsed:
    table: Table
    line: int  # where the table starts


@dataclass
class IngestResult:
    tables: list[Parsed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def fail(message: str) -> IngestResult:
    """A file that gives nothing, with why (Chinese)."""
    return IngestResult(problems=[Problem(0, message)])


def rows_from_matrix(matrix: list[list[str]], first_line: int = 1) -> list[Row]:
    """A rectangular list of cell texts (None/"" = empty) -> rows of non-empty cells."""
    rows = []
    for i, texts in enumerate(matrix):
        cells = tuple(Cell(col, t.strip()) for col, t in enumerate(texts) if t and t.strip())
        if cells:
            rows.append(Row(first_line + i, cells))
    return rows
