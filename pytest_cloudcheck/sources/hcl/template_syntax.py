"""The structure of Terraform string templates, shared by quoted strings and heredocs in
configuration (parse.py, from python-hcl2's tree) and by templatefile()/templatestring()
(library/templates.py, from text): strip markers and the nesting of `%{if}` / `%{for}`.

Tokens, in source order: ("s", text, False, False) literal text; ("i", expr, strip_before,
strip_after) an interpolation; ("d", directive, strip_before, strip_after) a directive, where a
directive is ["if", cond] | ["else"] | ["endif"] | ["for", key_var, value_var, collection] |
["endfor"] (key_var None when the loop names only the value).

Parts, the nested result (plain lists, so a parsed tree can be stored as JSON): a str, or
["i", expr] | ["if", cond, then_parts, else_parts] | ["for", key_var, value_var, collection, body].
"""

from __future__ import annotations

from typing import Any

Token = tuple[str, Any, bool, bool]
Part = Any

#: HCL's strip markers remove all white space, newlines included, next to the marker
_WHITE = " \t\r\n"


class TemplateSyntaxError(Exception):
    """A directive out of place: Terraform refuses the template when it parses it."""


def strip(tokens: list[Token]) -> list[Token]:
    """Apply `~` markers to the literal text next to each interpolation or directive."""
    out = list(tokens)
    for index, (kind, _payload, before, after) in enumerate(out):
        if kind == "s":
            continue
        if before and index > 0 and out[index - 1][0] == "s":
            out[index - 1] = ("s", out[index - 1][1].rstrip(_WHITE), False, False)
        if after and index + 1 < len(out) and out[index + 1][0] == "s":
            out[index + 1] = ("s", out[index + 1][1].lstrip(_WHITE), False, False)
    return out


def flush(tokens: list[Token]) -> list[Token]:
    """A `<<-` heredoc: remove the smallest indentation of its lines from every line, as HCL
    does on its tokens after the strip markers: a line that starts with an interpolation or
    directive has none; lines of white space only do not count and keep theirs."""
    smallest: int | None = None
    adjust: list[int] = []
    line_start = True
    for index, (kind, payload, _, _) in enumerate(tokens):
        if line_start:
            line_start = False
            if kind != "s":
                spaces = 0
            elif not payload.strip() and payload.endswith("\n"):
                spaces = None  # a blank line
            else:
                spaces = len(payload) - len(payload.lstrip())
                adjust.append(index)
            if spaces is not None:
                smallest = spaces if smallest is None else min(smallest, spaces)
        if kind == "s" and payload.endswith("\n"):
            line_start = True
    out = list(tokens)
    for index in adjust:
        out[index] = ("s", out[index][1][smallest or 0 :], False, False)
    return out


def nest(tokens: list[Token]) -> list[Part]:
    """Tokens (strip markers applied) -> parts; raises TemplateSyntaxError as Terraform would."""
    parts, end, closer = _nest(tokens, 0, (), "")
    if end != len(tokens):
        raise TemplateSyntaxError(f"unexpected %{{{closer}}} directive")
    return parts


def _nest(tokens: list[Token], pos: int, closers: tuple[str, ...], opener: str) -> tuple[list[Part], int, str]:
    parts: list[Part] = []
    while pos < len(tokens):
        kind, payload, _, _ = tokens[pos]
        if kind == "s":
            if payload:
                if parts and isinstance(parts[-1], str):
                    parts[-1] += payload
                else:
                    parts.append(payload)
        elif kind == "i":
            parts.append(["i", payload])
        else:
            keyword = payload[0]
            if keyword in closers:
                return parts, pos, keyword
            if keyword == "if":
                then, pos, closer = _nest(tokens, pos + 1, ("else", "endif"), "if")
                other: list[Part] = []
                if closer == "else":
                    other, pos, closer = _nest(tokens, pos + 1, ("endif",), "else")
                if closer != "endif":
                    raise TemplateSyntaxError(f"a %{{if}} directive is closed by %{{{closer}}}, not %{{endif}}")
                parts.append(["if", payload[1], then, other])
            elif keyword == "for":
                body, pos, closer = _nest(tokens, pos + 1, ("endfor",), "for")
                if closer != "endfor":
                    raise TemplateSyntaxError(f"a %{{for}} directive is closed by %{{{closer}}}, not %{{endfor}}")
                parts.append(["for", payload[1], payload[2], payload[3], body])
            else:
                return parts, pos, keyword  # a closer nobody opened: nest() reports it
        pos += 1
    if closers:
        raise TemplateSyntaxError(f"a %{{{opener}}} directive has no matching %{{{closers[-1]}}}")
    return parts, pos, ""


def has_directives(parts: list[Part]) -> bool:
    return any(isinstance(p, list) and p[0] in ("if", "for") for p in parts)


def expressions(parts: list[Part], bound: frozenset[str] = frozenset()) -> list[tuple[Any, frozenset[str]]]:
    """Every expression of the parts with the names `%{for}` directives bind around it."""
    out: list[tuple[Any, frozenset[str]]] = []
    for part in parts:
        if isinstance(part, str):
            continue
        if part[0] == "i":
            out.append((part[1], bound))
        elif part[0] == "if":
            out.append((part[1], bound))
            out.extend(expressions(part[2], bound))
            out.extend(expressions(part[3], bound))
        else:
            out.append((part[3], bound))
            names = bound | {n for n in (part[1], part[2]) if n}
            out.extend(expressions(part[4], names))
    return out
