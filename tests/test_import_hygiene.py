"""The core never imports Textual (STYLE.md: harlequin's import-hygiene test)."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "assistant.model",
    "assistant.framework",
    "assistant.textnorm",
    "assistant.tomlio",
    "assistant.ingest",
    "assistant.filenames",
    "assistant.cli",
    "assistant.commands.ingest",
]


def test_core_imports_no_textual():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich') or m.startswith('assistant.tui'))\n"
        + "loaded = [m for m in " + repr(CORE) + " if m in sys.modules]\n"
        + "print(len(loaded), bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == f"{len(CORE)} []"
