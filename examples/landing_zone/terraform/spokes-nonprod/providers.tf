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
  # landing zone nonprod (OTA)
  subscription_id = "c4e6a8b0-2d4f-4a6c-9e8b-3d5f7a9c1e03"
  features {}
}
