"""The example landing zone's plans as live Azure would show them: ARM JSON and Key Vault keys.

Every resource gets a concrete ARM id (type, name, resource group, subscription of its plan);
values unknown at plan time are resolved through the plan's references (a key id becomes the
key's URL on the fake vault, a resource id the target's ARM id). Link resources Terraform keeps
separate (storage CMK, TDE protector, Log Analytics cluster key, subnets, peerings, NSG rules)
are folded into their parents, where ARM keeps them.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pytest_cloudcheck.model import Inventory, Resource
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

#: Terraform type -> attribute naming the parent (child ARM ids hang under their parent)
PARENT_ATTR = {
    "azurerm_subnet": ("virtual_network_name", "Microsoft.Network/virtualNetworks", "subnets"),
    "azurerm_virtual_network_peering": (
        "virtual_network_name",
        "Microsoft.Network/virtualNetworks",
        "virtualNetworkPeerings",
    ),
    "azurerm_network_security_rule": (
        "network_security_group_name",
        "Microsoft.Network/networkSecurityGroups",
        "securityRules",
    ),
}
#: Terraform-only link resources: folded into their parent, never an ARM resource of their own
FOLDED = {
    "azurerm_storage_account_customer_managed_key",
    "azurerm_mssql_server_transparent_data_encryption",
    "azurerm_log_analytics_cluster_customer_managed_key",
    "azurerm_subnet_network_security_group_association",
    "azurerm_subnet_route_table_association",
    "azurerm_virtual_machine_data_disk_attachment",
    "azurerm_monitor_diagnostic_setting",
    "azurerm_role_assignment",
    "azurerm_log_analytics_linked_service",
    *PARENT_ATTR,
}


@dataclass
class Landing:
    """What the fake serves: ARM rows per subscription, keys per (vault, key), plan address -> ARM id."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    keys: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    #: ARM GET answers for child resources Resource Graph lacks, by lower-case path
    children: dict[str, dict[str, Any]] = field(default_factory=dict)


def block(r: Resource, attr: str) -> Any:
    """The one block of a Terraform block list (`identity`, `network_acls`), else None."""
    value = r.values.get(attr)
    return value[0] if isinstance(value, list) and len(value) == 1 else None


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


class Converter:
    def __init__(self, inventory: Inventory, vault_port: int) -> None:
        self.inv = inventory
        self.port = vault_port
        self.ids: dict[str, str] = {}
        for r in inventory:
            self.ids[r.address] = self._id(r)

    # -- ids and URLs -----------------------------------------------------------------------------
    def vault_url(self, vault_name: str) -> str:
        return f"https://{vault_name}.vault.azure.net:{self.port}/"

    def _id(self, r: Resource) -> str:
        sub = r.subscription_id
        group = r.values.get("resource_group_name")
        if r.type == "azurerm_resource_group":
            return f"/subscriptions/{sub}/resourceGroups/{r.name}"
        if r.type == "azurerm_key_vault_key":
            vault = self.one(r, "key_vault_id")
            return f"{self._id(vault)}/keys/{r.name}"
        if r.type == "azurerm_mssql_database":
            server = r.get("server_id")
            parent = server if isinstance(server, str) else self._id(self.one(r, "server_id"))
            return f"{parent}/databases/{r.name}"
        if r.type in PARENT_ATTR:
            attr, parent_type, segment = PARENT_ATTR[r.type]
            parent = r.values[attr]
            return f"/subscriptions/{sub}/resourceGroups/{group}/providers/{parent_type}/{parent}/{segment}/{r.name}"
        name = r.name or r.address.rsplit(".", 1)[-1]
        return f"/subscriptions/{sub}/resourceGroups/{group}/providers/{r.arm_type}/{name}"

    def one(self, r: Resource, attr: str) -> Resource:
        found = r.referenced(attr)
        if len(found) != 1:
            raise ValueError(f"{r.address}.{attr}: {len(found)} references")
        return found[0]

    def key_url(self, key: Resource) -> str:
        vault = self.one(key, "key_vault_id")
        return f"{self.vault_url(vault.name).rstrip('/')}/keys/{key.name}"

    def ref(self, r: Resource, attr: str) -> str | None:
        """A link attribute's value: as planned when known, else the referenced resource's id / URL."""
        value = r.get(attr)
        if isinstance(value, str) and value:
            return value
        if value is not None and not hasattr(value, "__reduce__"):
            return None
        targets = r.referenced(attr)
        if len(targets) != 1:
            return None
        target = targets[0]
        return self.key_url(target) if target.type == "azurerm_key_vault_key" else self.ids.get(target.address)

    def links(self, link_type: str, attr: str, target: Resource) -> list[Resource]:
        return (
            [x for x in self.inv.resources(link_type) if target in x.referenced(attr)]
            if link_type in self.inv.types
            else []
        )

    # -- ARM JSON ---------------------------------------------------------------------------------
    def arm(self, r: Resource) -> dict[str, Any]:
        props = {camel(k): v for k, v in r.values.items() if isinstance(v, (str, int, float, bool)) and k != "name"}
        props.pop("id", None)
        build = BUILDERS.get(r.type)
        if build is not None:
            props.update(build(self, r))
        sub = r.subscription_id
        row: dict[str, Any] = {
            "id": self.ids[r.address],
            "name": r.name,
            "type": (r.arm_type or "").lower(),
            "location": r.location,
            "tags": dict(r.tags) if isinstance(r.tags, dict) else {},
            "subscriptionId": sub,
            "resourceGroup": r.values.get("resource_group_name") or r.name,
            "properties": props,
        }
        row.update(self.envelope(r))
        if r.type == "azurerm_resource_group":
            row["type"] = "microsoft.resources/subscriptions/resourcegroups"
        return row

    def envelope(self, r: Resource) -> dict[str, Any]:
        """ARM's top-level `identity`, `sku`, `kind` (outside `properties`)."""
        out: dict[str, Any] = {}
        identity = block(r, "identity")
        if isinstance(identity, dict) and isinstance(identity.get("type"), str):
            ids = [self.ref(r, f"identity.identity_ids.{i}") for i in range(len(identity.get("identity_ids") or []))]
            out["identity"] = {
                "type": identity["type"],
                "principalId": "00000000-0000-4000-8000-" + hashlib.sha256(r.address.encode()).hexdigest()[:12],
                "tenantId": "5b2f0c1e-7d4a-4e8b-9c3f-1a6d2e8b4f70",
                **({"userAssignedIdentities": {i: {} for i in ids if i}} if ids else {}),
            }
        sku = SKUS.get(r.type)
        if sku is not None:
            out["sku"] = sku(r)
        if r.type in ZONAL:
            zones = r.values.get("zones")
            zone = r.values.get("zone")
            if isinstance(zones, list) and zones:
                out["zones"] = list(zones)
            elif isinstance(zone, str) and zone:
                out["zones"] = [zone]
        if r.type == "azurerm_storage_account":
            out["kind"] = r.values.get("account_kind")
        return out

    def key_bundle(self, key: Resource) -> dict[str, Any]:
        size = key.values.get("key_size") or 2048
        n = hashlib.sha256(key.address.encode()).digest() * (size // 256)
        exp = key.values.get("expiration_date")
        created = int(datetime(2026, 1, 1).timestamp())
        policy = key.get("rotation_policy")
        actions = []
        policy = policy[0] if isinstance(policy, list) and policy else policy
        after_create = key.get("rotation_policy.automatic.time_after_creation")
        before_expiry = key.get("rotation_policy.automatic.time_before_expiry")
        if after_create or before_expiry:
            trigger = {"timeAfterCreate": after_create} if after_create else {"timeBeforeExpiry": before_expiry}
            actions.append({"trigger": trigger, "action": {"type": "Rotate"}})
        if isinstance(policy, dict) and policy.get("notify_before_expiry"):
            actions.append(
                {"trigger": {"timeBeforeExpiry": policy["notify_before_expiry"]}, "action": {"type": "Notify"}}
            )
        kid = f"{self.key_url(key)}/0123456789abcdef0123456789abcdef"
        return {
            "key": {
                "kid": kid,
                "kty": key.values.get("key_type"),
                "key_ops": list(key.values.get("key_opts") or []),
                "n": base64.urlsafe_b64encode(n).decode().rstrip("="),
                "e": "AQAB",
            },
            "attributes": {
                "enabled": True,
                "created": created,
                "updated": created,
                "recoveryLevel": "Recoverable",
                **({"exp": int(datetime.fromisoformat(exp.replace("Z", "+00:00")).timestamp())} if exp else {}),
            },
            "tags": dict(key.tags) if isinstance(key.tags, dict) else {},
            "rotationpolicy": {
                "id": f"{self.key_url(key)}/rotationpolicy",
                "lifetimeActions": actions,
                "attributes": {
                    "expiryTime": policy.get("expire_after") if isinstance(policy, dict) else None,
                    "created": created,
                    "updated": created,
                },
            },
        }


def _storage(c: Converter, r: Resource) -> dict[str, Any]:
    key = c.ref(r, "customer_managed_key.key_vault_key_id")
    encryption: dict[str, Any] = {"keySource": "Microsoft.Storage", "requireInfrastructureEncryption": True}
    if key:
        vault_uri, name = key.split("/keys/")
        encryption.update(
            keySource="Microsoft.Keyvault", keyvaultproperties={"keyvaulturi": vault_uri + "/", "keyname": name}
        )
    for link in c.links("azurerm_storage_account_customer_managed_key", "storage_account_id", r):
        vault = c.one(link, "key_vault_id")
        encryption.update(
            keySource="Microsoft.Keyvault",
            keyvaultproperties={"keyvaulturi": c.vault_url(vault.name), "keyname": link.values["key_name"]},
        )
    v = r.values
    encryption["requireInfrastructureEncryption"] = v.get("infrastructure_encryption_enabled")
    return {
        "encryption": encryption,
        "publicNetworkAccess": _enabled(v.get("public_network_access_enabled")),
        "minimumTlsVersion": v.get("min_tls_version"),
        "allowBlobPublicAccess": v.get("allow_nested_items_to_be_public"),
        "supportsHttpsTrafficOnly": v.get("https_traffic_only_enabled"),
        "allowSharedKeyAccess": v.get("shared_access_key_enabled"),
    }


def _enabled(flag: Any) -> str | None:
    return {True: "Enabled", False: "Disabled"}.get(flag) if isinstance(flag, bool) else None


def _vault(c: Converter, r: Resource) -> dict[str, Any]:
    return {
        "vaultUri": c.vault_url(r.name),
        "enablePurgeProtection": r.values.get("purge_protection_enabled"),
        "enableSoftDelete": True,
        "softDeleteRetentionInDays": r.values.get("soft_delete_retention_days"),
        "enableRbacAuthorization": r.values.get("rbac_authorization_enabled"),
        "publicNetworkAccess": _enabled(r.values.get("public_network_access_enabled")),
        "tenantId": r.values.get("tenant_id"),
        "sku": {"family": "A", "name": r.values.get("sku_name")},
        **({"networkAcls": _acls(acls)} if isinstance(acls := block(r, "network_acls"), dict) else {}),
    }


def _acls(acls: dict[str, Any]) -> dict[str, Any]:
    return {
        "defaultAction": acls.get("default_action"),
        "bypass": acls.get("bypass"),
        "ipRules": [{"value": ip} for ip in acls.get("ip_rules") or []],
        "virtualNetworkRules": [{"id": s} for s in acls.get("virtual_network_subnet_ids") or []],
    }


def _des(c: Converter, r: Resource) -> dict[str, Any]:
    return {
        "activeKey": {"keyUrl": f"{c.ref(r, 'key_vault_key_id')}/0123456789abcdef0123456789abcdef"},
        "encryptionType": r.values.get("encryption_type"),
        "rotationToLatestKeyVersionEnabled": r.values.get("auto_key_rotation_enabled"),
    }


def _disk(c: Converter, r: Resource) -> dict[str, Any]:
    des = c.ref(r, "disk_encryption_set_id")
    access = {
        "networkAccessPolicy": r.values.get("network_access_policy"),
        "publicNetworkAccess": _enabled(r.values.get("public_network_access_enabled")),
        "diskSizeGB": r.values.get("disk_size_gb"),
    }
    if des:
        return {"encryption": {"type": "EncryptionAtRestWithCustomerKey", "diskEncryptionSetId": des}, **access}
    return {"encryption": {"type": "EncryptionAtRestWithPlatformKey"}, **access}


def _vm(c: Converter, r: Resource) -> dict[str, Any]:
    os_disk: dict[str, Any] = {"osType": "Linux", "managedDisk": {}}
    kind = r.get("os_disk.storage_account_type")
    if isinstance(kind, str):
        os_disk["managedDisk"]["storageAccountType"] = kind
    des = c.ref(r, "os_disk.disk_encryption_set_id")
    if des:
        os_disk["managedDisk"]["diskEncryptionSet"] = {"id": des}
    data = []
    for link in c.links("azurerm_virtual_machine_data_disk_attachment", "virtual_machine_id", r):
        disk = c.one(link, "managed_disk_id")
        managed: dict[str, Any] = {
            "id": c.ids[disk.address],
            "storageAccountType": disk.values.get("storage_account_type"),
        }
        disk_des = c.ref(disk, "disk_encryption_set_id")
        if disk_des:
            managed["diskEncryptionSet"] = {"id": disk_des}
        data.append({"lun": link.values.get("lun"), "managedDisk": managed})
    v = r.values
    availability_set = c.ref(r, "availability_set_id")
    return {
        **({"availabilitySet": {"id": availability_set}} if availability_set else {}),
        "storageProfile": {"osDisk": os_disk, "dataDisks": data},
        "hardwareProfile": {"vmSize": v.get("size")},
        "securityProfile": {
            "encryptionAtHost": v.get("encryption_at_host_enabled"),
            "uefiSettings": {"secureBootEnabled": v.get("secure_boot_enabled"), "vTpmEnabled": v.get("vtpm_enabled")},
        },
        "osProfile": {
            "linuxConfiguration": {"disablePasswordAuthentication": v.get("disable_password_authentication")}
        },
        "networkProfile": {
            "networkInterfaces": [
                {"id": c.ref(r, f"network_interface_ids.{i}")} for i in range(len(v.get("network_interface_ids") or []))
            ]
        },
    }


def _nic(c: Converter, r: Resource) -> dict[str, Any]:
    configs = []
    for i, conf in enumerate(r.values.get("ip_configuration") or []):
        props: dict[str, Any] = {
            "privateIPAllocationMethod": conf.get("private_ip_address_allocation"),
            "subnet": {"id": c.ref(r, f"ip_configuration.{i}.subnet_id")},
            "primary": i == 0,
        }
        public = c.ref(r, f"ip_configuration.{i}.public_ip_address_id")
        if public:
            props["publicIPAddress"] = {"id": public}
        name = conf.get("name")
        configs.append({"id": f"{c.ids[r.address]}/ipConfigurations/{name}", "name": name, "properties": props})
    return {"ipConfigurations": configs}


def _public_ip(c: Converter, r: Resource) -> dict[str, Any]:
    return {
        "publicIPAllocationMethod": r.values.get("allocation_method"),
        "publicIPAddressVersion": r.values.get("ip_version"),
    }


def _sql(c: Converter, r: Resource) -> dict[str, Any]:
    return {}  # TDE lives in the encryptionProtector child (see `_protector`), not in the server


def _protector(c: Converter, r: Resource) -> dict[str, Any]:
    """`GET {server}/encryptionProtector/current` (the shape of EncryptionProtectorGet.json)."""
    keys = [c.ref(link, "key_vault_key_id") for link in c.links(_TDE, "server_id", r)]
    key = next((k for k in keys if k), None)
    ident = f"{c.ids[r.address]}/encryptionProtector/current"
    props: dict[str, Any] = {"serverKeyName": "ServiceManaged", "serverKeyType": "ServiceManaged"}
    if key:
        name = key.rstrip("/").split("/")[-1]
        props = {
            "serverKeyName": f"{name}_0123456789abcdef",
            "serverKeyType": "AzureKeyVault",
            "uri": f"{key}/0123456789abcdef",
            "autoRotationEnabled": True,
        }
    kind = "azurekeyvault" if key else "servicemanaged"
    base = {"id": ident, "name": "current", "type": "Microsoft.Sql/servers/encryptionProtector"}
    return {**base, "kind": kind, "location": r.location, "properties": props}


def _diagnostic(c: Converter, ds: Resource) -> tuple[str, dict[str, Any]] | None:
    """One entry of `GET {resource}/providers/Microsoft.Insights/diagnosticSettings` (DiagnosticSettings_Get)."""
    target = c.ref(ds, "target_resource_id")
    if not target:
        return None
    sinks = {
        "workspaceId": c.ref(ds, "log_analytics_workspace_id"),
        "storageAccountId": c.ref(ds, "storage_account_id"),
        "eventHubAuthorizationRuleId": c.ref(ds, "eventhub_authorization_rule_id"),
    }
    props: dict[str, Any] = {k: v for k, v in sinks.items() if v}
    props["logs"] = [{"categoryGroup": "allLogs", "enabled": True}]
    props["metrics"] = [{"category": "AllMetrics", "enabled": True}]
    entry = {
        "id": f"{target}/providers/microsoft.insights/diagnosticSettings/{ds.name}",
        "type": "Microsoft.Insights/diagnosticSettings",
        "name": ds.name,
        "properties": props,
    }
    return f"{target}/providers/microsoft.insights/diagnosticsettings".lower(), entry


_TDE = "azurerm_mssql_server_transparent_data_encryption"


def _postgres(c: Converter, r: Resource) -> dict[str, Any]:
    key = c.ref(r, "customer_managed_key.key_vault_key_id")
    ha = block(r, "high_availability")
    common = {
        # the flexible server's GET (and Resource Graph row): mode Disabled when no high_availability block
        "highAvailability": {"mode": ha.get("mode") if isinstance(ha, dict) else "Disabled"},
        "backup": {
            "geoRedundantBackup": _enabled(bool(r.values.get("geo_redundant_backup_enabled"))),
            "backupRetentionDays": r.values.get("backup_retention_days"),
        },
    }
    if key:
        return {"dataEncryption": {"type": "AzureKeyVault", "primaryKeyURI": key}, **common}
    return {"dataEncryption": {"type": "SystemManaged"}, **common}


def _flex_sku(r: Resource) -> dict[str, Any]:
    """`GP_Standard_D2ds_v4` -> {"name": "Standard_D2ds_v4", "tier": "GeneralPurpose"} (as ARM answers)."""
    raw = str(r.values.get("sku_name") or "")
    prefix, _, name = raw.partition("_")
    return {"name": name, "tier": {"B": "Burstable", "GP": "GeneralPurpose", "MO": "MemoryOptimized"}.get(prefix)}


def _sql_sku(r: Resource) -> dict[str, Any]:
    """azurerm `GP_Gen5_2` / `S0` -> ARM's database sku (vCore: name without the capacity; DTU: the tier)."""
    raw = str(r.values.get("sku_name") or "")
    tiers = {"GP": "GeneralPurpose", "BC": "BusinessCritical", "HS": "Hyperscale"}
    parts = raw.split("_")
    if parts[0] in tiers and len(parts) >= 3:
        return {"name": "_".join(parts[:-1]), "tier": tiers[parts[0]], "family": parts[-2], "capacity": int(parts[-1])}
    dtu = {"B": "Basic", "S": "Standard", "P": "Premium"}.get(raw[:1], raw)
    return {"name": dtu, "tier": dtu}


def _database(c: Converter, r: Resource) -> dict[str, Any]:
    return {
        "requestedBackupStorageRedundancy": r.values.get("storage_account_type"),
        "requestedServiceObjectiveName": r.values.get("sku_name"),
    }


def _cluster(c: Converter, r: Resource) -> dict[str, Any]:
    pool = block(r, "default_node_pool") or {}
    return {
        "agentPoolProfiles": [
            {
                "name": pool.get("name"),
                "count": pool.get("node_count"),
                "vmSize": pool.get("vm_size"),
                "mode": "System",
                **({"availabilityZones": list(pool["zones"])} if pool.get("zones") else {}),
            }
        ]
    }


def _plan(c: Converter, r: Resource) -> dict[str, Any]:
    return {"zoneRedundant": bool(r.values.get("zone_balancing_enabled"))}


def _scale_set(c: Converter, r: Resource) -> dict[str, Any]:
    kind = r.get("os_disk.storage_account_type")
    managed = {"storageAccountType": kind} if isinstance(kind, str) else {}
    return {"virtualMachineProfile": {"storageProfile": {"osDisk": {"osType": "Linux", "managedDisk": managed}}}}


def _cosmos(c: Converter, r: Resource) -> dict[str, Any]:
    locations = [
        {
            "locationName": g.get("location"),
            "failoverPriority": g.get("failover_priority", i),
            "isZoneRedundant": bool(g.get("zone_redundant")),
        }
        for i, g in enumerate(r.values.get("geo_location") or [])
    ]
    return {
        "locations": locations,
        "enableMultipleWriteLocations": bool(r.values.get("multiple_write_locations_enabled")),
    }


def _redis(c: Converter, r: Resource) -> dict[str, Any]:
    v = r.values
    return {"sku": {"name": v.get("sku_name"), "family": v.get("family"), "capacity": v.get("capacity")}}


def _gateway(c: Converter, r: Resource) -> dict[str, Any]:
    sku = r.values.get("sku")
    return {"gatewayType": r.values.get("type"), "sku": {"name": sku, "tier": sku}}


def _app_gateway(c: Converter, r: Resource) -> dict[str, Any]:
    sku = block(r, "sku") or {}
    scale = block(r, "autoscale_configuration")
    out: dict[str, Any] = {"sku": {"name": sku.get("name"), "tier": sku.get("tier"), "capacity": sku.get("capacity")}}
    if isinstance(scale, dict):
        out["autoscaleConfiguration"] = {
            "minCapacity": scale.get("min_capacity"),
            "maxCapacity": scale.get("max_capacity"),
        }
    return out


def _firewall(c: Converter, r: Resource) -> dict[str, Any]:
    return {"sku": {"name": r.values.get("sku_name"), "tier": r.values.get("sku_tier")}}


def _lb(c: Converter, r: Resource) -> dict[str, Any]:
    configs = [
        {"name": f.get("name"), "properties": {}, **({"zones": list(f["zones"])} if f.get("zones") else {})}
        for f in r.values.get("frontend_ip_configuration") or []
    ]
    return {"frontendIPConfigurations": configs}


def _la_cluster(c: Converter, r: Resource) -> dict[str, Any]:
    for link in c.links("azurerm_log_analytics_cluster_customer_managed_key", "log_analytics_cluster_id", r):
        key = c.ref(link, "key_vault_key_id")
        if key:
            vault_uri, name = key.split("/keys/")
            return {"keyVaultProperties": {"keyVaultUri": vault_uri + "/", "keyName": name}}
    return {}


def _workspace(c: Converter, r: Resource) -> dict[str, Any]:
    for link in c.links("azurerm_log_analytics_linked_service", "workspace_id", r):
        cluster = c.ref(link, "write_access_id")
        if cluster:
            return {"features": {"clusterResourceId": cluster}}
    return {}


def _children(
    c: Converter, r: Resource, child_type: str, attr: str, props: Callable[[Resource], dict[str, Any]]
) -> list:
    out = []
    for child in c.inv.resources(child_type):
        if child.values.get(attr) == r.name and child.values.get("resource_group_name") == r.values.get(
            "resource_group_name"
        ):
            out.append({"id": c.ids[child.address], "name": child.name, "properties": props(child)})
    return out


def _vnet(c: Converter, r: Resource) -> dict[str, Any]:
    def peering(p: Resource) -> dict[str, Any]:
        return {
            "remoteVirtualNetwork": {"id": c.ref(p, "remote_virtual_network_id")},
            "allowForwardedTraffic": p.values.get("allow_forwarded_traffic"),
            "allowGatewayTransit": p.values.get("allow_gateway_transit"),
            "useRemoteGateways": p.values.get("use_remote_gateways"),
            "allowVirtualNetworkAccess": p.values.get("allow_virtual_network_access"),
            "peeringState": "Connected",
        }

    def subnet(s: Resource) -> dict[str, Any]:
        # Resource Graph shows the association resources Terraform keeps separate inside the subnet
        props: dict[str, Any] = {
            "addressPrefixes": s.values.get("address_prefixes"),
            "defaultOutboundAccess": s.values.get("default_outbound_access_enabled"),
        }
        for link_type, attr, prop in SUBNET_LINKS:
            for link in c.links(link_type, "subnet_id", s):
                props[prop] = {"id": c.ref(link, attr)}
        return props

    return {
        "addressSpace": {"addressPrefixes": r.values.get("address_space")},
        "subnets": _children(c, r, "azurerm_subnet", "virtual_network_name", subnet),
        "virtualNetworkPeerings": _children(c, r, "azurerm_virtual_network_peering", "virtual_network_name", peering),
    }


def _route_table(c: Converter, r: Resource) -> dict[str, Any]:
    routes = [
        {
            "id": f"{c.ids[r.address]}/routes/{route.get('name')}",
            "name": route.get("name"),
            "properties": {
                "addressPrefix": route.get("address_prefix"),
                "nextHopType": route.get("next_hop_type"),
                "nextHopIpAddress": route.get("next_hop_in_ip_address"),
            },
        }
        for route in r.values.get("route") or []
    ]
    return {"routes": routes, "disableBgpRoutePropagation": r.values.get("bgp_route_propagation_enabled") is False}


def _nsg(c: Converter, r: Resource) -> dict[str, Any]:
    def rule(x: Resource) -> dict[str, Any]:
        return {camel(k): v for k, v in x.values.items() if isinstance(v, (str, int)) and k not in ("name", "id")}

    return {"securityRules": _children(c, r, "azurerm_network_security_rule", "network_security_group_name", rule)}


#: association resource -> (attribute naming the linked resource, subnet property holding it)
SUBNET_LINKS = (
    ("azurerm_subnet_network_security_group_association", "network_security_group_id", "networkSecurityGroup"),
    ("azurerm_subnet_route_table_association", "route_table_id", "routeTable"),
)

#: Terraform type -> ARM `sku` of a resource
SKUS: dict[str, Callable[[Resource], dict[str, Any]]] = {
    "azurerm_storage_account": lambda r: {
        "name": f"{r.values.get('account_tier')}_{r.values.get('account_replication_type')}",
        "tier": r.values.get("account_tier"),
    },
    "azurerm_public_ip": lambda r: {"name": r.values.get("sku"), "tier": r.values.get("sku_tier")},
    "azurerm_managed_disk": lambda r: {"name": r.values.get("storage_account_type")},
    "azurerm_kubernetes_cluster": lambda r: {"name": "Base", "tier": r.values.get("sku_tier") or "Free"},
    "azurerm_service_plan": lambda r: {"name": r.values.get("sku_name"), "capacity": r.values.get("worker_count") or 1},
    "azurerm_linux_virtual_machine_scale_set": lambda r: {
        "name": r.values.get("sku"),
        "tier": "Standard",
        "capacity": r.values.get("instances"),
    },
    "azurerm_postgresql_flexible_server": _flex_sku,
    "azurerm_mssql_database": _sql_sku,
    "azurerm_lb": lambda r: {"name": r.values.get("sku") or "Basic", "tier": "Regional"},
    "azurerm_bastion_host": lambda r: {"name": r.values.get("sku") or "Basic"},
}

#: Terraform types whose zones ARM keeps in the top-level `zones` list
ZONAL = {
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_linux_virtual_machine_scale_set",
    "azurerm_firewall",
    "azurerm_public_ip",
    "azurerm_application_gateway",
    "azurerm_redis_cache",
}

BUILDERS: dict[str, Callable[[Converter, Resource], dict[str, Any]]] = {
    "azurerm_network_interface": _nic,
    "azurerm_public_ip": _public_ip,
    "azurerm_storage_account": _storage,
    "azurerm_key_vault": _vault,
    "azurerm_disk_encryption_set": _des,
    "azurerm_managed_disk": _disk,
    "azurerm_linux_virtual_machine": _vm,
    "azurerm_mssql_server": _sql,
    "azurerm_postgresql_flexible_server": _postgres,
    "azurerm_mssql_database": _database,
    "azurerm_kubernetes_cluster": _cluster,
    "azurerm_service_plan": _plan,
    "azurerm_linux_virtual_machine_scale_set": _scale_set,
    "azurerm_cosmosdb_account": _cosmos,
    "azurerm_redis_cache": _redis,
    "azurerm_virtual_network_gateway": _gateway,
    "azurerm_application_gateway": _app_gateway,
    "azurerm_firewall": _firewall,
    "azurerm_lb": _lb,
    "azurerm_log_analytics_cluster": _la_cluster,
    "azurerm_log_analytics_workspace": _workspace,
    "azurerm_virtual_network": _vnet,
    "azurerm_route_table": _route_table,
    "azurerm_network_security_group": _nsg,
}


def convert(plan_dir: Path, vault_port: int) -> Landing:
    inventory = build_inventory(Settings(plan=[plan_dir]))
    c = Converter(inventory, vault_port)
    landing = Landing(ids=dict(c.ids))
    for r in inventory:
        if r.type == "azurerm_key_vault_key":
            vault = c.one(r, "key_vault_id")
            landing.keys[(vault.name.lower(), r.name.lower())] = c.key_bundle(r)
        elif r.type not in FOLDED and r.arm_type:
            landing.rows.setdefault(r.subscription_id, []).append(c.arm(r))
        if r.type == "azurerm_mssql_server":
            protector = _protector(c, r)
            landing.children[protector["id"].lower()] = protector
        elif r.type == "azurerm_monitor_diagnostic_setting":
            found = _diagnostic(c, r)
            if found is not None:
                landing.children.setdefault(found[0], {"value": []})["value"].append(found[1])
    return landing
