"""Suggestion quality: leave-one-out over the bundled seed tables (issue 4) and a foreign-project run (issue 13).

Seed: each of the 15 seed tables is drafted with the rest of the bundled corpus (the other 14, the other
units' tables) and the indicator library. For rows whose wording (>= 0.9 similar)
exists in another table: hit@5 and hit@1 given only the project name and 二级, hit@5 with the first two
characters typed, and value hit@3 given the wording (value+funding hit@3: also given the table's funding and
the rows drafted before it, as the dialogue passes them; in-process only). For rows that exist only with another subject
(村干部 <-> 社区干部 …): adaptation hit@5. A hit is a suggestion >= 0.9 similar to the real wording
(values: equal after normalisation).

Foreign: each table of another unit and sector (knowledge/tables/other-units) is drafted with the bundled
corpus minus it and the library minus the rows citing it (or a table published beside it), given its name, goal and year as a user would type them. useful@5: a top-5 wording with
rapidfuzz ratio >= 60 to the real one, nothing typed; typed2@5: the same with its first two characters
typed; unit@3: a value of the real value's shape (and unit) in the top 3, given the wording; harm: lists
(nothing typed) whose top 5 are all corpus rows of another sector (sectors labelled by hand below).

    uv run python -m benchmarks.suggest_quality            # in-process engine
    uv run python -m benchmarks.suggest_quality --via-cli  # the seed protocol also through `jixiao suggest --batch`
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
from assistant.library import load_library
from assistant.paths import bundled_knowledge, bundled_library
from assistant.segment import first_word
from assistant.suggest import Engine, normalise
from assistant.units import same_shape

TARGETS = {"hit@5": 0.94, "hit@1": 0.63, "typed hit@5": 1.00, "value hit@3": 0.77, "value+funding hit@3": 0.77,
           "adaptation hit@5": 0.50}
FOREIGN_TARGETS = {"useful@5": 0.50, "typed2@5": 0.70, "unit@3": 0.70, "harm": 0.10}  # harm: at most
# Each bundled table's sector, labelled by hand (not by the engine's inference): the seed is one township's
# cadre pay and office tables.
SECTORS = {
    "anhui-huaibei-nongcunwenhua-2025": "culture",
    "hubei-huangshi-dangxiao-zhutiban-2022": "party-school",
    "hunan-nanyue-zichanshouyi-2018": "agriculture",
    "hunan-xiangtan-huanwei-2023": "environment",
    "hunan-yueyang-gaobiaozhunnongtian-2022": "agriculture",
    "sichuan-guangyuan-zhaohua-tekunfuzhu-2021": "civil-affairs",
}


def sector_of(path) -> str:
    return SECTORS.get(Path(path).stem, "grassroots")


def is_seed(entry) -> bool:
    return entry.path.parent.name == "tables"


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
                value = {"field": "value", "name": ind.name, "level2": ind.level2, "project": project, "query": ""}
                cases.append(Case("value hit@3", value, ind.value, 3))
                # As the dialogue asks: with the table's funding and the rows drafted before (a 成本 standard
                # may be derived from them). In-process only: `jixiao suggest` takes neither.
                drafted = [(i.level2, i.name, i.value) for i in t.indicators[:n]]
                cases.append(Case("value+funding hit@3", {**value, "funding": t.funding.total, "rows": drafted}, ind.value, 3))
            continue
        for o, name in other_names:
            a = adapter(o.table.project.name, o.table.project.year, project, t.project.year, groups, first_word)
            if a.pairs and a.apply(name) != name and similar(a.apply(name), ind.name):
                cases.append(Case("adaptation hit@5", {**base, "query": ""}, ind.name, 5))
                break
    return cases


def run_in_process(entries, library) -> Tally:
    tally = Tally()
    for held in (e for e in entries if is_seed(e)):
        others = [e for e in entries if e is not held]
        engine = Engine.build(build_from_entries(others), library=library)
        for case in cases_for(held, others):
            texts = [s.text for s in engine.suggest(**case.query, k=case.k)]
            tally.add(case, texts, held.table.project.name)
    return tally


def run_via_cli(entries) -> Tally:
    tally = Tally()
    for held in (e for e in entries if is_seed(e)):
        others = [e for e in entries if e is not held]
        with tempfile.TemporaryDirectory() as tmp:
            for e in others:
                shutil.copy(e.path, Path(tmp) / e.path.name)
            cases = [c for c in cases_for(held, others) if "funding" not in c.query]  # the CLI takes no funding
            batch = Path(tmp) / "batch.jsonl"
            batch.write_text("".join(json.dumps({**c.query, "k": c.k}, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
            out = subprocess.run(
                [sys.executable, "-m", "assistant", "--knowledge", tmp, "suggest", "--batch", str(batch), "--json"],
                capture_output=True, text=True, check=True,
            ).stdout.splitlines()
            for case, line in zip(cases, out, strict=True):
                tally.add(case, [s["text"] for s in json.loads(line)], held.table.project.name)
    return tally


def typed_start(wording: str) -> str:
    """The first two characters a user types for a wording: a template's leading marker (*资产股权年收益率,
    ★★★受益…) is not typed, the words after it are."""
    return wording.lstrip("*＊★☆ ")[:2]


def useful(a: str, b: str) -> bool:
    return fuzz.ratio(normalise(a), normalise(b)) >= 60


def _batch(url: str) -> str:
    """A URL without its last segment: the folder a site publishes one batch of tables in."""
    return url.rsplit("/", 1)[0] if url.count("/") > 3 else url


def without_citing(library, url: str):
    """The library without the rows that cite the held table itself (they would be copied answers), nor its
    siblings published in the same folder (the same unit's tables of that year share their wording)."""
    import tomllib
    from dataclasses import replace

    titles = set()
    for path in sorted(bundled_library().glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        titles |= {s["title"] for s in data.get("sources", []) if s.get("url") and _batch(s["url"]) == _batch(url)}
    return replace(library, indicators=tuple(i for i in library.indicators if i.source not in titles))


def run_foreign(entries, library, verbose: bool) -> bool:
    """Each other unit's table drafted with the rest of the bundled corpus and the library minus the rows
    citing that table; prints hits and rows per metric."""
    hits: dict[str, list[int]] = {m: [0, 0] for m in FOREIGN_TARGETS}
    misses = []
    for held in (e for e in entries if not is_seed(e)):
        others = [e for e in entries if e is not held]
        own_library = without_citing(library, held.table.source.document)
        engine = Engine.build(build_from_entries(others), library=own_library)
        t = held.table
        mine = sector_of(held.path)
        ctx = {"project": t.project.name, "goal": t.project.goal, "year": t.project.year}
        for n, ind in enumerate(t.indicators):
            before = [i.name for i in t.indicators[:n]]
            base = {**ctx, "field": "name", "level2": ind.level2, "exclude": before}
            blank = engine.suggest("", **base, k=5)
            typed = engine.suggest(typed_start(ind.name), **base, k=5)
            got = {
                "useful@5": any(useful(s.text, ind.name) for s in blank),
                "typed2@5": any(useful(s.text, ind.name) for s in typed),
                "harm": bool(blank) and all(s.source is not None and sector_of(s.source.file) != mine for s in blank),
            }
            if ind.value:
                drafted = [(i.level2, i.name, i.value) for i in t.indicators[:n]]  # as the dialogue passes them
                values = engine.suggest("", **ctx, field="value", name=ind.name, level2=ind.level2, k=3,
                                        funding=t.funding.total, rows=drafted)
                got["unit@3"] = any(same_shape(s.text, ind.value) for s in values)
                if not got["unit@3"]:
                    misses.append(f"unit@3    {t.project.name} 「{ind.name}」={ind.value} got {[s.text for s in values]}")
            for metric, hit in got.items():
                hits[metric][0] += hit
                hits[metric][1] += 1
            if not got["useful@5"]:
                misses.append(f"useful@5  {t.project.name} 「{ind.name}」 got {[s.text for s in blank]}")
            if not got["typed2@5"]:
                misses.append(f"typed2@5  {t.project.name} 「{ind.name}」({typed_start(ind.name)}) got {[s.text for s in typed]}")
            if got["harm"]:
                misses.append(f"harm      {t.project.name} {ind.level2} got {[s.text for s in blank]}")
    print(f"\nsuggest_quality (engine), foreign projects: {sum(not is_seed(e) for e in entries)} tables of other units")
    print(f"{'metric':<18}{'rows':>6}{'hits':>6}{'score':>8}{'target':>8}  ok")
    ok = True
    for metric, target in FOREIGN_TARGETS.items():
        h, n = hits[metric]
        score = h / n if n else 0.0
        good = score <= target if metric == "harm" else score >= target
        ok &= good
        bound = "<=" if metric == "harm" else ">="
        print(f"{metric:<18}{n:>6}{h:>6}{score:>8.3f}{bound:>4}{target:>4.2f}  {'yes' if good else 'NO'}")
    if verbose:
        print("\nmisses:")
        for m in misses:
            print("  " + m)
    return ok


def report(tally: Tally, label: str, verbose: bool) -> bool:
    print(f"\nsuggest_quality ({label}), leave-one-out over the 15 bundled seed tables")
    print(f"{'metric':<18}{'rows':>6}{'hits':>6}{'score':>8}{'target':>8}  ok")
    ok = True
    for metric, target in TARGETS.items():
        if metric not in tally.total:
            continue
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
    library = load_library(bundled_library())
    print(f"corpus: {len(entries)} bundled tables; library: {len(library.indicators)} rows in {len(library.sectors)} sectors")
    ok = report(run_in_process(entries, library), "engine", args.verbose)
    if args.via_cli:
        ok &= report(run_via_cli(entries), "jixiao suggest --batch", args.verbose)
    ok &= run_foreign(entries, library, args.verbose)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
