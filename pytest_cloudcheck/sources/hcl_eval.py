"""Evaluate the expressions of `hcl_parse` statically; what cannot be known before apply is UNKNOWN.

Values are plain Python data (str, int, float, bool, None, list, dict) plus the model's UNKNOWN and
SENSITIVE sentinels. Names (`var`, `local`, `azurerm_x`, `module`, `each`, ...) are resolved by a
`Scope` the caller provides, usually returning a `Namespace` whose attributes are computed lazily.
Anything that fails (a function on a value it cannot take, a missing key, an unknown operand) gives
UNKNOWN: an unknown is reported as unknown by the checks, never as compliant.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from typing import Any, Protocol

from ..model import SENSITIVE, UNKNOWN

Expr = list[Any]


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


def is_special(value: Any) -> bool:
    return value is UNKNOWN or value is SENSITIVE


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
    "+": lambda a, b: _number(to_number(a) + to_number(b)),
    "-": lambda a, b: _number(to_number(a) - to_number(b)),
    "*": lambda a, b: _number(to_number(a) * to_number(b)),
    "/": lambda a, b: _number(to_number(a) / to_number(b)),
    "%": lambda a, b: _number(to_number(a) % to_number(b)),
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
# Conversions (Terraform's automatic type conversions, the common cases)


def _number(value: float) -> int | float:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("a bool is not a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        number = float(value)
        return _number(number)
    raise EvalError(f"{type(value).__name__} is not a number")


def to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(_number(value)) if isinstance(value, float) else str(value)
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
    unique: list[Any] = []
    for item in items:
        if item not in unique:
            unique.append(item)
    if all(isinstance(i, str) for i in unique):
        unique.sort()
    return unique


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
    "distinct": lambda items: [v for i, v in enumerate(items) if v not in items[:i]],
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
    "min": lambda *n: _number(min(to_number(i) for i in n)),
    "max": lambda *n: _number(max(to_number(i) for i in n)),
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


# ---------------------------------------------------------------------------------------------
# References, in the format of Terraform's `configuration` section


def references(expr: Expr, bound: frozenset[str] = frozenset()) -> list[str]:
    """Traversals the expression reads, each with its shorter prefixes, as `terraform show -json`
    lists them (`azurerm_x.y["k"].id`, `azurerm_x.y["k"]`, `azurerm_x.y`). Names bound by `for`
    expressions are left out."""
    out: list[str] = []
    _collect(expr, bound, out)
    unique: dict[str, None] = dict.fromkeys(out)
    return list(unique)


def _traversal_steps(expr: Expr) -> tuple[list[str], list[Expr]] | None:
    """(["var", "x", '["k"]'], leftovers) for a traversal; leftovers are non-literal index keys."""
    steps: list[str] = []
    leftovers: list[Expr] = []
    current = expr
    while True:
        kind = current[0]
        if kind == "V":
            steps.append(current[1])
            steps.reverse()
            return steps, leftovers
        if kind == "A":
            steps.append(current[2])
        elif kind == "I":
            key = current[2]
            if key[0] == "L" and isinstance(key[1], (str, int)) and not isinstance(key[1], bool):
                steps.append(json.dumps(key[1]) if isinstance(key[1], str) else str(key[1]))
                steps[-1] = f"[{steps[-1]}]"
            else:
                steps.clear()  # the traversal stops before a computed key
                leftovers.append(key)
        else:
            return None
        current = current[1]


def _render(steps: list[str]) -> str:
    text = steps[0]
    for step in steps[1:]:
        text += step if step.startswith("[") else "." + step
    return text


def _collect(expr: Any, bound: frozenset[str], out: list[str]) -> None:
    if not isinstance(expr, list) or not expr:
        return
    kind = expr[0]
    if not isinstance(kind, str):  # a list of expressions, or an object's [key, value] pair
        for sub in expr:
            _collect(sub, bound, out)
        return
    if kind == "T":
        for part in expr[1]:
            _collect(part, bound, out)
        return
    if kind in ("V", "A", "I"):
        found = _traversal_steps(expr)
        if found is not None:
            steps, leftovers = found
            if steps and steps[0] not in bound:
                minimum = 3 if steps[0] == "data" else 2
                for end in range(len(steps), minimum - 1, -1):
                    out.append(_render(steps[:end]))
            for key in leftovers:
                _collect(key, bound, out)
            if steps or leftovers:
                return
        # a traversal from an expression: look inside the base
        _collect(expr[1], bound, out)
        if kind == "I":
            _collect(expr[2], bound, out)
        return
    if kind in ("FT", "FO"):
        names = {n for n in (expr[1], expr[2]) if n}
        _collect(expr[3], bound, out)
        inner = bound | names
        for sub in expr[4:]:
            _collect(sub, inner, out)
        return
    if kind == "S":
        _collect(expr[1], bound, out)
        for step_kind, step in expr[2]:
            if step_kind == "i":
                _collect(step, bound, out)
        return
    for item in expr[1:]:
        if isinstance(item, list):
            _collect(item, bound, out)


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
