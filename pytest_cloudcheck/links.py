"""Links between resources: an attribute that points at another resource, resolved to it.

A link is found by ARM id when the value is known (`Inventory.by_id`, else by type + name +
resource group + subscription parsed from the id: the other end may sit in another plan file where
its own id is still unknown), and through the plan's configuration references when the value is
unknown at plan time (`Resource.referenced`). Works on both value shapes: Terraform attribute
paths (`schema == "azurerm"`) and ARM paths (`schema == "arm"`, read case-insensitively).

Indexes are built once per inventory, so resolving every link of a 50k-resource plan is linear.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any, NamedTuple

from .arm import ArmId, normalized, parent_of, parse_arm_id
from .model import SENSITIVE, UNKNOWN, Inventory, Resource
from .model import arm_values as arm_get  # one ARM path reader for every module

BY_ID = "ARM id"
BY_REFERENCE = "configuration reference"


class Target(NamedTuple):
    """One end of a link: a resource of the inventory, or only the id it was given as."""

    resource: Resource | None
    ident: str | None
    #: how it was found: `BY_ID` or `BY_REFERENCE`
    via: str

    def describe(self) -> str:
        return self.resource.address if self.resource is not None else (self.ident or "(unknown)")


class Resolved(NamedTuple):
    """What an attribute points at: targets, or `unknown` when it cannot be told at plan time."""

    targets: tuple[Target, ...] = ()
    unknown: bool = False


NOTHING = Resolved()
UNRESOLVED = Resolved(unknown=True)


def tf_get(values: Any, path: str) -> list[Any]:
    """Every value at a dotted Terraform path; a step into a list of blocks walks every block."""
    if "." not in path and isinstance(values, dict):  # one attribute of a resource: the usual ask
        if path not in values:
            return []
        value = values[path]
        return list(value) if isinstance(value, list) else [value]
    current = [values]
    for step in path.split("."):
        following: list[Any] = []
        for node in current:
            if node is UNKNOWN or node is SENSITIVE:
                following.append(node)
            elif isinstance(node, list):
                for element in node:
                    if element is UNKNOWN or element is SENSITIVE:
                        following.append(element)
                    elif isinstance(element, dict) and step in element:
                        following.append(element[step])
            elif isinstance(node, dict) and step in node:
                following.append(node[step])
        current = following
    out: list[Any] = []
    for value in current:  # a list attribute (`address_space`, `identity_ids`) gives its elements
        if isinstance(value, list):
            out.extend(value)
        else:
            out.append(value)
    return out


class Links:
    """Link resolution over one inventory (get it with `links_of(inventory)`)."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self._by_name: dict[tuple[str, str], list[Resource]] | None = None

    # -- by ARM id -------------------------------------------------------------------------------
    def find(self, arm_id: Any) -> Resource | None:
        """The resource with this ARM id: exactly, else by type + name + group + subscription."""
        if not isinstance(arm_id, str) or not arm_id:
            return None
        found = self.inventory.by_id(arm_id)
        if found is not None:
            return found
        parts = parse_arm_id(arm_id)
        if parts is None or parts.arm_type is None or parts.name is None:
            return None
        return self._by_place(parts, arm_id)

    def find_named(self, arm_type: str, name: Any, group: Any, subscription: str | None) -> Resource | None:
        """The resource of this ARM type named `name` in resource group `group` (when known)."""
        if not isinstance(name, str) or not name:
            return None
        return self._by_place(
            ArmId(subscription, group if isinstance(group, str) else None, arm_type, name, None), None
        )

    def _by_place(self, parts: ArmId, arm_id: str | None) -> Resource | None:
        assert parts.arm_type is not None and parts.name is not None
        if self._by_name is None:
            index: dict[tuple[str, str], list[Resource]] = {}
            for r in (*self.inventory, *self.inventory.data_sources):
                if r.arm_type and isinstance(r.name, str):
                    index.setdefault((r.arm_type.lower(), r.name.lower()), []).append(r)
            self._by_name = index
        candidates = [
            r
            for r in self._by_name.get((parts.arm_type.lower(), parts.name.lower()), ())
            if _same_place(r, parts) and not (arm_id and r.id and normalized(r.id) != normalized(arm_id))
        ]
        managed = [r for r in candidates if not r.is_data_source]
        candidates = managed or candidates
        return candidates[0] if len(candidates) == 1 else None

    def parent(self, r: Resource) -> Resource | None:
        """The parent of an ARM-shaped child (azapi's `parent_id`, else from its own id); a
        `parent_id` known only after apply is the one resource its configuration references."""
        candidates = self.parent_candidates(r)
        return candidates[0] if len(candidates) == 1 else None

    def parent_candidates(self, r: Resource) -> list[Resource]:
        """`parent`, or every resource of the parent's type that a `parent_id` known only after
        apply may come from (a subnet module called for each subnet of several hubs)."""
        found = self.find(parent_of(r))
        if found is not None:
            return [found]
        if r.values.get("parent_id") is not UNKNOWN or not r.arm_type or r.arm_type.count("/") < 2:
            return []
        parent_type = r.arm_type.rsplit("/", 1)[0].lower()  # a subnet's parent is a VNet
        return narrow(r, [c for c in r.referenced("parent_id") if (c.arm_type or "").lower() == parent_type])

    # -- attributes ------------------------------------------------------------------------------
    def resolve(self, resource: Resource, path: str, *, arm_path: str | None = None) -> Resolved:
        """What `path` (Terraform) or `arm_path` (ARM shape) of `resource` points at."""
        if resource.schema == "arm":
            if arm_path is None:
                return NOTHING
            return self._from_values(resource, arm_get(resource.values, arm_path), None)
        return self._from_values(resource, tf_get(resource.values, path), path)

    def resolve_value(self, resource: Resource, value: Any, path: str | None) -> Resolved:
        """Resolve a value already read (a list element, a parsed id), with `path` for references."""
        return self._from_values(resource, [value], path)

    def _from_values(self, resource: Resource, values: Iterable[Any], path: str | None) -> Resolved:
        targets: list[Target] = []
        unknown = False
        for value in values:
            if isinstance(value, str) and value:
                targets.append(Target(self.find(value), value, BY_ID))
            elif value is UNKNOWN or value is SENSITIVE:
                unknown = True
        if unknown and path is not None:
            referenced = resource.referenced(path)
            if referenced:
                targets.extend(Target(r, r.id, BY_REFERENCE) for r in narrow(resource, referenced))
                unknown = False
        if not targets and not unknown:
            return NOTHING
        return Resolved(tuple(targets), unknown)


def _same_place(r: Resource, parts: ArmId) -> bool:
    """The resource can be the one the id names: same resource group and subscription when known."""
    if parts.resource_group is not None:
        group = r.values.get("resource_group_name")
        if not isinstance(group, str) and r.id:
            group = (parse_arm_id(r.id) or ArmId(None, None, None, None, None)).resource_group
        if isinstance(group, str) and group.lower() != parts.resource_group.lower():
            return False
    own = r.subscription_id
    return not (parts.subscription and own and own != parts.subscription)


def narrow(holder: Resource, candidates: list[Resource]) -> list[Resource]:
    """`x.this[each.key]` keeps no key in references: prefer the holder's own instance key."""
    if len(candidates) > 1 and holder.index is not None:
        same = [r for r in candidates if r.index == holder.index]
        if same:
            return same
    return candidates


_LINKS: weakref.WeakKeyDictionary[Inventory, Links] = weakref.WeakKeyDictionary()


def links_of(inventory: Inventory) -> Links:
    """The (cached) link resolver of an inventory."""
    links = _LINKS.get(inventory)
    if links is None:
        links = _LINKS[inventory] = Links(inventory)
    return links
