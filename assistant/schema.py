"""Checking plain data read back from disk (drafts, caches) against the dataclasses and type hints it claims.

A draft or cache file may be damaged, come from a newer version or be forged: before any of it is used, every
value is checked for its type and size, a dataclass's keys must be exactly its fields (missing ones only where
the field has a default), and a failure says where (`table.funding.total: 应为数字`). Building objects is the
caller's job; this only says yes or no, so it never runs code from the data.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from functools import cache
from itertools import chain
from typing import Any, Literal, Union

MAX_TEXT = 1 << 20  # characters in one string
MAX_ITEMS = 1 << 22  # entries in one list or dict (an engine index is large; a draft is small)


class SchemaError(ValueError):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where or '（顶层）'}: {problem}")
        self.where = where
        self.problem = problem


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def check(value: object, hint: Any, where: str = "", *, max_text: int = MAX_TEXT, max_items: int = MAX_ITEMS) -> None:
    """Raise SchemaError unless `value` is plain data of type `hint` (a dataclass's data is a dict of its fields)."""
    _check(value, hint, where, max_text, max_items)


def _check(value: object, hint: Any, where: str, max_text: int, max_items: int) -> None:  # noqa: C901
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any or hint is object:
        return
    if hint is None or hint is type(None):
        if value is not None:
            raise SchemaError(where, "应为空")
        return
    if origin in (Union, types.UnionType):
        problems = []
        for option in args:
            try:
                _check(value, option, where, max_text, max_items)
                return
            except SchemaError as exc:
                problems.append(exc)
        raise problems[-1] if len(problems) == 1 else SchemaError(where, "类型不符")
    if origin is Literal:
        if not any(value == a and type(value) is type(a) for a in args):
            raise SchemaError(where, "取值不在允许的范围内")
        return
    if hint is str:
        if not isinstance(value, str):
            raise SchemaError(where, "应为文字")
        if len(value) > max_text:
            raise SchemaError(where, "文字太长")
        return
    if hint is bool:
        if not isinstance(value, bool):
            raise SchemaError(where, "应为是或否")
        return
    if hint is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise SchemaError(where, "应为整数")
        return
    if hint is float:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise SchemaError(where, "应为数字")
        if value != value or value in (float("inf"), float("-inf")):
            raise SchemaError(where, "应为有限的数字")
        return
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        _check_dataclass(value, hint, where, max_text, max_items)
        return
    if origin in (list, tuple, dict) or hint in (list, tuple, dict):
        kind = origin or hint
        if not isinstance(value, (list, tuple) if kind in (list, tuple) else dict):
            raise SchemaError(where, "应为列表" if kind is not dict else "应为表")
        if len(value) > max_items:
            raise SchemaError(where, "项数太多")
        if kind is dict:
            key_hint, value_hint = args or (Any, Any)
            if _leaves(value.keys(), key_hint, max_text, max_items) and _leaves(value.values(), value_hint, max_text, max_items):
                return
            for k, v in value.items():
                _check(k, key_hint, f"{where}[{k!r}]", max_text, max_items)
                _check(v, value_hint, f"{where}.{k}" if isinstance(k, str) else f"{where}[{k!r}]", max_text, max_items)
            return
        if kind is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            if len(value) != len(args):
                raise SchemaError(where, f"应有 {len(args)} 项")
            for n, (item, item_hint) in enumerate(zip(value, args)):
                _check(item, item_hint, f"{where}[{n}]", max_text, max_items)
            return
        item_hint = args[0] if args else Any
        if _leaves(value, item_hint, max_text, max_items):
            return
        for n, item in enumerate(value):
            _check(item, item_hint, f"{where}[{n}]", max_text, max_items)
        return
    raise SchemaError(where, f"不支持的类型 {hint!r}")  # a programming error: the schema names a type we do not check


_LEAF_TYPES = {str: {str}, int: {int}, float: {int, float}}


def _leaves(items, hint: Any, max_text: int, max_items: int) -> bool:
    """A fast path for a large collection (an engine index holds millions of values): True when every item is
    plain data of `hint`, checked a column at a time in C; False sends the caller to the slow path, which
    says what is wrong and where."""
    items = items if isinstance(items, (list, tuple)) else list(items)
    if not items:
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:  # X | None
        (inner,) = [a for a in args if a is not type(None)]
        return _leaves([x for x in items if x is not None], inner, max_text, max_items)
    kinds = set(map(type, items))
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return kinds == {dict} and _dataclass_columns(items, hint, max_text, max_items)
    if hint in _LEAF_TYPES:
        if not kinds <= _LEAF_TYPES[hint]:
            return False
        if hint is str:
            return max(map(len, items)) <= max_text
        return hint is int or all(map(math.isfinite, items))  # a float: no NaN or infinity
    if origin is tuple and args and Ellipsis not in args:
        if not kinds <= {tuple, list} or set(map(len, items)) != {len(args)}:
            return False
        return all(_leaves(column, a, max_text, max_items) for column, a in zip(zip(*items), args))
    if origin in (list, tuple) and args:
        if not kinds <= {tuple, list} or max(map(len, items)) > max_items:
            return False
        return _leaves(list(chain.from_iterable(items)), args[0], max_text, max_items)
    if origin is dict and args:
        if kinds != {dict} or max(map(len, items)) > max_items:
            return False
        keys = list(chain.from_iterable(d.keys() for d in items))
        values = list(chain.from_iterable(d.values() for d in items))
        return _leaves(keys, args[0], max_text, max_items) and _leaves(values, args[1], max_text, max_items)
    return False


def _dataclass_columns(items: list, cls: type, max_text: int, max_items: int) -> bool:
    """Many dicts of one dataclass (the rows of 5,000 tables): each distinct key set once, then field by field."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    required = {n for n, f in fields.items() if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    for keys in set(map(frozenset, items)):
        if not (keys <= fields.keys() and required <= keys):
            return False
    hints = _hints(cls)
    for name in fields:
        column = [d[name] for d in items if name in d]
        if column and not _leaves(column, hints[name], max_text, max_items):
            return False
    return True


def _check_dataclass(value: object, cls: type, where: str, max_text: int, max_items: int) -> None:
    if not isinstance(value, dict):
        raise SchemaError(where, "应为表")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in value:
        if key not in fields:
            raise SchemaError(f"{where}.{key}" if where else str(key), "未知的键（可能来自更新的版本）")
    hints = _hints(cls)
    for name, f in fields.items():
        inner = f"{where}.{name}" if where else name
        if name not in value:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise SchemaError(inner, "缺少这一项")
            continue
        _check(value[name], hints[name], inner, max_text, max_items)
