"""Findings on Terraform source point at the line to change (SARIF annotates that line)."""

from __future__ import annotations

from pytest_cloudcheck import checks
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

MAIN_TF = """\
resource "azurerm_key_vault" "kv" {
  name                       = "kv-demo"
  location                   = "westeurope"
  resource_group_name        = "rg-demo"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "premium"
  purge_protection_enabled   = false
  soft_delete_retention_days = 90
  tags                       = { environment = "prod" }
}

resource "azurerm_key_vault_key" "weak" {
  name            = "weak"
  key_vault_id    = azurerm_key_vault.kv.id
  key_type        = "RSA"
  key_size        = 1024
  key_opts        = ["wrapKey", "unwrapKey"]
  expiration_date = "2027-01-01T00:00:00Z"
  rotation_policy {
    expire_after = "P1Y"
    automatic {
      time_before_expiry = "P30D"
    }
  }
}
"""


def test_key_findings_point_at_the_attribute_line(tmp_path):
    (tmp_path / "main.tf").write_text(MAIN_TF)
    inventory = build_inventory(Settings(hcl=[tmp_path]))
    found = {f.check: f for f in checks.cmk(inventory)}
    assert found["cmk.key_strength"].origin.line == 16  # key_size = 1024
    assert found["cmk.key_vault"].origin.line == 7  # purge_protection_enabled = false
    assert found["cmk.key_strength"].origin.file.endswith("main.tf")
