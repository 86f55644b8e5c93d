"""jieba and pypinyin: lazy, quiet, cached where the app expects."""

from __future__ import annotations

import subprocess
import sys

from assistant.segment import add_words, pinyin_keys, tokens


def test_importing_the_engine_does_not_load_jieba():
    code = "import sys, assistant.suggest, assistant.commands.suggest; print('jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_jieba_is_silent_and_caches_in_our_folder(tmp_path):
    code = (
        "from assistant import segment; segment.warm_up(); print(segment.ready());"
        "import jieba; print(jieba.dt.tmp_dir)"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    ready, folder = proc.stdout.split()
    assert ready == "True" and folder == str(tmp_path / "jixiao")
    assert proc.stderr == ""  # no "Building prefix dict…" over the screen


def test_tokens_drop_years_function_words_and_funding_channel():
    add_words(["村级组织"])  # as loading the corpus does (index.words); alone, jieba splits it: order-independent
    assert set(tokens("2024年村级组织办公经费自治区补助资金")) == {"村级", "组织", "村级组织", "办公"}
    assert "两个" in tokens("2024年乡镇“两个中心”运行费")


def test_pinyin_keys():
    assert pinyin_keys("村委会个数") == ("cun wei hui ge shu", "cwhgs", "cwkgs")
    full, initials, alt = pinyin_keys("长聘人员")
    assert {initials[0], alt[0]} == {"c", "z"}
    assert pinyin_keys("2024") == ("", "", "")
