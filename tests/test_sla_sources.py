# ruff: noqa: E501  (one twin a line pair: the ARM payloads read as Azure returns them)
"""The SLA checks give the same answers on plan, HCL and live: the same resource written as a plan
(azurerm attributes), as Terraform source, and as the ARM JSON Azure returns (property names as in
Azure/azure-rest-api-specs' examples) gets the same SLA, the same cost and overbuilt findings."""

from __future__ import annotations

from typing import Any

import pytest
from planbuilder import PlanBuilder

from pytest_cloudcheck import checks, sla
from pytest_cloudcheck.environments import classify
from pytest_cloudcheck.model import Inventory
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory
from pytest_cloudcheck.sources.live.mapping import live_resource

SUB = "8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02"

#: (azurerm type, Terraform values, ARM provider type, ARM payload without id/name/type/location/tags)
TWINS: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
    ("azurerm_storage_account", {"account_tier": "Standard", "account_replication_type": "GRS", "access_tier": "Hot"},
     "Microsoft.Storage/storageAccounts",
     {"sku": {"name": "Standard_GRS", "tier": "Standard"}, "kind": "StorageV2", "properties": {"accessTier": "Hot"}}),
    ("azurerm_storage_account", {"account_tier": "Standard", "account_replication_type": "LRS", "access_tier": "Cool"},
     "Microsoft.Storage/storageAccounts",
     {"sku": {"name": "Standard_LRS", "tier": "Standard"}, "kind": "StorageV2", "properties": {"accessTier": "Cool"}}),
    ("azurerm_storage_account", {"account_tier": "Standard", "account_replication_type": "RAGZRS"},
     "Microsoft.Storage/storageAccounts",
     {"sku": {"name": "Standard_RAGZRS", "tier": "Standard"}, "kind": "StorageV2", "properties": {"accessTier": "Hot"}}),
    ("azurerm_kubernetes_cluster", {"sku_tier": "Free", "default_node_pool": [{"name": "system", "zones": ["1", "2"]}]},
     "Microsoft.ContainerService/managedClusters",
     {"sku": {"name": "Base", "tier": "Free"},
      "properties": {"agentPoolProfiles": [{"name": "system", "availabilityZones": ["1", "2"]}]}}),
    ("azurerm_kubernetes_cluster", {"sku_tier": "Standard", "default_node_pool": [{"name": "system", "zones": ["1", "2", "3"]}]},
     "Microsoft.ContainerService/managedClusters",
     {"sku": {"name": "Base", "tier": "Standard"},
      "properties": {"agentPoolProfiles": [{"name": "system", "availabilityZones": ["1", "2", "3"]}]}}),
    ("azurerm_service_plan", {"os_type": "Linux", "sku_name": "P1v3", "worker_count": 3, "zone_balancing_enabled": True},
     "Microsoft.Web/serverfarms",
     {"sku": {"name": "P1v3", "tier": "PremiumV3", "capacity": 3}, "kind": "linux", "properties": {"zoneRedundant": True}}),
    ("azurerm_service_plan", {"os_type": "Linux", "sku_name": "F1"},
     "Microsoft.Web/serverfarms", {"sku": {"name": "F1", "tier": "Free", "capacity": 1}, "properties": {}}),
    ("azurerm_linux_virtual_machine", {"size": "Standard_D2s_v5", "os_disk": [{"storage_account_type": "Standard_LRS"}]},
     "Microsoft.Compute/virtualMachines",
     {"properties": {"hardwareProfile": {"vmSize": "Standard_D2s_v5"},
                     "storageProfile": {"osDisk": {"osType": "Linux", "managedDisk": {"storageAccountType": "Standard_LRS"}}}}}),
    ("azurerm_linux_virtual_machine", {"size": "Standard_D2s_v5", "os_disk": [{"storage_account_type": "Premium_LRS"}]},
     "Microsoft.Compute/virtualMachines",
     {"properties": {"hardwareProfile": {"vmSize": "Standard_D2s_v5"},
                     "storageProfile": {"osDisk": {"osType": "Linux", "managedDisk": {"storageAccountType": "Premium_LRS"}}}}}),
    ("azurerm_linux_virtual_machine_scale_set", {"instances": 3, "zones": ["1", "2", "3"], "sku": "Standard_D2s_v5"},
     "Microsoft.Compute/virtualMachineScaleSets",
     {"sku": {"name": "Standard_D2s_v5", "capacity": 3}, "zones": ["1", "2", "3"],
      "properties": {"virtualMachineProfile": {"storageProfile": {"osDisk": {"osType": "Linux"}}}}}),
    ("azurerm_application_gateway", {"sku": [{"name": "Standard_Medium", "tier": "Standard", "capacity": 2}]},
     "Microsoft.Network/applicationGateways",
     {"properties": {"sku": {"name": "Standard_Medium", "tier": "Standard", "capacity": 2}}}),
    ("azurerm_firewall", {"sku_name": "AZFW_VNet", "sku_tier": "Standard", "zones": ["1", "2", "3"]},
     "Microsoft.Network/azureFirewalls",
     {"zones": ["1", "2", "3"], "properties": {"sku": {"name": "AZFW_VNet", "tier": "Standard"}}}),
    ("azurerm_virtual_network_gateway", {"type": "Vpn", "sku": "VpnGw1AZ"},
     "Microsoft.Network/virtualNetworkGateways",
     {"properties": {"gatewayType": "Vpn", "sku": {"name": "VpnGw1AZ", "tier": "VpnGw1AZ"}, "activeActive": False}}),
    ("azurerm_lb", {"sku": "Basic"}, "Microsoft.Network/loadBalancers",
     {"sku": {"name": "Basic", "tier": "Regional"}, "properties": {"frontendIPConfigurations": [{"name": "fe"}]}}),
    ("azurerm_public_ip", {"sku": "Basic", "allocation_method": "Dynamic"}, "Microsoft.Network/publicIPAddresses",
     {"sku": {"name": "Basic", "tier": "Regional"}, "properties": {"publicIPAllocationMethod": "Dynamic"}}),
    ("azurerm_bastion_host", {"sku": "Developer"}, "Microsoft.Network/bastionHosts", {"sku": {"name": "Developer"}, "properties": {}}),
    ("azurerm_redis_cache", {"sku_name": "Basic", "family": "C", "capacity": 1}, "Microsoft.Cache/redis",
     {"properties": {"sku": {"name": "Basic", "family": "C", "capacity": 1}}}),
    ("azurerm_redis_cache", {"sku_name": "Standard", "family": "C", "capacity": 1}, "Microsoft.Cache/redis",
     {"properties": {"sku": {"name": "Standard", "family": "C", "capacity": 1}}}),
    ("azurerm_mssql_database", {"sku_name": "BC_Gen5_2", "zone_redundant": True, "storage_account_type": "Local"},
     "Microsoft.Sql/servers/databases",
     {"sku": {"name": "BC_Gen5", "tier": "BusinessCritical", "family": "Gen5", "capacity": 2},
      "properties": {"zoneRedundant": True, "requestedBackupStorageRedundancy": "Local"}}),
    ("azurerm_mssql_database", {"sku_name": "S0", "zone_redundant": False},
     "Microsoft.Sql/servers/databases",
     {"sku": {"name": "Standard", "tier": "Standard", "capacity": 10},
      "properties": {"zoneRedundant": False, "requestedBackupStorageRedundancy": "Geo"}}),
    ("azurerm_mssql_managed_instance", {"sku_name": "BC_Gen5", "storage_account_type": "GRS"},
     "Microsoft.Sql/managedInstances",
     {"sku": {"name": "BC_Gen5", "tier": "BusinessCritical"},
      "properties": {"zoneRedundant": False, "requestedBackupStorageRedundancy": "Geo"}}),
    ("azurerm_postgresql_flexible_server",
     {"sku_name": "GP_Standard_D2ds_v5", "high_availability": [{"mode": "ZoneRedundant"}], "geo_redundant_backup_enabled": True},
     "Microsoft.DBforPostgreSQL/flexibleServers",
     {"sku": {"name": "Standard_D2ds_v5", "tier": "GeneralPurpose"},
      "properties": {"highAvailability": {"mode": "ZoneRedundant"}, "backup": {"geoRedundantBackup": "Enabled"}}}),
    ("azurerm_mysql_flexible_server", {"sku_name": "B_Standard_B1ms"},
     "Microsoft.DBforMySQL/flexibleServers",
     {"sku": {"name": "Standard_B1ms", "tier": "Burstable"},
      "properties": {"highAvailability": {"mode": "Disabled"}, "backup": {"geoRedundantBackup": "Disabled"}}}),
    ("azurerm_cosmosdb_account",
     {"geo_location": [{"location": "westeurope", "failover_priority": 0}, {"location": "northeurope", "failover_priority": 1}],
      "multiple_write_locations_enabled": True},
     "Microsoft.DocumentDB/databaseAccounts",
     {"kind": "GlobalDocumentDB",
      "properties": {"enableMultipleWriteLocations": True,
                     "locations": [{"locationName": "West Europe", "failoverPriority": 0, "isZoneRedundant": False},
                                   {"locationName": "North Europe", "failoverPriority": 1, "isZoneRedundant": False}]}}),
    ("azurerm_eventhub_namespace", {"sku": "Premium", "capacity": 1}, "Microsoft.EventHub/namespaces",
     {"sku": {"name": "Premium", "tier": "Premium", "capacity": 1}, "properties": {}}),
    ("azurerm_servicebus_namespace", {"sku": "Basic"}, "Microsoft.ServiceBus/namespaces",
     {"sku": {"name": "Basic", "tier": "Basic"}, "properties": {}}),
    ("azurerm_app_configuration", {"sku": "free"}, "Microsoft.AppConfiguration/configurationStores",
     {"sku": {"name": "free"}, "properties": {}}),
    ("azurerm_container_app_environment", {"zone_redundancy_enabled": True}, "Microsoft.App/managedEnvironments",
     {"properties": {"zoneRedundant": True}}),
    ("azurerm_key_vault", {"sku_name": "standard"}, "Microsoft.KeyVault/vaults",
     {"properties": {"sku": {"family": "A", "name": "standard"}}}),
]  # fmt: skip


def _name(i: int) -> str:
    return f"r{i}"


def _plan_inventory(tmp_path, env: str, settings: dict[str, Any]) -> Inventory:
    plan = PlanBuilder()
    for i, (rtype, values, _, _) in enumerate(TWINS):
        plan.resource(
            f"{rtype}.{_name(i)}",
            {"name": _name(i), "resource_group_name": f"rg-{i}", "location": "westeurope",
             "tags": {"environment": env}, **values},
        )  # fmt: skip
    return build_inventory(Settings(plan=[plan.write(tmp_path / "plan.json")], extra=settings))


def _live_inventory(env: str, settings: dict[str, Any]) -> Inventory:
    resources = []
    for i, (_, _, arm_type, payload) in enumerate(TWINS):
        arm_id = f"/subscriptions/{SUB}/resourceGroups/rg-{i}/providers/{arm_type}/{_name(i)}"
        row = {"id": arm_id, "name": _name(i), "type": arm_type, "location": "westeurope",
               "tags": {"environment": env}, **payload}  # fmt: skip
        resources.append(live_resource(row, f"subscription {SUB}"))
    inventory = Inventory(resources, settings=Settings(extra=settings))
    classify(inventory)
    return inventory


def _answers(inventory: Inventory) -> list[tuple[str, str, str]]:
    """(check, kind, row index) of every finding, and the SLA case of every resource."""
    out = []
    for name in ("sla", "nonprod_cost", "overbuilt"):
        for f in getattr(checks, name)(inventory):
            if f.check != "sla.composite":
                out.append((f.check, f.kind, inventory.get(f.address).name))  # type: ignore[union-attr]
    for r in inventory.resources():
        a = sla.assess(r)
        out.append(("case", a.describe(), str(r.name)))
    return sorted(out)


@pytest.mark.parametrize("env", ["prod", "nonprod"])
def test_plan_and_live_give_the_same_answers(tmp_path, env):
    settings = {"sla_target": "99.95"}
    on_plan = _answers(_plan_inventory(tmp_path, env, settings))
    on_live = _answers(_live_inventory(env, settings))
    assert on_plan == on_live
    kinds = {check.split(".")[0] for check, _, _ in on_plan if check != "case"}
    assert kinds == ({"sla", "overbuilt"} if env == "prod" else {"cost"})


def test_the_live_answers_are_the_published_figures():
    by_name = {str(r.name): sla.assess(r) for r in _live_inventory("prod", {}).resources()}
    figures = {int(name[1:]): a.sla for name, a in by_name.items()}
    assert figures[1] == 99.0  # cool tier
    assert figures[3] is None and figures[4] == 99.95  # AKS Free; Standard with zones
    assert figures[7] == 95.0 and figures[8] == 99.9  # single VM: Standard HDD, Premium SSD
    assert figures[18] == 99.995  # SQL zone-redundant
    assert figures[21] == 99.99  # PostgreSQL zone-redundant HA
    assert figures[23] == 99.999  # Cosmos DB multi-region writes


def _hcl_value(value: Any, indent: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_hcl_value(v, indent) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_hcl_value(v, indent)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def _hcl_body(values: dict[str, Any], indent: str = "  ") -> list[str]:
    lines = []
    for key, value in values.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value) and key != "tags":
            for block in value:
                lines += [f"{indent}{key} {{", *_hcl_body(block, indent + "  "), f"{indent}}}"]
        else:
            lines.append(f"{indent}{key} = {_hcl_value(value, indent)}")
    return lines


def test_plan_and_hcl_give_the_same_answers(tmp_path):
    root = tmp_path / "tf"
    root.mkdir()
    text = []
    for i, (rtype, values, _, _) in enumerate(TWINS):
        body = {"name": _name(i), "resource_group_name": f"rg-{i}", "location": "westeurope",
                "tags": {"environment": "prod" if i % 2 else "test"}, **values}  # fmt: skip
        text += [f'resource "{rtype}" "{_name(i)}" {{', *_hcl_body(body), "}", ""]
    (root / "main.tf").write_text("\n".join(text))
    on_hcl = build_inventory(Settings(hcl=[root], extra={"sla_target": "99.95"}))
    plan = PlanBuilder()
    for i, (rtype, values, _, _) in enumerate(TWINS):
        plan.resource(
            f"{rtype}.{_name(i)}",
            {"name": _name(i), "resource_group_name": f"rg-{i}", "location": "westeurope",
             "tags": {"environment": "prod" if i % 2 else "test"}, **values},
        )  # fmt: skip
    on_plan = build_inventory(Settings(plan=[plan.write(tmp_path / "plan.json")], extra={"sla_target": "99.95"}))
    assert _answers(on_hcl) == _answers(on_plan)
    assert any(check.startswith("cost.") for check, _, _ in _answers(on_hcl))
