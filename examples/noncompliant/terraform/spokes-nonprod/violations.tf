# VIOLATION isolation.peering (and topology.spoke_to_spoke): a nonprod spoke peers
# directly with a PROD spoke (the VNet is in the spokes-prod plan).
resource "azurerm_virtual_network_peering" "zaanstad_test_to_prod" {
  name                         = "peer-zaanstad-test-to-zaanstad-prod"
  resource_group_name          = module.spoke["zaanstad"].resource_group_name
  virtual_network_name         = module.spoke["zaanstad"].vnet_name
  remote_virtual_network_id    = "/subscriptions/8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02/resourceGroups/rg-zaanstad-prod-weu/providers/Microsoft.Network/virtualNetworks/vnet-zaanstad-prod-weu"
  allow_virtual_network_access = true
  allow_forwarded_traffic      = false
  allow_gateway_transit        = false
  use_remote_gateways          = false
}

# VIOLATION isolation.private_endpoint: a nonprod endpoint into a PROD storage account.
resource "azurerm_private_endpoint" "prod_storage" {
  name                = "pe-stzaanstadproddata-from-test"
  location            = var.location
  resource_group_name = module.spoke["almere"].resource_group_name
  subnet_id           = module.spoke["almere"].pe_subnet_id
  tags                = local.tags

  private_service_connection {
    name                           = "blob"
    is_manual_connection           = false
    subresource_names              = ["blob"]
    private_connection_resource_id = "/subscriptions/8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02/resourceGroups/rg-zaanstad-prod-weu/providers/Microsoft.Storage/storageAccounts/stzaanstadproddata"
  }
}

# VIOLATION isolation.role_assignment: a nonprod identity gets Contributor on a PROD
# resource group (the principal is known only through the module output).
resource "azurerm_role_assignment" "test_identity_on_prod" {
  scope                = "/subscriptions/8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02/resourceGroups/rg-zaanstad-prod-weu"
  role_definition_name = "Contributor"
  principal_id         = module.spoke["zaanstad"].cmk_identity_principal_id
}

data "azurerm_key_vault_key" "central" {
  provider = azurerm.platform

  name         = "cmk-shared-exchange"
  key_vault_id = "/subscriptions/e6a8b0c2-4f6a-4c8e-8b0d-5f7a9c1e3a04/resourceGroups/rg-keys-weu/providers/Microsoft.KeyVault/vaults/kv-central-keys-weu"

  depends_on = [module.spoke]
}

# VIOLATION cmk.unresolved: the key id is unknown at plan time and comes from a data
# source in another subscription (platform): not verifiable from these plans.
# VIOLATION cost.storage_account: read-access geo-redundant storage in nonprod.
resource "azurerm_storage_account" "exchange" {
  name                              = "stgemeententestexchange"
  location                          = var.location
  resource_group_name               = module.spoke["almere"].resource_group_name
  account_tier                      = "Standard"
  account_kind                      = "StorageV2"
  account_replication_type          = "RAGRS"
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
    identity_ids = [module.spoke["almere"].cmk_identity_id]
  }

  customer_managed_key {
    key_vault_key_id          = data.azurerm_key_vault_key.central.versionless_id
    user_assigned_identity_id = module.spoke["almere"].cmk_identity_id
  }
}
