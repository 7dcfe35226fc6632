"""The function table of the HCL evaluator and the rules every call shares.

Every function of Terraform 1.x's library is in `library/` (one module per family) together with
the azapi / azurerm provider functions AVM uses. A call follows Terraform's rules:

- sensitive arguments make the result sensitive (except `sensitive`, `nonsensitive`, `issensitive`);
- an unknown argument makes the result unknown; an argument with unknown parts too, unless the
  function keeps such values known as Terraform does (`length`, `keys`, `concat`, `merge`, ...);
- a function Terraform would reject its arguments with raises EvalError (`try()` / `can()` see it);
- a function not implemented, or an answer that cannot be reproduced here, raises NotEvaluated:
  the caller records a gap and uses UNKNOWN. No function ever guesses.
"""

from __future__ import annotations

from typing import Any

from ...model import UNKNOWN
from .library import (
    Function,
    FunctionContext,
    azure,
    collections,
    conversions,
    dates,
    encoding,
    files,
    hashes,
    network,
    numbers,
    regex,
    strings,
    unknown_function,
)
from .values import (
    ComputedObject,
    EvalError,
    Marked,
    Namespace,
    NotEvaluated,
    has_unknown,
    is_special,
    mark,
    plain_number,
    to_bool,
    to_number,
    to_set,
    to_string,
    unmark_deep,
)

FUNCTIONS: dict[str, Function] = {
    **strings.FUNCTIONS,
    **regex.FUNCTIONS,
    **numbers.FUNCTIONS,
    **collections.FUNCTIONS,
    **conversions.FUNCTIONS,
    **encoding.FUNCTIONS,
    **files.FUNCTIONS,
    **dates.FUNCTIONS,
    **hashes.FUNCTIONS,
    **network.FUNCTIONS,
    **azure.FUNCTIONS,
}

#: evaluated by the evaluator itself: their arguments are expressions, not values
LAZY = ("try", "can", "templatestring")

_PYTHON_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError, OverflowError)


def canonical_name(name: str) -> str:
    """`core::upper` is `upper`."""
    return name.removeprefix("core::")


def is_known_function(name: str) -> bool:
    name = canonical_name(name)
    return name in FUNCTIONS or name in LAZY


def call(name: str, args: list[Any], context: FunctionContext) -> Any:
    """The value of `name(*args)` under Terraform's rules for unknown and sensitive arguments."""
    name = canonical_name(name)
    spec = FUNCTIONS.get(name)
    if spec is None:
        raise NotEvaluated(unknown_function(name))
    marked = False
    if not spec.marks:
        plain = []
        for arg in args:
            value, was_marked = unmark_deep(arg)
            marked = marked or was_marked
            plain.append(value)
        args = plain
        if any(a is UNKNOWN for a in args) and not spec.unknown_args:
            return mark(UNKNOWN) if marked else UNKNOWN
        if not spec.partial and any(has_unknown(a) for a in args):
            return mark(UNKNOWN) if marked else UNKNOWN
        if any(isinstance(a, (ComputedObject, Namespace)) for a in args):
            return mark(UNKNOWN) if marked else UNKNOWN
    partial = spec.partial and any(has_unknown(a) for a in args)
    try:
        result = spec.impl(context, *args) if spec.context else spec.impl(*args)
    except EvalError:
        if partial:
            return UNKNOWN  # the error may come from a part that is not known yet
        raise
    except RecursionError:
        raise NotEvaluated(f"{name}(): value nested too deeply") from None
    except _PYTHON_ERRORS as exc:
        if partial:
            return UNKNOWN
        raise EvalError(f"{name}(): {exc}") from None
    return mark(result) if marked else result


__all__ = [
    "FUNCTIONS",
    "ComputedObject",
    "EvalError",
    "Function",
    "FunctionContext",
    "Marked",
    "Namespace",
    "NotEvaluated",
    "call",
    "is_special",
    "plain_number",
    "to_bool",
    "to_number",
    "to_set",
    "to_string",
]
