"""String functions: format, join, split, substr, title, trim*, indent, ... (Terraform's semantics:
Go's fmt verbs for `format`, grapheme-free code point counting, Unicode-aware case)."""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from typing import Any

from ..values import EvalError, has_unknown, to_number, to_string
from . import Function, fn


def _strings(items: Any, what: str) -> list[str]:
    if not isinstance(items, list):
        raise EvalError(f"{what} takes a list of strings")
    out = []
    for item in items:
        if item is None:
            raise EvalError(f"{what}: an element is null")
        if isinstance(item, (list, dict)):
            raise EvalError(f"{what}: elements must be strings")
        out.append(to_string(item))
    return out


def _join(sep: Any, *lists: Any) -> str:
    if not lists:
        raise EvalError("join() needs at least one list")
    return to_string(sep).join(s for items in lists for s in _strings(items, "join()"))


def _split(sep: Any, text: Any) -> list[str]:
    sep, text = to_string(sep), to_string(text)
    if sep == "":
        return list(text)
    return text.split(sep)


def _substr(text: Any, offset: Any, length: Any) -> str:
    text = to_string(text)
    start, count = _int(offset), _int(length)
    size = len(text)
    if start < 0:
        start = max(0, size + start)
    if start >= size:
        return ""
    if count < 0:
        return text[start:]
    return text[start : start + count]


def _int(value: Any) -> int:
    number = to_number(value)
    if isinstance(number, float):
        if not number.is_integer():
            raise EvalError(f"{number} is not a whole number")
        return int(number)
    return number


def _is_separator(char: str) -> bool:
    """Go's strings.Title word separators."""
    if char.isascii():
        return not (char.isalnum() or char == "_")
    if char.isalpha() or char.isdigit():
        return False
    return char.isspace()


def _title(text: Any) -> str:
    out = []
    previous = " "
    for char in to_string(text):
        out.append(char.upper() if len(char.upper()) == 1 and _is_separator(previous) else char)
        previous = char
    return "".join(out)


def _case(text: Any, upper: bool) -> str:
    text = to_string(text)
    return "".join(
        (c.upper() if upper else c.lower()) if len(c.upper() if upper else c.lower()) == 1 else c for c in text
    )


_GO_SPACE = " \t\n\v\f\r\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))


def _trim(text: Any, cutset: Any) -> str:
    return to_string(text).strip(to_string(cutset))


def _chomp(text: Any) -> str:
    return re.sub(r"(?:\r\n|\r|\n)+\Z", "", to_string(text))


def _indent(spaces: Any, text: Any) -> str:
    pad = " " * _int(spaces)
    return to_string(text).replace("\n", "\n" + pad)


def _strrev(text: Any) -> str:
    # reverse grapheme clusters approximately: keep combining marks after their base character
    clusters: list[str] = []
    for char in to_string(text):
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return "".join(reversed(clusters))


# ---------------------------------------------------------------------------------------------
# format / formatlist: Go's fmt verbs as Terraform documents them

_VERB = re.compile(r"%([-+# 0]*)(\[\d+\])?(\d+|\*)?(?:\.(\d*))?(\[\d+\])?([a-zA-Z%])?")


def _json(value: Any) -> str:
    from .encoding import jsonencode

    return jsonencode(value)


def _go_float(value: float | int, verb: str, precision: int | None) -> str:
    number = float(value)
    if verb in "eE":
        text = f"{number:.{6 if precision is None else precision}e}"
        return text.upper() if verb == "E" else text
    if verb in "fF":
        if precision is None and isinstance(value, int):
            return f"{value}.000000"
        return f"{number:.{6 if precision is None else precision}f}"
    # g / G: shortest representation unless a precision is given (Go's rules)
    if precision is not None:
        text = f"{number:.{precision or 1}g}"
    elif number == 0:
        text = "0"
    else:
        digits, exponent = _shortest(number)
        sign = "-" if number < 0 else ""
        if exponent < -4 or exponent >= 6:
            text = sign + _exp_text(digits, exponent)
        else:
            text = sign + format(Decimal(repr(abs(number))).normalize(), "f")
    return text.upper() if verb == "G" else text


def _shortest(number: float) -> tuple[str, int]:
    _, digits, exp = Decimal(repr(abs(number))).normalize().as_tuple()
    text = "".join(str(d) for d in digits)
    return text, len(text) + int(exp) - 1


def _exp_text(digits: str, exponent: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"


def _format_one(verb: str, flags: str, precision: int | None, value: Any) -> str:
    if verb == "v":
        if flags == "#":
            return _json(value)
        if value is None:
            raise _NullValue
        if isinstance(value, (list, dict)):
            return _json(value)
        return to_string(value)
    if value is None:
        raise EvalError(f"unsupported value for %{verb}: a null value")
    if verb == "t":
        if not isinstance(value, bool):
            raise EvalError("%t requires a bool")
        return "true" if value else "false"
    if verb == "s":
        if isinstance(value, (list, dict)):
            raise EvalError("%s requires a string")
        text = to_string(value)
        return text[:precision] if precision is not None else text
    if verb == "q":
        if isinstance(value, (list, dict)):
            raise EvalError("%q requires a string")
        return json.dumps(to_string(value), ensure_ascii=False)
    number = to_number(value)
    if verb in "dboxX":
        if isinstance(number, float) and not number.is_integer():
            raise EvalError(f"%{verb} requires a whole number")
        whole = int(number)
        text = format(abs(whole), {"d": "d", "b": "b", "o": "o", "x": "x", "X": "X"}[verb])
        if "#" in flags and verb in "oxX":
            text = {"o": "0", "x": "0x", "X": "0X"}[verb] + text
        sign = "-" if whole < 0 else "+" if "+" in flags else " " if " " in flags else ""
        return sign + text
    if verb in "eEfFgG":
        text = _go_float(number, verb, precision)
        if not text.startswith("-"):
            text = ("+" if "+" in flags else " " if " " in flags else "") + text
        return text
    raise EvalError(f"unrecognized format verb %{verb}")


class _NullValue(Exception):
    """Terraform's format("%v", null) is unknown."""


def _format(spec: Any, *args: Any) -> Any:
    try:
        return _format_text(spec, *args)
    except _NullValue:
        from ....model import UNKNOWN

        return UNKNOWN


def _format_text(spec: Any, *args: Any) -> str:
    spec = to_string(spec)
    out: list[str] = []
    next_arg = 0
    used = set()
    pos = 0
    while pos < len(spec):
        percent = spec.find("%", pos)
        if percent < 0:
            out.append(spec[pos:])
            break
        out.append(spec[pos:percent])
        match = _VERB.match(spec, percent)
        assert match is not None
        flags, index1, width, precision, index2, verb = match.groups()
        if verb is None:
            raise EvalError("format string ends with an incomplete verb")
        if verb == "%":
            out.append("%")
            pos = match.end()
            continue
        index = index1 or index2
        if index is not None:
            next_arg = int(index[1:-1]) - 1
        if next_arg < 0 or next_arg >= len(args):
            raise EvalError("not enough arguments for the format string")
        value = args[next_arg]
        used.add(next_arg)
        next_arg += 1
        text = _format_one(verb, flags, int(precision) if precision not in (None, "") else None, value)
        if width and width != "*":
            size = int(width)
            if "-" in flags:
                text = text.ljust(size)
            elif "0" in flags and verb not in "sqvt":
                sign = text[0] if text[:1] in "+- " else ""
                text = sign + text[len(sign) :].rjust(size - len(sign), "0")
            else:
                text = text.rjust(size)
        out.append(text)
        pos = match.end()
    if len(used) < len(args) and next_arg < len(args):
        raise EvalError("too many arguments; no verbs left to use them")
    return "".join(out)


def _formatlist(spec: Any, *args: Any) -> list[Any]:
    from ....model import UNKNOWN

    if has_unknown(spec):
        return UNKNOWN
    lengths = {len(a) for a in args if isinstance(a, list)}
    if len(lengths) > 1:
        raise EvalError("formatlist() lists must all have the same length")
    if not lengths:
        return [_format_text(spec, *args)]
    size = lengths.pop()
    rows = [[a[i] if isinstance(a, list) else a for a in args] for i in range(size)]
    # a row with unknown parts is an unknown element; the length stays known, as in Terraform
    return [UNKNOWN if has_unknown(row) else _format_text(spec, *row) for row in rows]


def _startswith(text: Any, prefix: Any) -> bool:
    return to_string(text).startswith(to_string(prefix))


def _endswith(text: Any, suffix: Any) -> bool:
    return to_string(text).endswith(to_string(suffix))


FUNCTIONS: dict[str, Function] = {
    "chomp": fn(_chomp),
    "endswith": fn(_endswith),
    "format": fn(_format),
    "formatlist": fn(_formatlist, partial=True),
    "indent": fn(_indent),
    "join": fn(_join),
    "lower": fn(lambda s: _case(s, False)),
    "upper": fn(lambda s: _case(s, True)),
    "split": fn(_split),
    "startswith": fn(_startswith),
    "strcontains": fn(lambda s, p: to_string(p) in to_string(s)),
    "strrev": fn(_strrev),
    "substr": fn(_substr),
    "title": fn(_title),
    "trim": fn(_trim),
    "trimprefix": fn(lambda s, p: to_string(s).removeprefix(to_string(p))),
    "trimsuffix": fn(lambda s, p: to_string(s).removesuffix(to_string(p))),
    "trimspace": fn(lambda s: to_string(s).strip(_GO_SPACE)),
}
