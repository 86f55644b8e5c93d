"""`jixiao ingest` over folders and into the user's own corpus (--corpus): summary, de-duplication by content,
`[source]` naming where each table came from, and `suggest` using what was added."""

from __future__ import annotations

import json
import shutil

from assistant import cli, tomlio
from assistant.paths import user_knowledge_dir

from . import render
from .conftest import DATA, SEED
from .seed_tables import seed


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_folder_reads_every_supported_file_below_it(tmp_path, capsys):
    folder = tmp_path / "我的表"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(DATA / "real" / "anhui-huaibei-nongcunwenhua-2025.txt", folder / "a.txt")
    (folder / "sub" / "b.xlsx").write_bytes(render.xlsx_bytes([seed(5)]))
    (folder / "sub" / "c.docx").write_bytes(render.docx_bytes([seed(7)]))
    (folder / "notes.jpg").write_bytes(b"\xff\xd8\xff")  # not a table format: passed over
    code, out, err = run(capsys, "ingest", folder, "-o", tmp_path / "out", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert sorted(t["name"] for t in data["tables"]) == ["2024年村干部任职补贴", "2024年社区工作者任职补贴", "农村文化建设配套补助经费"]
    files = {t["name"]: tomlio.load(t["file"]).source.document for t in data["tables"]}
    assert files["2024年村干部任职补贴"] == "b.xlsx 工作表「表1」" and files["农村文化建设配套补助经费"] == "a.txt"


def test_corpus_adds_once_and_suggest_uses_it(tmp_path, capsys):
    real = DATA / "real" / "hunan-yueyang-gaobiaozhunnongtian-2022.txt"
    code, out, err = run(capsys, "ingest", real, "--corpus")
    assert code == 0, err
    written = sorted(user_knowledge_dir().glob("*.toml"))
    assert [p.name for p in written] == ["岳阳县2022年高标准农田建设项目.toml"]
    table = tomlio.load(written[0])
    assert table.source.document == real.name and table.source.table == 1

    # The same table from another file (a copy under another name, and as a workbook) is not added again.
    copy = tmp_path / "同一张表.txt"
    shutil.copy(real, copy)
    code, out, err = run(capsys, "ingest", copy, "--corpus")
    assert code == 0, err
    assert "已在语料中" in out and "未重复添加" in out
    assert len(list(user_knowledge_dir().glob("*.toml"))) == 1

    code, out, err = run(capsys, "suggest", "灌溉", "--json")
    assert code == 0, err
    hits = json.loads(out)
    assert any("灌溉" in h["text"] and h["source"]["project"] == "岳阳县2022年高标准农田建设项目" for h in hits)


def test_corpus_keeps_a_different_table_of_the_same_name(capsys):
    user_knowledge_dir().mkdir(parents=True)
    mine = user_knowledge_dir() / "2024年村委会办公经费.toml"
    mine.write_text("# 我自己的文件\n", encoding="utf-8")
    code, out, err = run(capsys, "ingest", SEED, "--corpus")
    assert code == 0, err
    assert mine.read_text(encoding="utf-8") == "# 我自己的文件\n"
    assert (user_knowledge_dir() / "2024年村委会办公经费-2.toml").exists()
    assert "共 15 张表，写入 15 个文件" in out


def test_corpus_and_output_together_is_bad_usage(tmp_path, capsys):
    code, _, err = run(capsys, "ingest", SEED, "--corpus", "-o", tmp_path)
    assert code == 2 and "--corpus 与 -o 不能同时使用" in err


def test_empty_folder_is_bad_usage(tmp_path, capsys):
    code, _, err = run(capsys, "ingest", tmp_path)
    assert code == 2 and "没有可导入的文件" in err


def test_progress_bar_only_on_a_terminal(tmp_path, capsys):
    """Without a terminal (tests, pipes, scripts) stderr carries only the problems, no bar."""
    code, _, err = run(capsys, "ingest", DATA / "formats" / "seed-15.pdf", "-o", tmp_path)
    assert code == 0
    assert err.strip() == "tests/data/formats/seed-15.pdf: 第1页：三级指标「群众满意度」没有指标值。".replace(
        "tests/data/formats/seed-15.pdf", str(DATA / "formats" / "seed-15.pdf")
    )


def test_corpus_goes_to_the_named_knowledge_folder(tmp_path, capsys):
    folder = tmp_path / "语料"
    code, out, err = run(capsys, "--knowledge", folder, "ingest", DATA / "layouts", "--corpus")
    assert code == 0, err
    assert len(list(folder.glob("*.toml"))) == 9  # 8 documents, one with two tables
    assert not user_knowledge_dir().exists()
    code, out, _ = run(capsys, "--knowledge", folder, "suggest", "保洁", "--json")
    assert any(h["source"]["project"] == "2024年城区环卫保洁服务" for h in json.loads(out))
