"""How long the loader takes to refuse parser-exhausting input (moved here from tests/test_cli_hostile.py).

    uv run python -m benchmarks.hostile_input

Each case must end in a TableFileError naming its line; target: well under 1 s each (the test suite
only checks the message and line, since timing on a shared machine is not a test).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from assistant import tomlio

CASES = {
    "nested-arrays": "schema = 1\nv = " + "[" * 5000 + "]" * 5000 + "\n",
    "nested-tables": "schema = 1\n\nv = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n",
    "dotted-key": "schema = 1\n" + "a" + ".a" * 50000 + " = 1\n",
    "dotted-header": "[" + ".".join(["a"] * 50000) + "]\n",
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in CASES.items():
            path = Path(tmp) / f"{name}.toml"
            path.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            try:
                tomlio.load(path)
                outcome = "loaded (unexpected)"
            except tomlio.TableFileError as exc:
                outcome = f"refused at line {exc.line}"
            print(f"{name:14} {time.perf_counter() - started:7.3f} s  {outcome}")


if __name__ == "__main__":
    main()
