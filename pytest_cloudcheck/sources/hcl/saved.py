"""A whole HCL load kept in pytest's cache and reused while nothing it read has changed.

With every file's parse cached, a warm run still evaluated every module, which was most of its
time. After a load, the loaded source (resources, data sources, ledger, notes) is pickled with
what each input probe of that load saw (inputs.py). A later run with the same key (this package's
code, the interpreter, the working folder, the root folder as given, its label, the settings)
asks every probe again and reuses the stored load only if each answer is the same: one changed,
added or removed file, a module folder that moved, a variables file, a file read by file()...
and the tree is loaded again. An entry that cannot be read, whose digest does not match
(store.py) or that holds anything but a loaded source is a miss, never trusted.

A load holding secrets (values of sensitive variables, anything under a sensitivity mark) is not
stored: the cache folder is no place for them. Stores without a folder (get/set only) keep none.
"""

from __future__ import annotations

import copyreg
import functools
import hashlib
import io
import json
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from ...collector import collector_paused
from ...model import Origin
from ...settings import Settings
from ..loaded import LoadedSource
from . import inputs
from .store import FolderStore, store

NAMESPACE = "load1"
PACKAGE = Path(__file__).resolve().parents[2]


@functools.cache
def code_fingerprint(package: Path = PACKAGE) -> str:
    """The sha256 of every file of the package (a changed evaluator makes other loads)."""
    digest = hashlib.sha256(sys.version.encode())
    for directory, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if not name.endswith((".pyc", ".pyo")):
                digest.update(f"\0{Path(directory, name).relative_to(package)}\0".encode())
                digest.update(Path(directory, name).read_bytes())
    return digest.hexdigest()


def key(path: Path, label: str, settings: Settings) -> str:
    extra = sorted((name, repr(value)) for name, value in settings.extra.items())
    parts = [code_fingerprint(), os.getcwd(), str(path), label, [str(v) for v in settings.get("var_files") or ()]]
    return hashlib.sha256(json.dumps([*parts, extra]).encode()).hexdigest()


def folder_store(cache: Any) -> FolderStore | None:
    found = store(cache, NAMESPACE)
    return found if isinstance(found, FolderStore) else None


def reuse(loads: FolderStore, entry_key: str) -> LoadedSource | None:
    """The stored load of this key if nothing it read has changed, else None."""
    entry = loads.get(entry_key)
    if not (isinstance(entry, list) and len(entry) == 4 and isinstance(entry[0], list)):
        return None
    seen, files, parse_note, blob = entry
    if not isinstance(blob, bytes) or not inputs.unchanged(seen):
        return None
    try:
        with collector_paused():  # every collection during the read would walk all of it
            loaded = pickle.loads(blob)
    except Exception:  # a stale class or a damaged entry: load the tree again
        return None
    if not isinstance(loaded, LoadedSource):
        return None
    note = f"{files} files: 0 parsed, {files} from cache (the whole load: nothing it read has changed)"
    loaded.info.notes = [note if n == parse_note else n for n in loaded.info.notes]
    return loaded


def keep(loads: FolderStore, entry_key: str, seen: dict[tuple[str, str], Any], files: int, parse_note: str,
         loaded: LoadedSource) -> None:  # fmt: skip
    try:
        with collector_paused():
            blob = _pickled(loaded)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # something that cannot be stored: the next run loads the tree again
    probes = [[probe, subject, value] for (probe, subject), value in seen.items()]
    loads.put(entry_key, [probes, files, parse_note, blob])


def share(configuration: dict[str, Any], loaded: LoadedSource) -> None:
    """Make equal parts of the configuration section, and equal attribute line tables, one object
    each before a load is kept: both are only read, and the pickle then holds each once (200 spoke
    files written alike: the expressions' pickle ~3.4 -> ~1.8 MB, their read ~5x faster)."""
    table: dict[Any, Any] = {}
    try:
        _shared(configuration, table)
        for r in (*loaded.resources, *loaded.data_sources):
            if r.attribute_lines:
                r.attribute_lines = _shared(r.attribute_lines, table)[0]
            _strings(r.values, table)
    except RecursionError:
        return  # nested too deeply to share: kept as it is


def _shared(node: Any, table: dict[Any, Any]) -> tuple[Any, Any]:
    """(an object equal to `node` met before, or `node`; a small key standing for its value); the
    children of dicts and lists are replaced in place. A container's key is made of its children's
    keys, and a shared container's key is its id (the table keeps it alive), so no key nests and
    each is hashed in the time of its own width. Keys tell types apart (False, 0 and 0.0 are equal
    in Python) and keep the order of a dict's keys; other objects (UNKNOWN, a dict subclass) keep
    their identity."""
    kind = type(node)
    if kind is str:
        node = table.setdefault(node, node)
        return node, node
    if kind is int or kind is bool or node is None:
        return node, (kind, node)
    if kind is float:
        return node, (kind, node.hex())  # -0.0 is not 0.0
    if isinstance(node, dict):
        parts = []
        for name, value in dict.items(node):
            inner, inner_key = _shared(value, table)
            if inner is not value:
                dict.__setitem__(node, name, inner)
            parts.append(name if type(name) is str else (type(name), name))  # {1: x} is not {True: x}
            parts.append(inner_key)
        if kind is not dict:
            return node, ("id", id(node))  # a subclass (a lazy configuration entry) stays itself
        key: Any = ("dict", *parts)
    elif kind is list:
        items = []
        for i, value in enumerate(node):
            inner, inner_key = _shared(value, table)
            if inner is not value:
                node[i] = inner
            items.append(inner_key)
        key = ("list", *items)
    else:
        return node, ("id", id(node))
    node = table.setdefault(key, node)
    return node, id(node)


def _strings(node: Any, table: dict[Any, Any]) -> Any:
    """`node` with its strings (keys too) replaced by equal ones met before, in place: a resource's
    values can be changed by whoever holds them, so only their strings are shared (immutable)."""
    kind = type(node)
    if kind is str:
        return table.setdefault(node, node)
    if kind is dict:
        items = [(table.setdefault(k, k) if type(k) is str else k, _strings(v, table)) for k, v in node.items()]
        node.clear()
        node.update(items)
    elif kind is list:
        node[:] = [_strings(v, table) for v in node]
    return node


#: how a kept load is pickled: an Origin as the call that makes it (a frozen dataclass with slots
#: is otherwise rebuilt through dataclasses' __setstate__, a third of a warm read's resources)
_REDUCERS = {**copyreg.dispatch_table, Origin: lambda o: (Origin, (o.file, o.line))}


def _pickled(loaded: LoadedSource) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(loaded)
    return out.getvalue()
