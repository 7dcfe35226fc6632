resource "azurerm_resource_group" "legacy" {
  name     = "rg-legacy-prod-weu"
  location = var.location
  tags     = local.tags
}

# VIOLATION cmk.storage_account: no customer-managed key at all (Microsoft-managed keys).
resource "azurerm_storage_account" "reports" {
  name                              = "stlegacyprodreports"
  location                          = var.location
  resource_group_name               = azurerm_resource_group.legacy.name
  account_tier                      = "Standard"
  account_kind                      = "StorageV2"
  account_replication_type          = "ZRS"
  https_traffic_only_enabled        = true
  min_tls_version                   = "TLS1_2"
  public_network_access_enabled     = false
  shared_access_key_enabled         = false
  allow_nested_items_to_be_public   = false
  infrastructure_encryption_enabled = true
  default_to_oauth_authentication   = true
  cross_tenant_replication_enabled  = false
  tags                              = local.tags
}

# VIOLATION sla.resource: the Free tier has no SLA, in prod (and so sla.composite on
# azurerm_resource_group.legacy: the workload's composite SLA is 0%).
resource "azurerm_service_plan" "legacy" {
  name                = "asp-legacy-prod-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.legacy.name
  os_type             = "Linux"
  sku_name            = "F1"
  tags                = local.tags
}

# VIOLATION cmk.managed_disk: no disk_encryption_set_id (platform-managed key).
resource "azurerm_managed_disk" "scratch" {
  name                 = "disk-legacy-prod-scratch"
  location             = var.location
  resource_group_name  = azurerm_resource_group.legacy.name
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 64
  tags                 = local.tags
}

resource "azurerm_mssql_server" "legacy" {
  name                          = "sql-legacy-prod-weu"
  location                      = var.location
  resource_group_name           = azurerm_resource_group.legacy.name
  version                       = "12.0"
  administrator_login           = "sqladmin"
  administrator_login_password  = var.sql_admin_password
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false
  tags                          = local.tags
}

# VIOLATION cmk.mssql: the TDE resource exists, but key_vault_key_id = null means a
# service-managed key, not a customer-managed one.
resource "azurerm_mssql_server_transparent_data_encryption" "legacy" {
  server_id        = azurerm_mssql_server.legacy.id
  key_vault_key_id = null
}

# VIOLATION cmk.cosmosdb: no key_vault_key_id.
# VIOLATION overbuilt.cosmosdb_account: two regions with multi-region writes for a 99.5% target.
resource "azurerm_cosmosdb_account" "events" {
  name                             = "cosmos-legacy-prod-weu"
  location                         = var.location
  resource_group_name              = azurerm_resource_group.legacy.name
  offer_type                       = "Standard"
  kind                             = "GlobalDocumentDB"
  public_network_access_enabled    = false
  local_authentication_disabled    = true
  multiple_write_locations_enabled = true
  tags                             = local.tags

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = var.location
    failover_priority = 0
    zone_redundant    = true
  }

  geo_location {
    location          = "northeurope"
    failover_priority = 1
    zone_redundant    = false
  }
}

# VIOLATION cmk.key_vault: purge protection off, yet it holds CMK keys (used below).
resource "azurerm_key_vault" "legacy" {
  name                          = "kv-legacy-prod-weu"
  location                      = var.location
  resource_group_name           = azurerm_resource_group.legacy.name
  tenant_id                     = var.tenant_id
  sku_name                      = "premium"
  purge_protection_enabled      = false
  soft_delete_retention_days    = 7
  rbac_authorization_enabled    = true
  public_network_access_enabled = false
  tags                          = local.tags

  network_acls {
    bypass         = "AzureServices"
    default_action = "Deny"
  }
}

# VIOLATION cmk.key_rotation: no rotation_policy and no expiration_date (RSA 2048 is fine).
resource "azurerm_key_vault_key" "legacy" {
  name         = "cmk-exports"
  key_vault_id = azurerm_key_vault.legacy.id
  key_type     = "RSA"
  key_size     = 2048
  key_opts     = ["unwrapKey", "wrapKey"]
  tags         = local.tags
}

# VIOLATION cmk.key_strength: RSA 1024 is too small.
resource "azurerm_key_vault_key" "weak" {
  name            = "cmk-weak"
  key_vault_id    = azurerm_key_vault.legacy.id
  key_type        = "RSA"
  key_size        = 1024
  key_opts        = ["unwrapKey", "wrapKey"]
  expiration_date = "2027-12-31T00:00:00Z"
  tags            = local.tags

  rotation_policy {
    expire_after         = "P1Y"
    notify_before_expiry = "P29D"

    automatic {
      time_before_expiry = "P30D"
    }
  }
}

resource "azurerm_user_assigned_identity" "legacy" {
  name                = "id-legacy-prod-cmk"
  location            = var.location
  resource_group_name = azurerm_resource_group.legacy.name
  tags                = local.tags
}

resource "azurerm_role_assignment" "legacy_crypto_user" {
  scope                = azurerm_key_vault.legacy.id
  role_definition_name = "Key Vault Crypto Service Encryption User"
  principal_id         = azurerm_user_assigned_identity.legacy.principal_id
}

# CMK from kv-legacy-prod-weu (the vault without purge protection).
resource "azurerm_storage_account" "exports" {
  name                              = "stlegacyprodexports"
  location                          = var.location
  resource_group_name               = azurerm_resource_group.legacy.name
  account_tier                      = "Standard"
  account_kind                      = "StorageV2"
  account_replication_type          = "ZRS"
  https_traffic_only_enabled        = true
  min_tls_version                   = "TLS1_2"
  public_network_access_enabled     = false
  shared_access_key_enabled         = false
  allow_nested_items_to_be_public   = false
  infrastructure_encryption_enabled = true
  default_to_oauth_authentication   = true
  cross_tenant_replication_enabled  = false
  tags                              = local.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.legacy.id]
  }

  customer_managed_key {
    key_vault_key_id          = azurerm_key_vault_key.legacy.versionless_id
    user_assigned_identity_id = azurerm_user_assigned_identity.legacy.id
  }
}

# VIOLATION isolation.cmk_key: a prod account encrypted with a key of the NONPROD
# key vault kv-zaanstad-test-weu (spokes-nonprod plan).
resource "azurerm_storage_account" "shared_reports" {
  name                              = "stlegacyprodshared"
  location                          = var.location
  resource_group_name               = azurerm_resource_group.legacy.name
  account_tier                      = "Standard"
  account_kind                      = "StorageV2"
  account_replication_type          = "ZRS"
  https_traffic_only_enabled        = true
  min_tls_version                   = "TLS1_2"
  public_network_access_enabled     = false
  shared_access_key_enabled         = false
  allow_nested_items_to_be_public   = false
  infrastructure_encryption_enabled = true
  default_to_oauth_authentication   = true
  cross_tenant_replication_enabled  = false
  tags                              = local.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.legacy.id]
  }

  customer_managed_key {
    key_vault_key_id          = "https://kv-zaanstad-test-weu.vault.azure.net/keys/cmk-storage"
    user_assigned_identity_id = azurerm_user_assigned_identity.legacy.id
  }
}

resource "azurerm_recovery_services_vault" "infra" {
  name                          = "rsv-legacy-prod-weu"
  location                      = var.location
  resource_group_name           = azurerm_resource_group.legacy.name
  sku                           = "Standard"
  soft_delete_enabled           = true
  storage_mode_type             = "ZoneRedundant"
  public_network_access_enabled = false
  tags                          = local.tags

  identity {
    type = "SystemAssigned"
  }

  encryption {
    key_id                            = azurerm_key_vault_key.legacy.id
    infrastructure_encryption_enabled = true
    use_system_assigned_identity      = true
  }
}

resource "azurerm_backup_policy_vm" "daily" {
  name                = "bkpol-vm-daily"
  resource_group_name = azurerm_resource_group.legacy.name
  recovery_vault_name = azurerm_recovery_services_vault.infra.name
  timezone            = "W. Europe Standard Time"

  backup {
    frequency = "Daily"
    time      = "23:00"
  }

  retention_daily {
    count = 14
  }
}

# VIOLATION backups.vm_backup: an application VM (rebuildable infrastructure) is backed up.
resource "azurerm_backup_protected_vm" "zaanstad_app" {
  resource_group_name = azurerm_resource_group.legacy.name
  recovery_vault_name = azurerm_recovery_services_vault.infra.name
  source_vm_id        = module.spoke["zaanstad"].vm_id
  backup_policy_id    = azurerm_backup_policy_vm.daily.id
}

# VIOLATION backups.snapshot: a snapshot of a VM data disk.
resource "azurerm_snapshot" "zaanstad_app_data" {
  name                = "snap-vm-zaanstad-prod-app01-data"
  location            = var.location
  resource_group_name = azurerm_resource_group.legacy.name
  create_option       = "Copy"
  source_uri          = module.spoke["zaanstad"].data_disk_id
  tags                = local.tags
}

resource "azurerm_resource_group" "legacy_dr" {
  name     = "rg-legacy-dr-prod-neu"
  location = "northeurope"
  tags     = local.tags
}

resource "azurerm_site_recovery_fabric" "primary" {
  name                = "fabric-primary"
  resource_group_name = azurerm_resource_group.legacy.name
  recovery_vault_name = azurerm_recovery_services_vault.infra.name
  location            = var.location
}

resource "azurerm_site_recovery_fabric" "secondary" {
  name                = "fabric-secondary"
  resource_group_name = azurerm_resource_group.legacy.name
  recovery_vault_name = azurerm_recovery_services_vault.infra.name
  location            = "northeurope"
}

resource "azurerm_site_recovery_protection_container" "primary" {
  name                 = "protection-container-primary"
  resource_group_name  = azurerm_resource_group.legacy.name
  recovery_vault_name  = azurerm_recovery_services_vault.infra.name
  recovery_fabric_name = azurerm_site_recovery_fabric.primary.name
}

resource "azurerm_site_recovery_protection_container" "secondary" {
  name                 = "protection-container-secondary"
  resource_group_name  = azurerm_resource_group.legacy.name
  recovery_vault_name  = azurerm_recovery_services_vault.infra.name
  recovery_fabric_name = azurerm_site_recovery_fabric.secondary.name
}

resource "azurerm_site_recovery_replication_policy" "vm" {
  name                                                 = "asr-policy-vm"
  resource_group_name                                  = azurerm_resource_group.legacy.name
  recovery_vault_name                                  = azurerm_recovery_services_vault.infra.name
  recovery_point_retention_in_minutes                  = 1440
  application_consistent_snapshot_frequency_in_minutes = 240
}

resource "azurerm_site_recovery_protection_container_mapping" "vm" {
  name                                      = "container-mapping-weu-neu"
  resource_group_name                       = azurerm_resource_group.legacy.name
  recovery_vault_name                       = azurerm_recovery_services_vault.infra.name
  recovery_fabric_name                      = azurerm_site_recovery_fabric.primary.name
  recovery_source_protection_container_name = azurerm_site_recovery_protection_container.primary.name
  recovery_target_protection_container_id   = azurerm_site_recovery_protection_container.secondary.id
  recovery_replication_policy_id            = azurerm_site_recovery_replication_policy.vm.id
}

# VIOLATION backups.site_recovery: the almere application VM is replicated to North Europe.
resource "azurerm_site_recovery_replicated_vm" "almere_app" {
  name                                      = "asr-vm-almere-prod-app01"
  resource_group_name                       = azurerm_resource_group.legacy.name
  recovery_vault_name                       = azurerm_recovery_services_vault.infra.name
  source_recovery_fabric_name               = azurerm_site_recovery_fabric.primary.name
  source_vm_id                              = module.spoke["almere"].vm_id
  recovery_replication_policy_id            = azurerm_site_recovery_replication_policy.vm.id
  source_recovery_protection_container_name = azurerm_site_recovery_protection_container.primary.name
  target_resource_group_id                  = azurerm_resource_group.legacy_dr.id
  target_recovery_fabric_id                 = azurerm_site_recovery_fabric.secondary.id
  target_recovery_protection_container_id   = azurerm_site_recovery_protection_container.secondary.id

  depends_on = [azurerm_site_recovery_protection_container_mapping.vm]
}

# ALLOWED: backup of a data store (PostgreSQL), not of infrastructure.
resource "azurerm_data_protection_backup_vault" "data" {
  name                = "bvault-legacy-prod-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.legacy.name
  datastore_type      = "VaultStore"
  redundancy          = "ZoneRedundant"
  tags                = local.tags

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_data_protection_backup_vault_customer_managed_key" "data" {
  data_protection_backup_vault_id = azurerm_data_protection_backup_vault.data.id
  key_vault_key_id                = azurerm_key_vault_key.legacy.id
}

resource "azurerm_data_protection_backup_policy_postgresql_flexible_server" "weekly" {
  name                            = "bkpol-psql-weekly"
  vault_id                        = azurerm_data_protection_backup_vault.data.id
  backup_repeating_time_intervals = ["R/2026-01-04T02:00:00+00:00/P1W"]
  time_zone                       = "W. Europe Standard Time"

  default_retention_rule {
    life_cycle {
      data_store_type = "VaultStore"
      duration        = "P4M"
    }
  }
}

resource "azurerm_data_protection_backup_instance_postgresql_flexible_server" "zaanstad" {
  name             = "bi-psql-zaanstad-prod"
  location         = var.location
  vault_id         = azurerm_data_protection_backup_vault.data.id
  server_id        = module.spoke["zaanstad"].postgresql_server_id
  backup_policy_id = azurerm_data_protection_backup_policy_postgresql_flexible_server.weekly.id
}

# VIOLATION isolation.nsg_rule: prod NSG allows the nonprod range 10.2.0.0/16 inbound.
resource "azurerm_network_security_rule" "allow_nonprod" {
  name                        = "allow-test-range"
  resource_group_name         = "rg-zaanstad-prod-weu"
  network_security_group_name = "nsg-zaanstad-prod-weu"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = ["443", "1433"]
  source_address_prefix       = "10.2.0.0/16"
  destination_address_prefix  = "VirtualNetwork"
}

# VIOLATION isolation.diagnostics: a prod key vault logs to the NONPROD workspace
# law-spokes-test-weu (spokes-nonprod plan).
resource "azurerm_monitor_diagnostic_setting" "almere_kv_to_test" {
  name                       = "diag-kv-to-test"
  target_resource_id         = module.spoke["almere"].key_vault_id
  log_analytics_workspace_id = "/subscriptions/c4e6a8b0-2d4f-4a6c-9e8b-3d5f7a9c1e03/resourceGroups/rg-monitoring-test-weu/providers/Microsoft.OperationalInsights/workspaces/law-spokes-test-weu"

  enabled_log {
    category_group = "audit"
  }
}
