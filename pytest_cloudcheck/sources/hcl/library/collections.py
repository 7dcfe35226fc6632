"""Collection functions: concat, merge, lookup, keys, flatten, set*, transpose, zipmap, ...

Functions marked `partial` see unknown elements and keep what Terraform keeps known (the length
of a list with unknown elements, the keys of an object with unknown values, ...)."""

from __future__ import annotations

import math
from typing import Any

from ..values import EvalError, distinct, has_unknown, plain_number, to_bool, to_number, to_set, to_string
from . import Function, fn


def _list(value: Any, what: str) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        raise EvalError(f"{what} takes a list, not a map")
    raise EvalError(f"{what} takes a list")


def _map(value: Any, what: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise EvalError(f"{what} takes a map")


def _whole(value: Any, what: str) -> int:
    number = to_number(value)
    if isinstance(number, float):
        if not number.is_integer():
            raise EvalError(f"{what}: {number} is not a whole number")
        return int(number)
    return number


def _alltrue(items: Any) -> Any:
    # one known false decides, as Terraform answers with unknown elements
    known = [to_bool(i) if i is not None else False for i in _list(items, "alltrue()") if not has_unknown(i)]
    if not all(known):
        return False
    return _unknown() if len(known) < len(items) else True


def _anytrue(items: Any) -> Any:
    known = [to_bool(i) if i is not None else False for i in _list(items, "anytrue()") if not has_unknown(i)]
    if any(known):
        return True
    return _unknown() if len(known) < len(items) else False


def _unknown() -> Any:
    from ....model import UNKNOWN

    return UNKNOWN


def _chunklist(items: Any, size: Any) -> list[list[Any]]:
    items, n = _list(items, "chunklist()"), _whole(size, "chunklist()")
    if n < 0:
        raise EvalError("the size argument must be positive")
    if n == 0:
        return [items] if items else []
    return [items[i : i + n] for i in range(0, len(items), n)]


def _coalesce(*values: Any) -> Any:
    from ....model import UNKNOWN

    if not values:
        raise EvalError("coalesce() needs at least one argument")
    for value in values:
        if has_unknown(value):
            return UNKNOWN  # it may be the first non-null value
        if value is not None and value != "":
            break
    kinds = {type(v) for v in values if v is not None}
    for value in values:
        if value is None or value == "":
            continue
        if str in kinds and len(kinds) > 1 and not isinstance(value, (list, dict)):
            return to_string(value)
        return value
    raise EvalError("no non-null, non-empty-string arguments")


def _coalescelist(*lists: Any) -> Any:
    if not lists:
        raise EvalError("coalescelist() needs at least one argument")
    for items in lists:
        if not isinstance(items, list):
            raise EvalError("coalescelist() takes lists")
        if items:
            return items
    raise EvalError("no non-null arguments")


def _compact(items: Any) -> list[str]:
    out = []
    for item in _list(items, "compact()"):
        if item is None or item == "":
            continue
        if isinstance(item, (list, dict)):
            raise EvalError("compact() takes a list of strings")
        out.append(to_string(item))
    return out


def _concat(*lists: Any) -> list[Any]:
    if not lists:
        raise EvalError("concat() needs at least one list")
    return [i for items in lists for i in _list(items, "concat()")]


def _contains(items: Any, value: Any) -> Any:
    from ....model import UNKNOWN

    if has_unknown(value):
        return UNKNOWN
    elements = _list(items, "contains()")
    if any(_same(i, value) for i in elements if not has_unknown(i)):
        return True
    return UNKNOWN if any(has_unknown(i) for i in elements) else False


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _distinct(items: Any) -> list[Any]:
    return distinct(_list(items, "distinct()"))


def _element(items: Any, index: Any) -> Any:
    items = _list(items, "element()")
    i = _whole(index, "element()")
    if not items:
        raise EvalError("cannot use element function with an empty list")
    return items[i % len(items)]


def _flatten(items: Any) -> Any:
    # objects with unknown attributes stay elements (AVM builds for_each maps this way); a wholly
    # unknown element may be a list itself, so then the whole result is unknown
    out: list[Any] = []
    for item in _list(items, "flatten()"):
        if isinstance(item, list):
            inner = _flatten(item)
            if not isinstance(inner, list):
                return inner
            out.extend(inner)
        elif item is _unknown():
            return item
        else:
            out.append(item)
    return out


def _index(items: Any, value: Any) -> Any:
    if has_unknown(value):
        return _unknown()
    for i, item in enumerate(_list(items, "index()")):
        if has_unknown(item):
            return _unknown()  # it may be the one
        if _same(item, value):
            return i
    raise EvalError("item not found")


def _keys(value: Any) -> list[str]:
    return sorted(_map(value, "keys()"))


def _values(value: Any) -> list[Any]:
    mapping = _map(value, "values()")
    return [mapping[k] for k in sorted(mapping)]


def _length(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict):
        return len(value)
    raise EvalError("length() takes a string, list, set, tuple, map or object")


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if len(default) > 1:
        raise EvalError("lookup() takes at most three arguments")
    mapping = _map(mapping, "lookup()")
    name = to_string(key)
    if name in mapping:
        return mapping[name]
    if default:
        return default[0]
    raise EvalError(f"lookup failed to find key {name!r}")


def _matchkeys(values: Any, keys: Any, search: Any) -> list[Any]:
    values, keys = _list(values, "matchkeys()"), _list(keys, "matchkeys()")
    if len(values) != len(keys):
        raise EvalError("length of keys and values should be equal")
    wanted = _list(search, "matchkeys()")
    return [v for v, k in zip(values, keys, strict=True) if any(_same(k, s) for s in wanted)]


def _merge(*maps: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in maps:
        if m is None:
            continue
        out.update(_map(m, "merge()"))
    return out


def _one(items: Any) -> Any:
    if items is None:
        raise EvalError("argument must not be null")
    items = _list(items, "one()")
    if len(items) > 1:
        raise EvalError("must be a list, set, or tuple value with either zero or one elements")
    return items[0] if items else None


def _range(*args: Any) -> list[int | float]:
    if not 1 <= len(args) <= 3:
        raise EvalError("range() takes one to three arguments")
    numbers = [to_number(a) for a in args]
    start: int | float = 0
    step: int | float = 1
    if len(numbers) == 1:
        limit = numbers[0]
    else:
        start, limit = numbers[0], numbers[1]
        step = numbers[2] if len(numbers) == 3 else (1 if limit >= start else -1)
    if step == 0:
        raise EvalError("step must not be zero")
    if ((step > 0 and limit < start) or (step < 0 and limit > start)) and len(numbers) == 3:
        raise EvalError("step must be positive for an increasing range" if step < 0 else "step must be negative")
    count = max(0, math.ceil((limit - start) / step))
    if count > 1024:
        raise EvalError("more than 1024 values were generated")
    return [
        plain_number(start + i * step) if isinstance(step, float) or isinstance(start, float) else start + i * step
        for i in range(count)
    ]


def _reverse(items: Any) -> list[Any]:
    return list(reversed(_list(items, "reverse()")))


def _set_items(value: Any, what: str) -> list[Any]:
    return to_set(_list(value, what))


def _setintersection(first: Any, *rest: Any) -> list[Any]:
    others = [_set_items(s, "setintersection()") for s in rest]
    return to_set(
        [i for i in _set_items(first, "setintersection()") if all(any(_same(i, o) for o in s) for s in others)]
    )


def _setsubtract(a: Any, b: Any) -> list[Any]:
    minus = _set_items(b, "setsubtract()")
    return to_set([i for i in _set_items(a, "setsubtract()") if not any(_same(i, o) for o in minus)])


def _setunion(*sets: Any) -> list[Any]:
    if not sets:
        raise EvalError("setunion() needs at least one set")
    return to_set([i for s in sets for i in _set_items(s, "setunion()")])


def _setproduct(*sets: Any) -> list[list[Any]]:
    if len(sets) < 2:
        raise EvalError("at least two arguments are required")
    product: list[list[Any]] = [[]]
    for s in sets:
        items = _list(s, "setproduct()")
        product = [[*p, i] for p in product for i in items]
    return product


def _slice(items: Any, start: Any, end: Any) -> list[Any]:
    items = _list(items, "slice()")
    a, b = _whole(start, "slice()"), _whole(end, "slice()")
    if a < 0:
        raise EvalError("start index must not be less than zero")
    if b > len(items):
        raise EvalError("end index must not be greater than the length of the list")
    if a > b:
        raise EvalError("start index must not be greater than end index")
    return items[a:b]


def _sort(items: Any) -> list[Any]:
    strings = []
    if any(has_unknown(item) for item in _list(items, "sort()")):
        return [_unknown()] * len(items)  # the order is not known, the length is
    for item in _list(items, "sort()"):
        if item is None:
            raise EvalError("given list element is null; a null string cannot be sorted")
        strings.append(to_string(item))
    return sorted(strings)


def _transpose(mapping: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, items in _map(mapping, "transpose()").items():
        for item in _list(items, "transpose()"):
            if item is None:
                raise EvalError("transpose() of a null element")
            out.setdefault(to_string(item), []).append(key)
    return {k: sorted(v) for k, v in sorted(out.items())}


def _zipmap(keys: Any, values: Any) -> dict[str, Any]:
    keys, values = _list(keys, "zipmap()"), _list(values, "zipmap()")
    if len(keys) != len(values):
        raise EvalError("number of keys and values must be equal")
    out: dict[str, Any] = {}
    for key, value in zip(keys, values, strict=True):
        if has_unknown(key):
            raise _UnknownKey
        out[to_string(key)] = value
    return out


class _UnknownKey(Exception):
    pass


def _zipmap_partial(keys: Any, values: Any) -> Any:
    from ....model import UNKNOWN

    try:
        return _zipmap(keys, values)
    except _UnknownKey:
        return UNKNOWN


FUNCTIONS: dict[str, Function] = {
    "alltrue": fn(_alltrue, partial=True),
    "anytrue": fn(_anytrue, partial=True),
    "chunklist": fn(_chunklist, partial=True),
    "coalesce": fn(_coalesce, partial=True, unknown_args=True),
    "coalescelist": fn(_coalescelist, partial=True),
    "compact": fn(_compact),
    "concat": fn(_concat, partial=True),
    "contains": fn(_contains, partial=True),
    "distinct": fn(_distinct),
    "element": fn(_element, partial=True),
    "flatten": fn(_flatten, partial=True),
    "index": fn(_index, partial=True),
    "keys": fn(_keys, partial=True),
    "length": fn(_length, partial=True),
    "lookup": fn(_lookup, partial=True),
    "matchkeys": fn(_matchkeys),
    "merge": fn(_merge, partial=True),
    "one": fn(_one, partial=True),
    "range": fn(_range),
    "reverse": fn(_reverse, partial=True),
    "setintersection": fn(_setintersection),
    "setproduct": fn(_setproduct, partial=True),
    "setsubtract": fn(_setsubtract),
    "setunion": fn(_setunion),
    "slice": fn(_slice, partial=True),
    "sort": fn(_sort, partial=True),
    "transpose": fn(_transpose),
    "values": fn(_values, partial=True),
    "zipmap": fn(_zipmap_partial, partial=True),
}
