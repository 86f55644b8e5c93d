"""The suggestion engine: what colleagues wrote for this kind of project, ranked for the table being drafted.

Fields: `project` (项目名称), `goal` (年度总体目标), `name` (三级 wording, per 二级) and `value` (指标值 for a
wording). Each suggestion has a 0–100 score, its 二级, the usual value and where it came from.

How it stays fast on a 100,000-row corpus:
- everything derived from the corpus is built once and cached (`load_engine`), so a warm start only
  unmarshals plain lists and dicts;
- the distinct texts of each pool sit in one string, most used first ("blob"), so a typed query is a
  C-level `str.find` loop that stops once enough matches are found; pinyin has blobs too;
- the context (how similar each corpus table is to the drafted one: BM25 over jieba words of name and
  goal, with pre-weighted postings) is computed once per drafted project and cached;
- candidates get a cheap score first; only the best few are adapted, penalised and turned into results;
- fuzzy matching (rapidfuzz) runs only when exact matching finds too little, over a bounded pool.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import os
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from . import cache, segment
from .adapt import Adapter, adapter, core_name, name_year, subject_groups
from .corpus import knowledge_dirs, project_files
from .framework import Framework, default_framework
from .index import CorpusIndex, build, stat_key
from .paths import bundled_knowledge
from .textnorm import bare_key

FIELDS = ("name", "value", "goal", "project")
FORMAT = 2  # of the cached engine state: bump when it changes

_CONTEXT_TABLES = 60  # most similar corpus tables whose wording is offered without typing
_POSTINGS = 200  # BM25 postings kept per word (the heaviest): enough to find the top tables
_VALUE_TABLES = 15  # most similar tables whose values for the 二级 count as evidence
_POPULAR = 30  # most used wordings always considered
_MATCHES = 120  # typed matches collected before stopping
_FUZZY_POOL = 3000  # texts rapidfuzz looks at when exact matching finds too little
_SEP = "\x1f"
_ASCII_WORD = re.compile(r"^[a-z]+$")
_NUMBER_IN_TEXT = re.compile(r"\d+(?:\.\d+)?\s*[\u4e00-\u9fff%]")


normalise = lru_cache(maxsize=65536)(bare_key)  # the matching and de-duplication form (textnorm is its home)


@dataclass(frozen=True)
class Provenance:
    project: str
    year: int
    file: str


@dataclass
class Suggestion:
    text: str
    score: float  # 0–100
    level2: str | None = None
    value: str | None = None  # the usual 指标值 (for wording), or None
    source: Provenance | None = None
    adapted: bool = False  # subject or year replaced for the drafted table
    count: int = 0  # corpus tables that use it
    match: str = ""  # how it matched: context, popular, exact, prefix, substring, pinyin, fuzzy, value

    def to_json(self) -> dict:
        src = self.source
        return {
            "text": self.text,
            "score": round(self.score, 2),
            "level2": self.level2,
            "value": self.value,
            "source": {"project": src.project, "year": src.year, "file": src.file} if src else None,
            "adapted": self.adapted,
            "count": self.count,
            "match": self.match,
        }


# ------------------------------------------------------------------------------------------- pools
class _Pool:
    """The distinct texts of one field (and one 二级), most used first, as parallel plain lists."""

    KEYS = ("texts", "norms", "level2", "value", "tables", "pop", "newest", "spaced", "blobs", "table_items")

    def __init__(self, state: dict):
        for key in self.KEYS:
            setattr(self, key, state[key])
        self.by_norm = {n: i for i, n in reversed(list(enumerate(self.norms)))}
        self.head = self.norms[:_FUZZY_POOL]

    def state(self) -> dict:
        return {key: getattr(self, key) for key in self.KEYS}

    def find(self, kind: str, query: str, limit: int) -> dict[int, int]:
        """Item -> position of `query` in its `kind` key, most used items first, at most `limit`."""
        blob, starts = self.blobs[kind]
        found: dict[int, int] = {}
        pos = blob.find(query)
        while pos >= 0 and len(found) < limit:
            item = bisect_right(starts, pos) - 1
            found.setdefault(item, pos - starts[item])
            nxt = starts[item + 1] if item + 1 < len(starts) else len(blob)
            pos = blob.find(query, max(pos + 1, nxt))  # one occurrence per item is enough
        return found


def _pool_state(items: list[dict], pinyin: dict[str, tuple[str, str, str]], n_tables: int) -> dict:
    """Build a pool from items {text, tables, level2, value, newest, newest_year}, sorted by use."""
    items.sort(key=lambda it: (-len(it["tables"]), -it["newest_year"], it["text"]))
    keys = [pinyin.get(it["text"], ("", "", "")) for it in items]
    norms = [normalise(it["text"]) for it in items]
    table_items: dict[int, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        for t in it["tables"]:
            table_items[t].append(i)
    scale = math.log1p(max(1, n_tables))
    return {
        "texts": [it["text"] for it in items],
        "norms": norms,
        "level2": [it["level2"] for it in items],
        "value": [it["value"] for it in items],
        "tables": [it["tables"] for it in items],
        "pop": [math.log1p(len(it["tables"])) / scale for it in items],
        "newest": [it["newest"] for it in items],
        "spaced": [k[0] for k in keys],
        "blobs": {
            "text": _blob(norms),
            "full": _blob(k[0].replace(" ", "") for k in keys),
            "initials": _blob(k[1] for k in keys),
            "alt": _blob(k[2] for k in keys),
        },
        "table_items": dict(table_items),
    }


def _blob(keys) -> tuple[str, list[int]]:
    parts, starts, offset = [], [], 0
    for key in keys:
        starts.append(offset)
        parts.append(key)
        offset += len(key) + 1
    return _SEP.join(parts), starts


# ----------------------------------------------------------------------------------------- context
@dataclass
class _Context:
    """The drafted project as the engine sees it: similar tables, and how to adapt their wording."""

    project: str
    year: int | None
    similar: dict[int, float]  # table -> similarity in [0, 1], the top tables only
    drafted_words: frozenset[str]
    adapters: dict[int, Adapter | None] = field(default_factory=dict)
    items: dict[int, dict[int, tuple[float, int]]] = field(default_factory=dict)  # pool id -> item -> (sim, table)


class Engine:
    """Suggestions over one corpus. Build with `Engine.build(index)` or `load_engine()`; reads are thread-safe."""

    def __init__(self, state: dict, framework: Framework | None = None):
        self.framework = framework or default_framework()
        self.tables: list[tuple[str, str, int]] = state["tables"]
        self.core: dict[str, list[int]] = state["core"]
        self.postings: dict[str, list[tuple[int, float]]] = state["postings"]
        self.value_stats: dict[str, list[tuple[str, int, int]]] = state["value_stats"]
        self.level2_values: dict[str, list[tuple[str, int, int]]] = state["level2_values"]
        self.level2_of_name: dict[str, str] = state["level2_of_name"]
        self.table_values: dict[int, dict[str, list[str]]] = state["table_values"]
        self.warnings: list[str] = state["warnings"]
        self.headers: dict[str, list[tuple[str, int]]] = state["headers"]
        self.by_department: dict[str, dict[str, list[tuple[str, int]]]] = state["by_department"]
        self.groups = tuple(tuple(g) for g in state["groups"])
        self.domain_words: list[str] = state["domain_words"]
        self.pools = {key: _Pool(p) for key, p in state["pools"].items()}
        years = [t[2] for t in self.tables] or [0]
        low, span = min(years), max(years) - min(years)
        self.recency = [1.0 if span <= 0 else (y - low) / span for y in years]
        self._state = state
        self._contexts: dict[tuple[str, str, int | None], _Context] = {}
        self._similar: dict[tuple[str, str | None], tuple[tuple[str, float], ...]] = {}
        segment.add_words(self.domain_words)

    def state(self) -> dict:
        return self._state

    @property
    def all_names(self) -> _Pool:
        return self.pools["name"]

    def header_values(self, field: str, department: str = "") -> list[str]:
        """What tables in the corpus wrote for a header field (代码, 实施单位 …), most common first;
        for a department's own code and unit, that department's values come first."""
        own = [v for v, _ in self.by_department.get(department, {}).get(field, [])] if department else []
        return list(dict.fromkeys(own + [v for v, _ in self.headers.get(field, [])]))

    # ------------------------------------------------------------------------------------- building
    @classmethod
    def build(cls, index: CorpusIndex, framework: Framework | None = None) -> Engine:
        fw = framework or default_framework()
        return cls(_build_state(index, fw), fw)

    # -------------------------------------------------------------------------------------- context
    def context(self, project: str = "", goal: str = "", year: int | None = None) -> _Context:
        key = (project, goal, year)
        ctx = self._contexts.get(key)
        if ctx is None:
            ctx = self._contexts[key] = self._make_context(project, goal, year)
            if len(self._contexts) > 64:
                self._contexts.pop(next(iter(self._contexts)))
        return ctx

    def _make_context(self, project: str, goal: str, year: int | None) -> _Context:
        year = year or name_year(project)
        words = frozenset(segment.tokens(project)) if project else frozenset()
        if not project and not goal:
            return _Context(project, year, {}, words)
        query = Counter(segment.tokens(project)) + Counter(segment.tokens(goal) if goal else ())
        scores: dict[int, float] = defaultdict(float)
        for word, weight in query.items():
            for t, w in self.postings.get(word, ()):
                scores[t] += w * weight
        same = self.core.get(core_name(project), ()) if project else ()
        if same:  # the same project in another year is the most similar table of all
            top_score = max(scores.values(), default=1.0) * 1.2 or 1.0
            for t in same:
                scores[t] = top_score
        top = heapq.nlargest(_CONTEXT_TABLES, scores.items(), key=lambda kv: (kv[1], -kv[0]))
        best = top[0][1] if top and top[0][1] > 0 else 1.0
        return _Context(project, year, {t: s / best for t, s in top if s > 0}, words)

    def _adapter(self, ctx: _Context, t: int) -> Adapter | None:
        if t not in ctx.adapters:
            _, name, year = self.tables[t]
            a = adapter(name, year, ctx.project, ctx.year, self.groups, segment.first_word)
            ctx.adapters[t] = a if a else None
        return ctx.adapters[t]

    def _context_items(self, pool: _Pool, ctx: _Context) -> dict[int, tuple[float, int]]:
        found = ctx.items.get(id(pool))
        if found is None:
            found = {}
            for t, sim in ctx.similar.items():
                for i in pool.table_items.get(t, ()):
                    if sim > found.get(i, (0.0, 0))[0]:
                        found[i] = (sim, t)
            ctx.items[id(pool)] = found
        return found

    # ------------------------------------------------------------------------------------- querying
    def suggest(
        self,
        query: str = "",
        *,
        field: str = "name",
        level2: str | None = None,
        project: str = "",
        goal: str = "",
        name: str = "",
        year: int | None = None,
        k: int = 10,
        exclude: tuple[str, ...] | list[str] = (),
    ) -> list[Suggestion]:
        """Ranked suggestions for what the user is typing (`query` may be empty).

        `exclude`: wording the draft already has; it is not offered again.
        """
        if field not in FIELDS:
            raise ValueError(f"unknown field {field!r}")
        k = max(1, min(int(k), 100))
        query = query[:200]  # nobody types more; a pasted essay must not cost seconds
        ctx = self.context(project[:200], goal[:2000], year)
        if field == "value":
            return self._values(query, name[:200], level2, ctx, k)
        pool = self.pools.get(f"name:{level2}" if level2 else "name") if field == "name" else self.pools[field]
        if pool is None:
            return []
        return self._rank(pool, normalise(query), ctx, k, field, {normalise(t) for t in exclude})

    def _rank(self, pool: _Pool, q: str, ctx: _Context, k: int, field: str, skip: set[str]) -> list[Suggestion]:
        ctx_items = self._context_items(pool, ctx)
        matches: dict[int, tuple[str, float]] = {}
        if not q:
            for i in ctx_items:
                matches[i] = ("context", 1.0)
            for i in range(min(_POPULAR, len(pool.texts))):
                matches.setdefault(i, ("popular", 1.0))
        else:
            matches = self._matches(pool, q)
            for i, (_, t) in ctx_items.items():  # context wording may match once adapted ("社区" in 村干部…)
                if i not in matches:
                    a = self._adapter(ctx, t)
                    quality = _quality(normalise(_apply(a, pool.texts[i])), q) if a else None
                    if quality is not None:
                        matches[i] = ("context", quality)
            if len(matches) < k:
                for i, match in self._fuzzy(pool, q, ctx_items).items():
                    matches.setdefault(i, match)

        def cheap(i: int) -> float:
            sim, t = ctx_items.get(i, (0.0, pool.newest[i]))
            if q:
                return 0.5 * matches[i][1] + 0.3 * sim + 0.15 * pool.pop[i] + 0.05 * self.recency[t]
            return 0.6 * sim + 0.3 * pool.pop[i] + 0.1 * self.recency[t]

        candidates = [i for i in matches if pool.norms[i] not in skip]
        # Penalties below take at most a fifth off, so the best k + 10 by the cheap score hold the top k.
        best = heapq.nlargest(k + 10, candidates, key=cheap)
        results: dict[str, Suggestion] = {}
        for i in best:
            for s in self._scored(pool, i, ctx, ctx_items.get(i), matches[i], field, q):
                key = normalise(s.text)
                if key not in skip and (key not in results or results[key].score < s.score):
                    results[key] = s
        return sorted(results.values(), key=lambda s: (-s.score, -s.count, s.text))[:k]

    def _matches(self, pool: _Pool, q: str) -> dict[int, tuple[str, float]]:
        """Typed matches by text, then pinyin, each with a quality in (0, 1]."""
        found: dict[int, tuple[str, float]] = {}
        for i, pos in pool.find("text", q, _MATCHES).items():
            quality = _position_quality(pool.norms[i], q, pos)
            found[i] = ("exact" if quality == 1.0 else "prefix" if pos == 0 else "substring", quality)
        if _ASCII_WORD.match(q):
            for kind, base in (("initials", 0.9), ("alt", 0.86), ("full", 0.9)):
                if len(found) >= _MATCHES:
                    break
                for i, pos in pool.find(kind, q, _MATCHES).items():
                    if kind == "full" and pos not in _syllable_starts(pool.spaced[i]):
                        continue
                    quality = base if pos == 0 else base - 0.08
                    if i not in found or found[i][1] < quality:
                        found[i] = ("pinyin", quality)
        return found

    def _fuzzy(self, pool: _Pool, q: str, ctx_items: dict[int, tuple[float, int]]) -> dict[int, tuple[str, float]]:
        """Near matches (rapidfuzz) over the most used texts and the context's, for typos and word order."""
        hits = {i: s for _, s, i in process.extract(q, pool.head, scorer=fuzz.partial_ratio, limit=10, score_cutoff=60)}
        extra = [i for i in ctx_items if i >= len(pool.head)]
        for _, s, j in process.extract(q, [pool.norms[i] for i in extra], scorer=fuzz.partial_ratio, limit=10, score_cutoff=60):
            hits[extra[j]] = s
        return {i: ("fuzzy", 0.75 * s / 100) for i, s in hits.items()}

    def _scored(
        self,
        pool: _Pool,
        i: int,
        ctx: _Context,
        in_context: tuple[float, int] | None,
        match: tuple[str, float],
        field: str,
        q: str,
    ) -> list[Suggestion]:
        """The item as a suggestion, plus its adaptation to the drafted table where one applies."""
        sim, t = in_context or (0.0, pool.newest[i])
        file, project, year = self.tables[t]
        source = Provenance(project, year, file)
        how, quality = match
        text, value = pool.texts[i], pool.value[i]
        adapt = self._adapter(ctx, t)
        # (text, value, is the adapted variant, shown as adapted: not where the corpus has it as written)
        variants = [(text, value, False, False)]
        if adapt:
            text2, value2 = _apply(adapt, text), (_apply(adapt, value) if value else value)
            if (text2, value2) != (text, value):
                variants.append((text2, value2, True, pool.by_norm.get(normalise(text2), i) == i))
        out = []
        for text, value, variant, adapted in variants:
            if q:
                score = 100 * (0.5 * quality + 0.3 * sim + 0.15 * pool.pop[i] + 0.05 * self.recency[t])
            else:
                score = 100 * (0.6 * sim + 0.3 * pool.pop[i] + 0.1 * self.recency[t])
            if not variant and len(variants) > 1:
                score *= 0.9  # names another subject or year than the drafted table
            elif not variant and self._foreign(text, project, ctx):
                score *= 0.88  # names what only its own project is about (长聘人员 in a 两个中心 table)
            if field == "name" and _NUMBER_IN_TEXT.search(text):
                score *= 0.9  # "受益村个数12个" carries its own table's figure into the wording
            named = field == "name"
            out.append(
                Suggestion(
                    text,
                    round(min(100.0, score), 2),
                    pool.level2[i] if named else None,
                    value if named else None,
                    source,
                    adapted,
                    len(pool.tables[i]),
                    how,
                )
            )
        return out

    def _foreign(self, text: str, source_name: str, ctx: _Context) -> bool:
        """Whether wording carries a word of its source project's name that the drafted name lacks."""
        if not ctx.drafted_words:
            return False
        return any(len(w) >= 2 and w not in ctx.drafted_words and w in text for w in segment.tokens(source_name))

    # --------------------------------------------------------------------------------------- values
    def _values(self, query: str, name: str, level2: str | None, ctx: _Context, k: int) -> list[Suggestion]:
        """Values used with this wording (or similar wording), most common first, adapted to the year."""
        weights: dict[str, float] = defaultdict(float)
        best: dict[str, tuple[float, int]] = {}  # value -> (weight of its best source, table)
        counts: Counter[str] = Counter()
        shifted_only: dict[str, bool] = {}

        def add(stats, weight: float, counted: bool = True) -> None:
            """Evidence for values; `counted` evidence (rows using the wording) sets the shown count."""
            for value, count, t in stats:
                source_year = self.tables[t][2]
                adapted = False
                if ctx.year and ctx.year != source_year:
                    value2 = _shift_year(value, source_year, ctx.year)
                    adapted, value = value2 != value, value2
                weights[value] += weight * count
                counts[value] += count if counted else 0
                if value not in best or weight * count > best[value][0]:
                    best[value] = (weight * count, t)
                shifted_only[value] = shifted_only.get(value, True) and adapted

        key = normalise(name)
        exact_rows = self.value_stats.get(key, ()) if key else ()
        if key:
            add(exact_rows, 1.0)
            # Similar wording counts too, within the wording's own 二级: 时效 wording lends no 成本 values.
            level2 = level2 or self.level2_of_name.get(key)
            for norm, score in self._similar_wording(key, level2):
                add(self.value_stats.get(norm, ()), 0.5 * (score / 100) ** 3, counted=not exact_rows)
        # What the most similar tables wrote for this 二级, then what the 二级 usually takes:
        # these break ties and fill in for wording never seen.
        if level2:
            for t, sim in list(ctx.similar.items())[:_VALUE_TABLES]:
                add(((v, 1, t) for v in self.table_values.get(t, {}).get(level2, ())), 0.15 * sim, counted=False)
        add(self.level2_values.get(level2 or "", ()), 0.02 if key else 1.0, counted=not key)
        if not weights:
            return []
        q = normalise(query)
        top = max(weights.values())
        out = []
        for value, weight in weights.items():
            quality = _quality(normalise(value), q)
            if quality is None:
                continue
            score = 100 * (0.8 * weight / top + 0.2 * quality) if q else 100 * weight / top
            file, project, year = self.tables[best[value][1]]
            source = Provenance(project, year, file)
            out.append(Suggestion(value, round(score, 2), level2, None, source, shifted_only[value], counts[value], "value"))
        out.sort(key=lambda s: (-s.score, -s.count, s.text))
        return out[:k]



    def _similar_wording(self, key: str, level2: str | None) -> tuple[tuple[str, float], ...]:
        """Wording like `key` in its 二级 (rapidfuzz WRatio), over the texts sharing a character pair.
        Remembered per engine: the value step asks again for every character typed."""
        cached = self._similar.get((key, level2))
        if cached is not None:
            return cached
        if len(self._similar) > 1024:
            self._similar.clear()
        pool = self.pools.get(f"name:{level2}" if level2 else "name")
        if pool is None:
            return ()
        found: dict[int, None] = {}
        for j in range(max(1, len(key) - 1)):  # the most used texts sharing each character pair
            found.update(dict.fromkeys(pool.find("text", key[j : j + 2], 40)))
        choices = [pool.norms[i] for i in found if pool.norms[i] != key]
        hits = process.extract(key, choices, scorer=fuzz.WRatio, limit=15, score_cutoff=50)
        found_similar = self._similar[(key, level2)] = tuple((norm, score) for norm, score, _ in hits)
        return found_similar

# ----------------------------------------------------------------------------------------- building
def _build_state(index: CorpusIndex, framework: Framework) -> dict:
    """Everything the engine derives from the corpus, as plain data (cached by `load_engine`)."""
    texts = index.texts
    pinyin = {texts[i]: keys for i, keys in index.pinyin.items()}
    n = len(index.tables)
    tables = [(t.file, t.name, t.year) for t in index.tables]
    core: dict[str, list[int]] = defaultdict(list)
    for t, info in enumerate(index.tables):
        core[core_name(info.name)].append(t)

    # BM25 weights per (word, table), heaviest first, so a context is a few short loops.
    k1, b = 1.2, 0.75
    counts = [Counter(info.tokens) for info in index.tables]
    lengths = [sum(c.values()) for c in counts]
    avg = (sum(lengths) / n) if n else 1.0
    raw: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for t, c in enumerate(counts):
        for word, tf in c.items():
            raw[word].append((t, tf))
    # Subjects are adapted (村干部 -> 社区干部), so they say less about a table's wording than its kind
    # (任职补贴, 办公经费): words inside a subject term count for a third.
    groups = subject_groups()
    subject_terms = [term for group in groups for term in group]
    postings = {}
    for word, plist in raw.items():
        idf = math.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
        if any(word in term for term in subject_terms):
            idf /= 3
        weighted = [(t, idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[t] / avg))) for t, tf in plist]
        weighted.sort(key=lambda tw: (-tw[1], tw[0]))
        postings[word] = weighted[:_POSTINGS]

    # Wording per (二级, text) and over all 二级; value statistics per wording and per 二级.
    per_key: dict[tuple[str, str], dict] = {}
    value_stats: dict[str, dict[tuple[str, int], list[int]]] = defaultdict(dict)
    level2_stats: dict[str, dict[tuple[str, int], list[int]]] = defaultdict(dict)
    level2_votes: dict[str, Counter[str]] = defaultdict(Counter)
    table_values: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for t, l2i, name_id, value_id in index.rows:
        l2, name, value, year = index.level2s[l2i], texts[name_id], texts[value_id], index.tables[t].year
        for key in ((l2, name), ("", name)):
            entry = per_key.setdefault(key, {"text": name, "tables": {}, "values": Counter(), "l2": Counter()})
            entry["tables"].setdefault(t, None)
            entry["l2"][l2] += 1
            if value:
                entry["values"][value] += 1
        norm = normalise(name)
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
    pools = {f"name:{l2}": _pool_state(items, pinyin, n) for l2, items in by_level2.items()}
    pools["name"] = _pool_state(merged, pinyin, n)
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
        pools[field_name] = _pool_state(items, pinyin, n)

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

    return {
        "format": FORMAT,
        "headers": {k: ranked(c) for k, c in headers.items()},
        "by_department": {d: {k: ranked(c) for k, c in fields.items()} for d, fields in by_department.items()},
        "tables": tables,
        "core": dict(core),
        "postings": postings,
        "value_stats": {k: [(v, c, t) for (v, _), (c, t) in d.items()] for k, d in value_stats.items()},
        "level2_values": {
            k: sorted(((v, c, t) for (v, _), (c, t) in d.items()), key=lambda x: (-x[1], x[0]))[:30]
            for k, d in level2_stats.items()
        },
        "level2_of_name": {k: votes.most_common(1)[0][0] for k, votes in level2_votes.items()},
        "table_values": {t: dict(v) for t, v in table_values.items()},
        "warnings": list(index.warnings),
        "groups": [list(g) for g in groups],
        "domain_words": list(index.words),
        "pools": pools,
    }


def load_engine(knowledge: str | os.PathLike[str] | None = None, *, use_cache: bool = True) -> Engine:
    """The engine over the corpus (SPEC section 2: --knowledge DIR, or bundled + user folders).

    Cached in the user cache folder, keyed by every corpus file's path, size and modification time
    (and the bundled framework and subject files): a warm start reads one file.
    """
    dirs = knowledge_dirs(knowledge)
    paths = project_files(dirs)
    support = [bundled_knowledge() / "framework.toml", bundled_knowledge() / "subjects.toml"]
    key = [FORMAT, [str(d) for d in dirs], stat_key(paths), stat_key(support)]
    name = "engine-" + hashlib.sha256("\n".join(str(d.resolve()) for d in dirs).encode()).hexdigest()[:16] + ".bin"
    if use_cache:
        state = cache.load(name, key)
        if isinstance(state, dict) and state.get("format") == FORMAT:
            try:
                return Engine(state)
            except (KeyError, TypeError, ValueError):
                pass  # a state of another shape: rebuild
    index = build(paths)
    if knowledge and not Path(knowledge).is_dir():
        index.warnings.insert(0, f"{knowledge}: 语料文件夹不存在。")
    engine = Engine.build(index)
    if use_cache:
        cache.save(name, key, engine.state())
    return engine


# ----------------------------------------------------------------------------------------- helpers
@lru_cache(maxsize=65536)
def _apply(a: Adapter | None, text: str) -> str:
    return a.apply(text) if a else text


@lru_cache(maxsize=65536)
def _shift_year(value: str, source_year: int, year: int) -> str:
    return Adapter((), (source_year, year)).apply(value)


def _position_quality(norm: str, q: str, pos: int) -> float:
    """Exact > prefix > substring (earlier is better); a match covering more of the text ranks higher."""
    if norm == q:
        return 1.0
    coverage = 0.04 * len(q) / max(1, len(norm))
    return (0.9 if pos == 0 else 0.82 - min(pos, 20) * 0.004) + coverage


def _quality(text: str, q: str) -> float | None:
    if not q:
        return 1.0
    pos = text.find(q)
    return None if pos < 0 else _position_quality(text, q, pos)


@lru_cache(maxsize=65536)
def _syllable_starts(spaced: str) -> frozenset[int]:
    """Offsets in the unspaced full pinyin where a syllable starts ("cun wei" -> {0, 3})."""
    starts, offset = set(), 0
    for syllable in spaced.split(" "):
        starts.add(offset)
        offset += len(syllable)
    return frozenset(starts)

