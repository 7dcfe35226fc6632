"""Terraform string templates for templatefile() and templatestring(): `${ expr }`
interpolations, `%{ if }` / `%{ else }` / `%{ endif }` and `%{ for }` / `%{ endfor }`
directives, `~` whitespace strip markers and the `$${` / `%%{` escapes."""

from __future__ import annotations

import re
from typing import Any

from ..values import EvalError, NotEvaluated
from . import FunctionContext

# parts: str | ("i", expr) | ("if", cond, then, else) | ("for", key, value, collection, body)
Part = Any


def _find_close(text: str, start: int) -> int:
    """Index of the `}` that closes the interpolation or directive whose body starts at `start`."""
    stack: list[str] = []
    i = start
    while i < len(text):
        c = text[i]
        top = stack[-1] if stack else "e"
        if top == "s":
            if c == "\\":
                i += 2
                continue
            if c == '"':
                stack.pop()
            elif text.startswith("${", i):
                stack.append("e")
                i += 2
                continue
        else:
            if c == '"':
                stack.append("s")
            elif c in "{[(":
                stack.append(c)
            elif c in "}])":
                if not stack or (top == "e" and c == "}"):
                    if not stack:
                        return i
                    stack.pop()
                else:
                    stack.pop()
        i += 1
    raise EvalError("unterminated template interpolation or directive")


def _expression(source: str) -> Any:
    from ..parse import HclSyntaxError, parse_text

    try:
        return parse_text(f"x = {source.strip()}\n")["a"]["x"][1]
    except HclSyntaxError as exc:
        raise EvalError(f"invalid template expression {source.strip()!r}: {exc.message}") from None


def _tokens(text: str) -> list[tuple[str, Any, bool, bool]]:
    """(kind, payload, strip_before, strip_after): kind "s" text, "i" interpolation, "d" directive."""
    out: list[tuple[str, Any, bool, bool]] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("$${", i) or text.startswith("%%{", i):
            literal.append(text[i + 1 : i + 3])
            i += 3
            continue
        if text.startswith("${", i) or text.startswith("%{", i):
            kind = "i" if text[i] == "$" else "d"
            body_start = i + 2
            strip_before = text.startswith("~", body_start)
            if strip_before:
                body_start += 1
            close = _find_close(text, body_start)
            body = text[body_start:close]
            strip_after = body.endswith("~")
            if strip_after:
                body = body[:-1]
            out.append(("s", "".join(literal), False, False))
            literal = []
            out.append((kind, body, strip_before, strip_after))
            i = close + 1
            continue
        literal.append(text[i])
        i += 1
    out.append(("s", "".join(literal), False, False))
    # apply strip markers to the neighbouring literals
    for index, (kind, _body, before, after) in enumerate(out):
        if kind == "s":
            continue
        if before and index > 0 and out[index - 1][0] == "s":
            previous = out[index - 1]
            out[index - 1] = ("s", previous[1].rstrip(" \t\r\n"), False, False)
        if after and index + 1 < len(out) and out[index + 1][0] == "s":
            following = out[index + 1]
            out[index + 1] = ("s", following[1].lstrip(" \t\r\n"), False, False)
    return out


_FOR = re.compile(r"\s*for\s+([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?in\s+(.*)", re.DOTALL)


def parse_template(text: str) -> list[Part]:
    tokens = _tokens(text)
    parts, end, _ = _parse(tokens, 0, ())
    if end != len(tokens):
        raise EvalError("unexpected template directive")
    return parts


def _parse(tokens: list[Any], pos: int, closers: tuple[str, ...]) -> tuple[list[Part], int, str]:
    parts: list[Part] = []
    while pos < len(tokens):
        kind, body, _, _ = tokens[pos]
        if kind == "s":
            if body:
                parts.append(body)
            pos += 1
            continue
        if kind == "i":
            parts.append(("i", _expression(body)))
            pos += 1
            continue
        words = body.strip()
        keyword = words.split(None, 1)[0] if words else ""
        if keyword in closers:
            return parts, pos, keyword
        if keyword == "if":
            cond = _expression(words[2:])
            then, pos, closer = _parse(tokens, pos + 1, ("else", "endif"))
            other: list[Part] = []
            if closer == "else":
                other, pos, closer = _parse(tokens, pos + 1, ("endif",))
            if closer != "endif":
                raise EvalError("%{if} without %{endif}")
            parts.append(("if", cond, then, other))
            pos += 1
            continue
        if keyword == "for":
            match = _FOR.fullmatch(words)
            if match is None:
                raise EvalError(f"invalid for directive {words!r}")
            first, second, collection = match.groups()
            key, value = (first, second) if second else (None, first)
            loop, pos, closer = _parse(tokens, pos + 1, ("endfor",))
            if closer != "endfor":
                raise EvalError("%{for} without %{endfor}")
            parts.append(("for", key, value, _expression(collection), loop))
            pos += 1
            continue
        raise EvalError(f"unexpected template directive %{{{words}}}")
    if closers:
        raise EvalError(f"template directive without %{{{closers[-1]}}}")
    return parts, pos, ""


class _TemplateScope:
    """The names of a template: only the variables given to it."""

    def __init__(self, names: dict[str, Any], context: FunctionContext) -> None:
        self.names = names
        self.function_context = context

    def resolve(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        raise EvalError(f"vars map does not contain key {name!r}, referenced in the template")


def render_template(text: str, variables: dict[str, Any], context: FunctionContext) -> Any:
    from ..eval import render_parts

    try:
        parts = parse_template(text)
    except RecursionError:
        raise NotEvaluated("template nested too deeply") from None
    return render_parts(parts, _TemplateScope(dict(variables), context))
