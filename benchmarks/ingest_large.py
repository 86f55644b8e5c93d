"""Large inputs for `ingest` (issue 11 item 6): time and peak memory, each case in a fresh process.

    uv run python -m benchmarks.ingest_large [--mb 90]

Cases: a text of --mb MB (the seed's text repeated), a PDF of 300 ruled-table pages, a workbook of 50 sheets.
Peak memory is the child's maximum resident set size (ru_maxrss), reported with the input size and the ratio
(target: under 5x the input for the large text), and the same for an empty run (the interpreter and imports).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import sys, time, resource
from assistant.ingest import parse_file
path = sys.argv[1]
t = time.perf_counter()
result = parse_file(path) if path != "-" else None
print(len(result.tables) if result else 0, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(path: str) -> tuple[int, float, int]:
    out = subprocess.run([sys.executable, "-c", CHILD, path], capture_output=True, text=True, check=True, cwd=ROOT)
    tables, seconds, kib = out.stdout.split()
    return int(tables), float(seconds), int(kib) << 10


MAKE = """
import sys
from pathlib import Path
from tests import render
from tests.seed_tables import seed
folder, mb = Path(sys.argv[1]), int(sys.argv[2])
seed_text = Path("knowledge/sources/000_6fd7b1efaf4173b4.txt").read_bytes()
(folder / "big.txt").write_bytes(seed_text * (mb * (1 << 20) // len(seed_text)))
(folder / "big.pdf").write_bytes(render.pdf_bytes([seed(n % 15 + 1) for n in range(300)]))
(folder / "fifty.xlsx").write_bytes(render.xlsx_bytes([seed(n % 15 + 1) for n in range(50)]))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=90)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # Inputs are made in another process: Linux keeps a parent's peak memory in a forked child's ru_maxrss.
        subprocess.run([sys.executable, "-c", MAKE, tmp, str(args.mb)], check=True, cwd=ROOT)
        big, pdf, book = folder / "big.txt", folder / "big.pdf", folder / "fifty.xlsx"
        _, _, base = measure("-")
        print(f"empty run (interpreter + imports): {base / 2**20:.0f} MB")
        print("| input | size | tables | time | peak memory | peak / size | (peak - empty) / size |")
        print("|---|---|---|---|---|---|---|")
        for label, path in (("text", big), ("PDF, 300 pages", pdf), ("workbook, 50 sheets", book)):
            size = path.stat().st_size
            tables, seconds, peak = measure(str(path))
            print(
                f"| {label} | {size / 2**20:.1f} MB | {tables} | {seconds:.1f} s | {peak / 2**20:.0f} MB "
                f"| {peak / size:.1f}x | {(peak - base) / size:.1f}x |"
            )


if __name__ == "__main__":
    main()
