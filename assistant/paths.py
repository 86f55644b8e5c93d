"""Where jixiao's files live. Core module: no Textual."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_knowledge() -> Path:
    """The bundled `knowledge/` folder: beside the package in a checkout, inside it in a wheel."""
    for candidate in (_PACKAGE.parent / "knowledge", _PACKAGE / "_knowledge"):
        if (candidate / "framework.toml").is_file():
            return candidate
    return _PACKAGE.parent / "knowledge"
