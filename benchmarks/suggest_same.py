"""A fixed query batch for checking that a speed change leaves every answer as it was.

    uv run python -m benchmarks.suggest_same --corpus DIR [--queries 2500] --out before.jsonl
    ... change the engine ...
    uv run python -m benchmarks.suggest_same --corpus DIR --out after.jsonl --against before.jsonl

The batch is drafting sessions as benchmarks/suggest_speed.py makes them (the empty query, the query as it is
typed in 汉字 or pinyin initials, the value step), varied with what the speed batch leaves out: a goal, a budget
year, wording already in the draft (exclude), typed values, project and goal fields, and no 二级. It runs through
`jixiao --knowledge DIR suggest --batch FILE --json` in a fresh process; `--against` compares byte for byte and
names the first lines that differ.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.suggest_speed import _sample_tables, make_queries


def queries(corpus: Path, n: int, seed: int = 17) -> list[dict]:
    rng = random.Random(seed)
    tables = _sample_tables(corpus, 300, rng)
    by_project = {t.project.name: t for t in tables}
    out = []
    for q in make_queries(tables, n, rng):
        q = {k: v for k, v in q.items() if k != "first"}
        table = by_project[q["project"]]
        roll = rng.random()
        if roll < 0.2 and table.project.goal:
            q["goal"] = table.project.goal
        elif roll < 0.3:
            q["year"] = rng.choice((2023, 2025, 2026))
        elif roll < 0.4 and q["field"] == "name":
            q["exclude"] = [i.name for i in table.indicators[: rng.randint(1, 4)]]
        elif roll < 0.45 and q["field"] == "name":
            q.pop("level2")
        elif roll < 0.5 and q["field"] == "value":
            value = next((i.value for i in table.indicators if i.name == q["name"]), "")
            q["query"] = value[: rng.randint(1, 2)]
        elif roll < 0.53:
            q = {"field": rng.choice(("project", "goal")), "query": q["project"][: rng.randint(0, 3)]}
        out.append(q)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="same answers before and after a change")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=2500)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--against", type=Path, help="an earlier --out to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        batch.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries(args.corpus, args.queries)))
        cmd = [sys.executable, "-m", "assistant", "--knowledge", str(args.corpus), "suggest", "--batch", str(batch), "--json"]
        with args.out.open("w", encoding="utf-8") as fh:
            subprocess.run(cmd, stdout=fh, check=True)
        lines = batch.read_text().splitlines()
    got = args.out.read_text(encoding="utf-8").splitlines()
    print(f"{len(got)} answers written to {args.out}")
    if not args.against:
        return 0
    want = args.against.read_text(encoding="utf-8").splitlines()
    differ = [n for n, (a, b) in enumerate(zip(want, got)) if a != b]
    if len(want) != len(got):
        print(f"different number of answers: {len(want)} before, {len(got)} now")
    for n in differ[:5]:
        print(f"line {n + 1} differs: {lines[n]}\n  before {want[n][:300]}\n  now    {got[n][:300]}")
    print("identical" if not differ and len(want) == len(got) else f"{len(differ)} answers differ")
    return 0 if not differ and len(want) == len(got) else 1


if __name__ == "__main__":
    sys.exit(main())
