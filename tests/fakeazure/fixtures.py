"""pytest fixtures around the fake Azure (registered as a plugin by tests/conftest.py).

`fake` serves the example landing zone for a whole module; `azure` gives each test fresh rows,
keys, faults and traffic, TLS trust in the fake's CA and name resolution limited to loopback.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from .harness import StaticCredential, loopback_only, serve_landing
from .server import FakeAzure, Faults

HUB, PROD, NONPROD = (
    "3f1c2a9e-0b7d-4c55-9a61-1d2e3f405a01",
    "8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02",
    "c4e6a8b0-2d4f-4a6c-9e8b-3d5f7a9c1e03",
)


@pytest.fixture(scope="module")
def fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeAzure]:
    # import the SDK out here: in-process pytester runs drop modules first imported inside them,
    # and a second copy of `requests` breaks the first one's sessions
    import azure.identity
    import azure.keyvault.keys
    import azure.mgmt.resourcegraph  # noqa: F401

    with FakeAzure(tmp_path_factory.mktemp("fakeazure")) as server:
        server.landing = serve_landing(server)  # type: ignore[attr-defined]
        yield server


@pytest.fixture
def azure(fake: FakeAzure, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAzure]:
    """The fake with fresh faults and traffic; TLS trust and name resolution limited to it."""
    fake.faults = Faults()
    fake.keyvault_dns = "vault.azure.net"
    fake.traffic.clear()
    fake.rows = json.loads(json.dumps(fake.landing.rows))  # type: ignore[attr-defined]  # tests may edit them
    fake.keys = dict(fake.landing.keys)  # type: ignore[attr-defined]
    fake.children = json.loads(json.dumps(fake.landing.children))  # type: ignore[attr-defined]
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(fake.ca_pem))
    for name in ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    blocked: list[str] = []
    with loopback_only(blocked):
        yield fake
        if fake.faults.slow_children or fake.faults.slow_subscriptions:
            # requests a test gave up on are still being answered: let them land in its own traffic,
            # not in the next test's
            time.sleep(
                max(fake.faults.slow_children, fake.faults.hang_seconds if fake.faults.slow_subscriptions else 0)
            )
    assert not blocked, f"traffic beyond 127.0.0.1 was attempted: {blocked}"


def live_inventory(fake: FakeAzure, *subs: str, **extra: Any) -> Any:
    from pytest_cloudcheck.settings import Settings
    from pytest_cloudcheck.sources import build_inventory

    settings = Settings(subscription=list(subs or (HUB, PROD, NONPROD)), arm_endpoint=fake.url, extra=extra)
    settings.credential = StaticCredential()
    return build_inventory(settings)
