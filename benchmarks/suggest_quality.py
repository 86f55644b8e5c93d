"""Suggestion quality, leave-one-out over the bundled tables (issue 4).

Each bundled table is drafted with the other 14 as the corpus. For rows whose wording (>= 0.9 similar)
exists in another table: hit@5 and hit@1 given only the project name and 二级, hit@5 with the first two
characters typed, and value hit@3 given the wording. For rows that exist only with another subject
(村干部 <-> 社区干部 …): adaptation hit@5. A hit is a suggestion >= 0.9 similar to the real wording
(values: equal after normalisation).

    uv run python -m benchmarks.suggest_quality            # in-process engine
    uv run python -m benchmarks.suggest_quality --via-cli  # the same protocol through `jixiao suggest --batch`
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from assistant.adapt import adapter, subject_groups
from assistant.corpus import load_corpus
from assistant.index import build_from_entries
from assistant.paths import bundled_knowledge
from assistant.segment import first_word
from assistant.suggest import Engine, normalise

TARGETS = {"hit@5": 0.90, "hit@1": 0.60, "typed hit@5": 0.95, "value hit@3": 0.75, "adaptation hit@5": 0.50}


def similar(a: str, b: str) -> bool:
    return fuzz.ratio(normalise(a), normalise(b)) >= 90


@dataclass
class Case:
    metric: str
    query: dict
    want: str
    k: int


@dataclass
class Tally:
    hits: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, case: Case, texts: list[str], table: str) -> None:
        if case.metric.startswith("value"):
            hit = any(normalise(t) == normalise(case.want) for t in texts[: case.k])
        else:
            hit = any(similar(t, case.want) for t in texts[: case.k])
        self.total[case.metric] = self.total.get(case.metric, 0) + 1
        self.hits[case.metric] = self.hits.get(case.metric, 0) + hit
        if not hit:
            self.misses.append(f"{case.metric:<17} {table} 「{case.want}」 got {texts[: case.k]}")


def cases_for(held, others) -> list[Case]:
    t = held.table
    project = t.project.name
    groups = subject_groups()
    other_names = [(o, ind.name) for o in others for ind in o.table.indicators]
    cases = []
    for n, ind in enumerate(t.indicators):
        exists = any(similar(name, ind.name) for _, name in other_names)
        # The draft already holds the rows before this one; the dialogue does not offer them again.
        before = [i.name for i in t.indicators[:n]]
        base = {"field": "name", "level2": ind.level2, "project": project, "exclude": before}
        if exists:
            cases.append(Case("hit@5", {**base, "query": ""}, ind.name, 5))
            cases.append(Case("hit@1", {**base, "query": ""}, ind.name, 1))
            cases.append(Case("typed hit@5", {**base, "query": ind.name[:2]}, ind.name, 5))
            if ind.value:
                cases.append(
                    Case("value hit@3", {"field": "value", "name": ind.name, "level2": ind.level2, "project": project, "query": ""}, ind.value, 3)
                )
            continue
        for o, name in other_names:
            a = adapter(o.table.project.name, o.table.project.year, project, t.project.year, groups, first_word)
            if a.pairs and a.apply(name) != name and similar(a.apply(name), ind.name):
                cases.append(Case("adaptation hit@5", {**base, "query": ""}, ind.name, 5))
                break
    return cases


def run_in_process(entries) -> Tally:
    tally = Tally()
    for held in entries:
        others = [e for e in entries if e is not held]
        engine = Engine.build(build_from_entries(others))
        for case in cases_for(held, others):
            texts = [s.text for s in engine.suggest(**case.query, k=case.k)]
            tally.add(case, texts, held.table.project.name)
    return tally


def run_via_cli(entries) -> Tally:
    tally = Tally()
    for held in entries:
        others = [e for e in entries if e is not held]
        with tempfile.TemporaryDirectory() as tmp:
            for e in others:
                shutil.copy(e.path, Path(tmp) / e.path.name)
            cases = cases_for(held, others)
            batch = Path(tmp) / "batch.jsonl"
            batch.write_text("".join(json.dumps({**c.query, "k": c.k}, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
            out = subprocess.run(
                [sys.executable, "-m", "assistant", "--knowledge", tmp, "suggest", "--batch", str(batch), "--json"],
                capture_output=True, text=True, check=True,
            ).stdout.splitlines()
            for case, line in zip(cases, out, strict=True):
                tally.add(case, [s["text"] for s in json.loads(line)], held.table.project.name)
    return tally


def report(tally: Tally, label: str, verbose: bool) -> bool:
    print(f"\nsuggest_quality ({label}), leave-one-out over {15} bundled tables")
    print(f"{'metric':<18}{'rows':>6}{'hits':>6}{'score':>8}{'target':>8}  ok")
    ok = True
    for metric, target in TARGETS.items():
        n, h = tally.total.get(metric, 0), tally.hits.get(metric, 0)
        score = h / n if n else 0.0
        ok &= score >= target
        print(f"{metric:<18}{n:>6}{h:>6}{score:>8.3f}{target:>8.2f}  {'yes' if score >= target else 'NO'}")
    if verbose:
        print("\nmisses:")
        for m in tally.misses:
            print("  " + m)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--via-cli", action="store_true", help="also run the protocol through `jixiao suggest --batch`")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    args = parser.parse_args()
    entries = load_corpus(bundled_knowledge()).entries
    ok = report(run_in_process(entries), "engine", args.verbose)
    if args.via_cli:
        ok &= report(run_via_cli(entries), "jixiao suggest --batch", args.verbose)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
