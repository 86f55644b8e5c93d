"""The corpus: every project file below the knowledge folders.

Without `--knowledge DIR` (or JIXIAO_KNOWLEDGE) that is the bundled `knowledge/` plus the user's own
tables; with it, DIR alone. A broken file is skipped and named in a warning, never fatal. Files that
are not project files (framework.toml) are passed over silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .model import Table
from .paths import bundled_knowledge, user_knowledge_dir
from .tomlio import TableFileError, loads, os_reason, parse_toml, read_bytes


@dataclass(frozen=True)
class Entry:
    path: Path
    table: Table


@dataclass
class Corpus:
    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [e.table for e in self.entries]


def knowledge_dirs(knowledge: str | os.PathLike[str] | None = None) -> list[Path]:
    """The folders that make up the corpus, in a fixed order."""
    if knowledge:
        return [Path(knowledge)]
    return [bundled_knowledge(), user_knowledge_dir()]


def project_files(dirs: list[Path]) -> list[Path]:
    """Every *.toml below the folders, sorted, each once (a folder may sit inside another)."""
    seen: dict[Path, None] = {}
    for folder in dirs:
        if folder.is_dir():
            # The folder is resolved once; below it rglob never enters a symlinked folder, so only a file that is
            # itself a link needs resolving (a stat per file, not a walk up every path: 5,000 files in 0.05 s).
            root = _resolved(folder)
            for path in sorted(root.rglob("*.toml")):
                seen.setdefault(_resolved(path) if path.is_symlink() else path, None)
    return list(seen)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: kept as named, read_entry reports it
        return path.absolute()


def source_kind(path: str | os.PathLike[str]) -> str:
    """Where a corpus table comes from: "own" (the user's knowledge folder) or "corpus" (other units)."""
    try:
        Path(path).resolve().relative_to(user_knowledge_dir().resolve())
    except (ValueError, OSError, RuntimeError):
        return "corpus"
    return "own"


def read_entry(path: Path) -> Entry | None:
    """One corpus file: an Entry, None if it is not a project file; TableFileError if it is broken."""
    try:
        raw = read_bytes(path).removeprefix(b"\xef\xbb\xbf")
    except OSError as exc:
        raise TableFileError(path, f"无法读取：{os_reason(exc)}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableFileError(path, "无法读取：文件不是 UTF-8 编码的文本。", line=line) from None
    try:
        data = parse_toml(text, path)
    except TableFileError:
        data = {"project": None}  # let the strict loader say what is wrong
    if "project" not in data:
        return None
    return Entry(path, loads(text, path))


def load_corpus(knowledge: str | os.PathLike[str] | None = None) -> Corpus:
    corpus = Corpus()
    dirs = knowledge_dirs(knowledge)
    if knowledge and not Path(knowledge).is_dir():
        corpus.warnings.append(f"{knowledge}: 语料文件夹不存在。")
    for path in project_files(dirs):
        try:
            entry = read_entry(path)
        except TableFileError as exc:
            corpus.warnings.append(f"{exc}（已跳过）")
            continue
        if entry is not None:
            corpus.entries.append(entry)
    return corpus
