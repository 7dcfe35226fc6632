variable "name" { type = string }
variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "address_space" { type = list(string) }
variable "subnets" {
  type    = map(object({ nsg = optional(bool, true) }))
  default = {}
}
variable "peer_with_hub" {
  type    = bool
  default = true
}
variable "hub_vnet_id" { type = string }
variable "firewall_ip" {
  type    = string
  default = null
}
variable "tags" {
  type    = map(string)
  default = {}
}

locals {
  subnet_prefixes = { for i, k in sort(keys(var.subnets)) : k => cidrsubnet(var.address_space[0], 2, i) }
}

resource "azurerm_virtual_network" "this" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  address_space       = var.address_space
  tags                = var.tags
}

resource "azurerm_subnet" "this" {
  for_each             = var.subnets
  name                 = "snet-${each.key}"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this.name
  address_prefixes     = [local.subnet_prefixes[each.key]]
}

resource "azurerm_network_security_group" "this" {
  for_each            = { for k, v in var.subnets : k => v if v.nsg }
  name                = "nsg-${var.name}-${each.key}"
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags
}

resource "azurerm_subnet_network_security_group_association" "this" {
  for_each                  = azurerm_network_security_group.this
  subnet_id                 = azurerm_subnet.this[each.key].id
  network_security_group_id = each.value.id
}

module "peering" {
  source = "./modules/peering"
  count  = var.peer_with_hub ? 1 : 0

  name         = var.name
  spoke_vnet_id = azurerm_virtual_network.this.id
  hub_vnet_id  = var.hub_vnet_id
}

output "id" { value = azurerm_virtual_network.this.id }
