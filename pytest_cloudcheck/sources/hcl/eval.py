"""Evaluate the expressions of `hcl_parse` statically; what cannot be known before apply is UNKNOWN.

Values are plain Python data (str, int, float, bool, None, list, dict) plus the model's UNKNOWN and
SENSITIVE sentinels and `Marked` (a sensitive value still held for `nonsensitive()`). Names (`var`,
`local`, `azurerm_x`, `module`, `each`, ...) are resolved by a `Scope` the caller provides, usually
returning a `Namespace` whose attributes are computed lazily.

Terraform's semantics, where they decide a value: an expression Terraform would reject raises
EvalError inside (`try()` / `can()` catch it; `evaluate()` gives UNKNOWN); `try()` and `can()` whose
argument depends on an unknown value are unknown (they never take the fallback because of an
unknown); sensitivity travels with values and `nonsensitive()` takes it off; a function or syntax
not implemented is UNKNOWN and noted as a gap in the scope's `FunctionContext`, never an error a
`try()` could turn into its fallback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol

from ...model import SENSITIVE, UNKNOWN
from .functions import (
    ComputedObject,
    EvalError,
    FunctionContext,
    Marked,
    Namespace,
    NotEvaluated,
    call,
    canonical_name,
    has_unknown,
    is_special,
    mark,
    plain_number,
    to_bool,
    to_number,
    to_set,
    to_string,
)
from .template_syntax import expressions as template_expressions
from .values import unmark

Expr = list[Any]

_PYTHON_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError, OverflowError)


class Scope(Protocol):
    def resolve(self, name: str) -> Any: ...


class ChildScope:
    """Names bound by a `for` expression or a `dynamic` block, over the scope around them."""

    __slots__ = ("function_context", "names", "parent")

    def __init__(self, parent: Scope, names: dict[str, Any], context: FunctionContext | None = None) -> None:
        self.parent = parent
        self.names = names
        self.function_context: FunctionContext = context or context_of(parent)

    def resolve(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        return self.parent.resolve(name)


def context_of(scope: Any) -> FunctionContext:
    """The function context of a scope (files, gaps); a fresh one where the scope has none."""
    found = getattr(scope, "function_context", None)
    return found if isinstance(found, FunctionContext) else FunctionContext()


def evaluate(expr: Expr, scope: Scope) -> Any:
    """The value of `expr`, UNKNOWN where it cannot be known statically."""
    if not isinstance(getattr(scope, "function_context", None), FunctionContext):
        scope = ChildScope(scope, {}, FunctionContext())
    try:
        return _eval(expr, scope)
    except EvalError:
        return UNKNOWN
    except NotEvaluated as exc:
        context_of(scope).gap(str(exc))
        return UNKNOWN
    except _PYTHON_ERRORS:
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
    return _join_parts([part if isinstance(part, str) else _eval(part, scope) for part in expr[1]])


def _directives(expr: Expr, scope: Scope) -> Any:
    """A string with `%{if}` / `%{for}` directives (parts as template_syntax nests them)."""
    return _join_parts(_render(expr[1], scope))


def _join_parts(values: list[Any]) -> Any:
    """A template's parts joined; unknown if any part is unknown, sensitive if any part is."""
    out: list[str] = []
    unknown = sensitive = False
    for value in values:
        kind = type(value)
        if kind is str or kind is int:  # most parts: literal text, plain strings, whole numbers
            if not unknown:
                out.append(value if kind is str else str(value))
            continue
        value, marked = unmark(value)
        sensitive = sensitive or marked
        if value is UNKNOWN or (has_unknown(value) and not isinstance(value, str)):
            unknown = True
        elif not unknown:
            if value is None:
                raise EvalError("a template cannot include a null value")
            if isinstance(value, (list, dict)):
                raise EvalError("a template cannot include a collection")
            out.append(to_string(value))
    if unknown:
        return SENSITIVE if sensitive else UNKNOWN
    text = "".join(out)
    return mark(text) if sensitive else text


def get_attribute(base: Any, name: str) -> Any:
    if isinstance(base, Marked):
        return mark(get_attribute(base.value, name))
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
    if isinstance(base, Marked) or isinstance(key, Marked):
        return mark(get_index(unmark(base)[0], unmark(key)[0]))
    if is_special(base):
        return base
    if is_special(key):
        return UNKNOWN
    if key is None:
        raise EvalError("an index cannot be null")
    if isinstance(base, Namespace):
        return base.attr(to_string(key))
    if isinstance(base, dict):
        key = to_string(key)
        if isinstance(base, ComputedObject):
            return base.attribute(key)
        if key not in base:
            raise EvalError(f"no key {key!r}")
        return base[key]
    if isinstance(base, list):
        number = to_number(key)
        if (isinstance(number, float) and not number.is_integer()) or number < 0:
            raise EvalError(f"invalid index {key!r}")
        if int(number) >= len(base):
            raise EvalError(f"index {key!r} out of range for a list of {len(base)}")
        return base[int(number)]
    raise EvalError(f"cannot index {type(base).__name__}")


def _attribute(expr: Expr, scope: Scope) -> Any:
    return get_attribute(_eval(expr[1], scope), expr[2])


def _index(expr: Expr, scope: Scope) -> Any:
    return get_index(_eval(expr[1], scope), _eval(expr[2], scope))


def _splat(expr: Expr, scope: Scope) -> Any:
    base, marked = unmark(_eval(expr[1], scope))
    if is_special(base):
        return mark(base) if marked else base
    items = base if isinstance(base, list) else list(base.values()) if isinstance(base, dict) else [base]
    if base is None:
        items = []
    out = []
    for item in items:
        for kind, step in expr[2]:
            item = get_attribute(item, step) if kind == "a" else get_index(item, _eval(step, scope))
        out.append(item)
    return mark(out) if marked else out


def _tuple(expr: Expr, scope: Scope) -> Any:
    return [_eval(item, scope) for item in expr[1]]


def _object(expr: Expr, scope: Scope) -> Any:
    out: dict[str, Any] = {}
    for key_expr, value_expr in expr[1]:
        key = _eval(key_expr, scope)
        if is_special(key):
            return UNKNOWN
        if key is None:
            raise EvalError("an object key cannot be null")
        out[to_string(key)] = _eval(value_expr, scope)
    return out


def _unary(expr: Expr, scope: Scope) -> Any:
    value, marked = unmark(_eval(expr[2], scope))
    if value is UNKNOWN:
        return SENSITIVE if marked else UNKNOWN
    result = (not to_bool(value)) if expr[1] == "!" else plain_number(-to_number(value))
    return mark(result) if marked else result


def _binary(expr: Expr, scope: Scope) -> Any:
    op = expr[1]
    left, left_marked = unmark(_eval(expr[2], scope))
    right, right_marked = unmark(_eval(expr[3], scope))
    marked = left_marked or right_marked
    if left is UNKNOWN or right is UNKNOWN:
        return SENSITIVE if marked else UNKNOWN
    if op in ("==", "!=") and (has_unknown(left) or has_unknown(right)):
        # a known object or list with unknown parts is still not null (`var.cmk != null` is known
        # true, as Terraform answers it); any other comparison with unknown parts is unknown
        if (left is None) == (right is None):
            return SENSITIVE if marked else UNKNOWN
        result = op == "!="
        return mark(result) if marked else result
    result = _BINARY[op](left, right)
    return mark(result) if marked else result


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    return bool(left == right)


def _arith(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda a, b: plain_number(op(to_number(a), to_number(b)))


def _divide(a: Any, b: Any) -> Any:
    if to_number(b) == 0:
        raise EvalError("divide by zero")
    return plain_number(to_number(a) / to_number(b))


def _modulo(a: Any, b: Any) -> Any:
    x, y = to_number(a), to_number(b)
    if y == 0:
        raise EvalError("divide by zero")
    result = abs(x) % abs(y)  # Go's remainder takes the sign of the dividend
    return plain_number(-result if x < 0 else result)


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "==": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "<": lambda a, b: to_number(a) < to_number(b),
    ">": lambda a, b: to_number(a) > to_number(b),
    "<=": lambda a, b: to_number(a) <= to_number(b),
    ">=": lambda a, b: to_number(a) >= to_number(b),
    "+": _arith(lambda a, b: a + b),
    "-": _arith(lambda a, b: a - b),
    "*": _arith(lambda a, b: a * b),
    "/": _divide,
    "%": _modulo,
    "&&": lambda a, b: to_bool(a) and to_bool(b),
    "||": lambda a, b: to_bool(a) or to_bool(b),
}


def _conditional(expr: Expr, scope: Scope) -> Any:
    cond, marked = unmark(_eval(expr[1], scope))
    if cond is UNKNOWN:
        return SENSITIVE if marked else UNKNOWN
    if cond is None:
        raise EvalError("the condition of a conditional expression cannot be null")
    result = _eval(expr[2] if to_bool(cond) else expr[3], scope)
    return mark(result) if marked else result


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
            keep, _ = unmark(_eval(cond, inner))
            if keep is UNKNOWN:
                raise _Unknowable
            if not to_bool(keep):
                continue
        scopes.append(inner)
    return scopes


def _for_tuple(expr: Expr, scope: Scope) -> Any:
    _, key_var, value_var, collection_expr, item_expr, cond = expr
    collection, marked = unmark(_eval(collection_expr, scope))
    if is_special(collection):
        return SENSITIVE if marked else collection
    try:
        result = [_eval(item_expr, inner) for inner in _for_scopes(key_var, value_var, collection, cond, scope)]
    except _Unknowable:
        return SENSITIVE if marked else UNKNOWN
    return mark(result) if marked else result


def _for_object(expr: Expr, scope: Scope) -> Any:
    _, key_var, value_var, collection_expr, key_expr, value_expr, cond, group = expr
    collection, marked = unmark(_eval(collection_expr, scope))
    if is_special(collection):
        return SENSITIVE if marked else collection
    out: dict[str, Any] = {}
    try:
        scopes = _for_scopes(key_var, value_var, collection, cond, scope)
    except _Unknowable:
        return SENSITIVE if marked else UNKNOWN
    for inner in scopes:
        new_key, key_marked = unmark(_eval(key_expr, inner))
        if new_key is UNKNOWN:
            return SENSITIVE if marked else UNKNOWN
        marked = marked or key_marked
        new_value = _eval(value_expr, inner)
        if group:
            out.setdefault(to_string(new_key), []).append(new_value)
        elif to_string(new_key) in out:
            raise EvalError(f"duplicate object key {to_string(new_key)!r}: add `...` to group values by key")
        else:
            out[to_string(new_key)] = new_value
    return mark(out) if marked else out


# ---------------------------------------------------------------------------------------------
# Function calls; try(), can() and templatestring() take expressions


def _call(expr: Expr, scope: Scope) -> Any:
    name = canonical_name(expr[1])
    args_exprs = expr[2]
    lazy = _LAZY.get(name)
    if lazy is not None:
        return lazy(args_exprs, scope)
    context = context_of(scope)
    args = [_eval(a, scope) for a in args_exprs]
    if expr[3] and args:  # f(list...)
        last, marked = unmark(args.pop())
        if last is UNKNOWN:
            return SENSITIVE if marked else UNKNOWN
        if not isinstance(last, list):
            raise EvalError(f"{name}(): the argument expanded with ... must be a list")
        args.extend(mark(a) if marked else a for a in last)
    try:
        return call(name, args, context)
    except NotEvaluated as exc:
        context.gap(str(exc))
        return UNKNOWN


def _gaps_during(scope: Scope, work: Callable[[], Any]) -> tuple[Any, BaseException | None, bool]:
    """Run `work`; its value or EvalError, and whether a gap was noted meanwhile."""
    context = context_of(scope)
    before = context.gap_count
    try:
        return work(), None, context.gap_count != before
    except EvalError as exc:
        return None, exc, context.gap_count != before
    except _PYTHON_ERRORS as exc:
        return None, exc, context.gap_count != before


def _try(args_exprs: list[Expr], scope: Scope) -> Any:
    if not args_exprs:
        raise EvalError("try() needs at least one argument")
    for arg in args_exprs:
        if depends_on_unknowns(arg, scope):
            return UNKNOWN
        value, error, gaps = _gaps_during(scope, functools.partial(_eval, arg, scope))
        if error is None:
            return value
        if gaps:
            return UNKNOWN  # the error may come from what was not evaluated
    raise EvalError("no expression given to try() could be evaluated")


def _can(args_exprs: list[Expr], scope: Scope) -> Any:
    if len(args_exprs) != 1:
        raise EvalError("can() takes one argument")
    if depends_on_unknowns(args_exprs[0], scope):
        return UNKNOWN
    _, error, gaps = _gaps_during(scope, lambda: _eval(args_exprs[0], scope))
    if gaps:
        return UNKNOWN
    return error is None


def _templatestring(args_exprs: list[Expr], scope: Scope) -> Any:
    from .library.templates import render_template

    if len(args_exprs) != 2:
        raise EvalError("templatestring() takes a template and its variables")
    if args_exprs[0][0] in ("L", "T"):
        raise EvalError("templatestring(): the template must be a reference to a string, not a string literal")
    template, marked = unmark(_eval(args_exprs[0], scope))
    variables, vars_marked = unmark(_eval(args_exprs[1], scope))
    marked = marked or vars_marked
    if template is UNKNOWN or variables is UNKNOWN:
        return SENSITIVE if marked else UNKNOWN
    if not isinstance(template, str):
        raise EvalError("templatestring(): the template must be a string")
    if not isinstance(variables, dict):
        raise EvalError("templatestring(): vars must be an object or map")
    result = render_template(template, variables, context_of(scope))
    return mark(result) if marked else result


_LAZY: dict[str, Callable[[list[Expr], Scope], Any]] = {"try": _try, "can": _can, "templatestring": _templatestring}


def depends_on_unknowns(expr: Expr, scope: Scope) -> bool:
    """Does a reference in `expr` lead to a value that is not wholly known (HCL's rule for
    `try()` and `can()`: such an expression is not evaluated; the answer is unknown)?"""
    for traversal in _traversals(expr, frozenset()):
        try:
            value = _eval(traversal, scope)
        except (EvalError, NotEvaluated, *_PYTHON_ERRORS):
            continue
        if has_unknown(value):
            return True
    return False


def _traversals(expr: Expr, bound: frozenset[str]) -> list[Expr]:
    """The references of an expression (root name plus static steps), minus names bound inside it."""
    kind = expr[0]
    if kind in ("V", "A", "I"):
        root = expr
        while root[0] in ("A", "I") and (root[0] == "A" or root[2][0] == "L"):
            root = root[1]
        if root[0] == "V":
            if root[1] in bound:
                return []
            return [expr] if _static(expr) else [_static_prefix(expr), *_traversals_of_keys(expr, bound)]
    out: list[Expr] = []
    if kind in ("FT", "FO"):
        names = bound | {n for n in (expr[1], expr[2]) if n}
        out.extend(_traversals(expr[3], bound))
        for inner in expr[4:]:
            if isinstance(inner, list):
                out.extend(_traversals(inner, names))
        return out
    if kind == "TD":
        for inner, names in template_expressions(expr[1], bound):
            out.extend(_traversals(inner, names))
        return out
    for child in _children(expr):
        out.extend(_traversals(child, bound))
    return out


def _children(expr: Expr) -> list[Expr]:
    kind = expr[0]
    if kind == "T":
        return [p for p in expr[1] if isinstance(p, list)]
    if kind == "A":
        return [expr[1]]
    if kind == "I":
        return [expr[1], expr[2]]
    if kind == "S":
        return [expr[1]] + [step for step_kind, step in expr[2] if step_kind == "i"]
    if kind == "U":
        return [expr[2]]
    if kind == "B":
        return [expr[2], expr[3]]
    if kind == "C":
        return list(expr[1:4])
    if kind == "TU":
        return list(expr[1])
    if kind == "O":
        return [part for pair in expr[1] for part in pair]
    if kind == "F":
        return list(expr[2])
    return []


def _static(expr: Expr) -> bool:
    while expr[0] in ("A", "I"):
        if expr[0] == "I" and expr[2][0] != "L":
            return False
        expr = expr[1]
    return expr[0] == "V"


def _static_prefix(expr: Expr) -> Expr:
    while not _static(expr):
        expr = expr[1]
    return expr


def _traversals_of_keys(expr: Expr, bound: frozenset[str]) -> list[Expr]:
    out: list[Expr] = []
    while expr[0] in ("A", "I"):
        if expr[0] == "I":
            out.extend(_traversals(expr[2], bound))
        expr = expr[1]
    return out


def _unsupported(expr: Expr, scope: Scope) -> Any:
    context_of(scope).gap(f"{expr[1]} is not evaluated statically: values that use it are unknown")
    return UNKNOWN


_DISPATCH: dict[str, Callable[[Expr, Scope], Any]] = {
    "L": _literal,
    "T": _template,
    "TD": _directives,
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
# Templates of templatefile() / templatestring() (parsed by library.templates)


def render_parts(parts: list[Any], scope: Scope) -> Any:
    """The value of a parsed template: a lone interpolation keeps its value's type."""
    if len(parts) == 1 and isinstance(parts[0], list) and parts[0][0] == "i":
        return _eval(parts[0][1], scope)
    return _join_parts(_render(parts, scope))


def _render(parts: list[Any], scope: Scope) -> list[Any]:
    out: list[Any] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part[0] == "i":
            out.append(_eval(part[1], scope))
        elif part[0] == "if":
            cond, marked = unmark(_eval(part[1], scope))
            if cond is UNKNOWN:
                out.append(SENSITIVE if marked else UNKNOWN)
                continue
            chosen = _join_parts(_render(part[2] if to_bool(cond) else part[3], scope))
            out.append(mark(chosen) if marked else chosen)
        else:
            _, key_var, value_var, collection_expr, body = part
            collection, marked = unmark(_eval(collection_expr, scope))
            if is_special(collection):
                out.append(SENSITIVE if marked else UNKNOWN)
                continue
            pieces = []
            for key, value in _iterate(collection):
                names = {value_var: value} if key_var is None else {key_var: key, value_var: value}
                pieces.append(_join_parts(_render(body, ChildScope(scope, names))))
            joined = _join_parts(pieces)
            out.append(mark(joined) if marked else joined)
    return out


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
