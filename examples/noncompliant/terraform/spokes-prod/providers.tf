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
  # landing zone prod
  subscription_id = "8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02"
  features {}
}
