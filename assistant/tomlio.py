"""Reading and writing project files (SPEC section 1).

Reading is strict: an unknown key, a wrong type, a missing key or a 二级 outside its 一级 is a
`TableFileError` naming the file, the key path and the line, in Chinese. Level labels are tolerant: every alias
of a 一级/二级 (framework.toml, knowledge/labels.toml) and 满意度 under 效益指标 load, normalised. Writing is deterministic
(same model, same bytes) and atomic (temporary file, then rename), and load -> write is byte-identical.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w

try:  # the same parser as tomllib (same author, TOML 1.0 below 2.4), compiled by mypyc: 3x faster on a corpus
    import tomli as _toml
except ImportError:  # pragma: no cover - a dependency, but the stdlib parser reads the same files
    _toml = tomllib  # type: ignore[misc]

# Both parsers' errors: tomli's is its own class, not tomllib's.
_DECODE_ERRORS: tuple[type[Exception], ...] = tuple({tomllib.TOMLDecodeError, _toml.TOMLDecodeError})

from .framework import Framework, default_framework
from .model import SCHEMA, Funding, Indicator, Project, Source, Table
# File safety lives in safefile; these names stay importable from here for the commands that use them.
from .safefile import MAX_INPUT_BYTES, os_reason, read_bytes, same_file, write_bytes_atomic, write_text_atomic  # noqa: F401

if TYPE_CHECKING:
    from .ingest.labels import Vocabulary


class TableFileError(Exception):
    """A project file that cannot be used, with where and why (Chinese)."""

    def __init__(self, path: str | os.PathLike[str], message: str, *, line: int | None = None, key: str = ""):
        self.path = str(path)
        self.line = line
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        key = f"键「{self.key}」：" if self.key else ""
        return f"{where}: {key}{self.message}"


# ------------------------------------------------------------------------------------------- schema
# key -> (python types accepted, Chinese description, required)
_TEXT = ((str,), "文本")
_PROJECT_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "name": _TEXT,
    "year": ((int,), "整数年份"),
    "department": _TEXT,
    "department_code": _TEXT,
    "implementing_unit": _TEXT,
    "attribute": _TEXT,
    "period": _TEXT,
    "goal": _TEXT,
}
_FUNDING_KEYS = {k: ((float, int), "数字（万元）") for k in ("total", "fiscal", "other")}
_INDICATOR_KEYS = {k: _TEXT for k in ("level1", "level2", "name", "value")}
_SOURCE_KEYS = {"document": _TEXT, "table": ((int,), "整数")}
# Optional keys (absent = default): `review`, the "please verify" note `renew` leaves on carried-over values.
# Written only when non-empty, so files without them load and round-trip exactly as before.
_REVIEW_KEYS = {"review": _TEXT}
_TOP_KEYS = ("schema", "project", "funding", "indicators", "source")

_TYPE_NAMES = {str: "文本", int: "整数", float: "小数", bool: "布尔值", dict: "表", list: "数组"}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


# ------------------------------------------------------------------------------------- line lookup
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")
_KEYLINE = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")


@dataclass
class _Locator:
    """Maps key paths ("indicators[2].level2") to 1-based line numbers by scanning the text."""

    lines: dict[str, int]

    @classmethod
    def scan(cls, text: str) -> _Locator:
        found: dict[str, int] = {}
        prefix = ""
        counts: dict[str, int] = {}
        for no, line in enumerate(text.splitlines(), 1):
            header = _HEADER.match(line)
            if header:
                name = header.group(2).strip().strip("\"'")
                if header.group(1) == "[[":
                    counts[name] = counts.get(name, -1) + 1
                    prefix = f"{name}[{counts[name]}]"
                else:
                    prefix = name
                found.setdefault(prefix, no)
                continue
            key = _KEYLINE.match(line)
            if key:
                path = key.group(1).strip('"')
                found.setdefault(f"{prefix}.{path}" if prefix else path, no)
        return cls(found)

    def line(self, path: str) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rpartition(".")[0]
        return None


# ------------------------------------------------------------------------------------------ loading
_TOML_MESSAGES = [
    (r"Invalid value", "值的写法不对（文本要加英文双引号，数字不加）"),
    (r"Expected '=' after a key", "键后面缺少「=」"),
    (r"Invalid statement", "无法识别的一行"),
    (r"Unterminated string|Unclosed", "引号或括号没有闭合"),
    (r"Cannot overwrite a value|Cannot declare", "同一个键或表出现了两次"),
    (r"Illegal character '\\n'", "引号没有闭合（文本不能跨行，换行请写成 \\n）"),
    (r"Illegal character", "文本中有不允许的控制字符"),
    (r"Expected newline or end of document", "一行中有多余的内容"),
    (r"Invalid initial character for a key part|Invalid key", "键的写法不对"),
]
_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def _decode_error(path: Path, exc: Exception, text: str) -> TableFileError:
    raw = str(exc)
    at = _AT_LINE.search(raw)
    line = int(at.group(1)) if at and at.group(1) else len(text.splitlines()) or 1
    column = int(at.group(2)) if at and at.group(2) else None
    detail = next((zh for pattern, zh in _TOML_MESSAGES if re.search(pattern, raw)), "TOML 格式错误")
    col = f"第 {column} 列，" if column else ""
    return TableFileError(path, f"{col}{detail}。（{_AT_LINE.sub('', raw).strip()}）", line=line)


# ------------------------------------------------------------------------------------- reading files
def _deepest_line(text: str) -> int | None:
    """The line where [ and { nest deepest, outside strings and comments (for the too-deep message)."""
    depth, deepest, where = 0, 0, None
    for no, line in enumerate(text.splitlines(), 1):
        quote = None
        for ch in line:
            if quote:
                quote = None if ch == quote else quote
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                depth += 1
                if depth > deepest:
                    deepest, where = depth, no
            elif ch in "]}":
                depth = max(0, depth - 1)
    return where


def _read_text(path: Path) -> str:
    try:
        data = read_bytes(path)
    except FileNotFoundError:
        raise TableFileError(path, "找不到这个文件。") from None
    except IsADirectoryError:
        raise TableFileError(path, "这是一个文件夹，不是项目文件。") from None
    except OSError as exc:
        raise TableFileError(path, f"无法读取文件：{os_reason(exc)}。") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableFileError(path, "文件不是 UTF-8 编码的文本（可能是 GBK 编码或已损坏），请另存为 UTF-8。", line=line) from None


# A dotted key or table header of this many parts is no project file; tomllib/tomli take quadratic time over them.
_DEEP_KEY = re.compile(r"""^[ \t]*\[*[ \t]*(?:(?:[A-Za-z0-9_\-]+|"[^"\n]*"|'[^'\n]*')[ \t]*\.[ \t]*){64}""", re.M)


def parse_toml(text: str, path: str | os.PathLike[str] = "<文本>") -> dict[str, Any]:
    """TOML text -> dict, or a `TableFileError` with the line; also for input built to exhaust the parser."""
    deep = _DEEP_KEY.search(text) if text.count(".") >= 64 else None  # (the search is a tenth of a parse)
    if deep:
        line = text.count("\n", 0, deep.start()) + 1
        raise TableFileError(Path(path), "键的层级太多（用「.」连接了 64 层以上），这不是项目文件。", line=line)
    try:
        return _toml.loads(text)
    except _DECODE_ERRORS as exc:
        raise _decode_error(Path(path), exc, text) from None
    except RecursionError:  # tomllib recurses once per level of [ or {, tomli stops at 400 levels
        raise TableFileError(Path(path), "数组或内联表嵌套的层数太多，无法读取。", line=_deepest_line(text)) from None


def loads(text: str, path: str | os.PathLike[str] = "<文本>", framework: Framework | None = None) -> Table:
    """Parse and validate a project file's text."""
    return validate(parse_toml(text, path), text, path, framework)


def validate(data: dict[str, Any], text: str, path: str | os.PathLike[str] = "<文本>", framework: Framework | None = None) -> Table:
    """A table from `parse_toml(text)` output, validated (for callers that looked at the data already)."""
    return _Validator(path, text, framework or default_framework()).table(data)


def load(path: str | os.PathLike[str], framework: Framework | None = None) -> Table:
    """Read one project file; raises `TableFileError` with file, key path and line."""
    p = Path(path)
    text = _read_text(p)
    if not text.strip():
        raise TableFileError(p, "文件是空的，不是项目文件。")
    return loads(text, p, framework)


# (一级, 二级) as written -> (framework, vocabulary, canonical pair) for the labels that resolved: only
# errors need the lookups again (they name the row), and a different framework or vocabulary is looked up anew.
_LEVELS: dict[tuple[str, str], tuple[Framework, object, tuple[str, str]]] = {}


class _Validator:
    def __init__(self, path: str | os.PathLike[str], text: str, framework: Framework):
        self.path = path  # made a Path only for an error
        self.text = text  # scanned for line numbers only when something fails (a tenth of a corpus load)
        self.framework = framework

    def fail(self, key: str, message: str) -> TableFileError:
        return TableFileError(Path(self.path), message, line=_Locator.scan(self.text).line(key), key=key)

    def section(
        self,
        data: dict,
        key: str,
        spec: dict[str, tuple[tuple[type, ...], str]],
        optional: dict[str, tuple[tuple[type, ...], str]] | None = None,
    ) -> dict[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            if value is None:
                raise self.fail(key, f"缺少「[{key}]」部分。")
            raise self.fail(key, f"应为表（[{key}]），实际是{_type_name(value)}。")
        return self.fields(value, key, spec, optional)

    def fields(
        self,
        value: dict,
        key: str,
        spec: dict[str, tuple[tuple[type, ...], str]],
        optional: dict[str, tuple[tuple[type, ...], str]] | None = None,
    ) -> dict[str, Any]:
        optional = optional or {}
        for name in value:
            if name not in spec and name not in optional:
                known = "、".join(spec)
                raise self.fail(f"{key}.{name}", f"未知的键「{name}」（此处可用的键：{known}）。")
        out = {}
        for name, (types, label) in spec.items():  # (the key path is made only for an error: a million rows)
            if name not in value:
                raise self.fail(f"{key}.{name}", f"缺少必填的键「{name}」（{label}）。")
            item = value[name]
            if isinstance(item, bool) or not isinstance(item, types):
                raise self.fail(f"{key}.{name}", f"应为{label}，实际是{_type_name(item)}。")
            out[name] = float(item) if float in types else item
        for name, (types, label) in optional.items():
            if name in value:
                item = value[name]
                if isinstance(item, bool) or not isinstance(item, types):
                    raise self.fail(f"{key}.{name}", f"应为{label}，实际是{_type_name(item)}。")
                out[name] = item
        return out

    def table(self, data: dict) -> Table:
        for name in data:
            if name not in _TOP_KEYS:
                raise self.fail(name, f"未知的键「{name}」（可用的键：{'、'.join(_TOP_KEYS)}）。")
        schema = data.get("schema")
        if schema is None:
            raise self.fail("schema", "缺少「schema = 1」（文件格式版本）。")
        if isinstance(schema, bool) or not isinstance(schema, int):
            raise self.fail("schema", f"应为整数，实际是{_type_name(schema)}。")
        if schema > SCHEMA:
            raise self.fail("schema", f"文件格式版本 {schema} 比本程序支持的版本 {SCHEMA} 新，请升级 jixiao。")
        if schema < 1:
            raise self.fail("schema", f"文件格式版本 {schema} 无效。")
        project = Project(**self.section(data, "project", _PROJECT_KEYS, _REVIEW_KEYS))
        funding = Funding(**self.section(data, "funding", _FUNDING_KEYS, _REVIEW_KEYS))
        indicators = self.indicators(data.get("indicators", []))
        source = None
        if "source" in data:
            source = Source(**self.section(data, "source", _SOURCE_KEYS))
        return Table(project, funding, indicators, source, schema)

    def levels(self, key: str, level1: str, level2: str, voc: Vocabulary) -> tuple[str, str]:
        """The canonical (一级, 二级) of a row: every alias framework.toml and knowledge/labels.toml list is
        accepted (项目完成指标, 满意度指标 as a 二级, 社会公众或服务对象满意度指标 …), and the older layout with
        满意度 under 效益指标 moves to 满意度指标. A truly unknown label is an error with its key and line.
        `voc`: the label vocabulary (ingest.labels.vocabulary(), fetched once per file)."""
        fw = self.framework
        known = _LEVELS.get((level1, level2))
        if known is not None and known[0] is fw and known[1] is voc:  # a corpus repeats a dozen label pairs
            return known[2]
        l1 = voc.level1_of(level1, fw)
        if l1 is None:
            raise self.fail(f"{key}.level1", f"未知的一级指标「{level1}」（可用：{'、'.join(fw.level1)}）。")
        l2 = voc.level2_of(level2, fw)
        if l2 is None:
            raise self.fail(f"{key}.level2", f"未知的二级指标「{level2}」（可用：{'、'.join(fw.level2)}）。")
        if not fw.allows(l1, l2) and fw.kind(l2) == "satisfaction":
            l1 = fw.level1_for(l2)  # older Hubei/Hunan forms file 满意度 under 效益指标
        if len(_LEVELS) > 4096:
            _LEVELS.clear()
        _LEVELS[(level1, level2)] = (fw, voc, (l1, l2))
        return l1, l2

    def indicators(self, rows: Any) -> list[Indicator]:
        if not isinstance(rows, list):
            raise self.fail("indicators", f"应写成「[[indicators]]」表数组，实际是{_type_name(rows)}。")
        from .ingest.labels import vocabulary  # lazily: the ingest package imports this module

        voc = vocabulary()
        out = []
        for i, row in enumerate(rows):
            key = f"indicators[{i}]"
            if not isinstance(row, dict):
                raise self.fail(key, f"第 {i + 1} 条指标应为表，实际是{_type_name(row)}。")
            fields = self.fields(row, key, _INDICATOR_KEYS, _REVIEW_KEYS)
            level1, level2 = self.levels(key, fields["level1"], fields["level2"], voc)
            fields["level1"], fields["level2"] = level1, level2
            fw = self.framework
            if not fw.allows(level1, level2):
                allowed = "、".join(fw.level2[level2].level1)
                raise self.fail(
                    f"{key}.level2", f"二级指标「{level2}」不属于一级指标「{level1}」（应在：{allowed}）。"
                )
            out.append(Indicator(**fields))
        return out


# ------------------------------------------------------------------------------------------ writing
def to_dict(table: Table) -> dict[str, Any]:
    """The TOML document as a dict, keys in SPEC order."""
    p = table.project
    if p.year is None:
        raise ValueError("project.year is required to write a project file")
    doc: dict[str, Any] = {
        "schema": table.schema,
        "project": {
            "name": p.name,
            "year": p.year,
            "department": p.department,
            "department_code": p.department_code,
            "implementing_unit": p.implementing_unit,
            "attribute": p.attribute,
            "period": p.period,
            "goal": p.goal,
            **_review(p.review),
        },
        "funding": {
            **{k: float(getattr(table.funding, k)) for k in ("total", "fiscal", "other")},
            **_review(table.funding.review),
        },
    }
    if table.indicators:
        doc["indicators"] = [
            {"level1": i.level1, "level2": i.level2, "name": i.name, "value": i.value, **_review(i.review)}
            for i in table.indicators
        ]
    if table.source is not None:
        doc["source"] = {"document": table.source.document, "table": table.source.table}
    return doc


def _review(note: str) -> dict[str, str]:
    """The optional `review` key: written only when there is a note."""
    return {"review": note} if note else {}


def dumps(table: Table) -> str:
    """Deterministic TOML text in SPEC layout: schema, [project], [funding], [[indicators]]…, [source].

    tomli-w escapes every value; sections are composed here because tomli-w would inline short
    arrays of tables. Strings stay on one line, so CR/LF inside text round-trips exactly.
    """
    doc = to_dict(table)
    chunks = [tomli_w.dumps({"schema": doc["schema"]})]
    chunks += [f"[{key}]\n" + tomli_w.dumps(doc[key]) for key in ("project", "funding")]
    chunks += ["[[indicators]]\n" + tomli_w.dumps(row) for row in doc.get("indicators", [])]
    if "source" in doc:
        chunks.append("[source]\n" + tomli_w.dumps(doc["source"]))
    return "\n".join(chunks)


def write(path: str | os.PathLike[str], table: Table) -> None:
    """Write a project file atomically (replaces an existing file: callers decide whether they may)."""
    write_text_atomic(path, dumps(table))


def write_new(path: str | os.PathLike[str], table: Table, *, force: bool = False) -> str:
    """Write unless that would silently replace different content.

    Returns "written", "unchanged" (same bytes already there) or "exists" (different file kept).
    """
    text = dumps(table)
    target = Path(path)
    if os.path.lexists(target) and not force:  # anything by that name, even a broken symlink, is kept
        try:
            same = read_bytes(target) == text.encode("utf-8")
        except OSError:
            same = False
        return "unchanged" if same else "exists"
    write_text_atomic(target, text)
    return "written"


def is_finite_funding(funding: Funding) -> bool:
    return all(math.isfinite(getattr(funding, k)) for k in ("total", "fiscal", "other"))
