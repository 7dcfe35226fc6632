"""azapi as Terraform applies it, for the plan and HCL sources alike.

- `azapi_update_resource` is no resource of its own: it PATCHes its body into the resource it
  names (`resource_id`, or `parent_id` + `name`). Its body is merged into that resource's ARM shape
  (an `azapi_resource`), or, for an azurerm-shaped resource, onto the azurerm attributes the live
  attribute table knows for that ARM path; ARM paths no azurerm attribute answers are a ledger gap
  on the target (`value`): the checks say unknown for it, never a verdict on half of its state.
- `azapi_resource_action` with `method = "PUT"` / `"PATCH"` (run at apply) is the resource it
  writes: AVM's VM module protects a VM with a backup by PUTting a `protectedItems` resource. Other
  actions (POST, DELETE, `when = "destroy"`) leave no resource behind.
- `azapi_resource` whose type, parent and name are those of a resource the configuration already
  holds is that resource (AVM patterns that manage properties azurerm lacks): merged, not doubled.

An update whose target is not in the configuration (an existing resource, a data source) is a
gap: what it changes is not assessed, and nothing stands in for the resource.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any

from ..arm import normalized, parse_arm_id
from ..model import SENSITIVE, UNKNOWN, Ledger, Resource

_WRITING_METHODS = frozenset({"PUT", "PATCH"})
_FIX = "set resource_id to the resource this configuration declares, or check a plan of the root that declares it"


def terraform_type(r: Resource) -> str:
    """The Terraform type the block was written with (`azapi_update_resource`), which `r.type` no
    longer says once azapi resources take the azurerm type of their ARM type."""
    local = r.source_address[len(r.module) + 1 :] if r.module else r.source_address
    return local.split(".", 1)[0]


def body_of(values: dict[str, Any]) -> Any:
    body = values.get("body")
    if isinstance(body, str):  # azapi 1.x: jsonencode(...)
        try:
            return json.loads(body)
        except ValueError:
            return UNKNOWN
    return body


def apply_azapi(resources: list[Resource], ledger: Ledger) -> list[Resource]:
    """The resources after azapi updates, actions and re-declarations are applied to their targets."""
    # only a block written as azapi_* can be one: it has ARM values, or kept its azapi type (a body
    # type not known before apply); no such block, nothing to apply (the common case, and fast)
    if not any(r.schema == "arm" or r.type.startswith("azapi_") for r in resources):
        return resources
    kinds = [terraform_type(r) if r.mode == "managed" else "" for r in resources]
    if not any(k in ("azapi_update_resource", "azapi_resource_action", "azapi_resource") for k in kinds):
        return resources
    kept: list[Resource] = []
    pending: list[tuple[Resource, str]] = []
    for r, kind in zip(resources, kinds, strict=True):
        if kind == "azapi_resource_action":
            if not _writes(r):
                continue
            _as_written_resource(r)
            kept.append(r)
        elif kind in ("azapi_update_resource", "azapi_resource") and r.schema == "arm":
            pending.append((r, kind))
            kept.append(r)
        else:
            kept.append(r)
    index = _Index(kept)
    dropped: set[int] = set()
    for r, kind in pending:
        target = index.target(r, kind)
        if target is None:
            if kind == "azapi_update_resource":
                dropped.add(id(r))
                if not _may_change_a_verdict(r):
                    continue  # a feature registration, an AKS version: nothing any check reads
                ledger.record(
                    "value",
                    r.address,
                    f"{r.address} updates {_describe_target(r)}, which this configuration does not declare: "
                    "its changes are not assessed",
                    _FIX,
                    address=r.address,
                    types=(r.type,),
                )
            continue
        merge_into(target, r, ledger)
        dropped.add(id(r))
    return [r for r in kept if id(r) not in dropped]


def _may_change_a_verdict(update: Resource) -> bool:
    """Does the update set something a check reads on its type (a body not known may)?"""
    read = checked_paths(update.type) if update.type else ()
    if not read:
        return False
    body = body_of(update.values)
    if not isinstance(body, dict):
        return True
    return bool(_checked_leaves(body, read))


def _writes(r: Resource) -> bool:
    method = r.values.get("method")
    method = method.upper() if isinstance(method, str) else "POST"  # azapi's default
    return method in _WRITING_METHODS and r.values.get("when") != "destroy"


def _as_written_resource(r: Resource) -> None:
    """A PUT/PATCH action is the resource at its `resource_id`: give it that id."""
    rid = r.values.get("resource_id")
    r.values["id"] = rid
    r.id = rid if isinstance(rid, str) else None
    parsed = parse_arm_id(rid)
    if parsed is not None and isinstance(parsed.name, str):
        r.values["name"] = parsed.name
        r.name = parsed.name


def _describe_target(r: Resource) -> str:
    rid = r.values.get("resource_id")
    if isinstance(rid, str):
        return rid
    refs = [a for a in r.references("resource_id") or r.references("parent_id") if not a.startswith("data.")]
    return refs[0] if refs else f"a {r.arm_type} known only after apply"


class _Index:
    """The resources an update may target: by ARM id, by (ARM type, name)."""

    def __init__(self, resources: list[Resource]) -> None:
        self.by_id: dict[str, Resource] = {}
        self.by_name: dict[tuple[str, str], list[Resource]] = {}
        self.by_type: dict[str, list[Resource]] = {}
        for r in resources:
            if r.mode != "managed" or terraform_type(r) == "azapi_update_resource":
                continue
            if r.arm_type:
                self.by_type.setdefault(r.arm_type.lower(), []).append(r)
            if isinstance(r.id, str) and r.id:
                self.by_id.setdefault(normalized(r.id), r)
            if r.arm_type and isinstance(r.name, str):
                self.by_name.setdefault((r.arm_type.lower(), r.name.lower()), []).append(r)

    def target(self, update: Resource, kind: str) -> Resource | None:
        if kind == "azapi_resource":
            return self._redeclared(update)
        rid = update.values.get("resource_id")
        if not isinstance(rid, str) and isinstance(update.id, str):
            rid = update.id  # parent_id + name, shaped into an id
        if isinstance(rid, str):
            found = self.by_id.get(normalized(rid))
            if found is not None and found is not update:
                return found
            parsed = parse_arm_id(rid)
            if parsed is not None and parsed.arm_type and parsed.name:
                return self._named(update, parsed.arm_type, parsed.name, parsed.resource_group)
            return None
        referenced = [t for t in update.referenced("resource_id") if _same_type(t, update)]
        if len(referenced) > 1 and update.index is not None:
            referenced = [t for t in referenced if t.index == update.index] or referenced
        if len(referenced) == 1:
            return referenced[0]
        if isinstance(update.name, str) and update.arm_type:
            return self._named(update, update.arm_type, update.name, _group_of_parent(update))
        return self._same_expression(update)

    def _same_expression(self, update: Resource) -> Resource | None:
        """The one resource of the update's type whose `resource_id` is built from the same
        references, in the same module instance (AVM's VM backup: an action PUTs the protected
        item at `local.item_id`, an update then manages it at `local.item_id`)."""
        refs = frozenset(update.raw_references("resource_id"))
        if not refs or not update.arm_type:
            return None
        found = [
            r
            for r in self.by_type.get(update.arm_type.lower(), ())
            if r is not update
            and r.module == update.module
            and r.index == update.index
            and frozenset(r.raw_references("resource_id")) == refs
        ]
        return found[0] if len(found) == 1 else None

    def _redeclared(self, r: Resource) -> Resource | None:
        """An `azapi_resource` naming a resource that another block (azurerm, an action) declares."""
        if isinstance(r.id, str):
            found = self.by_id.get(normalized(r.id))
            if found is not None and found is not r and terraform_type(found) != "azapi_resource":
                return found
        if not (isinstance(r.name, str) and r.arm_type and r.arm_type.count("/") == 1):
            return None  # a child type: only its whole id tells which parent it sits under
        group = _group_of_parent(r)
        if group is None:
            return None
        found = self._named(r, r.arm_type, r.name, group)
        return found if found is not None and terraform_type(found) != "azapi_resource" else None

    def _named(self, update: Resource, arm_type: str, name: str, group: str | None) -> Resource | None:
        candidates = [
            r for r in self.by_name.get((arm_type.lower(), name.lower()), ()) if r is not update and _in_group(r, group)
        ]
        return candidates[0] if len(candidates) == 1 else None


def _group_of_parent(r: Resource) -> str | None:
    """The resource group `parent_id` names: from the id, else from the resource group it references."""
    parent = r.values.get("parent_id")
    parsed = parse_arm_id(parent) if isinstance(parent, str) else None
    if parsed is not None:
        return parsed.resource_group
    groups = [t for t in r.referenced("parent_id") if t.type == "azurerm_resource_group"]
    return groups[0].name if len(groups) == 1 and isinstance(groups[0].name, str) else None


def _same_type(target: Resource, update: Resource) -> bool:
    return bool(target.arm_type and update.arm_type and target.arm_type.lower() == update.arm_type.lower())


def _in_group(r: Resource, group: str | None) -> bool:
    if group is None:
        return True
    own = r.values.get("resource_group_name")
    if not isinstance(own, str) and isinstance(r.id, str):
        parsed = parse_arm_id(r.id)
        own = parsed.resource_group if parsed is not None else None
    if not isinstance(own, str):
        parent = r.values.get("parent_id")
        parsed = parse_arm_id(parent) if isinstance(parent, str) else None
        own = parsed.resource_group if parsed is not None else None
    return not isinstance(own, str) or own.lower() == group.lower()


# ---------------------------------------------------------------------------------------------
# Merging a body into its target


def deep_merge(base: Any, patch: Any) -> Any:
    """ARM's PATCH: objects merge key by key, anything else is replaced."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            out[key] = deep_merge(base.get(key), value)
        return out
    return patch


def merge_into(target: Resource, update: Resource, ledger: Ledger) -> None:
    body = body_of(update.values)
    target.configured_by = (*target.configured_by, update)  # its references are the target's too
    if target.schema == "arm":
        if body is UNKNOWN or body is SENSITIVE:
            target.values["properties"] = body
        elif isinstance(body, dict):
            for key, value in body.items():
                target.values[key] = deep_merge(target.values.get(key), value)
        target._facts = None  # facts derived before the merge no longer hold
    else:
        _onto_azurerm(target, update, body, ledger)
    if isinstance(body, dict) and "tags" in body:  # ARM replaces the tags as a whole, either shape
        tags = body["tags"]
        target.values["tags"] = tags
        target.tags = tags if isinstance(tags, dict) or tags is UNKNOWN else {}


def _onto_azurerm(target: Resource, update: Resource, body: Any, ledger: Ledger) -> None:
    """An ARM body onto an azurerm-shaped resource: the attributes the live table maps are set;
    a path some check reads that no attribute answers is a gap on the target; the rest (an AKS
    cluster's `properties.kubernetesVersion`) changes no verdict and is left alone."""
    from ..model import arm_values
    from .live.attributes import ABSENT, ATTRIBUTES

    attrs = ATTRIBUTES.get(target.type, ())
    if not isinstance(body, dict):
        unread = ["body"]  # unknown or sensitive as a whole: it may change anything
    else:
        # the CMK check reads the key from the update itself (encryption.Reader.updated)
        read = [p for p in checked_paths(target.type) if p not in _cmk_arm_paths(target.type)]
        unread = [path for path in _checked_leaves(body, read) if not any(_within(path, a.path) for a in attrs)]
        for attr in attrs:
            found = arm_values(body, attr.path)
            if not found:
                continue
            value = attr.convert(found if "[*]" in attr.path else found[0])
            if value is not ABSENT:
                target.values[attr.name] = value
        target._facts = None
    if unread:
        shown = ", ".join(unread[:3]) + (", ..." if len(unread) > 3 else "")
        ledger.record(
            "value",
            update.address,
            f"{update.address} sets {shown} on {target.address}, which no azurerm attribute answers: "
            f"{target.address} is not assessed on them",
            "set them on the azurerm resource itself, or declare the resource with azapi_resource",
            address=target.address,
            types=(target.type,),
        )


#: ARM paths the network checks read (topology, isolation), by azurerm type; the CMK, SLA,
#: backup and replication tables name their own
NETWORK_PATHS: dict[str, tuple[str, ...]] = {
    "azurerm_virtual_network": (
        "properties.addressSpace",
        "properties.subnets",
        "properties.virtualNetworkPeerings",
        "properties.dhcpOptions",
    ),
    "azurerm_subnet": (
        "properties.addressPrefix",
        "properties.addressPrefixes",
        "properties.networkSecurityGroup",
        "properties.routeTable",
    ),
    "azurerm_network_security_group": ("properties.securityRules",),
    "azurerm_network_security_rule": ("properties",),
    "azurerm_route_table": ("properties.routes",),
    "azurerm_virtual_network_peering": ("properties.remoteVirtualNetwork",),
    "azurerm_network_interface": ("properties.ipConfigurations",),
    "azurerm_private_endpoint": (
        "properties.subnet",
        "properties.privateLinkServiceConnections",
        "properties.manualPrivateLinkServiceConnections",
    ),
    "azurerm_virtual_network_gateway": ("properties.gatewayType", "properties.ipConfigurations"),
    "azurerm_application_gateway": ("properties.frontendIPConfigurations", "properties.gatewayIPConfigurations"),
    "azurerm_lb": ("properties.frontendIPConfigurations",),
    "azurerm_firewall": ("properties.ipConfigurations", "properties.firewallPolicy"),
    "azurerm_firewall_policy_rule_collection_group": ("properties.ruleCollections",),
}


@functools.cache
def _cmk_arm_paths(azurerm_type: str) -> frozenset[str]:
    from ..rules import cmk

    rule = cmk.rule_for(azurerm_type)
    paths = [p for part in (rule.parts if rule else ()) for a in part.arm for p in (a.key, a.vault, *a.also) if p] + [
        a.when[0] for part in (rule.parts if rule else ()) for a in part.arm if a.when
    ]
    return frozenset(p.replace("[*]", "").lower() for p in paths)


@functools.cache
def checked_paths(azurerm_type: str) -> tuple[str, ...]:
    """Every ARM path (no `[*]`) a check reads on a resource of this type: the CMK, SLA, backup,
    replication and network tables. An update setting none of them changes no verdict."""
    from ..checks.backups import INFRA_BACKUPS  # tables of the checks; read lazily (sources come first)
    from ..checks.isolation import REPLICATIONS
    from ..rules import cmk, sla

    paths: list[str] = [*NETWORK_PATHS.get(azurerm_type, ())]
    cmk_rule = cmk.rule_for(azurerm_type)
    for part in cmk_rule.parts if cmk_rule is not None else ():
        for a in part.arm:
            paths += [p for p in (a.key, a.vault, a.when[0] if a.when else None, *a.also) if p]
    if azurerm_type in cmk.INTERMEDIATES:
        paths += [a.key for a in cmk.INTERMEDIATES[azurerm_type][1] if a.key]
    sla_rule = sla.rule_for(azurerm_type)
    paths += [f.arm for f in sla_rule.fields if f.arm] if sla_rule is not None else []
    for backup in INFRA_BACKUPS:
        if backup.type == azurerm_type:
            paths += [p for p in (backup.arm_protects, backup.arm_kind[0] if backup.arm_kind else None) if p]
    for replication in REPLICATIONS:
        if replication.type == azurerm_type:
            paths += [p for p in (replication.arm_this, replication.arm_other) if p]
    return tuple(dict.fromkeys(p.replace("[*]", "").lower() for p in paths))


def _within(path: str, prefix: str) -> bool:
    path, prefix = path.lower(), prefix.replace("[*]", "").lower()
    return path == prefix or path.startswith(prefix + ".")


def _overlaps(path: str, read: str) -> bool:
    """One path at or under the other (a body setting `properties.encryption` sets what
    `properties.encryption.keySource` reads, and the other way round)."""
    return _within(path, read) or _within(read, path)


def _checked_leaves(body: dict[str, Any], read: Iterable[str]) -> list[str]:
    """The paths a body sets that some check reads (at, above or under a path it reads)."""
    read = tuple(read)
    return [path for path in _leaf_paths(body) if any(_overlaps(path, r) for r in read)]


def _leaf_paths(value: Any, prefix: str = "") -> list[str]:
    if isinstance(value, dict) and value:
        out: list[str] = []
        for key, inner in value.items():
            out.extend(_leaf_paths(inner, f"{prefix}{'.' if prefix else ''}{key}"))
        return out
    return [prefix] if prefix else []
