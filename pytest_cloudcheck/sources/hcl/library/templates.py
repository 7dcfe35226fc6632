"""Terraform string templates for templatefile() and templatestring(): `${ expr }`
interpolations, `%{ if }` / `%{ else }` / `%{ endif }` and `%{ for }` / `%{ endfor }`
directives, `~` whitespace strip markers and the `$${` / `%%{` escapes."""

from __future__ import annotations

import re
from typing import Any

from ..template_syntax import Part, TemplateSyntaxError, Token, nest, strip
from ..values import EvalError, NotEvaluated
from . import FunctionContext


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


def template_tokens(text: str) -> list[Token]:
    """The template's tokens (see template_syntax): text a line at a time, interpolations and
    directives."""
    out: list[Token] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("$${", i) or text.startswith("%%{", i):
            literal.append(text[i + 1 : i + 3])
            i += 3
            continue
        if text.startswith("${", i) or text.startswith("%{", i):
            body_start = i + 2
            strip_before = text.startswith("~", body_start)
            if strip_before:
                body_start += 1
            close = _find_close(text, body_start)
            body = text[body_start:close]
            strip_after = body.endswith("~")
            if strip_after:
                body = body[:-1]
            out.extend(_lines("".join(literal)))
            literal = []
            if text[i] == "$":
                out.append(("i", _expression(body), strip_before, strip_after))
            else:
                out.append(("d", _directive(body), strip_before, strip_after))
            i = close + 1
            continue
        literal.append(text[i])
        i += 1
    out.extend(_lines("".join(literal)))
    return out


def _lines(literal: str) -> list[Token]:
    """Literal text as HCL's scanner gives it in a template file or heredoc: one token a line
    (a strip marker reaches only the rest of its own line)."""
    return [("s", piece, False, False) for piece in _LINE.findall(literal)]


_LINE = re.compile(r"[^\n]*\n|[^\n]+")


_FOR = re.compile(r"\s*for\s+([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?in\s+(.*)", re.DOTALL)


def _directive(body: str) -> list[Any]:
    words = body.strip()
    keyword = words.split(None, 1)[0] if words else ""
    if keyword == "if":
        return ["if", _expression(words[2:])]
    if keyword == "for":
        match = _FOR.fullmatch(words)
        if match is None:
            raise EvalError(f"invalid for directive {words!r}")
        first, second, collection = match.groups()
        key, value = (first, second) if second else (None, first)
        return ["for", key, value, _expression(collection)]
    if keyword in ("else", "endif", "endfor") and words == keyword:
        return [keyword]
    raise EvalError(f"unexpected template directive %{{{words}}}")


def parse_template(text: str) -> list[Part]:
    try:
        return nest(strip(template_tokens(text)))
    except TemplateSyntaxError as exc:
        raise EvalError(str(exc)) from None


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
