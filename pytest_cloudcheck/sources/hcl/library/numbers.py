"""Numeric functions: abs, ceil, floor, log, max, min, parseint, pow, signum, sum."""

from __future__ import annotations

import math
from typing import Any

from ..values import EvalError, plain_number, to_number, to_string
from . import Function, fn

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _numbers(values: Any, what: str) -> list[int | float]:
    if not values:
        raise EvalError(f"{what} needs at least one number")
    return [to_number(v) for v in values]


def _max(*values: Any) -> int | float:
    return max(_numbers(values, "max()"))


def _min(*values: Any) -> int | float:
    return min(_numbers(values, "min()"))


def _ceil(value: Any) -> int | float:
    number = to_number(value)
    return number if isinstance(number, int) or math.isinf(number) else math.ceil(number)


def _floor(value: Any) -> int | float:
    number = to_number(value)
    return number if isinstance(number, int) or math.isinf(number) else math.floor(number)


def _log(value: Any, base: Any) -> int | float:
    number, b = float(to_number(value)), float(to_number(base))
    try:
        return plain_number(math.log(number) / math.log(b))
    except (ValueError, ZeroDivisionError):
        raise EvalError("log() of a number it cannot take") from None


def _pow(value: Any, power: Any) -> int | float:
    base, exponent = to_number(value), to_number(power)
    try:
        result = math.pow(float(base), float(exponent))
    except (OverflowError, ValueError):
        raise EvalError("pow() result out of range") from None
    return plain_number(result)


def _signum(value: Any) -> int:
    number = to_number(value)
    return (number > 0) - (number < 0)


def _parseint(text: Any, base: Any) -> int:
    if not isinstance(text, str):
        raise EvalError("parseint() takes a string")
    b = to_number(base)
    if not isinstance(b, int) or not 2 <= b <= 62:
        raise EvalError("base must be a whole number between 2 and 62 inclusive")
    body = text[1:] if text[:1] in "+-" else text
    if not body:
        raise EvalError(f"cannot parse {text!r} as a base {b} integer")
    value = 0
    for char in body:
        digit = _digit(char, b)
        if digit < 0:
            raise EvalError(f"cannot parse {text!r} as a base {b} integer")
        value = value * b + digit
    return -value if text.startswith("-") else value


def _digit(char: str, base: int) -> int:
    index = _DIGITS.find(char.lower()) if base <= 36 else _DIGITS.find(char)
    return index if 0 <= index < base else -1


def _sum(values: Any) -> int | float:
    if not isinstance(values, list) or not values:
        raise EvalError("sum() takes a non-empty list of numbers")
    total: int | float = 0
    for value in values:
        if value is None:
            raise EvalError("sum() of a list with a null element")
        if isinstance(value, str):
            value = to_number(to_string(value))
        total += to_number(value)
    return plain_number(total) if isinstance(total, float) else total


FUNCTIONS: dict[str, Function] = {
    "abs": fn(lambda n: abs(to_number(n))),
    "ceil": fn(_ceil),
    "floor": fn(_floor),
    "log": fn(_log),
    "max": fn(_max),
    "min": fn(_min),
    "parseint": fn(_parseint),
    "pow": fn(_pow),
    "signum": fn(_signum),
    "sum": fn(_sum),
}
