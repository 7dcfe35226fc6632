"""ARM ids and ARM-shaped values: the one parser for every source and check.

ARM ids are compared whole and case-insensitively (ARM itself treats them so); the resolver over an
inventory is `links.Links.find`, which never takes a same-named resource of another subscription or
resource group. An azapi resource's `body` and a live Resource Graph row have the same shape
(`id`, `type`, `properties`), so both are read through here.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from .model import SENSITIVE, UNKNOWN

if TYPE_CHECKING:
    from .model import Resource

_SUBSCRIPTION = re.compile(r"^/subscriptions/([^/]+)", re.IGNORECASE)
_GROUP = re.compile(r"^/subscriptions/[^/]+/resourcegroups/([^/]+)", re.IGNORECASE)
_PROVIDERS = "/providers/"


class ArmId(NamedTuple):
    """The parts of an ARM resource id."""

    subscription: str | None
    resource_group: str | None
    #: full ARM type of the last resource in the id (`Microsoft.Network/virtualNetworks/subnets`)
    arm_type: str | None
    name: str | None
    #: the id without its last resource (a child's parent, an extension resource's target, a
    #: top-level resource's resource group)
    parent: str | None

    @property
    def parent_resource(self) -> str | None:
        """The parent when it is a resource itself (a child's parent, an extension's target), not
        the resource group or subscription a top-level resource sits in."""
        parent = self.parent
        return parent if parent is not None and _PROVIDERS in parent.lower() else None


def parse_arm_id(arm_id: Any) -> ArmId | None:
    """Split an ARM id; None for anything that is not one (a name, a URL, UNKNOWN)."""
    if not isinstance(arm_id, str) or not arm_id.startswith("/"):
        return None
    text = arm_id.rstrip("/")
    sub = _SUBSCRIPTION.match(text)
    group = _GROUP.match(text)
    cut = text.lower().rfind(_PROVIDERS)
    arm_type = name = parent = None
    if cut != -1:
        segments = text[cut + len(_PROVIDERS) :].split("/")
        if len(segments) >= 3 and len(segments) % 2 == 1:
            arm_type = "/".join([segments[0], *segments[1::2]])
            name = segments[-1]
            parent = text[: -(len(segments[-1]) + len(segments[-2]) + 2)]
            if len(segments) == 3:  # a top-level resource, or an extension of the resource before it
                parent = text[:cut] or None
    elif group:
        arm_type, name = "Microsoft.Resources/resourceGroups", group.group(1)
        parent = text[: text.lower().rfind("/resourcegroups/")]
    elif sub:
        arm_type, name = "Microsoft.Resources/subscriptions", sub.group(1)
    return ArmId(sub.group(1).lower() if sub else None, group.group(1) if group else None, arm_type, name, parent)


def parent_id(arm_id: Any) -> str | None:
    """The id of the resource (or resource group) this ARM id's resource sits in; None when it is not an ARM id."""
    parsed = parse_arm_id(arm_id)
    return parsed.parent if parsed is not None else None


def parent_resource_id(arm_id: Any) -> str | None:
    """The id of the resource this one is a child or an extension of; None for a top-level resource."""
    parsed = parse_arm_id(arm_id)
    return parsed.parent_resource if parsed is not None else None


def normalized(arm_id: str) -> str:
    """The form ARM ids are compared in: lower case, no trailing slash."""
    return arm_id.lower().rstrip("/")


def same_id(a: Any, b: Any) -> bool:
    """Two ARM ids name the same resource (compared whole, case-insensitively)."""
    return isinstance(a, str) and isinstance(b, str) and normalized(a) == normalized(b)


def parent_of(r: Resource) -> str | None:
    """The parent id of an ARM-shaped resource: azapi's `parent_id`, else from its own id."""
    parent = r.values.get("parent_id")
    if isinstance(parent, str) and parent:
        return parent
    return parent_id(r.id)


def azapi_as_arm(values: dict[str, Any], arm_type: str) -> dict[str, Any]:
    """An azapi resource's values shaped like an ARM resource (`id`, `type`, `properties`)."""
    body = values.get("body")
    if isinstance(body, str):  # azapi 1.x: jsonencode(...)
        try:
            body = json.loads(body)
        except (ValueError, RecursionError):
            body = UNKNOWN  # a body that cannot be read says nothing: unknown, never empty
    if body is None:
        properties: Any = {}
    elif isinstance(body, dict):
        properties = body.get("properties", {})
        if properties is None:
            properties = {}
        elif not isinstance(properties, dict) and properties is not SENSITIVE:
            properties = UNKNOWN  # not ARM's shape (a string, a list): cannot be read
    elif body is SENSITIVE:
        properties = SENSITIVE
    else:
        properties = UNKNOWN  # unknown, or not an object (a list, a number): cannot be read
    parent = values.get("parent_id")
    name = values.get("name")
    arm_id = values.get("id")
    if not isinstance(arm_id, str) and isinstance(parent, str) and isinstance(name, str):
        # a child type (`.../virtualNetworks/subnets`) sits under its parent resource's id; a
        # top-level type under its resource group / subscription, after `/providers/<namespace>`
        if arm_type.count("/") == 1:
            arm_id = f"{parent}/providers/{arm_type}/{name}"
        else:
            arm_id = f"{parent}/{arm_type.rsplit('/', 1)[-1]}/{name}"
    shaped = dict(values)
    shaped.update({"id": arm_id, "type": arm_type, "properties": properties})
    return shaped
