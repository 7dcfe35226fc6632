"""regex, regexall and replace with Terraform's RE2 semantics, translated to Python's `re`.

RE2 and Python differ where it matters for infrastructure code: `$` matches only at the very end
(Python also before a final newline), `\\d \\w \\s \\b` are ASCII, flags such as `(?i)` may appear
mid-pattern, `\\z`, `\\Q...\\E`, `\\x{...}` and `[[:alpha:]]` exist; lookarounds and backreferences
do not (Terraform rejects them). What cannot be translated faithfully (`\\p{..}` classes, `(?U)`)
is not evaluated (NotEvaluated): unknown and noted, never a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..values import EvalError, NotEvaluated, to_string
from . import Function, fn

_WORD = "0-9A-Za-z_"
_CLASSES = {"d": "0-9", "w": _WORD, "s": "\\t\\n\\f\\r "}
_POSIX = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": _WORD,
    "xdigit": "0-9A-Fa-f",
}
_REPEAT = re.compile(r"\{\d+(,\d*)?\}")
_SIMPLE_ESCAPES = set("abfnrtv.*+?()[]{}|^$\\/-")
_BOUNDARY = f"(?:(?<=[{_WORD}])(?![{_WORD}])|(?<![{_WORD}])(?=[{_WORD}]))"
_NON_BOUNDARY = f"(?:(?<=[{_WORD}])(?=[{_WORD}])|(?<![{_WORD}])(?![{_WORD}]))"


class _Translator:
    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.out: list[str] = []
        self.multiline = False
        #: per open group: how many scoped-flag groups were opened inside it (closed with it)
        self.stack: list[list[Any]] = [[0, False]]

    def fail(self, why: str) -> EvalError:
        return EvalError(f"invalid regular expression {self.p!r}: {why}")

    def run(self) -> str:
        p = self.p
        while self.i < len(p):
            c = p[self.i]
            if c == "\\":
                self.out.append(self.escape(in_class=False))
            elif c == "[":
                self.out.append(self.char_class())
            elif c == "(":
                self.group()
            elif c == ")":
                if len(self.stack) == 1:
                    raise self.fail("unexpected )")
                opened, multiline = self.stack.pop()
                self.multiline = multiline
                self.out.append(")" * (opened + 1))
                self.i += 1
            elif c == "$":
                self.out.append("$" if self.multiline else "(?!\\n)\\Z")
                self.i += 1
            elif c == "{":
                match = _REPEAT.match(p, self.i)
                if match is None:
                    self.out.append("\\{")
                    self.i += 1
                else:
                    if max(int(n) for n in re.findall(r"\d+", match.group(0))) > 1000:
                        raise self.fail("invalid repeat count")
                    self.out.append(match.group(0))
                    self.i = match.end()
            elif c == "}":
                self.out.append("\\}")
                self.i += 1
            else:
                self.out.append(c)
                self.i += 1
        if len(self.stack) > 1:
            raise self.fail("missing closing )")
        self.out.append(")" * self.stack[0][0])
        return "".join(self.out)

    def group(self) -> None:
        p = self.p
        rest = p[self.i :]
        if rest.startswith("(?P<") or rest.startswith("(?<"):
            start = self.i + (4 if rest.startswith("(?P<") else 3)
            end = p.find(">", start)
            name = p[start:end] if end > 0 else ""
            if not re.fullmatch(r"[A-Za-z0-9_]+", name):
                raise self.fail("invalid named capture")
            self.out.append(f"(?P<{name}>")
            self.i = end + 1
            self.stack.append([0, self.multiline])
            return
        if rest.startswith("(?"):
            match = re.compile(r"\(\?([imsU]*)(?:-([imsU]*))?([:)])").match(p, self.i)
            if match is None:
                raise self.fail("invalid or unsupported Perl syntax")
            on, off, closer = match.group(1), match.group(2) or "", match.group(3)
            if "U" in on + off:
                raise NotEvaluated("the (?U) flag of RE2 is not translated")
            if "m" in on:
                multiline = True
            elif "m" in off:
                multiline = False
            else:
                multiline = self.multiline
            flags = on + (f"-{off}" if off else "")
            self.i = match.end()
            if closer == ":":
                self.stack.append([0, self.multiline])
                self.out.append(f"(?{flags}:" if flags else "(?:")
            else:  # (?i) to the end of the current group
                if flags:
                    self.out.append(f"(?{flags}:")
                    self.stack[-1][0] += 1
            self.multiline = multiline
            return
        self.out.append("(")
        self.stack.append([0, self.multiline])
        self.i += 1

    def escape(self, in_class: bool) -> str:
        p = self.p
        if self.i + 1 >= len(p):
            raise self.fail("trailing backslash at end of expression")
        c = p[self.i + 1]
        self.i += 2
        if c in "dws":
            return _CLASSES[c] if in_class else f"[{_CLASSES[c]}]"
        if c in "DWS":
            if in_class:
                raise NotEvaluated(f"\\{c} inside a character class is not translated")
            return f"[^{_CLASSES[c.lower()]}]"
        if c in "pP":
            raise NotEvaluated("Unicode classes (\\p) are not translated")
        if c == "b" and not in_class:
            return _BOUNDARY
        if c == "B" and not in_class:
            return _NON_BOUNDARY
        if c == "A" and not in_class:
            return "\\A"
        if c == "z" and not in_class:
            return "\\Z"
        if c == "Q" and not in_class:
            end = p.find("\\E", self.i)
            text = p[self.i :] if end < 0 else p[self.i : end]
            self.i = len(p) if end < 0 else end + 2
            return re.escape(text)
        if c == "x":
            match = re.compile(r"\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2})").match(p, self.i)
            if match is None:
                raise self.fail("invalid escape sequence")
            self.i = match.end()
            return re.escape(chr(int(match.group(1) or match.group(2), 16)))
        if c in "01234567":
            digits = re.compile(r"[0-7]{0,2}").match(p, self.i)
            assert digits is not None
            if c != "0" and not digits.group(0):
                raise self.fail(f"invalid escape sequence \\{c} (backreferences are not RE2)")
            self.i = digits.end()
            return re.escape(chr(int(c + digits.group(0), 8)))
        if c in "89":
            raise self.fail(f"invalid escape sequence \\{c}")
        if c in _SIMPLE_ESCAPES or not c.isalnum():
            return "\\" + c
        raise self.fail(f"invalid escape sequence \\{c}")

    def char_class(self) -> str:
        p = self.p
        self.i += 1
        parts = ["["]
        if p[self.i : self.i + 1] == "^":
            parts.append("^")
            self.i += 1
        first = True
        while True:
            if self.i >= len(p):
                raise self.fail("missing closing ]")
            c = p[self.i]
            if c == "]" and not first:
                self.i += 1
                break
            first = False
            if c == "[" and p[self.i : self.i + 2] == "[:":
                end = p.find(":]", self.i)
                name = p[self.i + 2 : end] if end > 0 else ""
                negate = name.startswith("^")
                if name.lstrip("^") not in _POSIX or negate:
                    if negate:
                        raise NotEvaluated("negated POSIX classes are not translated")
                    raise self.fail("invalid character class range")
                parts.append(_POSIX[name])
                self.i = end + 2
            elif c == "\\":
                parts.append(self.escape(in_class=True))
            elif c == "[":
                parts.append("\\[")
                self.i += 1
            else:
                parts.append(c)
                self.i += 1
        parts.append("]")
        return "".join(parts)


@lru_cache(maxsize=512)
def compile_re2(pattern: str) -> re.Pattern[str]:
    """The Python pattern that matches what RE2 matches for `pattern`."""
    translated = _Translator(pattern).run()
    try:
        return re.compile(translated)
    except re.error as exc:
        raise EvalError(f"invalid regular expression {pattern!r}: {exc}") from None
    except RecursionError:
        raise NotEvaluated("regular expression too deeply nested") from None


def _groups(compiled: re.Pattern[str], match: re.Match[str]) -> Any:
    names = compiled.groupindex
    if names:
        if len(names) != compiled.groups:
            return {**{k: match.group(k) for k in names}}  # unnamed groups are not in the result
        return {name: match.group(name) for name in names}
    if compiled.groups:
        return list(match.groups())
    return match.group(0)


def _regex(pattern: Any, text: Any) -> Any:
    compiled = compile_re2(to_string(pattern))
    match = compiled.search(to_string(text))
    if match is None:
        raise EvalError("pattern did not match any part of the given string")
    return _groups(compiled, match)


def _regexall(pattern: Any, text: Any) -> list[Any]:
    compiled = compile_re2(to_string(pattern))
    return [_groups(compiled, m) for m in compiled.finditer(to_string(text))]


_EXPAND = re.compile(r"\$(\$|\{([A-Za-z0-9_]*)\}|([A-Za-z0-9_]+))")


def _expand(template: str, match: re.Match[str]) -> str:
    """Go's Regexp.Expand: $1, ${1}, $name, ${name}; $$ is a dollar; unknown names are empty."""

    def one(ref: re.Match[str]) -> str:
        if ref.group(1) == "$":
            return "$"
        name = ref.group(2) if ref.group(2) is not None else ref.group(3)
        if name is None or name == "":
            return "" if ref.group(2) is not None else ref.group(0)
        try:
            value = match.group(int(name)) if name.isdigit() else match.group(name)
        except IndexError:
            return ""
        return value or ""

    return _EXPAND.sub(one, template)


def _replace(text: Any, search: Any, replacement: Any) -> str:
    text, search, replacement = to_string(text), to_string(search), to_string(replacement)
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        compiled = compile_re2(search[1:-1])
        return compiled.sub(lambda m: _expand(replacement, m), text)
    return text.replace(search, replacement)


FUNCTIONS: dict[str, Function] = {
    "regex": fn(_regex),
    "regexall": fn(_regexall),
    "replace": fn(_replace),
}
