"""The stored engine state with a few files added, changed or removed, without deriving it all again.

When few corpus files changed since the stored state was made (at most OVERLAY_SHARE of them), a start opens
the stored state as it is (suggest/store.py) and builds a small state from only the added and changed files
(suggest/build.py on their records); `OverlayState` answers the engine's reads from both:
- tables of changed and removed files are dead: left out of every stored list (postings, projects, sectors,
  value statistics, pools) and their header values out of the header counts; added and changed files'
  tables are numbered after the stored ones;
- BM25 weights compare: the small state is weighed with the whole corpus's statistics (tables, mean length,
  each word's document frequency: the stored one, less the dead tables', plus the added ones'), and stored
  weights are rescaled to the new idf;
- a pool (one field's texts) is merged once, when first read: dead-only texts leave, the added tables join
  their text's item, and the items that changed and new texts are placed where a whole build sorts them
  (so the pool's order, where a typed search stops, is a whole build's).

It is close to a whole build, not equal: stored postings keep their length normalisation and top-200 cut; a
stored item keeps its usual value and 二级; a stored value statistic whose first table is dead is given to the
first live table of its year using the value (within _RELIVE reads, else left out); counts (values, 二级 votes)
keep the dead tables' other uses, and a header value the top 20 had left out does not come back when a dead
table's goes; added tables are numbered last, so equal scores may tie otherwise.
The next start past OVERLAY_SHARE derives everything again (suggest/loader.py), which ends these differences.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence

from ..index import HEADER_FIELDS, CorpusIndex
from ..sector import infer_sectors
from .build import POSTINGS, bm25, build_state, header_counts
from .state import FORMAT, PoolState, ReadMapping
from .store import StoredState

OVERLAY_SHARE = 0.02  # changed files (of the stored corpus's) up to which a start overlays instead of rebuilding
_RELIVE = 200  # stored tables read at most to find a value statistic's new first table
_BLOBS = ("text", "full", "initials", "alt")
_SEP = "\x1f"


def changes(stored: dict[str, tuple[int, int, int]], current: list) -> tuple[list[str], list[str], set[int]]:
    """(added or changed paths, removed paths, dead stored tables) between the stored files and `current`
    ((path, size, mtime) of every corpus file now, as index.stat_key gives)."""
    now = {str(p): (size, mtime) for p, size, mtime in current}
    fresh = [p for p, st in now.items() if p not in stored or stored[p][:2] != st or st[0] < 0]
    removed = [p for p in stored if p not in now]
    dead = {stored[p][2] for p in (*fresh, *removed) if p in stored and stored[p][2] >= 0}
    return fresh, removed, dead


def within_share(n_changed: int, n_files: int) -> bool:
    return 0 < n_changed <= OVERLAY_SHARE * n_files


class _Concat:
    """A per-table column: the stored tables', then the added ones'."""

    def __init__(self, base: Sequence, added: Sequence, blank: object):
        self.base, self.added, self.n, self.blank = base, added, len(base), blank

    def __len__(self) -> int:
        return self.n + len(self.added)

    def __getitem__(self, t: int):
        if 0 <= t < self.n:
            return self.base[t]
        if self.n <= t < len(self):
            return self.added[t - self.n]
        if t == len(self):
            raise IndexError(t)  # the end, for iteration
        return self.blank


class _Merged(ReadMapping):
    """A mapping read through: the stored value and the added one, merged by `merge` (remembered)."""

    def __init__(self, base, added, merge: Callable[[object, object, object], object]):
        self.base, self.added, self.merge = base, added, merge
        self.memo: dict[object, object] = {}

    def get(self, key: object, default: object = None) -> object:
        if key not in self.memo:
            if len(self.memo) > 200_000:
                self.memo.clear()
            b, a = self.base.get(key), self.added.get(key)
            self.memo[key] = None if b is None and a is None else self.merge(key, b, a)
        got = self.memo[key]
        return default if got is None else got


def _df(idf: float, n: int) -> int:
    """The document frequency a BM25 idf was computed from (build.bm25), over n tables."""
    e = math.exp(idf)
    return max(0, round((n + 0.5 - 0.5 * (e - 1)) / e))


class OverlayState:
    """EngineState's attributes and retrieval interfaces over a stored state, the added files' state and the
    dead stored tables."""

    def __init__(self, base: StoredState, index: CorpusIndex, dead: set[int], changed: list[str]):
        n = self.offset = len(base.tables)
        self.base, self.dead = base, frozenset(dead)
        delta = build_state(index)
        sector_keys = [(sid, kws) for sid, _, kws in base.library.sectors]
        delta.table_sectors = [list(infer_sectors(t.name, index.texts[t.goal], sector_keys)) for t in index.tables]
        self.delta = delta
        m = len(delta.tables)
        self.live = n - len(self.dead) + m

        # Collection statistics of the corpus as it is now; the dead tables' words leave their frequencies.
        dead_words: Counter[str] = Counter()
        for t in self.dead:
            dead_words.update(base.table_words[t])
        self._dead_words = dead_words
        added_len = sum(len(info.tokens) for info in index.tables)
        self.avgdl = (base.avgdl * (n - len(self.dead)) + added_len) / max(1, self.live)
        counts = [Counter(info.tokens) for info in index.tables]
        added_postings, added_idf = bm25(counts, self.live, self.avgdl, lambda w, df: df + self._stored_df(w))
        self._added_idf = added_idf

        def shift(ts):
            return [n + t for t in ts]

        dead_ = self.dead
        self.format = FORMAT
        self.tables = _Concat(base.tables, delta.tables, ("", "", 0))
        self.table_kinds = _Concat(base.table_kinds, delta.table_kinds, "corpus")
        self.table_sectors = _Concat(base.table_sectors, delta.table_sectors, [])
        self.table_words = _Concat(base.table_words, delta.table_words, [])
        self.table_name_words = _Concat(base.table_name_words, delta.table_name_words, [])
        self.table_headers = _Concat(base.table_headers, delta.table_headers, [])
        self._idf_memo: dict[str, float | None] = {}
        self.idf = _Merged(base.idf, added_idf, lambda w, b, a: self.idf_now(w))
        self.core = _Merged(base.core, delta.core, lambda _, b, a: [t for t in b or () if t not in dead_] + shift(a or ()) or None)
        added_postings = {w: [(n + t, x) for t, x in ps] for w, ps in added_postings.items()}
        self.postings = _Merged(base.postings, added_postings, self._postings)

        def stats(key, b, a, level2: bool = False):
            out = [x if x[2] not in dead_ else self._relive(key, x, level2) for x in b or ()]
            out = [x for x in out if x is not None] + [(v, c, n + t) for v, c, t in a or ()]
            if level2:
                out = sorted(out, key=lambda x: (-x[1], x[0]))[:30]
            return out or None

        self.value_stats = _Merged(base.value_stats, delta.value_stats, stats)
        self.level2_values = _Merged(base.level2_values, delta.level2_values, lambda k, b, a: stats(k, b, a, True))
        self.level2_of_name = _Merged(base.level2_of_name, delta.level2_of_name, lambda _, b, a: b if b is not None else a)
        self.table_values = _TableValues(base.table_values, delta.table_values, n, dead_)
        # A changed or removed file's warning (a broken file) goes with it; the added files' own come after.
        self.warnings = [w for w in base.warnings if not any(p in w for p in changed)] + delta.warnings
        # The dead tables' header values leave the counts (a removed table's 实施单位 is not offered again).
        gone, gone_by_department = header_counts(dict(zip(HEADER_FIELDS, base.table_headers[t])) for t in sorted(dead_))
        self.headers = _ranked_merge(None, _without(base.headers, gone), delta.headers)
        self.by_department = _Merged(
            base.by_department, delta.by_department,
            lambda d, b, a: _ranked_merge(d, _without(b, gone_by_department.get(d)), a),
        )  # fmt: skip
        self.groups = base.groups
        self.domain_words = sorted(set(base.domain_words) | set(delta.domain_words))
        self.library = base.library
        self.pools = _Pools(self)
        self._sectors: dict[str, frozenset[int]] = {}
        added_sectors: dict[str, list[int]] = {}
        for t, sectors in enumerate(delta.table_sectors):
            for s in sectors:
                added_sectors.setdefault(s, []).append(n + t)
        self._added_sectors = added_sectors
        self._name_items: dict[str, int] | None = None

    # ------------------------------------------------------------------------------------ statistics
    def _stored_df(self, word: str) -> int:
        """A word's document frequency over the stored tables still alive."""
        idf = self.base.idf.get(word)
        stored = _df(idf, self.offset) if idf is not None else 0
        return max(0, stored - self._dead_words.get(word, 0))

    def idf_now(self, word: str) -> float | None:
        """A word's idf over the corpus as it is now (None: no live table has it)."""
        if word in self._idf_memo:
            return self._idf_memo[word]
        if len(self._idf_memo) > 200_000:
            self._idf_memo.clear()
        got = self._added_idf.get(word)
        if got is None:
            df = self._stored_df(word)
            got = math.log(1 + (self.live - df + 0.5) / (df + 0.5)) if df > 0 else None
        self._idf_memo[word] = got
        return got

    def _postings(self, word: str, b, a):
        """A word's postings: the stored ones alive, rescaled to the idf now, and the added tables'."""
        out = []
        if b:
            old = self.base.idf.get(word)
            new = self.idf_now(word)
            scale = new / old if old and new is not None else 1.0
            out = [(t, w * scale) for t, w in b if t not in self.dead]
        out += a or ()
        out.sort(key=lambda tw: (-tw[1], tw[0]))
        return out[:POSTINGS] or None

    def _relive(self, key: str, stat: tuple, level2: bool) -> tuple | None:
        """A stored value statistic (value, count, its first table) whose table is dead: the count without
        that table's use of the value, given to the first live table of the same year using the value with
        the wording (or in the 二级); None when no other table uses it (or none is found in _RELIVE reads)."""
        value, count, dead = stat
        used = self.base.table_values.get(dead) or {}
        count -= sum(vs.count(value) for l2, vs in used.items() if not level2 or l2 == key)
        if count <= 0:
            return None
        years, _ = self.base.years()
        year = years[dead]
        if level2:
            candidates: Sequence[int] = range(dead + 1, min(self.offset, dead + 1 + 50 * _RELIVE))
        else:
            pool = self.pools.get("name")
            if self._name_items is None and pool is not None:
                self._name_items = {norm: i for i, norm in reversed(list(enumerate(pool.norms)))}
            i = (self._name_items or {}).get(key)
            candidates = sorted(t for t in pool.tables[i] if t < self.offset) if pool is not None and i is not None else ()
        reads = 0
        for t in candidates:
            if years[t] != year or t in self.dead:
                continue
            reads += 1
            used = self.base.table_values.get(t) or {}
            if any(value in vs for l2, vs in used.items() if not level2 or l2 == key):
                return (value, count, t)
            if reads >= _RELIVE:
                break
        return None

    # --------------------------------------------------------------------- retrieval interfaces
    def years(self) -> tuple[list[int], tuple[int, int]]:
        years, (low, high) = self.base.years()
        added = [t[2] for t in self.delta.tables]
        if added:
            low, high = (min(low, *added), max(high, *added)) if len(years) else (min(added), max(added))
        return [*years, *added], (low, high)

    def name_codes(self) -> list[int]:
        codes = list(self.base.name_codes())
        start = max(codes, default=-1) + 1  # an added table's name gets a number of its own (equal names: equal)
        return codes + [start + c for c in self.delta.name_codes()]

    def recency(self) -> list[float]:
        years, (low, high) = self.years()
        span = high - low
        return [1.0 if span <= 0 else (y - low) / span for y in years]

    def max_idf(self) -> float:
        return math.log(1 + (self.live - 1 + 0.5) / 1.5) if self.live else 1.0

    def sector_tables(self) -> _SectorTables:
        return _SectorTables(self)


class _SectorTables:
    def __init__(self, state: OverlayState):
        self.state = state

    def get(self, sector: str, default: frozenset[int] = frozenset()) -> frozenset[int]:
        s = self.state
        got = s._sectors.get(sector)
        if got is None:
            stored = s.base.sector_tables().get(sector, frozenset())
            got = s._sectors[sector] = (stored - s.dead if s.dead & stored else stored) | frozenset(s._added_sectors.get(sector, ()))
        return got or default


class _TableValues:
    def __init__(self, base, added: dict, n: int, dead: frozenset[int]):
        self.base, self.added, self.n, self.dead = base, added, n, dead

    def get(self, t: int, default=None):
        if t >= self.n:
            return self.added.get(t - self.n, default)
        return default if t in self.dead else self.base.get(t, default)


def _without(ranked: dict | None, uses: dict | None) -> dict | None:
    """(value, count) rankings per field less the uses given (field -> value -> count); a value left unused goes."""
    if ranked is None or not uses:
        return ranked
    out = {}
    for key, pairs in ranked.items():
        gone = uses.get(key, {})
        out[key] = [(v, c - gone.get(v, 0)) for v, c in pairs if c > gone.get(v, 0)]
        out[key].sort(key=lambda kv: (-kv[1], kv[0]))
    return out


def _ranked_merge(_, b, a):
    """Two (value, count) rankings (headers, a department's codes) as one, most common first (top 20)."""
    if b is None or a is None:
        return b if a is None else a
    out: dict = {}
    for key in {*b, *a}:
        counts: Counter[str] = Counter()
        for v, c in (*b.get(key, ()), *a.get(key, ())):
            counts[v] += c
        out[key] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    return out


# ------------------------------------------------------------------------------------------- pools
class _Pools:
    """Pool key -> the stored pool merged with the added files' one, merged when first asked for."""

    def __init__(self, state: OverlayState):
        self.state = state
        self.memo: dict[str, PoolState | None] = {}

    def get(self, key: str) -> PoolState | None:
        if key not in self.memo:
            s = self.state
            base, added = s.base.pools.get(key), s.delta.pools.get(key)
            self.memo[key] = None if base is None and added is None else merge_pool(s, base or _EMPTY, added or _EMPTY)
        return self.memo[key]


_EMPTY = PoolState([], [], [], [], [], [], [], [], {k: ("", []) for k in _BLOBS}, {})


def _key(blob: str, starts: Sequence[int], j: int) -> str:
    """Item j's key in a pool blob."""
    end = starts[j + 1] - 1 if j + 1 < len(starts) else len(blob)
    return blob[starts[j] : end]


def merge_pool(s: OverlayState, base: PoolState, added: PoolState) -> PoolState:
    """One pool of the corpus as it is now: stored items without dead tables, added tables joined to the item
    of their text, new texts where a whole build would sort them; popularity over the live tables."""
    n, dead, nb = s.offset, s.dead, len(base.texts)
    live: dict[int, set[int]] = {}  # stored item -> its live tables, for items that lost or gained some
    for t in dead:
        for i in base.table_items.get(t, ()):
            if i not in live:
                live[i] = set(base.tables[i]) - dead
    revived: set[int] = set()  # stored items only the added tables use: their value and 二级 are the added ones'
    joined: dict[int, int] = {}  # added item -> stored item of the same text
    gained: dict[int, set[int]] = {}  # stored item -> the added tables using it
    new: list[int] = []  # added items of new texts
    where = {text: i for i, text in enumerate(base.texts)} if added.texts else {}
    for j, text in enumerate(added.texts):
        i = where.get(text)
        if i is None:
            new.append(j)
            continue
        joined[j] = i
        before = live[i] if i in live else set(base.tables[i])
        if not before:
            revived.add(i)
        gained[i] = {n + t for t in added.tables[j]}
        live[i] = before | gained[i]
    year = s.tables

    def newest_of(i: int, ts: set[int]) -> int:
        # (the stored newest, when alive, is the newest of the stored tables: only the added ones may beat it)
        stored = base.newest[i]
        among = ts if stored in dead or stored not in ts else (stored, *gained.get(i, ()))
        return max(among, key=lambda t: (year[t][2], -t))

    newest_now = {i: newest_of(i, ts) for i, ts in live.items() if ts}
    # Stored items the change touched leave their place (or the pool); the others keep their order, which is a
    # whole build's (most used, newest, then by text). Touched items and new texts go back where a whole build
    # sorts them, found by binary search among the others: the pool's order is then a whole build's.
    moved = sorted(live)
    runs, prev = [], 0  # stored items in place, as runs (first, end) of stored numbers
    for i in moved:
        if prev < i:
            runs.append((prev, i))
        prev = i + 1
    if prev < nb:
        runs.append((prev, nb))
    in_place = [i for a, b in runs for i in range(a, b)] if moved else range(nb)

    class _Order:
        def __len__(self) -> int:
            return len(in_place)

        def __getitem__(self, q: int) -> tuple:
            i = in_place[q]  # (the stored popularity orders as the number of tables: no table set is read)
            return (-base.pop[i], -year[base.newest[i]][2], base.texts[i])

    scale_stored = math.log1p(max(1, n))  # the stored popularity's, as pool.pool_state computes it

    def used(count: int) -> float:
        return -math.log1p(count) / scale_stored

    placing = [(used(len(live[i])), -year[newest_now[i]][2], base.texts[i], i, -1) for i in newest_now]
    placing += [(used(len(added.tables[j])), -year[n + added.newest[j]][2], added.texts[j], -1, j) for j in new]
    placed = sorted((bisect_left(_Order(), key[:3]), key) for key in placing)
    ins = [p for p, _ in placed]  # place (among the items in place) each goes before
    at_place = {key[3:]: p + k for k, (p, key) in enumerate(placed)}  # (stored, -1) or (-1, added) -> number
    segments: list[tuple[int, int, int]] = []  # stored runs (first, end, -1) and added items (0, 0, j), in order
    k, pos = 0, 0

    def put(key: tuple) -> None:
        i, j = key[3:]
        segments.append((i, i + 1, -1) if i >= 0 else (0, 0, j))

    for a, b in runs:
        while a < b:
            if k < len(ins) and ins[k] < pos + (b - a):
                cut = a + ins[k] - pos
                if cut > a:
                    segments.append((a, cut, -1))
                put(placed[k][1])
                pos += cut - a
                a = cut
                k += 1
            else:
                segments.append((a, b, -1))
                pos += b - a
                a = b
    for _, key in placed[k:]:
        put(key)

    def renumber(i: int) -> int:
        got = at_place.get((i, -1))
        if got is not None:
            return got
        q = i - bisect_left(moved, i)
        return q + bisect_right(ins, q)

    def assemble(stored: Sequence, fresh: Callable[[int], object]) -> list:
        out: list = []
        for a, b, j in segments:
            if j < 0:
                out.extend(stored[a:b])
            else:
                out.append(fresh(j))
        return out

    at_added = {j: renumber(joined[j]) if j in joined else at_place[(-1, j)] for j in range(len(added.texts))}
    texts, norms, level2, value, spaced = (assemble(x, x2.__getitem__) for x, x2 in (
        (base.texts, added.texts), (base.norms, added.norms), (base.level2, added.level2),
        (base.value, added.value), (base.spaced, added.spaced)))  # fmt: skip
    for j, i in joined.items():
        if i in revived:
            level2[renumber(i)], value[renumber(i)] = added.level2[j], added.value[j]
    scale = math.log1p(max(1, s.live))
    ratio = math.log1p(max(1, n)) / scale
    pop = assemble([p * ratio for p in base.pop], lambda j: math.log1p(len(added.tables[j])) / scale)
    newest = assemble(base.newest, lambda j: n + added.newest[j])
    tables_now: dict[int, frozenset[int]] = {}
    for i, t in newest_now.items():
        k = renumber(i)
        tables_now[k] = frozenset(live[i])
        pop[k] = math.log1p(len(live[i])) / scale
        newest[k] = t
    for j in new:
        tables_now[at_place[(-1, j)]] = frozenset(n + t for t in added.tables[j])
    blobs = {}
    for kind in _BLOBS:
        blob, starts = base.blobs[kind]
        ablob, astarts = added.blobs[kind]
        parts, out, offset = [], array("i"), 0
        for a, b, j in segments:
            if j >= 0:
                key = _key(ablob, astarts, j)
                parts.append(key)
                out.append(offset)
                offset += len(key) + 1
                continue
            end = starts[b] - 1 if b < nb else len(blob)
            parts.append(blob[starts[a] : end])
            shift = offset - starts[a]
            out.extend(starts[a:b] if not shift else [x + shift for x in starts[a:b]])
            offset += end - starts[a] + 1
        blobs[kind] = (_SEP.join(parts), out)
    size = len(texts)
    final_old = assemble(range(nb), lambda j: -1) if moved or new else None
    items = _PoolItems(base.table_items, added.table_items, at_added, n, dead, renumber if moved or new else None)
    return PoolState(texts, norms, level2, value, _PoolTables(base.tables, final_old, tables_now, size), pop,
                     newest, spaced, blobs, items)  # type: ignore[arg-type]  # fmt: skip


class _PoolTables:
    """Item -> the tables using it (a frozenset): the stored set, or the one the overlay changed."""

    def __init__(self, base: Sequence, old_of: list[int] | None, now: dict[int, frozenset[int]], n: int):
        self.base, self.old_of, self.now, self.n = base, old_of, now, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> frozenset[int]:
        got = self.now.get(i)
        if got is not None:
            return got
        if not 0 <= i < self.n:
            raise IndexError(i)
        stored = self.base[self.old_of[i] if self.old_of is not None else i]
        return stored if isinstance(stored, frozenset) else frozenset(stored)


class _PoolItems:
    """Table -> the items it uses (renumbered), for stored tables alive and added ones."""

    def __init__(self, base, added: dict, at_added: dict[int, int], n: int, dead: frozenset[int],
                 renumber: Callable[[int], int] | None):  # fmt: skip
        self.base, self.n, self.dead, self.renumber = base, n, dead, renumber
        self.added = {n + t: [at_added[j] for j in js] for t, js in added.items()}

    def get(self, t: int, default=()):
        if t >= self.n:
            return self.added.get(t, default)
        if t in self.dead:
            return default
        got = self.base.get(t, default)
        return [self.renumber(i) for i in got] if self.renumber is not None and got else got
