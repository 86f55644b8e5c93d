"""Wording and values from the project's own words: its 年度总体目标 and its name (knowledge/goalwords.toml).

jieba's part-of-speech tagger finds the phrases: a verb with its object ("改造农村户厕") or a noun phrase
("主体班培训"). A phrase becomes wording per 二级 ("改造农村户厕数量", "农村户厕改造验收合格率"), and a
number the goal states after it becomes that row's value ("改造户厕300户" → 改造户厕数量 = "300户").
Core module: no Textual. jieba.posseg loads in about a second, on the first goal only.
"""

from __future__ import annotations

import re
import threading
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import segment

_CLAUSES = re.compile(r"[，,。；;！!？?\n\r：:（）()“”\"]+")
_CONTENT = ("n", "nz", "ns", "nt", "nr", "nrt", "vn", "v", "l", "j", "an", "s", "b", "eng", "ng", "vg", "i")
_VERBS = ("v", "vd", "vn")
_JOINERS = frozenset("、或和及与")
_COUNT_ENDS = ("数量", "人数", "人次", "个数", "次数", "批次", "场次", "户数", "村数", "面积", "里程", "长度", "规模")
_MAX_PHRASE = 16
_DATES = re.compile(r"[\d.\-/~至—年月日]*\d[\d.\-/~至—年月日]*")
_lock = threading.Lock()


@dataclass(frozen=True)
class GoalWording:
    """One candidate wording from the user's own words, with the value the goal states for it ("" if none)."""

    level2: str
    text: str
    value: str
    origin: str  # "goal" (年度总体目标) or "name" (项目名称)


@dataclass(frozen=True)
class GoalNumber:
    """A number the goal states, with its unit and the phrase before it: ("改造户厕", "300户")."""

    phrase: str
    value: str
    unit: str


@dataclass(frozen=True)
class Vocabulary:
    lead_words: tuple[str, ...]
    action_verbs: frozenset[str]
    units: tuple[str, ...]
    count_suffix: dict[str, str]
    templates: tuple[tuple[str, str, tuple[str, ...]], ...]  # (level2, wording, verbs)
    activity_verbs: tuple[str, ...] = ()  # verbs offered with the goal's actions when typed (开展 → 开展送戏进万村)
    heads: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 二级 -> the head words its wording ends with
    verb_heads: frozenset[str] = frozenset()  # heads a bare verb may take: 脱贫户数, 培训人次
    generic_verbs: frozenset[str] = frozenset()  # 开展, 实施: dropped before a more specific verb
    no_head_words: frozenset[str] = frozenset()  # typed alone, never completed with a head word (解决, 每年)

    @property
    def number_pattern(self) -> re.Pattern[str]:
        return _number_pattern(self.units)


@lru_cache(maxsize=8)
def _number_pattern(units: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"(?P<num>\d+(?:\.\d+)?)\s*(?P<scale>万|千)?(?P<unit>{alternatives})")


@lru_cache(maxsize=4)
def load_vocabulary(path: Path) -> Vocabulary:
    """The vocabulary of a goalwords.toml; a missing or broken file gives an empty one (no goal wording)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        data = {}
    suffix = {str(k): str(v) for k, v in (data.get("count_suffix") or {}).items()}
    templates = tuple(
        (str(t["level2"]), str(t["wording"]), tuple(str(v) for v in t.get("verbs", [])))
        for t in data.get("templates", [])
        if isinstance(t, dict) and "level2" in t and "wording" in t
    )
    return Vocabulary(
        tuple(str(w) for w in data.get("lead_words", [])),
        frozenset(str(w) for w in data.get("action_verbs", [])),
        tuple(str(u) for u in data.get("units", [])),
        suffix,
        templates,
        tuple(str(w) for w in data.get("activity_verbs", [])),
        {str(k): tuple(str(w) for w in v if str(w)) for k, v in (data.get("heads") or {}).items() if isinstance(v, list)},
        frozenset(str(w) for w in data.get("verb_heads", [])),
        frozenset(str(w) for w in data.get("generic_verbs", [])),
        frozenset(str(w) for w in data.get("no_head_words", [])),
    )


def default_vocabulary() -> Vocabulary:
    from .paths import bundled_knowledge

    return load_vocabulary(bundled_knowledge() / "goalwords.toml")


_tagger = None
_warming: threading.Thread | None = None


def _posseg():
    global _tagger
    if _tagger is None:
        from . import segment

        segment.warm_up()  # the user words (村干部 …) must be registered before tagging
        with _lock:
            import jieba.posseg as posseg

            _tagger = posseg
    return _tagger


def warm_up_in_background() -> None:
    """Start loading the tagger (about a second) in a daemon thread, once: the engine calls this when a
    project is named, so it is ready by the time a goal has been written."""
    global _warming
    with _lock:
        if _tagger is not None or _warming is not None:
            return
        _warming = threading.Thread(target=_posseg, name="jixiao-tagger", daemon=True)
    _warming.start()


@lru_cache(maxsize=256)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """(word, part of speech) pairs of a text."""
    return tuple((p.word, p.flag) for p in _posseg().lcut(text))


def _strip_lead(phrase: str, vocab: Vocabulary) -> str:
    changed = True
    while changed:
        changed = False
        for word in vocab.lead_words:
            if phrase.startswith(word) and len(phrase) > len(word) + 1:
                phrase, changed = phrase[len(word) :], True
    return phrase


def _runs(words: tuple[tuple[str, str], ...]) -> list[list[tuple[str, str]]]:
    """Maximal runs of content words; a joiner (、或 和) stays inside a run that goes on after it."""
    runs: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for n, (word, flag) in enumerate(words):
        # 万 in 送戏进万村 is a numeral inside a name, not a quantity
        content = (flag.startswith(_CONTENT) or (flag == "m" and bool(current))) and not re.search(r"\d", word)
        joiner = word in _JOINERS or (flag == "c" and len(word) <= 2)
        nxt = words[n + 1] if n + 1 < len(words) else ("", "x")
        if content or (joiner and current and nxt[1].startswith(_CONTENT)):
            current.append((word, flag))
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def numbers(goal: str, vocab: Vocabulary | None = None) -> list[GoalNumber]:
    """Numbers with a unit the goal states, each with the phrase just before it in its clause."""
    vocab = vocab or default_vocabulary()
    found = []
    for clause in _CLAUSES.split(goal):
        last = 0
        for m in vocab.number_pattern.finditer(clause):
            if m.start() > 0 and clause[m.start() - 1] in ".-/":
                continue  # a date or a range ("2023.07-2024.01")
            before = clause[last : m.start()]
            last = m.end()
            runs = _runs(tagged(before)) if before.strip() else []
            phrase = _strip_lead("".join(w for w, _ in _parts(runs[-1], vocab)[-1]), vocab) if runs else ""
            if len(phrase) < 3:  # "10个合作社为…": what is counted follows the number
                phrase = _counted_after(clause[m.end() :]) or phrase
            unit = m.group("unit")
            value = (m.group("num") + (m.group("scale") or "") + unit).replace("个行政村", "个")
            found.append(GoalNumber(phrase[-_MAX_PHRASE:], value, unit))
    return found


def _counted_after(text: str) -> str:
    """The nouns right after a number ("合作社" in "10个合作社为入股贫困户返本分红"), "" when none."""
    tags = tagged(text[:_MAX_PHRASE]) if text.strip() else ()
    words = []
    for n, (word, flag) in enumerate(tags):
        if flag.startswith(("n", "vn", "l", "j")) and not re.search(r"\d", word):
            words.append(word)
        elif words and flag.startswith("v") and n == len(tags) - 1:
            words.append(word)  # "300户户厕改造": the clause ends with what is done to it
        else:
            break
    return "".join(words)


def _phrases(text: str, vocab: Vocabulary) -> list[tuple[str, str, str]]:
    """(phrase, verb, object) for each action or noun phrase of a text; verb "" for a noun phrase."""
    out = []
    for clause in _CLAUSES.split(text):
        clause = vocab.number_pattern.sub(" ", clause)
        for run in _runs(tagged(clause)):
            for words in _parts(run, vocab):
                while words and words[-1][1] in ("v", "vd", "vg", "c") and words[-1][0] not in vocab.action_verbs:
                    words.pop()  # a phrase ends with what is done or made, not a bare verb (达到, 需)
                if not words:
                    continue
                phrase = _strip_lead("".join(w for w, _ in words), vocab)
                if len(phrase) < 3 or len(phrase) > _MAX_PHRASE:
                    continue
                first, flag = words[0]
                verb = first if (flag in _VERBS or first in vocab.action_verbs) and len(words) > 1 else ""
                obj = "".join(w for w, _ in words[1:]) if verb else ""
                out.append((phrase, verb, obj))
    return out


def _parts(run, vocab: Vocabulary) -> list[list[tuple[str, str]]]:
    """A run joining two verb phrases split at the later verb ("开展农村人居环境整治改造农村户厕" →
    农村人居环境整治, 改造农村户厕), each without a leading generic verb (开展, 实施) when a more specific
    one follows: the last part is what a number after the run counts."""
    words = list(run)
    while words and words[0][0] in vocab.lead_words:  # "完成干部教育培训工作": 完成 opens, it joins nothing
        words.pop(0)
    for i in range(len(words) - 2, 0, -1):  # the verb needs an object after it
        if words[i][0] in vocab.action_verbs and any(w in vocab.action_verbs or w in vocab.generic_verbs for w, _ in words[:i]):
            return _parts(words[:i], vocab) + [_specific(words[i:], vocab)]
    return [_specific(words, vocab)]


def _specific(words: list[tuple[str, str]], vocab: Vocabulary) -> list[tuple[str, str]]:
    """Words without a leading generic verb when a more specific action verb follows ("实施…改造")."""
    while (
        len(words) > 1
        and words[0][0] in vocab.generic_verbs
        and any(w in vocab.action_verbs and w not in vocab.generic_verbs for w, _ in words[1:])
    ):
        words = words[1:]
    return words


def _quantity_level2(kind: str = "quantity") -> str | None:
    """The 二级 counts belong to (数量指标), or another kind's, from the framework."""
    from .framework import default_framework

    found = default_framework().of_kind(kind)
    return found[0] if found else None


# "服务周期2023.07-2024.01", "建设工期2025年3月至10月": a time the goal states for a named span of the work
_TIME_SPAN = re.compile(r"(?P<phrase>[\u4e00-\u9fff]{1,10}?(?:周期|工期|期限|时限|实施时间|完成时间|建设期))\s*[为:：]?\s*"
                        r"(?P<value>20\d\d\s*[.\-/年]\s*\d{1,2}[^，,。；;]*)")


_SPAN_ENDS = ("周期", "工期", "期限", "时限", "时间", "建设期")


def _time_rows(goal: str, vocab: Vocabulary) -> list[tuple[str, str]]:
    """(wording, value) for each span of time the goal states with its dates."""
    out = []
    for clause in _CLAUSES.split(goal):
        m = _TIME_SPAN.search(clause)
        if m:
            phrase = _strip_lead(m.group("phrase"), vocab)
            if len(phrase) >= 2:
                out.append((phrase, m.group("value").strip()))
    return out


def _count_suffix(phrase: str, unit: str, vocab: Vocabulary) -> str:
    if phrase.endswith(_COUNT_ENDS):
        return ""
    return vocab.count_suffix.get(unit, vocab.count_suffix.get("default", "数量"))


def goal_wordings(goal: str, vocab: Vocabulary | None = None) -> list[GoalWording]:
    """Candidate wording per 二级 from the goal: phrases with a stated number first (their value is known)."""
    vocab = vocab or default_vocabulary()
    out: dict[tuple[str, str], GoalWording] = {}

    def add(level2: str, text: str, value: str, origin: str) -> None:
        key = (level2, text)
        if text and key not in out:
            out[key] = GoalWording(level2, text, value, origin)

    stated = numbers(goal, vocab) if goal else []
    quantity = _quantity_level2()
    for num in stated:
        if len(num.phrase) < 3 or num.unit == "%" or "元" in num.unit or not quantity:
            continue
        add(quantity, num.phrase + _count_suffix(num.phrase, num.unit, vocab), num.value, "goal")
        # What is done and counted is also completed on time and to standard ("主体班培训280人次" →
        # 主体班培训完成率): the phrase-only templates of the other 二级, without a value. A bare thing
        # ("10个合作社") is not completed: 合作社完成率 would be nonsense.
        if not any(verb in num.phrase for verb in vocab.action_verbs):
            # A bare thing (not people nor events: 个, 家, 座) is what a standard is paid per: "{thing}补助标准"
            # (合作社补助标准).
            for level2, template, _ in vocab.templates:
                if "{thing}" in template and _count_suffix("", num.unit, vocab) in ("个数", "数量"):
                    add(level2, template.format(thing=num.phrase), "", "goal")
            continue
        for level2, template, _ in vocab.templates:
            if level2 != quantity and not re.search(r"\{(verb|object|count|thing)\}", template):
                add(level2, template.format(phrase=num.phrase), "", "goal")
    timeliness = _quantity_level2("timeliness")
    for phrase, value in _time_rows(goal, vocab) if goal and timeliness else ():
        add(timeliness, phrase, value, "goal")  # the goal's own dates: the 时效 row as the user put it
    # Without a number only what is done makes wording ("改造农村户厕"); a bare noun phrase
    # ("全市空气质量") would give "…数量" nonsense.
    for phrase, verb, obj in _phrases(goal, vocab) if goal else ():
        if not verb or verb not in vocab.action_verbs or len(obj) < 2 or phrase.endswith(_SPAN_ENDS):
            continue  # (建设工期 is a span of time, not a thing built)
        for level2, template, verbs in vocab.templates:
            if ("{verb}" in template and verbs and verb not in verbs) or "{thing}" in template:
                continue
            add(level2, template.format(phrase=phrase, verb=verb, object=obj, count=_count_suffix(phrase, "", vocab)), "", "goal")
    return list(out.values())


def action_phrases(goal: str, vocab: Vocabulary | None = None) -> tuple[tuple[str, str], ...]:
    """(verb, phrase) for each phrase of the goal that says what is done ("送", "送戏进万村")."""
    if vocab is None:
        return _default_actions(goal)
    return tuple((verb, phrase) for phrase, verb, obj in _phrases(goal, vocab) if verb in vocab.action_verbs and len(obj) >= 2)


@lru_cache(maxsize=64)
def _default_actions(goal: str) -> tuple[tuple[str, str], ...]:
    return action_phrases(goal, default_vocabulary())  # asked at every keystroke: remembered


def verbs_starting(q: str, vocab: Vocabulary | None = None) -> list[str]:
    """The activity verbs of the vocabulary that start with what is typed ("开展" → 开展; "组" → 组织)."""
    vocab = vocab or default_vocabulary()
    return [v for v in vocab.activity_verbs if v.startswith(q)]


def phrases(text: str, vocab: Vocabulary | None = None) -> list[str]:
    """The phrases of a text (a goal or a project name) as written, then its clauses without their
    opening words, for matching what the user types."""
    vocab = vocab or default_vocabulary()
    found = [p for p, _, _ in _phrases(text, vocab)]
    for clause in _CLAUSES.split(text):
        clause = _strip_lead(vocab.number_pattern.sub("", clause).strip(), vocab)
        clause = _DATES.sub("", clause).strip()  # "服务周期2023.07-2024.01" is typed as 服务周期
        if 3 <= len(clause) <= _MAX_PHRASE * 2:
            found.append(clause)
    found += _word_tails(text, found, vocab)
    return list(dict.fromkeys(found))


_OPENERS = ("n", "v", "vn", "a", "an", "l", "j", "i", "nz", "ns", "nt", "b", "s")  # words a tail may start with (2+ chars)


def _word_tails(text: str, found: list[str], vocab: Vocabulary) -> list[str]:
    """What follows each later content word of a phrase ("合作社为入股贫困户返本分红" → "入股贫困户返本分红",
    "贫困户返本分红", "返本分红"): typed text matches the start of any word of the goal, and the rest of its
    phrase is the wording that starts there. Word starts come from the clauses as `_phrases` tagged them
    (remembered), so no phrase is tagged again."""
    out = []
    for clause in _CLAUSES.split(text):
        clause = vocab.number_pattern.sub(" ", clause)
        starts, offset = set(), 0
        for n, (word, flag) in enumerate(tagged(clause)):
            if n and len(word) >= 2 and flag.startswith(_OPENERS):
                starts.add(offset)
            offset += len(word)
        for phrase in found:
            pos = clause.find(phrase)
            if pos < 0:
                continue
            out += [clause[o : pos + len(phrase)] for o in sorted(starts) if pos < o <= pos + len(phrase) - 3]
    return out


def stated_values(goal: str, vocab: Vocabulary | None = None) -> list[str]:
    """Every number with a unit the goal states ("300户", "704元/村"), in order."""
    return [n.value for n in numbers(goal, vocab)] if goal else []


def typed_completions(
    q: str, level2: str, subject: str, phrases: list[str], rows: list[str], vocab: Vocabulary | None = None, limit: int = 3
) -> list[str]:
    """Wording that starts with what is typed, made from the 二级's usual head words (knowledge/goalwords.toml
    `heads`), for when nothing written matches well: typed text inside a head word is that head said of the
    project ("合格" → <subject>验收合格率); other typed text is the start of the user's own wording, completed
    with the goal's bare count rows ("入股" + 合作社个数), the rest of a goal phrase it starts in ("资产" in
    南岳镇资产收益扶贫 → 资产收益扶贫满意度) and the head words ("工程" → 工程设计使用年限)."""
    vocab = vocab or default_vocabulary()
    heads = vocab.heads.get(level2, ())
    if len(q) < 2 or not heads:
        return []
    inside = [h for h in heads if q in h]
    if inside:
        out = [subject + h for h in inside if subject and not subject.endswith(h)]
        return list(dict.fromkeys(out))[:limit]
    out = [q + row for row in rows if q not in row and not row.startswith(tuple(vocab.action_verbs))]
    for phrase in phrases:
        pos = phrase.find(q)
        stem = phrase[pos:] if pos > 0 else ""
        if len(stem) > len(q) and not stem.endswith(heads):
            out.append(stem + heads[0])
            break
    # What a head word may follow: a word (jieba's dictionary, or the user's own), not an aim (解决, 促进) nor a
    # time (每年); a verb takes only a count of those who did it ("改造" → 改造户数). (No part-of-speech tagger:
    # loading it for one word would cost a second and 170 MB where no goal was given.)
    if q in vocab.no_head_words or not (any(q in p for p in phrases) or segment.is_word(q)):
        pass
    elif q in vocab.action_verbs or q in vocab.generic_verbs:
        out += [q + h for h in heads if h in vocab.verb_heads][:2]
    else:  # "工程" → 工程设计使用年限
        out += [q + h for h in heads if not q.endswith(h)][:2]  # the two usual heads: not 资金单价
    return list(dict.fromkeys(out))[:limit]
