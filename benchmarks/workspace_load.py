"""Time to load the drafting workspace (engine, jieba, corpus tables) with a large user corpus: the time from
start to the first suggestions, less drawing the screen. Each load runs in a fresh process.

    uv run python -m benchmarks.workspace_load [--user-tables 5000] [--runs 3]

The first load builds the caches; the later ones are warm starts, where only a stat per corpus file is due.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

_LOAD = (
    "import time; t = time.perf_counter(); "
    "from assistant.drafting import workspace; ws = workspace.load(); "
    "print(time.perf_counter() - t, len(ws.corpus_tables))"
)


def once(env: dict[str, str]) -> tuple[float, int]:
    done = subprocess.run([sys.executable, "-c", _LOAD], env={**os.environ, **env}, capture_output=True, text=True, check=True)
    seconds, tables = done.stdout.split()
    return float(seconds), int(tables)


def main() -> int:
    parser = argparse.ArgumentParser(description="workspace load benchmark")
    parser.add_argument("--user-tables", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from benchmarks.synthetic import user_home

    with tempfile.TemporaryDirectory() as tmp:
        env, written = user_home(tmp, args.user_tables)
        cold, count = once(env)
        warm = [once(env)[0] for _ in range(args.runs)]
    print(f"corpus: {count} tables ({written} in the user's folder)")
    print(f"first load (caches built): {cold:.2f} s")
    print(f"warm loads: median {statistics.median(warm):.2f} s, worst {max(warm):.2f} s (of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
