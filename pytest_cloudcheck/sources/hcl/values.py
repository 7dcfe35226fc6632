"""Values of the HCL evaluator: plain Python data plus the model's UNKNOWN and SENSITIVE, the
sensitivity mark that keeps a value for `nonsensitive()`, and Terraform's automatic conversions.

A sensitive value keeps its content inside the evaluator as `Marked(value)`, so that
`nonsensitive(var.x)` gives it back as Terraform does; `redact()` turns every mark into SENSITIVE
before a value leaves the HCL source (resources, variables): the content never reaches a report.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ...model import SENSITIVE, UNKNOWN


class EvalError(Exception):
    """The expression has no value: Terraform would fail (`try()` / `can()` catch it)."""


class NotEvaluated(Exception):
    """The value cannot be computed here (a function or syntax not implemented): UNKNOWN, noted as a
    gap. Never caught by `try()`: a fallback taken because of a gap would be a wrong value."""


class Namespace:
    """A name whose attributes are looked up on demand (`var`, `local`, a resource type, ...)."""

    def attr(self, name: str) -> Any:
        raise EvalError(name)


class ComputedObject(dict[str, Any]):
    """The object of a resource or data source: attributes not set in the source are computed by
    the provider (known after apply)."""

    def attribute(self, name: str) -> Any:
        return self.get(name, UNKNOWN)


class Marked:
    """A sensitive value that the evaluator still holds (for `nonsensitive()`); never printed."""

    __slots__ = ("value",)

    #: how many were ever made (in `__new__`: copies count too); a load during which none was
    #: made holds no secret, so nothing needs walking for one (ModuleInstance.secrets)
    made = 0

    def __new__(cls, *args: Any, **kwargs: Any) -> Marked:
        Marked.made += 1
        return super().__new__(cls)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "(sensitive)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Marked) and _same(self.value, other.value)

    def __hash__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        raise TypeError("value is sensitive; it cannot be inspected")


def _same(a: Any, b: Any) -> bool:
    return bool(a == b)


def is_special(value: Any) -> bool:
    """UNKNOWN, SENSITIVE or a marked value: nothing below may read it as plain data."""
    return value is UNKNOWN or value is SENSITIVE or isinstance(value, Marked)


def mark(value: Any) -> Any:
    """`value` marked sensitive (an unknown sensitive value is SENSITIVE)."""
    if value is UNKNOWN or value is SENSITIVE:
        return SENSITIVE
    if isinstance(value, Marked):
        return value
    return Marked(value)


def unmark(value: Any) -> tuple[Any, bool]:
    """The value under a top-level mark and whether there was one (SENSITIVE is an unknown)."""
    if value is SENSITIVE:
        return UNKNOWN, True
    if isinstance(value, Marked):
        return value.value, True
    return value, False


#: plain values with nothing inside them (their exact types: a subclass takes the long way)
_SCALARS = frozenset({str, int, float, bool, type(None)})


def unmark_deep(value: Any) -> tuple[Any, bool]:
    """The value without any mark inside it, and whether it had one."""
    if type(value) in _SCALARS:
        return value, False
    value, marked = unmark(value)
    if isinstance(value, list):
        out_list = []
        for item in value:
            if type(item) not in _SCALARS:
                item, inner = unmark_deep(item)
                marked = marked or inner
            out_list.append(item)
        return out_list, marked
    if isinstance(value, dict) and not isinstance(value, ComputedObject):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if type(item) not in _SCALARS:
                item, inner = unmark_deep(item)
                marked = marked or inner
            out[key] = item
        return out, marked
    return value, marked


def redact(value: Any) -> Any:
    """Every sensitive part as SENSITIVE: what leaves the HCL source."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, Marked):
        return SENSITIVE
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, ComputedObject):
        return ComputedObject({k: redact(v) for k, v in value.items()})
    if isinstance(value, dict):
        return {k: v if type(v) in _SCALARS else redact(v) for k, v in value.items()}
    return value


def marked_strings(value: Any, out: set[str], inside: bool = False) -> None:
    """Add to `out` every non-empty string held under a sensitivity mark (the secrets whose
    copies, unwrapped by `nonsensitive()`, must not leave the source as keys)."""
    stack = [(value, inside)]
    while stack:
        current, marked = stack.pop()
        if isinstance(current, Marked):
            stack.append((current.value, True))
        elif isinstance(current, str):
            if marked and current:
                out.add(current)
        elif isinstance(current, dict):
            stack.extend((v, marked) for v in current.values())  # keys name a structure, values are secret
        elif isinstance(current, (list, tuple, set, frozenset)):
            stack.extend((v, marked) for v in current)


def has_unknown(value: Any) -> bool:
    """Is any part of the value unknown (resource objects have computed attributes)?"""
    if type(value) in _SCALARS:  # (asked of every argument of every call: 100k-element lists)
        return False
    if value is UNKNOWN or value is SENSITIVE or isinstance(value, (Namespace, ComputedObject)):
        return True
    if isinstance(value, Marked):
        return has_unknown(value.value)
    if isinstance(value, list):
        return any(type(v) not in _SCALARS and has_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(type(v) not in _SCALARS and has_unknown(v) for v in value.values())
    return False


# ---------------------------------------------------------------------------------------------
# Conversions (Terraform's automatic type conversions)

_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def plain_number(value: float) -> int | float:
    """Whole floats as ints (Terraform has one number type; plans show 2, not 2.0)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e300:
        return int(value)
    return value


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("a bool is not a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        if not _NUMBER.fullmatch(value):
            raise EvalError(f"cannot convert {value!r} to a number")
        if re.fullmatch(r"-?\d+", value):
            return int(value)
        return plain_number(float(value))
    if value is None:
        raise EvalError("a null value is not a number")
    raise EvalError(f"{type(value).__name__} is not a number")


def number_text(value: int | float) -> str:
    """A number as Terraform writes it (no exponent, shortest digits)."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e300:
        return str(int(value))
    text = format(Decimal(repr(value)), "f")
    return text


def to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return number_text(value)
    if value is None:
        raise EvalError("a null value is not a string")
    raise EvalError(f"{type(value).__name__} is not a string")


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    raise EvalError(f"{value!r} is not a bool")


def _set_order(item: Any) -> tuple[int, Any]:
    if isinstance(item, bool):
        return (0, item)
    if isinstance(item, (int, float)):
        return (1, item)
    if isinstance(item, str):
        return (2, item)
    return (3, 0)


def to_set(value: Any) -> list[Any]:
    """A Terraform set: duplicates dropped, primitives in Terraform's order (numbers by value,
    strings lexically). Linear in the number of elements."""
    items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else None
    if items is None:
        raise EvalError("not a collection")
    unique = distinct(items)
    if all(isinstance(i, (str, int, float, bool)) for i in unique):
        kinds = {_set_order(i)[0] for i in unique}
        if len(kinds) <= 1:
            unique.sort(key=_set_order)
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
    `true` are not equal, nor `"1"` and `1`; `1` and `1.0` are)."""
    if isinstance(value, dict):
        return (dict, tuple(sorted((k, _identity(v)) for k, v in value.items())))
    if isinstance(value, list):
        return (list, tuple(_identity(v) for v in value))
    if isinstance(value, float) and value.is_integer():
        return (int, int(value))
    if isinstance(value, Marked):
        return (Marked, _identity(value.value))
    if value is UNKNOWN or value is SENSITIVE:
        return (object, id(value))
    return (type(value), value)
