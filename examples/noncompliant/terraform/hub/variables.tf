variable "location" {
  description = "Azure region of the platform."
  type        = string
  default     = "westeurope"
}

variable "tenant_id" {
  description = "Entra ID tenant of the Key Vaults."
  type        = string
  default     = "5b2f0c1e-7d4a-4e8b-9c3f-1a6d2e8b4f70"
}

variable "spoke_vnets" {
  description = "Spoke VNets to peer with, by name: literal ARM ids (the spokes are in other states)."
  type        = map(string)
  default = {
    zaanstad-prod = "/subscriptions/8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02/resourceGroups/rg-zaanstad-prod-weu/providers/Microsoft.Network/virtualNetworks/vnet-zaanstad-prod-weu"
    almere-prod   = "/subscriptions/8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02/resourceGroups/rg-almere-prod-weu/providers/Microsoft.Network/virtualNetworks/vnet-almere-prod-weu"
    zaanstad-test = "/subscriptions/c4e6a8b0-2d4f-4a6c-9e8b-3d5f7a9c1e03/resourceGroups/rg-zaanstad-test-weu/providers/Microsoft.Network/virtualNetworks/vnet-zaanstad-test-weu"
    almere-test   = "/subscriptions/c4e6a8b0-2d4f-4a6c-9e8b-3d5f7a9c1e03/resourceGroups/rg-almere-test-weu/providers/Microsoft.Network/virtualNetworks/vnet-almere-test-weu"
    haarlem-prod  = "/subscriptions/8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02/resourceGroups/rg-haarlem-prod-weu/providers/Microsoft.Network/virtualNetworks/vnet-haarlem-prod-weu"
  }
}
