locals {
  firewall_private_ip = "10.0.0.4"
  tags = {
    environment  = "prod"
    municipality = "shared"
    owner        = "platform-squad"
    managed_by   = "terraform"
    cost_center  = "CC-1000"
  }
}
