"""checks.cmk and Resource.encryption: links, traps, keys, settings, the baseline, real plans, examples."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
from cmk_cases import GOOD_KEY, KEY, VAULT, add_key
from conftest import EXAMPLES, REAL_PLANS
from planbuilder import PlanBuilder, arm_id

from pytest_cloudcheck import checks
from pytest_cloudcheck.checks.cmk_check import check_ids, not_assessed
from pytest_cloudcheck.errors import ConfigurationError
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

SUB = "11111111-1111-1111-1111-111111111111"


def _inventory(plan: PlanBuilder, tmp_path: Path, name: str = "plan.json", **settings):
    path = plan.write(tmp_path / name)
    return build_inventory(Settings(plan=[path], extra=settings))


def _by_check(findings) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for f in findings:
        out.setdefault(f.check, []).append((f.address, f.kind))
    return out


def _storage(plan: PlanBuilder, address: str = "azurerm_storage_account.sa", **kwargs) -> None:
    kwargs.setdefault("unknown", ["id"])
    plan.resource(address, {"name": address.rsplit(".", 1)[1]}, **kwargs)


# -- links ------------------------------------------------------------------------------------------


def test_tde_resource_without_key_is_service_managed(plan, tmp_path):
    """The trap from real plans: the TDE resource exists, but with key_vault_key_id = null."""
    add_key(plan)
    plan.resource("azurerm_mssql_server.good", {"name": "sql-good"}, unknown=["id"])
    plan.resource("azurerm_mssql_server.trap", {"name": "sql-trap"}, unknown=["id"])
    plan.resource(
        "azurerm_mssql_server_transparent_data_encryption.good",
        {"key_vault_key_id": None},
        unknown=["id", "server_id", "key_vault_key_id"],
        refs={"server_id": ["azurerm_mssql_server.good.id", "azurerm_mssql_server.good"], "key_vault_key_id": [KEY]},
    )
    plan.resource(
        "azurerm_mssql_server_transparent_data_encryption.trap",
        {"key_vault_key_id": None, "auto_rotation_enabled": False},
        unknown=["id", "server_id"],
        refs={"server_id": ["azurerm_mssql_server.trap.id", "azurerm_mssql_server.trap"]},
    )
    inventory = _inventory(plan, tmp_path)
    good = inventory.get("azurerm_mssql_server.good").encryption
    assert good.customer_managed is True and good.key == KEY
    assert good.related == ("azurerm_mssql_server_transparent_data_encryption.good",)
    assert inventory.get("azurerm_mssql_server.trap").encryption.customer_managed is False
    (finding,) = checks.cmk(inventory)
    assert (finding.check, finding.address, finding.kind) == (
        "cmk.mssql_server",
        "azurerm_mssql_server.trap",
        "violation",
    )
    assert "azurerm_mssql_server_transparent_data_encryption.trap has no key_vault_key_id: service-managed" in str(
        finding
    )
    assert finding.related == ("azurerm_mssql_server_transparent_data_encryption.trap",)


def test_for_each_link_is_matched_by_instance_key(plan, tmp_path):
    """`storage_account_id = azurerm_storage_account.ext[each.key].id` references every instance."""
    add_key(plan)
    for key in ("a", "b", "c"):
        _storage(plan, f'azurerm_storage_account.ext["{key}"]')
    for key in ("a", "b"):  # no key for "c"
        plan.resource(
            f'azurerm_storage_account_customer_managed_key.ext["{key}"]',
            {"key_name": "k"},
            unknown=["id", "storage_account_id", "key_vault_id"],
            refs={
                "storage_account_id": ["azurerm_storage_account.ext", "each.key"],
                "key_vault_id": [f"{VAULT}.id", VAULT],
            },
        )
    inventory = _inventory(plan, tmp_path)
    enc = inventory.get('azurerm_storage_account.ext["a"]').encryption
    assert enc.customer_managed is True and enc.key == KEY
    assert enc.related == ('azurerm_storage_account_customer_managed_key.ext["a"]',)
    assert _by_check(checks.cmk(inventory)) == {
        "cmk.storage_account": [('azurerm_storage_account.ext["c"]', "violation")]
    }


def test_link_whose_target_cannot_be_told_apart_is_unknown(plan, tmp_path):
    add_key(plan)
    _storage(plan, "azurerm_storage_account.one")
    _storage(plan, "azurerm_storage_account.two")
    plan.resource(
        "azurerm_storage_account_customer_managed_key.either",
        {"key_name": "k"},
        unknown=["id", "storage_account_id", "key_vault_id"],
        refs={
            "storage_account_id": ["local.accounts"],  # a local: nothing to resolve it by
            "key_vault_id": [f"{VAULT}.id", VAULT],
        },
    )
    inventory = _inventory(plan, tmp_path)
    found = _by_check(checks.cmk(inventory))
    assert found == {
        "cmk.storage_account": [("azurerm_storage_account.one", "unknown"), ("azurerm_storage_account.two", "unknown")]
    }


def test_key_reached_through_module_variable(plan, tmp_path):
    add_key(plan)
    plan.module_call("spoke", inputs={"key_id": [f"{KEY}.versionless_id", KEY]}, for_each={"a": {}})
    plan.resource(
        'module.spoke["a"].azurerm_cosmosdb_account.db',
        {"name": "cosmos-a"},
        unknown=["id", "key_vault_key_id"],
        refs={"key_vault_key_id": ["var.key_id"]},
    )
    plan.resource(
        'module.spoke["a"].azurerm_cosmosdb_account.nokey',
        {"name": "cosmos-b"},
        unknown=["id", "key_vault_key_id"],
        refs={"key_vault_key_id": ["var.not_a_key"]},
    )
    inventory = _inventory(plan, tmp_path)
    assert inventory.get('module.spoke["a"].azurerm_cosmosdb_account.db').encryption.key == KEY
    (finding,) = checks.cmk(inventory)
    assert (finding.address, finding.kind) == ('module.spoke["a"].azurerm_cosmosdb_account.nokey', "unknown")
    assert finding.message.startswith("key unknown at plan time for azurerm_cosmosdb_account 'cosmos-b'")


def test_disk_through_disk_encryption_set(plan, tmp_path):
    add_key(plan)
    plan.resource(
        "azurerm_disk_encryption_set.des",
        {"name": "des"},
        unknown=["id", "key_vault_key_id"],
        refs={"key_vault_key_id": [f"{KEY}.versionless_id", KEY]},
    )
    for name, refs in (
        ("good", ["azurerm_disk_encryption_set.des.id", "azurerm_disk_encryption_set.des"]),
        ("bad", None),
    ):
        plan.resource(
            f"azurerm_managed_disk.{name}",
            {"name": name},
            unknown=["id", "disk_encryption_set_id"] if refs else ["id"],
            refs={"disk_encryption_set_id": refs} if refs else None,
        )
    outside = arm_id(SUB, "rg-hub", "Microsoft.Compute/diskEncryptionSets", "des-hub")
    plan.resource("azurerm_managed_disk.far", {"name": "far", "disk_encryption_set_id": outside}, unknown=["id"])
    inventory = _inventory(plan, tmp_path)
    good = inventory.get("azurerm_managed_disk.good").encryption
    assert good.customer_managed is True and good.key == KEY
    assert good.keys[0].via == "azurerm_disk_encryption_set.des"
    assert _by_check(checks.cmk(inventory)) == {
        "cmk.managed_disk": [("azurerm_managed_disk.bad", "violation"), ("azurerm_managed_disk.far", "outside")]
    }


def test_key_url_from_another_plan(plan, tmp_path):
    """A literal key URL resolves to the key in another plan (by vault and key name); without that
    plan it is outside the inventory: reported, never compliant."""
    url = "https://kv-test.vault.azure.net/keys/k/0123456789abcdef"
    _storage(plan, "azurerm_storage_account.sa")
    plan.doc["resource_changes"][-1]["change"]["after"]["customer_managed_key"] = [{"key_vault_key_id": url}]
    plan.write(tmp_path / "spoke.json")
    alone = build_inventory(Settings(plan=[tmp_path / "spoke.json"]))
    enc = alone.get("azurerm_storage_account.sa").encryption
    assert enc.customer_managed is True and enc.key == url and enc.keys[0].outside
    (finding,) = checks.cmk(alone)
    assert (finding.check, finding.kind) == ("cmk.key_outside", "outside")
    assert url in finding.message and "known only by id" in finding.message

    hub = PlanBuilder()
    add_key(hub)
    hub.write(tmp_path / "hub.json")
    both = build_inventory(Settings(plan=[tmp_path / "spoke.json", tmp_path / "hub.json"]))
    assert both.get("azurerm_storage_account.sa").encryption.key == KEY
    assert list(checks.cmk(both)) == []


def test_key_from_a_data_source_is_outside(plan, tmp_path):
    plan.resource("data.azurerm_key_vault_key.central", {"name": "central"}, unknown=["id"], action="read")
    _storage(
        plan,
        unknown=["id", "customer_managed_key.0.key_vault_key_id"],
        refs={"customer_managed_key.key_vault_key_id": ["data.azurerm_key_vault_key.central.id"]},
    )
    plan.doc["resource_changes"][-1]["change"]["after"]["customer_managed_key"] = [{}]
    inventory = _inventory(plan, tmp_path)
    (finding,) = checks.cmk(inventory)
    assert (finding.check, finding.address, finding.kind) == (
        "cmk.key_outside",
        "azurerm_storage_account.sa",
        "outside",
    )
    assert "data.azurerm_key_vault_key.central (a data source)" in finding.message


def test_sensitive_key_id_is_unknown(plan, tmp_path):
    plan.resource(
        "azurerm_cosmosdb_account.db", {"name": "db", "key_vault_key_id": "secret"}, sensitive=["key_vault_key_id"]
    )
    inventory = _inventory(plan, tmp_path)
    assert inventory.get("azurerm_cosmosdb_account.db").encryption.customer_managed is None
    assert [f.kind for f in checks.cmk(inventory)] == ["unknown"]


def test_aks_needs_both_disk_encryption_set_and_kms(plan, tmp_path):
    add_key(plan)
    plan.resource(
        "azurerm_disk_encryption_set.des",
        {"name": "des"},
        unknown=["id", "key_vault_key_id"],
        refs={"key_vault_key_id": [KEY]},
    )
    plan.resource(
        "azurerm_kubernetes_cluster.aks",
        {"name": "aks"},
        unknown=["id", "disk_encryption_set_id"],
        refs={"disk_encryption_set_id": ["azurerm_disk_encryption_set.des.id"]},
    )
    plan.resource(
        "azurerm_kubernetes_cluster_node_pool.user",
        {"name": "user"},
        unknown=["id", "kubernetes_cluster_id"],
        refs={"kubernetes_cluster_id": ["azurerm_kubernetes_cluster.aks.id", "azurerm_kubernetes_cluster.aks"]},
    )
    inventory = _inventory(plan, tmp_path)
    findings = checks.cmk(inventory)
    assert _by_check(findings) == {
        "cmk.kubernetes_cluster": [("azurerm_kubernetes_cluster.aks", "violation")],
        "cmk.kubernetes_cluster_node_pool": [("azurerm_kubernetes_cluster_node_pool.user", "violation")],
    }
    assert "etcd secrets (KMS): uses a Microsoft-managed key" in findings[0].message
    assert "node disks: " not in findings[0].message  # that part is fine


def test_azapi_resource_is_read_by_arm_paths(plan, tmp_path):
    add_key(plan)
    plan.resource(
        "azapi_resource.sa",
        {
            "type": "Microsoft.Storage/storageAccounts@2023-05-01",
            "name": "stazapi",
            "parent_id": f"/subscriptions/{SUB}/resourceGroups/rg",
            "body": {
                "properties": {
                    "Encryption": {
                        "keySource": "Microsoft.KeyVault",
                        "keyvaultproperties": {"keyvaulturi": "https://kv-test.vault.azure.net", "keyname": "k"},
                    }
                }
            },
        },
    )
    plan.resource(
        "azapi_resource.plain",
        {
            "type": "Microsoft.Storage/storageAccounts@2023-05-01",
            "name": "stplain",
            "parent_id": f"/subscriptions/{SUB}/resourceGroups/rg",
            "body": {"properties": {"encryption": {"keySource": "Microsoft.Storage"}}},
        },
    )
    inventory = _inventory(plan, tmp_path)
    enc = inventory.get("azapi_resource.sa").encryption
    assert enc.customer_managed is True and enc.key == KEY
    (finding,) = checks.cmk(inventory)
    assert (finding.check, finding.address) == ("cmk.storage_account", "azapi_resource.plain")
    assert "properties.encryption.keySource = Microsoft.Storage" in finding.message


@pytest.mark.parametrize(("refs", "expected"), [({"body": [f"{KEY}.name", KEY]}, []), ({}, ["unknown"])])
def test_an_azapi_key_known_after_apply_is_the_key_its_body_references(plan, tmp_path, refs, expected):
    # AVM's storage module: `keyname = var.customer_managed_key.key_name`, a key created in the same apply
    add_key(plan)
    plan.resource(
        "azapi_resource.sa",
        {
            "type": "Microsoft.Storage/storageAccounts@2023-05-01",
            "name": "stazapi",
            "parent_id": f"/subscriptions/{SUB}/resourceGroups/rg",
            "body": {
                "properties": {
                    "encryption": {
                        "keySource": "Microsoft.Keyvault",
                        "keyvaultproperties": {"keyvaulturi": "https://kv-test.vault.azure.net", "keyname": "x"},
                    }
                }
            },
        },
        unknown=["body.properties.encryption.keyvaultproperties.keyname"],
        refs=refs,
    )
    inventory = _inventory(plan, tmp_path)
    findings = checks.cmk(inventory)
    assert [f.kind for f in findings if f.address == "azapi_resource.sa"] == expected
    if not expected:
        assert inventory.get("azapi_resource.sa").encryption.key == KEY


def test_encryption_fact_is_tri_state_not_truthy(plan, tmp_path):
    _storage(plan)
    enc = _inventory(plan, tmp_path).get("azurerm_storage_account.sa").encryption
    assert enc.customer_managed is False and enc.kind == "violation"
    with pytest.raises(TypeError):
        bool(enc)


# -- not assessed --------------------------------------------------------------------------------------


def test_data_bearing_type_without_rule_is_not_assessed(plan, tmp_path):
    plan.resource("azurerm_data_lake_store.old", {"name": "old"}, unknown=["id"])
    plan.resource("azurerm_virtual_network.vnet", {"name": "vnet"}, unknown=["id"])
    inventory = _inventory(plan, tmp_path)
    (finding,) = checks.cmk(inventory)
    assert (finding.check, finding.address, finding.kind) == (
        "cmk.not_assessed",
        "azurerm_data_lake_store.old",
        "not_assessed",
    )
    assert [r.address for r in not_assessed(inventory)] == ["azurerm_data_lake_store.old"]
    assert "cmk.not_assessed" in check_ids(inventory)


# -- keys -------------------------------------------------------------------------------------------


def _store_with_key(plan: PlanBuilder, vault=None, key=None) -> None:
    add_key(plan, vault, key)
    plan.resource(
        "azurerm_cosmosdb_account.db",
        {"name": "db"},
        unknown=["id", "key_vault_key_id"],
        refs={"key_vault_key_id": [f"{KEY}.versionless_id", KEY]},
    )


@pytest.mark.parametrize(
    "vault,key,expected",
    [
        ({"purge_protection_enabled": False}, {}, {"cmk.key_vault": [(VAULT, "violation")]}),
        ({"soft_delete_enabled": False}, {}, {"cmk.key_vault": [(VAULT, "violation")]}),
        ({"purge_protection_enabled": None}, {}, {"cmk.key_vault": [(VAULT, "violation")]}),
        ({}, {"rotation_policy": []}, {"cmk.key_rotation": [(KEY, "violation")], "cmk.key_expiry": []}),
        ({}, {"rotation_policy": [{"expire_after": "P1Y"}]}, {"cmk.key_rotation": [(KEY, "violation")]}),
        ({}, {"rotation_policy": [], "expiration_date": None}, {"cmk.key_rotation": [(KEY, "violation")]}),
        ({}, {"key_size": 1024, "key_type": "RSA"}, {"cmk.key_strength": [(KEY, "violation")]}),
        ({}, {"key_type": "EC-HSM", "key_size": None}, {"cmk.key_strength": [(KEY, "violation")]}),
        ({}, {}, {}),
    ],
    ids=["no-purge", "no-soft-delete", "purge-unset", "no-rotation", "manual", "never", "rsa1024", "ec", "good"],
)
def test_key_fitness(plan, tmp_path, vault, key, expected):
    _store_with_key(plan, vault, key)
    if "expiration_date" in key or key.get("rotation_policy") == []:
        expected = {**expected, "cmk.key_expiry": [(KEY, "violation")]} if "expiration_date" in key else expected
    inventory = _inventory(plan, tmp_path)
    found = _by_check(checks.cmk(inventory))
    assert found == {k: v for k, v in expected.items() if v}


def test_key_messages_name_the_users(plan, tmp_path):
    _store_with_key(plan, {"purge_protection_enabled": False}, {"rotation_policy": [], "expiration_date": None})
    messages = {f.check: f.message for f in checks.cmk(_inventory(plan, tmp_path))}
    assert set(messages) == {"cmk.key_vault", "cmk.key_rotation", "cmk.key_expiry"}
    assert "purge protection is off" in messages["cmk.key_vault"]
    assert "used for CMK by azurerm_cosmosdb_account.db" in messages["cmk.key_rotation"]
    assert "never expires" in messages["cmk.key_expiry"]


def test_unused_wrap_key_is_checked_but_signing_key_is_not(plan, tmp_path):
    add_key(plan, key={"key_size": 1024, "key_type": "RSA"})
    plan.resource(
        "azurerm_key_vault_key.sign",
        {**GOOD_KEY, "name": "sign", "key_opts": ["sign", "verify"], "key_type": "EC", "key_size": None},
        unknown=["id", "key_vault_id"],
        refs={"key_vault_id": [f"{VAULT}.id"]},
    )
    (finding,) = checks.cmk(_inventory(plan, tmp_path))
    assert (finding.check, finding.address) == ("cmk.key_strength", KEY)
    assert "no data store in the inventory uses yet" in finding.message


def test_key_size_and_hsm_only_settings(plan, tmp_path):
    _store_with_key(plan, key={"key_type": "RSA", "key_size": 3072})
    assert list(checks.cmk(_inventory(plan, tmp_path))) == []
    strict = checks.cmk(_inventory(plan, tmp_path, key_min_size="4096", key_hsm_only=True))
    (finding,) = strict
    assert finding.check == "cmk.key_strength"
    assert "key type RSA and size 3072; required: RSA-HSM of at least 4096 bits" in finding.message
    assert [f.check for f in checks.cmk(_inventory(plan, tmp_path), key_min_size=3072)] == []
    with pytest.raises(ConfigurationError, match="cloudcheck_key_min_size"):
        checks.cmk(_inventory(plan, tmp_path, key_min_size="big"))


def test_key_settings_from_ini(pytester, tmp_path):
    plan = PlanBuilder()
    _store_with_key(plan, key={"key_type": "RSA", "key_size": 3072})
    plan.write(pytester.path / "plan.json")
    pytester.makeini("[pytest]\ncloudcheck_key_min_size = 4096\ncloudcheck_key_hsm_only = true\n")
    pytester.makepyfile(
        """
        from pytest_cloudcheck import checks

        def test_keys(cloud):
            assert not checks.cmk(cloud)
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "plan.json")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*azurerm_key_vault_key.k: *required: RSA-HSM of at least 4096 bits*[cmk.key_strength]*"]
    )


# -- baseline ---------------------------------------------------------------------------------------


def _noncompliant_plan(path: Path) -> Path:
    plan = PlanBuilder()
    _store_with_key(plan)
    _storage(plan, "azurerm_storage_account.plain")
    return plan.write(path)


def test_baseline_runs_without_user_tests(pytester):
    _noncompliant_plan(pytester.path / "plan.json")
    result = pytester.runpytest(
        "--pyargs", "pytest_cloudcheck.baseline", "-k", "test_cmk", "--cloudcheck-plan", "plan.json", "-v"
    )
    result.assert_outcomes(passed=7, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*test_cmk?cmk.cosmosdb_account? PASSED*",
            "*test_cmk?cmk.storage_account? FAILED*",
            "*test_cmk?cmk.not_assessed? PASSED*",
            "1 finding(s):",
            "  azurerm_storage_account.plain: azurerm_storage_account 'plain' uses a Microsoft-managed key*",
            "test: */pytest_cloudcheck/baseline/test_baseline.py:*",
        ]
    )


def test_a_baseline_finding_carries_its_own_checks_controls(pytester):
    """An untagged store without CMK: its CMK finding is the CMK test's, with CMK's controls, not
    also the environment test's (pytest's assertion rewriting reprs the baseline's cache of every
    family's findings; a repr is no assertion about them)."""
    _noncompliant_plan(pytester.path / "plan.json")
    result = pytester.runpytest(
        "--pyargs", "pytest_cloudcheck.baseline", "--cloudcheck-plan", "plan.json", "--cloudcheck-report", "e.json"
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    doc = json.loads((pytester.path / "e.json").read_text(encoding="utf-8"))
    by_check = {(f["check"], f["address"]): f for f in doc["findings"]}
    cmk = by_check[("cmk.storage_account", "azurerm_storage_account.plain")]
    assert cmk["tests"] == ["test_baseline.py::test_cmk[cmk.storage_account]"]
    assert cmk["controls"] == ["BIO U.05.2", "BIO U.11.3"]
    env = by_check[("environment.unclassified", "azurerm_storage_account.plain")]
    assert env["tests"] == ["test_baseline.py::test_every_resource_has_an_environment"]
    assert env["controls"] == ["BIO U.07.1"]
    (env_test,) = [t for t in doc["tests"] if t["nodeid"].endswith("test_every_resource_has_an_environment")]
    assert {f["check"] for f in env_test["findings"]} == {"environment.unclassified"}


def test_baseline_without_source_is_a_usage_error(pytester):
    result = pytester.runpytest("--pyargs", "pytest_cloudcheck.baseline")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*no cloudcheck source configured*--cloudcheck-plan*"])


@pytest.mark.skipif(importlib.util.find_spec("xdist") is None, reason="pytest-xdist not installed")
def test_baseline_under_xdist_from_an_unrelated_folder(pytester):
    plan = _noncompliant_plan(pytester.path / "plan.json")
    elsewhere = pytester.mkdir("elsewhere")
    (elsewhere / "conftest.py").write_text("")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(elsewhere)
        result = pytester.runpytest_subprocess(
            "-p",
            "xdist",
            "-n",
            "2",
            "--pyargs",
            "pytest_cloudcheck.baseline",
            "-k",
            "test_cmk",
            "--cloudcheck-plan",
            str(plan),
        )
    result.assert_outcomes(passed=7, failed=1)


# -- real plans and the example landing zone ------------------------------------------------------


REAL = sorted(REAL_PLANS.glob("*.json")) if REAL_PLANS.is_dir() else []


@pytest.mark.skipif(not REAL, reason="reference real plans not present")
@pytest.mark.parametrize("path", REAL, ids=[p.stem[:60] for p in REAL])
def test_real_plans_pass_through_cmk(path):
    inventory = build_inventory(Settings(plan=[path], allow_empty=True))
    findings = checks.cmk(inventory)
    assert all(
        f.check.startswith("cmk.") and f.kind in ("violation", "unknown", "outside", "not_assessed") for f in findings
    )
    for r in inventory:
        if r.type.startswith("azurerm_") and r.encryption.assessed:
            assert r.encryption.customer_managed in (True, False, None)


def _example_plans(folder: str) -> list[Path]:
    return sorted((EXAMPLES / folder / "plans").glob("*.json"))


@pytest.mark.skipif(not _example_plans("landing_zone"), reason="example landing zone not present")
def test_compliant_landing_zone_has_no_cmk_findings():
    inventory = build_inventory(Settings(plan=_example_plans("landing_zone")))
    assert [str(f) for f in checks.cmk(inventory)] == []
    # both ways of attaching a storage key are in it
    related = {a for r in inventory.resources("azurerm_storage_account") for a in r.encryption.related}
    assert any("azurerm_storage_account_customer_managed_key" in a for a in related)
    assert any(not r.encryption.related for r in inventory.resources("azurerm_storage_account"))


#: VIOLATIONS.md rows 1-8 (CMK) as this check reports them: (check, address, kind)
PLANTED = {
    ("cmk.storage_account", "azurerm_storage_account.reports", "violation"),
    ("cmk.managed_disk", "azurerm_managed_disk.scratch", "violation"),
    ("cmk.mssql_server", "azurerm_mssql_server.legacy", "violation"),
    ("cmk.cosmosdb_account", "azurerm_cosmosdb_account.events", "violation"),
    ("cmk.key_vault", "azurerm_key_vault.legacy", "violation"),
    ("cmk.key_rotation", "azurerm_key_vault_key.legacy", "violation"),
    ("cmk.key_expiry", "azurerm_key_vault_key.legacy", "violation"),
    ("cmk.key_strength", "azurerm_key_vault_key.weak", "violation"),
    ("cmk.key_outside", "azurerm_storage_account.exchange", "outside"),
}


@pytest.mark.skipif(not _example_plans("noncompliant"), reason="noncompliant example not present")
def test_noncompliant_landing_zone_lists_every_planted_cmk_violation():
    inventory = build_inventory(Settings(plan=_example_plans("noncompliant")))
    found = {(f.check, f.address, f.kind) for f in checks.cmk(inventory)}
    assert found == PLANTED
    violations = (EXAMPLES / "noncompliant" / "VIOLATIONS.md").read_text(encoding="utf-8")
    for _, address, _ in PLANTED:
        assert address.split(".", 1)[1] in violations


def test_cmk_findings_are_json_serialisable_and_one_line(plan, tmp_path):
    _store_with_key(plan, {"purge_protection_enabled": False})
    _storage(plan, "azurerm_storage_account.plain")
    for f in checks.cmk(_inventory(plan, tmp_path)):
        assert "\n" not in f.message
        json.dumps({"check": f.check, "address": f.address, "message": f.message, "related": f.related})


def test_terminal_summary_lists_not_assessed_resources(pytester):
    plan = PlanBuilder()
    plan.resource("azurerm_data_lake_store.old", {"name": "old"}, unknown=["id"])
    plan.resource("azurerm_virtual_network.vnet", {"name": "vnet"}, unknown=["id"])
    plan.write(pytester.path / "plan.json")
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest("--cloudcheck-plan", "plan.json")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*cloudcheck: not assessed*",
            "1 data-bearing resource(s) whose type has no CMK rule yet (not a pass):",
            "  azurerm_data_lake_store.old (azurerm_data_lake_store)",
        ]
    )
    assert "azurerm_virtual_network.vnet (azurerm_virtual_network)" not in result.stdout.str()


def test_disk_encryption_set_in_another_subscription_is_never_a_same_named_one(plan, pytester):
    """A disk whose set sits in subscription A (not in this plan) is not judged by the set of the
    same name and resource group that this plan holds in subscription B."""
    other = "22222222-2222-2222-2222-222222222222"
    add_key(plan)
    des_b = arm_id(other, "rg-disks", "Microsoft.Compute/diskEncryptionSets", "des")
    plan.resource(
        "azurerm_disk_encryption_set.des",
        {"name": "des", "resource_group_name": "rg-disks", "id": des_b},
        unknown=["key_vault_key_id"],
        refs={"key_vault_key_id": [f"{KEY}.versionless_id", KEY]},
    )
    des_a = arm_id(SUB, "rg-disks", "Microsoft.Compute/diskEncryptionSets", "des")
    plan.resource(
        "azurerm_managed_disk.data",
        {"name": "data", "resource_group_name": "rg-disks", "disk_encryption_set_id": des_a},
        unknown=["id"],
    )
    plan.write(pytester.path / "plan.json")
    pytester.makepyfile(
        """
        from pytest_cloudcheck import Findings, checks

        def test_disks(cloud):
            assert not Findings(f for f in checks.cmk(cloud) if f.check == "cmk.managed_disk")
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "plan.json", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*azurerm_managed_disk.data*outside the inventory*"])


def _machines(plan: PlanBuilder) -> None:
    """A Linux and a Windows VM and scale set without a disk encryption set, an azapi Windows VM
    (told by its osType) and an azapi Windows scale set (by its windowsConfiguration)."""
    os_disk = {"os_disk": [{"caching": "ReadWrite", "storage_account_type": "Premium_LRS"}]}
    for kind in ("linux", "windows"):
        plan.resource(f"azurerm_{kind}_virtual_machine.vm", {"name": f"vm-{kind}", **os_disk}, unknown=["id"])
        plan.resource(f"azurerm_{kind}_virtual_machine_scale_set.ss", {"name": f"ss-{kind}", **os_disk})
    parent = f"/subscriptions/{SUB}/resourceGroups/rg"
    plan.resource(
        "azapi_resource.win",
        {"type": "Microsoft.Compute/virtualMachines@2024-03-01", "name": "vm-azapi", "parent_id": parent,
         "body": {"properties": {"storageProfile": {"osDisk": {"osType": "Windows", "managedDisk": {}}}}}},
    )  # fmt: skip
    plan.resource(
        "azapi_resource.winset",
        {"type": "Microsoft.Compute/virtualMachineScaleSets@2024-03-01", "name": "ss-azapi", "parent_id": parent,
         "body": {"properties": {"virtualMachineProfile": {"osProfile": {"windowsConfiguration": {}},
                                                           "storageProfile": {"osDisk": {"managedDisk": {}}}}}}},
    )  # fmt: skip


def test_windows_machines_have_windows_check_ids_and_old_waivers_still_work(pytester):
    """Windows VMs and scale sets (azurerm types, azapi by osType / windowsConfiguration) are
    `cmk.windows_virtual_machine(_scale_set)`; a waiver naming the old linux id still waives them,
    with a deprecation warning naming the new id."""
    plan = PlanBuilder()
    _machines(plan)
    plan.write(pytester.path / "plan.json")
    pytester.makepyfile(
        """
        import json
        from pytest_cloudcheck import checks

        def test_machines(cloud):
            found = checks.cmk(cloud)
            ids = sorted([f.check, f.address] for f in found if "virtual_machine" in f.check)
            open("ids.json", "w").write(json.dumps(ids))
            assert not found
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "plan.json")
    result.assert_outcomes(failed=1)
    ids = [tuple(pair) for pair in json.loads((pytester.path / "ids.json").read_text())]
    assert ids == [
        ("cmk.linux_virtual_machine", "azurerm_linux_virtual_machine.vm"),
        ("cmk.linux_virtual_machine_scale_set", "azurerm_linux_virtual_machine_scale_set.ss"),
        ("cmk.windows_virtual_machine", "azapi_resource.win"),
        ("cmk.windows_virtual_machine", "azurerm_windows_virtual_machine.vm"),
        ("cmk.windows_virtual_machine_scale_set", "azapi_resource.winset"),
        ("cmk.windows_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set.ss"),
    ]
    # a waiver written for the old id still waives the Windows VM, and says which id to write
    (pytester.path / "w.toml").write_text(
        "[[waiver]]\ncheck = 'cmk.linux_virtual_machine'\naddress = 'azurerm_*_virtual_machine.vm'\n"
        "reason = 'PBI-1'\nowner = 'squad-a'\n"
        f"expires = {(dt.date.today() + dt.timedelta(days=30)).isoformat()}\n",
        encoding="utf-8",
    )
    pytester.makepyfile(
        """
        from pytest_cloudcheck import Findings, checks

        def test_vms(cloud):
            vms = [f for f in checks.cmk(cloud) if f.check.endswith("_virtual_machine")]
            assert not Findings(f for f in vms if f.address.startswith("azurerm_"))
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "plan.json", "--cloudcheck-waivers", "w.toml", "-rA")
    assert result.parseoutcomes() == {"waived": 1, "warnings": 1}
    result.stdout.fnmatch_lines(
        [
            "*CloudcheckWarning: waiver #1 waives azurerm_windows_virtual_machine.vm by its old check id"
            " 'cmk.linux_virtual_machine' (deprecated for Windows machines):"
            " write check = 'cmk.windows_virtual_machine'"
        ]
    )
    assert "waives azurerm_linux_virtual_machine.vm" not in result.stdout.str()
