"""Word segmentation (jieba) and pinyin (pypinyin), loaded once and lazily.

jieba's dictionary takes most of a second to load, so nothing here touches it at import time: the app
starts `warm_up()` in a worker and shows its first question at once; `ready()` says when it is done.
jieba's own logger is silenced (it prints "Building prefix dict…" over the screen otherwise) and its
cache goes to jixiao's cache folder instead of the shared temp directory.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
from collections.abc import Iterable
from functools import cache, lru_cache

from .paths import user_cache_dir

_lock = threading.Lock()
_jieba = None
_user_words: set[str] = set()

_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_YEARISH = re.compile(r"^\d+(年|年度|月|日)?$")
# Words that say nothing about what a project is: function words, and the funding channel that
# project names end with (…经费, …自治区补助资金), which would otherwise pair unrelated projects.
_STOP = frozenset(
    ["的", "和", "与", "及", "或", "等", "为", "在", "对", "了", "是", "将", "把", "被", "于", "以", "之", "其", "并", "各", "有", "中", "上", "下", "年", "月", "日", "个", "项", "元", "万元", "按照", "进一步", "经费", "资金", "补助", "补助资金", "专项", "专项资金", "项目", "自治", "自治区", "中央", "省级", "市级", "县级", "本级", "财政"]
)


def _load():
    global _jieba
    with _lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.CRITICAL + 1)  # also "Dump cache file failed" and its English traceback
            try:
                cache = user_cache_dir()
                cache.mkdir(parents=True, exist_ok=True)
                jieba.dt.tmp_dir = str(cache)
            except OSError:
                pass  # an unwritable cache only costs load time
            jieba.initialize()
            for word in sorted(_user_words):
                jieba.add_word(word, freq=20000)
            _jieba = jieba
    return _jieba


def add_words(words: Iterable[str]) -> None:
    """Domain terms (村干部, 两个中心, 满意度 …) that jieba must keep whole."""
    new = {w for w in words if len(w) >= 2}
    with _lock:
        fresh = new - _user_words
        _user_words.update(fresh)
        jieba = _jieba
    if jieba is not None:
        for word in sorted(fresh):
            jieba.add_word(word, freq=20000)
        tokens.cache_clear()


def warm_up() -> None:
    """Load jieba now (call from a background thread)."""
    _load()


def ready() -> bool:
    return _jieba is not None


def words(text: str) -> list[str]:
    """jieba's segmentation, as is."""
    return _load().lcut(text)


def is_word(text: str) -> bool:
    """Whether jieba's dictionary (with the domain words added) has the text as a word of its own."""
    return _load().dt.FREQ.get(text, 0) > 0


def first_word(text: str) -> str:
    """The first word of a text (for extending a one-character subject: 村 + 干部…)."""
    found = words(text)
    return found[0] if found else text[:2]


@lru_cache(maxsize=65536)  # every corpus table's name is asked for while ranking: keep them all
def tokens(text: str) -> tuple[str, ...]:
    """Content words of a text: jieba's search-mode words (a long word and the words inside it, so
    社区在职工作者 also gives 社区 and 工作者), without punctuation, numbers, years or function words."""
    words = _load().lcut_for_search(text)
    return tuple(w for w in words if _KEEP.search(w) and not _YEARISH.match(w) and w not in _STOP)


# ------------------------------------------------------------------------------------------ pinyin
@lru_cache(maxsize=1)
def _pypinyin():
    import pypinyin

    # Its dictionaries are some 200,000 small lists that never change: frozen out of the garbage collector's
    # way, else every full collection walks them (30 ms each, once the engine's state is in memory too).
    gc.freeze()
    return pypinyin


@lru_cache(maxsize=1)
def _pinyin_phrases():
    """pypinyin's own phrase segmentation: `lazy_pinyin(text)` reads each of these phrases on its own."""
    _pypinyin()
    from pypinyin.seg.simpleseg import seg

    return seg


@lru_cache(maxsize=65536)
def _phrase_syllables(phrase: str) -> tuple[str, ...]:
    """One phrase's syllables, as `lazy_pinyin` reads it inside any text (a list element that is all 汉字 is
    taken as one phrase): a corpus's texts share their phrases, so a cold build reads each phrase once."""
    py = _pypinyin()
    return tuple(py.lazy_pinyin([phrase], style=py.Style.NORMAL))


@cache
def _initials_of(ch: str) -> tuple[str, ...]:
    """Every initial letter a 汉字 can be read with (长: z, c)."""
    py = _pypinyin()
    readings = py.pinyin(ch, style=py.Style.NORMAL, heteronym=True)[0]
    return tuple(dict.fromkeys(r[0] for r in readings if r))


def pinyin_keys(text: str) -> tuple[str, str, str]:
    """(full pinyin, initials, initials with each polyphone's other reading) of the 汉字 in text.

    The full pinyin keeps a space between syllables so matches can be held to syllable starts:
    "村委会个数" -> ("cun wei hui ge shu", "cwhgs", "cwkgs"); "长聘人员" -> ("zhang pin ren yuan", "zpry", "cpry").
    pypinyin's phrase dictionary picks the reading in context; the alternative covers its misses.
    Non-汉字 characters are dropped, so "2024年" gives "nian".
    """
    hanzi = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
    if not hanzi:
        return "", "", ""
    py = _pypinyin()
    syllables = [s for phrase in _pinyin_phrases()(hanzi) for s in _phrase_syllables(phrase)]
    if len(syllables) != len(hanzi):  # never expected; keep the keys aligned with the text regardless
        syllables = [py.lazy_pinyin(ch)[0] for ch in hanzi]
    initials = "".join(s[0] for s in syllables)
    alt = "".join(
        next((i for i in _initials_of(ch) if i != first), first) for ch, first in zip(hanzi, initials)
    )
    return " ".join(syllables), initials, alt
