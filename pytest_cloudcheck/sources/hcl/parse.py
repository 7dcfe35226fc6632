"""Terraform files -> a small JSON-shaped syntax tree with line numbers, cached by content hash.

python-hcl2's dict output has no line numbers (8.x) and keeps expressions as text, so this module
reads the raw lark parse tree (`hcl2.api.parses_to_tree`), which has both, and turns it into plain
lists and dicts that (a) the evaluator walks directly and (b) can be kept in pytest's cache
(store.py): a re-run on an unchanged tree skips the parser, which is most of the load time.

Body:        {"a": {name: [line, expr]}, "b": [[type, [labels], line, body], ...]}
Expressions: lists tagged by their first item:
  ["L", value]                       literal (str, int, float, bool, None)
  ["T", [part, ...]]                 template string; parts are str or expressions
  ["V", name]                        a bare name (var, local, each, a resource type, ...)
  ["A", base, name]                  attribute access      ["I", base, key]  index
  ["S", base, [["a", n] | ["i", e]]] splat (`[*]` / `.*`) followed by steps
  ["U", op, x]  ["B", op, l, r]  ["C", cond, then, else]
  ["TU", [items]]  ["O", [[key, value], ...]]  ["F", name, [args], expand_last]
  ["FT", key_var, value_var, collection, item, cond]
  ["FO", key_var, value_var, collection, key, value, cond, group]
  ["TD", [part, ...]]                a template with %{if}/%{for} directives (template_syntax's parts)
  ["X", why]                         not evaluated statically

Pure functions; no pytest, and hcl2 is imported lazily (it is slow to import and to build).
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import SourceError
from . import inputs
from .store import KeyValueCache, store
from .strip_markers import STRIP_AFTER, STRIP_BEFORE, mark_strips
from .template_syntax import TemplateSyntaxError, flush, has_directives, nest, strip
from .template_syntax import Token as TemplateToken

#: bump when the tree format changes: old cache entries are then simply not found
AST_VERSION = 2
NAMESPACE = f"v{AST_VERSION}"
#: the keys of a get/set store that is not pytest's cache (pytest's keeps files: store.py)
CACHE_PREFIX = f"cloudcheck/hcl/{NAMESPACE}/"
#: the lark parser can hang on some inputs (lark #1475): no file may take longer than this
PARSE_TIMEOUT_SECONDS = 60.0
#: below this many files to parse, worker processes cost more than they save
PARALLEL_MIN_FILES = 12

Expr = list[Any]
Body = dict[str, Any]


ParseCache = KeyValueCache


@dataclass(frozen=True, slots=True)
class ParsedFile:
    path: Path
    sha256: str
    body: Body


@dataclass
class ParseStats:
    parsed: int = 0
    cached: int = 0
    workers: int = 1


class HclSyntaxError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


# ---------------------------------------------------------------------------------------------
# lark tree -> expressions


def _tokens(tree: Any) -> Iterable[Any]:
    from lark import Token

    return (c for c in tree.children if isinstance(c, Token))


def _trees(tree: Any) -> list[Any]:
    from lark import Tree

    return [c for c in tree.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, "\\" + code)

    return _ESCAPE.sub(one, text) if "\\" in text else text


def _template(parts: list[Any]) -> Expr:
    """A template of one interpolation is that value unconverted (Terraform: `"${x}"` is x)."""
    merged: list[Any] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    if not merged:
        return ["L", ""]
    if len(merged) == 1:
        return ["L", merged[0]] if isinstance(merged[0], str) else merged[0]
    return ["T", merged]


def _string(tree: Any) -> Expr:
    tokens: list[TemplateToken] = []
    for child in tree.children:
        if not hasattr(child, "data"):
            continue  # the quotes
        if child.data != "string_part":
            continue
        inner = child.children[0]
        if hasattr(inner, "data"):
            if inner.data == "interpolation":
                tokens.append(("i", _expr(_trees(inner)[0]), False, False))
            else:
                tokens.append(_directive_token(inner))
        elif inner.type == "ESCAPED_INTERPOLATION" or inner.type == "ESCAPED_DIRECTIVE":
            tokens.append(("s", inner.value[1:3] + _unescape(inner.value[3:]), False, False))
        else:
            tokens.append(("s", _unescape(inner.value), False, False))
    return _template_expr(_moved_strips(tokens))


def _moved_strips(tokens: list[TemplateToken]) -> list[TemplateToken]:
    """`${~ x ~}` markers strip_markers.py moved into the literal text, back on their interpolation."""
    if not any(kind == "s" and (STRIP_BEFORE in text or STRIP_AFTER in text) for kind, text, _, _ in tokens):
        return tokens
    out = list(tokens)
    for index, (kind, text, _, _) in enumerate(tokens):
        if kind != "s":
            continue
        if text.endswith(STRIP_BEFORE) and index + 1 < len(out):
            following = out[index + 1]
            out[index + 1] = (following[0], following[1], True, following[3])
        if text.startswith(STRIP_AFTER) and index > 0:
            previous = out[index - 1]
            out[index - 1] = (previous[0], previous[1], previous[2], True)
        out[index] = ("s", text.replace(STRIP_BEFORE, "").replace(STRIP_AFTER, ""), False, False)
    return out


def _template_expr(tokens: list[TemplateToken], stripped: bool = False) -> Expr:
    """Tokens of a string or heredoc -> ["T", ...] (or its one part), or ["TD", parts] when it
    has `%{if}` / `%{for}` directives."""
    try:
        parts = nest(tokens if stripped else strip(tokens))
    except TemplateSyntaxError as exc:
        raise HclSyntaxError(None, str(exc)) from None
    if has_directives(parts):
        return ["TD", parts]
    return _template([p if isinstance(p, str) else p[1] for p in parts])


#: python-hcl2's directive nodes -> the directive keyword
_DIRECTIVES = {
    "template_if_start": "if",
    "template_else": "else",
    "template_endif": "endif",
    "template_for_start": "for",
    "template_endfor": "endfor",
}


def _directive_token(tree: Any) -> TemplateToken:
    keyword = _DIRECTIVES.get(tree.data)
    if keyword is None:
        raise HclSyntaxError(None, f"unsupported template part {tree.data}")
    marks = [i for i, c in enumerate(tree.children) if not hasattr(c, "data") and c.value == "~"]
    before, after = 1 in marks, len(tree.children) - 2 in marks
    if keyword == "if":
        return ("d", ["if", _expr(_trees(tree)[-1])], before, after)
    if keyword == "for":
        key_var, value_var, collection = _for_intro(tree)
        return ("d", ["for", key_var, value_var, collection], before, after)
    return ("d", [keyword], before, after)


def _heredoc(token_text: str, trim: bool) -> Expr:
    """A heredoc: the template syntax of templatefile() (it also reads the `${~ x ~}` strip
    markers python-hcl2's grammar refuses in quoted strings), `<<-` indentation removed after
    the strip markers, as HCL does."""
    from .library.templates import template_tokens
    from .values import EvalError

    lines = token_text.split("\n")
    body = lines[1:-2]  # drop `<<EOT`, the closing marker and the final newline
    text = "\n".join(body) + ("\n" if body else "")
    try:
        tokens = strip(template_tokens(text))
    except EvalError as exc:
        raise HclSyntaxError(None, str(exc)) from None
    return _template_expr(flush(tokens) if trim else tokens, stripped=True)


def _key_name(tree: Any) -> str:
    token = next(iter(_tokens(tree)), None)
    if token is not None:
        return str(token.value)
    return _key_name(tree.children[0])


def _steps(trees: list[Any]) -> list[list[Any]]:
    steps: list[list[Any]] = []
    for step in trees:
        if step.data == "get_attr":
            steps.append(["a", _key_name(_trees(step)[0])])
        elif step.data == "short_index":
            steps.append(["i", ["L", int(step.children[-1].value)]])
        else:  # braces_index
            steps.append(["i", _expr(_trees(step)[0])])
    return steps


def _for_intro(tree: Any) -> tuple[str | None, str, Expr]:
    names = [_key_name(t) for t in _trees(tree) if t.data == "identifier"]
    collection = _expr(_trees(tree)[-1])
    if len(names) == 2:
        return names[0], names[1], collection
    return None, names[0], collection


def _expr(tree: Any) -> Expr:
    kind = tree.data
    if kind == "expr_term":
        children = _trees(tree)
        return _expr(children[0])
    if kind in ("int_lit", "float_lit"):
        text = tree.children[0].value
        number = float(text)
        return ["L", int(number) if kind == "int_lit" or number.is_integer() else number]
    if kind == "literal_value":
        return ["L", {"true": True, "false": False, "null": None}[tree.children[0].value]]
    if kind in ("string", "heredoc_template", "heredoc_template_trim"):
        try:
            if kind == "string":
                return _string(tree)
            return _heredoc(tree.children[0].value, kind.endswith("trim"))
        except HclSyntaxError as exc:
            raise HclSyntaxError(exc.line or getattr(tree.meta, "line", None), exc.message) from None
    if kind in ("identifier", "keyword"):
        return ["V", _key_name(tree)]
    if kind == "tuple":
        return ["TU", [_expr(t) for t in _trees(tree)]]
    if kind == "object":
        items = []
        for elem in _trees(tree):
            key_tree, value_tree = _trees(elem)
            key_inner = _trees(key_tree)
            key_node = key_inner[0] if key_inner else key_tree
            if key_node.data == "expr_term" and _trees(key_node) and _trees(key_node)[0].data == "identifier":
                key = ["L", _key_name(_trees(key_node)[0])]  # `{ name = 1 }`: a literal key
            elif key_node.data == "keyword":
                key = ["L", _key_name(key_node)]
            else:
                key = _expr(key_node)
            items.append([key, _expr(value_tree)])
        return ["O", items]
    if kind == "function_call":
        parts = _trees(tree)
        names = [_key_name(t) for t in parts if t.data == "identifier"]
        args = next((t for t in parts if t.data == "arguments"), None)
        arg_list = [_expr(a) for a in _trees(args)] if args is not None else []
        expand = args is not None and any(tok.type == "ELLIPSIS" for tok in _tokens(args))
        return ["F", "::".join(names), arg_list, expand]
    if kind == "get_attr_expr_term":
        base, step = _trees(tree)
        return ["A", _expr(base), _key_name(_trees(step)[0])]
    if kind == "index_expr_term":
        base, index = _trees(tree)
        return ["I", _expr(base), _steps([index])[0][1]]
    if kind in ("attr_splat_expr_term", "full_splat_expr_term"):
        base, splat = _trees(tree)
        return ["S", _expr(base), _steps(_trees(splat))]
    if kind == "conditional":
        cond, then, other = _trees(tree)
        return ["C", _expr(cond), _expr(then), _expr(other)]
    if kind == "binary_op":
        left, term = _trees(tree)[:2]
        operator, right = _trees(term)
        return ["B", operator.children[0].value, _expr(left), _expr(right)]
    if kind == "unary_op":
        return ["U", tree.children[0].value, _expr(_trees(tree)[0])]
    if kind == "for_tuple_expr":
        parts = _trees(tree)
        key_var, value_var, collection = _for_intro(parts[0])
        cond = _expr(_trees(parts[2])[0]) if len(parts) > 2 else None
        return ["FT", key_var, value_var, collection, _expr(parts[1]), cond]
    if kind == "for_object_expr":
        parts = _trees(tree)
        key_var, value_var, collection = _for_intro(parts[0])
        cond = _expr(_trees(parts[3])[0]) if len(parts) > 3 else None
        group = any(tok.type == "ELLIPSIS" for tok in _tokens(tree))
        return ["FO", key_var, value_var, collection, _expr(parts[1]), _expr(parts[2]), cond, group]
    return ["X", kind]


def _body(tree: Any) -> Body:
    attributes: dict[str, list[Any]] = {}
    blocks: list[list[Any]] = []
    for child in _trees(tree):
        if child.data == "attribute":
            name_tree, value_tree = _trees(child)
            attributes[_key_name(name_tree)] = [child.meta.line, _expr(value_tree)]
        elif child.data == "block":
            parts = _trees(child)
            labels = []
            for label in parts[1:-1]:
                if label.data == "string":
                    value = _string(label)
                    labels.append(value[1] if value[0] == "L" else "")
                else:
                    labels.append(_key_name(label))
            blocks.append([_key_name(parts[0]), labels, child.meta.line, _body(parts[-1])])
    return {"a": attributes, "b": blocks}


_HEREDOC_OPEN = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*$", re.MULTILINE)


def _closing_markers_trimmed(text: str) -> str:
    """Terraform closes a heredoc at its marker followed by blanks (`EOT   `), python-hcl2 only at
    the bare marker: drop those blanks (content lines keep theirs; terraform console agrees)."""
    markers = {m.group(1) for m in _HEREDOC_OPEN.finditer(text)}
    if not markers:
        return text
    closing = re.compile(r"^([ \t]*(?:" + "|".join(map(re.escape, markers)) + r"))[ \t]+$", re.MULTILINE)
    return closing.sub(r"\1", text)


def _parse_tree(text: str) -> Any:
    from hcl2.api import parses_to_tree

    return parses_to_tree(_closing_markers_trimmed(text))


def parse_text(text: str) -> Body:
    """HCL text -> body; raises HclSyntaxError (with the line) on bad input."""
    from lark.exceptions import UnexpectedInput

    try:
        tree = _parse_tree(mark_strips(text))
    except UnexpectedInput as exc:
        raise HclSyntaxError(getattr(exc, "line", None), _one_line(exc)) from None
    except RecursionError:
        raise HclSyntaxError(None, "nested too deeply to parse") from None
    return _body(tree.children[0])


def _one_line(exc: Exception) -> str:
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    if isinstance(exc, UnexpectedToken):
        token = exc.token
        found = "end of file" if token.type == "$END" else repr(str(token.value).split("\n")[0])
        expected = sorted(exc.expected)[:6]
        more = ", ..." if len(exc.expected) > 6 else ""
        return f"unexpected {found} (expected one of {', '.join(expected)}{more})"
    if isinstance(exc, UnexpectedCharacters):
        return f"unexpected character {exc.char!r}"
    return str(exc).strip().split("\n")[0]


# ---------------------------------------------------------------------------------------------
# .tf.json files: the JSON syntax of the same configuration


def parse_json_text(text: str) -> Body:
    """`*.tf.json` -> body. Strings may hold `${...}` templates; objects are blocks where Terraform
    reads them as blocks (top-level block types and the bodies under them), maps elsewhere."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HclSyntaxError(exc.lineno, f"invalid JSON ({exc.msg})") from None
    if not isinstance(doc, dict):
        raise HclSyntaxError(1, "a .tf.json file must hold one JSON object")
    blocks: list[list[Any]] = []
    attributes: dict[str, list[Any]] = {}
    for block_type, content in doc.items():
        labels_wanted = _JSON_LABELS.get(block_type)
        if labels_wanted is None:
            attributes[block_type] = [1, _json_expr(content)]
            continue
        for labels, block_body in _json_blocks(content, labels_wanted):
            blocks.append([block_type, labels, 1, _json_body(block_body, nested=block_type in ("resource", "data"))])
    return {"a": attributes, "b": blocks}


#: block types of the JSON syntax -> how many labels they have
_JSON_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1}
_JSON_LABELS |= {"locals": 0, "terraform": 0}


def _json_blocks(content: Any, labels: int) -> list[tuple[list[str], Any]]:
    if labels == 0:
        items = content if isinstance(content, list) else [content]
        return [([], item) for item in items if isinstance(item, dict)]
    out: list[tuple[list[str], Any]] = []
    if isinstance(content, dict):
        for name, inner in content.items():
            for rest, body in _json_blocks(inner, labels - 1):
                out.append(([name, *rest], body))
    elif isinstance(content, list):
        for item in content:
            out.extend(_json_blocks(item, labels))
    return out


#: attributes of resources that are maps, not nested blocks, in JSON syntax
_JSON_MAP_ATTRIBUTES = frozenset({"tags", "app_settings", "parameters", "metadata", "body", "default", "value"})


def _json_body(content: Any, nested: bool) -> Body:
    attributes: dict[str, list[Any]] = {}
    blocks: list[list[Any]] = []
    for name, value in content.items() if isinstance(content, dict) else ():
        is_block = nested and name not in _JSON_MAP_ATTRIBUTES and name not in ("for_each", "count", "depends_on")
        if is_block and isinstance(value, dict):
            blocks.append([name, [], 1, _json_body(value, nested)])
        elif is_block and isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            blocks.extend([name, [], 1, _json_body(v, nested)] for v in value)
        else:
            attributes[name] = [1, _json_expr(value)]
    return {"a": attributes, "b": blocks}


def _json_expr(value: Any) -> Expr:
    if isinstance(value, str):
        if "${" not in value and "%{" not in value:
            return ["L", value]
        quoted = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return _body(_parse_tree(mark_strips(f'x = "{quoted}"\n')).children[0])["a"]["x"][1]
    if isinstance(value, list):
        return ["TU", [_json_expr(v) for v in value]]
    if isinstance(value, dict):
        return ["O", [[["L", k], _json_expr(v)] for k, v in value.items()]]
    return ["L", value]


# ---------------------------------------------------------------------------------------------
# Parsing files: bounded time, in parallel when that pays, cached by content hash


class _Timeout(Exception):
    pass


def _with_deadline(seconds: float, work: Callable[[], Any]) -> Any:
    """Run `work`, interrupting it after `seconds` (only where signals work: the main thread)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return work()

    def expire(signum: int, frame: Any) -> None:
        raise _Timeout

    if signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        return work()  # someone else's alarm is set (pytest-timeout, say): leave it alone
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _parse_one(job: tuple[str, str, float]) -> tuple[str, Any]:
    """(name, text, timeout) -> ("ok", body) | ("syntax", [line, message]) | ("timeout", seconds)."""
    name, text, timeout = job
    parse = parse_json_text if name.endswith(".json") else parse_text
    try:
        return "ok", _with_deadline(timeout, lambda: parse(text))
    except HclSyntaxError as exc:
        return "syntax", [exc.line, exc.message]
    except _Timeout:
        return "timeout", timeout


def _read_text(path: Path, display: str) -> tuple[str, str]:
    try:
        raw, sha = inputs.read(path)
    except OSError as exc:
        raise SourceError(display, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(display, "is not UTF-8 text") from None
    return text, sha


def _worker_count(jobs: int) -> int:
    configured = os.environ.get("CLOUDCHECK_HCL_WORKERS")
    if configured is not None and configured.strip().isdigit():
        return max(1, int(configured))
    if jobs < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def parse_files(
    files: list[tuple[Path, str]],
    cache: ParseCache | None = None,
    timeout: float = PARSE_TIMEOUT_SECONDS,
    stats: ParseStats | None = None,
) -> dict[Path, ParsedFile]:
    """Parse (path, display name) pairs; cache hits skip the parser. Raises SourceError on bad input."""
    stats = stats if stats is not None else ParseStats()
    out: dict[Path, ParsedFile] = {}
    todo: list[tuple[Path, str, str, str]] = []  # path, display, text, sha
    bodies = store(cache, NAMESPACE)
    for path, display in files:
        text, sha = _read_text(path, display)
        hit = bodies.get(sha) if bodies is not None else None
        if isinstance(hit, dict) and "a" in hit and "b" in hit:
            out[path] = ParsedFile(path, sha, hit)
            stats.cached += 1
        else:
            todo.append((path, display, text, sha))
    if not todo:
        return out
    jobs = [(display, text, timeout) for _, display, text, _ in todo]
    workers = _worker_count(len(jobs))
    stats.workers = workers
    results = _run_parallel(jobs, workers, timeout) if workers > 1 else [_parse_one(job) for job in jobs]
    for (path, display, _, sha), (status, value) in zip(todo, results, strict=True):
        if status == "syntax":
            line, message = value
            where = f"{display}:{line}" if line else display
            raise SourceError(where, f"HCL syntax error: {message}")
        if status == "timeout":
            raise SourceError(display, f"the HCL parser gave up after {value:g} s (python-hcl2/lark hang on this file)")
        out[path] = ParsedFile(path, sha, value)
        stats.parsed += 1
        if bodies is not None:
            bodies.put(sha, value)
    return out


def _run_parallel(jobs: list[tuple[str, str, float]], workers: int, timeout: float) -> list[tuple[str, Any]]:
    """Parse in worker processes. Each worker bounds each file itself (SIGALRM); the whole batch is
    bounded too, for a hang that signals cannot interrupt (a regular expression in C)."""
    import multiprocessing

    _parser_ready()  # build the grammar once here; forked workers inherit it
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else multiprocessing.get_context()
    per_worker = -(-len(jobs) // workers)
    budget = timeout * per_worker + 30
    with context.Pool(workers) as pool:
        pending = pool.map_async(_parse_one, jobs, chunksize=max(1, min(16, per_worker // 4 or 1)))
        try:
            return pending.get(budget)
        except multiprocessing.TimeoutError:
            pool.terminate()
            raise SourceError(jobs[0][0], f"parsing {len(jobs)} HCL files took longer than {budget:g} s") from None


def _parser_ready() -> None:
    from hcl2.parser import parser

    parser()
