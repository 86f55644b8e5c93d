"""Building the engine's state from a corpus index and the indicator library (the cold path).

A million-row corpus has a few hundred thousand distinct (wording, value, year) and only some ten thousand
distinct project texts, so the rows are counted once into small aggregates (C-speed `Counter` over int
tuples where it can) and everything per wording, per value or per table is derived from those; tables with
the same words share their BM25 work. The result is the same as deriving each row's share one by one.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import chain
from operator import itemgetter

from ..adapt import core_name, subject_groups
from ..corpus import source_kinds
from ..index import HEADER_FIELDS, CorpusIndex
from ..library import GENERIC, Library
from ..sector import SectorMatcher
from ..segment import pinyin_keys
from .pool import Item, pool_state
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
    return _most_used_rows([(v, c, t) for (v, _), (c, t) in stats.items()])


def _most_used_rows(rows: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """`_most_used` of the rows made already."""
    if len(rows) <= VALUES_KEPT:
        return rows
    used: Counter[str] = Counter()
    for v, c, _ in rows:
        used[v] += c
    if len(used) <= VALUES_KEPT:
        return rows
    kept = {v for v, _ in used.most_common(VALUES_KEPT)}  # (most_common keeps first-seen order among ties)
    return [r for r in rows if r[0] in kept]


def header_counts(headers: Iterable[dict[str, str]]) -> tuple[dict[str, Counter[str]], dict[str, dict[str, Counter[str]]]]:
    """How often tables write each header value (field -> value -> tables), and per department its codes and
    implementing units."""
    fields: dict[str, Counter[str]] = defaultdict(Counter)
    by_department: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for header in headers:
        for key, value in header.items():
            if value:
                fields[key][value] += 1
                if key in ("department_code", "implementing_unit") and header.get("department"):
                    by_department[header["department"]][key][value] += 1
    return fields, by_department


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
    counts: list[Counter[str]],
    n: int,
    avg: float,
    df_of: Callable[[str, int], int] | None = None,
    members: Sequence[Sequence[int]] | None = None,
) -> tuple[dict[str, list[tuple[int, float]]], dict[str, float]]:
    """BM25 postings (word -> (table, weight), heaviest first, the best POSTINGS) and idf of these tables' words.
    `n`, `avg` and `df_of(word, df here)` are the collection's: a whole corpus, or the overlay's (suggest/
    overlay.py weighs a few added tables against the stored corpus's statistics, so scores compare).
    `members[d]`: the tables (ascending) whose words are `counts[d]` (a corpus repeats a table's name and goal
    many times: each distinct wording is weighed once); by default table d alone."""
    k1, b = 1.2, 0.75
    if members is None:
        members = [(t,) for t in range(len(counts))]
    lengths = [sum(c.values()) for c in counts]
    raw: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for d, c in enumerate(counts):
        for word, tf in c.items():
            raw[word].append((d, tf))
    # Subjects are adapted (村干部 -> 社区干部), so they say less about a table's wording than its kind
    # (任职补贴, 办公经费): words inside a subject term count for a third.
    subject_terms = [term for group in subject_groups() for term in group]
    postings, idf = {}, {}
    for word, plist in raw.items():
        df = sum(len(members[d]) for d, _ in plist)
        if df_of:
            df = df_of(word, df)
        weight = math.log(1 + (n - df + 0.5) / (df + 0.5))
        idf[word] = weight
        if any(word in term for term in subject_terms):
            weight /= 3
        # Heaviest first, ties by table: the tables of equal weight are merged in table order.
        by_weight: dict[float, list[int]] = defaultdict(list)
        for d, tf in plist:
            by_weight[weight * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[d] / avg))].append(d)
        kept: list[tuple[int, float]] = []
        for w in sorted(by_weight, reverse=True):
            docs = by_weight[w]
            ts = members[docs[0]] if len(docs) == 1 else sorted(chain.from_iterable(members[d] for d in docs))
            kept.extend((t, w) for t in ts[: POSTINGS - len(kept)])
            if len(kept) >= POSTINGS:
                break
        postings[word] = kept
    return postings, idf


def build_state(index: CorpusIndex, library: Library | None = None) -> EngineState:
    """Everything the engine derives from the corpus and the library, as plain data (cached).
    The index's rows come table by table, in table order (`index.build_from_records` appends them so)."""
    texts, level2s, rows = index.texts, index.level2s, index.rows
    pinyin = {texts[i]: keys for i, keys in index.pinyin.items()}
    n = len(index.tables)
    tables = [(t.file, t.name, t.year) for t in index.tables]
    years = [t.year for t in index.tables]
    lib = library_state(library)
    norm_memo: dict[str, str] = {}

    def norm_of(text: str) -> str:
        got = norm_memo.get(text)
        if got is None:
            got = norm_memo[text] = normalise(text)
        return got

    # Per distinct (name, goal): its sectors, its core name; per distinct word list: its BM25 document.
    sector_keys = [(sid, kws) for sid, _, kws in lib.sectors]
    matcher = SectorMatcher(sector_keys)
    sectors_of = lru_cache(maxsize=None)(lambda name, goal: list(matcher(name, goal)))
    name_words_of = lru_cache(maxsize=None)(lambda words: [w for w in words if len(w) >= 2])
    cores = lru_cache(maxsize=None)(core_name)
    core: dict[str, list[int]] = defaultdict(list)
    doc_of: dict[tuple[str, ...], int] = {}
    docs: list[list[int]] = []  # the tables of each distinct word list
    doc_words: list[list[str]] = []
    table_words: list[list[str]] = []
    for t, info in enumerate(index.tables):
        core[cores(info.name)].append(t)
        key = tuple(info.tokens)
        d = doc_of.get(key)
        if d is None:
            d = doc_of[key] = len(docs)
            docs.append([])
            doc_words.append(sorted(set(key)))
        docs[d].append(t)
        table_words.append(doc_words[d])
    counts = [Counter(key) for key in doc_of]
    del doc_of
    avg = (sum(sum(c.values()) * len(ts) for c, ts in zip(counts, docs)) / n) if n else 1.0
    groups = subject_groups()
    postings, idf = bm25(counts, n, avg, members=docs)
    del counts, docs

    # The rows counted once: (二级, name, value) -> rows, and (二级, name, value, year) -> [rows, first table].
    blank = next((i for i, text in enumerate(texts) if not text), -1)
    triples = Counter(map(itemgetter(1, 2, 3), rows))
    dated: dict[tuple[int, int, int, int], list[int]] = {}
    named: dict[tuple[int, int], list[int]] = {}  # (二级, name) -> its tables, ascending
    table_values: dict[int, dict[str, list[str]]] = {}
    last = -1
    for t, l2i, name_id, value_id in rows:
        key = (l2i, name_id)
        ts = named.get(key)
        if ts is None:
            named[key] = [t]
        elif ts[-1] != t:
            ts.append(t)
        if value_id != blank:
            dk = (l2i, name_id, value_id, years[t])
            entry = dated.get(dk)
            if entry is None:
                dated[dk] = [1, t]
            else:
                entry[0] += 1
            if t != last:
                by_l2 = table_values[t] = {}
                last = t
            values = by_l2.get(level2s[l2i])
            if values is None:
                by_l2[level2s[l2i]] = [texts[value_id]]
            else:
                values.append(texts[value_id])

    # Value statistics per normalised wording and per 二级, in the order the rows first name them.
    value_stats: dict[str, dict[tuple[int, int], list[int]]] = defaultdict(dict)
    level2_stats: dict[int, dict[tuple[int, int], list[int]]] = defaultdict(dict)
    for (l2i, name_id, value_id, year), (c, t) in dated.items():
        for stats in (value_stats[norm_of(texts[name_id])], level2_stats[l2i]):
            entry = stats.get((value_id, year))
            if entry is None:
                stats[(value_id, year)] = [c, t]
            else:
                entry[0] += c  # its first table is the earlier one's: rows come in table order
    del dated

    # Wording per (二级, name) and over all 二级 (name): its tables, most used value, newest table; the 二级 a
    # wording is most used under (ties: the first named).
    values_of: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    name_votes: dict[int, dict[int, int]] = defaultdict(dict)
    name_values: dict[int, dict[int, int]] = defaultdict(dict)
    level2_votes: dict[str, dict[int, int]] = defaultdict(dict)
    for (l2i, name_id, value_id), c in triples.items():
        votes = level2_votes[norm_of(texts[name_id])]
        votes[l2i] = votes.get(l2i, 0) + c
        if not level2s[l2i]:
            c *= 2  # the 二级 "" and the merged key are one entry: its rows count twice there
        votes = name_votes[name_id]
        votes[l2i] = votes.get(l2i, 0) + c
        if value_id != blank:
            counted = values_of[(l2i, name_id)]
            counted[value_id] = counted.get(value_id, 0) + c
            counted = name_values[name_id]
            counted[value_id] = counted.get(value_id, 0) + c
    del triples
    newest_key = years.__getitem__  # max() keeps the first of equal years: the lowest table

    def top_value(counted: dict[int, int] | None) -> str | None:
        """The most used value, ties by the greater text."""
        return texts[max(counted, key=lambda v: (counted[v], texts[v]))] if counted else None

    by_level2: dict[str, list[Item]] = defaultdict(list)
    per_name: dict[int, list[tuple[int, list[int], int]]] = defaultdict(list)  # name -> (二级, tables, newest)
    for (l2i, name_id), ts in named.items():
        newest = max(ts, key=newest_key)
        per_name[name_id].append((l2i, ts, newest))
        l2 = level2s[l2i]
        if l2:
            by_level2[l2].append((texts[name_id], ts, l2, top_value(values_of.get((l2i, name_id))), newest, years[newest]))
    del named, values_of
    merged: list[Item] = []
    for name_id, parts in per_name.items():
        if len(parts) == 1:
            ts, newest = parts[0][1], parts[0][2]
        else:
            ts = sorted(set(chain.from_iterable(p[1] for p in parts)))
            newest = max((p[2] for p in parts), key=lambda t: (years[t], -t))
        votes = name_votes[name_id]
        merged.append((texts[name_id], ts, level2s[max(votes, key=votes.__getitem__)], top_value(name_values.get(name_id)),
                       newest, years[newest]))  # fmt: skip
    del per_name, name_votes, name_values
    pools = {f"name:{l2}": pool_state(items, pinyin, n, norm_of) for l2, items in by_level2.items()}
    pools["name"] = pool_state(merged, pinyin, n, norm_of)
    del by_level2, merged
    for field_name, attr in (("project", "name"), ("goal", "goal")):
        grouped: dict[str, list[int]] = defaultdict(list)
        for t, info in enumerate(index.tables):
            text = info.name if attr == "name" else texts[info.goal]
            if text:
                grouped[text].append(t)
        items: list[Item] = []
        for text, ts in grouped.items():
            newest = max(ts, key=newest_key)
            items.append((text, ts, None, None, newest, years[newest]))
        pools[field_name] = pool_state(items, pinyin, n, norm_of)

    headers, by_department = header_counts(info.header for info in index.tables)

    def ranked(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:20]

    return EngineState(
        format=FORMAT,
        tables=tables,
        table_kinds=source_kinds([t.file for t in index.tables]),
        table_sectors=[sectors_of(t.name, texts[t.goal]) for t in index.tables],  # shared by equal tables
        table_words=table_words,  # shared by tables with the same words
        table_name_words=[name_words_of(tuple(t.name_words)) for t in index.tables],  # shared likewise
        table_headers=[[t.header.get(f, "") for f in HEADER_FIELDS] for t in index.tables],
        idf=idf,
        core=dict(core),
        postings=postings,
        value_stats={k: _most_used_rows([(texts[v], c, t) for (v, _), (c, t) in d.items()]) for k, d in value_stats.items()},
        level2_values={
            level2s[k]: sorted(((texts[v], c, t) for (v, _), (c, t) in d.items()), key=lambda x: (-x[1], x[0]))[:30]
            for k, d in level2_stats.items()
        },
        level2_of_name={k: level2s[max(votes, key=votes.__getitem__)] for k, votes in level2_votes.items()},
        table_values=table_values,
        warnings=list(index.warnings),
        headers={k: ranked(c) for k, c in headers.items()},
        by_department={d: {k: ranked(c) for k, c in fs.items()} for d, fs in by_department.items()},
        groups=[list(g) for g in groups],
        domain_words=list(index.words),
        pools=pools,
        library=lib,
        avgdl=avg,
    )
