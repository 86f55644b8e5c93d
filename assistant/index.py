"""The corpus index: every table's rows as compact arrays, with segmentation and pinyin precomputed.

Building it parses every project file and runs jieba and pypinyin over every name, goal and wording:
the slow, cold path. `index_store` keeps each file's `FileRecord` (and the pinyin) on disk, so only added and
changed files are parsed again; the suggestion engine derives its state from the index and stores it
(assistant/suggest/loader.py: `load_engine`), so a warm start does none of this work.
"""

from __future__ import annotations

import os
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
    name_words: list[str] = field(default_factory=list)  # content words of the name alone


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


@dataclass
class FileRecord:
    """What the index keeps of one project file: its texts, before anything is derived (see index_store)."""

    path: str
    name: str
    year: int | None
    goal: str
    header: tuple[str, ...]  # HEADER_FIELDS in order
    rows: list[tuple[str, str, str]]  # (二级, 三级, 指标值) of rows with a wording
    quoted: list[str]  # quoted names (“两个中心”) that jieba must keep whole
    name_tokens: list[str] | None = None  # None: not segmented yet (or with other domain words)
    goal_tokens: list[str] | None = None


def record_of(entry: Entry) -> FileRecord:
    t = entry.table
    p = t.project
    quoted = sorted({w for text in (p.name, p.goal, *(i.name for i in t.indicators)) for w in _QUOTED.findall(text)})
    rows = [(i.level2, i.name, i.value) for i in t.indicators if i.name]
    header = tuple(getattr(p, key) for key in HEADER_FIELDS)
    return FileRecord(str(entry.path), p.name, p.year, p.goal, header, rows, quoted)


def read_record(path: Path) -> FileRecord | None:
    """One file's record; None when it is not a project file; TableFileError when it is broken."""
    entry = read_entry(path)
    return record_of(entry) if entry is not None else None


def build(paths: list[Path]) -> CorpusIndex:
    """Parse every file and index it (the slow, cold path; `index_store.build_stored` reuses unchanged files)."""
    records: list[FileRecord] = []
    warnings = []
    for path in paths:
        try:
            record = read_record(path)
        except TableFileError as exc:
            warnings.append(f"{exc}（已跳过）")
            continue
        if record is not None:
            records.append(record)
    index = build_from_records(records)
    index.warnings[:0] = warnings
    return index


def domain_words(records: list[FileRecord], framework: Framework | None = None) -> list[str]:
    """Terms jieba must keep whole: categories, subjects, quoted names in the corpus (“两个中心”)."""
    fw = framework or default_framework()
    words = set()
    for label in (*fw.level1, *fw.level2):
        words.update({label, label.removesuffix("指标")})
    for group in subject_groups():
        words.update(group)
    for record in records:
        words.update(record.quoted)
    return sorted(words)


def build_from_entries(entries: list[Entry], framework: Framework | None = None) -> CorpusIndex:
    """Index tables already in memory (also what leave-one-out evaluation uses)."""
    return build_from_records([record_of(e) for e in entries], framework)


def build_from_records(
    records: list[FileRecord],
    framework: Framework | None = None,
    pinyin: dict[str, tuple[str, str, str]] | None = None,
) -> CorpusIndex:
    """Index records. Records without tokens are segmented here (filled in place, for the store to keep);
    `pinyin` holds keys known already and receives the new ones."""
    index = CorpusIndex()
    # Register the domain words before segmenting anything, so tokens never depend on what ran before.
    index.words = domain_words(records, framework)
    add_words(index.words)
    level2_ids: dict[str, int] = {}
    name_ids: set[int] = set()
    texts, ids, rows = index.texts, index._ids, index.rows  # text_id inlined: a million rows

    def text_id(text: str) -> int:
        got = ids.get(text)
        if got is None:
            got = ids[text] = len(texts)
            texts.append(text)
        return got

    for record in records:
        if record.year is None:
            continue
        if record.name_tokens is None or record.goal_tokens is None:
            record.name_tokens, record.goal_tokens = list(tokens(record.name)), list(tokens(record.goal))
        table_no = len(index.tables)
        goal = text_id(record.goal)
        words = record.name_tokens * 2 + record.goal_tokens  # the name weighs double
        header = dict(zip(HEADER_FIELDS, record.header))
        index.tables.append(TableInfo(record.path, record.name, record.year, goal, words, header, name_words=record.name_tokens))
        name_ids.add(text_id(record.name))
        name_ids.add(goal)
        for level2, name, value in record.rows:
            l2 = level2_ids.get(level2)
            if l2 is None:
                l2 = level2_ids[level2] = len(level2_ids)
            name_id = ids.get(name)
            if name_id is None:
                name_id = text_id(name)
            name_ids.add(name_id)
            value_id = ids.get(value)
            if value_id is None:
                value_id = text_id(value)
            rows.append((table_no, l2, name_id, value_id))
    index.level2s = list(level2_ids)
    known = pinyin if pinyin is not None else {}
    for i in sorted(name_ids):
        text = index.texts[i]
        keys = known.get(text)
        if keys is None:
            keys = known[text] = pinyin_keys(text)
        index.pinyin[i] = keys
    return index


def stat_key(paths: list[Path] | list[str]) -> list:
    """What identifies a corpus on disk: each file's path, size and modification time."""
    key = []
    for p in paths:
        try:
            st = os.stat(p)
            key.append((str(p), st.st_size, st.st_mtime_ns))
        except OSError:
            key.append((str(p), -1, -1))
    return key
