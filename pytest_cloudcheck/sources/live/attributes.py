"""Terraform attribute names for live ARM resources, computed from the ARM payload.

A squad test written against a plan reads `resource.values["purge_protection_enabled"]`; live
Azure returns `properties.enablePurgeProtection`. `ATTRIBUTES` says, per azurerm type, which ARM
path (case-insensitive, as in Azure Policy) gives each azurerm attribute and how its shape
differs (a named converter). The live mapping adds these keys next to the ARM keys.

Fail closed: an attribute the table does not name stays absent (reading it raises); an attribute
whose ARM source is missing is `None` only where Terraform would also say null, else absent; a
value a converter does not recognise stays absent rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ...model import arm_values

__all__ = ["ABSENT", "ATTRIBUTES", "COMMON", "Attr", "attributes_for", "markdown"]


class _Absent:
    """A converter's answer for "Terraform would have no such value": the key stays absent."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()
_RESOURCE_GROUP = re.compile(r"/resourceGroups/([^/]+)", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# converters: ARM value -> Terraform value (ABSENT when the ARM value is not one they know)


def as_is(value: Any) -> Any:
    """unchanged"""
    return value


def enabled_flag(value: Any) -> Any:
    """`"Enabled"` -> true, `"Disabled"` -> false"""
    text = str(value).lower()
    return {"enabled": True, "disabled": False}.get(text, ABSENT) if isinstance(value, str) else ABSENT


def negated(value: Any) -> Any:
    """the boolean, negated"""
    return (not value) if isinstance(value, bool) else ABSENT


def sku_replication(value: Any) -> Any:
    """`"Standard_ZRS"` -> `"ZRS"` (the part after `_`)"""
    return value.split("_", 1)[1] if isinstance(value, str) and "_" in value else ABSENT


def sku_tier(value: Any) -> Any:
    """`"Standard_ZRS"` -> `"Standard"` (the part before `_`)"""
    return value.split("_", 1)[0] if isinstance(value, str) and "_" in value else ABSENT


def resource_group(value: Any) -> Any:
    """the resource group named in the ARM id"""
    match = _RESOURCE_GROUP.search(value) if isinstance(value, str) else None
    return match.group(1) if match else ABSENT


def parent_name(value: Any) -> Any:
    """the parent's name in the ARM id (`.../virtualNetworks/<name>/subnets/x` -> `<name>`)"""
    parts = value.rstrip("/").split("/") if isinstance(value, str) else []
    return parts[-3] if len(parts) >= 3 else ABSENT


def parent_id(value: Any) -> Any:
    """the parent's ARM id (the id without its last two segments)"""
    parts = value.rstrip("/").split("/") if isinstance(value, str) else []
    return "/".join(parts[:-2]) if len(parts) >= 4 else ABSENT


def epoch_to_rfc3339(value: Any) -> Any:
    """Unix seconds -> `"2027-12-31T00:00:00Z"`"""
    if isinstance(value, bool) or not isinstance(value, int):
        return ABSENT
    return datetime.fromtimestamp(value, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _get(node: Any, path: str) -> Any:
    found = arm_values(node, path)
    return found[0] if found else None


def identity_block(value: Any) -> Any:
    """`identity` -> `[{type, identity_ids, principal_id, tenant_id}]` (the ARM keys kept alongside for ARM readers)"""
    if not isinstance(value, dict) or not isinstance(value.get("type"), str) or value["type"].lower() == "none":
        return []
    assigned = value.get("userAssignedIdentities")
    return [
        {
            **value,
            "type": value["type"],
            "identity_ids": sorted(assigned) if isinstance(assigned, dict) and assigned else None,
            "principal_id": value.get("principalId"),
            "tenant_id": value.get("tenantId"),
        }
    ]


def network_acls_block(value: Any) -> Any:
    """`networkAcls` -> `[{default_action, bypass, ip_rules, virtual_network_subnet_ids}]`"""
    if not isinstance(value, dict):
        return ABSENT
    return [
        {
            "default_action": value.get("defaultAction"),
            "bypass": value.get("bypass"),
            "ip_rules": [r.get("value") for r in value.get("ipRules") or [] if isinstance(r, dict)],
            "virtual_network_subnet_ids": [
                r.get("id") for r in value.get("virtualNetworkRules") or [] if isinstance(r, dict)
            ],
        }
    ]


def ip_configuration_blocks(value: Any) -> Any:
    """`ipConfigurations[]` -> `[{name, subnet_id, private_ip_address(_allocation), public_ip_address_id, primary}]`"""
    if not isinstance(value, list):
        return ABSENT
    return [
        {
            "name": c.get("name"),
            "subnet_id": _get(c, "properties.subnet.id"),
            "private_ip_address": _get(c, "properties.privateIPAddress"),
            "private_ip_address_allocation": _get(c, "properties.privateIPAllocationMethod"),
            "public_ip_address_id": _get(c, "properties.publicIPAddress.id"),
            "primary": _get(c, "properties.primary"),
        }
        for c in value
        if isinstance(c, dict)
    ]


def route_blocks(value: Any) -> Any:
    """`routes[]` -> `[{name, address_prefix, next_hop_type, next_hop_in_ip_address}]`"""
    if not isinstance(value, list):
        return ABSENT
    return [
        {
            "name": r.get("name"),
            "address_prefix": _get(r, "properties.addressPrefix"),
            "next_hop_type": _get(r, "properties.nextHopType"),
            "next_hop_in_ip_address": _get(r, "properties.nextHopIpAddress"),
        }
        for r in value
        if isinstance(r, dict)
    ]


#: NSG rule: Terraform attribute -> ARM property (inline `security_rule` blocks and rule resources alike);
#: ARM always gives the first four, the others only when set (Terraform: null)
_RULE_REQUIRED = {"priority": "priority", "direction": "direction", "access": "access", "protocol": "protocol"}
_RULE_OPTIONAL = {
    "source_address_prefix": "sourceAddressPrefix",
    "source_port_range": "sourcePortRange",
    "destination_address_prefix": "destinationAddressPrefix",
    "destination_port_range": "destinationPortRange",
}


def security_rule_blocks(value: Any) -> Any:
    """`securityRules[]` -> `[{name, priority, direction, access, protocol, prefixes and ports}]`"""
    if not isinstance(value, list):
        return ABSENT
    return [
        {
            "name": r.get("name"),
            **{tf: _get(r, f"properties.{arm}") for tf, arm in (_RULE_REQUIRED | _RULE_OPTIONAL).items()},
        }
        for r in value
        if isinstance(r, dict)
    ]


def os_disk_block(value: Any) -> Any:
    """`storageProfile.osDisk` -> `[{name, caching, storage_account_type, disk_encryption_set_id, disk_size_gb}]`"""
    if not isinstance(value, dict):
        return ABSENT
    return [
        {
            "name": value.get("name"),
            "caching": value.get("caching"),
            "storage_account_type": _get(value, "managedDisk.storageAccountType"),
            "disk_encryption_set_id": _get(value, "managedDisk.diskEncryptionSet.id"),
            "disk_size_gb": value.get("diskSizeGB"),
        }
    ]


def rotation_policy_block(value: Any) -> Any:
    """Key Vault `rotationPolicy` -> `[{expire_after, notify_before_expiry, automatic: [{time_after_creation, ..}]}]`"""
    if not isinstance(value, dict):
        return ABSENT
    actions = [a for a in value.get("lifetimeActions") or [] if isinstance(a, dict)]

    def trigger(kind: str) -> dict[str, Any] | None:
        found = [a for a in actions if str(_get(a, "action.type") or "").lower() == kind]
        return found[0].get("trigger") or {} if found else None

    rotate, notify = trigger("rotate"), trigger("notify")
    automatic = (
        [{"time_after_creation": rotate.get("timeAfterCreate"), "time_before_expiry": rotate.get("timeBeforeExpiry")}]
        if rotate is not None
        else []
    )
    return [
        {
            "expire_after": _get(value, "attributes.expiryTime"),
            "notify_before_expiry": notify.get("timeBeforeExpiry") if notify is not None else None,
            "automatic": automatic,
        }
    ]


# ---------------------------------------------------------------------------------------------
# the table


@dataclass(frozen=True, slots=True)
class Attr:
    """One azurerm attribute: where ARM keeps it, how its shape differs, what a missing source means."""

    name: str
    path: str
    convert: Callable[[Any], Any] = as_is
    #: the value when the ARM path is missing: Terraform's default where ARM omits a default,
    #: None where Terraform also says null, else ABSENT
    missing: Any = ABSENT


def _p(name: str, path: str, convert: Callable[[Any], Any] = as_is, missing: Any = ABSENT) -> Attr:
    """An attribute under `properties.`"""
    return Attr(name, f"properties.{path}", convert, missing)


#: every resource: the attributes its ARM id and envelope give
COMMON: tuple[Attr, ...] = (Attr("resource_group_name", "id", resource_group),)

_PUBLIC_ACCESS = _p("public_network_access_enabled", "publicNetworkAccess", enabled_flag)
_IDENTITY = Attr("identity", "identity", identity_block, [])

#: azurerm type -> its attributes (beyond `COMMON`, `name`, `location`, `tags`, `id`, which ARM spells alike)
ATTRIBUTES: dict[str, tuple[Attr, ...]] = {
    "azurerm_storage_account": (
        _PUBLIC_ACCESS,
        _p("allow_nested_items_to_be_public", "allowBlobPublicAccess"),
        _p("min_tls_version", "minimumTlsVersion"),
        _p("https_traffic_only_enabled", "supportsHttpsTrafficOnly"),
        _p("shared_access_key_enabled", "allowSharedKeyAccess"),
        _p("infrastructure_encryption_enabled", "encryption.requireInfrastructureEncryption"),
        _p("cross_tenant_replication_enabled", "allowCrossTenantReplication"),
        _p("default_to_oauth_authentication", "defaultToOAuthAuthentication"),
        _p("is_hns_enabled", "isHnsEnabled"),
        _p("local_user_enabled", "isLocalUserEnabled"),
        _p("sftp_enabled", "isSftpEnabled"),
        _p("nfsv3_enabled", "isNfsV3Enabled"),
        Attr("account_replication_type", "sku.name", sku_replication),
        Attr("account_tier", "sku.name", sku_tier),
        Attr("account_kind", "kind"),
        _IDENTITY,
    ),
    "azurerm_key_vault": (
        _p("purge_protection_enabled", "enablePurgeProtection", missing=False),
        _p("soft_delete_retention_days", "softDeleteRetentionInDays"),
        _p("rbac_authorization_enabled", "enableRbacAuthorization", missing=False),
        _PUBLIC_ACCESS,
        _p("network_acls", "networkAcls", network_acls_block),
        _p("sku_name", "sku.name"),
        _p("tenant_id", "tenantId"),
        _p("vault_uri", "vaultUri"),
        _p("enabled_for_deployment", "enabledForDeployment", missing=False),
        _p("enabled_for_disk_encryption", "enabledForDiskEncryption", missing=False),
        _p("enabled_for_template_deployment", "enabledForTemplateDeployment", missing=False),
    ),
    "azurerm_key_vault_key": (
        _p("key_type", "kty"),
        _p("key_size", "keySize"),
        _p("key_opts", "keyOps"),
        _p("curve", "curveName"),
        _p("expiration_date", "attributes.exp", epoch_to_rfc3339, missing=None),
        _p("not_before_date", "attributes.nbf", epoch_to_rfc3339, missing=None),
        _p("rotation_policy", "rotationPolicy", rotation_policy_block),
        _p("versionless_id", "keyUri"),
        Attr("key_vault_id", "id", parent_id),
    ),
    "azurerm_managed_disk": (
        _p("disk_encryption_set_id", "encryption.diskEncryptionSetId", missing=None),
        _p("network_access_policy", "networkAccessPolicy"),
        _PUBLIC_ACCESS,
        _p("disk_size_gb", "diskSizeGB"),
        _p("disk_access_id", "diskAccessId", missing=None),
        Attr("storage_account_type", "sku.name"),
    ),
    "azurerm_disk_encryption_set": (
        _p("auto_key_rotation_enabled", "rotationToLatestKeyVersionEnabled", missing=False),
        _p("encryption_type", "encryptionType"),
        _p("key_vault_key_id", "activeKey.keyUrl"),
        _IDENTITY,
    ),
    "azurerm_linux_virtual_machine": (
        _p("encryption_at_host_enabled", "securityProfile.encryptionAtHost", missing=False),
        _p("secure_boot_enabled", "securityProfile.uefiSettings.secureBootEnabled", missing=False),
        _p("vtpm_enabled", "securityProfile.uefiSettings.vTpmEnabled", missing=False),
        _p("disable_password_authentication", "osProfile.linuxConfiguration.disablePasswordAuthentication"),
        _p("os_disk", "storageProfile.osDisk", os_disk_block),
        _p("size", "hardwareProfile.vmSize"),
        _p("network_interface_ids", "networkProfile.networkInterfaces[*].id"),
        _IDENTITY,
    ),
    "azurerm_windows_virtual_machine": (
        _p("encryption_at_host_enabled", "securityProfile.encryptionAtHost", missing=False),
        _p("secure_boot_enabled", "securityProfile.uefiSettings.secureBootEnabled", missing=False),
        _p("vtpm_enabled", "securityProfile.uefiSettings.vTpmEnabled", missing=False),
        _p("os_disk", "storageProfile.osDisk", os_disk_block),
        _p("size", "hardwareProfile.vmSize"),
        _p("network_interface_ids", "networkProfile.networkInterfaces[*].id"),
        _IDENTITY,
    ),
    "azurerm_network_interface": (
        _p("ip_configuration", "ipConfigurations", ip_configuration_blocks),
        _p("ip_forwarding_enabled", "enableIPForwarding", missing=False),
        _p("accelerated_networking_enabled", "enableAcceleratedNetworking", missing=False),
    ),
    "azurerm_public_ip": (
        _p("allocation_method", "publicIPAllocationMethod"),
        _p("ip_address", "ipAddress"),
        _p("ip_version", "publicIPAddressVersion"),
        Attr("sku_tier", "sku.tier"),
    ),
    "azurerm_virtual_network": (
        _p("address_space", "addressSpace.addressPrefixes"),
        _p("dns_servers", "dhcpOptions.dnsServers", missing=[]),
    ),
    "azurerm_subnet": (
        _p("address_prefixes", "addressPrefixes"),
        _p("default_outbound_access_enabled", "defaultOutboundAccess", missing=True),
        Attr("virtual_network_name", "id", parent_name),
    ),
    "azurerm_virtual_network_peering": (
        _p("remote_virtual_network_id", "remoteVirtualNetwork.id"),
        _p("allow_forwarded_traffic", "allowForwardedTraffic", missing=False),
        _p("allow_gateway_transit", "allowGatewayTransit", missing=False),
        _p("use_remote_gateways", "useRemoteGateways", missing=False),
        _p("allow_virtual_network_access", "allowVirtualNetworkAccess", missing=True),
        Attr("virtual_network_name", "id", parent_name),
    ),
    "azurerm_route_table": (
        _p("route", "routes", route_blocks, missing=[]),
        _p("bgp_route_propagation_enabled", "disableBgpRoutePropagation", negated, missing=True),
    ),
    "azurerm_route": (
        _p("address_prefix", "addressPrefix"),
        _p("next_hop_type", "nextHopType"),
        _p("next_hop_in_ip_address", "nextHopIpAddress", missing=None),
        Attr("route_table_name", "id", parent_name),
    ),
    "azurerm_network_security_group": (_p("security_rule", "securityRules", security_rule_blocks, missing=[]),),
    "azurerm_network_security_rule": (
        *(_p(tf, arm) for tf, arm in _RULE_REQUIRED.items()),
        *(_p(tf, arm, missing=None) for tf, arm in _RULE_OPTIONAL.items()),
        Attr("network_security_group_name", "id", parent_name),
    ),
}


def attributes_for(azurerm_type: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The azurerm attributes of one ARM payload (types the table does not know get only `COMMON`)."""
    out: dict[str, Any] = {}
    for attr in (*COMMON, *ATTRIBUTES.get(azurerm_type, ())):
        found = arm_values(values, attr.path)
        # a `[*]` path gives the list of what it found, any other path its one value
        value = attr.convert(found if "[*]" in attr.path else found[0]) if found else attr.missing
        if value is not ABSENT:
            out[attr.name] = value
    return out


def markdown() -> str:
    """docs/live.md, generated from the table (a test compares it with the committed file)."""
    lines = [
        "# Live resources: Terraform attribute names",
        "",
        "<!-- Generated from pytest_cloudcheck/sources/live/attributes.py; do not edit by hand. Regenerate with:",
        '     python -c "from pytest_cloudcheck.sources.live.attributes import markdown; '
        "print(markdown(), end='')\" > docs/live.md -->",
        "",
        "Live resources keep their ARM JSON (`properties`, `id`, `sku`, ...) and also answer the azurerm",
        "attribute names below, computed from it, so the same squad test reads `resource.values[...]`",
        "on a plan and on live Azure. ARM paths are case-insensitive (as in Azure Policy).",
        "",
        "- An attribute not listed here is absent on live resources: a test reading it errors (never passes).",
        "- *when missing*: the value when the ARM payload lacks the path: Terraform's default where ARM",
        "  omits a default (`false`, `true`, `[]`), `null` where Terraform also says null; `absent`: the key",
        "  stays absent (reading it errors).",
        '- A value a conversion does not recognise (`publicNetworkAccess: "SecuredByPerimeter"`) stays absent.',
        "- Key Vault keys come from the Key Vault data plane; a key that could not be read raises on access.",
        "- `identity` blocks keep the ARM keys (`principalId`, `userAssignedIdentities`) next to the",
        "  Terraform ones, so ARM readers of `identity[*].principalId` still work.",
        "",
        "## Every resource",
        "",
        *_rows(COMMON),
    ]
    for resource_type, attrs in sorted(ATTRIBUTES.items()):
        if attrs:
            lines += [f"## `{resource_type}`", "", *_rows(attrs)]
    return "\n".join(lines).rstrip() + "\n"


def _rows(attrs: tuple[Attr, ...]) -> list[str]:
    rows = ["| attribute | ARM path | conversion | when missing |", "|---|---|---|---|"]
    for a in attrs:
        doc = (a.convert.__doc__ or "").strip().splitlines()[0].replace("|", "\\|")
        missing = "absent" if a.missing is ABSENT else f"`{_json(a.missing)}`"
        rows.append(f"| `{a.name}` | `{a.path}` | {doc} | {missing} |")
    return [*rows, ""]


def _json(value: Any) -> str:
    import json

    return json.dumps(value)
