"""Keys used as customer-managed keys, read from the Key Vault data plane (azure-keyvault-keys).

Resource Graph holds no key properties. The keys the inventory points at (key URLs anywhere in
the ARM properties, or a vault URI + key name pair) are read once each, with their rotation
policy: one task per vault (one 401 challenge per vault), vaults in parallel up to the run's
concurrency. A key that cannot be read becomes a resource whose properties raise on access, so a
check that depends on it errors instead of passing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...errors import SourceError
from ...model import Resource, arm_values
from .attributes import ATTRIBUTES, attributes_for
from .auth import within_budget
from .mapping import live_resource

KEY_ARM_TYPE = "Microsoft.KeyVault/vaults/keys"
KEY_TYPE = "azurerm_key_vault_key"
_KEY_URL = re.compile(r"^(https://[^/\s]+)/keys/([^/?\s]+)", re.IGNORECASE)
#: property names holding a vault URI next to a key name (storage, Log Analytics clusters, ...)
_VAULT_PROPS = {"keyvaulturi", "vaultbaseurl", "keyvaulturl"}
_NAME_PROPS = {"keyname"}


class Unreadable(SourceError):
    """Raised when a check reads a value live mode could not fetch."""


class UnreadableDict(dict[str, Any]):
    """ARM values with parts that could not be read: reading one of those raises `Unreadable`."""

    def __init__(self, values: dict[str, Any], missing: Iterable[str], location: str, reason: str) -> None:
        super().__init__(values)
        self.missing = frozenset(missing)
        self.location = location
        self.reason = reason

    def _check(self, key: str) -> None:
        if key in self.missing:
            raise Unreadable(self.location, f"{key} could not be read from live Azure ({self.reason})")

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self._check(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self._check(key)
        return super().__getitem__(key)


@dataclass(frozen=True, slots=True)
class KeyRef:
    vault_url: str  # https://kv.vault.azure.net (no trailing slash, lower case)
    name: str

    @property
    def url(self) -> str:
        return f"{self.vault_url}/keys/{self.name}"


def key_refs(resources: Iterable[Resource], vault_domain: str) -> set[KeyRef]:
    """Every Key Vault / Managed HSM key the ARM properties of `resources` point at."""
    domains = (vault_domain, vault_domain.replace("vault.", "managedhsm.", 1))
    found: set[KeyRef] = set()
    for r in resources:
        for ref in _walk(r.values.get("properties")):
            host = ref.vault_url.split("://", 1)[1].split(":", 1)[0]
            if host.endswith(domains):
                found.add(ref)
    return found


def _walk(node: Any) -> Iterator[KeyRef]:
    if isinstance(node, dict):
        lowered = {k.lower(): v for k, v in node.items() if isinstance(k, str)}
        vault = next((lowered[k] for k in _VAULT_PROPS if isinstance(lowered.get(k), str)), None)
        name = next((lowered[k] for k in _NAME_PROPS if isinstance(lowered.get(k), str)), None)
        if vault and name:
            yield KeyRef(vault.rstrip("/").lower(), name.lower())
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
    elif isinstance(node, str):
        match = _KEY_URL.match(node)
        if match:
            yield KeyRef(match.group(1).lower(), match.group(2).lower())


@dataclass
class KeyResult:
    ref: KeyRef
    key: Any = None
    policy: Any = None
    error: str | None = None
    #: "key" when nothing could be read, "rotationPolicy" when only the policy failed
    missing: str | None = None


def fetch_keys(
    refs: Iterable[KeyRef], credential: Any, options: dict[str, Any], concurrency: int, deadline: float
) -> list[KeyResult]:
    by_vault: dict[str, list[KeyRef]] = {}
    for ref in sorted(refs, key=lambda k: (k.vault_url, k.name)):
        by_vault.setdefault(ref.vault_url, []).append(ref)
    if not by_vault:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(by_vault)))) as pool:
        batches = pool.map(lambda item: _fetch_vault(item[0], item[1], credential, options, deadline), by_vault.items())
        return [result for batch in batches for result in batch]


def _fetch_vault(
    vault_url: str, refs: list[KeyRef], credential: Any, options: dict[str, Any], deadline: float
) -> list[KeyResult]:
    from azure.core.exceptions import (
        ClientAuthenticationError,
        HttpResponseError,
        ServiceRequestError,
        ServiceResponseError,
    )
    from azure.keyvault.keys import KeyClient

    client = KeyClient(vault_url, credential, **options)
    results = []
    failed_vault: str | None = None
    for ref in refs:
        result = KeyResult(ref)
        results.append(result)
        if failed_vault is not None:
            result.error, result.missing = failed_vault, "properties"
            continue
        if time.monotonic() > deadline:
            result.error, result.missing = "time budget spent before this key was read", "properties"
            continue
        for step in ("key", "rotationPolicy"):
            # the budget is the run's: no read waits past it, retries included
            limits = within_budget(deadline, float(options.get("read_timeout") or 60))
            try:
                if step == "key":
                    result.key = client.get_key(ref.name, **limits)
                else:
                    result.policy = client.get_key_rotation_policy(ref.name, **limits)
            except (ClientAuthenticationError, HttpResponseError) as exc:
                status = getattr(exc, "status_code", None)
                code = getattr(getattr(exc, "error", None), "code", None)
                result.error = f"HTTP {status}{' ' + code if code else ''} from {vault_url}"
                result.missing = "properties" if step == "key" else "rotationPolicy"
                if status == 403 and step == "key":
                    failed_vault = f"{result.error} (the identity may not read this vault)"
                break
            except (ServiceRequestError, ServiceResponseError) as exc:
                result.error = f"no answer from {vault_url} ({type(exc).__name__})"
                result.missing = "properties" if step == "key" else "rotationPolicy"
                failed_vault = result.error
                break
    return results


def key_resource(result: KeyResult, vault: Resource | None, label: str) -> Resource:
    """An ARM-shaped `Microsoft.KeyVault/vaults/keys` resource for a fetched (or unreadable) key."""
    ref = result.ref
    name = result.key.name if result.key is not None else ref.name
    values: dict[str, Any] = {
        "id": f"{vault.id}/keys/{name}" if vault is not None and vault.id else None,
        "name": name,
        "type": KEY_ARM_TYPE,
        "location": vault.location if vault is not None else None,
        "tags": dict(result.key.properties.tags or {}) if result.key is not None else {},
        "properties": _key_properties(result),
    }
    address = values["id"] or ref.url
    # the azurerm names of what was read; what was not read raises on access under both names
    values.update(attributes_for(KEY_TYPE, values))
    plain = dict(values)
    if result.missing == "properties":
        unread = {"properties", *(a.name for a in ATTRIBUTES[KEY_TYPE] if not arm_values(values, a.path))}
        values = UnreadableDict(values, unread, address, result.error or "not read")
    elif result.missing == "rotationPolicy":
        values["properties"] = UnreadableDict(
            values["properties"], {"rotationPolicy"}, address, result.error or "not read"
        )
        values = UnreadableDict(values, {"rotation_policy"}, address, result.error or "not read")
    resource = live_resource({**plain, "id": address}, label, KEY_ARM_TYPE)
    resource.values = values
    resource.id = values["id"]
    return resource


def _key_properties(result: KeyResult) -> dict[str, Any]:
    key = result.key
    if key is None:
        return {"keyUri": result.ref.url}  # known from the reference, whether or not the key could be read
    jwk = key.key
    n = getattr(jwk, "n", None)
    props = key.properties
    out: dict[str, Any] = {
        "kty": _text(jwk.kty),
        "keyOps": [_text(op) for op in (jwk.key_ops or [])],
        "keySize": len(n) * 8 if n else None,
        "curveName": _text(getattr(jwk, "crv", None)),
        "keyUri": f"{result.ref.vault_url}/keys/{key.name}",
        "keyUriWithVersion": key.id,
        "attributes": {
            "enabled": props.enabled,
            "exp": _epoch(props.expires_on),
            "nbf": _epoch(props.not_before),
            "created": _epoch(props.created_on),
            "updated": _epoch(props.updated_on),
        },
    }
    policy = result.policy
    if policy is not None:
        out["rotationPolicy"] = {
            "attributes": {"expiryTime": policy.expires_in},
            "lifetimeActions": [
                {
                    "trigger": {"timeAfterCreate": a.time_after_create, "timeBeforeExpiry": a.time_before_expiry},
                    "action": {"type": (_text(a.action) or "").lower()},
                }
                for a in policy.lifetime_actions or []
            ],
        }
    return out


def _text(value: Any) -> str | None:
    """The wire string of an SDK enum (`JsonWebKeyType.RSA_HSM` -> "RSA-HSM")."""
    return None if value is None else str(getattr(value, "value", value))


def _epoch(value: datetime | None) -> int | None:
    return int(value.timestamp()) if value is not None else None
