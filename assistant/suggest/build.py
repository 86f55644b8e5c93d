"""Building the engine's state from a corpus index and the indicator library (the cold path)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import lru_cache

from ..adapt import core_name, subject_groups
from ..corpus import source_kinds
from ..index import CorpusIndex
from ..library import GENERIC, Library
from ..sector import infer_sectors
from ..segment import pinyin_keys
from .pool import pool_state
from .state import FORMAT, EngineState, LibraryState
from .text import normalise

POSTINGS = 200  # BM25 postings kept per word (the heaviest): enough to find the top tables
# Values kept per wording. A province's corpus writes a common wording (补贴标准) with thousands of different
# figures, each once or twice; the value step weighs every kept one for every list it makes, and only the most
# used can be among the ten shown.
VALUES_KEPT = 100
_SLOT = re.compile(r"\{[^{}]*\}")


def _most_used(stats: dict[tuple[str, int], list[int]]) -> list[tuple[str, int, int]]:
    """A wording's (value, count, table) rows, one per value and year, of its VALUES_KEPT most used values (over
    all years; ties: the first written), in the order first written."""
    rows = [(v, c, t) for (v, _), (c, t) in stats.items()]
    if len(rows) <= VALUES_KEPT:
        return rows
    used: Counter[str] = Counter()
    for v, c, _ in rows:
        used[v] += c
    if len(used) <= VALUES_KEPT:
        return rows
    kept = {v for v, _ in used.most_common(VALUES_KEPT)}  # (most_common keeps first-seen order among ties)
    return [r for r in rows if r[0] in kept]


def library_state(library: Library | None) -> LibraryState:
    rows = library.indicators if library else ()
    bare = [_SLOT.sub("", r.name) for r in rows]
    return LibraryState(
        sector=[r.sector for r in rows],
        level2=[r.level2 for r in rows],
        name=[r.name for r in rows],
        value=[r.value for r in rows],
        unit=[r.unit for r in rows],
        keywords=[list(r.keywords) for r in rows],
        source=[r.source for r in rows],
        norm=[normalise(b) for b in bare],
        initials=[pinyin_keys(b)[1] for b in bare],
        sectors=[(s.id, s.name, list(s.keywords)) for s in (library.sectors if library else ()) if s.id != GENERIC],
    )


def bm25(
    counts: list[Counter[str]], n: int, avg: float, df_of: Callable[[str, int], int] | None = None
) -> tuple[dict[str, list[tuple[int, float]]], dict[str, float]]:
    """BM25 postings (word -> (table, weight), heaviest first, the best POSTINGS) and idf of these tables' words.
    `n`, `avg` and `df_of(word, df here)` are the collection's: a whole corpus, or the overlay's (suggest/
    overlay.py weighs a few added tables against the stored corpus's statistics, so scores compare)."""
    k1, b = 1.2, 0.75
    lengths = [sum(c.values()) for c in counts]
    raw: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for t, c in enumerate(counts):
        for word, tf in c.items():
            raw[word].append((t, tf))
    # Subjects are adapted (村干部 -> 社区干部), so they say less about a table's wording than its kind
    # (任职补贴, 办公经费): words inside a subject term count for a third.
    subject_terms = [term for group in subject_groups() for term in group]
    postings, idf = {}, {}
    for word, plist in raw.items():
        df = df_of(word, len(plist)) if df_of else len(plist)
        weight = math.log(1 + (n - df + 0.5) / (df + 0.5))
        idf[word] = weight
        if any(word in term for term in subject_terms):
            weight /= 3
        weighted = [(t, weight * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[t] / avg))) for t, tf in plist]
        weighted.sort(key=lambda tw: (-tw[1], tw[0]))
        postings[word] = weighted[:POSTINGS]
    return postings, idf


def build_state(index: CorpusIndex, library: Library | None = None) -> EngineState:
    """Everything the engine derives from the corpus and the library, as plain data (cached)."""
    texts = index.texts
    pinyin = {texts[i]: keys for i, keys in index.pinyin.items()}
    n = len(index.tables)
    tables = [(t.file, t.name, t.year) for t in index.tables]
    lib = library_state(library)
    sector_keys = [(sid, kws) for sid, _, kws in lib.sectors]
    sectors_of = lru_cache(maxsize=None)(lambda name, goal: infer_sectors(name, goal, sector_keys))  # names repeat
    core: dict[str, list[int]] = defaultdict(list)
    for t, info in enumerate(index.tables):
        core[core_name(info.name)].append(t)

    # BM25 weights per (word, table), heaviest first, so a context is a few short loops.
    counts = [Counter(info.tokens) for info in index.tables]
    avg = (sum(sum(c.values()) for c in counts) / n) if n else 1.0
    groups = subject_groups()
    postings, idf = bm25(counts, n, avg)
    del counts  # a cold build's peak memory: what is no longer needed goes before the next part

    # Wording per (二级, text) and over all 二级; value statistics per wording and per 二级.
    per_key: dict[tuple[str, str], dict] = {}
    value_stats: dict[str, dict[tuple[str, int], list[int]]] = defaultdict(dict)
    level2_stats: dict[str, dict[tuple[str, int], list[int]]] = defaultdict(dict)
    level2_votes: dict[str, Counter[str]] = defaultdict(Counter)
    table_values: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    norms: dict[int, str] = {}
    for t, l2i, name_id, value_id in index.rows:
        l2, name, value, year = index.level2s[l2i], texts[name_id], texts[value_id], index.tables[t].year
        for key in ((l2, name), ("", name)):
            entry = per_key.get(key)
            if entry is None:  # (not setdefault: its default would build two Counters for every row)
                entry = per_key[key] = {"text": name, "tables": {}, "values": Counter(), "l2": Counter()}
            entry["tables"].setdefault(t, None)
            entry["l2"][l2] += 1
            if value:
                entry["values"][value] += 1
        norm = norms.get(name_id)
        if norm is None:
            norm = norms[name_id] = normalise(name)  # a wording is on many rows: normalised once
        level2_votes[norm][l2] += 1
        if value:
            table_values[t][l2].append(value)
            for stats in (value_stats[norm], level2_stats[l2]):
                entry = stats.setdefault((value, year), [0, t])
                entry[0] += 1
                if (year, -t) > (tables[entry[1]][2], -entry[1]):
                    entry[1] = t

    def item(entry: dict, level2: str | None) -> dict:
        ts = list(entry["tables"])
        newest = max(ts, key=lambda t: (tables[t][2], -t))
        values = entry["values"]
        value = max(values, key=lambda v: (values[v], v)) if values else None
        return {"text": entry["text"], "tables": ts, "level2": level2, "value": value, "newest": newest,
                "newest_year": tables[newest][2]}  # fmt: skip

    by_level2: dict[str, list[dict]] = defaultdict(list)
    merged: list[dict] = []
    for (l2, _), entry in per_key.items():
        if l2:
            by_level2[l2].append(item(entry, l2))
        else:
            merged.append(item(entry, entry["l2"].most_common(1)[0][0]))
    del per_key
    pools = {f"name:{l2}": pool_state(items, pinyin, n) for l2, items in by_level2.items()}
    pools["name"] = pool_state(merged, pinyin, n)
    del by_level2, merged
    for field_name, attr in (("project", "name"), ("goal", "goal")):
        grouped: dict[str, list[int]] = defaultdict(list)
        for t, info in enumerate(index.tables):
            text = info.name if attr == "name" else texts[info.goal]
            if text:
                grouped[text].append(t)
        items = []
        for text, ts in grouped.items():
            newest = max(ts, key=lambda t: (tables[t][2], -t))
            items.append({"text": text, "tables": ts, "level2": None, "value": None, "newest": newest,
                          "newest_year": tables[newest][2]})  # fmt: skip
        pools[field_name] = pool_state(items, pinyin, n)

    headers: dict[str, Counter[str]] = defaultdict(Counter)
    by_department: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for info in index.tables:
        for key, value in info.header.items():
            if value:
                headers[key][value] += 1
                if key in ("department_code", "implementing_unit") and info.header.get("department"):
                    by_department[info.header["department"]][key][value] += 1

    def ranked(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:20]

    return EngineState(
        format=FORMAT,
        tables=tables,
        table_kinds=source_kinds([t.file for t in index.tables]),
        table_sectors=[list(sectors_of(t.name, texts[t.goal])) for t in index.tables],
        table_words=[sorted(set(t.tokens)) for t in index.tables],
        table_name_words=[[w for w in t.name_words if len(w) >= 2] for t in index.tables],
        idf=idf,
        core=dict(core),
        postings=postings,
        value_stats={k: _most_used(d) for k, d in value_stats.items()},
        level2_values={
            k: sorted(((v, c, t) for (v, _), (c, t) in d.items()), key=lambda x: (-x[1], x[0]))[:30]
            for k, d in level2_stats.items()
        },
        level2_of_name={k: votes.most_common(1)[0][0] for k, votes in level2_votes.items()},
        table_values={t: dict(v) for t, v in table_values.items()},
        warnings=list(index.warnings),
        headers={k: ranked(c) for k, c in headers.items()},
        by_department={d: {k: ranked(c) for k, c in fs.items()} for d, fs in by_department.items()},
        groups=[list(g) for g in groups],
        domain_words=list(index.words),
        pools=pools,
        library=lib,
        avgdl=avg,
    )
