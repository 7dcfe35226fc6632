"""The fixtures the plugin registers: `cloud`, `resource`, `cloudcheck_inventory`, `cloudcheck_credential`,
`topology`."""

from __future__ import annotations

from typing import Any

import pytest

from .errors import SourceError
from .model import Inventory, Resource
from .session import CloudcheckSession, parse_marker
from .stash import SESSION


def _session(request: pytest.FixtureRequest) -> CloudcheckSession:
    return request.config.stash[SESSION]


@pytest.fixture(scope="session")
def cloudcheck_inventory(request: pytest.FixtureRequest) -> Inventory:
    """The Inventory of every configured source, whole (session scope, for session fixtures)."""
    inventory = _session(request).require_inventory()
    if not any(s.kind == "live" for s in inventory.sources):
        return inventory
    from .sources.live import scope_gaps

    gaps = scope_gaps(inventory.sources)
    if gaps:
        # a whole subscription is missing: no test over the whole inventory may pass on the rest
        raise SourceError("live Azure", "the inventory is incomplete: " + "; ".join(gaps))
    return inventory


@pytest.fixture(scope="session")
def cloudcheck_credential(request: pytest.FixtureRequest) -> Any:
    """The azure TokenCredential live mode uses (set it with the pytest_cloudcheck_credential hook).

    Without live mode: the hook's credential, else azure-identity's DefaultAzureCredential.
    """
    settings = _session(request).settings
    if settings.credential is None:
        settings.credential = request.config.hook.pytest_cloudcheck_credential(config=request.config)
    if settings.credential is None:
        from .sources.live_auth import Endpoints, credential_for

        credential_for(settings, Endpoints.from_settings(settings))
    return settings.credential


@pytest.fixture
def cloud(request: pytest.FixtureRequest, cloudcheck_inventory: Inventory) -> Inventory:
    """The Inventory of every configured source; only one environment under @pytest.mark.environment.

    Function scope so the `environment` marker can narrow it per test; the inventory itself is
    loaded once per session.
    """
    marker = request.node.get_closest_marker("environment")
    if marker is None:
        return cloudcheck_inventory
    env = parse_marker("environment", marker.args, marker.kwargs, request.node.nodeid)
    view = cloudcheck_inventory.only(env)
    if not len(view):
        # An empty view would let `assert not checks.cmk(cloud)` pass on nothing: say so instead.
        unclassified = sum(1 for r in cloudcheck_inventory if r.environment is None)
        pytest.skip(f"no resources classified as {env} in the inventory ({unclassified} unclassified)")
    return view


@pytest.fixture
def resource(request: pytest.FixtureRequest) -> Resource:
    """One resource, parametrised by @pytest.mark.resources(...); the test id is its address."""
    param = getattr(request, "param", None)
    if not isinstance(param, Resource):  # pragma: no cover - collection rejects this earlier
        raise pytest.UsageError(f"{request.node.nodeid}: the resource fixture needs @pytest.mark.resources(...)")
    request.node.user_properties.append(("cloudcheck_address", param.address))
    return param


@pytest.fixture(scope="session")
def topology(cloudcheck_inventory: Inventory) -> Any:
    """The network of the whole inventory as a hub-and-spoke graph (`pytest_cloudcheck.topology.Topology`):
    `topology.hub`, `.spokes`, `.peerings`, `.vnet_of(resource)`, `.mermaid()`."""
    from .errors import ConfigurationError
    from .topology import topology_of

    topo = topology_of(cloudcheck_inventory)
    if topo.hub_problem:
        raise ConfigurationError(f"cloudcheck: {topo.hub_problem}")
    return topo
