"""The core never imports Textual or Rich (STYLE.md: harlequin's import-linter contract and import-hygiene test)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib

import assistant
from tests.conftest import ROOT

SHELLS = {"assistant.tui", "assistant.cli", "assistant.commands", "assistant.__main__"}  # may use Rich; only tui Textual


def _contracts() -> list[dict]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]["contracts"]


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(assistant.__path__, "assistant."))


def test_import_linter_contracts_are_kept():
    code = "import sys\nfrom importlinter.cli import lint_imports\nsys.exit(lint_imports(no_cache=True))\n"
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_every_module_is_under_a_contract():
    """A new core module cannot slip past the contract: it is listed there, or it is one of the shells."""
    core = set(_contracts()[0]["source_modules"])
    loose = [m for m in _modules() if not any(m == p or m.startswith(p + ".") for p in core | SHELLS)]
    assert loose == [], f"add these to the first [[tool.importlinter.contracts]] in pyproject.toml: {loose}"


def test_no_core_module_loads_textual_or_rich():
    """Every module outside the TUI, imported in a fresh interpreter, leaves textual/rich out of sys.modules."""
    modules = [m for m in _modules() if not m.startswith("assistant.tui") and m != "assistant.__main__"]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "core_bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual' or m.startswith('assistant.tui'))\n"
        "print(core_bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip()
    assert out == "[]"
    core = [m for m in modules if not any(m == s or m.startswith(s + ".") for s in SHELLS)]
    code = (
        "import importlib, sys\n"
        f"for m in {core!r}:\n"
        "    importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip()
    assert out == "[]"
