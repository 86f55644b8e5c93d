"""The value step's letters test: it may skip asking an adapter (and reading a table) only where no adapter could
turn a similar wording into the asked one. Checked against the real adapters between the bundled tables' names."""

from __future__ import annotations

import itertools
import random
import re

from assistant import segment
from assistant.adapt import adapter, subject_groups
from assistant.corpus import load_corpus
from assistant.paths import bundled_knowledge
from assistant.suggest.engine import _chars, _could_read_as, _spliced
from assistant.suggest.text import apply, normalise


def _possible(norm: str, key: str, project: str) -> bool:
    return _could_read_as(norm, key, _chars(project)) and _spliced(norm, key, project)


def test_every_adaptation_between_bundled_tables_passes_the_letters_test():
    tables = [e.table for e in load_corpus(bundled_knowledge()).entries]
    groups = subject_groups()
    changed = 0
    for source, drafted in itertools.permutations(tables, 2):
        for year in (drafted.project.year, None):
            a = adapter(source.project.name, source.project.year, drafted.project.name, year, groups, segment.first_word)
            if not a:
                continue
            for row in source.indicators:
                for text in (row.name, row.value, source.project.name + row.name):
                    norm = normalise(text)
                    key = normalise(apply(a, norm))
                    if key != norm:
                        changed += 1
                        assert _possible(norm, key, drafted.project.name), (source.project.name, drafted.project.name, norm, key)
    assert changed > 50  # the bundled names do adapt into each other


def test_letters_test_rejects_what_no_adapter_can_do():
    project = "2024年头闸镇社区干部任职补贴"
    # A qualifier before and a word after: no replacement puts 保 first.
    assert not _possible("专项保障社区干部人数工作", "保障社区干部人数", project)
    # A letter neither wording nor the drafted name has.
    assert not _possible("村干部任职补贴发放率", "村干部任职补贴及时率", project)
    # The subject swapped for the drafted one is possible; so is a year moved (digits only).
    assert _possible("保障村干部人数", "保障社区干部人数", project)
    assert _possible("2023年补贴发放率", "2024年补贴发放率", project)
    # Without a drafted name only years move.
    assert not _possible("村干部人数", "社区干部人数", "")


def test_names_of_other_characters_and_long_wording_are_left_to_the_adapter():
    assert _spliced("村干部x", "社区干部x", "2024年社区干部补贴(试点)")
    assert _spliced("社" * 3000, "社区干部" * 40, "2024年社区干部")


def _by_regex(norm: str, key: str, core: str) -> bool:
    """The splice condition written out: `key` with each run of the drafted name's letters as `.*` matches the
    whole wording (a replacement puts such a run in place of any stretch, an empty one included)."""
    pattern = "".join(".*" if c in core else re.escape(c) for c in key)
    return re.fullmatch(re.sub(r"(\.\*)+", ".*", pattern), norm) is not None


def test_splice_condition_is_exactly_runs_in_place_of_stretches():
    rng = random.Random(7)
    for _ in range(20_000):
        core = "".join(rng.choice("甲乙丙") for _ in range(rng.randint(1, 3)))
        norm = "".join(rng.choice("甲乙丙丁戊") for _ in range(rng.randint(0, 6)))
        key = "".join(rng.choice("甲乙丙丁戊") for _ in range(rng.randint(0, 6)))
        assert _spliced(norm, key, "2024年" + core) == _by_regex(norm, key, core), (norm, key, core)
