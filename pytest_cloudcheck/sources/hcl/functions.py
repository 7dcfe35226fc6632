"""Values of the HCL evaluator, Terraform's automatic conversions and the function table.

Values are plain Python data plus the model's UNKNOWN and SENSITIVE. Only the common functions
are here, where they are cheap (`format`, `lower`, `merge`, `cidrsubnet`, `lookup`, ...): any
other function gives UNKNOWN, never a guess.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from typing import Any

from ...model import SENSITIVE, UNKNOWN


class EvalError(Exception):
    """The expression has no static value (Terraform would fail, or the value comes later)."""


class Namespace:
    """A name whose attributes are looked up on demand (`var`, `local`, a resource type, ...)."""

    def attr(self, name: str) -> Any:
        raise EvalError(name)


class ComputedObject(dict[str, Any]):
    """The object of a resource or data source: attributes not set in the source are computed by
    the provider (known after apply)."""

    def attribute(self, name: str) -> Any:
        return self.get(name, UNKNOWN)


def is_special(value: Any) -> bool:
    return value is UNKNOWN or value is SENSITIVE


# ---------------------------------------------------------------------------------------------
# Conversions (Terraform's automatic type conversions, the common cases)


def plain_number(value: float) -> int | float:
    """Whole floats as ints (Terraform has one number type; plans show 2, not 2.0)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("a bool is not a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        number = float(value)
        return plain_number(number)
    raise EvalError(f"{type(value).__name__} is not a number")


def to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(plain_number(value)) if isinstance(value, float) else str(value)
    raise EvalError(f"{type(value).__name__} is not a string")


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f"{value!r} is not a bool")


def to_set(value: Any) -> list[Any]:
    """Terraform sets of strings are ordered lexically; duplicates dropped."""
    items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else None
    if items is None:
        raise EvalError("not a collection")
    unique = distinct(items)
    if all(isinstance(i, str) for i in unique):
        unique.sort()
    return unique


def distinct(items: list[Any]) -> list[Any]:
    """The items without repeats, first occurrence first; linear (hashed) in the number of items."""
    if all(type(item) is str for item in items):
        return list(dict.fromkeys(items))
    seen: set[Any] = set()
    unique: list[Any] = []
    for item in items:
        key = _identity(item)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _identity(value: Any) -> Any:
    """A hashable stand-in for a value that tells apart what Terraform tells apart (`1` and
    `true` are not equal, nor `"1"` and `1`)."""
    if isinstance(value, dict):
        return (dict, tuple(sorted((k, _identity(v)) for k, v in value.items())))
    if isinstance(value, list):
        return (list, tuple(_identity(v) for v in value))
    return (type(value), value)


# ---------------------------------------------------------------------------------------------
# Functions: the common ones, where cheap. Any other function gives UNKNOWN.


def _merge(*maps: Any) -> Any:
    out: dict[str, Any] = {}
    for m in maps:
        if m is None:
            continue
        if m is UNKNOWN:
            return UNKNOWN
        if not isinstance(m, dict):
            raise EvalError("merge() takes maps")
        out.update(m)
    return out


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if not isinstance(mapping, dict):
        raise EvalError("lookup() takes a map")
    key = to_string(key)
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise EvalError(f"no key {key!r}")


def _cidrsubnet(prefix: str, newbits: Any, netnum: Any) -> str:
    network = ipaddress.ip_network(prefix, strict=False)
    new_prefix = network.prefixlen + int(to_number(newbits))
    size = 2 ** (network.max_prefixlen - new_prefix)
    address = int(network.network_address) + int(to_number(netnum)) * size
    subnet = ipaddress.ip_network((address, new_prefix))
    if not subnet.subnet_of(network):  # type: ignore[arg-type]
        raise EvalError("cidrsubnet() netnum out of range")
    return str(subnet)


def _cidrhost(prefix: str, hostnum: Any) -> str:
    network = ipaddress.ip_network(prefix, strict=False)
    number = int(to_number(hostnum))
    base = network.broadcast_address + 1 + number if number < 0 else network.network_address + number
    return str(base)


def _coalesce(*values: Any) -> Any:
    for value in values:
        if value is UNKNOWN:
            return UNKNOWN
        if value is not None and value != "":
            return value
    raise EvalError("coalesce() found no value")


def _flatten(value: Any) -> list[Any]:
    out: list[Any] = []
    for item in value:
        if isinstance(item, list):
            out.extend(_flatten(item))
        elif item is UNKNOWN:
            raise EvalError("flatten() of an unknown list")
        else:
            out.append(item)
    return out


def _format(spec: str, *args: Any) -> str:
    out: list[str] = []
    arg_index = 0
    i = 0
    while i < len(spec):
        char = spec[i]
        if char != "%":
            out.append(char)
            i += 1
            continue
        verb = spec[i + 1 : i + 2]
        if verb == "%":
            out.append("%")
            i += 2
            continue
        j = i + 1
        while j < len(spec) and spec[j] in "0123456789.-+# ":
            j += 1
        verb = spec[j]
        value = args[arg_index]
        arg_index += 1
        flags = spec[i + 1 : j]
        if verb == "s":
            text = to_string(value)
        elif verb == "d":
            text = str(int(to_number(value)))
        elif verb == "v":
            text = json.dumps(value) if isinstance(value, (list, dict)) else to_string(value)
        elif verb == "q":
            text = json.dumps(to_string(value))
        elif verb in "fgeFGE":
            text = ("%" + flags + verb) % to_number(value)
            flags = ""
        elif verb in "xXob":
            text = format(int(to_number(value)), verb)
        else:
            raise EvalError(f"format verb %{verb} is not supported")
        width = flags.lstrip("-+# ")
        if width.isdigit():
            fill = "0" if width.startswith("0") else " "
            text = text.ljust(int(width)) if flags.startswith("-") else text.rjust(int(width), fill)
        out.append(text)
        i = j + 1
    return "".join(out)


def _element(items: list[Any], index: Any) -> Any:
    if not items:
        raise EvalError("element() of an empty list")
    return items[int(to_number(index)) % len(items)]


def _jsonencode(value: Any) -> str:
    def check(v: Any) -> Any:
        if is_special(v):
            raise EvalError("jsonencode() of an unknown value")
        return v

    _walk(value, check)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _walk(value: Any, visit: Callable[[Any], Any]) -> None:
    visit(value)
    if isinstance(value, dict):
        for v in value.values():
            _walk(v, visit)
    elif isinstance(value, list):
        for v in value:
            _walk(v, visit)


def _contains(items: Any, value: Any) -> Any:
    if any(item is UNKNOWN for item in items):
        return UNKNOWN
    return value in items


def _length(value: Any) -> int:
    if isinstance(value, (list, dict, str)):
        return len(value)
    raise EvalError("length() of a value without length")


def _keys(value: dict[str, Any]) -> list[str]:
    return sorted(value)


def _values(value: dict[str, Any]) -> list[Any]:
    return [value[k] for k in sorted(value)]


def _one(value: list[Any]) -> Any:
    if len(value) > 1:
        raise EvalError("one() of more than one element")
    return value[0] if value else None


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "format": _format,
    "lower": lambda s: to_string(s).lower(),
    "upper": lambda s: to_string(s).upper(),
    "title": lambda s: to_string(s).title(),
    "trimspace": lambda s: to_string(s).strip(),
    "trim": lambda s, chars: to_string(s).strip(chars),
    "trimprefix": lambda s, p: to_string(s).removeprefix(p),
    "trimsuffix": lambda s, p: to_string(s).removesuffix(p),
    "replace": lambda s, old, new: to_string(s).replace(old, new),
    "substr": lambda s, start, length: to_string(s)[int(start) : None if int(length) < 0 else int(start) + int(length)],
    "join": lambda sep, *lists: to_string(sep).join(to_string(i) for items in lists for i in items),
    "split": lambda sep, s: to_string(s).split(sep),
    "startswith": lambda s, p: to_string(s).startswith(p),
    "endswith": lambda s, p: to_string(s).endswith(p),
    "strcontains": lambda s, p: p in to_string(s),
    "tostring": lambda v: v if v is None else to_string(v),
    "tonumber": lambda v: v if v is None else to_number(v),
    "tobool": lambda v: v if v is None else to_bool(v),
    "tolist": lambda v: list(v) if isinstance(v, list) else to_set(v),
    "toset": to_set,
    "tomap": lambda v: dict(v),
    "merge": _merge,
    "lookup": _lookup,
    "concat": lambda *lists: [i for items in lists for i in items],
    "flatten": _flatten,
    "distinct": distinct,
    "compact": lambda items: [i for i in items if i is not None and i != ""],
    "length": _length,
    "keys": _keys,
    "values": _values,
    "contains": _contains,
    "element": _element,
    "index": lambda items, value: items.index(value),
    "zipmap": lambda keys, values: dict(zip([to_string(k) for k in keys], values, strict=True)),
    "coalesce": _coalesce,
    "coalescelist": lambda *lists: next(items for items in lists if items),
    "one": _one,
    "min": lambda *n: plain_number(min(to_number(i) for i in n)),
    "max": lambda *n: plain_number(max(to_number(i) for i in n)),
    "abs": lambda n: abs(to_number(n)),
    "ceil": lambda n: -int(-to_number(n) // 1),
    "floor": lambda n: int(to_number(n) // 1),
    "range": lambda *a: list(range(*(int(to_number(i)) for i in a))),
    "cidrsubnet": _cidrsubnet,
    "cidrhost": _cidrhost,
    "cidrnetmask": lambda p: str(ipaddress.ip_network(p, strict=False).netmask),
    "jsonencode": _jsonencode,
    "jsondecode": lambda s: json.loads(to_string(s)),
    "sort": lambda items: sorted(to_string(i) for i in items),
    "reverse": lambda items: list(reversed(items)),
    "slice": lambda items, start, end: items[int(start) : int(end)],
    "setunion": lambda *sets: to_set([i for s in sets for i in s]),
    "setintersection": lambda first, *rest: to_set([i for i in first if all(i in s for s in rest)]),
    "setsubtract": lambda a, b: to_set([i for i in a if i not in b]),
    "alltrue": lambda items: all(to_bool(i) for i in items),
    "anytrue": lambda items: any(to_bool(i) for i in items),
    "sensitive": lambda v: SENSITIVE,
    "nonsensitive": lambda v: v,
}
