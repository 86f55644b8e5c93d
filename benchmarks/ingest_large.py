"""Large inputs for `ingest` (issue 11 item 6): time and peak memory, each case in a fresh process.

    uv run python -m benchmarks.ingest_large [--mb 90]

Cases: a text of --mb MB (the seed's text repeated), a PDF of 300 ruled-table pages, a workbook of 50 sheets.
Peak memory is the child's maximum resident set size (ru_maxrss), reported with the input size and the ratio
(target: under 5x the input for the large text), and the same for an empty run (the interpreter and imports).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=90)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests import render
    from tests.seed_tables import seed

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seed_text = (ROOT / "knowledge" / "sources" / "000_6fd7b1efaf4173b4.txt").read_bytes()
        big = folder / "big.txt"
        big.write_bytes(seed_text * (args.mb * (1 << 20) // len(seed_text)))
        pdf = folder / "big.pdf"
        pdf.write_bytes(render.pdf_bytes([seed(n % 15 + 1) for n in range(300)]))
        book = folder / "fifty.xlsx"
        book.write_bytes(render.xlsx_bytes([seed(n % 15 + 1) for n in range(50)]))
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
    del resource, time


if __name__ == "__main__":
    main()
