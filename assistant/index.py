"""The corpus index: every table's rows as compact arrays, with segmentation and pinyin precomputed.

Building it means parsing every project file, running jieba over every name and goal and pypinyin over
every wording: seconds for a large corpus. So it is cached as JSON in the user cache folder, keyed by
the files' paths, sizes and modification times, and rebuilt when stale or unreadable. A warm load reads
one file and stats the corpus; it needs neither jieba nor pypinyin.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import Entry, knowledge_dirs, project_files, read_entry
from .paths import user_cache_dir
from .segment import pinyin_keys, tokens
from .tomlio import TableFileError, write_text_atomic

FORMAT = 4  # bump when the layout below changes: old caches are then rebuilt


@dataclass
class TableInfo:
    file: str
    name: str
    year: int
    goal: int  # text id
    tokens: list[str]  # content words of name and goal, for table similarity


@dataclass
class CorpusIndex:
    tables: list[TableInfo] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # distinct strings, referenced by id
    level2s: list[str] = field(default_factory=list)
    rows: list[tuple[int, int, int, int]] = field(default_factory=list)  # (table, level2, name id, value id)
    pinyin: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # text id -> full, initials, alt
    warnings: list[str] = field(default_factory=list)
    _ids: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def text_id(self, text: str) -> int:
        """The id of a text, adding it if new (used while building)."""
        if len(self._ids) != len(self.texts):
            self._ids = {t: i for i, t in enumerate(self.texts)}
        if text not in self._ids:
            self._ids[text] = len(self.texts)
            self.texts.append(text)
        return self._ids[text]

    # -- (de)serialisation --------------------------------------------------------------------------
    def to_json(self, key: list) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "key": key,
                "tables": [[t.file, t.name, t.year, t.goal, t.tokens] for t in self.tables],
                "texts": self.texts,
                "level2s": self.level2s,
                "rows": [x for row in self.rows for x in row],
                "pinyin": [[i, *keys] for i, keys in sorted(self.pinyin.items())],
                "warnings": self.warnings,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str, key: list) -> CorpusIndex | None:
        """The cached index, or None when it is stale, from another format, or damaged."""
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT or data.get("key") != key:
                return None
            flat = data["rows"]
            index = cls(
                tables=[TableInfo(f, n, int(y), int(g), list(t)) for f, n, y, g, t in data["tables"]],
                texts=list(data["texts"]),
                level2s=list(data["level2s"]),
                rows=[tuple(flat[i : i + 4]) for i in range(0, len(flat), 4)],  # type: ignore[misc]
                pinyin={int(i): (f, a, b) for i, f, a, b in data["pinyin"]},
                warnings=list(data["warnings"]),
            )
            n_texts, n_tables, n_l2 = len(index.texts), len(index.tables), len(index.level2s)
            for t, l2, name, value in index.rows:
                if not (0 <= t < n_tables and 0 <= l2 < n_l2 and 0 <= name < n_texts and 0 <= value < n_texts):
                    return None
            return index
        except (ValueError, TypeError, KeyError, AttributeError):
            return None


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


def build_from_entries(entries: list[Entry]) -> CorpusIndex:
    """Index tables already in memory (also what leave-one-out evaluation uses)."""
    index = CorpusIndex()
    level2_ids: dict[str, int] = {}
    name_ids: set[int] = set()
    for entry in entries:
        t = entry.table
        if t.project.year is None:
            continue
        table_no = len(index.tables)
        goal = index.text_id(t.project.goal)
        words = list(tokens(t.project.name)) * 2 + list(tokens(t.project.goal))  # the name weighs double
        index.tables.append(TableInfo(str(entry.path), t.project.name, t.project.year, goal, words))
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


def _stat_key(paths: list[Path]) -> list:
    key = []
    for p in paths:
        try:
            st = p.stat()
            key.append([str(p), st.st_size, st.st_mtime_ns])
        except OSError:
            key.append([str(p), -1, -1])
    return key


def _cache_file(dirs: list[Path]) -> Path:
    digest = hashlib.sha256("\n".join(str(d.resolve()) for d in dirs).encode()).hexdigest()[:16]
    return user_cache_dir() / f"index-{digest}.json"


def load_index(knowledge: str | os.PathLike[str] | None = None, *, use_cache: bool = True) -> CorpusIndex:
    """The index of the corpus (SPEC section 2: --knowledge DIR, or bundled + user folders)."""
    dirs = knowledge_dirs(knowledge)
    paths = project_files(dirs)
    key = _stat_key(paths)
    cache = _cache_file(dirs)
    if use_cache:
        try:
            cached = CorpusIndex.from_json(cache.read_text(encoding="utf-8"), key)
        except (OSError, UnicodeDecodeError):
            cached = None
        if cached is not None:
            return cached
    index = build(paths)
    if knowledge and not Path(knowledge).is_dir():
        index.warnings.insert(0, f"{knowledge}: 语料文件夹不存在。")
    if use_cache:
        try:
            write_text_atomic(cache, index.to_json(key))
        except OSError:
            pass  # no cache is slower, not wrong
    return index
