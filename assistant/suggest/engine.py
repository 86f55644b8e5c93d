"""The suggestion engine: ranking what colleagues wrote, the indicator library and the user's own words.

Fields: `project` (项目名称), `goal` (年度总体目标), `name` (三级 wording, per 二级) and `value` (指标值 for a
wording). Each suggestion has a 0–100 score, its 二级, the usual value, its kind of source (own / corpus /
library / goal) and where it came from.

Ranking, in bands so that a better kind of source is never outranked by a worse one:
- A: rows of corpus tables like the drafted one (same sector, or sharing most of its name's words),
  and numbered rows from its own goal;
- B: the library's rows for the project's sector(s), and wording made from the goal's phrases;
- C: generic rows (the library's sector-independent rows, corpus wording that names nothing specific);
- D: another sector's specific rows (村干部 wording for a farmland project), only when typed for.
Within a band the order is the one of the first version: context similarity, popularity, match quality.

How it stays fast on a 100,000-row corpus: the state is built once and cached (suggest/loader.py); typed
matching is a `str.find` over one string per pool (suggest/pool.py); the context of a drafted project is
computed once; candidates get a cheap score first and only the best few are turned into results.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import itemgetter

from rapidfuzz import fuzz, process

from .. import segment
from ..adapt import Adapter, adapter, core_name, name_year, project_subject
from ..framework import Framework, default_framework
from ..goalwords import (
    GoalWording, action_phrases, goal_wordings, numbers, phrases, typed_completions, verbs_starting, warm_up_in_background,
)  # fmt: skip
from ..index import CorpusIndex
from ..library import Library, LibraryIndicator
from ..sector import infer_sectors, keyword_sectors
from ..units import Expectation, PerUnit, amount_wan, expect, fits, per_unit, shape_of, whole_amount
from ..values import format_number, parse_measure
from .build import build_state
from .model import NOTHING_SIMILAR, Provenance, SimilarTable, Suggestion
from .pool import LATIN, PAIR_ITEMS, Pool, Pools
from .state import EngineState
from .text import apply, dated, normalise, position_quality, quality, shift_year, syllable_starts

FIELDS = ("name", "value", "goal", "project")

CONTEXT_TABLES = 60  # most similar corpus tables whose wording is offered without typing
KIN = 0.5  # closeness from which a corpus table counts as the same kind of project
TEMPLATE_MIN = 0.6  # closeness from which a table is offered as a template
_UNRELATED = 0.1  # word coverage below which a same-sector table is another project (党校 vs 村干部报酬)
_VALUE_TABLES = 15  # most similar tables whose values for the 二级 count as evidence
_POPULAR = 30  # most used wordings always considered
_MATCHES = 120  # typed matches collected before stopping
_GOAL_ROWS = 3  # goal wordings offered per list without typing
_DERIVED = 2  # cost standards derived from the funding, at most (one per way colleagues write it)
_LEAD_SECTOR = 3  # the sector's library rows that come before the generic ones
_LEAD_GENERIC = 2  # generic library rows that come before the sector's other rows
_SHARED_KINDS = ("timeliness", "cost", "satisfaction")  # 二级 kinds whose usual wording is sector-independent
_ASCII_WORD = re.compile(r"^[a-z]+$")
_NUMBER_IN_TEXT = re.compile(r"\d+(?:\.\d+)?\s*[\u4e00-\u9fff%]")

# Score bands (low, high) by tier; see the module docstring. Typed text completed with a 二级's head word
# (工程 → 工程设计使用年限) scores in the gap between C and D: after anything written that matches, before
# another sector's rows.
_BANDS = {"A": (55.0, 100.0), "B": (40.0, 55.0), "C": (25.0, 40.0), "D": (0.0, 20.0)}
_COMPLETION = (20.0, 25.0)
_RANK = {"A": 3, "B": 2, "C": 1, "D": 0}
# A 二级's values when a wording says nothing about its shape.
_KIND_SHAPES = {"satisfaction": "percent", "timeliness": "date", "cost": "money"}


@lru_cache(maxsize=4096)
def _initials(text: str) -> str:
    return segment.pinyin_keys(text)[1]


def _typed_quality(norm: str, q: str) -> float | None:
    """Match quality of the user's own words (goal, name) for 汉字 or pinyin initials ("gcs" → 改厕数)."""
    got = quality(norm, q)
    if got is None and _ASCII_WORD.match(q):
        pos = _initials(norm).find(q)
        got = None if pos < 0 else 0.86 if pos == 0 else 0.78
    return got


# Letters no Unicode composition makes: in a normal form they come from one character of the text it was made of.
_PLAIN = re.compile(r"[a-z\u4e00-\u9fff]")
_HANZI = re.compile(r"^[\u4e00-\u9fff]+$")


@lru_cache(maxsize=4096)
def _chars(text: str) -> frozenset[str]:
    """Every character the normal form of a text made of `text`'s pieces can show (each character as NFKC and
    lower case make it, and itself)."""
    return frozenset(text) | frozenset(c for ch in text for c in unicodedata.normalize("NFKC", ch).lower())


def _could_read_as(norm: str, key: str, drafted: frozenset[str]) -> bool:
    """Whether an adapter to the drafted project could turn wording `norm` into `key`: it only puts pieces of the
    drafted name in place of the source's subject and moves years (digits), so every letter of `key` must be
    in the wording or in the drafted name (a necessary condition, checked without reading any table)."""
    have = _chars(norm)
    return all(ch in have or ch in drafted or not _PLAIN.match(ch) for ch in key)


@lru_cache(maxsize=16384)
def _spliced(norm: str, key: str, project: str) -> bool:
    """A sharper necessary condition when the drafted name (without its year) is all 汉字: each replacement puts a
    run of its characters in place of a stretch of the wording, and nothing else changes but digits. So `key`'s
    letters must be the wording's letters with some stretches each replaced by such a run: `key`'s letters
    outside the drafted name's, in order, with whatever stretch of the wording in place of each run of the
    drafted name's letters ("专项保障社区干部人数工作" never reads "保障社区干部人数": 专项 would need a
    replacement before 保, whose output 保 is not)."""
    core = core_name(project)
    if project and not _HANZI.match(core):
        return True  # a name with other characters: pieces of it may vanish in the normal form
    n = norm if _HANZI.match(norm) else "".join(c for ch in norm for c in unicodedata.normalize("NFKC", ch).lower() if _PLAIN.match(c))
    pieces = _kept_pieces(key, core)
    if len(pieces) == 1:
        return n == pieces[0]
    first, last = pieces[0], pieces[-1]
    if len(first) + len(last) > len(n) or not n.startswith(first) or not n.endswith(last):
        return False
    at, end = len(first), len(n) - len(last)
    for piece in pieces[1:-1]:  # leftmost first leaves the most room for the rest
        found = n.find(piece, at, end)
        if found < 0:
            return False
        at = found + len(piece)
    return True


@lru_cache(maxsize=4096)
def _kept_pieces(key: str, core: str) -> tuple[str, ...]:
    """`key`'s letters split at each run of the drafted name's letters (what a replacement may have put there):
    the wording must start with the first piece, end with the last and hold the others in order between."""
    letters = set(core)
    pieces, run = [""], False
    for c in key:
        if not _PLAIN.match(c):
            continue
        if c in letters:
            if not run:
                pieces.append("")
            run = True
        else:
            pieces[-1] += c
            run = False
    return tuple(pieces)


def _shared_pairs(wording: str, other: str) -> int:
    """How many of `other`'s character pairs the wording has (补助合作社平均标准 and 入股合作社个数: 2)."""
    pairs = {wording[j : j + 2] for j in range(len(wording) - 1)}
    return sum(other[j : j + 2] in pairs for j in range(len(other) - 1))


def _band(tier: str, inner: float) -> float:
    low, high = _BANDS[tier]
    return round(low + (high - low) * max(0.0, min(1.0, inner)), 2)


@dataclass
class Context:
    """The drafted project as the engine sees it: similar tables, its sectors, its own words."""

    project: str
    goal: str
    year: int | None
    similar: dict[int, float]  # table -> BM25 similarity relative to the best, the top tables only
    closeness: dict[int, float]  # table -> absolute similarity in [0, 1]: words shared, lifted by a shared sector
    sectors: tuple[str, ...]
    drafted_words: frozenset[str]
    subject: str
    adapters: dict[int, Adapter | None] = field(default_factory=dict)
    named_adapters: dict[tuple[str, int], Adapter | None] = field(default_factory=dict)
    items: dict[int, dict[int, tuple[float, int]]] = field(default_factory=dict)  # pool id -> item -> (sim, table)
    rendered: dict[int, tuple[str, str]] = field(default_factory=dict)  # library row -> (wording, value)
    library: dict[str, list] = field(default_factory=dict)  # 二级 -> its library rows as read here
    untyped: dict[str, list] = field(default_factory=dict)  # 二级 -> its untyped library suggestions, best first
    unrelated: dict[tuple[str, int], bool] = field(default_factory=dict)  # (wording, table) -> Engine._unrelated
    specific: dict[tuple[str, int], bool] = field(default_factory=dict)  # (wording, table) -> Engine._specific
    foreign: dict[int, tuple[str, ...]] = field(default_factory=dict)  # source table -> its name's words the drafted lacks
    _goal_rows: list[GoalWording] | None = None
    _phrases: list[str] | None = None

    same_sector: frozenset[int] = frozenset()  # every corpus table sharing a sector with the drafted project
    coverage: dict[int, float] = field(default_factory=dict)  # table -> share of the drafted words it uses
    _close: frozenset[int] | None = None

    @property
    def close(self) -> frozenset[int]:
        """Corpus tables of the drafted kind outside its sectors: sharing most of its name's words. With
        `same_sector`, the tables of the drafted kind (kept apart: the sector's can be most of the corpus)."""
        if self._close is None:
            self._close = frozenset(t for t, c in self.coverage.items() if c >= KIN and t not in self.same_sector)
        return self._close

    @property
    def nothing_similar(self) -> bool:
        """A project was named and no corpus table is of its kind."""
        return bool(self.project or self.goal) and not self.same_sector and not self.close

    @property
    def goal_rows(self) -> list[GoalWording]:
        if self._goal_rows is None:
            self._goal_rows = goal_wordings(self.goal) if self.goal else []
        return self._goal_rows

    @property
    def phrases(self) -> list[str]:
        """Phrases of the name and the goal, for matching what the user types."""
        if self._phrases is None:
            found = [self.subject] if len(self.subject) >= 2 else []
            found += phrases(self.goal) if self.goal else []
            self._phrases = list(dict.fromkeys(found))
        return self._phrases


class Engine:
    """Suggestions over one corpus and the library. Build with `Engine.build(index)` or `load_engine()`;
    reads are thread-safe."""

    def __init__(self, state: EngineState, framework: Framework | None = None):
        self.framework = framework or default_framework()
        self.state = state
        self.tables = state.tables
        self.value_stats = state.value_stats
        self.warnings = state.warnings
        self.groups = tuple(tuple(g) for g in state.groups)
        self.pools = Pools(state.pools)
        self.recency = state.recency()
        self.years = state.years()[0]  # (the value step asks for the year of every table its evidence names)
        self.name_codes = state.name_codes()  # (and whether its name makes an adapter that reads a wording as another)
        lib = state.library
        self.library_rows = [
            LibraryIndicator(s, l2, n, v, u, tuple(k), src)
            for s, l2, n, v, u, k, src in zip(lib.sector, lib.level2, lib.name, lib.value, lib.unit, lib.keywords, lib.source)
        ]
        self.sector_keys = [(sid, tuple(kws)) for sid, _, kws in lib.sectors]
        self.sector_names = {sid: name for sid, name, _ in lib.sectors}
        self._library_by_level2: dict[str, list[int]] = defaultdict(list)
        for r, l2 in enumerate(lib.level2):
            self._library_by_level2[l2].append(r)
        self._max_idf = state.max_idf()
        self._sector_tables = state.sector_tables()
        self._contexts: dict[tuple[str, str, int | None], Context] = {}
        self._similar: dict[tuple[str, str | None], tuple[tuple[str, float], ...]] = {}
        self._keyword_cache: dict[str, frozenset[str]] = {}
        self._values_cache: dict[tuple[str, int | None], list[tuple[str, int, int, int, bool]]] = {}
        self._sector_unions: dict[tuple[str, ...], frozenset[int]] = {}
        self._sources_cache: dict[str, list[tuple[int, list[int]]]] = {}
        self._sector_items: dict[tuple[tuple[str, ...], int], dict[int, bool]] = {}  # (sectors, pool) -> item -> any
        segment.add_words(state.domain_words)

    @property
    def all_names(self) -> Pool:
        return self.pools["name"]

    def header_values(self, field: str, department: str = "") -> list[str]:
        """What tables in the corpus wrote for a header field (代码, 实施单位 …), most common first;
        for a department's own code and unit, that department's values come first."""
        by_department, headers = self.state.by_department, self.state.headers
        own = [v for v, _ in by_department.get(department, {}).get(field, [])] if department else []
        return list(dict.fromkeys(own + [v for v, _ in headers.get(field, [])]))

    @classmethod
    def build(cls, index: CorpusIndex, framework: Framework | None = None, library: Library | None = None) -> Engine:
        return cls(build_state(index, library), framework)

    # -------------------------------------------------------------------------------------- context
    def context(self, project: str = "", goal: str = "", year: int | None = None) -> Context:
        key = (project, goal, year)
        ctx = self._contexts.get(key)
        if ctx is None:
            ctx = self._contexts[key] = self._make_context(project, goal, year)
            if len(self._contexts) > 64:
                self._contexts.pop(next(iter(self._contexts)))
        return ctx

    def _make_context(self, project: str, goal: str, year: int | None) -> Context:
        year = year or name_year(project)
        words = frozenset(segment.tokens(project)) if project else frozenset()
        sectors = infer_sectors(project, goal, self.sector_keys)
        subject = project_subject(project) if project else ""
        if not project and not goal:
            return Context(project, goal, year, {}, {}, sectors, words, subject)
        query = Counter(segment.tokens(project)) + Counter(segment.tokens(goal) if goal else ())
        scores: dict[int, float] = defaultdict(float)
        for word, weight in query.items():
            for t, w in self.state.postings.get(word, ()):
                scores[t] += w * weight
        same = self.state.core.get(core_name(project), ()) if project else ()
        if same:  # the same project in another year is the most similar table of all
            top_score = max(scores.values(), default=1.0) * 1.2 or 1.0
            for t in same:
                scores[t] = top_score
        # The best CONTEXT_TABLES, ties to the lower table number: the cut-off score found among the bare scores
        # (thousands of tables share a word of a province's corpus), then only the tables at or above it ordered.
        cut = heapq.nlargest(CONTEXT_TABLES, scores.values())[-1] if len(scores) > CONTEXT_TABLES else -math.inf
        top = sorted(((t, s) for t, s in scores.items() if s >= cut), key=lambda kv: (-kv[1], kv[0]))[:CONTEXT_TABLES]
        best = top[0][1] if top and top[0][1] > 0 else 1.0
        similar = {t: s / best for t, s in top if s > 0}
        weights = self._query_weights(words, goal)
        coverage = {t: 1.0 if t in same else self._coverage(t, weights) for t in similar}
        closeness = {t: max(c, 0.5 + 0.5 * c) if set(sectors) & set(self.state.table_sectors[t]) else c for t, c in coverage.items()}
        ctx = Context(project, goal, year, similar, closeness, sectors, words, subject)
        ctx.coverage = coverage
        ctx.same_sector = self._sectors_tables(sectors)
        return ctx

    def _sectors_tables(self, sectors: tuple[str, ...]) -> frozenset[int]:
        """Every corpus table in any of these sectors (a union remembered per engine: a province's sectors
        hold tens of thousands of tables each, and most drafted projects of a unit share their sectors)."""
        got = self._sector_unions.get(sectors)
        if got is None:
            groups = [self._sector_tables.get(s, frozenset()) for s in sectors]
            got = groups[0] if len(groups) == 1 else frozenset().union(*groups)  # no copy for one
            if len(self._sector_unions) > 16:
                self._sector_unions.clear()
            self._sector_unions[sectors] = got
        return got

    def _query_weights(self, name_words: frozenset[str], goal: str) -> dict[str, float]:
        """The drafted project's words with their weight: rarity, the goal's own words at half."""
        weights = {w: self._word_weight(w) for w in name_words}
        for w in segment.tokens(goal) if goal else ():
            weights.setdefault(w, 0.5 * self._word_weight(w))
        return weights

    def _coverage(self, t: int, weights: dict[str, float]) -> float:
        """The share of the drafted project's words (weighted) a corpus table uses, in [0, 1]."""
        total = sum(weights.values())
        if not total:
            return 0.0
        have = set(self.state.table_words[t])
        return round(sum(v for w, v in weights.items() if w in have) / total, 4)

    def _word_weight(self, word: str) -> float:
        """A word's rarity; subject words (村干部, 社区) weigh a third: wording is adapted across them."""
        weight = self.state.idf.get(word, self._max_idf)
        return weight / 3 if any(word in term for group in self.groups for term in group) else weight

    @staticmethod
    def prepare_goal_wording() -> None:
        """Load the part-of-speech tagger in the background (about a second): the app calls this once the
        engine is ready, so wording from the goal costs nothing when the first row is asked for."""
        warm_up_in_background()

    def notice(self, project: str = "", goal: str = "", year: int | None = None) -> str | None:
        """What to say above the suggestions: that nothing in the corpus is of this kind, or None."""
        return NOTHING_SIMILAR if self.context(project[:200], goal[:2000], year).nothing_similar else None

    def sectors(self, project: str = "", goal: str = "") -> list[str]:
        """The inferred sectors' names, best first."""
        return [self.sector_names.get(s, s) for s in infer_sectors(project, goal, self.sector_keys)]

    def similar_tables(self, project: str = "", goal: str = "", year: int | None = None, k: int = 3) -> list[SimilarTable]:
        """The corpus tables most like the drafted one, with their closeness (the template offer's list)."""
        ctx = self.context(project[:200], goal[:2000], year)
        ranked = sorted(ctx.closeness, key=lambda t: (-ctx.closeness[t], -ctx.similar[t], t))[:k]
        return [SimilarTable(t, self.tables[t][0], self.tables[t][1], self.tables[t][2], ctx.closeness[t]) for t in ranked]

    def template_offer(self, project: str = "", goal: str = "", year: int | None = None, k: int = 3) -> list[SimilarTable]:
        """Only the similar tables worth starting from (closeness >= TEMPLATE_MIN); [] means 从空白开始."""
        return [s for s in self.similar_tables(project, goal, year, k) if s.score >= TEMPLATE_MIN]

    def _adapter(self, ctx: Context, t: int) -> Adapter | None:
        if t not in ctx.adapters:
            _, name, year = self.tables[t]
            # (one per project name and year: a province's corpus has ten tables for each name)
            a = ctx.named_adapters.get((name, year), False)
            if a is False:
                a = adapter(name, year, ctx.project, ctx.year, self.groups, segment.first_word)
                a = ctx.named_adapters[(name, year)] = a if a else None
            ctx.adapters[t] = a
        return ctx.adapters[t]

    def _context_items(self, pool: Pool, ctx: Context) -> dict[int, tuple[float, int]]:
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
        funding: float | None = None,
        rows: tuple[tuple[str, str, str], ...] | list[tuple[str, str, str]] = (),
    ) -> list[Suggestion]:
        """Ranked suggestions for what the user is typing (`query` may be empty).

        `exclude`: wording the draft already has; it is not offered again. For values, `funding` (万元)
        and the draft's `rows` (二级, wording, value) let a cost standard be derived (funding ÷ quantity).
        """
        if field not in FIELDS:
            raise ValueError(f"unknown field {field!r}")
        k = max(1, min(int(k), 100))
        query = query[:200]  # nobody types more; a pasted essay must not cost seconds
        ctx = self.context(project[:200], goal[:2000], year)
        if field == "value":
            return self._values(query, name[:200], level2, ctx, k, funding, rows)
        skip = {normalise(t) for t in exclude}
        q = normalise(query)
        pool = self.pools.get(f"name:{level2}" if level2 else "name") if field == "name" else self.pools[field]
        found = self._rank(pool, q, ctx, k, field, skip) if pool is not None else []
        if field == "name":
            found += self._library(q, level2, ctx, skip, k) + self._goal(q, level2, ctx, skip)
            if level2 and len(q) >= 2 and not _ASCII_WORD.match(q):
                # Completions fill the list: never in place of wording written somewhere (band C and up).
                room = k - len({normalise(s.text) for s in found if s.score >= _BANDS["C"][0]} - skip)
                found += self._completions(q, level2, ctx)[: max(0, room)]
        results: dict[str, Suggestion] = {}
        for s in found:
            key = normalise(s.text)
            if key not in skip and (key not in results or results[key].score < s.score):
                results[key] = s
        if field == "name" and level2 and q and len(results) < k:
            self._other_level2(q, level2, ctx, k, skip, results)
        found = sorted(results.values(), key=lambda s: (-s.score, -s.count, s.text))[:k]
        if field == "name" and funding and math.isfinite(funding) and funding > 0:
            found = [self._within_funding(s, funding) for s in found]
        return found

    @staticmethod
    def _within_funding(s: Suggestion, funding: float) -> Suggestion:
        """A wording's usual value as this project can use it: a whole amount (控制在预算成本内) is the project's
        own funding, and no amount larger than the funding (250万 for an 80万 project) is offered at all."""
        if whole_amount(s.text):
            return replace(s, value=f"{format_number(funding)}万元")
        if not s.value or shape_of(s.value)[0] != "money":
            return s
        amount = amount_wan(s.value)
        return replace(s, value=None) if amount is not None and amount > funding else s

    def _other_level2(self, q: str, level2: str, ctx: Context, k: int, skip: set[str], results: dict) -> None:
        """Typed text is intent: when the 二级 has fewer than k matches, wording of any 二级 that matches (corpus,
        library, goal) fills the list after them, without its value (another 二级's value would not fit)."""
        found = self._library(q, None, ctx, skip, k) + self._goal(q, None, ctx, skip)
        if len(results) + len(found) < k:  # the corpus pass costs most: only when the rest leaves room
            found += self._rank(self.pools["name"], q, ctx, k, "name", skip, fuzzy=False, whole=True)
        for s in sorted(found, key=lambda s: -s.score):
            key = normalise(s.text)
            if key in skip or key in results or s.level2 == level2:
                continue
            results[key] = replace(s, score=round(min(s.score, 40.0) / 4, 2), value=None)
            if len(results) >= k:
                break

    def _rank(self, pool: Pool, q: str, ctx: Context, k: int, field: str, skip: set[str], fuzzy: bool = True,
              whole: bool = False) -> list[Suggestion]:  # fmt: skip
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
                    found = quality(normalise(apply(a, pool.texts[i])), q) if a else None
                    if found is not None:
                        matches[i] = ("context", found)
            if fuzzy and len(matches) < k and len(q) >= 3:  # two characters fuzzily alike share one: noise
                for i, match in self._fuzzy(pool, q, ctx_items).items():
                    matches.setdefault(i, match)

        candidates = [i for i in matches if pool.norms[i] not in skip]
        # Penalties take at most a fifth off within a band; the tier is known before scoring, so the
        # best k + 10 by band and cheap score hold the top k.
        # The cheap tier first (kin or not); the dearer checks only for the items that could make the list.
        tier = self._tiers(pool, candidates, ctx, ctx_items, field)
        score = self._cheap(pool, candidates, ctx_items, matches if q else None)
        if field == "name" and ctx.sectors:
            # Another kind of project's wording that names nothing of its own (项目完成时限 in a 村干部 table)
            # is general wording: it ranks with the generic rows (C). Its own things (村干部任职补贴标准) stay
            # last (D) when typed for, and untyped are left out. Untyped, every such item is looked at; typed,
            # only those that could make the list.
            others = [i for i in candidates if tier[i] == "D"]
            if q:
                others = heapq.nlargest(k + 10, others, key=score.__getitem__)
            for i in others:
                if not self._specific(pool, i, ctx, ctx_items.get(i)):
                    tier[i] = "C"
        if not q:  # untyped, another sector's own things are left out, not just put last
            candidates = [i for i in candidates if tier[i] != "D"]
        keys = {i: (_RANK[tier[i]], score[i]) for i in candidates}  # bands never overlap
        for i in heapq.nlargest(2 * (k + 10), candidates, key=keys.__getitem__):
            if tier[i] == "A" and self._unrelated(pool, i, ctx, ctx_items.get(i)):
                tier[i] = "C"
                keys[i] = (_RANK["C"], score[i])
        out: list[Suggestion] = []
        top: dict[str, float] = {}  # normal form -> best score so far, for texts the list may show
        for i in heapq.nlargest(k + 10, candidates, key=keys.__getitem__):
            # An item scores at most its band at its cheap score (penalties only take off). Once k texts score
            # above that, neither it nor any after it can make the list (`suggest` keeps the k best; another
            # 二级's fill-in, which skips texts, looks at every item: `whole`).
            if not whole and len(top) >= k and _band(tier[i], score[i]) < heapq.nlargest(k, top.values())[-1]:
                break
            for s in self._scored(pool, i, ctx, ctx_items.get(i), matches[i], field, q, tier[i]):
                out.append(s)
                norm = normalise(s.text)
                if norm not in skip and top.get(norm, -1.0) < s.score:
                    top[norm] = s.score
        return out

    def _cheap(self, pool: Pool, items: list[int], ctx_items: dict, matches: dict | None) -> dict[int, float]:
        """Each item's score before penalties (`_scored` computes the same base): typed, the match counts most;
        untyped, the context. (A hot loop over every candidate: inline.)"""
        pop, newest, recency, out = pool.pop, pool.newest, self.recency, {}
        for i in items:
            got = ctx_items.get(i)
            sim, t = got if got is not None else (0.0, newest[i])
            if matches is not None:
                out[i] = 0.5 * matches[i][1] + 0.3 * sim + 0.15 * pop[i] + 0.05 * recency[t]
            else:
                out[i] = 0.6 * sim + 0.3 * pop[i] + 0.1 * recency[t]
        return out

    def _tiers(self, pool: Pool, items: list[int], ctx: Context, ctx_items: dict, field: str) -> dict[int, str]:
        """Each corpus item's band: A from a table of the drafted kind (or when the drafted project's sector is
        unknown), D from another kind of project; `_unrelated` may then lower an A to C. (A hot loop: inline.)"""
        if field != "name" or (not ctx.sectors and not ctx.nothing_similar):
            return dict.fromkeys(items, "A")  # without a sector nothing is another sector's: the first ranking
        if not ctx.sectors:
            # A project of no known sector with nothing like it in the corpus (档案数字化): what the corpus
            # says in general (项目完成时限) ranks with the generic rows; another project's own things (社区工作者
            # 任职补贴标准, 脱贫户供水设施数量) come last, and untyped not at all.
            return {i: "D" if self._specific(pool, i, ctx, ctx_items.get(i)) else "C" for i in items}
        same, close, newest, tables = ctx.same_sector, ctx.close, pool.newest, pool.tables
        # Whether any table using an item is in the sectors: the same for every project of these sectors.
        in_sectors = self._sector_items.get((ctx.sectors, id(pool)))
        if in_sectors is None:
            if len(self._sector_items) > 64:
                self._sector_items.clear()
            in_sectors = self._sector_items[(ctx.sectors, id(pool))] = {}
        out = {}
        for i in items:
            t = ctx_items[i][1] if i in ctx_items else newest[i]
            if t in same or t in close:
                out[i] = "A"
                continue
            kin = in_sectors.get(i)
            if kin is None:
                kin = in_sectors[i] = not same.isdisjoint(tables[i])
            out[i] = "A" if kin or (close and not close.isdisjoint(tables[i])) else "D"
        return out

    def _unrelated(self, pool: Pool, i: int, ctx: Context, in_context: tuple[float, int] | None) -> bool:
        """Same sector, but from a project sharing (almost) no word and naming its own subject (村干部 for a
        党校 training class): such wording comes after the library's rows for the sector (band C)."""
        if not ctx.sectors:
            return False
        t = in_context[1] if in_context else pool.newest[i]
        if ctx.coverage.get(t, 0.0) >= _UNRELATED:
            return False
        key = (pool.texts[i], t)  # asked again at every keystroke: remembered per context
        found = ctx.unrelated.get(key)
        if found is None:
            found = ctx.unrelated[key] = self._foreign(pool.texts[i], t, ctx)
        return found

    def _specific(self, pool: Pool, i: int, ctx: Context, in_context: tuple[float, int] | None) -> bool:
        """Whether wording names its own project's or another sector's things (村干部, 党建)."""
        text = pool.texts[i]
        t = in_context[1] if in_context else pool.newest[i]
        key = (text, t)  # asked again at every keystroke: remembered per context
        found = ctx.specific.get(key)
        if found is None:
            found = ctx.specific[key] = self._foreign(text, t, ctx) or bool(
                self._text_sectors(text) - set(ctx.sectors)
            )
        return found

    def _text_sectors(self, text: str) -> frozenset[str]:
        """The sectors whose keywords a wording names, remembered per engine (a few hundred `in` tests each)."""
        found = self._keyword_cache.get(text)
        if found is None:
            if len(self._keyword_cache) > 65536:
                self._keyword_cache.clear()
            found = self._keyword_cache[text] = keyword_sectors(text, self.sector_keys)
        return found

    def _matches(self, pool: Pool, q: str) -> dict[int, tuple[str, float]]:
        """Typed matches by text, then pinyin, each with a quality in (0, 1]."""
        found: dict[int, tuple[str, float]] = {}
        for i, pos in pool.find("text", q, _MATCHES).items():
            got = position_quality(pool.norms[i], q, pos)
            found[i] = ("exact" if got == 1.0 else "prefix" if pos == 0 else "substring", got)
        if _ASCII_WORD.match(q):
            for kind, base in (("initials", 0.9), ("alt", 0.86), ("full", 0.9)):
                if len(found) >= _MATCHES:
                    break
                for i, pos in pool.find(kind, q, _MATCHES).items():
                    if kind == "full" and pos not in syllable_starts(pool.spaced[i]):
                        continue
                    got = base if pos == 0 else base - 0.08
                    if i not in found or found[i][1] < got:
                        found[i] = ("pinyin", got)
        return found

    def _fuzzy(self, pool: Pool, q: str, ctx_items: dict[int, tuple[float, int]]) -> dict[int, tuple[str, float]]:
        """Near matches (rapidfuzz) over the most used texts and the context's, for typos and word order."""
        # Letters typed (pinyin initials) share no character with a text of 汉字 alone, which scores 0 there:
        # only the texts with a Latin letter can match (the same hits, without scoring thousands of others).
        latin = _ASCII_WORD.match(q) is not None
        head = pool.latin_head() if latin else pool.head
        hits = {i: s for _, s, i in process.extract(q, head, scorer=fuzz.partial_ratio, limit=10, score_cutoff=60)}
        extra = [i for i in ctx_items if i >= len(pool.head) and (not latin or LATIN.search(pool.norms[i]))]
        for _, s, j in process.extract(q, [pool.norms[i] for i in extra], scorer=fuzz.partial_ratio, limit=10, score_cutoff=60):
            hits[extra[j]] = s
        return {i: ("fuzzy", 0.75 * s / 100) for i, s in hits.items()}

    def _scored(
        self,
        pool: Pool,
        i: int,
        ctx: Context,
        in_context: tuple[float, int] | None,
        match: tuple[str, float],
        field: str,
        q: str,
        tier: str,
    ) -> list[Suggestion]:
        """The item as a suggestion, plus its adaptation to the drafted table where one applies."""
        sim, t = in_context or (0.0, pool.newest[i])
        file, project, year = self.tables[t]
        source = Provenance(project, year, file)
        how, got = match
        text, value = pool.texts[i], pool.value[i]
        adapt = self._adapter(ctx, t)
        # (text, value, is the adapted variant, shown as adapted: not where the corpus has it as written)
        variants = [(text, value, False, False)]
        if adapt:
            text2, value2 = apply(adapt, text), (apply(adapt, value) if value else value)
            if (text2, value2) != (text, value):
                variants.append((text2, value2, True, pool.by_norm.get(normalise(text2), i) == i))
        out = []
        named = field == "name"
        if q:
            base = 0.5 * got + 0.3 * sim + 0.15 * pool.pop[i] + 0.05 * self.recency[t]
        else:
            base = 0.6 * sim + 0.3 * pool.pop[i] + 0.1 * self.recency[t]
        for text, value, variant, adapted in variants:
            score = base
            if not variant and len(variants) > 1:
                score *= 0.9  # names another subject or year than the drafted table
            elif not variant and self._foreign(text, t, ctx):
                score *= 0.88  # names what only its own project is about (长聘人员 in a 两个中心 table)
            if named and _NUMBER_IN_TEXT.search(text):
                score *= 0.9  # "受益村个数12个" carries its own table's figure into the wording
            if named and value and ctx.project and ctx.coverage.get(t, 0.0) < 1.0 and whole_amount(text):
                value = None  # another project's whole amount (控制在预算成本内 250万) is never this one's
            elif named and value and tier != "A":
                value = self._fitting(text, value)  # another kind of project's figure only if its shape fits
            out.append(
                Suggestion(
                    text,
                    _band(tier, score),
                    pool.level2[i] if named else None,
                    value if named else None,
                    source,
                    adapted,
                    len(pool.tables[i]),
                    how,
                    kind=self.state.table_kinds[t],
                )
            )
        return out

    def _fitting(self, wording: str, value: str) -> str | None:
        want = expect(wording)
        return value if want is not None and fits(value, want) else None

    def _foreign(self, text: str, t: int, ctx: Context) -> bool:
        """Whether wording carries a word of its source table's project name that the drafted name lacks."""
        if not ctx.drafted_words:
            return False
        words = ctx.foreign.get(t)
        if words is None:  # asked for every candidate of every list: the source's words once per context
            words = ctx.foreign[t] = tuple(w for w in self.state.table_name_words[t] if w not in ctx.drafted_words)
        return any(w in text for w in words)

    # ------------------------------------------------------------------------------ library, goal
    def _render(self, ctx: Context, r: int) -> tuple[str, str]:
        got = ctx.rendered.get(r)
        if got is None:
            got = ctx.rendered[r] = self.library_rows[r].render(ctx.subject or None, ctx.year)
        return got

    def _library_rows(self, level2: str | None, ctx: Context) -> list[tuple[int, str, float, str, str, str]]:
        """The library's rows for a 二级 as this project reads them, once per context:
        (row, band, place in the band, wording, its normal form, value)."""
        prepared = ctx.library.get(level2 or "")
        if prepared is not None:
            return prepared
        lib = self.state.library
        rows = self._library_by_level2.get(level2, ()) if level2 else range(len(lib.name))
        sectors = set(ctx.sectors)
        # Within a sector, rows whose keywords the name or goal mention come first (道路清扫保洁面积 for a
        # 城市环卫保洁 project before 改造农村户厕数量), then file order.
        # Generic rows keep the file's order (the most used first): their keywords (资金, 补助) are in any name.
        said = ctx.project + ctx.goal
        hits = {r: 0 if lib.sector[r] == "generic" else sum(1 for w in lib.keywords[r] if w in said) for r in rows}
        rows = sorted(rows, key=lambda r: -hits[r])
        # 时效, 成本 and 满意度 wording is mostly the same in every sector (完成时限, 成本控制率, 服务对象满意度):
        # there the generic rows take turns with the sector's instead of following them and the goal's.
        shared = self.framework.kind(level2 or "") in _SHARED_KINDS
        prepared = []
        seen: Counter[str] = Counter()  # rows so far per sector
        for r in rows:
            sector = lib.sector[r]
            if "{subject}" in lib.name[r] and not ctx.subject:
                continue  # "{subject}完成率" without a project would read "完成率"
            order = seen[sector]
            seen[sector] += 1
            # The sector's first rows, then the first generic ones (项目完成时限 …), then the rest.
            if sector == "generic":
                tier = "B" if order < (_LEAD_SECTOR if shared else _LEAD_GENERIC) else "C"
                if tier == "B" and not shared:
                    order += 2 * _LEAD_SECTOR  # after the goal's own wording too
            else:
                # A sector row the name and goal say nothing about (传染病报告及时率 for a 计生扶助 project)
                # is the sector's other business: after the generic rows.
                lead = order < _LEAD_SECTOR and (hits[r] > 0 or not said)
                tier = "B" if sector in sectors and lead else "C" if sector in sectors else "D"
            place = 1 - min(order, 50) / 50
            text, value = self._render(ctx, r)
            norm = normalise(text)
            if norm:
                prepared.append((r, tier, place, text, norm, value))
        ctx.library[level2 or ""] = prepared
        return prepared

    def _library(self, q: str, level2: str | None, ctx: Context, skip: set[str], k: int) -> list[Suggestion]:
        """Library rows: the project's sectors (band B), generic rows (C), other sectors only when typed (D);
        the best k. Untyped lists are the same at every visit of a step: made once per context."""
        lib = self.state.library
        if not q:
            ready = ctx.untyped.get(level2 or "")
            if ready is None:
                ready = ctx.untyped[level2 or ""] = [
                    (norm, self._library_suggestion(r, tier, place, text, value))
                    for r, tier, place, text, norm, value in self._library_rows(level2, ctx)
                    if tier != "D"
                ]
                ready.sort(key=lambda pair: -pair[1].score)
            return [s for norm, s in ready if norm not in skip][:k]
        ascii_query = bool(_ASCII_WORD.match(q))
        found = []
        for r, tier, place, text, norm, value in self._library_rows(level2, ctx):
            got = quality(norm, q)
            if got is None and ascii_query:
                # A row with the project's subject filled in is matched as the user reads it ("gbz" → 高标准…)
                initials = _initials(norm) if "{subject}" in lib.name[r] else lib.initials[r]
                if q in initials:
                    got = 0.86 if initials.startswith(q) else 0.78
            if got is not None and norm not in skip:
                found.append((_band(tier, 0.5 * got + 0.5 * place), r, tier, text, value))
        best = heapq.nlargest(k, found, key=lambda f: f[0])
        return [self._library_suggestion(r, tier, None, text, value, score) for score, r, tier, text, value in best]

    def _library_suggestion(self, r: int, tier: str, place: float | None, text: str, value: str, score: float = 0.0) -> Suggestion:
        lib = self.state.library
        generic = lib.sector[r] == "generic"
        return Suggestion(
            text, _band(tier, place) if place is not None else score, lib.level2[r], value or None, None, False, 0,
            "library", kind="library", origin=lib.source[r], generic=generic,
        )  # fmt: skip

    def _goal(self, q: str, level2: str | None, ctx: Context, skip: set[str]) -> list[Suggestion]:
        """Wording from the drafted project's own goal (and, when typed for, its name's phrases)."""
        out = []
        shown = 0
        for row in ctx.goal_rows:
            if level2 and row.level2 != level2:
                continue
            norm = normalise(row.text)
            if norm in skip:
                continue
            got = _typed_quality(norm, q)
            if got is None:
                continue
            if not q and shown >= _GOAL_ROWS:
                break
            shown += 1
            # A phrase with a stated number is the table's own row: band A. Others are drafts: band B.
            tier = "A" if row.value else "B"
            inner = (0.9 if row.value else 0.95) * got - 0.02 * shown
            out.append(
                Suggestion(
                    row.text, _band(tier, inner), row.level2, row.value or None, None, False, 0, "goal",
                    kind="goal", origin="年度总体目标",
                )
            )  # fmt: skip
        if q:
            for text, got in self._typed_phrases(q, ctx):
                if normalise(text) not in skip:
                    out.append(Suggestion(text, _band("B", 0.8 * got), level2, None, None, False, 0, "goal",
                                          kind="goal", origin="项目名称或总体目标"))  # fmt: skip
        return out

    @staticmethod
    def _completions(q: str, level2: str, ctx: Context) -> list[Suggestion]:
        """What is typed completed with the 二级's usual head words (goalwords.typed_completions): generic
        wording patterns, so labelled 通用, after every written match."""
        rows = [r.text for r in ctx.goal_rows if r.level2 == level2]
        low, high = _COMPLETION
        return [
            Suggestion(text, round(high - 0.5 * n, 2), level2, None, None, False, 0, "completion", kind="library",
                       origin="通用写法（按输入补全）", generic=True)
            for n, text in enumerate(typed_completions(q, level2, ctx.subject, ctx.phrases, rows))
        ]  # fmt: skip

    @staticmethod
    def _typed_phrases(q: str, ctx: Context) -> list[tuple[str, float]]:
        """The name's and goal's phrases matching what is typed, with the match quality. Typed text is the
        start of the wording wanted: inside a phrase it also offers the phrase from there on ("返本" in
        "合作社为入股贫困户返本分红" → 返本分红), and an action verb is offered with each of the goal's
        own actions ("开展" → 开展送戏进万村)."""
        found: dict[str, float] = {}
        for phrase in ctx.phrases:
            norm = normalise(phrase)
            got = _typed_quality(norm, q)
            if got is None:
                continue
            found[phrase] = max(got, found.get(phrase, 0.0))
            pos = phrase.find(q) if len(q) >= 2 else -1
            if pos > 0 and len(phrase) - pos >= len(q) + 1:
                found.setdefault(phrase[pos:], quality(normalise(phrase[pos:]), q) or got)
        if len(q) >= 2 and ctx.goal and not _ASCII_WORD.match(q):
            for verb in verbs_starting(q)[:2]:
                for done, phrase in action_phrases(ctx.goal):
                    if done != verb and not phrase.startswith(verb):
                        found.setdefault(verb + phrase, 0.86)
        return list(found.items())

    # --------------------------------------------------------------------------------------- values
    def _expectation(self, name: str, level2: str | None) -> Expectation | None:
        want = expect(name) if name else None
        if want is None and level2 in self.framework.level2:
            shape = _KIND_SHAPES.get(self.framework.level2[level2].kind)
            want = Expectation(shape) if shape else None
        return want

    def _values(
        self,
        query: str,
        name: str,
        level2: str | None,
        ctx: Context,
        k: int,
        funding: float | None,
        rows,
    ) -> list[Suggestion]:
        """Values of the expected shape: used with this wording (or similar wording), stated in the goal,
        the library's, derived from the draft; most common first, moved to the budget year."""
        weights: dict[str, float] = defaultdict(float)
        best: dict[str, tuple[float, int]] = {}  # value -> (weight of its best source, table)
        counts: Counter[str] = Counter()
        shifted_only: dict[str, bool] = {}
        extra: dict[str, Suggestion] = {}  # goal, library and derived values

        said: Counter[str] = Counter()  # values used with this or similar wording: the shape a standard takes

        def add(stats, weight: float, counted: bool = True, wording: bool = False) -> None:
            """Evidence for values; `counted` evidence (rows using the wording) sets the shown count."""
            for value, count, t, most, adapted in stats:  # (a hot loop: every value of every similar wording)
                amount = weight * count
                if wording:
                    said[value] += amount
                weights[value] += amount
                if counted:
                    counts[value] += count
                got = best.get(value)
                if got is None or weight * most > got[0]:
                    best[value] = (weight * most, t)
                if adapted:
                    shifted_only.setdefault(value, True)  # shifted wherever it was used
                else:
                    shifted_only[value] = False

        def rows_of(norm: str) -> list[tuple[str, int, int, int, bool]]:
            return self._wording_values(norm, ctx.year) if norm else []

        key = normalise(name)
        want = self._expectation(name, level2)
        exact_rows = rows_of(key)
        if key:
            add(exact_rows, 1.0, wording=True)
        as_written = set(weights)  # values used with this very wording: what colleagues wrote, kept as is
        if key:
            # Similar wording counts too, within the wording's own 二级: 时效 wording lends no 成本 values.
            level2 = level2 or self.state.level2_of_name.get(key)
            if want is not None or not ctx.nothing_similar:  # else: other projects' values of unknown shape
                drafted = _chars(ctx.project)
                for norm, score in self._similar_wording(key, level2):
                    # Another project's wording that is this very wording once its subject is this project's
                    # (社区工作者任职补贴支出时限 for a 村干部任职补贴 table) says as much as this wording itself.
                    # Only possible when the wording's letters and the drafted name's make up `key`: else no
                    # adapter need be asked (a hundred source tables for a common wording at 1,000,000 rows).
                    weight = 0.5 * (score / 100) ** 3
                    possible = _spliced(norm, key, ctx.project) and _could_read_as(norm, key, drafted)
                    alike = self._reads_as(norm, key, ctx) if possible else set()
                    if not alike:
                        add(rows_of(norm), weight, counted=not exact_rows, wording=True)
                        continue
                    stats = self.value_stats.get(norm, ())
                    same = [r for j, r in enumerate(stats) if j in alike]
                    add(self._by_value(same, ctx.year), 1.0, counted=not exact_rows, wording=True)
                    rest = [r for j, r in enumerate(stats) if j not in alike]
                    add(self._by_value(rest, ctx.year), weight, counted=not exact_rows, wording=True)
        # What the most similar tables wrote for this 二级, then what the 二级 usually takes: these break
        # ties and fill in for wording never seen, but only in a known shape (never "60人" for 清运量).
        # With nothing of the drafted kind in the corpus, other projects' values count only in a known shape.
        known = want is not None or not ctx.nothing_similar
        if level2:
            for t, sim in list(ctx.similar.items())[:_VALUE_TABLES]:
                if known:
                    values = self.state.table_values.get(t, {}).get(level2, ())
                    add(self._by_value([(v, 1, t) for v in values], ctx.year), 0.15 * sim, counted=False)
            if known or not key:
                add(self._by_value(self.state.level2_values.get(level2 or "", ()), ctx.year), 0.02 if key else 1.0,
                    counted=not key)  # fmt: skip
        top = max(weights.values(), default=1.0)
        self._goal_values(name, want, ctx, extra, top)
        has_corpus = any(want is None or v in as_written or fits(v, want) for v in weights)
        self._library_values(name, level2, want, ctx, extra, has_corpus)
        self._choice_values(want, level2, extra, has_corpus)
        funding = funding if funding and math.isfinite(funding) and funding > 0 else None
        self._derived_values(name, want, funding, rows, level2, extra, self._written_per(said, want))
        q = normalise(query)
        found: dict[str, tuple[float, int, int | Suggestion]] = {}  # value -> (score, count, its table or suggestion)
        same_project = {t for t, c in ctx.coverage.items() if c >= 1.0}
        for value, weight in weights.items():
            if want is not None and value not in as_written and not fits(value, want):
                continue
            if want is not None and want.total and ctx.project and (funding or best[value][1] not in same_project):
                continue  # another project's (or year's) whole amount is never this one's: the funding is
            amount = amount_wan(value) if funding else None
            if amount is not None and amount > funding:
                continue  # more than the whole project has (控制在预算成本内 250万 for an 80万 project)
            if want is not None and want.shape == "count" and ctx.nothing_similar and value not in as_written:
                continue  # nothing like it in the corpus: another kind of project's count ("1个") is noise
            got = quality(normalise(value), q)
            if got is None:
                continue
            score = 100 * (0.8 * weight / top + 0.2 * got) if q else 100 * weight / top
            if value not in as_written:
                score *= 0.8  # what others wrote for other wording: after the goal's and the draft's own figures
            found[value] = (round(score, 2), counts[value], best[value][1])
        for value, s in extra.items():
            if quality(normalise(value), q) is None:
                continue
            same = found.get(value)
            if same is not None and same[0] >= s.score:
                continue  # colleagues' use of the value says more than the library's usual shape
            found[value] = (s.score, s.count, s)
        # Only the values shown become suggestions: each corpus one reads its table's name and file.
        shown = heapq.nsmallest(k, found.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
        out = []
        for value, (score, count, made) in shown:
            if not isinstance(made, Suggestion):
                file, project, year = self.tables[made]
                made = Suggestion(value, score, level2, None, Provenance(project, year, file), shifted_only[value],
                                  count, "value", kind=self.state.table_kinds[made])  # fmt: skip
            out.append(made)
        return out

    def _reads_as(self, norm: str, key: str, ctx: Context) -> set[int]:
        """The value rows of wording `norm` whose table's adapter makes the wording `key`. Decided once per source
        name and year (what an adapter is made from): at a province's size a common wording's rows come from
        hundreds of tables, of fewer names."""
        alike: set[int] = set()
        moved = dated(norm)
        for t, rows in self._row_sources(norm):
            a = self._adapter(ctx, t)
            if a is None or not (moved and a.years or any(src in norm for src, _ in a.pairs)):
                continue  # it changes nothing in this wording, which is not `key`
            if normalise(apply(a, norm)) == key:
                alike.update(rows)
        return alike

    def _row_sources(self, norm: str) -> list[tuple[int, list[int]]]:
        """A wording's value rows grouped by their table's name and year: (a table of the group, its rows),
        remembered per engine."""
        got = self._sources_cache.get(norm)
        if got is None:
            stats, codes, years = self.value_stats.get(norm, ()), self.name_codes, self.years
            groups: dict[tuple[int, int], list[int]] = {}
            for j, (_, _, t) in enumerate(stats):
                groups.setdefault((codes[t], years[t]), []).append(j)
            got = [(stats[rows[0]][2], rows) for rows in groups.values()]
            if len(self._sources_cache) > 4096:
                self._sources_cache.clear()
            self._sources_cache[norm] = got
        return got

    def _wording_values(self, norm: str, year: int | None) -> list[tuple[str, int, int, int, bool]]:
        """`_by_value` of a wording's value statistics, remembered per engine: at 1,000,000 rows a common wording
        has hundreds of rows (a value per year it was used in), and every value list reads a dozen wordings."""
        key = (norm, year)
        got = self._values_cache.get(key)
        if got is None:
            if len(self._values_cache) > 4096:
                self._values_cache.clear()
            got = self._values_cache[key] = self._by_value(self.value_stats.get(norm, ()), year)
        return got

    def _by_value(self, stats, year: int | None) -> list[tuple[str, int, int, int, bool]]:
        """Value rows (value, count, table) as the drafted year reads them, one per value moved to `year`, in the
        order first written: (value, its count, the table of its most used row (the first of equals), that row's
        count, whether every row's value was moved)."""
        years = self.years
        merged: dict[str, list] = {}
        for value, count, t in stats:
            adapted = False
            if year and dated(value) and year != (source_year := years[t]):
                value2 = shift_year(value, source_year, year)
                adapted, value = value2 != value, value2
            got = merged.get(value)
            if got is None:
                merged[value] = [value, count, t, count, adapted]
            else:
                got[1] += count
                if count > got[3]:
                    got[2], got[3] = t, count
                got[4] = got[4] and adapted
        return [tuple(m) for m in merged.values()]  # type: ignore[misc]

    def _goal_values(self, name: str, want: Expectation | None, ctx: Context, extra: dict, top: float) -> None:
        """Numbers the goal states: the one after this very phrase first, then any of the right unit."""
        if not ctx.goal:
            return
        norm = normalise(name)
        for row in ctx.goal_rows:
            if row.value and normalise(row.text) == norm:
                extra.setdefault(row.value, Suggestion(row.value, 100.0, row.level2, None, None, False, 0, "goal",
                                                       kind="goal", origin="年度总体目标"))  # fmt: skip
        if want is None or want.shape not in ("count", "money"):
            return
        for num in numbers(ctx.goal):
            if fits(num.value, want) and num.value not in extra:
                extra[num.value] = Suggestion(num.value, 90.0, None, None, None, False, 0, "goal",
                                              kind="goal", origin="年度总体目标")  # fmt: skip

    def _library_values(self, name: str, level2: str | None, want, ctx: Context, extra: dict, has_corpus: bool) -> None:
        """The library's value for this wording; else its usual value of the expected shape for the 二级."""
        norm = normalise(name)
        lib = self.state.library
        sectors = ("generic", *ctx.sectors)
        quality = self.framework.kind(level2 or "") == "quality"
        for r, _, _, _, rendered, value in self._library_rows(level2, ctx):
            if not value or (value in extra and extra[value].score >= 80.0):
                continue
            if norm and (rendered == norm or lib.norm[r] == norm):
                score = 80.0
            elif want is not None and lib.sector[r] in sectors and fits(value, want):
                score = 30.0 if not has_corpus else 1.0  # the usual shape: after what colleagues wrote
            elif want is None and lib.sector[r] in sectors and shape_of(value)[0] == "text" and expect(lib.name[r]) is None:
                score = 29.0 if not has_corpus else 0.9  # a graded answer the 二级 usually takes (长期)
            elif want is None and quality and lib.sector[r] in sectors and shape_of(value)[0] == "percent":
                score = 28.0 if not has_corpus else 0.8  # a 质量 row says nothing of its shape: a rate (DOMAIN §3)
            else:
                continue
            if value in extra and extra[value].score >= score:
                continue
            extra[value] = Suggestion(value, score, level2, None, None, False, 0, "library", kind="library",
                                      origin=lib.source[r], generic=lib.sector[r] == "generic")  # fmt: skip

    @staticmethod
    def _choice_values(want: Expectation | None, level2: str | None, extra: dict, has_corpus: bool) -> None:
        """The answers a yes/no wording takes (是否… → 是, 否), in the vocabulary's order."""
        for n, value in enumerate(want.choices if want is not None else ()):
            score = (30.0 if not has_corpus else 1.0) - n * 0.1
            extra.setdefault(value, Suggestion(value, score, level2, None, None, False, 0, "library", kind="library",
                                               origin="通用写法", generic=True))  # fmt: skip

    @staticmethod
    def _written_per(said: Counter[str], want: Expectation | None) -> list[PerUnit]:
        """What colleagues' standards for this wording are per ("2556元/人/月" → 人, per month; "121200元/年" →
        the year), most used first, from money values with a per-unit that fits the wording."""
        if want is None or want.shape != "money":
            return []
        found: dict[PerUnit, None] = {}
        # Only a value with a slash writes a per-unit (shape_of's unit has one only then): most values have none.
        slashed = [(value, amount) for value, amount in said.items() if "/" in value or "／" in value]
        units: set[str] = set()  # a money value fits by its unit alone: each unit is looked at once
        for value, _ in sorted(slashed, key=itemgetter(1), reverse=True):  # (as Counter.most_common orders them)
            shape, unit = shape_of(value)
            if shape != "money" or "/" not in unit or (unit in units and not want.choices):
                continue
            units.add(unit)
            per = per_unit(unit) if fits(value, want) else None
            if per is not None:
                found.setdefault(per)
        ways = {}  # one per way of dividing (人 per month), in the style most used for it
        for per in found:
            ways.setdefault((per.count, per.months), per)
        return list(ways.values())

    def _derived_values(self, wording: str, want, funding: float | None, rows, level2: str | None, extra: dict,
                        written: list[PerUnit] | tuple = ()) -> None:
        """A cost standard from the draft: funding (万元) ÷ a 数量 row's number, in 元 per its unit. The row's unit
        must be what the standard is per when the wording says (人均 → a 人 row, never 户); as colleagues write
        the standard (元/人/月) it is also per month of the budget year (÷ 12), and a standard per year alone
        (121200元/年) is the funding itself. Each way colleagues write it gives one value, theirs first."""
        if want is None or want.shape != "money" or not want.derive or funding is None:
            return
        if want.total:  # 项目金额, 总成本: the year's funding itself
            value = f"{format_number(funding)}万元"
            extra.setdefault(value, Suggestion(value, 85.0, level2, None, None, False, 0, "derived", kind="goal",
                                               origin="年度资金总额", derived=True))  # fmt: skip
            return
        made: list[tuple[str, str]] = []  # (value, how)
        source = f"由年度资金{format_number(funding)}万元"
        counted = self._count_row(wording, want, rows, written)
        # As colleagues write it, the most used way first (never the funding per month alone), then per the
        # row's own unit (补助合作社平均标准 → 元/个). A row the wording names (村干部 in 村干部任职补贴标准)
        # says the standard is per what it counts: those ways first.
        ways: list[PerUnit | None] = [w for w in written if w.count or w.months == 1]
        if counted is not None and not any(w.count and self._counts_in(counted, w.count) for w in ways):
            ways.append(None)
        if counted is not None and _shared_pairs(wording, counted[0]) >= 2:
            ways.sort(key=lambda w: w is not None and not w.count)  # stable: per-year-alone ways last
        for way in ways:
            per, unit, how = funding * 10000, "", source
            if way is None or way.count:
                if counted is None or (way is not None and not self._counts_in(counted, way.count)):
                    continue
                name, value, m = counted
                per /= m.number
                unit, how = f"/{way.count if way else m.unit}", f"{how} ÷ {name}{value}"
            elif want.units:
                continue  # the wording says what it is per: never the whole year's amount
            if way is not None and way.months > 1:
                per /= way.months
                unit, how = f"{unit}/月", f"{how} ÷ {way.months}个月"
            elif way is not None:
                unit += "/年"
            if not unit or not math.isfinite(per):
                continue
            wan = per >= 10000 and (way is None or way.yuan == "万元")
            amount = f"{format_number(per / 10000, 2)}万元" if wan else f"{format_number(per, 2)}元"
            made.append((f"{amount}{unit}", how))
        for n, (value, how) in enumerate(list(dict(made).items())[:_DERIVED]):
            extra.setdefault(value, Suggestion(
                value, 85.0 - n, level2, None, None, False, 0, "derived", kind="goal", origin=f"{how} 算出", derived=True,
            ))  # fmt: skip

    def _count_row(self, wording: str, want, rows, written) -> tuple[str, str, object] | None:
        """The drafted 数量 row a standard divides the funding by: counted in what the wording says it is per
        (人均 → 人), else in what colleagues write it per, else any; the one sharing most words with the wording
        (补助合作社平均标准 -> 入股合作社个数)."""
        counts = []
        fitting = {w.count for w in written if w.count}
        for row_level2, row_name, row_value in rows:
            if self.framework.kind(row_level2) != "quantity":
                continue
            m = parse_measure(row_value)
            if m is None or m.number <= 0 or not m.unit or m.is_percent or "元" in m.unit:
                continue
            row = (row_name, row_value, m)
            if want.units and not any(self._counts_in(row, u) for u in want.units):
                continue  # 元/人 is never funding ÷ 户
            counts.append((not any(self._counts_in(row, u) for u in fitting), row))
        if not counts:
            return None
        # (a row in a unit colleagues use first; then shared pairs, then the share of the row's own pairs: a
        # short row naming the thing beats a long one)
        def rank(c: tuple) -> tuple[bool, int, float]:
            shared = _shared_pairs(wording, c[1][0])
            return not c[0], shared, shared / max(1, len(c[1][0]) - 1)

        return max(counts, key=rank)[1]

    @staticmethod
    def _counts_in(row: tuple, unit: str) -> bool:
        """Whether a 数量 row counts in `unit`: its own unit, or 个 of what the unit names (村委会个数 12个 → 村)."""
        name, _, m = row
        return m.unit == unit or (m.unit == "个" and unit in name)

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
        if len(key) < 2:
            found.update(pool.find("text", key, PAIR_ITEMS))
        for j in range(len(key) - 1):  # the most used texts sharing each character pair
            found.update(dict.fromkeys(pool.with_pair(key[j : j + 2])))
        choices = [pool.norms[i] for i in found if pool.norms[i] != key]
        hits = process.extract(key, choices, scorer=fuzz.WRatio, limit=15, score_cutoff=50)
        found_similar = self._similar[(key, level2)] = tuple((norm, score) for norm, score, _ in hits)
        return found_similar
