"""What one HCL load read from the disk, so that a later run can tell whether its result still holds.

Every read of the HCL source goes through these probes: the content of a file (Terraform files,
variables files, modules.json, what file() and templatefile() read), the files of a folder it
lists, the kind of a path it tests (file, folder, missing), where a path resolves to (symlinks),
the files under a folder fileset() walks, a home folder. While `recording()` is on, each probe
notes what it saw; `unchanged()` asks every probe again and says whether each answer is the same,
so a stored load is only reused when nothing it read has changed (store.py keeps it).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

#: (probe, subject) -> what the probe saw, for the load being recorded (None: not recording)
_SEEN: ContextVar[dict[tuple[str, str], Any] | None] = ContextVar("cloudcheck_hcl_inputs", default=None)


@contextmanager
def recording() -> Iterator[dict[tuple[str, str], Any]]:
    seen: dict[tuple[str, str], Any] = {}
    token = _SEEN.set(seen)
    try:
        yield seen
    finally:
        _SEEN.reset(token)


def _note(probe: str, subject: str, value: Any) -> Any:
    seen = _SEEN.get()
    if seen is not None:
        seen[(probe, subject)] = value
    return value


def _error(exc: OSError) -> str:
    return f"!{type(exc).__name__}:{exc.errno}"


# -- the probes: subject (a path as text) -> a value that changes when the input does -------------


def _digest(subject: str) -> str:
    try:
        return hashlib.sha256(Path(subject).read_bytes()).hexdigest()
    except OSError as exc:
        return _error(exc)


def _kind(subject: str) -> str:
    try:
        mode = os.stat(subject).st_mode
    except (OSError, ValueError):
        return "missing"
    return "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


def _file_names(subject: str) -> list[str]:
    with os.scandir(subject) as entries:
        return sorted(e.name for e in entries if e.is_file())


def _files(subject: str) -> list[str] | str:
    try:
        return _file_names(subject)
    except OSError as exc:
        return _error(exc)


def _resolved(subject: str) -> str:
    return str(Path(subject).resolve())


def _tree(subject: str) -> list[str]:
    if _kind(subject) != "dir":
        return []
    found = []
    for directory, _dirs, names in os.walk(subject):
        for name in names:
            path = Path(directory, name)
            if path.is_file():
                found.append(path.relative_to(subject).as_posix())
    return sorted(found)


def _expanded(subject: str) -> str:
    return os.path.expanduser(subject)


def _home(subject: str) -> str:
    return os.environ.get("HOME") or os.path.expanduser("~")


PROBES: dict[str, Callable[[str], Any]] = {
    "digest": _digest,
    "kind": _kind,
    "files": _files,
    "resolved": _resolved,
    "tree": _tree,
    "expanded": _expanded,
    "home": _home,
}


def unchanged(seen: list[list[Any]]) -> bool:
    """Whether every probe of a recorded load ([probe, subject, value], ...) answers the same now."""
    for entry in seen:
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[1], str)):
            return False
        probe, subject, value = entry
        check = PROBES.get(probe)
        if check is None or check(subject) != value:
            return False
    return True


# -- what the source calls ------------------------------------------------------------------------


def read(path: Path) -> tuple[bytes, str]:
    """The bytes of a file and their sha256 (OSError as `Path.read_bytes` raises it)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        _note("digest", str(path), _error(exc))
        raise
    sha = hashlib.sha256(raw).hexdigest()
    _note("digest", str(path), sha)
    return raw, sha


def kind(path: Path) -> str:
    """ "file", "dir", "other" or "missing" (symlinks followed)."""
    return _note("kind", str(path), _kind(str(path)))


def files_in(directory: Path) -> list[Path]:
    """The files of a folder (symlinks followed), sorted; OSError when it cannot be listed."""
    try:
        names = _file_names(str(directory))
    except OSError as exc:
        _note("files", str(directory), _error(exc))
        raise
    _note("files", str(directory), names)
    return [directory / name for name in names]


def resolved(path: Path) -> Path:
    return Path(_note("resolved", str(path), _resolved(str(path))))


def files_under(base: Path) -> list[str]:
    """Every file under a folder, as posix paths relative to it (fileset()); [] when not a folder."""
    return list(_note("tree", str(base), _tree(str(base))))


def expanded(text: str) -> str:
    return str(_note("expanded", text, _expanded(text)))


def home() -> str:
    return str(_note("home", "", _home("")))
