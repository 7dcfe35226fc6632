locals {
  tags = {
    environment  = var.environment
    owner        = "squad-gemeenten"
    managed_by   = "terraform"
    municipality = "shared"
  }
}
