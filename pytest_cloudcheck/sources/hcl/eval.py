"""Evaluate the expressions of `hcl_parse` statically; what cannot be known before apply is UNKNOWN.

Values are plain Python data (str, int, float, bool, None, list, dict) plus the model's UNKNOWN and
SENSITIVE sentinels. Names (`var`, `local`, `azurerm_x`, `module`, `each`, ...) are resolved by a
`Scope` the caller provides, usually returning a `Namespace` whose attributes are computed lazily.
Anything that fails (a function on a value it cannot take, a missing key, an unknown operand) gives
UNKNOWN: an unknown is reported as unknown by the checks, never as compliant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ...model import SENSITIVE, UNKNOWN
from .functions import (
    FUNCTIONS,
    ComputedObject,
    EvalError,
    Namespace,
    is_special,
    plain_number,
    to_bool,
    to_number,
    to_set,
    to_string,
)

Expr = list[Any]


class Scope(Protocol):
    def resolve(self, name: str) -> Any: ...


class ChildScope:
    """Names bound by a `for` expression or a `dynamic` block, over the scope around them."""

    __slots__ = ("names", "parent")

    def __init__(self, parent: Scope, names: dict[str, Any]) -> None:
        self.parent = parent
        self.names = names

    def resolve(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        return self.parent.resolve(name)


def evaluate(expr: Expr, scope: Scope) -> Any:
    """The value of `expr`, UNKNOWN where it cannot be known statically."""
    try:
        return _eval(expr, scope)
    except EvalError:
        return UNKNOWN
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError, OverflowError):
        return UNKNOWN


# ---------------------------------------------------------------------------------------------
# Expressions


def _eval(expr: Expr, scope: Scope) -> Any:
    return _DISPATCH[expr[0]](expr, scope)


def _literal(expr: Expr, scope: Scope) -> Any:
    return expr[1]


def _name(expr: Expr, scope: Scope) -> Any:
    return scope.resolve(expr[1])


def _template(expr: Expr, scope: Scope) -> Any:
    out: list[str] = []
    special: Any = None
    for part in expr[1]:
        if isinstance(part, str):
            out.append(part)
            continue
        value = _eval(part, scope)
        if value is SENSITIVE:
            special = SENSITIVE
        elif value is UNKNOWN:
            special = special or UNKNOWN
        else:
            out.append(to_string(value))
    if special is not None:
        return special
    return "".join(out)


def get_attribute(base: Any, name: str) -> Any:
    if is_special(base):
        return base
    if isinstance(base, Namespace):
        return base.attr(name)
    if isinstance(base, ComputedObject):
        return base.attribute(name)
    if isinstance(base, dict):
        if name not in base:
            raise EvalError(f"no attribute {name}")
        return base[name]
    if isinstance(base, list) and name.isdigit():
        return base[int(name)]
    raise EvalError(f"cannot read .{name} of {type(base).__name__}")


def get_index(base: Any, key: Any) -> Any:
    if is_special(base):
        return base
    if is_special(key):
        return UNKNOWN
    if isinstance(base, Namespace):
        return base.attr(str(key))
    if isinstance(base, dict):
        key = to_string(key)
        if isinstance(base, ComputedObject):
            return base.attribute(key)
        if key not in base:
            raise EvalError(f"no key {key!r}")
        return base[key]
    if isinstance(base, list):
        return base[int(to_number(key))]
    raise EvalError(f"cannot index {type(base).__name__}")


def _attribute(expr: Expr, scope: Scope) -> Any:
    return get_attribute(_eval(expr[1], scope), expr[2])


def _index(expr: Expr, scope: Scope) -> Any:
    return get_index(_eval(expr[1], scope), _eval(expr[2], scope))


def _splat(expr: Expr, scope: Scope) -> Any:
    base = _eval(expr[1], scope)
    if is_special(base):
        return base
    items = base if isinstance(base, list) else list(base.values()) if isinstance(base, dict) else [base]
    if base is None:
        items = []
    out = []
    for item in items:
        for kind, step in expr[2]:
            item = get_attribute(item, step) if kind == "a" else get_index(item, _eval(step, scope))
        out.append(item)
    return out


def _tuple(expr: Expr, scope: Scope) -> Any:
    return [_eval(item, scope) for item in expr[1]]


def _object(expr: Expr, scope: Scope) -> Any:
    out: dict[str, Any] = {}
    for key_expr, value_expr in expr[1]:
        key = _eval(key_expr, scope)
        if is_special(key):
            return UNKNOWN
        out[to_string(key)] = _eval(value_expr, scope)
    return out


def _unary(expr: Expr, scope: Scope) -> Any:
    value = _eval(expr[2], scope)
    if is_special(value):
        return value
    if expr[1] == "!":
        return not to_bool(value)
    return -to_number(value)


def _binary(expr: Expr, scope: Scope) -> Any:
    op = expr[1]
    left = _eval(expr[2], scope)
    if op in ("&&", "||") and not is_special(left):
        # Terraform evaluates both sides; short-circuit only where the answer cannot change.
        if op == "&&" and to_bool(left) is False:
            return False
        if op == "||" and to_bool(left) is True:
            return True
    right = _eval(expr[3], scope)
    for side in (left, right):
        if side is SENSITIVE:
            return SENSITIVE
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    return _BINARY[op](left, right)


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    return bool(left == right)


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "==": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "<": lambda a, b: to_number(a) < to_number(b),
    ">": lambda a, b: to_number(a) > to_number(b),
    "<=": lambda a, b: to_number(a) <= to_number(b),
    ">=": lambda a, b: to_number(a) >= to_number(b),
    "+": lambda a, b: plain_number(to_number(a) + to_number(b)),
    "-": lambda a, b: plain_number(to_number(a) - to_number(b)),
    "*": lambda a, b: plain_number(to_number(a) * to_number(b)),
    "/": lambda a, b: plain_number(to_number(a) / to_number(b)),
    "%": lambda a, b: plain_number(to_number(a) % to_number(b)),
    "&&": lambda a, b: to_bool(a) and to_bool(b),
    "||": lambda a, b: to_bool(a) or to_bool(b),
}


def _conditional(expr: Expr, scope: Scope) -> Any:
    cond = _eval(expr[1], scope)
    if is_special(cond):
        return cond
    return _eval(expr[2] if to_bool(cond) else expr[3], scope)


def _iterate(collection: Any) -> list[tuple[Any, Any]]:
    if isinstance(collection, dict):
        return [(k, collection[k]) for k in sorted(collection)]
    if isinstance(collection, list):
        return list(enumerate(collection))
    raise EvalError("a for expression needs a list, set, map or object")


class _Unknowable(Exception):
    """A `for` expression whose shape depends on an unknown value (its filter or a key)."""


def _for_scopes(
    key_var: str | None, value_var: str, collection: Any, cond: Expr | None, scope: Scope
) -> list[ChildScope]:
    """One scope per element of a `for` expression that passes its `if` filter."""
    scopes = []
    for key, value in _iterate(collection):
        names = {value_var: value} if key_var is None else {key_var: key, value_var: value}
        inner = ChildScope(scope, names)
        if cond is not None:
            keep = _eval(cond, inner)
            if is_special(keep):
                raise _Unknowable
            if not to_bool(keep):
                continue
        scopes.append(inner)
    return scopes


def _for_tuple(expr: Expr, scope: Scope) -> Any:
    _, key_var, value_var, collection_expr, item_expr, cond = expr
    collection = _eval(collection_expr, scope)
    if is_special(collection):
        return collection
    try:
        return [_eval(item_expr, inner) for inner in _for_scopes(key_var, value_var, collection, cond, scope)]
    except _Unknowable:
        return UNKNOWN


def _for_object(expr: Expr, scope: Scope) -> Any:
    _, key_var, value_var, collection_expr, key_expr, value_expr, cond, group = expr
    collection = _eval(collection_expr, scope)
    if is_special(collection):
        return collection
    out: dict[str, Any] = {}
    try:
        scopes = _for_scopes(key_var, value_var, collection, cond, scope)
    except _Unknowable:
        return UNKNOWN
    for inner in scopes:
        new_key = _eval(key_expr, inner)
        if is_special(new_key):
            return UNKNOWN
        new_value = _eval(value_expr, inner)
        if group:
            out.setdefault(to_string(new_key), []).append(new_value)
        else:
            out[to_string(new_key)] = new_value
    return out


def _call(expr: Expr, scope: Scope) -> Any:
    name = expr[1].removeprefix("provider::terraform::")
    args_exprs = expr[2]
    if name == "try":
        for arg in args_exprs:
            try:
                return _eval(arg, scope)
            except (EvalError, TypeError, ValueError, KeyError, IndexError, AttributeError):
                continue
        raise EvalError("no argument of try() has a value")
    if name == "can":
        try:
            value = _eval(args_exprs[0], scope)
        except (EvalError, TypeError, ValueError, KeyError, IndexError, AttributeError):
            return False
        return UNKNOWN if value is UNKNOWN else True
    function = FUNCTIONS.get(name)
    if function is None:
        raise EvalError(f"function {name}() is not evaluated statically")
    args = [_eval(a, scope) for a in args_exprs]
    if expr[3] and args:  # f(list...)
        last = args.pop()
        if is_special(last):
            return last
        args.extend(last)
    if any(a is SENSITIVE for a in args):
        return SENSITIVE
    if any(a is UNKNOWN for a in args):
        return UNKNOWN
    try:
        return function(*args)
    except EvalError:
        raise  # try() may catch it
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError, StopIteration):
        return UNKNOWN  # a function on a value it cannot take (often an unknown inside a collection)


def _unsupported(expr: Expr, scope: Scope) -> Any:
    raise EvalError(f"{expr[1]} is not evaluated statically")


_DISPATCH: dict[str, Callable[[Expr, Scope], Any]] = {
    "L": _literal,
    "T": _template,
    "V": _name,
    "A": _attribute,
    "I": _index,
    "S": _splat,
    "TU": _tuple,
    "O": _object,
    "U": _unary,
    "B": _binary,
    "C": _conditional,
    "FT": _for_tuple,
    "FO": _for_object,
    "F": _call,
    "X": _unsupported,
}


# ---------------------------------------------------------------------------------------------
# Variable types: the conversions that change values (optional() defaults, sets)


def convert_type(value: Any, type_expr: Expr) -> Any:
    """Convert a variable's value to its declared type where that changes the value: attributes
    of `object({...})` types left out get their `optional(type, default)` default (or null), and
    `set(...)` values are ordered and de-duplicated. Other values are kept as they are."""
    if is_special(value) or value is None:
        return value
    kind = type_expr[0]
    if kind != "F":
        return value
    name, args = type_expr[1], type_expr[2]
    if name == "optional" and args:
        return convert_type(value, args[0])
    if name == "object" and args and args[0][0] == "O" and isinstance(value, dict):
        out = dict(value)
        for key_expr, attr_type in args[0][1]:
            if key_expr[0] != "L":
                continue
            key = key_expr[1]
            if out.get(key) is None and attr_type[0] == "F" and attr_type[1] == "optional":
                default = evaluate(attr_type[2][1], _NO_NAMES) if len(attr_type[2]) > 1 else None
                out[key] = convert_type(default, attr_type[2][0])
            elif key in out:
                out[key] = convert_type(out[key], attr_type)
        return out
    if name == "map" and args and isinstance(value, dict):
        return {k: convert_type(v, args[0]) for k, v in value.items()}
    if name in ("list", "set") and args and isinstance(value, list):
        items = [convert_type(v, args[0]) for v in value]
        return to_set(items) if name == "set" and all(isinstance(i, str) for i in items) else items
    return value


class _NoNames:
    def resolve(self, name: str) -> Any:
        raise EvalError(f"{name}: a type default is a literal")


_NO_NAMES = _NoNames()
