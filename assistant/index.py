"""The corpus index: every table's rows as compact arrays, with segmentation and pinyin precomputed.

Building it parses every project file and runs jieba and pypinyin over every name, goal and wording:
the slow, cold path. The suggestion engine derives its structures from this and caches them
(assistant/suggest/loader.py: `load_engine`), so a warm start does none of this work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .adapt import subject_groups
from .corpus import Entry, read_entry
from .framework import Framework, default_framework
from .segment import add_words, pinyin_keys, tokens
from .tomlio import TableFileError

HEADER_FIELDS = ("department", "department_code", "implementing_unit", "attribute", "period")
_QUOTED = re.compile(r"[“\"]([\u4e00-\u9fff]{2,8})[”\"]")


@dataclass
class TableInfo:
    file: str
    name: str
    year: int
    goal: int  # text id
    tokens: list[str]  # content words of name and goal, for table similarity
    header: dict[str, str] = field(default_factory=dict)  # department, code, unit, attribute, period


@dataclass
class CorpusIndex:
    tables: list[TableInfo] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # distinct strings, referenced by id
    level2s: list[str] = field(default_factory=list)
    rows: list[tuple[int, int, int, int]] = field(default_factory=list)  # (table, level2, name id, value id)
    pinyin: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # text id -> full, initials, alt
    warnings: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # the domain words jieba was given
    _ids: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def text_id(self, text: str) -> int:
        """The id of a text, adding it if new (used while building)."""
        if len(self._ids) != len(self.texts):
            self._ids = {t: i for i, t in enumerate(self.texts)}
        if text not in self._ids:
            self._ids[text] = len(self.texts)
            self.texts.append(text)
        return self._ids[text]


def build(paths: list[Path]) -> CorpusIndex:
    """Parse every file and index it (the slow, cold path)."""
    entries: list[Entry] = []
    warnings = []
    for path in paths:
        try:
            entry = read_entry(path)
        except TableFileError as exc:
            warnings.append(f"{exc}（已跳过）")
            continue
        if entry is not None:
            entries.append(entry)
    index = build_from_entries(entries)
    index.warnings[:0] = warnings
    return index


def domain_words(entries: list[Entry], framework: Framework | None = None) -> list[str]:
    """Terms jieba must keep whole: categories, subjects, quoted names in the corpus (“两个中心”)."""
    fw = framework or default_framework()
    words = set()
    for label in (*fw.level1, *fw.level2):
        words.update({label, label.removesuffix("指标")})
    for group in subject_groups():
        words.update(group)
    for entry in entries:
        p = entry.table.project
        for text in (p.name, p.goal, *(i.name for i in entry.table.indicators)):
            words.update(_QUOTED.findall(text))
    return sorted(words)


def build_from_entries(entries: list[Entry], framework: Framework | None = None) -> CorpusIndex:
    """Index tables already in memory (also what leave-one-out evaluation uses)."""
    index = CorpusIndex()
    # Register the domain words before segmenting anything, so tokens never depend on what ran before.
    index.words = domain_words(entries, framework)
    add_words(index.words)
    level2_ids: dict[str, int] = {}
    name_ids: set[int] = set()
    for entry in entries:
        t = entry.table
        if t.project.year is None:
            continue
        table_no = len(index.tables)
        goal = index.text_id(t.project.goal)
        words = list(tokens(t.project.name)) * 2 + list(tokens(t.project.goal))  # the name weighs double
        header = {key: getattr(t.project, key) for key in HEADER_FIELDS}
        index.tables.append(TableInfo(str(entry.path), t.project.name, t.project.year, goal, words, header))
        name_ids.add(index.text_id(t.project.name))
        name_ids.add(goal)
        for ind in t.indicators:
            if not ind.name:
                continue
            l2 = level2_ids.setdefault(ind.level2, len(level2_ids))
            name = index.text_id(ind.name)
            name_ids.add(name)
            index.rows.append((table_no, l2, name, index.text_id(ind.value)))
    index.level2s = list(level2_ids)
    index.pinyin = {i: pinyin_keys(index.texts[i]) for i in sorted(name_ids)}
    return index


def stat_key(paths: list[Path]) -> list:
    """What identifies a corpus on disk: each file's path, size and modification time."""
    key = []
    for p in paths:
        try:
            st = p.stat()
            key.append((str(p), st.st_size, st.st_mtime_ns))
        except OSError:
            key.append((str(p), -1, -1))
    return key
