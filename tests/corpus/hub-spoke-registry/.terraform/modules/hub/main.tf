variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "tags" {
  type    = map(string)
  default = {}
}
variable "hub_virtual_networks" {
  type = map(object({
    name          = string
    address_space = list(string)
    firewall      = optional(bool, false)
  }))
}

module "vnet" {
  source   = "acme/vnet/azurerm"
  version  = "0.4.1"
  for_each = var.hub_virtual_networks

  name                = each.value.name
  resource_group_name = var.resource_group_name
  location            = var.location
  address_space       = each.value.address_space
  subnets = each.value.firewall ? {
    AzureFirewallSubnet = { address_prefix = cidrsubnet(each.value.address_space[0], 4, 0) }
  } : {}
  tags = var.tags
}

resource "azurerm_public_ip" "fw" {
  for_each            = { for k, v in var.hub_virtual_networks : k => v if v.firewall }
  name                = "pip-fw-${each.key}"
  resource_group_name = var.resource_group_name
  location            = var.location
  allocation_method   = "Static"
  sku                 = "Standard"
  zones               = ["1", "2", "3"]
  tags                = var.tags
}

resource "azurerm_firewall" "fw" {
  for_each            = azurerm_public_ip.fw
  name                = "fw-${each.key}"
  resource_group_name = var.resource_group_name
  location            = var.location
  sku_name            = "AZFW_VNet"
  sku_tier            = "Premium"
  zones               = ["1", "2", "3"]
  tags                = var.tags

  ip_configuration {
    name                 = "ipconfig"
    subnet_id            = module.vnet[each.key].subnet_ids["AzureFirewallSubnet"]
    public_ip_address_id = each.value.id
  }
}

output "virtual_networks" {
  value = { for k, m in module.vnet : k => { id = m.id, name = m.name } }
}

output "firewall_private_ip" {
  value = try(azurerm_firewall.fw["primary"].ip_configuration[0].private_ip_address, null)
}
