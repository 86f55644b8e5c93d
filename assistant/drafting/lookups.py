"""What drafting asks the engine and the corpus, memoised so that building a question stays a cheap getter."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from ..checks import Finding, run_checks
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

    def top_suggestion(self, field: str, **args) -> str:
        """The best suggestion for an empty answer ("" when there is none or no engine yet)."""
        engine = self.ws.engine
        if engine is None:
            return ""

        def compute() -> str:
            top = engine.suggest("", field=field, k=1, **args)
            return top[0].text if top else ""

        return self._memoised(("top", field, tuple(sorted(args.items()))), compute)

    def similar(self, project: str, year: int | None) -> list[Table]:
        """Up to three corpus tables most like the drafted one (the engine's context)."""
        engine = self.ws.engine
        if engine is None:
            return []

        def compute() -> list[Table]:
            ctx = engine.context(project, "", year)
            out = []
            for t in sorted(ctx.similar, key=lambda t: -ctx.similar[t]):
                table = self.ws.table_at(engine.tables[t][0])
                if table is None:  # a file the corpus could not load (reported among the load's warnings)
                    continue
                out.append(table)
                if len(out) == 3:
                    break
            return out

        return self._memoised(("similar", project, year), compute)

    def findings(self, table: Table) -> list[Finding]:
        """Every finding of the checks, the corpus rules included, for this table as it is now."""
        ws = self.ws
        return self._memoised(
            ("findings", repr(table)),
            lambda: run_checks(table, framework=ws.framework, corpus_tables=list(ws.corpus_tables), profile=ws.profile),
        )
