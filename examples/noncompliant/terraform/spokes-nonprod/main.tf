# Spokes of the municipalities, test landing zone (nonprod subscription).

# One spoke per municipality (gemeente).
module "spoke" {
  source   = "../modules/spoke"
  for_each = var.municipalities

  name                       = each.key
  environment                = var.environment
  address_space              = each.value.address_space
  subnets                    = each.value.subnets
  hub_vnet_id                = var.hub_vnet_id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.spokes.id
  tenant_id                  = var.tenant_id
  sql_admin_password         = var.sql_admin_password
  tags                       = merge(local.tags, { municipality = each.key })
}
