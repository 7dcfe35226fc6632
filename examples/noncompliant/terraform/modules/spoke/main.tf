# One spoke of a municipality: network, keys, data stores and an application VM.

resource "azurerm_resource_group" "spoke" {
  name     = "rg-${local.suffix}"
  location = var.location
  tags     = var.tags
}
