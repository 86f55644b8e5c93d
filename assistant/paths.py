"""Where jixiao's files live (SPEC section 2). Core module: no Textual."""

from __future__ import annotations

from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent
APP = "jixiao"


def bundled_knowledge() -> Path:
    """The bundled `knowledge/` folder: beside the package in a checkout, inside it in a wheel."""
    for candidate in (_PACKAGE.parent / "knowledge", _PACKAGE / "_knowledge"):
        if (candidate / "framework.toml").is_file():
            return candidate
    return _PACKAGE.parent / "knowledge"


def user_data_dir() -> Path:
    """Drafts and the user's own tables (`$XDG_DATA_HOME/jixiao`, `%LOCALAPPDATA%\\jixiao`)."""
    return platformdirs.user_data_path(APP, appauthor=False)


def user_knowledge_dir() -> Path:
    """The user's own corpus: saved tables, and tables dropped here by hand."""
    return user_data_dir() / "knowledge"


def user_cache_dir() -> Path:
    """Rebuildable caches: the corpus index, jieba's dictionary cache."""
    return platformdirs.user_cache_path(APP, appauthor=False)


def bundled_library() -> Path:
    """The bundled indicator library (`knowledge/library/`): one TOML file per sector plus generic.toml."""
    return bundled_knowledge() / "library"
