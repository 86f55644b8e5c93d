"""The indicator library (knowledge/library/*.toml): sector and generic indicator wordings as data.

One file per sector (`generic.toml` holds the sector-independent rows). Each row names its 二级, a wording
with optional slots ({subject}, {year}), the usual value shape ({n} = a number the user fills, {year}),
the value's unit, fitting keywords and where it comes from: a document the file cites, or "通用写法".

Loading is strict, like project files: an unknown key, a wrong type, an unknown 二级 or source, or a value
whose shape disagrees with its unit is a `TableFileError` naming the file, the key path and the line.
Core module: no Textual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .framework import Framework, default_framework
from .paths import bundled_library
from .tomlio import TableFileError, _read_text, _type_name, _Validator, parse_toml

SCHEMA = 1
GENERIC = "generic"
COMMON_WORDING = "通用写法"  # the source of a row no published document was found for

_TEXT = ((str,), "文本")
_LIST = ((list,), "文本数组")
_TOP_KEYS = ("schema", "sector", "sources", "indicators")
_SECTOR_KEYS = {"id": _TEXT, "name": _TEXT, "keywords": _LIST}
_SOURCE_KEYS = {"id": _TEXT, "title": _TEXT}
_SOURCE_OPTIONAL = {"url": _TEXT}
_ROW_KEYS = {"level2": _TEXT, "name": _TEXT, "value": _TEXT, "unit": _TEXT, "source": _TEXT}
_ROW_OPTIONAL = {"keywords": _LIST}

_SECTOR_ID = re.compile(r"[a-z][a-z0-9_-]*")
_SLOT = re.compile(r"\{([^{}]*)\}")
_NAME_SLOTS = frozenset({"subject", "year"})
_VALUE_SLOTS = frozenset({"n", "year"})
# A value: optional operator, then a number or {n}, then its unit (which must equal the row's `unit`).
_NUMERIC_VALUE = re.compile(r"[≥≤＝=<>]?(?:\{n\}|\d+(?:\.\d+)?)(.*)")


@dataclass(frozen=True)
class Sector:
    id: str
    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class LibraryIndicator:
    sector: str
    level2: str  # canonical 二级 of the framework
    name: str  # wording, may hold {subject} and {year}
    value: str  # value shape, may hold {n} and {year}; "" when no value is typical
    unit: str  # the value's unit: "%", "吨", "元/人/月"; "" for dates and qualitative values
    keywords: tuple[str, ...]
    source: str  # the cited document's title, or "通用写法"

    @property
    def needs_number(self) -> bool:
        """Whether the value shape has a number only the user can give ({n})."""
        return "{n}" in self.value

    def render(self, subject: str | None = None, year: int | None = None) -> tuple[str, str]:
        """(wording, value) for a project: slots filled, or dropped when there is nothing to fill them with.

        The value is "" when it needs a number only the user knows ({n}) or a year that is not given:
        no default is better than a wrong one, and `unit` still says what shape the value should take.
        """
        name = _fill_name(self.name, subject, year)
        if self.needs_number or ("{year}" in self.value and year is None):
            return name, ""
        return name, self.value.replace("{year}", str(year))


def _fill_name(name: str, subject: str | None, year: int | None) -> str:
    subject = (subject or "").strip()
    name = name.replace("{subject}", subject)
    if year is None:
        name = re.sub(r"\{year\}年度?", "", name).replace("{year}", "")
    else:
        name = name.replace("{year}", str(year))
    return name.strip()


@dataclass(frozen=True)
class Library:
    sectors: tuple[Sector, ...]
    indicators: tuple[LibraryIndicator, ...]

    def sector(self, sector_id: str) -> Sector | None:
        return next((s for s in self.sectors if s.id == sector_id), None)

    def for_sector(self, sector_id: str) -> tuple[LibraryIndicator, ...]:
        """The rows of one sector, in file order."""
        return tuple(i for i in self.indicators if i.sector == sector_id)

    def generic(self) -> tuple[LibraryIndicator, ...]:
        """The sector-independent rows (generic.toml)."""
        return self.for_sector(GENERIC)


# ----------------------------------------------------------------------------------------- loading
def value_unit_problem(value: str, unit: str) -> str | None:
    """Why a value shape disagrees with its unit ("≥{n}吨" needs unit 吨), or None when they agree."""
    if not value:
        return None
    if "{year}" in value:
        return None if unit == "" else f"日期「{value}」的单位应为空，不是「{unit}」"
    numeric = _NUMERIC_VALUE.fullmatch(value)
    if numeric:
        expected = numeric.group(1)
        return None if expected == unit else f"指标值「{value}」的单位是「{expected}」，与 unit「{unit}」不符"
    if unit:
        return f"指标值「{value}」不是数值，unit 应为空，不是「{unit}」"
    return None


class _LibraryFile:
    """One library file's validation: the project-file validator's messages, lines and key paths."""

    def __init__(self, path: Path, text: str, framework: Framework):
        self.path = path
        self.check = _Validator(path, text, framework)
        self.framework = framework

    def fail(self, key: str, message: str) -> TableFileError:
        return self.check.fail(key, message)

    def words(self, value: list, key: str) -> tuple[str, ...]:
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(key, f"第 {i + 1} 项应为非空文本，实际是{_type_name(item)}「{item}」。")
        return tuple(value)

    def slots(self, text: str, key: str, allowed: frozenset[str]) -> None:
        for slot in _SLOT.findall(text):
            if slot not in allowed:
                names = "、".join("{" + s + "}" for s in sorted(allowed))
                raise self.fail(key, f"未知的占位符「{{{slot}}}」（此处可用：{names}）。")
        if _SLOT.sub("", text).count("{") or _SLOT.sub("", text).count("}"):
            raise self.fail(key, f"「{text}」中有不成对的花括号。")

    def table_list(self, data: dict, key: str) -> list[dict]:
        rows = data.get(key, [])
        if not isinstance(rows, list):
            raise self.fail(key, f"应写成「[[{key}]]」表数组，实际是{_type_name(rows)}。")
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                raise self.fail(f"{key}[{i}]", f"第 {i + 1} 项应为表，实际是{_type_name(row)}。")
        return rows

    def load(self, data: dict[str, Any]) -> tuple[Sector, tuple[LibraryIndicator, ...]]:
        for name in data:
            if name not in _TOP_KEYS:
                raise self.fail(name, f"未知的键「{name}」（可用的键：{'、'.join(_TOP_KEYS)}）。")
        schema = data.get("schema")
        if schema is None:
            raise self.fail("schema", f"缺少「schema = {SCHEMA}」（文件格式版本）。")
        if isinstance(schema, bool) or schema != SCHEMA:
            raise self.fail("schema", f"文件格式版本应为 {SCHEMA}，实际是「{schema}」。")
        fields = self.check.section(data, "sector", _SECTOR_KEYS)
        if not _SECTOR_ID.fullmatch(fields["id"]):
            raise self.fail("sector.id", f"行业编号「{fields['id']}」应为小写英文字母、数字、-、_。")
        sector = Sector(fields["id"], fields["name"], self.words(fields["keywords"], "sector.keywords"))
        titles: dict[str, str] = {}
        for i, row in enumerate(self.table_list(data, "sources")):
            key = f"sources[{i}]"
            src = self.check.fields(row, key, _SOURCE_KEYS, _SOURCE_OPTIONAL)
            if src["id"] in titles or src["id"] == COMMON_WORDING:
                raise self.fail(f"{key}.id", f"来源编号「{src['id']}」重复或与「{COMMON_WORDING}」同名。")
            titles[src["id"]] = src["title"]
        rows = []
        for i, row in enumerate(self.table_list(data, "indicators")):
            rows.append(self.indicator(sector.id, row, f"indicators[{i}]", titles))
        return sector, tuple(rows)

    def indicator(self, sector: str, row: dict, key: str, titles: dict[str, str]) -> LibraryIndicator:
        f = self.check.fields(row, key, _ROW_KEYS, _ROW_OPTIONAL)
        level2 = self.framework.match_level2(f["level2"])
        if level2 is None:
            known = "、".join(self.framework.level2)
            raise self.fail(f"{key}.level2", f"未知的二级指标「{f['level2']}」（可用：{known}）。")
        if not f["name"].strip():
            raise self.fail(f"{key}.name", "指标名称不能为空。")
        self.slots(f["name"], f"{key}.name", _NAME_SLOTS)
        self.slots(f["value"], f"{key}.value", _VALUE_SLOTS)
        problem = value_unit_problem(f["value"], f["unit"])
        if problem:
            raise self.fail(f"{key}.unit", problem + "。")
        source = f["source"]
        if source != COMMON_WORDING:
            if source not in titles:
                known = "、".join([*titles, COMMON_WORDING])
                raise self.fail(f"{key}.source", f"未知的来源「{source}」（应为 [[sources]] 中的编号：{known}）。")
            source = titles[source]
        words = self.words(f.get("keywords", []), f"{key}.keywords")
        return LibraryIndicator(sector, level2, f["name"], f["value"], f["unit"], words, source)


def load_library_file(path: Path, framework: Framework | None = None) -> tuple[Sector, tuple[LibraryIndicator, ...]]:
    """One library file; `TableFileError` with file, key path and line when it is not usable."""
    text = _read_text(path)
    if not text.strip():
        raise TableFileError(path, "文件是空的，不是指标库文件。")
    return _LibraryFile(path, text, framework or default_framework()).load(parse_toml(text, path))


def load_library(root: Path, framework: Framework | None = None) -> Library:
    """Every *.toml in `root`, sorted by name; a missing folder is an empty library."""
    sectors: list[Sector] = []
    indicators: list[LibraryIndicator] = []
    seen: dict[str, Path] = {}
    paths = sorted(root.glob("*.toml")) if root.is_dir() else []
    for path in paths:
        sector, rows = load_library_file(path, framework)
        if sector.id in seen:
            raise TableFileError(path, f"行业编号「{sector.id}」已在 {seen[sector.id].name} 中使用。", key="sector.id")
        seen[sector.id] = path
        sectors.append(sector)
        indicators.extend(rows)
    return Library(tuple(sectors), tuple(indicators))


@lru_cache(maxsize=1)
def default_library() -> Library:
    """The bundled library, loaded once."""
    return load_library(bundled_library())
