"""The bundled corpus is what our own ingest makes of the bundled source: it can never drift."""

from __future__ import annotations

from assistant import cli
from assistant.paths import bundled_knowledge


def test_reingest_equals_committed_files(tmp_path, capsys):
    knowledge = bundled_knowledge()
    sources = sorted((knowledge / "sources").glob("*.txt"))
    assert sources, "knowledge/sources holds the seed text"
    assert cli.main(["ingest", *map(str, sources), "-o", str(tmp_path)]) == 0
    committed = {p.name: p.read_bytes() for p in (knowledge / "tables").glob("*.toml")}
    produced = {p.name: p.read_bytes() for p in tmp_path.glob("*.toml")}
    assert sorted(produced) == sorted(committed)
    for name, data in produced.items():
        assert data == committed[name], f"knowledge/tables/{name} differs from a fresh ingest: re-run ingest"


def test_every_table_records_its_source():
    from assistant import tomlio

    tables = [tomlio.load(p) for p in sorted((bundled_knowledge() / "tables").glob("*.toml"))]
    assert sorted(t.source.table for t in tables) == list(range(1, 16))
    assert {t.source.document for t in tables} == {"000_6fd7b1efaf4173b4.txt"}
