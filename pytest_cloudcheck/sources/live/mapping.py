"""ARM JSON (as Resource Graph and the data planes return it) -> `Resource`s.

Values stay ARM-shaped (`schema == "arm"`): `id`, `name`, `type`, `location`, `tags`,
`properties`..., with the azurerm attribute names of their type next to them (`live_attributes`),
so tests written against a plan read the same names live. The azurerm type comes from the type
table. Child resources ARM returns inside their parent (subnets, peerings, security rules,
routes) become resources of their own, as they are in Terraform.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...azure_types import BY_ARM, azurerm_type_of
from ...azure_types import dig as _dig
from ...errors import SourceError
from ...model import Resource
from .attributes import attributes_for

#: Resource Graph spells some types differently from ARM's provider namespaces
_TYPE_ALIASES = {"microsoft.resources/subscriptions/resourcegroups": "Microsoft.Resources/resourceGroups"}

#: parent ARM type -> (property holding the children, child ARM type)
CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    "microsoft.network/virtualnetworks": (
        ("subnets", "Microsoft.Network/virtualNetworks/subnets"),
        ("virtualNetworkPeerings", "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"),
    ),
    "microsoft.network/networksecuritygroups": (
        ("securityRules", "Microsoft.Network/networkSecurityGroups/securityRules"),
    ),
    "microsoft.network/routetables": (("routes", "Microsoft.Network/routeTables/routes"),),
}


def canonical_arm_type(raw: str) -> str:
    """`microsoft.storage/storageaccounts` -> `Microsoft.Storage/storageAccounts` (as the type table spells it)."""
    lowered = raw.lower()
    if lowered in _TYPE_ALIASES:
        return _TYPE_ALIASES[lowered]
    rows = BY_ARM.get(lowered)
    return rows[0].arm if rows else raw


def azurerm_type(arm_type: str, values: dict[str, Any]) -> str:
    """The azurerm type of an ARM resource; an ARM type the table does not know stays as it is."""
    return azurerm_type_of(arm_type, values) or arm_type


def live_resource(values: dict[str, Any], label: str, arm_type: str | None = None) -> Resource:
    arm_id = values.get("id")
    raw_type = arm_type or values.get("type")
    if not isinstance(arm_id, str) or not isinstance(raw_type, str):
        raise SourceError(label, f"Resource Graph returned a row without id or type: {sorted(values)[:8]}")
    canonical = canonical_arm_type(raw_type)
    resource_type = azurerm_type(canonical, values)
    return Resource(
        address=arm_id,
        type=resource_type,
        arm_type=canonical,
        values={**values, **attributes_for(resource_type, values)},
        source="live",
        schema="arm",
        source_label=label,
    )


def to_resources(rows: Iterable[dict[str, Any]], label: str) -> list[Resource]:
    """Resources for Resource Graph rows, children included."""
    out: list[Resource] = []
    for row in rows:
        parent = live_resource(row, label)
        out.append(parent)
        for prop, child_type in CHILDREN.get(parent.arm_type.lower() if parent.arm_type else "", ()):
            children = _dig(row, f"properties.{prop}")
            for child in children if isinstance(children, list) else ():
                if isinstance(child, dict) and isinstance(child.get("id"), str):
                    child = {"type": child_type, **child}
                    out.append(live_resource(child, label, child_type))
    return out
