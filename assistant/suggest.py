"""The suggestion engine: what colleagues wrote for this kind of project, ranked for the table being drafted.

Fields: `project` (项目名称), `goal` (年度总体目标), `name` (三级 wording, per 二级) and `value` (指标值 for a
wording). Each suggestion has a 0–100 score, its 二级, the usual value and where it came from.

How it stays fast on a 100,000-row corpus:
- the distinct texts of each pool are kept in one string, highest prior first ("blob"), so a typed
  query is one C-level `str.find` loop that stops once enough matches are found; pinyin has blobs too;
- the context (how similar each corpus table is to the drafted one: BM25 over jieba words of name and
  goal) is computed once per drafted project and cached, then looked up per candidate;
- fuzzy matching (rapidfuzz) runs only when exact matching finds too little, over a bounded pool.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from . import segment
from .adapt import Adapter, adapter, core_name, load_subject_groups, name_year
from .framework import Framework, default_framework
from .index import CorpusIndex
from .paths import bundled_knowledge

FIELDS = ("name", "value", "goal", "project")

_CONTEXT_TABLES = 60  # most similar corpus tables whose wording is offered without typing
_POPULAR = 30  # most used wordings always considered
_MATCHES = 120  # typed matches collected before stopping
_FUZZY_POOL = 4000  # texts rapidfuzz looks at when exact matching finds too little
_SEP = "\x1f"
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_ASCII_WORD = re.compile(r"^[a-z]+$")


def normalise(text: str) -> str:
    """The matching and de-duplication form: NFKC, lower case, no spaces or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text).lower())


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
    match: str = ""  # how it matched: context, popular, exact, prefix, substring, pinyin, fuzzy

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


@dataclass
class _Item:
    text: str
    tables: list[int]  # corpus tables using it (distinct, in corpus order)
    level2: str | None = None
    value: str | None = None
    prior: float = 0.0
    newest: int = 0  # table with the latest year (then the first file)


@dataclass
class _Pool:
    """Distinct texts of one field (and one 二级), prior-ordered, with match blobs."""

    items: list[_Item]
    by_norm: dict[str, int] = field(default_factory=dict)
    table_items: dict[int, list[int]] = field(default_factory=dict)
    blobs: dict[str, tuple[str, list[int]]] = field(default_factory=dict)  # kind -> (blob, item start offsets)

    @classmethod
    def build(cls, items: list[_Item], pinyin: dict[str, tuple[str, str, str]]) -> _Pool:
        items.sort(key=lambda it: (-it.prior, it.text))
        pool = cls(items)
        table_items: dict[int, list[int]] = defaultdict(list)
        for i, it in enumerate(items):
            pool.by_norm.setdefault(normalise(it.text), i)
            for t in it.tables:
                table_items[t].append(i)
        pool.table_items = dict(table_items)
        keys = [pinyin.get(it.text, ("", "", "")) for it in items]
        pool.blobs = {
            "text": _blob(normalise(it.text) for it in items),
            "full": _blob(k[0].replace(" ", "") for k in keys),
            "initials": _blob(k[1] for k in keys),
            "alt": _blob(k[2] for k in keys),
        }
        return pool

    def find(self, kind: str, query: str, limit: int) -> dict[int, int]:
        """Item -> position of the first occurrence of `query` in its `kind` key, highest prior first."""
        blob, starts = self.blobs[kind]
        found: dict[int, int] = {}
        pos = blob.find(query)
        while pos >= 0 and len(found) < limit:
            item = bisect_right(starts, pos) - 1
            if item not in found:
                found[item] = pos - starts[item]
            # jump to the next item: one occurrence per item is enough
            nxt = starts[item + 1] if item + 1 < len(starts) else len(blob)
            pos = blob.find(query, max(pos + 1, nxt))
        return found


def _blob(keys) -> tuple[str, list[int]]:
    parts, starts, offset = [], [], 0
    for key in keys:
        starts.append(offset)
        parts.append(key)
        offset += len(key) + 1
    return _SEP.join(parts), starts


@dataclass
class _Context:
    """How similar each corpus table is to the drafted project, and how to adapt its wording."""

    similar: dict[int, float]  # table -> similarity in [0, 1], the top tables only
    adapters: dict[int, Adapter]
    year: int | None
    drafted_words: frozenset[str] = frozenset()  # content words of the drafted project name


class Engine:
    """Suggestions over one corpus index. Thread-safe for reads once built."""

    def __init__(self, index: CorpusIndex, framework: Framework | None = None):
        self.index = index
        self.framework = framework or default_framework()
        self.groups = load_subject_groups(bundled_knowledge() / "subjects.toml")
        texts = index.texts
        self.pinyin = {texts[i]: keys for i, keys in index.pinyin.items()}
        years = [t.year for t in index.tables] or [0]
        self.min_year, self.max_year = min(years), max(years)
        self._bm25_setup()

        # wording pools: one per 二级, and one over all of them
        by_l2: dict[tuple[int, int], list[int]] = defaultdict(list)  # (level2, name) -> rows
        # value statistics, aggregated once: wording -> [(value id, count, newest table)] per source year
        by_name: dict[str, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, -1]))
        by_level2: dict[str, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, -1]))
        level2_votes: dict[str, Counter[str]] = defaultdict(Counter)
        for r, (t, l2, name, value) in enumerate(index.rows):
            by_l2[(l2, name)].append(r)
            key = normalise(texts[name])
            level2_votes[key][index.level2s[l2]] += 1
            if texts[value]:
                for stats in (by_name[key], by_level2[index.level2s[l2]]):
                    entry = stats[(value, index.tables[t].year)]
                    entry[0] += 1
                    if entry[1] < 0 or (index.tables[t].year, -t) > (index.tables[entry[1]].year, -entry[1]):
                        entry[1] = t
        self.value_stats = {k: [(v, c, t) for (v, _), (c, t) in d.items()] for k, d in by_name.items()}
        self.level2_value_stats = {
            k: sorted(((v, c, t) for (v, _), (c, t) in d.items()), key=lambda x: -x[1])[:30] for k, d in by_level2.items()
        }
        self.level2_of_name = {k: votes.most_common(1)[0][0] for k, votes in level2_votes.items()}
        self.table_values: dict[tuple[int, str], list[int]] = defaultdict(list)  # (table, 二级) -> value ids
        for t, l2, _, value in index.rows:
            if texts[value]:
                self.table_values[(t, index.level2s[l2])].append(value)
        per_level2: dict[str, list[_Item]] = defaultdict(list)
        merged: dict[int, list[int]] = defaultdict(list)
        for (l2, name), rows in by_l2.items():
            per_level2[index.level2s[l2]].append(self._wording_item(texts[name], index.level2s[l2], rows))
            merged[name].extend(rows)
        self.name_pools = {l2: _Pool.build(items, self.pinyin) for l2, items in per_level2.items()}
        all_items = []
        for name, rows in merged.items():
            l2_counts = Counter(index.rows[r][1] for r in rows)
            all_items.append(self._wording_item(texts[name], index.level2s[l2_counts.most_common(1)[0][0]], rows))
        self.all_names = _Pool.build(all_items, self.pinyin)

        projects: dict[str, list[int]] = defaultdict(list)
        goals: dict[str, list[int]] = defaultdict(list)
        for t, info in enumerate(index.tables):
            projects[info.name].append(t)
            if texts[info.goal]:
                goals[texts[info.goal]].append(t)
        self.project_pool = _Pool.build([self._item(text, ts) for text, ts in projects.items()], self.pinyin)
        self.goal_pool = _Pool.build([self._item(text, ts) for text, ts in goals.items()], self.pinyin)
        self._contexts: dict[tuple[str, str, int | None], _Context] = {}

    # ------------------------------------------------------------------------------------- building
    def _item(self, text: str, tables: list[int]) -> _Item:
        tables = list(dict.fromkeys(tables))
        newest = max(tables, key=lambda t: (self.index.tables[t].year, -t))
        prior = math.log1p(len(tables)) + 0.1 * self._recency(self.index.tables[newest].year)
        return _Item(text, tables, prior=prior, newest=newest)

    def _wording_item(self, text: str, level2: str, rows: list[int]) -> _Item:
        item = self._item(text, [self.index.rows[r][0] for r in rows])
        item.level2 = level2
        item.value = self._usual_value(rows)
        return item

    def _usual_value(self, rows: list[int]) -> str | None:
        texts, tables = self.index.texts, self.index.tables
        counts: Counter[int] = Counter(self.index.rows[r][3] for r in rows if texts[self.index.rows[r][3]])
        if not counts:
            return None
        newest = {v: max(tables[self.index.rows[r][0]].year for r in rows if self.index.rows[r][3] == v) for v in counts}
        best = max(counts, key=lambda v: (counts[v], newest[v], -v))
        return texts[best]

    def _recency(self, year: int) -> float:
        span = self.max_year - self.min_year
        return 1.0 if span <= 0 else (year - self.min_year) / span

    def _bm25_setup(self) -> None:
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = []
        for t, info in enumerate(self.index.tables):
            counts = Counter(info.tokens)
            lengths.append(sum(counts.values()))
            for tok, tf in counts.items():
                self.postings[tok].append((t, tf))
        self.doc_len = lengths
        self.avg_len = (sum(lengths) / len(lengths)) if lengths else 1.0
        n = len(lengths)
        self.idf = {tok: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for tok, p in self.postings.items()}
        segment.add_words(self._domain_words())

    def _domain_words(self) -> set[str]:
        """Terms jieba must keep whole: categories, subjects, quoted names in the corpus (“两个中心”)."""
        words = set()
        for name in (*self.framework.level1, *self.framework.level2):
            words.update({name, name.removesuffix("指标")})
        for group in self.groups:
            words.update(group)
        for text in self.index.texts:
            words.update(re.findall(r"[“\"]([\u4e00-\u9fff]{2,8})[”\"]", text))
        return words

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
        if not project and not goal:
            return _Context({}, {}, year)
        query = Counter(segment.tokens(project)) + Counter(segment.tokens(goal)) if goal else Counter(segment.tokens(project))
        scores: dict[int, float] = defaultdict(float)
        k1, b = 1.2, 0.75
        for tok, qtf in query.items():
            idf = self.idf.get(tok)
            if idf is None:
                continue
            for t, tf in self.postings[tok]:
                norm = tf * (k1 + 1) / (tf + k1 * (1 - b + b * self.doc_len[t] / self.avg_len))
                scores[t] += idf * norm * qtf
        drafted_core = core_name(project)
        for t, info in enumerate(self.index.tables):
            if drafted_core and core_name(info.name) == drafted_core:  # the same project in another year
                scores[t] = max(scores.values(), default=1.0) * 1.2 or 1.0
        top = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:_CONTEXT_TABLES]
        best = top[0][1] if top and top[0][1] > 0 else 1.0
        similar = {t: s / best for t, s in top if s > 0}
        adapters = {}
        for t in similar:
            info = self.index.tables[t]
            a = adapter(info.name, info.year, project, year, self.groups, _first_word)
            if a:
                adapters[t] = a
        return _Context(similar, adapters, year, frozenset(segment.tokens(project)))

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
        if field == "name":
            pool = self.name_pools.get(level2) if level2 else self.all_names
            if pool is None:
                return []
        else:
            pool = self.project_pool if field == "project" else self.goal_pool
        skip = {normalise(t) for t in exclude}
        return self._rank(pool, query, ctx, k, field, skip)

    def _rank(self, pool: _Pool, query: str, ctx: _Context, k: int, field: str, skip: set[str]) -> list[Suggestion]:
        q = normalise(query)
        ctx_items = self._context_items(pool, ctx)
        results: dict[str, Suggestion] = {}

        def offer(s: Suggestion) -> None:
            key = normalise(s.text)
            if key and key not in skip and (key not in results or results[key].score < s.score):
                results[key] = s

        if not q:
            candidates = dict.fromkeys(ctx_items)
            candidates.update(dict.fromkeys(range(min(_POPULAR, len(pool.items)))))
            for i in candidates:
                for s in self._scored(pool, i, ctx, ctx_items.get(i, 0.0), None, field):
                    offer(s)
        else:
            matches: dict[int, tuple[str, float] | None] = dict(self._matches(pool, q))
            for i in ctx_items:  # context items also match on their adapted text
                matches.setdefault(i, None)
            for i, match in matches.items():
                for s in self._scored(pool, i, ctx, ctx_items.get(i, 0.0), match, field, q):
                    offer(s)
            if len(results) < k:
                for i, match in self._fuzzy(pool, q, ctx_items).items():
                    for s in self._scored(pool, i, ctx, ctx_items.get(i, 0.0), match, field, q):
                        offer(s)
        ranked = sorted(results.values(), key=lambda s: (-s.score, -s.count, s.text))
        return ranked[:k]

    def _context_items(self, pool: _Pool, ctx: _Context) -> dict[int, float]:
        found: dict[int, float] = {}
        for t, sim in ctx.similar.items():
            for i in pool.table_items.get(t, ()):
                if sim > found.get(i, 0.0):
                    found[i] = sim
        return found

    def _matches(self, pool: _Pool, q: str) -> dict[int, tuple[str, float]]:
        """Typed matches by text, then pinyin, each with a quality in (0, 1]."""
        found: dict[int, tuple[str, float]] = {}
        for i, pos in pool.find("text", q, _MATCHES).items():
            text = normalise(pool.items[i].text)
            quality = 1.0 if text == q else 0.93 if pos == 0 else 0.85 - min(pos, 20) * 0.004
            found[i] = ("exact" if text == q else "prefix" if pos == 0 else "substring", quality)
        if _ASCII_WORD.match(q):
            for kind, base in (("initials", 0.9), ("alt", 0.86), ("full", 0.9)):
                if len(found) >= _MATCHES:
                    break
                for i, pos in pool.find(kind, q, _MATCHES).items():
                    quality = base if pos == 0 else base - 0.08
                    spaced = self.pinyin.get(pool.items[i].text, ("",))[0]
                    if kind == "full" and pos not in _syllable_starts(spaced):
                        continue
                    if i not in found or found[i][1] < quality:
                        found[i] = ("pinyin", quality)
        return found

    def _fuzzy(self, pool: _Pool, q: str, ctx_items: dict[int, float]) -> dict[int, tuple[str, float]]:
        """Near matches (rapidfuzz) over the most used texts and the context's, for typos and word order."""
        choices = {i: normalise(pool.items[i].text) for i in range(min(len(pool.items), _FUZZY_POOL))}
        choices.update({i: normalise(pool.items[i].text) for i in ctx_items})
        hits = process.extract(q, choices, scorer=fuzz.partial_ratio, limit=10, score_cutoff=60)
        return {i: ("fuzzy", 0.75 * score / 100) for _, score, i in hits}

    def _scored(
        self,
        pool: _Pool,
        i: int,
        ctx: _Context,
        sim: float,
        match: tuple[str, float] | None,
        field: str,
        q: str = "",
    ) -> list[Suggestion]:
        """The item as a suggestion, plus its adaptation to the drafted table where one applies.

        `match` is (how, quality); None for a context item found without typing, whose text (or adapted
        text) must then contain `q` itself.
        """
        item = pool.items[i]
        best_t = max((t for t in item.tables if t in ctx.similar), key=lambda t: ctx.similar[t], default=item.newest)
        info = self.index.tables[best_t]
        source = Provenance(info.name, info.year, info.file)
        popularity = math.log1p(len(item.tables)) / math.log1p(max(1, len(self.index.tables)))
        recency = self._recency(info.year)
        adapt = ctx.adapters.get(best_t)
        if adapt is None and ctx.year and ctx.year != info.year:
            adapt = Adapter((), (info.year, ctx.year))  # not a similar table, but another year
        variants = [(item.text, item.value, False)]
        if adapt:
            text2 = adapt.apply(item.text)
            value2 = adapt.apply(item.value) if item.value else item.value
            if text2 != item.text or value2 != item.value:
                variants.append((text2, value2, True))
        out = []
        for text, value, adapted in variants:
            if match is not None:
                how, quality = match
            else:
                quality = _quality(normalise(text), q)
                if quality is None:
                    continue
                how = "context" if q else ("context" if sim else "popular")
            if q:
                score = 100 * (0.5 * quality + 0.3 * sim + 0.15 * popularity + 0.05 * recency)
            else:
                score = 100 * (0.6 * sim + 0.3 * popularity + 0.1 * recency)
            if adapt and not adapted and text != adapt.apply(text):
                score *= 0.9  # names another subject or year than the drafted table
            elif not adapted and self._foreign(text, best_t, ctx):
                score *= 0.88  # names what only its own project is about (长聘人员 in a 两个中心 table)
            if adapted and pool.by_norm.get(normalise(text), i) != i:
                adapted = False  # the adapted wording exists as written in the corpus
            out.append(
                Suggestion(
                    text,
                    round(min(100.0, score), 2),
                    item.level2 if field == "name" else None,
                    value if field == "name" else None,
                    source,
                    adapted,
                    len(item.tables),
                    how,
                )
            )
        return out

    def _foreign(self, text: str, table: int, ctx: _Context) -> bool:
        """Whether wording carries a word of its source project's name that the drafted name lacks."""
        if not ctx.drafted_words:
            return False
        own = self._name_words(self.index.tables[table].name)
        return any(len(w) >= 2 and w not in ctx.drafted_words and w in text for w in own)

    @lru_cache(maxsize=4096)
    def _name_words(self, name: str) -> frozenset[str]:
        return frozenset(segment.tokens(name))

    # --------------------------------------------------------------------------------------- values
    def _values(self, query: str, name: str, level2: str | None, ctx: _Context, k: int) -> list[Suggestion]:
        """Values used with this wording (or similar wording), most common first, adapted to the year."""
        weights: dict[str, float] = defaultdict(float)
        best: dict[str, tuple[float, int]] = {}  # value -> (weight of its best source, table)
        counts: Counter[str] = Counter()
        shifted_only: dict[str, bool] = {}

        def add(stats: list[tuple[int, int, int]], weight: float) -> None:
            for value_id, count, table in stats:
                value = self.index.texts[value_id]
                info = self.index.tables[table]
                adapted = False
                if ctx.year and ctx.year != info.year:
                    value2 = Adapter((), (info.year, ctx.year)).apply(value)
                    adapted, value = value2 != value, value2
                weights[value] += weight * count
                counts[value] += count
                if value not in best or weight * count > best[value][0]:
                    best[value] = (weight * count, table)
                shifted_only[value] = shifted_only.get(value, True) and adapted

        key = normalise(name)
        exact = self.value_stats.get(key, [])
        add(exact, 1.0)
        if key:
            # Similar wording counts too, within the wording's own 二级: 时效 wording lends no 成本 values.
            if level2 is None and exact:
                level2 = self.level2_of_name.get(key)
            pool = self.name_pools.get(level2) if level2 else self.all_names
            if pool is not None:
                choices = {i: normalise(pool.items[i].text) for i in range(min(len(pool.items), _FUZZY_POOL))}
                for _, score, i in process.extract(key, choices, scorer=fuzz.WRatio, limit=15, score_cutoff=50):
                    if choices[i] != key:
                        add(self.value_stats.get(choices[i], []), 0.5 * (score / 100) ** 3)
        # What the most similar tables wrote for this 二级, then what the 二级 usually takes:
        # these break ties and fill in for wording never seen.
        if level2:
            for t, sim in ctx.similar.items():
                add([(v, 1, t) for v in self.table_values.get((t, level2), ())], 0.15 * sim)
        add(self.level2_value_stats.get(level2 or "", []), 0.02 if key else 1.0)
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
            info = self.index.tables[best[value][1]]
            source = Provenance(info.name, info.year, info.file)
            out.append(Suggestion(value, round(score, 2), level2, None, source, shifted_only[value], counts[value], "value"))
        out.sort(key=lambda s: (-s.score, -s.count, s.text))
        return out[:k]


def _quality(text: str, q: str) -> float | None:
    if not q:
        return 1.0
    pos = text.find(q)
    if pos < 0:
        return None
    return 1.0 if text == q else 0.93 if pos == 0 else 0.85 - min(pos, 20) * 0.004


@lru_cache(maxsize=65536)
def _syllable_starts(spaced: str) -> frozenset[int]:
    """Offsets in the unspaced full pinyin where a syllable starts ("cun wei" -> {0, 3})."""
    starts, offset = set(), 0
    for syllable in spaced.split(" "):
        starts.add(offset)
        offset += len(syllable)
    return frozenset(starts)


def _first_word(text: str) -> str:
    words = segment.words(text)
    return words[0] if words else text[:2]
