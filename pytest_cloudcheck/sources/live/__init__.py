"""Live Azure as a source: Resource Graph for the inventory, Key Vault for the keys used as CMK.

    pytest --cloudcheck-subscription <id> [--cloudcheck-subscription <id>...]

Read-only: Resource Graph's query POST and GETs, nothing else. Everything is read at session
start (before collection): one paged Resource Graph query per subscription (or one for the
management group), then one ARM GET per child resource Resource Graph lacks (SQL TDE protectors,
the diagnostic settings of prod resources: `children.py`), then the keys the inventory points
at. What could not be read is listed in the coverage ledger (and the report header): a scope or
child that cannot be read fails the tests and checks whose scope it may hide, a key that cannot
be read makes the checks that read it error; nothing passes on a gap.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from ...errors import ConfigurationError, SourceError
from ...model import Resource, SourceInfo
from ...settings import Settings
from ..loaded import LoadedSource
from .auth import (
    Endpoints,
    auth_error,
    client_options,
    credential_for,
    discover_keyvault_audience,
    quiet_identity_log,
)
from .children import CHILD_READS, DIAGNOSTICS, read_children
from .graph import GraphStats, GraphUnreadable, query_all
from .keys import fetch_keys, key_refs, key_resource
from .mapping import to_resources

__all__ = ["LiveStats", "load_live"]


@dataclass
class LiveStats:
    """Request counts of the last live load (the report and the request-count test read them)."""

    graph_requests: int = 0
    throttled: int = 0
    #: ARM GETs of child resources Resource Graph lacks (TDE protectors, diagnostic settings)
    arm_requests: int = 0
    #: GETs of the ARM endpoint's metadata document (the Key Vault domain of a sovereign cloud)
    metadata_requests: int = 0
    vaults: int = 0
    keys: int = 0


#: counts of the last load in this process (tests and the benchmark report them)
LAST = LiveStats()


def _scopes(settings: Settings) -> list[tuple[str, dict[str, list[str]]]]:
    group = settings.get("management_group")
    if group:
        return [(f"management group {group}", {"management_groups": [group]})]
    return [(f"subscription {s}", {"subscriptions": [s]}) for s in dict.fromkeys(settings.subscription)]


def load_live(settings: Settings) -> list[LoadedSource]:
    from azure.core.exceptions import ClientAuthenticationError

    with quiet_identity_log():
        try:
            return _load(settings)
        except ClientAuthenticationError as exc:
            raise auth_error(exc) from None


def _load(settings: Settings) -> list[LoadedSource]:
    from azure.mgmt.resourcegraph import ResourceGraphClient

    diagnostics = str(settings.get("live_diagnostics") or "prod")
    if diagnostics not in ("prod", "none"):
        raise ConfigurationError(f"cloudcheck_live_diagnostics = {diagnostics!r} is not one of prod, none")
    endpoints = Endpoints.from_settings(settings)
    credential = credential_for(settings, endpoints)
    options = client_options(settings)
    budget = float(settings.get("live_time_budget") or 300)
    concurrency = int(float(settings.get("live_concurrency") or 8))
    deadline = time.monotonic() + budget
    stats = GraphStats()
    graph = ResourceGraphClient(credential, base_url=endpoints.arm, credential_scopes=[endpoints.arm_scope], **options)

    loaded: list[LoadedSource] = []
    unreadable: list[str] = []
    for location, scope in _scopes(settings):
        label = location.split(" ", 1)[1]
        try:
            answer = query_all(graph, scope, deadline, stats, read_timeout=float(options["read_timeout"]))
        except GraphUnreadable as exc:
            unreadable.append(f"{location}: {exc.reason}")
            info = SourceInfo("live", location, 0, label=label)
            info.ledger.record(
                "scope",
                location,
                f"could not be read ({exc.reason})",
                "give the identity Reader on it, or leave it out of the subscriptions checked",
                address=f"/subscriptions/{label}" if location.startswith("subscription ") else None,
            )
            loaded.append(LoadedSource(info, []))
            continue
        resources = to_resources(answer.rows, label)
        info = SourceInfo("live", location, len(resources), label=label)
        for reason in answer.incomplete:
            info.ledger.record(
                "query",
                location,
                f"not read in full: {reason}",
                "narrow the scope (one subscription per --cloudcheck-subscription) and run again",
                address=f"/subscriptions/{label}" if location.startswith("subscription ") else None,
            )
        loaded.append(LoadedSource(info, resources))

    readable = [r for source in loaded for r in source.resources]
    if not readable and unreadable:
        raise SourceError("live Azure", "nothing could be read: " + "; ".join(unreadable))
    LAST.arm_requests = _children(settings, readable, loaded, endpoints, credential, options, concurrency, deadline)
    readable = [r for source in loaded for r in source.resources]
    LAST.metadata_requests = 0
    if Endpoints.needs_discovery(settings):  # a sovereign cloud (or a fake): its own Key Vault domain
        endpoints = replace(endpoints, keyvault_audience=discover_keyvault_audience(endpoints.arm, options))
        LAST.metadata_requests = 1
    keys = _keys(readable, loaded, endpoints, credential, options, concurrency, deadline)
    LAST.graph_requests, LAST.throttled = stats.requests, stats.throttled
    LAST.keys = keys
    return loaded


def _children(
    settings: Settings,
    readable: list[Resource],
    loaded: list[LoadedSource],
    endpoints: Endpoints,
    credential: Any,
    options: dict[str, Any],
    concurrency: int,
    deadline: float,
) -> int:
    """Read the child resources Resource Graph lacks; add them to their parent's source, or a gap."""
    from ...environments import classify
    from ...model import Inventory

    by_label = {source.info.label: source for source in loaded}
    reads = CHILD_READS
    if str(settings.get("live_diagnostics") or "prod") == "none":  # opted out: said, not silently skipped
        reads = tuple(r for r in CHILD_READS if r is not DIAGNOSTICS)
        for source in loaded:
            source.info.ledger.record(
                "value",
                source.info.location,
                "diagnostic settings were not read (cloudcheck_live_diagnostics = none)",
                "set cloudcheck_live_diagnostics = prod to read them (one ARM GET per prod resource)",
                types=DIAGNOSTICS.hides,
            )
    else:
        classify(Inventory(readable, settings=settings))  # diagnostic settings are read for prod resources
    results = read_children(
        readable, credential, endpoints.arm, endpoints.arm_scope, options, concurrency, deadline, reads
    )
    for result in results:
        parent, read = result.parent, result.read
        target = by_label[parent.source_label]
        if result.error is not None:
            target.info.ledger.record(
                "value",
                parent.id or parent.address,
                f"{read.what} of {parent.name} could not be read ({result.error})",
                read.fix,
                address=parent.id,
                types=read.hides,
            )
            continue
        children = to_resources(result.rows, target.info.label)
        target.resources.extend(children)
        target.info.resources += len(children)
    return len(results)


def _keys(
    readable: list[Resource],
    loaded: list[LoadedSource],
    endpoints: Endpoints,
    credential: Any,
    options: dict[str, Any],
    concurrency: int,
    deadline: float,
) -> int:
    """Read every key the inventory points at; add them to the source of their vault."""
    vaults = {
        str(r.get("properties.vaultUri") or "").rstrip("/").lower(): r
        for r in readable
        if r.arm_type in ("Microsoft.KeyVault/vaults", "Microsoft.KeyVault/managedHSMs")
    }
    refs = key_refs(readable, endpoints.vault_domain)
    results = fetch_keys(refs, credential, options, concurrency, deadline)
    LAST.vaults = len({r.vault_url for r in refs})
    by_label = {source.info.label: source for source in loaded}
    for result in results:
        vault = vaults.get(result.ref.vault_url)
        target = by_label.get(vault.source_label) if vault is not None else None
        target = target or next(s for s in loaded if s.resources)
        key = key_resource(result, vault, target.info.label)
        target.resources.append(key)
        target.info.resources += 1
        if result.error:
            target.info.ledger.record(
                "key",
                result.ref.url,
                f"key could not be read ({result.error})",
                "give the identity the Key Vault Crypto User role (or get/list key permissions) on the vault",
                address=key.address,
                types=(key.type,),
            )
    return len(results)
