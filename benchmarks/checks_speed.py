"""How long `run_checks` takes per table: the dialogue runs it after every answer, so it must stay far below a keystroke.

    uv run python -m benchmarks.checks_speed [--rounds 20]

Runs every rule (with the bundled corpus for the corpus rules) over the 15 bundled tables and the real tables
of other units in tests/data/real, and prints the mean and worst time per table. Target: mean < 20 ms.
(Moved here from tests/test_checks_seed.py: speed is measured, not asserted in tests.)
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from assistant import tomlio
from assistant.checks import run_checks
from assistant.paths import bundled_knowledge

TARGET_MS = 20.0


def _tables() -> list:
    paths = sorted((bundled_knowledge() / "tables").glob("*.toml"))
    paths += sorted((Path(__file__).resolve().parent.parent / "tests" / "data" / "real").glob("*.toml"))
    return [tomlio.load(p) for p in paths]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    tables = _tables()
    corpus = tables[:15]
    times: list[float] = []
    for _ in range(args.rounds):
        for table in tables:
            start = time.perf_counter()
            run_checks(table, corpus_tables=corpus)
            times.append((time.perf_counter() - start) * 1000)
    mean = statistics.fmean(times)
    print(f"run_checks over {len(tables)} tables × {args.rounds} rounds: mean {mean:.2f} ms, "
          f"p95 {sorted(times)[int(0.95 * (len(times) - 1))]:.2f} ms, worst {max(times):.2f} ms (target: mean < {TARGET_MS:g} ms)")
    return 0 if mean < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
