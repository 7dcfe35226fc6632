"""Encryption-at-rest facts: `Resource.encryption` -> `Encryption(customer_managed, key, how, ...)`.

Reads the CMK rule table (`rules/cmk.py`) on both shapes of values: Terraform's
(`schema == "azurerm"`: inline attributes, linking resources, disk encryption sets, references
from the plan's configuration when an id is unknown at plan time) and ARM's (`schema == "arm"`:
live Azure and azapi, read case-insensitively like Azure Policy).

Tri-state: `customer_managed` is True, False, or None when it cannot be known (unknown at plan
time, or linked to something outside the inventory). Unknown is never treated as compliant.

Lookups over the whole inventory (linking resources by target, resources by ARM id or name, keys
by URL) are indexed once per inventory, so a 50k-resource plan is checked in linear time.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .arm import normalized, parent_resource_id
from .links import links_of, narrow
from .model import SENSITIVE, UNKNOWN, Inventory, Resource, arm_values
from .rules.cmk import (
    FLAGS,
    INTERMEDIATES,
    KEY_NAME,
    KEY_TYPES,
    VAULT_TYPES,
    ArmAt,
    CmkRule,
    KeyAt,
    Part,
    is_key_id,
    is_vault_id,
    rule_for,
)


@dataclass(frozen=True, slots=True)
class KeyRef:
    """A key a data store uses: a resource of the inventory, or only an id / URL (outside it)."""

    address: str | None
    ident: str | None = None
    #: the linking or intermediate resource the key was reached through
    via: str | None = None
    resource: Resource | None = field(default=None, compare=False, repr=False)

    @property
    def outside(self) -> bool:
        """Not a managed resource of the inventory: its vault, rotation and expiry cannot be checked."""
        return self.resource is None or self.resource.is_data_source

    def __str__(self) -> str:
        return self.address or self.ident or "(unknown key)"


@dataclass(frozen=True, slots=True)
class Encryption:
    """How a resource's data at rest is encrypted.

    `customer_managed`: True (a customer-managed key), False (Microsoft-/service-managed), None
    (unknown at plan time, or linked to something outside the inventory: see `kind`).
    """

    customer_managed: bool | None
    #: the first key: its address when in the inventory, else its id / URL; None when unknown
    key: str | None = None
    keys: tuple[KeyRef, ...] = ()
    #: how it was established (or why not), one line
    how: str = ""
    rule: CmkRule | None = field(default=None, compare=False, repr=False)
    #: why not True: "violation", "unknown" or "outside"; None when customer-managed
    kind: str | None = None
    #: addresses of linking / intermediate resources involved
    related: tuple[str, ...] = ()

    @property
    def assessed(self) -> bool:
        return self.rule is not None

    def __bool__(self) -> bool:
        raise TypeError("use encryption.customer_managed (True/False/None), not the Encryption object itself")


def encryption_of(resource: Resource) -> Encryption:
    """The `Resource.encryption` fact (cached on the resource by `Resource.fact`)."""
    rule = rule_for(resource.type)
    if rule is None:  # most resources of a plan (subnets, role assignments, ...): one answer per type
        unassessed = _NOT_ASSESSED.get(resource.type)
        if unassessed is None:
            unassessed = _NOT_ASSESSED[resource.type] = Encryption(
                None, how=f"{resource.type} has no CMK rule: not assessed", kind="not_assessed"
            )
        return unassessed
    if resource.address in _IN_PROGRESS:
        return Encryption(None, how="cyclic link between resources", rule=rule, kind="unknown")
    _IN_PROGRESS.add(resource.address)
    try:
        return _Evaluator(resource, rule).run()
    finally:
        _IN_PROGRESS.discard(resource.address)


_IN_PROGRESS: set[str] = set()
#: the (immutable) answer for a type without a CMK rule, by type
_NOT_ASSESSED: dict[str, Encryption] = {}

# ---------------------------------------------------------------------------------------------
# Outcomes of one way of attaching a key

_CMK, _NONE, _SERVICE, _UNKNOWN, _OUTSIDE, _EMPTY = "cmk", "none", "service", "unknown", "outside", "empty"


@dataclass(slots=True)
class _Outcome:
    status: str
    how: str
    keys: list[KeyRef] = field(default_factory=list)
    related: list[str] = field(default_factory=list)


_RANK = {_CMK: 0, _EMPTY: 0, _OUTSIDE: 1, _UNKNOWN: 1, _SERVICE: 2, _NONE: 3}


def _any_of(outcomes: list[_Outcome], none_how: str | Callable[[], str]) -> _Outcome:
    """Alternatives: the best one wins (a key anywhere is enough). `none_how` says why none did; a
    callable is asked only then (most data stores have their key: no text to write)."""
    if not outcomes:
        return _Outcome(_NONE, none_how() if callable(none_how) else none_how)
    best = min(outcomes, key=lambda o: _RANK[o.status])
    if best.status == _NONE:
        none_how = none_how() if callable(none_how) else none_how
        found = [o.how for o in outcomes if o.how]  # what was there instead (keySource = Microsoft.Storage)
        how = f"{none_how}: found {', '.join(found)}" if found else none_how
        return _Outcome(_NONE, how, related=[a for o in outcomes for a in o.related])
    return best


def _all_of(outcomes: list[_Outcome]) -> _Outcome:
    """Every element (data disks, candidates of an ambiguous reference) must be customer-managed."""
    worst = max(outcomes, key=lambda o: _RANK[o.status])
    if worst.status in (_CMK, _EMPTY):
        return _Outcome(
            _CMK,
            "; ".join(dict.fromkeys(o.how for o in outcomes)),
            [k for o in outcomes for k in o.keys],
            [a for o in outcomes for a in o.related],
        )
    return worst


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)


# ---------------------------------------------------------------------------------------------
# Inventory-wide indexes (built once per inventory, on first use)


_KEY_URL = re.compile(r"^https://([^./]+)\.(?:vault|managedhsm)\.[^/]+/keys/([^/?]+)", re.IGNORECASE)
_KEY_ARM = re.compile(r"/providers/microsoft\.keyvault/(?:vaults|managedhsms)/([^/]+)/keys/([^/]+)", re.IGNORECASE)


def key_coordinates(ident: str) -> tuple[str, str] | None:
    """(vault name, key name) from a key URL or a key's ARM id, lower case."""
    match = _KEY_URL.match(ident) or _KEY_ARM.search(ident)
    return (match.group(1).lower(), match.group(2).lower()) if match else None


class _Index:
    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.links = links_of(inventory)
        self._links: dict[tuple[str, str], tuple[dict[str, list[Resource]], dict[str, list[Resource]]]] = {}
        self._keys: dict[Any, Resource] | None = None
        self._named: dict[str, list[Resource]] | None = None
        #: a Terraform-shaped disk encryption set's own outcome (every disk and VM using it asks)
        self.intermediates: dict[Resource, _Outcome] = {}

    def find_id(self, arm_id: str) -> Resource | None:
        """The resource with this ARM id (exact, else by type, name, resource group and subscription:
        another plan's resource whose id is unknown in its own plan): the one resolver, links.py's."""
        return self.links.find(arm_id)

    # -- linking resources, by the resource they point at ----------------------------------------
    def links_to(self, target: Resource, link_type: str, link_attr: str) -> tuple[list[Resource], list[Resource]]:
        """(definite links, possible links) of `link_type` pointing at `target`."""
        key = (link_type, link_attr)
        if key not in self._links:
            self._links[key] = self._build_links(link_type, link_attr)
        definite, possible = self._links[key]
        found = list(definite.get(target.address, ()))
        if target.id:
            found += [r for r in definite.get("id:" + normalized(target.id), ()) if r not in found]
        # "*": links whose target cannot be resolved at all may point at any resource
        return found, [*possible.get(target.address, ()), *possible.get("*", ())]

    def _build_links(
        self, link_type: str, link_attr: str
    ) -> tuple[dict[str, list[Resource]], dict[str, list[Resource]]]:
        definite: dict[str, list[Resource]] = {}
        possible: dict[str, list[Resource]] = {}
        if link_type not in self.inventory.types:
            return definite, possible
        for link in self.inventory.resources(link_type):
            value = parent_resource_id(link.id) if link.schema == "arm" else link.get(link_attr)
            if isinstance(value, str) and value:
                definite.setdefault("id:" + normalized(value), []).append(link)
                target = self.find_id(value)
                if target is not None:
                    definite.setdefault(target.address, []).append(link)
            elif value is UNKNOWN or value is SENSITIVE:
                targets = narrow(link, [r for r in link.referenced(link_attr) if rule_for(r.type) is not None])
                into = definite if len(targets) == 1 else possible
                for target in targets:
                    into.setdefault(target.address, []).append(link)
                if not targets:
                    possible.setdefault("*", []).append(link)
        return definite, possible

    # -- keys by URL / id ------------------------------------------------------------------------
    def key_by_ident(self, ident: str) -> Resource | None:
        if self._keys is None:
            self._keys = {}
            keys = [r for r in (*self.inventory, *self.inventory.data_sources) if r.type in KEY_TYPES]
            for key in keys:
                for attr in ("id", "versionless_id", "resource_id", "resource_versionless_id"):
                    value = key.values.get(attr)
                    if isinstance(value, str) and value:
                        self._keys.setdefault(normalized(value), key)
                        coordinates = key_coordinates(value)
                        if coordinates:
                            self._keys.setdefault(coordinates, key)
                vault = vault_of(key)
                if vault is not None and isinstance(vault.name, str) and isinstance(key.name, str):
                    self._keys.setdefault((vault.name.lower(), key.name.lower()), key)
        found = self._keys.get(normalized(ident))
        if found is None:
            coordinates = key_coordinates(ident)
            if coordinates:
                found = self._keys.get(coordinates)
        return found

    def key_named(self, name: str) -> Resource | None:
        """The one managed key of the inventory with this name (None: none, or several)."""
        if self._named is None:
            self._named = {}
            for key in self.inventory:
                if key.type in KEY_TYPES and isinstance(key.name, str):
                    self._named.setdefault(key.name.lower(), []).append(key)
        found = self._named.get(name.lower(), [])
        return found[0] if len(found) == 1 else None

    def key_in_vault(self, vault: Resource, name: str) -> Resource | None:
        if isinstance(vault.name, str):
            return self.key_by_ident(f"https://{vault.name}.vault.azure.net/keys/{name}")
        return None


_INDEXES: weakref.WeakKeyDictionary[Inventory, _Index] = weakref.WeakKeyDictionary()


def _index(resource: Resource) -> _Index | None:
    inventory = resource.inventory
    if inventory is None:
        return None
    index = _INDEXES.get(inventory)
    if index is None:
        index = _INDEXES[inventory] = _Index(inventory)
    return index


def vault_of(key: Resource) -> Resource | None:
    """The Key Vault (or Managed HSM) holding a key, when the inventory has it."""

    def compute(key: Resource) -> Resource | None:
        index = _index(key)
        if key.schema == "arm":
            parent = parent_resource_id(key.id)
            return index.find_id(parent) if index and parent else None
        for attr in ("key_vault_id", "managed_hsm_id"):
            value = key.values.get(attr)
            if isinstance(value, str) and value and index is not None:
                return index.find_id(value)
            if value is UNKNOWN or value is None:
                vaults = narrow(key, [r for r in key.referenced(attr) if r.type in VAULT_TYPES])
                if len(vaults) == 1:
                    return vaults[0]
        return None

    return key.fact("key_vault", compute)


# ---------------------------------------------------------------------------------------------
# Evaluation of one resource


class _Evaluator:
    def __init__(self, resource: Resource, rule: CmkRule) -> None:
        self.r = resource
        self.rule = rule
        self.index = _index(resource)

    def run(self) -> Encryption:
        r, rule = self.r, self.rule
        if rule.unsupported and r.schema != "arm":
            return Encryption(False, how=rule.unsupported, rule=rule, kind="violation")
        switches = [(attr, r.get(attr)) for attr in rule.off] if r.schema != "arm" else []
        for attr, value in switches:
            if value is False:
                return Encryption(
                    False,
                    how=f"{attr} = false: data at rest is not encrypted (set it to true)",
                    rule=rule,
                    kind="violation",
                )
        results: list[tuple[Part, _Outcome]] = []
        for part in rule.parts:
            if r.schema == "arm":
                outcome = _any_of([self.arm(a, part) for a in part.arm], partial(self._none_how, part))
            elif not part.terraform:
                continue  # expressed by other resources in Terraform (a VM's data disks)
            else:
                outcome = _any_of([self.terraform(k) for k in part.terraform], partial(self._none_how, part))
                outcome = self.updated(part, outcome)
            results.append((part, outcome))
        keys = tuple(dict.fromkeys(k for _, o in results for k in o.keys))
        related = tuple(dict.fromkeys(a for _, o in results for a in o.related if a != r.address))
        label = len(rule.parts) > 1

        def text(part: Part, outcome: _Outcome) -> str:
            return f"{part.what}: {outcome.how}" if label else outcome.how

        bad = [(p, o) for p, o in results if o.status in (_NONE, _SERVICE)]
        if bad:
            how = "; ".join(text(p, o) for p, o in bad)
            return Encryption(False, None, keys, how, rule, "violation", related)
        open_ = [(p, o) for p, o in results if o.status in (_UNKNOWN, _OUTSIDE)]
        if open_:
            kind = "unknown" if any(o.status == _UNKNOWN for _, o in open_) else "outside"
            how = "; ".join(text(p, o) for p, o in open_)
            return Encryption(None, _first_key(keys), keys, how, rule, kind, related)
        how = "; ".join(text(p, o) for p, o in results) or "customer-managed key"
        unread = [attr for attr, value in switches if value is UNKNOWN or value is SENSITIVE]
        if unread:  # the key is ours, but whether encryption is on is known only after apply
            how = f"{how}; {', '.join(unread)} known after apply"
            return Encryption(None, _first_key(keys), keys, how, rule, "unknown", related)
        return Encryption(True, _first_key(keys), keys, how, rule, None, related)

    def updated(self, part: Part, outcome: _Outcome) -> _Outcome:
        """An azurerm resource switched by azapi updates (AVM's storage module sets the key in a
        second step): the last update that says something about the key decides."""
        for update in reversed(self.r.configured_by):
            if update.schema != "arm":
                continue
            paths = [p for a in part.arm for p in (a.when[0] if a.when else None, a.key, a.vault) if p]
            if any(arm_values(update.values, p) for p in paths):
                return _any_of([self.arm_on(update, a) for a in part.arm], partial(self._none_how, part))
        return outcome

    def _none_how(self, part: Part) -> str:
        if self.r.schema == "arm":
            where = " / ".join(a.describe().replace("`", "") for a in part.arm) or "no CMK property"
            return f"uses a Microsoft-managed key (not {where})"
        where = " / ".join(k.describe().replace("`", "") for k in part.terraform)
        return f"uses a Microsoft-managed key (no {where})"

    # -- Terraform shape -----------------------------------------------------------------------
    def terraform(self, k: KeyAt) -> _Outcome:
        if k.link_type is None:
            return self.holder(self.r, k)
        if self.index is None:
            return _Outcome(_NONE, "")
        links, possible = self.index.links_to(self.r, k.link_type, k.link_attr or "")
        if not links:
            if possible:
                names = ", ".join(p.address for p in possible)
                return _Outcome(
                    _UNKNOWN,
                    f"key unknown at plan time: a {k.link_type} ({names}) may point here",
                    [],
                    [p.address for p in possible],
                )
            return _Outcome(_NONE, "")
        outcomes = []
        for link in links:
            outcome = self.holder(link, k)
            if outcome.status == _NONE:
                # The trap: the linking resource exists but names no key (TDE without a key).
                attr = k.path if k.name_path is None else f"{k.path}/{k.name_path}"
                outcome = _Outcome(_SERVICE, f"{link.address} has no {attr}: service-managed key")
            outcome.related.append(link.address)
            outcomes.append(outcome)
        return _any_of(outcomes, "")

    def holder(self, h: Resource, k: KeyAt) -> _Outcome:
        """Evaluate `k.path` on `h` (the resource itself or a linking resource)."""
        if k.path in FLAGS:
            value = h.get(k.path)
            if value is UNKNOWN or value is SENSITIVE:
                return _Outcome(_UNKNOWN, f"{k.path} unknown at plan time")
            if value == FLAGS[k.path]:
                return _Outcome(_CMK, f"{k.path} = {value!r}")
            return _Outcome(_NONE, "")
        if "*" in k.path:
            prefix, _, rest = k.path.partition(".*")
            items = h.get(prefix)
            if items is UNKNOWN or items is SENSITIVE:
                return _Outcome(_UNKNOWN, f"key unknown at plan time ({prefix} unknown)")
            if not isinstance(items, list) or not items:
                return _Outcome(_EMPTY, f"no {prefix}")
            return _all_of([self.single(h, f"{prefix}.{i}{rest}", k) for i in range(len(items))])
        return self.single(h, k.path, k)

    def single(self, h: Resource, path: str, k: KeyAt) -> _Outcome:
        via = h.address if h is not self.r else None
        if k.name_path is not None:
            return self.key_by_name(h, path, k.name_path, via)
        value = h.get(path)
        if _blank(value):
            return _Outcome(_NONE, "")
        if k.via or k.delegate:
            wanted = (lambda r: r.type == k.via) if k.via else (lambda r: rule_for(r.type) is not None)
            targets, outcome = self.targets(h, path, value, wanted)
            if outcome is not None:
                return outcome
            if k.via:
                return _all_of([self.intermediate(t) for t in targets])
            return _all_of([self.inherited(t) for t in targets])
        return self.key_value(h, path, value, via)

    def targets(self, h: Resource, path: str, value: Any, wanted: Any) -> tuple[list[Resource], _Outcome | None]:
        """The resources an id attribute points to (by id, else by the configuration's references)."""
        if isinstance(value, str):
            target = self.index.find_id(value) if self.index else None
            if target is None:
                return [], _Outcome(_OUTSIDE, f"{path} = {value}: outside the inventory")
            return [target], None
        if value is UNKNOWN or value is SENSITIVE:
            found = narrow(h, [r for r in h.referenced(path) if wanted(r)])
            if found:
                return found, None
            return [], _Outcome(_UNKNOWN, f"key unknown at plan time ({path} has no resolvable reference)")
        return [], _Outcome(_NONE, "")

    def key_value(self, h: Resource, path: str, value: Any, via: str | None) -> _Outcome:
        if isinstance(value, str):
            key = self.index.key_by_ident(value) if self.index else None
            if key is None and not is_key_id(value):
                return _not_a_key(path, value)
            ref = KeyRef(key.address if key else None, value, via, key)
            return _Outcome(_CMK, f"{path} -> {ref}", [ref])
        if value is UNKNOWN or value is SENSITIVE:
            found = _referenced_key(h, path, h.referenced(path), via)
            return found or _Outcome(
                _UNKNOWN, f"key unknown at plan time ({path} is known after apply and references no key)"
            )
        return _Outcome(_NONE, "")

    def key_by_name(self, h: Resource, vault_path: str, name_path: str, via: str | None) -> _Outcome:
        """A key given as vault id + key name (azurerm_storage_account_customer_managed_key)."""
        name = h.get(name_path)
        vault_value = h.get(vault_path)
        if _blank(name) and _blank(vault_value):
            return _Outcome(_NONE, "")
        if name is UNKNOWN or name is SENSITIVE:
            found = _referenced_key(h, name_path, h.referenced(name_path), via)
            return found or _Outcome(_UNKNOWN, f"key unknown at plan time ({name_path} references no key)")
        if not isinstance(name, str) or not name:
            return _Outcome(_NONE, "")
        if not KEY_NAME.match(name):
            return _not_a_key(name_path, name, "key name")
        vault: Resource | None = None
        if isinstance(vault_value, str) and self.index:
            vault = self.index.find_id(vault_value)
            if vault is None and not is_vault_id(vault_value):
                return _not_a_key(vault_path, vault_value, "Key Vault or Managed HSM id")
        elif vault_value is UNKNOWN:
            vaults = narrow(h, [r for r in h.referenced(vault_path) if r.type in VAULT_TYPES])
            vault = vaults[0] if len(vaults) == 1 else None
        key = self.index.key_in_vault(vault, name) if vault is not None and self.index else None
        if key is not None:
            ref = KeyRef(key.address, None, via, key)
        else:
            where = vault.address if vault is not None else vault_value if isinstance(vault_value, str) else "?"
            ref = KeyRef(None, f"{where}/keys/{name}", via)
        return _Outcome(_CMK, f"{name_path} = {name} -> {ref}", [ref])

    def intermediate(self, des: Resource) -> _Outcome:
        """A disk encryption set: its own key (a copy of the first answer: a Terraform-shaped set's
        key reads nothing of the resource asking, and `_Outcome`s are changed by their callers)."""
        cache = self.index.intermediates if self.index is not None and des.schema != "arm" else None
        known = cache.get(des) if cache is not None else None
        if known is None:
            known = self._intermediate(des)
            if cache is not None:
                cache[des] = known
        return _Outcome(known.status, known.how, list(known.keys), list(known.related))

    def _intermediate(self, des: Resource) -> _Outcome:
        tf_keys, arm_keys = INTERMEDIATES[des.type]
        if des.schema == "arm":
            outcomes = [self.arm_on(des, a) for a in arm_keys]
        else:
            outcomes = [self.holder(des, k) for k in tf_keys]
        outcome = _any_of(outcomes, f"{des.address} has no key")
        if outcome.status == _NONE:
            outcome.status = _UNKNOWN  # a disk encryption set always has a key; we just cannot see it
        outcome.keys = [KeyRef(ref.address, ref.ident, ref.via or des.address, ref.resource) for ref in outcome.keys]
        outcome.how = f"{des.address} -> {outcome.how}"
        outcome.related.append(des.address)
        return outcome

    def inherited(self, target: Resource) -> _Outcome:
        enc = target.encryption
        if enc.customer_managed is True:
            return _Outcome(_CMK, f"inherits {target.address} ({enc.how})", list(enc.keys), [target.address])
        if enc.customer_managed is False:
            return _Outcome(_NONE, f"inherits {target.address}, which is not customer-managed ({enc.how})")
        status = _OUTSIDE if enc.kind == "outside" else _UNKNOWN
        return _Outcome(status, f"inherits {target.address}: {enc.how}", list(enc.keys), [target.address])

    # -- ARM shape -------------------------------------------------------------------------------
    def arm_child(self, h: Resource, a: ArmAt) -> _Outcome:
        """`a` read on the child `{id}/{a.child}` (the TDE protector); live, a child not read is unknown."""
        child_id = f"{h.id}/{a.child}" if h.id else None
        child = self.index.find_id(child_id) if child_id and self.index else None
        if child is None:
            if h.source == "live":
                return _Outcome(_UNKNOWN, f"{a.child} was not read from live Azure")
            return _Outcome(_NONE, "")
        outcome = self.arm_on(child, a._replace(child=None))
        if outcome.status == _NONE and outcome.how:
            outcome.how = f"{child.address}: {outcome.how}"
        outcome.related.append(child.address)
        return outcome

    def arm(self, a: ArmAt, part: Part) -> _Outcome:
        outcome = self.arm_on(self.r, a)
        if outcome.status == _EMPTY and not part.optional:
            return _Outcome(_NONE, "")
        return outcome

    def arm_on(self, h: Resource, a: ArmAt) -> _Outcome:
        if a.child is not None:
            return self.arm_child(h, a)
        values = h.values
        if a.when is not None:
            found = arm_values(values, a.when[0])
            if any(v is UNKNOWN or v is SENSITIVE for v in found):
                return _Outcome(_UNKNOWN, f"{a.when[0]} unknown")
            if not found or any(str(v).lower() != a.when[1].lower() for v in found):
                shown = found[0] if found else "not set"
                return _Outcome(_NONE, f"{a.when[0]} = {shown}")
            if a.key is None and not a.delegate:
                return _Outcome(_CMK, f"{a.when[0]} = {a.when[1]}")
        if a.key is None:  # delegate to the parent in the ARM id
            parent = parent_resource_id(h.id)
            target = self.index.find_id(parent) if parent and self.index else None
            if target is None:
                return _Outcome(_OUTSIDE, f"parent {parent} outside the inventory")
            return self.inherited(target)
        read = _arm_keys(values, a)
        if isinstance(read, _Outcome):
            if read.status == _UNKNOWN and not (a.via or a.delegate):
                return self.arm_referenced_key(h, a) or read
            return read
        found = read
        if a.via or a.delegate:
            outcomes = []
            for value in found:
                target = self.index.find_id(str(value)) if self.index else None
                if target is None:
                    outcomes.append(_Outcome(_OUTSIDE, f"{a.key} = {value}: outside the inventory"))
                elif a.via:
                    outcomes.append(self.intermediate(target))
                else:
                    outcomes.append(self.inherited(target))
            return _all_of(outcomes)
        vaults = arm_values(values, a.vault) if a.vault else []
        outcomes = []
        for i, value in enumerate(found):
            ident = str(value)
            if a.vault and i < len(vaults) and isinstance(vaults[i], str):
                ident = f"{vaults[i].rstrip('/')}/keys/{value}"
                key = self.index.key_by_ident(ident) if self.index else None
            elif a.vault and i < len(vaults) and vaults[i] is UNKNOWN and self.index:
                # the vault URI is known only after apply (an azapi body naming the vault's
                # `vault_uri`): the key of that name, when the inventory holds exactly one
                key = self.index.key_named(ident)
                if key is None:
                    outcomes.append(_Outcome(_UNKNOWN, f"{a.vault} known after apply; no key {ident!r} found"))
                    continue
            else:
                key = self.index.key_by_ident(ident) if self.index else None
            if key is None and not is_key_id(ident):
                outcomes.append(_not_a_key(a.key if not a.vault else f"{a.vault} + {a.key}", ident))
                continue
            ref = KeyRef(key.address if key else None, ident, h.address if h is not self.r else None, key)
            outcomes.append(_Outcome(_CMK, f"{a.key} -> {ref}", [ref]))
        return _all_of(outcomes)

    def arm_referenced_key(self, h: Resource, a: ArmAt) -> _Outcome | None:
        """An ARM key known only after apply, from a key the configuration references: the azapi
        body (`keyname = azurerm_key_vault_key.k.name`, through locals and module variables) is one
        expression, so its references are the body's."""
        assert a.key is not None
        via = h.address if h is not self.r else None
        return _referenced_key(h, a.key, h.referenced(a.key) or h.referenced("body"), via)


def _not_a_key(path: str, value: str, what: str = "Key Vault or Managed HSM key id") -> _Outcome:
    """A string where a key belongs that names no key (`"yadaya"`): no customer-managed key."""
    shown = value if len(value) <= 80 else value[:77] + "..."
    return _Outcome(
        _NONE, f"{path} = {shown!r} is not a {what} (https://<vault>.vault.azure.net/keys/<name>, or its ARM id)"
    )


def _referenced_key(h: Resource, path: str, referenced: list[Resource], via: str | None) -> _Outcome | None:
    """A key known only after apply: the keys the configuration references there (None: none)."""
    keys = narrow(h, [r for r in referenced if r.type in KEY_TYPES])
    if not keys:
        return None
    refs = [KeyRef(key.address, None, via, key) for key in keys]
    return _Outcome(_CMK, f"{path} -> {', '.join(map(str, refs))}", refs)


def _arm_keys(values: Any, a: ArmAt) -> list[Any] | _Outcome:
    """The key values `a` names, or the outcome when there is none to follow.

    A `[*]` path is read per element: an empty (or absent) collection is `_EMPTY` (nothing to
    judge), an element without a key is `_NONE`, a collection or element that is not the shape
    ARM gives (not a list, not an object) is `_UNKNOWN`, never a pass.
    """
    assert a.key is not None
    paths = (a.key, *a.also)
    if "[*]" not in a.key:
        found = [v for path in paths for v in arm_values(values, path)]
        if any(v is UNKNOWN or v is SENSITIVE for v in found):
            return _Outcome(_UNKNOWN, f"key unknown ({a.key} known after apply)")
        found = [v for v in found if not _blank(v)]
        return found or _Outcome(_NONE, "")
    prefix = a.key.split("[*]", 1)[0]
    rests = [path.split("[*].", 1)[1] for path in paths]
    collections = arm_values(values, prefix)
    if any(c is UNKNOWN or c is SENSITIVE for c in collections):
        return _Outcome(_UNKNOWN, f"key unknown ({prefix} known after apply)")
    if any(not isinstance(c, list) for c in collections):
        return _Outcome(_UNKNOWN, f"{prefix} is not a list: cannot be read")
    elements = [e for c in collections for e in c]
    if not elements:
        return _Outcome(_EMPTY, f"no {prefix.rsplit('.', 1)[-1]}")
    keys: list[Any] = []
    for i, element in enumerate(elements):
        if not isinstance(element, dict):
            return _Outcome(_UNKNOWN, f"{prefix}[{i}] is not an object: cannot be read")
        values_here = [v for rest in rests for v in arm_values(element, rest)]
        if any(v is UNKNOWN or v is SENSITIVE for v in values_here):
            return _Outcome(_UNKNOWN, f"key unknown ({prefix}[{i}] known after apply)")
        chosen = next((v for v in values_here if not _blank(v)), None)
        if chosen is None:
            return _Outcome(_NONE, f"{prefix}[{i}] has no {rests[0]}")
        keys.append(chosen)
    return keys


def _first_key(keys: tuple[KeyRef, ...]) -> str | None:
    return str(keys[0]) if keys else None
