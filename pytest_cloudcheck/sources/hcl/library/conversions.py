"""Type conversion functions: tobool, tolist, tomap, tonumber, toset, tostring, and the
sensitivity functions sensitive, nonsensitive, issensitive, ephemeralasnull."""

from __future__ import annotations

from typing import Any

from ....model import UNKNOWN
from ..values import EvalError, mark, to_bool, to_number, to_set, to_string, unmark
from . import Function, fn


def unify(items: list[Any]) -> list[Any]:
    """Elements converted to one type as Terraform does for a list, set or map: strings win
    over numbers and bools; numbers and bools do not mix."""
    kinds = {
        "string" if isinstance(i, str) else "bool" if isinstance(i, bool) else "number"
        for i in items
        if isinstance(i, (str, int, float))
    }
    if len(kinds) <= 1:
        return items
    if "string" not in kinds:
        raise EvalError("elements of different types cannot be converted to one type")
    return [to_string(i) if isinstance(i, (int, float)) else i for i in items]


def _tolist(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, list):
        raise EvalError("cannot convert to a list")
    return unify(value)


def _toset(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, list):
        raise EvalError("cannot convert to a set")
    return to_set(unify(value))


def _tomap(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise EvalError("cannot convert to a map")
    keys = list(value)
    return dict(zip(keys, unify([value[k] for k in keys]), strict=True))


def _tostring(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        raise EvalError("cannot convert a collection to a string")
    return to_string(value)


def _tonumber(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        raise EvalError("cannot convert a collection to a number")
    return to_number(value)


def _tobool(value: Any) -> Any:
    if value is None:
        return None
    return to_bool(value)


def _nonsensitive(value: Any) -> Any:
    inner, _ = unmark(value)
    return inner


def _issensitive(value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    return unmark(value)[1]


FUNCTIONS: dict[str, Function] = {
    "tobool": fn(_tobool),
    "tolist": fn(_tolist, partial=True),
    "tomap": fn(_tomap, partial=True),
    "tonumber": fn(_tonumber),
    "toset": fn(_toset),
    "tostring": fn(_tostring),
    "sensitive": fn(mark, marks=True, partial=True),
    "nonsensitive": fn(_nonsensitive, marks=True, partial=True),
    "issensitive": fn(_issensitive, marks=True, partial=True),
    "ephemeralasnull": fn(lambda v: v, partial=True),
}
