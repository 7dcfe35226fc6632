"""The xdist handoff: the controller's loaded sources, pickled for this run's workers.

Exact for every kind of source (a pickle only this run reads), so `-n N` reads Azure once and every
worker sees the controller's inventory. Pickling a big inventory costs about half its load; where
the platform forks (Linux, one thread), a child of the controller writes the file while the
controller goes on (classifying, starting the workers), holding the file's lock until it is done;
a worker reads the pickle as it grows, so its read ends soon after the write. A write that fails
leaves a marker the workers read as "read the sources yourselves" (with a warning); a file that is
damaged otherwise is an error, never an empty inventory.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..collector import collector_paused
from ..errors import CloudcheckWarning, SourceError
from .loaded import LoadedSource

try:
    import fcntl
except ImportError:  # Windows: the file is complete before any worker starts
    fcntl = None  # type: ignore[assignment]

__all__ = ["Handoff", "HandoffFailed", "read_handoff", "skip_handoff", "start_handoff", "try_handoff", "write_handoff"]

#: what a failed write leaves at the start of the file: a pickle starts with b"\x80", and b"\xff"
#: is no pickle opcode, so a reader that already started stops at once
FAILED = b"\xffcloudcheck-handoff-failed: "
#: what the file holds when the controller expects no test to read the inventory (`skip_handoff`)
NOT_WRITTEN = b"\xffcloudcheck-handoff-not-written"
#: what may fail while pickling a source that holds something a pickle cannot carry
_UNPICKLABLE = (pickle.PicklingError, TypeError, AttributeError, RecursionError)


#: what `pickle.load` raises on a file that is not a whole pickle
_DAMAGED = (pickle.UnpicklingError, EOFError, ValueError, KeyError, IndexError, ImportError, OverflowError)


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


def skip_handoff(directory: Path | None = None) -> Handoff:
    """No handoff: a file saying so (no test the controller expects reads the inventory); a worker
    that needs it after all reads the sources itself."""
    fd, name = tempfile.mkstemp(prefix="cloudcheck-", suffix=".inventory", dir=directory)
    with os.fdopen(fd, "wb") as out:
        out.write(NOT_WRITTEN)
    return Handoff(Path(name))


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
    HandoffFailed when it could not write them.

    Read while it is written: the pickle is taken in as the writer appends to it, so reading costs
    the worker little more than waiting for the writer's last frame."""
    # The collector paused: the pickle holds the whole inventory, and every collection while it is
    # read would walk all of it (a worker read took ~4x longer with the collector on).
    try:
        with collector_paused(), open(path, "rb") as handle:
            stream: Any = handle if _writer_done(handle) else _Growing(handle)
            try:
                loaded: list[LoadedSource] = pickle.load(stream)  # written by this run's controller
            except _DAMAGED as exc:
                raise _unreadable(path, handle, exc) from None
    except OSError as exc:
        raise SourceError(str(path), f"the controller's inventory could not be read ({type(exc).__name__})") from None
    return loaded


def _unreadable(path: Path, handle: BinaryIO, exc: Exception) -> SourceError:
    """Why the pickle could not be read: the writer's failure marker, or a damaged file."""
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_SH)  # the writer is done
    head = os.pread(handle.fileno(), len(FAILED) + 200, 0)
    if head == NOT_WRITTEN:
        return HandoffFailed(str(path), "the controller wrote no handoff: it expected no test to read the inventory")
    if head.startswith(FAILED):
        reason = head[len(FAILED) :].decode("ascii", "replace")
        return HandoffFailed(str(path), f"the controller could not hand its sources over ({reason})")
    return SourceError(str(path), f"the controller's inventory could not be read ({type(exc).__name__})")


def _writer_done(handle: BinaryIO) -> bool:
    """True when no process writes the file any more (its writer holds an exclusive lock)."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class _Growing:
    """A file its writer is still appending to, as `pickle.load` reads it: a read waits for the
    bytes it asks for until they are there or the writer is done (then it may come up short, and
    the pickle reads as truncated)."""

    #: seconds between looks at a file that has not grown
    POLL = 0.001

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._done = False

    def _more_may_come(self) -> bool:
        if self._done:
            return False
        if _writer_done(self._handle):
            self._done = True  # one more read takes what the writer wrote last
        else:
            time.sleep(self.POLL)
        return True

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            while self._more_may_come():
                pass
            return self._handle.read()
        out = bytearray()
        while len(out) < size:
            chunk = self._handle.read(size - len(out))
            if chunk:
                out += chunk
            elif not self._more_may_come():
                break
        return bytes(out)

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def readline(self, size: int = -1) -> bytes:
        out = bytearray()
        while not out.endswith(b"\n"):
            chunk = self._handle.readline()
            if chunk:
                out += chunk
            elif not self._more_may_come():
                break
        return bytes(out)


def _warn_not_handed_over(reason: str) -> None:
    warnings.warn(
        CloudcheckWarning(f"xdist workers read the sources themselves: not handed over ({reason})"), stacklevel=3
    )
