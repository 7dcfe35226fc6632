"""The resource-type table: azurerm type <-> ARM type, and what kind of thing each one is.

One row a type. `cloud.resources("Microsoft.Storage/storageAccounts")` and
`cloud.resources("azurerm_storage_account")` resolve through this table, and the live source maps
ARM resources back to azurerm types through it. Rule tables of the checks (where a CMK key lives,
which backups are infrastructure backups) sit next to their checks and key on these names.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cache
from importlib import resources as importlib_resources
from typing import Any, NamedTuple

from .errors import UnknownResourceType


class AzureType(NamedTuple):
    azurerm: str
    arm: str
    #: "data" stores data at rest; others: compute, network, security, backup, identity,
    #: monitoring, platform, link (a resource that only links two others)
    kind: str

    @property
    def data_bearing(self) -> bool:
        return self.kind == "data"


# azurerm type | ARM type | kind. Several azurerm types may share one ARM type (the first one
# listed is the one the live source gives); a child ARM type is written out in full.
_TABLE = """
azurerm_resource_group                                   Microsoft.Resources/resourceGroups                           platform
azurerm_subscription                                     Microsoft.Subscription/aliases                               platform
azurerm_management_group                                 Microsoft.Management/managementGroups                        platform
azurerm_storage_account                                  Microsoft.Storage/storageAccounts                            data
azurerm_storage_account_customer_managed_key             Microsoft.Storage/storageAccounts/customerManagedKey         link
azurerm_storage_encryption_scope                         Microsoft.Storage/storageAccounts/encryptionScopes           link
azurerm_storage_container                                Microsoft.Storage/storageAccounts/blobServices/containers    link
azurerm_storage_share                                    Microsoft.Storage/storageAccounts/fileServices/shares        link
azurerm_storage_object_replication                       Microsoft.Storage/storageAccounts/objectReplicationPolicies  link
azurerm_managed_disk                                     Microsoft.Compute/disks                                      data
azurerm_disk_encryption_set                              Microsoft.Compute/diskEncryptionSets                         security
azurerm_virtual_machine_data_disk_attachment             Microsoft.Compute/virtualMachines/dataDisks                  link
azurerm_linux_virtual_machine                            Microsoft.Compute/virtualMachines                            data
azurerm_windows_virtual_machine                          Microsoft.Compute/virtualMachines                            data
azurerm_virtual_machine                                  Microsoft.Compute/virtualMachines                            data
azurerm_linux_virtual_machine_scale_set                  Microsoft.Compute/virtualMachineScaleSets                    data
azurerm_windows_virtual_machine_scale_set                Microsoft.Compute/virtualMachineScaleSets                    data
azurerm_orchestrated_virtual_machine_scale_set           Microsoft.Compute/virtualMachineScaleSets                    data
azurerm_virtual_machine_scale_set                        Microsoft.Compute/virtualMachineScaleSets                    data
azurerm_snapshot                                         Microsoft.Compute/snapshots                                  backup
azurerm_image                                            Microsoft.Compute/images                                     compute
azurerm_shared_image                                     Microsoft.Compute/galleries/images                           compute
azurerm_shared_image_gallery                             Microsoft.Compute/galleries                                  compute
azurerm_kubernetes_cluster                               Microsoft.ContainerService/managedClusters                   data
azurerm_kubernetes_cluster_node_pool                     Microsoft.ContainerService/managedClusters/agentPools        data
azurerm_mssql_server                                     Microsoft.Sql/servers                                        data
azurerm_sql_server                                       Microsoft.Sql/servers                                        data
azurerm_mssql_database                                   Microsoft.Sql/servers/databases                              data
azurerm_sql_database                                     Microsoft.Sql/servers/databases                              data
azurerm_mssql_server_transparent_data_encryption         Microsoft.Sql/servers/encryptionProtector                    link
azurerm_mssql_managed_instance                           Microsoft.Sql/managedInstances                               data
azurerm_mssql_managed_instance_transparent_data_encryption  Microsoft.Sql/managedInstances/encryptionProtector        link
azurerm_mssql_failover_group                             Microsoft.Sql/servers/failoverGroups                         link
azurerm_sql_failover_group                               Microsoft.Sql/servers/failoverGroups                         link
azurerm_mssql_firewall_rule                              Microsoft.Sql/servers/firewallRules                          network
azurerm_sql_firewall_rule                                Microsoft.Sql/servers/firewallRules                          network
azurerm_cosmosdb_account                                 Microsoft.DocumentDB/databaseAccounts                        data
azurerm_postgresql_flexible_server                       Microsoft.DBforPostgreSQL/flexibleServers                    data
azurerm_postgresql_server                                Microsoft.DBforPostgreSQL/servers                            data
azurerm_postgresql_server_key                            Microsoft.DBforPostgreSQL/servers/keys                       link
azurerm_mysql_flexible_server                            Microsoft.DBforMySQL/flexibleServers                         data
azurerm_mysql_server                                     Microsoft.DBforMySQL/servers                                 data
azurerm_mysql_server_key                                 Microsoft.DBforMySQL/servers/keys                            link
azurerm_mariadb_server                                   Microsoft.DBforMariaDB/servers                               data
azurerm_container_registry                               Microsoft.ContainerRegistry/registries                       data
azurerm_data_factory                                     Microsoft.DataFactory/factories                              data
azurerm_synapse_workspace                                Microsoft.Synapse/workspaces                                 data
azurerm_synapse_workspace_key                            Microsoft.Synapse/workspaces/keys                            link
azurerm_machine_learning_workspace                       Microsoft.MachineLearningServices/workspaces                 data
azurerm_log_analytics_workspace                          Microsoft.OperationalInsights/workspaces                     data
azurerm_log_analytics_cluster                            Microsoft.OperationalInsights/clusters                       data
azurerm_log_analytics_cluster_customer_managed_key       Microsoft.OperationalInsights/clusters/customerManagedKey    link
azurerm_application_insights                             Microsoft.Insights/components                                monitoring
azurerm_monitor_diagnostic_setting                       Microsoft.Insights/diagnosticSettings                        monitoring
azurerm_monitor_action_group                             Microsoft.Insights/actionGroups                              monitoring
azurerm_eventhub_namespace                               Microsoft.EventHub/namespaces                                data
azurerm_eventhub_namespace_customer_managed_key          Microsoft.EventHub/namespaces/customerManagedKey             link
azurerm_eventhub                                         Microsoft.EventHub/namespaces/eventhubs                      link
azurerm_eventhub_cluster                                 Microsoft.EventHub/clusters                                  compute
azurerm_servicebus_namespace                             Microsoft.ServiceBus/namespaces                              data
azurerm_servicebus_namespace_customer_managed_key        Microsoft.ServiceBus/namespaces/customerManagedKey           link
azurerm_servicebus_queue                                 Microsoft.ServiceBus/namespaces/queues                       link
azurerm_servicebus_topic                                 Microsoft.ServiceBus/namespaces/topics                       link
azurerm_app_configuration                                Microsoft.AppConfiguration/configurationStores               data
azurerm_cognitive_account                                Microsoft.CognitiveServices/accounts                         data
azurerm_ai_services                                      Microsoft.CognitiveServices/accounts                         data
azurerm_cognitive_account_customer_managed_key           Microsoft.CognitiveServices/accounts/customerManagedKey      link
azurerm_batch_account                                    Microsoft.Batch/batchAccounts                                data
azurerm_recovery_services_vault                          Microsoft.RecoveryServices/vaults                            data
azurerm_data_protection_backup_vault                     Microsoft.DataProtection/backupVaults                        data
azurerm_redis_enterprise_cluster                         Microsoft.Cache/redisEnterprise                              data
azurerm_managed_redis                                    Microsoft.Cache/redisEnterprise                              data
azurerm_redis_cache                                      Microsoft.Cache/redis                                        data
azurerm_kusto_cluster                                    Microsoft.Kusto/clusters                                     data
azurerm_kusto_cluster_customer_managed_key               Microsoft.Kusto/clusters/customerManagedKey                  link
azurerm_databricks_workspace                             Microsoft.Databricks/workspaces                              data
azurerm_databricks_workspace_customer_managed_key        Microsoft.Databricks/workspaces/customerManagedKey           link
azurerm_databricks_workspace_root_dbfs_customer_managed_key  Microsoft.Databricks/workspaces/rootDbfsCustomerManagedKey  link
azurerm_search_service                                   Microsoft.Search/searchServices                              data
azurerm_data_lake_store                                  Microsoft.DataLakeStore/accounts                             data
azurerm_stream_analytics_cluster                         Microsoft.StreamAnalytics/clusters                           compute
azurerm_healthcare_service                               Microsoft.HealthcareApis/services                            data
azurerm_healthcare_fhir_service                          Microsoft.HealthcareApis/workspaces/fhirservices             data
azurerm_iothub                                           Microsoft.Devices/IotHubs                                    data
azurerm_managed_lustre_file_system                       Microsoft.StorageCache/amlFilesystems                        data
azurerm_hpc_cache                                        Microsoft.StorageCache/caches                                data
azurerm_automation_account                               Microsoft.Automation/automationAccounts                      data
azurerm_load_test                                        Microsoft.LoadTestService/loadTests                          data
azurerm_bot_service_azure_bot                            Microsoft.BotService/botServices                             data
azurerm_hdinsight_hadoop_cluster                         Microsoft.HDInsight/clusters                                 data
azurerm_hdinsight_spark_cluster                          Microsoft.HDInsight/clusters                                 data
azurerm_hdinsight_hbase_cluster                          Microsoft.HDInsight/clusters                                 data
azurerm_hdinsight_kafka_cluster                          Microsoft.HDInsight/clusters                                 data
azurerm_hdinsight_interactive_query_cluster              Microsoft.HDInsight/clusters                                 data
azurerm_elastic_san                                      Microsoft.ElasticSan/elasticSans                             platform
azurerm_elastic_san_volume_group                         Microsoft.ElasticSan/elasticSans/volumeGroups                data
azurerm_synapse_sql_pool                                 Microsoft.Synapse/workspaces/sqlPools                        data
azurerm_netapp_account                                   Microsoft.NetApp/netAppAccounts                              data
azurerm_netapp_volume                                    Microsoft.NetApp/netAppAccounts/capacityPools/volumes        data
azurerm_container_app_environment                        Microsoft.App/managedEnvironments                            compute
azurerm_container_app                                    Microsoft.App/containerApps                                  compute
azurerm_container_group                                  Microsoft.ContainerInstance/containerGroups                  compute
azurerm_service_plan                                     Microsoft.Web/serverfarms                                    compute
azurerm_app_service_plan                                 Microsoft.Web/serverfarms                                    compute
azurerm_linux_web_app                                    Microsoft.Web/sites                                          compute
azurerm_windows_web_app                                  Microsoft.Web/sites                                          compute
azurerm_linux_function_app                              Microsoft.Web/sites                                          compute
azurerm_windows_function_app                             Microsoft.Web/sites                                          compute
azurerm_app_service                                      Microsoft.Web/sites                                          compute
azurerm_function_app                                     Microsoft.Web/sites                                          compute
azurerm_key_vault                                        Microsoft.KeyVault/vaults                                    security
azurerm_key_vault_key                                    Microsoft.KeyVault/vaults/keys                               security
azurerm_key_vault_secret                                 Microsoft.KeyVault/vaults/secrets                            security
azurerm_key_vault_certificate                            Microsoft.KeyVault/vaults/certificates                       security
azurerm_key_vault_access_policy                          Microsoft.KeyVault/vaults/accessPolicies                     security
azurerm_key_vault_managed_hardware_security_module       Microsoft.KeyVault/managedHSMs                               security
azurerm_key_vault_managed_hardware_security_module_key   Microsoft.KeyVault/managedHSMs/keys                          security
azurerm_user_assigned_identity                           Microsoft.ManagedIdentity/userAssignedIdentities             identity
azurerm_federated_identity_credential                    Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials  identity
azurerm_role_assignment                                  Microsoft.Authorization/roleAssignments                      identity
azurerm_role_definition                                  Microsoft.Authorization/roleDefinitions                      identity
azurerm_policy_definition                                Microsoft.Authorization/policyDefinitions                    platform
azurerm_management_group_policy_assignment               Microsoft.Authorization/policyAssignments                    platform
azurerm_subscription_policy_assignment                   Microsoft.Authorization/policyAssignments                    platform
azurerm_resource_group_policy_assignment                 Microsoft.Authorization/policyAssignments                    platform
azurerm_virtual_network                                  Microsoft.Network/virtualNetworks                            network
azurerm_subnet                                           Microsoft.Network/virtualNetworks/subnets                    network
azurerm_virtual_network_peering                          Microsoft.Network/virtualNetworks/virtualNetworkPeerings     network
azurerm_network_security_group                           Microsoft.Network/networkSecurityGroups                      network
azurerm_network_security_rule                            Microsoft.Network/networkSecurityGroups/securityRules        network
azurerm_subnet_network_security_group_association        Microsoft.Network/virtualNetworks/subnets/networkSecurityGroupAssociation  link
azurerm_network_interface_security_group_association     Microsoft.Network/networkInterfaces/networkSecurityGroupAssociation  link
azurerm_route_table                                      Microsoft.Network/routeTables                                network
azurerm_route                                            Microsoft.Network/routeTables/routes                         network
azurerm_subnet_route_table_association                   Microsoft.Network/virtualNetworks/subnets/routeTableAssociation  link
azurerm_network_interface                                Microsoft.Network/networkInterfaces                          network
azurerm_public_ip                                        Microsoft.Network/publicIPAddresses                          network
azurerm_public_ip_prefix                                 Microsoft.Network/publicIPPrefixes                           network
azurerm_nat_gateway                                      Microsoft.Network/natGateways                                network
azurerm_nat_gateway_public_ip_association                Microsoft.Network/natGateways/publicIpAssociation            link
azurerm_lb                                               Microsoft.Network/loadBalancers                              network
azurerm_lb_backend_address_pool                          Microsoft.Network/loadBalancers/backendAddressPools          network
azurerm_lb_rule                                          Microsoft.Network/loadBalancers/loadBalancingRules           network
azurerm_lb_probe                                         Microsoft.Network/loadBalancers/probes                       network
azurerm_application_gateway                              Microsoft.Network/applicationGateways                        network
azurerm_web_application_firewall_policy                  Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies  network
azurerm_firewall                                         Microsoft.Network/azureFirewalls                             network
azurerm_firewall_policy                                  Microsoft.Network/firewallPolicies                           network
azurerm_firewall_policy_rule_collection_group            Microsoft.Network/firewallPolicies/ruleCollectionGroups      network
azurerm_firewall_network_rule_collection                 Microsoft.Network/azureFirewalls/networkRuleCollections      network
azurerm_firewall_application_rule_collection             Microsoft.Network/azureFirewalls/applicationRuleCollections  network
azurerm_firewall_nat_rule_collection                     Microsoft.Network/azureFirewalls/natRuleCollections          network
azurerm_virtual_network_gateway                          Microsoft.Network/virtualNetworkGateways                     network
azurerm_virtual_network_gateway_connection               Microsoft.Network/connections                                network
azurerm_local_network_gateway                            Microsoft.Network/localNetworkGateways                       network
azurerm_express_route_circuit                            Microsoft.Network/expressRouteCircuits                       network
azurerm_express_route_gateway                            Microsoft.Network/expressRouteGateways                       network
azurerm_express_route_port                               Microsoft.Network/expressRoutePorts                          network
azurerm_vpn_gateway                                      Microsoft.Network/vpnGateways                                network
azurerm_point_to_site_vpn_gateway                        Microsoft.Network/p2sVpnGateways                             network
azurerm_vpn_site                                         Microsoft.Network/vpnSites                                   network
azurerm_virtual_wan                                      Microsoft.Network/virtualWans                                network
azurerm_virtual_hub                                      Microsoft.Network/virtualHubs                                network
azurerm_virtual_hub_connection                           Microsoft.Network/virtualHubs/hubVirtualNetworkConnections   network
azurerm_bastion_host                                     Microsoft.Network/bastionHosts                               network
azurerm_route_server                                     Microsoft.Network/virtualHubs                                network
azurerm_private_endpoint                                 Microsoft.Network/privateEndpoints                           network
azurerm_private_link_service                             Microsoft.Network/privateLinkServices                        network
azurerm_private_dns_zone                                 Microsoft.Network/privateDnsZones                            network
azurerm_private_dns_zone_virtual_network_link            Microsoft.Network/privateDnsZones/virtualNetworkLinks        network
azurerm_private_dns_resolver                             Microsoft.Network/dnsResolvers                               network
azurerm_dns_zone                                         Microsoft.Network/dnsZones                                   network
azurerm_network_watcher                                  Microsoft.Network/networkWatchers                            network
azurerm_network_watcher_flow_log                         Microsoft.Network/networkWatchers/flowLogs                   monitoring
azurerm_network_ddos_protection_plan                     Microsoft.Network/ddosProtectionPlans                        network
azurerm_network_manager                                  Microsoft.Network/networkManagers                            network
azurerm_frontdoor                                        Microsoft.Network/frontDoors                                 network
azurerm_cdn_frontdoor_profile                            Microsoft.Cdn/profiles                                       network
azurerm_backup_policy_vm                                 Microsoft.RecoveryServices/vaults/backupPolicies             backup
azurerm_backup_policy_vm_workload                        Microsoft.RecoveryServices/vaults/backupPolicies             backup
azurerm_backup_policy_file_share                         Microsoft.RecoveryServices/vaults/backupPolicies             backup
azurerm_backup_protected_vm                              Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems  backup
azurerm_backup_protected_file_share                      Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems  backup
azurerm_backup_container_storage_account                 Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers  backup
azurerm_data_protection_backup_policy_disk               Microsoft.DataProtection/backupVaults/backupPolicies         backup
azurerm_data_protection_backup_policy_kubernetes_cluster Microsoft.DataProtection/backupVaults/backupPolicies         backup
azurerm_data_protection_backup_policy_blob_storage       Microsoft.DataProtection/backupVaults/backupPolicies         backup
azurerm_data_protection_backup_policy_postgresql_flexible_server  Microsoft.DataProtection/backupVaults/backupPolicies  backup
azurerm_data_protection_backup_policy_mysql_flexible_server  Microsoft.DataProtection/backupVaults/backupPolicies     backup
azurerm_data_protection_backup_policy_postgresql         Microsoft.DataProtection/backupVaults/backupPolicies         backup
azurerm_data_protection_backup_instance_disk             Microsoft.DataProtection/backupVaults/backupInstances        backup
azurerm_data_protection_backup_instance_kubernetes_cluster  Microsoft.DataProtection/backupVaults/backupInstances     backup
azurerm_data_protection_backup_instance_blob_storage     Microsoft.DataProtection/backupVaults/backupInstances        backup
azurerm_data_protection_backup_instance_postgresql_flexible_server  Microsoft.DataProtection/backupVaults/backupInstances  backup
azurerm_data_protection_backup_instance_mysql_flexible_server  Microsoft.DataProtection/backupVaults/backupInstances  backup
azurerm_data_protection_backup_instance_postgresql       Microsoft.DataProtection/backupVaults/backupInstances        backup
azurerm_site_recovery_fabric                             Microsoft.RecoveryServices/vaults/replicationFabrics         backup
azurerm_site_recovery_protection_container               Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers  backup
azurerm_site_recovery_protection_container_mapping       Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectionContainerMappings  backup
azurerm_site_recovery_replication_policy                 Microsoft.RecoveryServices/vaults/replicationPolicies        backup
azurerm_site_recovery_replicated_vm                      Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems  backup
azurerm_site_recovery_network_mapping                    Microsoft.RecoveryServices/vaults/replicationFabrics/replicationNetworks/replicationNetworkMappings  backup
azurerm_site_recovery_replication_recovery_plan          Microsoft.RecoveryServices/vaults/replicationRecoveryPlans   backup
azurerm_site_recovery_hyperv_replication_policy          Microsoft.RecoveryServices/vaults/replicationPolicies        backup
azurerm_site_recovery_vmware_replicated_vm               Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems  backup
azurerm_site_recovery_hyperv_replicated_vm               Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems  backup
azurerm_site_recovery_replicated_vm_group                Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems  backup
azurerm_mssql_managed_database                           Microsoft.Sql/managedInstances/databases                     data
azurerm_sql_managed_instance                             Microsoft.Sql/managedInstances                               data
azurerm_sql_managed_database                             Microsoft.Sql/managedInstances/databases                     data
azurerm_kusto_database                                   Microsoft.Kusto/clusters/databases                           data
azurerm_cosmosdb_cassandra_cluster                       Microsoft.DocumentDB/cassandraClusters                       data
azurerm_digital_twins_instance                           Microsoft.DigitalTwins/digitalTwinsInstances                 data
azurerm_iot_time_series_insights_gen2_environment        Microsoft.TimeSeriesInsights/environments                    data
azurerm_iot_time_series_insights_standard_environment    Microsoft.TimeSeriesInsights/environments                    data
azurerm_iothub_dps                                       Microsoft.Devices/provisioningServices                       data
azurerm_media_services_account                           Microsoft.Media/mediaservices                                data
azurerm_purview_account                                  Microsoft.Purview/accounts                                   data
azurerm_stream_analytics_job                             Microsoft.StreamAnalytics/streamingjobs                      data
azurerm_healthcare_dicom_service                         Microsoft.HealthcareApis/workspaces/dicomservices            data
azurerm_data_share_account                               Microsoft.DataShare/accounts                                 data
"""


def _parse(table: str) -> tuple[AzureType, ...]:
    rows = []
    for line in table.strip().splitlines():
        azurerm, arm, kind = line.split()
        rows.append(AzureType(azurerm, arm, kind))
    return tuple(rows)


TYPES: tuple[AzureType, ...] = _parse(_TABLE)
BY_AZURERM: dict[str, AzureType] = {t.azurerm: t for t in TYPES}
BY_ARM: dict[str, list[AzureType]] = {}
for _t in TYPES:
    BY_ARM.setdefault(_t.arm.lower(), []).append(_t)
del _t


def arm_type_of(azurerm_type: str) -> str | None:
    row = BY_AZURERM.get(azurerm_type)
    return row.arm if row else None


def azurerm_type_of(arm_type: str, values: Any = None) -> str | None:
    """The azurerm type of an ARM type (first row of that ARM type); with the resource's ARM-shaped
    values (live, azapi), a Windows VM or scale set is the Windows type (`REFINED`)."""
    lowered = arm_type.split("@", 1)[0].lower()
    for (wanted, path), refined in REFINED.items():
        if wanted == lowered and _windows(dig(values, path)):
            return refined
    rows = BY_ARM.get(lowered)
    return rows[0].azurerm if rows else None


#: an ARM type several azurerm types share, told apart by the resource's values: (ARM type, the
#: path under which a Windows machine says so) -> azurerm type (osType "Windows", or a windowsConfiguration)
REFINED: dict[tuple[str, str], str] = {
    ("microsoft.compute/virtualmachines", "properties.storageProfile.osDisk.osType"): "azurerm_windows_virtual_machine",
    (
        "microsoft.compute/virtualmachines",
        "properties.osProfile.windowsConfiguration",
    ): "azurerm_windows_virtual_machine",
    (
        "microsoft.compute/virtualmachinescalesets",
        "properties.virtualMachineProfile.storageProfile.osDisk.osType",
    ): "azurerm_windows_virtual_machine_scale_set",
    (
        "microsoft.compute/virtualmachinescalesets",
        "properties.virtualMachineProfile.osProfile.windowsConfiguration",
    ): "azurerm_windows_virtual_machine_scale_set",
}


def _windows(value: Any) -> bool:
    return isinstance(value, dict) or (isinstance(value, str) and value.lower() == "windows")


def dig(values: Any, path: str) -> Any:
    """The value at a dotted path of nested dicts, or None."""
    for step in path.split("."):
        if not isinstance(values, dict):
            return None
        values = values.get(step)
    return values


def is_data_bearing(azurerm_type: str) -> bool:
    row = BY_AZURERM.get(azurerm_type)
    return bool(row and row.data_bearing)


@cache
def known_azurerm_names() -> frozenset[str]:
    """Every azurerm resource and data source type name we know (table + provider schema)."""
    text = (importlib_resources.files(__package__) / "data" / "azurerm_types.txt").read_text("utf-8")
    names = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(names | set(BY_AZURERM))


def resolve_types(names: Iterable[str], extra_known: Iterable[str] = ()) -> set[str]:
    """Turn azurerm or ARM type names into the set of azurerm types they mean.

    An ARM name (with a `/`) means every azurerm type of that ARM type; an `@api-version` suffix
    is ignored. A name that is neither is an error with a "did you mean". Types present in the
    inventory (`extra_known`: `terraform_data`, `azapi_resource`, other providers) are accepted.
    """
    extra = set(extra_known)
    out: set[str] = set()
    for name in names:
        if not isinstance(name, str) or not name:
            raise UnknownResourceType(f"resource type must be a non-empty string, got {name!r}")
        if "/" in name:
            rows = BY_ARM.get(name.split("@", 1)[0].lower())
            if not rows:
                raise UnknownResourceType(_unknown_message(name, [t.arm for t in TYPES]))
            out.update(r.azurerm for r in rows)
        elif name in BY_AZURERM or name in extra or name in known_azurerm_names():
            out.add(name)
        else:
            raise UnknownResourceType(_unknown_message(name, [*known_azurerm_names(), *extra]))
    return out


def _unknown_message(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return (
        f"unknown resource type {name!r}{hint} "
        "(give an azurerm type such as 'azurerm_storage_account' or an ARM type such as "
        "'Microsoft.Storage/storageAccounts')"
    )
