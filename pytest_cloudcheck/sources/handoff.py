"""The xdist handoff: the controller's loaded sources, pickled for this run's workers.

Exact for every kind of source (a pickle only this run reads), so `-n N` reads Azure once and every
worker sees the controller's inventory. Pickling a big inventory costs about half its load; where
the platform forks (Linux, one thread), a child of the controller writes the file while the
controller goes on (classifying, starting the workers), and a worker waits for the file's lock
before reading it. A write that fails leaves a marker the workers read as "read the sources
yourselves" (with a warning); a file that is damaged otherwise is an error, never an empty inventory.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
import tempfile
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import CloudcheckWarning, SourceError
from .loaded import LoadedSource

try:
    import fcntl
except ImportError:  # Windows: the file is complete before any worker starts
    fcntl = None  # type: ignore[assignment]

__all__ = ["Handoff", "HandoffFailed", "read_handoff", "start_handoff", "try_handoff", "write_handoff"]

#: what a failed write leaves at the start of the file (a pickle starts with b"\x80")
FAILED = b"cloudcheck-handoff-failed: "
#: what may fail while pickling a source that holds something a pickle cannot carry
_UNPICKLABLE = (pickle.PicklingError, TypeError, AttributeError, RecursionError)


class HandoffFailed(SourceError):
    """The controller could not pickle its sources: each worker reads them itself."""


@dataclass
class Handoff:
    """The handoff file and the child process writing it (None: written by the time it is handed out)."""

    path: Path
    writer: int | None = None

    def close(self) -> None:
        """Reap the writer, remove the file (the controller, when the run ends)."""
        if self.writer is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.writer, 0)
            self.writer = None
        self.path.unlink(missing_ok=True)


def write_handoff(loaded: list[LoadedSource], directory: Path | None = None) -> Path:
    """Pickle the loaded sources for this run's workers; returns the file (the caller removes it)."""
    fd, name = tempfile.mkstemp(prefix="cloudcheck-", suffix=".inventory", dir=directory)
    with os.fdopen(fd, "wb") as out:
        pickle.dump(loaded, out, protocol=pickle.HIGHEST_PROTOCOL)
    return Path(name)


def try_handoff(loaded: list[LoadedSource]) -> Path | None:
    """`write_handoff`, or None (with a warning: every worker then reads its sources itself) when a
    source holds something that cannot be handed over."""
    try:
        return write_handoff(loaded)
    except (*_UNPICKLABLE, OSError) as exc:
        _warn_not_handed_over(type(exc).__name__)
        return None


def start_handoff(loaded: list[LoadedSource], directory: Path | None = None) -> Handoff | None:
    """The handoff, written by a forked child where that is safe, else here and now (`try_handoff`)."""
    if not _can_fork():
        path = try_handoff(loaded)
        return Handoff(path) if path is not None else None
    assert fcntl is not None
    fd, name = tempfile.mkstemp(prefix="cloudcheck-", suffix=".inventory", dir=directory)
    # The child holds the lock through the descriptor it inherits; it is released when the child
    # exits, which is when a worker's shared lock is granted.
    fcntl.flock(fd, fcntl.LOCK_EX)
    pid = os.fork()
    if pid == 0:
        _write_and_exit(loaded, fd)
    os.close(fd)
    return Handoff(Path(name), pid)


def _can_fork() -> bool:
    # Linux only (macOS frameworks are not fork-safe), and never with other threads running
    # (a lock they hold would stay held in the child forever)
    return fcntl is not None and sys.platform == "linux" and threading.active_count() == 1


def _write_and_exit(loaded: list[LoadedSource], fd: int) -> None:
    """In the forked child: write the pickle (or the failure marker) and exit, running nothing else
    of the parent's (no atexit handlers, no buffered output flushed twice)."""
    status = 1
    try:
        try:
            with os.fdopen(fd, "wb", closefd=False) as out:
                pickle.dump(loaded, out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        except _UNPICKLABLE as exc:
            os.ftruncate(fd, 0)
            os.pwrite(fd, FAILED + type(exc).__name__.encode(), 0)
    finally:
        os._exit(status)


def read_handoff(path: Path) -> list[LoadedSource]:
    """The controller's loaded sources (a file this run's controller wrote, see `start_handoff`);
    HandoffFailed when it could not write them."""
    # The collector paused: the pickle holds the whole inventory, and every collection while it is
    # read would walk all of it (a worker read took ~4x longer with the collector on).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH)  # the controller's writer is done
            head = handle.read(len(FAILED))
            if head == FAILED:
                reason = handle.read(200).decode("ascii", "replace")
                raise HandoffFailed(str(path), f"the controller could not hand its sources over ({reason})")
            handle.seek(0)
            loaded: list[LoadedSource] = pickle.load(handle)  # written by this run's controller
    except (OSError, pickle.UnpicklingError, EOFError) as exc:
        raise SourceError(str(path), f"the controller's inventory could not be read ({type(exc).__name__})") from None
    finally:
        if was_enabled:
            gc.enable()
    return loaded


def _warn_not_handed_over(reason: str) -> None:
    warnings.warn(
        CloudcheckWarning(f"xdist workers read the sources themselves: not handed over ({reason})"), stacklevel=3
    )
