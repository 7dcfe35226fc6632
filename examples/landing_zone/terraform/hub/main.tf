# Hub of the landing zone (platform squad): connectivity subscription.

resource "azurerm_resource_group" "hub" {
  name     = "rg-hub-connectivity-weu"
  location = var.location
  tags     = local.tags
}
