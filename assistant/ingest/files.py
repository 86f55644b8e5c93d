"""One file or folder -> tables: pick the reader by the file's content (and its suffix where content is
ambiguous), run the form reader over every sheet it gives, and number the tables through the document.

Every failure is a `Problem` in Chinese (file as a whole = line 0); nothing here raises on bad input.
"""

from __future__ import annotations

import codecs
import io
import itertools
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from ..framework import Framework
from ..safetext import path_text
from ..tomlio import os_reason, read_bytes
from .grid import IngestResult, Problem, Sheet, fail, rows_from_matrix
from .reader import fill_gaps, parse_rows
from .text import decode, iter_rows

SUFFIXES = (".txt", ".text", ".csv", ".tsv", ".pdf", ".xlsx", ".xlsm", ".xls", ".et", ".docx", ".html", ".htm")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NO_TABLE = "没有找到绩效目标表（应有「项目名称」「年度总体目标」和绩效指标等栏目）。"
MAX_PROBLEMS = 200  # per file: a huge text of junk must not print millions of lines

Progress = Callable[[str, int, int], None]  # (what, done, total)


def parse_sheets(
    sheets: Iterator[Sheet] | list[Sheet], document: str, framework: Framework | None = None
) -> IngestResult:
    """Tables from every sheet, numbered on through the document; problems prefixed with where they are."""
    from .wide import is_wide, parse_wide  # the wide 一体化 export: one row per indicator

    result = IngestResult()
    sheets = list(sheets) if not isinstance(sheets, list) else sheets
    several = len(sheets) > 1
    for sheet in sheets:
        if is_wide(sheet.rows):
            part = parse_wide(sheet.rows, document, framework, first_ordinal=len(result.tables))
        else:
            part = parse_rows(sheet.rows, document, framework, first_ordinal=len(result.tables))
        for parsed in part.tables:
            where = f"第{sheet.pages[parsed.line]}页" if sheet.pages and parsed.line in sheet.pages else sheet.where
            if where and parsed.table.source is not None:
                # [source] document names the page or sheet too ("预算公开.pdf 第3页"): schema 1 has no other key
                parsed.table.source = replace(parsed.table.source, document=f"{document} {where}".strip())
        result.tables.extend(part.tables)
        for p in part.problems:
            if sheet.pages:
                page = sheet.pages.get(p.line)
                result.problems.append(Problem(0, (f"第{page}页：" if page else "") + p.message))
            else:
                prefix = f"{sheet.where}：" if sheet.where and several else ""
                result.problems.append(Problem(p.line, prefix + p.message))
    _cap(result)
    if not result.tables:
        result.problems.append(Problem(0, NO_TABLE))
    return result


def _cap(result: IngestResult) -> None:
    if len(result.problems) > MAX_PROBLEMS:
        extra = len(result.problems) - MAX_PROBLEMS
        del result.problems[MAX_PROBLEMS:]
        result.problems.append(Problem(0, f"另有 {extra} 个问题未列出：这个文件大部分内容不像绩效目标表。"))


def _utf16_bom_missing(data: bytes) -> bytes | None:
    """The byte order mark of UTF-16 text saved without one, or None (then the NULs say: a binary file).

    Such text has a NUL beside every ASCII character (tab, digit, line end), nearly always on the same side
    (a 汉字 such as 一, U+4E00, puts one on the other side now and then).
    """
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if len(data) % 2 or max(even, odd) < 8 * min(even, odd) + 4:
        return None
    encoding, bom = ("utf-16-le", codecs.BOM_UTF16_LE) if odd > even else ("utf-16-be", codecs.BOM_UTF16_BE)
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return bom


def kind_of(name: str, data: bytes) -> str:
    """"pdf", "xlsx", "xls", "docx", "html", "encrypted", "doc" or "text", from the content first."""
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF") or (suffix == ".pdf" and b"%PDF" in data[:1024]):
        return "pdf"
    if data.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = zf.namelist()
        except Exception:  # noqa: BLE001 - a damaged archive: let the reader the suffix names say so
            names = []
        if any(n.startswith("word/") for n in names) or (not names and suffix == ".docx"):
            return "docx"
        return "xlsx"
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data[:1 << 20]:
            return "encrypted"
        if "WordDocument".encode("utf-16-le") in data[:1 << 20]:
            return "doc"
        return "xls"
    head = data[:4096].lower()
    if b"<html" in head or b"<table" in head or b"<!doctype html" in head:
        return "html"  # also the ".xls" many systems export, which is a web page
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".docx":
        return "docx"
    if suffix in (".xls", ".et") and (b"\x00" in data[:4096] or not data[:4096].strip()):
        return "xls"  # binary but not a workbook: xlrd says it is damaged
    if suffix in (".html", ".htm"):
        return "html"
    return "text"  # a ".xls" of tab-separated text is read as the text it is


def parse_bytes(data: bytes, name: str, framework: Framework | None = None, progress: Progress | None = None) -> IngestResult:
    """One document given as bytes."""
    if not data.strip():
        return fail("文件是空的。")
    kind = kind_of(name, data)
    if kind == "encrypted":
        return fail("文件已加密（设置了打开密码），jixiao 无法读取：请在 Excel、WPS 或 Word 中取消密码后另存，再导入。")
    if kind == "doc":
        return fail("这是旧版 Word（.doc）文件，jixiao 只能读取 .docx：请在 Word 或 WPS 中「另存为」.docx 后再导入。")
    if kind == "pdf":
        from .pdf import read_pdf

        return _from(read_pdf(data, progress), name, framework)
    if kind == "xlsx":
        from .xlsx import read_xlsx

        return _from(read_xlsx(data), name, framework)
    if kind == "xls":
        from .xls import read_xls

        return _from(read_xls(data), name, framework)
    if kind == "docx":
        from .docx import read_docx

        return _from(read_docx(data), name, framework)
    if kind == "html":
        from .html import read_html

        text, problems = _decode_html(data)
        result = _from(read_html(text), name, framework)
        result.problems[:0] = problems
        return result
    if Path(name).suffix.lower() == ".csv":
        return _parse_csv(data, name, framework)
    return parse_text_bytes(data, name, framework, progress)


def _parse_csv(data: bytes, name: str, framework: Framework | None) -> IngestResult:
    """A table saved as CSV (commas, quoted cells with line breaks): a grid through the csv module."""
    import csv

    text, problems = decode(data)
    try:
        matrix = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return parse_text_bytes(data, name, framework)
    result = parse_sheets([Sheet(fill_gaps(rows_from_matrix(matrix)))], name, framework)
    result.problems[:0] = problems
    return result


_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


def _decode_html(data: bytes) -> tuple[str, list[Problem]]:
    """A page in the encoding its <meta charset> names (GBK pages are common), else as any text."""
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii").lower()
        name = "gb18030" if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk") else name
        try:
            return data.decode(name), []
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _from(read: tuple[list[Sheet], str | None], name: str, framework: Framework | None) -> IngestResult:
    sheets, error = read
    if error is not None:
        return fail(error)
    if not sheets:
        return fail(NO_TABLE)
    return parse_sheets(sheets, name, framework)


def parse_text(
    text: str, document: str = "", framework: Framework | None = None, progress: Progress | None = None
) -> IngestResult:
    """Every table in one text (any of the text shapes)."""
    from .wide import is_wide, parse_wide

    rows = iter_rows(text)
    if progress is not None:
        rows = _reporting(rows, text.count("\n") + 1, progress)
    head = list(itertools.islice(rows, 15))
    if is_wide(head):  # a wide export copied as text
        return parse_wide([*head, *rows], document, framework)
    return parse_rows(itertools.chain(head, rows), document, framework)


def _reporting(rows: Iterator, total: int, progress: Progress) -> Iterator:
    """Rows passed through, with (行, line, total) reported now and then: a long text shows its progress."""
    step = max(total // 200, 1000)
    nxt = step
    for row in rows:
        if row.line >= nxt:
            progress("行", row.line, total)
            nxt = row.line + step
        yield row
    progress("行", total, total)


def parse_text_bytes(
    data: bytes | list[bytes], name: str, framework: Framework | None = None, progress: Progress | None = None
) -> IngestResult:
    """A text file's bytes (or a one-item list holding them, which is emptied once they are decoded)."""
    if isinstance(data, list):
        data = data.pop()
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        bom = _utf16_bom_missing(data)
        if bom is None:
            return fail("这是二进制文件，不是文本、PDF、Excel、Word 或网页文件。")
        data = bom + data
    text, problems = decode(data)
    del data
    result = parse_text(text, name, framework, progress if len(text) > 1 << 18 else None)
    result.problems[:0] = problems
    _cap(result)
    if not result.tables:
        result.problems.append(Problem(0, NO_TABLE))
    return result


def parse_file(path: str | os.PathLike[str], framework: Framework | None = None, progress: Progress | None = None) -> IngestResult:
    """Read and parse one file of any supported format; unreadable files give a problem, not an exception."""
    p = Path(path)
    name = path_text(p.name)  # recorded in [source]: a GBK name from a Windows share becomes text
    try:
        data = read_bytes(p)
    except OSError as exc:
        return fail(f"无法读取文件：{os_reason(exc)}。")
    if data.strip() and kind_of(p.name, data) == "text":
        holder = [data]
        del data  # the text reader drops the bytes once decoded: memory stays a small multiple of the input
        return parse_text_bytes(holder, name, framework, progress)
    return parse_bytes(data, name, framework, progress)


def expand(paths: list[str]) -> Iterator[tuple[str, bool]]:
    """The files named, with every supported file below a named folder: (path, named by the user)."""
    for name in paths:
        if os.path.isdir(name):
            found = []
            for root, dirs, files in os.walk(name, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith((".", "~$")) and Path(f).suffix.lower() in SUFFIXES:
                        found.append(os.path.join(root, f))
            yield from ((f, False) for f in found)
        else:
            yield name, True
