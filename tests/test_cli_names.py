"""File names that are not UTF-8 (GBK bytes from a Windows share) never crash a command (issue 16, case 5)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.safetext import path_text

from .seed_tables import seed_path

pytestmark = pytest.mark.skipif(os.name == "nt" or sys.platform == "darwin", reason="bytes file names are POSIX")

GBK_NAME = "2025年村委会办公经费.toml".encode("gbk")


@pytest.fixture
def gbk_file(tmp_path) -> Path:
    target = os.path.join(os.fsencode(tmp_path), GBK_NAME)
    shutil.copy(seed_path(1), target)
    return Path(os.fsdecode(target))


def jixiao(*argv: object, encoding: str = "utf-8:strict") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    args = [sys.executable, "-m", "assistant", *map(str, argv)]
    return subprocess.run(
        [os.fsencode(a) if isinstance(a, str) else a for a in args],
        capture_output=True, text=True, encoding="utf-8", errors="replace", env=env, timeout=120,
    )


def test_path_text_decodes_gbk_names_and_escapes_the_rest():
    assert path_text(os.fsdecode(GBK_NAME)) == "2025年村委会办公经费.toml"
    assert path_text(os.fsdecode(b"a\xff.toml")) == "a\\xff.toml"
    assert path_text("普通名称.toml") == "普通名称.toml"


@pytest.mark.parametrize("encoding", ["utf-8:strict", "ascii:strict"])
def test_check_export_renew_with_a_gbk_name(gbk_file, tmp_path, encoding):
    checked = jixiao("check", gbk_file, encoding=encoding)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr  # 表1 has one real error
    exported = jixiao("export", gbk_file, "-o", tmp_path / "out.md", encoding=encoding)
    assert exported.returncode == 0 and "Traceback" not in exported.stderr
    renewed = jixiao("renew", gbk_file, "--year", 2025, "-o", tmp_path / "next.toml", encoding=encoding)
    assert renewed.returncode == 0, renewed.stderr
    assert 'document = "2025年村委会办公经费.toml"' in (tmp_path / "next.toml").read_text(encoding="utf-8")
