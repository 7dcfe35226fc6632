"""Filesystem functions: file, fileexists, fileset, filebase64, file* hashes, templatefile,
abspath, basename, dirname, pathexpand. Relative paths are read from the root module's folder,
where Terraform runs; path functions follow Go's `path/filepath` rules."""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from pathlib import Path
from typing import Any

from .. import inputs
from ..values import EvalError, to_string
from . import Function, FunctionContext, fn


def _path(context: FunctionContext, name: Any) -> Path:
    text = inputs.expanded(to_string(name)) if to_string(name).startswith("~") else to_string(name)
    path = Path(text)
    return path if path.is_absolute() else context.base_dir / path


def read_bytes(context: FunctionContext, name: Any) -> bytes:
    path = _path(context, name)
    try:
        return inputs.read(path)[0]
    except FileNotFoundError:
        raise EvalError(f"no file exists at {to_string(name)!r}") from None
    except IsADirectoryError:
        raise EvalError(f"{to_string(name)!r} is a directory, not a file") from None
    except OSError as exc:
        raise EvalError(f"cannot read {to_string(name)!r}: {exc.strerror}") from None


def read_text(context: FunctionContext, name: Any) -> str:
    try:
        return read_bytes(context, name).decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError(f"contents of {to_string(name)!r} are not valid UTF-8; use filebase64") from None


def _fileexists(context: FunctionContext, name: Any) -> bool:
    found = inputs.kind(_path(context, name))
    if found == "dir":
        raise EvalError(f"{to_string(name)!r} is a directory, not a file")
    return found == "file"


def _file_digest(algorithm: str, b64: bool) -> Any:
    def digest(context: FunctionContext, name: Any) -> str:
        hashed = hashlib.new(algorithm, read_bytes(context, name))
        return base64.b64encode(hashed.digest()).decode() if b64 else hashed.hexdigest()

    return digest


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A doublestar glob (`*`, `**`, `?`, `[...]`, `{a,b}`) as a regular expression."""
    out: list[str] = []
    i = 0
    depth = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                raise EvalError(f"failed to glob pattern {pattern!r}: syntax error in pattern")
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body[:1] in "!^" else body) + "]")
            i = end + 1
        elif c == "{":
            out.append("(?:")
            depth += 1
            i += 1
        elif c == "}" and depth:
            out.append(")")
            depth -= 1
            i += 1
        elif c == "," and depth:
            out.append("|")
            i += 1
        elif c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    if depth:
        raise EvalError(f"failed to glob pattern {pattern!r}: syntax error in pattern")
    return re.compile("".join(out))


def _fileset(context: FunctionContext, root: Any, pattern: Any) -> list[str]:
    base = _path(context, root)
    regex = _glob_regex(to_string(pattern))
    return [relative for relative in inputs.files_under(base) if regex.fullmatch(relative)]


def _templatefile(context: FunctionContext, name: Any, variables: Any) -> Any:
    from .templates import render_template

    if not isinstance(variables, dict):
        raise EvalError("templatefile() vars must be an object or map")
    return render_template(read_text(context, name), variables, context)


def go_clean(path: str) -> str:
    """Go's filepath.Clean."""
    if path == "":
        return "."
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned


def _basename(path: Any) -> str:
    text = to_string(path)
    if text == "":
        return "."
    stripped = text.rstrip("/")
    if stripped == "":
        return "/"
    return stripped.rsplit("/", 1)[-1]


def _dirname(path: Any) -> str:
    text = to_string(path)
    index = text.rfind("/")
    directory = go_clean(text[: index + 1])
    return directory


def _abspath(context: FunctionContext, path: Any) -> str:
    text = to_string(path)
    if not text.startswith("/"):
        text = str(inputs.resolved(context.base_dir)) + "/" + text
    return go_clean(text)


def _pathexpand(path: Any) -> str:
    text = to_string(path)
    if text == "~" or text.startswith("~/"):
        home = inputs.home()
        return home + text[1:]
    if text.startswith("~"):
        raise EvalError("cannot expand user-specific home dir")
    return text


FUNCTIONS: dict[str, Function] = {
    "abspath": fn(_abspath, context=True),
    "basename": fn(_basename),
    "dirname": fn(_dirname),
    "pathexpand": fn(_pathexpand),
    "file": fn(read_text, context=True),
    "fileexists": fn(_fileexists, context=True),
    "fileset": fn(_fileset, context=True),
    "filebase64": fn(lambda c, n: base64.b64encode(read_bytes(c, n)).decode(), context=True),
    "filemd5": fn(_file_digest("md5", False), context=True),
    "filesha1": fn(_file_digest("sha1", False), context=True),
    "filesha256": fn(_file_digest("sha256", False), context=True),
    "filesha512": fn(_file_digest("sha512", False), context=True),
    "filebase64sha256": fn(_file_digest("sha256", True), context=True),
    "filebase64sha512": fn(_file_digest("sha512", True), context=True),
    "templatefile": fn(_templatefile, context=True),
}
