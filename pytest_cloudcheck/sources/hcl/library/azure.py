"""Provider-defined functions of azapi and azurerm that Azure Verified Modules call
(`provider::azapi::build_resource_id`, `provider::azurerm::parse_resource_id`, ...).

They build and split ARM ids by their structure, as the providers do. The providers also check
ids against their embedded schemas (which scopes a type may sit at, the casing of known types);
where an answer depends on that schema and the type is not in our own type table, the part of
the answer that depends on it is UNKNOWN (azurerm's `resource_scope`) or the function is not
evaluated (NotEvaluated: unknown and noted), never a guess."""

from __future__ import annotations

from typing import Any

from ....model import UNKNOWN
from ..values import EvalError, NotEvaluated, to_string
from . import Function, fn

_TENANT = "Microsoft.Resources/tenants"
_SUBSCRIPTIONS = "Microsoft.Resources/subscriptions"
_GROUPS = "Microsoft.Resources/resourceGroups"
_MANAGEMENT_GROUPS = "Microsoft.Management/managementGroups"


def _type_and_version(resource_type: Any, need_version: bool = False) -> str:
    text = to_string(resource_type)
    if "@" not in text:
        if need_version:
            raise EvalError("`type` is invalid, it should be like `ResourceProvider/resourceTypes@ApiVersion`")
        return text
    parts = text.split("@")
    if len(parts) != 2:
        raise EvalError("`type` is invalid, it should be like `ResourceProvider/resourceTypes@ApiVersion`")
    return parts[0]


def _type_parts(arm_type: str) -> tuple[str, list[str]]:
    parts = arm_type.split("/")
    if len(parts) < 2 or not all(parts):
        raise EvalError("invalid azure resource type, it should be like `ResourceProvider/resourceTypes`")
    return parts[0], parts[1:]


def _scope(parent: str) -> str:
    return "" if parent == "/" else parent


def type_of_id(arm_id: str) -> str:
    """The ARM type an id names (azcore's rules: the last provider namespace and its types)."""
    if arm_id == "/":
        return _TENANT
    segments = arm_id.strip("/").split("/")
    lowered = [s.lower() for s in segments]
    if "providers" in lowered:
        cut = len(lowered) - 1 - lowered[::-1].index("providers")
        tail = segments[cut + 1 :]
        if len(tail) >= 3:
            return "/".join([tail[0], *tail[1::2]])
        if len(tail) == 1:
            return "Microsoft.Resources/providers"
    if len(segments) >= 4 and lowered[2] == "resourcegroups":
        return _GROUPS
    if len(segments) >= 2 and lowered[0] == "subscriptions":
        return _SUBSCRIPTIONS
    raise EvalError(f"invalid resource ID {arm_id!r}")


def _parent_of(arm_id: str) -> str:
    segments = arm_id.strip("/").split("/")
    parent = segments[:-2]
    if len(parent) >= 2 and parent[-2].lower() == "providers":
        if len(parent) == 2 and parent[1].lower() == "microsoft.management":
            return "/providers/Microsoft.Management"
        parent = parent[:-2]
    return "/" + "/".join(parent) if parent else "/"


def _check_parent(arm_type: str, parent: str) -> None:
    """A child type's parent must be of the type above it (as azapi checks)."""
    above = arm_type.rsplit("/", 1)[0]
    found = type_of_id(parent) if parent else ""
    if found.lower() != above.lower():
        raise EvalError(f"`parent_id is invalid`: expect ID of `{above}` but got `{found}`")


def _one_id(parent: str, arm_type: str, name: str, check: bool) -> str:
    if "/" not in arm_type:
        return f"{_scope(parent)}/providers/{name}"
    _, types = _type_parts(arm_type)
    if len(types) == 1:
        if arm_type.lower() == _GROUPS.lower():
            return f"{parent}/resourceGroups/{name}"
        if arm_type.lower() == _SUBSCRIPTIONS.lower():
            return f"/subscriptions/{name}"
        if arm_type.lower() == _TENANT.lower():
            return "/"
        return f"{_scope(parent)}/providers/{arm_type}/{name}"
    if check:
        _check_parent(arm_type, parent)
    return f"{parent}/{types[-1]}/{name}"


def _nested_id(parent: str, resource_type: Any, names: Any) -> str:
    arm_type = _type_and_version(resource_type)
    if not isinstance(names, list) or not names:
        raise EvalError("resource names cannot be empty")
    namespace, types = _type_parts(arm_type)
    labels = [to_string(n) for n in names]
    if len(labels) != len(types):
        raise EvalError(
            "number of resource names does not match the number of resource type parts, "
            f"expected {len(types)}, got {len(labels)}"
        )
    current = parent
    for depth, label in enumerate(labels):
        current = _one_id(current, "/".join([namespace, *types[: depth + 1]]), label, check=False)
    return current


def _build_resource_id(parent_id: Any, resource_type: Any, name: Any) -> str:
    arm_type = _type_and_version(resource_type)
    return _one_id(to_string(parent_id), arm_type, to_string(name), check=True)


def _resource_group_resource_id(subscription: Any, group: Any, resource_type: Any, names: Any) -> str:
    if to_string(subscription) == "":
        raise EvalError("subscription_id cannot be empty")
    if to_string(group) == "":
        raise EvalError("resource_group_name cannot be empty")
    return _nested_id(
        f"/subscriptions/{to_string(subscription)}/resourceGroups/{to_string(group)}", resource_type, names
    )


def _subscription_resource_id(subscription: Any, resource_type: Any, names: Any) -> str:
    if to_string(subscription) == "":
        raise EvalError("subscription_id cannot be empty")
    return _nested_id(f"/subscriptions/{to_string(subscription)}", resource_type, names)


def _tenant_resource_id(resource_type: Any, names: Any) -> str:
    return _nested_id("/", resource_type, names)


def _management_group_resource_id(group: Any, resource_type: Any, names: Any) -> str:
    if to_string(group) == "":
        raise EvalError("management_group_name cannot be empty")
    return _nested_id(f"/providers/{_MANAGEMENT_GROUPS}/{to_string(group)}", resource_type, names)


def _extension_resource_id(base: Any, resource_type: Any, names: Any) -> str:
    return _nested_id(to_string(base), resource_type, names)


def _segments_before_providers(arm_id: str) -> list[str]:
    out = []
    for part in arm_id.strip("/").split("/"):
        if part.lower() == "providers":
            break
        out.append(part)
    return out


def _azapi_parse_resource_id(resource_type: Any, resource_id: Any) -> dict[str, Any]:
    arm_type = _type_and_version(resource_type)
    arm_id = to_string(resource_id)
    if not arm_id.startswith("/"):
        raise EvalError(
            f"failed to parse resource ID(resourceType: {resource_type}, resourceId: {arm_id}): invalid resource ID"
        )
    found = type_of_id(arm_id)
    if found.lower() != arm_type.lower():
        raise EvalError(
            f"failed to parse resource ID(resourceType: {resource_type}, resourceId: {arm_id}): "
            f"`resource_id` and `type` are not matched, expect `type` to be {found}, but got {arm_type}"
        )
    before = _segments_before_providers(arm_id)
    subscription = before[1] if len(before) >= 2 and before[0].lower() == "subscriptions" else ""
    group = before[3] if len(before) >= 4 and before[2].lower() == "resourcegroups" else ""
    components = arm_id.strip("/").split("/")
    parts = {components[i]: components[i + 1] for i in range(0, len(components) - 1, 2)}
    namespace = "Microsoft.Resources" if found == _TENANT else found.split("/")[0]
    name = components[-1] if arm_id != "/" else ""
    return {
        "id": arm_id,
        "type": arm_type,
        "name": name,
        "parent_id": _parent_of(arm_id),
        "resource_group_name": group,
        "resource_group_id": f"/subscriptions/{subscription}/resourceGroups/{group}" if group else "",
        "subscription_id": subscription,
        "provider_namespace": namespace,
        "parts": parts,
    }


# ---------------------------------------------------------------------------------------------
# azurerm


def _known_arm_types() -> dict[str, str]:
    from ....azure_types import TYPES

    return {t.arm.lower(): t.arm for t in TYPES}


_UNPARSED = (
    "could not determine resource ID type from {}, ID may be malformed or currently not supported in the provider"
)


def _azurerm_parse_resource_id(resource_id: Any) -> dict[str, Any]:
    arm_id = to_string(resource_id)
    if arm_id == "":
        raise EvalError("Got empty ID")
    segments = arm_id.strip("/").split("/")
    lowered = [s.lower() for s in segments]
    if not arm_id.startswith("/") or "providers" not in lowered:
        raise EvalError(_UNPARSED.format(arm_id))
    cut = len(lowered) - 1 - lowered[::-1].index("providers")
    tail = segments[cut + 1 :]
    if len(tail) < 3 or len(tail) % 2 == 0:
        raise EvalError(_UNPARSED.format(arm_id))
    namespace, types, names = tail[0], tail[1::2], tail[2::2]
    full_type = "/".join([namespace, *types])
    extension = "providers" in lowered[:cut]
    before = segments[:cut]
    known = full_type.lower() in _known_arm_types()
    out: dict[str, Any] = {
        "resource_name": names[-1],
        "resource_provider": namespace,
        "resource_type": types[-1],
        "full_resource_type": full_type,
        "parent_resources": {types[i]: names[i] for i in range(len(types) - 1)},
    }
    if extension:
        out.update(resource_scope="/" + "/".join(before), resource_group_name="", subscription_id="")
    elif known:
        group = before[3] if len(before) >= 4 and before[2].lower() == "resourcegroups" else ""
        subscription = before[1] if len(before) >= 2 and before[0].lower() == "subscriptions" else ""
        out.update(resource_scope="", resource_group_name=group, subscription_id=subscription)
    else:  # whether azurerm reads this type as scoped depends on its registry
        out.update(resource_scope=UNKNOWN, resource_group_name=UNKNOWN, subscription_id=UNKNOWN)
    return out


_KEYWORDS = {"subscriptions": "subscriptions", "resourcegroups": "resourceGroups", "providers": "providers"}


def _normalise_resource_id(resource_id: Any) -> str:
    arm_id = to_string(resource_id)
    segments = arm_id.strip("/").split("/")
    lowered = [s.lower() for s in segments]
    known = _known_arm_types()
    out = list(segments)
    i = 0
    while i < len(segments):
        word = lowered[i]
        if word == "providers" and i + 1 < len(segments):
            out[i] = "providers"
            j = i + 2
            types = []
            while j < len(segments) and lowered[j] != "providers":
                types.append(j)
                j += 2
            full = "/".join([lowered[i + 1], *(lowered[t] for t in types)])
            proper = known.get(full)
            if proper is None:
                raise NotEvaluated(
                    f"provider::azurerm::normalise_resource_id(): the casing of {full!r} is not in our type table"
                )
            proper_parts = proper.split("/")
            out[i + 1] = proper_parts[0]
            for t, text in zip(types, proper_parts[1:], strict=False):
                out[t] = text
            i = j
            continue
        if word in _KEYWORDS and i % 2 == 0:
            out[i] = _KEYWORDS[word]
        i += 2 if word in ("subscriptions", "resourcegroups") else 1
    return "/" + "/".join(out)


FUNCTIONS: dict[str, Function] = {
    "provider::azapi::build_resource_id": fn(_build_resource_id),
    "provider::azapi::resource_group_resource_id": fn(_resource_group_resource_id),
    "provider::azapi::subscription_resource_id": fn(_subscription_resource_id),
    "provider::azapi::tenant_resource_id": fn(_tenant_resource_id),
    "provider::azapi::management_group_resource_id": fn(_management_group_resource_id),
    "provider::azapi::extension_resource_id": fn(_extension_resource_id),
    "provider::azapi::parse_resource_id": fn(_azapi_parse_resource_id),
    "provider::azurerm::parse_resource_id": fn(_azurerm_parse_resource_id),
    "provider::azurerm::normalise_resource_id": fn(_normalise_resource_id),
}
