variable "name" {
  description = "Municipality (gemeente) this spoke belongs to."
  type        = string
}

variable "environment" {
  description = "OTAP environment: \"prod\" or \"test\"."
  type        = string
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "address_space" {
  description = "The spoke's /20 from the IP plan."
  type        = string
}

variable "subnets" {
  description = "Subnet name => prefix."
  type        = map(string)
}

variable "hub_vnet_id" {
  description = "ARM id of the hub VNet."
  type        = string
}

variable "hub_firewall_private_ip" {
  type    = string
  default = "10.0.0.4"
}

variable "hub_bastion_prefix" {
  type    = string
  default = "10.0.2.0/26"
}

variable "log_analytics_workspace_id" {
  description = "Workspace of the same environment."
  type        = string
}

variable "tenant_id" {
  type = string
}

variable "deployer_object_id" {
  description = "Object id of the pipeline identity that creates the keys."
  type        = string
  default     = "0d6c1b8a-3e2f-4a5b-9c7d-6e8f0a1b2c3d"
}

variable "vm_size" {
  type    = string
  default = "Standard_D2s_v5"
}

variable "admin_ssh_public_key" {
  type    = string
  default = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHl2b0FtZXhhbXBsZWtleWZvcnRoZWRvY3M example"
}

variable "sql_admin_password" {
  description = "Break-glass SQL admin password."
  type        = string
  sensitive   = true
}

variable "tags" {
  type = map(string)
}
