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
from .tomlio import TableFileError, loads, os_reason, parse_toml, read_bytes, validate


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
    return [Path(p) for p in project_paths(dirs)]


def project_paths(dirs: list[Path]) -> list[str]:
    """`project_files` as strings, for a start that only stats them (100,000 Path objects cost a second).

    As `sorted(folder.rglob("*.toml"))` with each path resolved, without a realpath per file: the folder is
    resolved once and only symlinked files are resolved one by one."""
    seen: dict[str, None] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        try:
            base = str(folder.resolve())
        except (OSError, RuntimeError):
            base = str(folder.absolute())
        found: list[tuple[str, str, bool]] = []
        _walk(str(folder), "", found)
        found.sort()  # (by the parts' order: NUL sorts below any character a name can have)
        for _, relative, link in found:
            if link:
                path = folder / relative
                try:
                    seen.setdefault(str(path.resolve()), None)
                except (OSError, RuntimeError):  # a symlink loop: kept as named, read_entry reports it
                    seen.setdefault(str(path.absolute()), None)
            else:
                seen.setdefault(os.path.join(base, relative), None)
    return list(seen)


def _walk(top: str, relative: str, found: list[tuple[str, str, bool]]) -> None:
    """(sort key: the parts joined by NUL, the relative path, is a symlink) of every *.toml entry below `top`;
    symlinked folders are not entered (as pathlib's rglob)."""
    try:
        with os.scandir(top) as entries:
            listed = list(entries)
    except OSError:
        return
    for entry in listed:
        try:
            link = entry.is_symlink()
            is_dir = entry.is_dir()
        except OSError:
            link, is_dir = False, False
        path = f"{relative}{os.sep}{entry.name}" if relative else entry.name
        if entry.name.endswith(".toml"):
            found.append((path.replace(os.sep, "\0"), path, link))
        if is_dir and not link:
            _walk(entry.path, path, found)


def source_kind(path: str | os.PathLike[str]) -> str:
    """Where a corpus table comes from: "own" (the user's knowledge folder) or "corpus" (other units)."""
    try:
        Path(path).resolve().relative_to(user_knowledge_dir().resolve())
    except (ValueError, OSError, RuntimeError):
        return "corpus"
    return "own"


def source_kinds(paths: list[str]) -> list[str]:
    """`source_kind` of many paths: each folder resolved once, not each file (a million-row corpus has 94,000
    files in a few folders)."""
    try:
        own = str(user_knowledge_dir().resolve())
    except (OSError, RuntimeError):
        return ["corpus"] * len(paths)
    folders: dict[str, str] = {}
    out = []
    for path in paths:
        path = str(path)
        if os.path.islink(path):
            out.append(source_kind(path))
            continue
        head, _ = os.path.split(os.path.abspath(path))
        real = folders.get(head)
        if real is None:
            try:
                real = folders[head] = str(Path(head).resolve())
            except (OSError, RuntimeError):
                real = folders[head] = ""
        out.append("own" if real and (real == own or real.startswith(own + os.sep)) else "corpus")
    return out


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
        return Entry(path, loads(text, path))  # the strict loader says what is wrong
    if "project" not in data:
        return None
    return Entry(path, validate(data, text, path))  # parsed once: half the cost of a cold index


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
