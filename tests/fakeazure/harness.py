"""Test helpers around the fake: loopback-only networking, a static credential, a loaded landing zone."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .convert import Landing, convert
from .server import FakeAzure

LANDING_PLANS = Path(__file__).resolve().parents[2] / "examples" / "landing_zone" / "plans"


class StaticCredential:
    """A TokenCredential that needs no network (what a conftest.py gives in tests)."""

    def __init__(self) -> None:
        self.scopes: list[str] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        self.scopes.extend(scopes)
        return AccessToken("test-token", int(time.time()) + 3600)


@contextmanager
def loopback_only(blocked: list[str]) -> Iterator[None]:
    """Resolve `*.vault.azure.net` and localhost to 127.0.0.1; refuse (and record) every other name."""
    real = socket.getaddrinfo

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.lower().endswith(".vault.azure.net") or name in ("localhost", "127.0.0.1"):
            return real("127.0.0.1", port, *args, **kwargs)
        blocked.append(name)
        raise socket.gaierror(f"test: {name} is not on loopback")

    socket.getaddrinfo = resolve  # type: ignore[assignment]
    try:
        yield
    finally:
        socket.getaddrinfo = real  # type: ignore[assignment]


def serve_landing(fake: FakeAzure) -> Landing:
    landing = convert(LANDING_PLANS, fake.port)
    fake.rows = {sub: list(rows) for sub, rows in landing.rows.items()}
    fake.keys = dict(landing.keys)
    fake.children = dict(landing.children)
    return landing
