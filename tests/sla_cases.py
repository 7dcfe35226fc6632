"""One case per row of the SLA table (rules/sla.py): Terraform values of a compliant Prod resource,
a violating one (with the target it falls below), the attribute that, unknown at plan time, makes
its SLA unknown; and NonProd values that pay for SLA they don't need, with a look-alike that doesn't.

The figures asserted come from Microsoft's published SLAs (see docs/sla.md), not from the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Row:
    type: str
    compliant: dict[str, Any]
    #: the SLA Microsoft publishes for `compliant` (percent; asserted through sla.composite)
    compliant_sla: float
    #: (values, target) below which they fall; None: the row has no configuration below any target
    violating: tuple[dict[str, Any], float] | None = None
    #: the attribute path (Terraform, as in planbuilder's `unknown`) that decides the SLA
    unknown: str | None = None
    #: NonProd values paying for SLA or durability, and the cheaper setting the finding names
    cost: tuple[dict[str, Any], str] | None = None
    #: NonProd look-alike that pays for nothing extra
    cheap: dict[str, Any] | None = None


def disk(kind: str) -> dict[str, Any]:
    return {"size": "Standard_D2s_v5", "os_disk": [{"caching": "ReadWrite", "storage_account_type": kind}]}


ROWS: tuple[Row, ...] = (
    Row(
        "azurerm_linux_virtual_machine",
        disk("Premium_LRS"),
        99.9,
        (disk("Standard_LRS"), 99.5),
        "os_disk.0.storage_account_type",
        (disk("Premium_LRS"), "StandardSSD_LRS"),
        disk("StandardSSD_LRS"),
    ),
    Row(
        "azurerm_windows_virtual_machine",
        disk("StandardSSD_LRS"),
        99.5,
        (disk("StandardSSD_LRS"), 99.9),
        "os_disk.0.storage_account_type",
    ),
    Row(
        "azurerm_virtual_machine",
        {"vm_size": "Standard_D2s_v5", "storage_os_disk": [{"managed_disk_type": "Premium_LRS"}]},
        99.9,
        ({"vm_size": "Standard_D2s_v5", "storage_os_disk": [{"managed_disk_type": "Standard_LRS"}]}, 99.5),
        "storage_os_disk.0.managed_disk_type",
    ),
    Row(
        "azurerm_linux_virtual_machine_scale_set",
        {"instances": 2, "zones": ["1", "2"], **disk("StandardSSD_LRS")},
        99.99,
        ({"instances": 1, **disk("Standard_LRS")}, 99.5),
        "instances",
        ({"instances": 3, **disk("StandardSSD_LRS")}, "instances = 1"),
        {"instances": 1, **disk("StandardSSD_LRS")},
    ),
    Row(
        "azurerm_windows_virtual_machine_scale_set",
        {"instances": 2, **disk("StandardSSD_LRS")},
        99.95,
        ({"instances": 2, **disk("StandardSSD_LRS")}, 99.99),
        "instances",
    ),
    Row(
        "azurerm_orchestrated_virtual_machine_scale_set",
        {"instances": 3, "zones": ["1", "2", "3"]},
        99.99,
        None,
        "instances",
    ),
    Row(
        "azurerm_kubernetes_cluster",
        {"sku_tier": "Standard", "default_node_pool": [{"name": "system", "zones": ["1", "2", "3"]}]},
        99.95,
        ({"sku_tier": "Free", "default_node_pool": [{"name": "system"}]}, 99.5),
        "sku_tier",
        ({"sku_tier": "Standard", "default_node_pool": [{"name": "system"}]}, 'sku_tier = "Free"'),
        {"sku_tier": "Free", "default_node_pool": [{"name": "system"}]},
    ),
    Row(
        "azurerm_service_plan",
        {"os_type": "Linux", "sku_name": "P1v3", "worker_count": 2},
        99.95,
        ({"os_type": "Linux", "sku_name": "F1"}, 99.5),
        "sku_name",
        ({"os_type": "Linux", "sku_name": "S1", "worker_count": 2}, "worker_count = 1"),
        {"os_type": "Linux", "sku_name": "B1", "worker_count": 1},
    ),
    Row(
        "azurerm_app_service_plan",
        {"kind": "Linux", "sku": [{"tier": "Standard", "size": "S1", "capacity": 1}]},
        99.95,
        ({"kind": "Linux", "sku": [{"tier": "Shared", "size": "D1"}]}, 99.5),
        "sku.0.size",
    ),
    Row("azurerm_container_group", {"os_type": "Linux", "ip_address_type": "Private"}, 99.9, ({}, 99.95)),
    Row(
        "azurerm_container_app_environment",
        {"zone_redundancy_enabled": True},
        99.95,
        ({}, 99.99),
        "zone_redundancy_enabled",
        ({"zone_redundancy_enabled": True}, "zone_redundancy_enabled = false"),
        {"zone_redundancy_enabled": False},
    ),
    Row(
        "azurerm_application_gateway",
        {"sku": [{"name": "WAF_v2", "tier": "WAF_v2", "capacity": 2}], "zones": ["1", "2", "3"]},
        99.95,
        ({"sku": [{"name": "Standard_Medium", "tier": "Standard", "capacity": 2}]}, 99.5),
        "sku.0.tier",
    ),
    Row("azurerm_firewall", {"sku_name": "AZFW_VNet", "sku_tier": "Standard", "zones": ["1", "2", "3"]}, 99.99,
        ({"sku_name": "AZFW_VNet", "sku_tier": "Standard"}, 99.99), "zones"),
    Row(
        "azurerm_virtual_network_gateway",
        {"type": "Vpn", "sku": "VpnGw2AZ"},
        99.95,
        ({"type": "Vpn", "sku": "Basic"}, 99.95),
        "sku",
        ({"type": "Vpn", "sku": "VpnGw1AZ"}, "without AZ"),
        {"type": "Vpn", "sku": "VpnGw1"},
    ),
    Row("azurerm_lb", {"sku": "Standard"}, 99.99, ({"sku": "Basic"}, 99.5), "sku"),
    Row("azurerm_public_ip", {"sku": "Standard", "allocation_method": "Static"}, 99.99,
        ({"sku": "Basic", "allocation_method": "Static"}, 99.5), "sku"),
    Row("azurerm_private_endpoint", {}, 99.99, ({}, 99.999)),
    Row("azurerm_nat_gateway", {}, 99.99),
    Row("azurerm_bastion_host", {"sku": "Standard"}, 99.95, ({"sku": "Developer"}, 99.5), "sku"),
    Row("azurerm_dns_zone", {}, 100.0),
    Row("azurerm_private_dns_zone", {}, 100.0),
    Row("azurerm_cdn_frontdoor_profile", {"sku_name": "Standard_AzureFrontDoor"}, 99.99),
    Row("azurerm_frontdoor", {}, 99.99),
    Row(
        "azurerm_storage_account",
        {"account_tier": "Standard", "account_replication_type": "ZRS", "access_tier": "Hot"},
        99.9,
        ({"account_tier": "Standard", "account_replication_type": "LRS", "access_tier": "Cool"}, 99.5),
        "account_replication_type",
        ({"account_tier": "Standard", "account_replication_type": "GRS"}, 'account_replication_type = "LRS"'),
        {"account_tier": "Standard", "account_replication_type": "LRS"},
    ),
    Row(
        "azurerm_mssql_database",
        {"sku_name": "GP_Gen5_2", "zone_redundant": False, "storage_account_type": "Local"},
        99.99,
        ({"sku_name": "HS_Gen5_2", "zone_redundant": False, "storage_account_type": "Local"}, 99.99),
        "sku_name",
        ({"sku_name": "BC_Gen5_2", "zone_redundant": False, "storage_account_type": "Local"}, "General Purpose"),
        {"sku_name": "GP_S_Gen5_1", "zone_redundant": False, "storage_account_type": "Local"},
    ),
    Row(
        "azurerm_mssql_managed_instance",
        {"sku_name": "GP_Gen5", "storage_account_type": "LRS"},
        99.99,
        None,
        "sku_name",
        ({"sku_name": "BC_Gen5", "storage_account_type": "LRS"}, "General Purpose"),
        {"sku_name": "GP_Gen5", "storage_account_type": "LRS"},
    ),
    Row(
        "azurerm_postgresql_flexible_server",
        {"sku_name": "GP_Standard_D2ds_v5", "high_availability": [{"mode": "ZoneRedundant"}]},
        99.99,
        ({"sku_name": "GP_Standard_D2ds_v5"}, 99.95),
        "high_availability.0.mode",
        ({"sku_name": "B_Standard_B1ms", "high_availability": [{"mode": "SameZone"}]}, "no high_availability block"),
        {"sku_name": "B_Standard_B1ms", "geo_redundant_backup_enabled": False},
    ),
    Row(
        "azurerm_mysql_flexible_server",
        {"sku_name": "GP_Standard_D2ds", "high_availability": [{"mode": "SameZone"}]},
        99.95,
        ({"sku_name": "GP_Standard_D2ds"}, 99.95),
        "high_availability.0.mode",
        ({"sku_name": "B_Standard_B1ms", "geo_redundant_backup_enabled": True}, "geo_redundant_backup_enabled = false"),
        {"sku_name": "B_Standard_B1ms"},
    ),
    Row(
        "azurerm_cosmosdb_account",
        {"offer_type": "Standard", "geo_location": [{"location": "westeurope", "zone_redundant": True}]},
        99.995,
        ({"offer_type": "Standard", "geo_location": [{"location": "westeurope", "failover_priority": 0}]}, 99.995),
        "geo_location",
        (
            {
                "offer_type": "Standard",
                "geo_location": [
                    {"location": "westeurope", "failover_priority": 0},
                    {"location": "northeurope", "failover_priority": 1},
                ],
            },
            "one geo_location",
        ),
        {"offer_type": "Standard", "geo_location": [{"location": "westeurope", "failover_priority": 0}]},
    ),
    Row(
        "azurerm_redis_cache",
        {"sku_name": "Standard", "family": "C", "capacity": 1},
        99.9,
        ({"sku_name": "Basic", "family": "C", "capacity": 1}, 99.5),
        "sku_name",
        ({"sku_name": "Standard", "family": "C", "capacity": 1}, 'sku_name = "Basic"'),
        {"sku_name": "Basic", "family": "C", "capacity": 1},
    ),
    Row("azurerm_key_vault", {"sku_name": "standard"}, 99.99),
    Row("azurerm_key_vault_managed_hardware_security_module", {"sku_name": "Standard_B1"}, 99.9),
    Row(
        "azurerm_eventhub_namespace",
        {"sku": "Standard", "capacity": 1},
        99.95,
        ({"sku": "Standard", "capacity": 1}, 99.99),
        "sku",
    ),
    # Premium / Dedicated Event Hubs are no NonProd cost here: customer-managed keys need them
    Row("azurerm_eventhub_cluster", {"sku_name": "Dedicated_1"}, 99.99),
    Row("azurerm_servicebus_namespace", {"sku": "Premium", "capacity": 1}, 99.95,
        ({"sku": "Standard"}, 99.95), "sku"),
    Row(
        "azurerm_container_registry",
        {"sku": "Premium"},
        99.9,
        ({"sku": "Basic"}, 99.95),
        "georeplications",
        ({"sku": "Premium", "georeplications": [{"location": "northeurope"}]}, "no georeplications"),
        {"sku": "Premium", "georeplications": []},
    ),
    Row("azurerm_app_configuration", {"sku": "standard"}, 99.9, ({"sku": "free"}, 99.5), "sku"),
    Row("azurerm_log_analytics_workspace", {"sku": "PerGB2018"}, 99.9, ({"sku": "PerGB2018"}, 99.95)),
    Row("azurerm_application_insights", {"application_type": "web"}, 99.9),
)  # fmt: skip

#: rows covered by another resource's SLA: never an `sla.resource` finding, their costs still count
COVERED: dict[str, tuple[dict[str, Any], dict[str, Any] | None, str]] = {
    # type: (NonProd values paying extra, NonProd look-alike, cheaper setting named)
    "azurerm_managed_disk": (
        {"storage_account_type": "Premium_ZRS", "create_option": "Empty", "disk_size_gb": 32},
        {"storage_account_type": "Premium_LRS", "create_option": "Empty", "disk_size_gb": 32},
        "_LRS",
    ),
    "azurerm_mssql_failover_group": ({}, None, "no failover group"),
}
