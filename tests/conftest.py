"""Shared fixtures. Tests never read ../shared: everything they need is in the repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.paths import bundled_knowledge

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEED = bundled_knowledge() / "sources" / "000_6fd7b1efaf4173b4.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_golden() -> list[dict]:
    """Golden regression: ingest's own output for the seed (not hand-checked; see tests/data/README.md)."""
    return json.loads((DATA / "seed_golden.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def entries():
    """The 15 bundled seed tables as corpus entries (not the other units' tables in tables/other-units)."""
    from assistant.corpus import load_corpus

    return [e for e in load_corpus(bundled_knowledge()).entries if e.table.source.document == SEED.name]


@pytest.fixture(scope="session")
def table5(entries):
    return next(e.table for e in entries if e.table.source.table == 5)


@pytest.fixture(scope="session")
def others(entries):
    """The 14 seed tables other than 表5: the corpus for drafting 表5."""
    return [e.table for e in entries if e.table.source.table != 5]


@pytest.fixture(scope="session")
def engine14(entries):
    from assistant.index import build_from_entries
    from assistant.suggest import Engine

    return Engine.build(build_from_entries([e for e in entries if e.table.source.table != 5]))


@pytest.fixture(scope="session")
def workspace14(entries, engine14):
    """What the production workspace loader hands over, for the 14 seed tables other than 表5 (no jieba load)."""
    from types import MappingProxyType

    from assistant.drafting import Workspace

    mine = [e for e in entries if e.table.source.table != 5]
    return Workspace(
        engine=engine14, corpus_tables=tuple(e.table for e in mine), by_path=MappingProxyType({str(e.path): e.table for e in mine})
    )


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user data and cache folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("JIXIAO_KNOWLEDGE", raising=False)


@pytest.fixture
def corpus(tmp_path):
    """The bundled tables copied into a folder of their own (a corpus the test may change)."""
    import shutil

    folder = tmp_path / "corpus"
    shutil.copytree(bundled_knowledge() / "tables", folder)
    return folder


@pytest.fixture
def files_parsed(monkeypatch) -> list[str]:
    """Names of the corpus files parsed while the test runs (index_store.read_entry calls, the real reader)."""
    from assistant import index_store

    seen: list[str] = []
    real = index_store.read_entry

    def counting(path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(index_store, "read_entry", counting)
    return seen
