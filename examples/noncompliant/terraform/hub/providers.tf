terraform {
  required_version = ">= 1.9"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.20"
    }
  }
}

provider "azurerm" {
  # connectivity subscription
  subscription_id = "3f1c2a9e-0b7d-4c55-9a61-1d2e3f405a01"
  features {}
}
