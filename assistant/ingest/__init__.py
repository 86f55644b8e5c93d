"""Ingest: every table a user has (text in any shape, PDF, Excel .xlsx/.xls incl. the wide 一体化 export,
Word .docx, saved web pages, folders of them) -> one grid model -> one form reader -> `Table`s.

Modules: `grid` (the model), `labels` (knowledge/labels.toml), `reader` (the form reader), `wide` (the
wide export reader), `text`, `pdf`, `xlsx`, `xls`, `docx`, `html` (one per input format), `files` (which
reader a file needs; folders). Format libraries are imported only when a file of that format is read.
"""

from __future__ import annotations

from .files import expand, parse_bytes, parse_file, parse_sheets, parse_text
from .grid import Cell, IngestResult, Parsed, Problem, Row, Sheet
from .reader import parse_rows
from .text import decode, iter_rows

__all__ = [
    "Cell",
    "IngestResult",
    "Parsed",
    "Problem",
    "Row",
    "Sheet",
    "decode",
    "expand",
    "iter_rows",
    "parse_bytes",
    "parse_file",
    "parse_rows",
    "parse_sheets",
    "parse_text",
]
