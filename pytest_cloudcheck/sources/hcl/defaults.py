"""azurerm provider defaults of attributes a configuration may leave unset.

A plan shows the provider's default for an optional attribute the source does not set
(`disable_password_authentication = true` on a Linux VM); the HCL source has only what is written.
This table gives the HCL source the same values for the attributes that checks and squad tests
read (security-relevant switches, mostly). Values are the azurerm 4.x defaults documented on the
provider's resource pages. An attribute neither set nor listed here stays absent (`get()` gives
None), never a guessed value.
"""

from __future__ import annotations

from typing import Any

PROVIDER_DEFAULTS: dict[str, dict[str, Any]] = {
    "azurerm_storage_account": {
        "account_kind": "StorageV2",
        "min_tls_version": "TLS1_2",
        "https_traffic_only_enabled": True,
        "public_network_access_enabled": True,
        "shared_access_key_enabled": True,
        "allow_nested_items_to_be_public": True,
        "cross_tenant_replication_enabled": False,
        "default_to_oauth_authentication": False,
        "infrastructure_encryption_enabled": False,
        "is_hns_enabled": False,
        "nfsv3_enabled": False,
        "sftp_enabled": False,
        "local_user_enabled": True,
        "queue_encryption_key_type": "Service",
        "table_encryption_key_type": "Service",
        "dns_endpoint_type": "Standard",
    },
    "azurerm_key_vault": {
        "soft_delete_retention_days": 90,
        "purge_protection_enabled": False,
        "public_network_access_enabled": True,
        "enabled_for_deployment": False,
        "enabled_for_disk_encryption": False,
        "enabled_for_template_deployment": False,
    },
    "azurerm_subnet": {
        "private_endpoint_network_policies": "Disabled",
        "private_link_service_network_policies_enabled": True,
        "default_outbound_access_enabled": True,
    },
    "azurerm_route_table": {"bgp_route_propagation_enabled": True},
    "azurerm_virtual_network": {"private_endpoint_vnet_policies": "Disabled"},
    "azurerm_virtual_network_peering": {
        "allow_virtual_network_access": True,
        "allow_forwarded_traffic": False,
        "allow_gateway_transit": False,
        "use_remote_gateways": False,
        "peer_complete_virtual_networks_enabled": True,
    },
    "azurerm_network_interface": {"accelerated_networking_enabled": False, "ip_forwarding_enabled": False},
    "azurerm_public_ip": {
        "ip_version": "IPv4",
        "sku": "Standard",
        "sku_tier": "Regional",
        "idle_timeout_in_minutes": 4,
        "ddos_protection_mode": "VirtualNetworkInherited",
    },
    "azurerm_linux_virtual_machine": {
        "allow_extension_operations": True,
        "provision_vm_agent": True,
        "disable_password_authentication": True,
        "priority": "Regular",
        "patch_mode": "ImageDefault",
        "patch_assessment_mode": "ImageDefault",
        "extensions_time_budget": "PT1H30M",
        "max_bid_price": -1,
    },
    "azurerm_mssql_server": {
        "public_network_access_enabled": True,
        "outbound_network_restriction_enabled": False,
        "express_vulnerability_assessment_enabled": False,
    },
    "azurerm_mssql_server_transparent_data_encryption": {"auto_rotation_enabled": False},
    "azurerm_disk_encryption_set": {
        "auto_key_rotation_enabled": False,
        "encryption_type": "EncryptionAtRestWithCustomerKey",
    },
    "azurerm_firewall_policy": {"sku": "Standard", "threat_intelligence_mode": "Alert"},
    "azurerm_virtual_network_gateway": {
        "active_active": False,
        "generation": "None",
        "ip_sec_replay_protection_enabled": True,
        "vpn_type": "RouteBased",
    },
    "azurerm_bastion_host": {"sku": "Basic", "copy_paste_enabled": True, "scale_units": 2},
    "azurerm_log_analytics_workspace": {
        "sku": "PerGB2018",
        "daily_quota_gb": -1,
        "internet_ingestion_enabled": True,
        "internet_query_enabled": True,
        "local_authentication_disabled": False,
    },
    "azurerm_cosmosdb_account": {
        "public_network_access_enabled": True,
        "free_tier_enabled": False,
        "automatic_failover_enabled": False,
        "multiple_write_locations_enabled": False,
    },
    "azurerm_recovery_services_vault": {
        "soft_delete_enabled": True,
        "storage_mode_type": "GeoRedundant",
        "public_network_access_enabled": True,
    },
}
