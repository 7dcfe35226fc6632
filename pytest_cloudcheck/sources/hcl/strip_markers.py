"""`${~ x ~}` in quoted strings: python-hcl2's grammar accepts strip markers only on `%{` directives,
so a file with `"a ${~ var.x} b"` would be a syntax error. Before parsing, each such marker is moved
out of the interpolation into the neighbouring literal text as a private-use character (`STRIP_BEFORE`
just before the `${`, `STRIP_AFTER` just after its `}`); parse.py turns them back into strip flags.
Heredocs are left alone (their text is read by the template parser, which knows the markers)."""

from __future__ import annotations

import re

STRIP_BEFORE = "\ue000"
STRIP_AFTER = "\ue001"

_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")


def mark_strips(text: str) -> str:
    """The text with interpolation strip markers of quoted strings moved out (unchanged when
    there are none, when the private-use characters already occur, or when the text is not
    well formed: the parser then reports it)."""
    if "~" not in text or STRIP_BEFORE in text or STRIP_AFTER in text:
        return text
    if "${~" not in text and not re.search(r"~\s*}", text):
        return text
    out: list[str] = []
    stack: list[str] = []  # "s" quoted string, "i" interpolation, "d" directive, "{" braces
    pending_after: list[bool] = []  # per open interpolation: did it end with `~}`?
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        top = stack[-1] if stack else ""
        if top == "s":
            if c == "\\":
                out.append(text[i : i + 2])
                i += 2
            elif c == '"':
                stack.pop()
                out.append(c)
                i += 1
            elif text.startswith(("$${", "%%{"), i):
                out.append(text[i : i + 3])
                i += 3
            elif text.startswith("${", i):
                if text.startswith("${~", i):
                    out.append(STRIP_BEFORE + "${")
                    i += 3
                else:
                    out.append("${")
                    i += 2
                stack.append("i")
                pending_after.append(False)
            elif text.startswith("%{", i):
                out.append("%{")
                i += 2
                stack.append("d")
            else:
                out.append(c)
                i += 1
            continue
        # code: top level, inside braces, an interpolation or a directive
        if c == '"':
            stack.append("s")
        elif c == "#" or text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(text[i:end])
            i = end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(text[i:end])
            i = end
            continue
        elif text.startswith("<<", i) and (match := _HEREDOC.match(text, i)):
            closing = re.compile(rf"^[ \t]*{re.escape(match.group(1))}[ \t]*$", re.M)
            end_match = closing.search(text, match.end())
            end = n if end_match is None else end_match.end()
            out.append(text[i:end])
            i = end
            continue
        elif c == "~" and top == "i" and text[i + 1 :].lstrip(" \t\r\n").startswith("}"):
            pending_after[-1] = True
            i += 1
            continue
        elif c == "{":
            stack.append("{")
        elif c == "}":
            if not stack:
                return text
            closed = stack.pop()
            if closed == "i":
                out.append("}" + STRIP_AFTER if pending_after.pop() else "}")
                i += 1
                continue
        out.append(c)
        i += 1
    return "".join(out) if not stack else text
