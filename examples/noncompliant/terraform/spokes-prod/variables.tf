variable "location" {
  type    = string
  default = "westeurope"
}

variable "environment" {
  description = "OTAP value of the environment tag (\"prod\", \"test\")."
  type        = string
  default     = "prod"
}

variable "tenant_id" {
  type    = string
  default = "5b2f0c1e-7d4a-4e8b-9c3f-1a6d2e8b4f70"
}

variable "hub_vnet_id" {
  description = "The hub VNet (connectivity subscription)."
  type        = string
  default     = "/subscriptions/3f1c2a9e-0b7d-4c55-9a61-1d2e3f405a01/resourceGroups/rg-hub-connectivity-weu/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu"
}

variable "municipalities" {
  description = "Spokes by municipality, from the IP plan."
  type = map(object({
    address_space = string
    subnets       = map(string)
  }))
  default = {
    zaanstad = {
      address_space = "10.1.0.0/20"
      subnets = {
        snet-app  = "10.1.0.0/24"
        snet-data = "10.1.1.0/24"
        snet-pe   = "10.1.2.0/24"
      }
    }
    almere = {
      address_space = "10.1.16.0/20"
      subnets = {
        snet-app  = "10.1.16.0/24"
        snet-data = "10.1.17.0/24"
        snet-pe   = "10.1.18.0/24"
      }
    }
  }
}

variable "sql_admin_password" {
  description = "Break-glass SQL admin password (in real life: from the pipeline's secret store)."
  type        = string
  default     = "Pr0d-Sql-Admin-Secret-zaanstad!"
  sensitive   = true
}
