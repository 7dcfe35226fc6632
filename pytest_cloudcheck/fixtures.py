"""The fixtures the plugin registers: `cloud`, `resource`, `cloudcheck_inventory`, `cloudcheck_credential`,
`topology`."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .errors import ConfigurationError
from .stash import SESSION

if TYPE_CHECKING:  # the model and the session load with the first source, not with the plugin
    from .model import Inventory, Resource
    from .session import CloudcheckSession


def _session(request: pytest.FixtureRequest) -> CloudcheckSession:
    return request.config.stash[SESSION]


@pytest.fixture(scope="session")
def cloudcheck_inventory(request: pytest.FixtureRequest) -> Inventory:
    """The Inventory of every configured source, whole (session scope, for session fixtures).

    What the sources could not read is in `inventory.ledger`: a test reading an incomplete scope
    fails with it (incomplete.py), and every check reports the gaps of its scope."""
    return _session(request).require_inventory()


def overriding_credential(session: pytest.Session) -> Any:
    """The credential of a `cloudcheck_credential` fixture that a conftest.py defines over ours.

    Live Azure is read at session start, before any fixture runs (and before pytest's fixture
    manager exists); so an override in a conftest.py known by then (the rootdir's, and those on
    the command line's paths) is called here, once: the one nearest the rootdir. It must take no
    other fixtures (the `pytest_cloudcheck_credential` hook has no such limit).
    """
    overrides = []
    for plugin in session.config.pluginmanager.get_plugins():
        path = getattr(plugin, "__file__", None) or ""
        if path.endswith("conftest.py") and hasattr(plugin, "cloudcheck_credential"):
            function = _fixture_function(plugin.cloudcheck_credential)
            if function is not None:
                overrides.append((len(path), function))
    if not overrides:
        return None
    function = min(overrides, key=lambda found: found[0])[1]
    wanted = list(inspect.signature(function).parameters)
    if wanted:
        raise ConfigurationError(
            "the cloudcheck_credential fixture of your conftest.py asks for other fixtures "
            f"({', '.join(wanted)}), but live Azure is read before fixtures run; return the "
            "credential from a `pytest_cloudcheck_credential(config)` hook in conftest.py instead"
        )
    value = function()
    if inspect.isgenerator(value):
        value = next(value)  # a yield fixture: its teardown part is not run
    return value


def _fixture_function(obj: Any) -> Any:
    """The plain function behind a @pytest.fixture (pytest >= 8.4 and older)."""
    getter = getattr(obj, "_get_wrapped_function", None)
    if getter is not None:
        return getter()
    wrapped = getattr(obj, "__pytest_wrapped__", None)
    return getattr(wrapped, "obj", None)


@pytest.fixture(scope="session")
def cloudcheck_credential(request: pytest.FixtureRequest) -> Any:
    """The azure TokenCredential live mode uses: override this fixture in conftest.py (taking no
    other fixtures), or return one from a `pytest_cloudcheck_credential(config)` hook.

    Without live mode: the hook's credential, else azure-identity's DefaultAzureCredential.
    """
    settings = _session(request).settings
    if settings.credential is None:
        settings.credential = request.config.hook.pytest_cloudcheck_credential(config=request.config)
    if settings.credential is None:
        from .sources.live.auth import Endpoints, credential_for

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
    from .session import parse_marker

    env = parse_marker("environment", marker.args, marker.kwargs, request.node.nodeid)
    view = cloudcheck_inventory.only(env)
    if not len(view) and not cloudcheck_inventory.ledger.touching(view):
        # An empty view would let `assert not checks.cmk(cloud)` pass on nothing: say so instead
        # (unless a gap may hide resources of it: the test then fails with the gap).
        from .environments import unconfigured_values

        unclassified = sum(1 for r in cloudcheck_inventory if r.environment is None)
        ignored = ", ".join(repr(v) for v in sorted(unconfigured_values(cloudcheck_inventory)))
        ignored = f"; tag values not configured: {ignored}" if ignored else ""
        pytest.skip(f"no resources classified as {env} in the inventory ({unclassified} unclassified{ignored})")
    return view


@pytest.fixture
def resource(request: pytest.FixtureRequest) -> Resource:
    """One resource, parametrised by @pytest.mark.resources(...); the test id is its address."""
    from .model import Resource

    param = getattr(request, "param", None)
    from .incomplete import Unread

    if isinstance(param, Unread):
        return param  # type: ignore[return-value]  # the `cloudcheck-unread` case: fails without running
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


def conflicting_fixture(item: pytest.Item, names: frozenset[str]) -> str | None:
    """A usage error when a fixture of ours is redefined in the test's scope (a conftest.py, a
    plugin, the module), naming both definitions: the other one would silently stand in for ours
    (a `resource` fixture of one's own still gets our parametrisation, so the test ids look right)."""
    info = getattr(item, "_fixtureinfo", None)
    for name in sorted(names.intersection(getattr(item, "fixturenames", ()))):
        defs = info.name2fixturedefs.get(name, ()) if info is not None else ()
        ours = [d for d in defs if getattr(d.func, "__module__", "") == __name__]
        others = [d for d in defs if d not in ours]
        if others:
            theirs = others[-1]
            return (
                f"{item.nodeid}: the fixture `{name}` is defined twice: by pytest-cloudcheck "
                f"({_where(ours[0].func) if ours else 'not loaded'}) and by {_where(theirs.func)}; "
                f"rename yours (the plugin's `{name}` is part of its contract)"
            )
    return None


def _where(function: Any) -> str:
    try:
        path = inspect.getsourcefile(function) or "?"
        line = inspect.getsourcelines(function)[1]
    except (OSError, TypeError):
        return getattr(function, "__qualname__", repr(function))
    from .sources.plan import display_path

    return f"{display_path(Path(path))}:{line}"
