"""What drafting reads and never changes: framework, profile, engine, corpus tables; loaded once, in a worker."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..framework import Framework, default_framework
from ..model import Table

if TYPE_CHECKING:
    from ..suggest import Engine


@dataclass(frozen=True)
class Workspace:
    framework: Framework = field(default_factory=default_framework)
    profile: str | None = None
    engine: Engine | None = None  # None until the background load has finished (or if it failed)
    corpus_tables: tuple[Table, ...] = ()  # for the review's rules that compare with other tables
    warnings: tuple[str, ...] = ()
    by_path: Mapping[str, Table] = field(default_factory=dict)  # corpus tables by file, as the engine names them

    def table_at(self, path: str) -> Table | None:
        """A corpus table the engine names by its file, already loaded: drafting never reads the corpus again."""
        return self.by_path.get(path)

    @property
    def ready(self) -> bool:
        return self.engine is not None


def load(knowledge: str | os.PathLike[str] | None = None, *, profile: str | None = None) -> Workspace:
    """The production loader (slow: the index and jieba); the app runs it in a worker and posts the result once."""
    from .. import segment, suggest
    from ..tablecache import load_corpus_cached

    engine = suggest.load_engine(knowledge)
    segment.warm_up()
    corpus = load_corpus_cached(knowledge)  # a warm start parses only the files that changed
    by_path = MappingProxyType({str(e.path): e.table for e in corpus.entries})
    return Workspace(default_framework(), profile, engine, tuple(corpus.tables), tuple(engine.warnings), by_path)
