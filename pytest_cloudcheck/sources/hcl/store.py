"""Where the HCL source keeps parsed files between runs: pytest's cache, keyed by content hash.

With pytest's cache (`config.cache`), entries are files in a folder of it (`config.cache.mkdir`):
each holds the sha256 of (format, key, payload) and the payload in `marshal` format, which keeps
the JSON-shaped trees exactly and is written ~60x faster than pytest's indented JSON values (a
second per cold load of 200 files). An entry whose digest does not match (a torn write, a file
edited or copied under another name) is a miss: the file is parsed again, never served from it.
A store without `mkdir` (any get/set store of JSON values, as the tests use) keeps JSON values.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any, Protocol

#: the folder of pytest's cache (`.pytest_cache/d/cloudcheck-hcl`)
FOLDER = "cloudcheck-hcl"
_DIGEST = 32


class KeyValueCache(Protocol):
    """The part of pytest's `config.cache` used here (any get/set store of JSON values works)."""

    def get(self, key: str, default: Any) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


class Store(Protocol):
    def get(self, key: str) -> Any: ...

    def put(self, key: str, value: Any) -> None: ...


class JsonStore:
    """Values of a get/set store under `prefix` + key."""

    def __init__(self, cache: KeyValueCache, prefix: str) -> None:
        self.cache = cache
        self.prefix = prefix

    def get(self, key: str) -> Any:
        return self.cache.get(self.prefix + key, None)

    def put(self, key: str, value: Any) -> None:
        self.cache.set(self.prefix + key, value)


class FolderStore:
    """One file per entry in `folder`/`namespace`: digest, then the marshalled value."""

    def __init__(self, folder: Path, namespace: str) -> None:
        # marshal's format belongs to the interpreter's version: each version has its own entries
        self.format = f"{namespace}-py{sys.version_info[0]}.{sys.version_info[1]}-m{marshal.version}"
        self.folder = folder / self.format

    def _digest(self, key: str, payload: bytes | memoryview) -> bytes:
        digest = hashlib.sha256(f"{self.format}\0{key}\0".encode())  # (format, key, payload) joined by NULs
        digest.update(payload)  # not joined into one more copy: a kept load is ~10 MB
        return digest.digest()

    def get(self, key: str) -> Any:
        if not key.isalnum():  # keys are hex digests: never a path
            return None
        try:
            data = (self.folder / key).read_bytes()
        except OSError:
            return None
        payload = memoryview(data)[_DIGEST:]
        if data[:_DIGEST] != self._digest(key, payload):
            return None
        try:
            return marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None

    def put(self, key: str, value: Any) -> None:
        if not key.isalnum():
            return
        payload = marshal.dumps(value)
        temporary = self.folder / f".{key}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(self._digest(key, payload) + payload)
            os.replace(temporary, self.folder / key)  # whole or not at all, for a concurrent reader
        except OSError:  # a cache that cannot be written is only slower
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def store(cache: Any, namespace: str) -> Store | None:
    """The store of `namespace` in this cache (pytest's or a get/set store); None without a cache."""
    if cache is None:
        return None
    mkdir = getattr(cache, "mkdir", None)
    if callable(mkdir):
        try:
            return FolderStore(Path(mkdir(FOLDER)), namespace)
        except (OSError, ValueError):
            return None
    return JsonStore(cache, f"cloudcheck/hcl/{namespace}/")
