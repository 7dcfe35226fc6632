"""Attacks on CMK false passes (checkov's labelled fixtures, replayed): a database with TDE off on
a server whose protector is a customer key, a string that names no key (`"yadaya"`) where a key
belongs, and data-bearing types the rule table had no row for. Each asserts the exact findings
(check id, address, kind) of one pytester run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from planbuilder import PlanBuilder, arm_id

SUB = "11111111-1111-1111-1111-111111111111"
SERVER_ID = arm_id(SUB, "rg", "Microsoft.Sql/servers", "sql")
VAULT_ID = arm_id(SUB, "rg", "Microsoft.KeyVault/vaults", "kv")
KEY_URL = "https://kv.vault.azure.net/keys/tde/0123456789abcdef0123456789abcdef"

#: key attribute values: what each is (a customer-managed key or not)
KEY_VALUES: dict[str, bool] = {
    "yadaya": False,
    "https://example.com/keys/k": False,
    "kv.vault.azure.net/keys/k": False,
    "https://kv.vault.azure.net/secrets/k": False,
    "https://kv.vault.azure.net/keys/k": True,
    "https://kv.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef": True,
    "https://kv.vault.azure.cn/keys/k": True,
    "https://kv.vault.usgovcloudapi.net/keys/k/": True,
    "https://hsm.managedhsm.azure.net/keys/k": True,
    f"{VAULT_ID}/keys/k": True,
}


def _plan(path: Path) -> Path:
    plan = PlanBuilder().provider(SUB)
    common = {"resource_group_name": "rg", "location": "westeurope", "tags": {"environment": "prod"}}
    # a server whose TDE protector is a customer key, with a database that switches TDE off
    plan.resource("azurerm_mssql_server.sql", {"name": "sql", "id": SERVER_ID, **common})
    plan.resource(
        "azurerm_mssql_server_transparent_data_encryption.tde",
        {"server_id": SERVER_ID, "key_vault_key_id": KEY_URL},
    )
    plan.resource(
        "azurerm_mssql_database.off",
        {"name": "off", "server_id": SERVER_ID, "transparent_data_encryption_enabled": False, **common},
    )
    plan.resource(
        "azurerm_mssql_database.on",
        {"name": "on", "server_id": SERVER_ID, "transparent_data_encryption_enabled": True, **common},
    )
    plan.resource(
        "azurerm_mssql_database.later",
        {"name": "later", "server_id": SERVER_ID, **common},
        unknown=["transparent_data_encryption_enabled"],
    )
    for i, value in enumerate(KEY_VALUES):
        plan.resource(
            f"azurerm_cosmosdb_account.c{i}",
            {"name": f"c{i}", "key_vault_key_id": value, **common},
        )
    # vault id + key name: neither may be any string
    for name, (vault, key) in {"badvault": ("yadaya", "k"), "badname": (VAULT_ID, "not a key!")}.items():
        plan.resource(f"azurerm_storage_account.{name}", {"name": name, **common}, unknown=["id"])
        plan.resource(
            f"azurerm_storage_account_customer_managed_key.{name}",
            {"key_vault_id": vault, "key_name": key},
            unknown=["storage_account_id"],
            refs={"storage_account_id": [f"azurerm_storage_account.{name}.id", f"azurerm_storage_account.{name}"]},
        )
    # ARM shape (azapi): a key name and vault URI that name no key
    plan.resource(
        "azapi_resource.st",
        {
            "type": "Microsoft.Storage/storageAccounts@2023-01-01",
            "name": "stazapi",
            "location": "westeurope",
            "parent_id": f"/subscriptions/{SUB}/resourceGroups/rg",
            "tags": {"environment": "prod"},
            "body": {
                "properties": {
                    "encryption": {
                        "keySource": "Microsoft.Keyvault",
                        "keyvaultproperties": {"keyname": "yadaya", "keyvaulturi": "yadaya"},
                    }
                }
            },
        },
    )
    # data-bearing types that had no row: a managed instance database (the instance's key) and Purview
    plan.resource("azurerm_mssql_managed_instance.mi", {"name": "mi", **common}, unknown=["id"])
    plan.resource(
        "azurerm_mssql_managed_database.db",
        {"name": "db"},
        unknown=["managed_instance_id"],
        refs={"managed_instance_id": ["azurerm_mssql_managed_instance.mi.id", "azurerm_mssql_managed_instance.mi"]},
    )
    plan.resource("azurerm_purview_account.pv", {"name": "pv", **common})
    return plan.write(path)


def test_cmk_false_passes_are_findings(pytester: pytest.Pytester) -> None:
    plan = _plan(pytester.path / "plan.json")
    pytester.makepyfile(
        """
        from pytest_cloudcheck import checks

        def test_cmk(cloud):
            assert not checks.cmk(cloud)
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", str(plan), "--cloudcheck-report=evidence.json")
    result.assert_outcomes(failed=1)
    evidence: dict[str, Any] = json.loads((pytester.path / "evidence.json").read_text())
    found: dict[str, set[tuple[str, str]]] = {}
    for f in evidence["findings"]:
        found.setdefault(f["address"], set()).add((f["check"], f["kind"]))

    def store(address: str) -> set[tuple[str, str]]:
        # the data store's own finding (key checks of keys outside the inventory are other ids)
        return {(c, k) for c, k in found.get(address, ()) if not c.startswith("cmk.key")}

    # TDE off is a violation whatever the server's protector; unknown is unknown, on is compliant
    assert store("azurerm_mssql_database.off") == {("cmk.mssql_database", "violation")}
    assert store("azurerm_mssql_database.later") == {("cmk.mssql_database", "unknown")}
    assert store("azurerm_mssql_database.on") == set()
    for i, (value, is_key) in enumerate(KEY_VALUES.items()):
        expected = set() if is_key else {("cmk.cosmosdb_account", "violation")}
        assert store(f"azurerm_cosmosdb_account.c{i}") == expected, value
    assert store("azurerm_storage_account.badvault") == {("cmk.storage_account", "violation")}
    assert store("azurerm_storage_account.badname") == {("cmk.storage_account", "violation")}
    assert store("azapi_resource.st") == {("cmk.storage_account", "violation")}
    assert store("azurerm_mssql_managed_database.db") == {("cmk.mssql_managed_database", "violation")}
    assert store("azurerm_purview_account.pv") == {("cmk.not_assessed", "not_assessed")}
    result.stdout.fnmatch_lines(
        [
            "*azurerm_cosmosdb_account.c0*key_vault_key_id = 'yadaya' is not a Key Vault or Managed HSM key id*",
            "*azurerm_mssql_database.off*transparent_data_encryption_enabled = false: data at rest is not encrypted "
            "(set it to true)*",
        ]
    )


#: attacks in this module: TDE off / unknown, each key value, vault id + name (2), azapi, two types
ATTACKS = 2 + len(KEY_VALUES) + 2 + 1 + 2
