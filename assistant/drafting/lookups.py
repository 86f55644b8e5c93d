"""What drafting asks the engine and the corpus, memoised so that building a question stays a cheap getter."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from ..checks import Finding, Review, run_review
from ..model import Table
from .workspace import Workspace

T = TypeVar("T")
_LIMIT = 256  # answers kept; a long session asks a few hundred distinct things at most


class Lookups:
    """One workspace's answers. A new workspace (the engine has loaded) gets a new Lookups, never stale answers."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self._memo: dict[Hashable, object] = {}

    def _memoised(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key not in self._memo:
            if len(self._memo) >= _LIMIT:
                self._memo.clear()
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def header_values(self, field: str, department: str) -> list[str]:
        """The corpus's values of a header field, those of `department` first ([] before the engine loads)."""
        engine = self.ws.engine
        if engine is None:
            return []
        return self._memoised(("header", field, department), lambda: engine.header_values(field, department))

    def own_values(self, field: str) -> list[str]:
        """A header field as the user's own saved tables wrote it, the latest year first and, within a year, the
        most used first (before any corpus value)."""

        def compute() -> list[str]:
            rank: dict[str, tuple[int, int]] = {}
            for t in self.ws.own_tables():
                if v := getattr(t.project, field, ""):
                    year, count = rank.get(v, (t.project.year or 0, 0))
                    rank[v] = (max(year, t.project.year or 0), count + 1)
            return sorted(rank, key=lambda v: (-rank[v][0], -rank[v][1]))

        return self._memoised(("own", field), compute)

    def top_suggestion(self, field: str, **args) -> str:
        """The best suggestion for an empty answer ("" when there is none or no engine yet)."""
        engine = self.ws.engine
        if engine is None:
            return ""

        def compute() -> str:
            top = engine.suggest("", field=field, k=1, **args)
            return top[0].text if top else ""

        return self._memoised(("top", field, tuple(sorted(args.items()))), compute)

    def similar(self, project: str, year: int | None) -> list[tuple[Table, float]]:
        """Up to three corpus tables worth starting from, with their closeness in [0, 1] (1: the same project
        in another year); only those above the engine's template threshold: [] means 从空白开始."""
        engine = self.ws.engine
        if engine is None:
            return []

        def compute() -> list[tuple[Table, float]]:
            out = []
            for offer in engine.template_offer(project, "", year):
                table = self.ws.table_at(offer.file)
                if table is not None:  # None: a file the corpus could not load (reported among the load's warnings)
                    out.append((table, offer.score))
            return out

        return self._memoised(("similar", project, year), compute)

    def notice(self, project: str, goal: str, year: int | None) -> str:
        """"语料中没有同类项目，以下是通用写法" when nothing in the corpus is of this kind, else ""."""
        engine = self.ws.engine
        if engine is None:
            return ""
        return self._memoised(("notice", project, goal, year), lambda: engine.notice(project, goal, year) or "")

    def review(self, table: Table) -> Review:
        """Every rule, the corpus rules included, for this table as it is now: findings and ✓ confirmations."""
        ws = self.ws
        return self._memoised(
            ("review", repr(table)),
            lambda: run_review(table, framework=ws.framework, corpus_tables=list(ws.corpus_tables), profile=ws.profile),
        )

    def findings(self, table: Table) -> list[Finding]:
        return self.review(table).findings
