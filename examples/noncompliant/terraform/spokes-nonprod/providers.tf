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

provider "azurerm" {
  alias = "platform"
  # central key management (not part of this landing zone)
  subscription_id = "e6a8b0c2-4f6a-4c8e-8b0d-5f7a9c1e3a04"
  features {}
}
