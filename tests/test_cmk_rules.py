"""Every row of the CMK rule table: compliant, violating and unknown, on Terraform plans and ARM shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from cmk_cases import KEY, ArmCase, TerraformCase

from pytest_cloudcheck import checks
from pytest_cloudcheck.azure_types import BY_AZURERM
from pytest_cloudcheck.rules.cmk import BY_TYPE, RULES, markdown
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

REPO = Path(__file__).resolve().parent.parent
TERRAFORM_RULES = [r for r in RULES if not r.unsupported]
ALTERNATIVES = [
    pytest.param(rule, i, id=f"{rule.check}-{i}")
    for rule in TERRAFORM_RULES
    for i in range(max(len(p.terraform) for p in rule.parts))
]
ARM_RULES = [r for r in RULES if any(p.arm for p in r.parts)]


def _load(case: TerraformCase, tmp_path: Path):
    path = case.plan.write(tmp_path / "plan.json")
    return build_inventory(Settings(plan=[path]))


def _ids(rules):
    return [r.check for r in rules]


def test_table_covers_the_issue():
    assert len(BY_TYPE) >= 30
    wanted = [
        "storage_account",
        "managed_disk",
        "linux_virtual_machine",
        "windows_virtual_machine",
        "linux_virtual_machine_scale_set",
        "kubernetes_cluster",
        "mssql_server",
        "mssql_managed_instance",
        "cosmosdb_account",
        "postgresql_flexible_server",
        "mysql_flexible_server",
        "container_registry",
        "data_factory",
        "synapse_workspace",
        "machine_learning_workspace",
        "log_analytics_cluster",
        "eventhub_namespace",
        "servicebus_namespace",
        "app_configuration",
        "cognitive_account",
        "batch_account",
        "recovery_services_vault",
        "data_protection_backup_vault",
        "redis_enterprise_cluster",
        "kusto_cluster",
        "databricks_workspace",
        "search_service",
    ]
    assert not [t for t in wanted if f"azurerm_{t}" not in BY_TYPE]
    # an ARM type per rule, matching the type table where the type table knows the type
    for rule in RULES:
        for t in rule.types:
            if t in BY_AZURERM:
                assert BY_AZURERM[t].arm.lower() == rule.arm_type.lower(), t


def test_every_cmk_type_is_mapped_on_every_source():
    """Plan and HCL name the azurerm type; live (Resource Graph) and azapi name the ARM type: every
    type of the CMK table must come back as a type with the same rule, or live skips it unseen."""
    from pytest_cloudcheck.azure_types import azurerm_type_of
    from pytest_cloudcheck.rules.cmk import rule_for
    from pytest_cloudcheck.sources.live.mapping import azurerm_type, canonical_arm_type

    def same_rule(azurerm: str | None, rule) -> bool:
        found = rule_for(azurerm) if azurerm else None
        return found is not None and found.arm_type.lower() == rule.arm_type.lower()

    unmapped = []
    for rule in RULES:
        unmapped += [f"{t}: not in azure_types" for t in rule.types if t not in BY_AZURERM]
        unmapped += [
            f"{t}: azure_types says {BY_AZURERM[t].arm}, the rule {rule.arm_type}"
            for t in rule.types
            if t in BY_AZURERM and BY_AZURERM[t].arm.lower() != rule.arm_type.lower()
        ]
        for raw in (rule.arm_type, rule.arm_type.lower()):  # Resource Graph answers in lower case
            live = azurerm_type(canonical_arm_type(raw), {})
            if not same_rule(live, rule):
                unmapped.append(f"{rule.arm_type}: live maps {raw} to {live}")
        azapi = azurerm_type_of(f"{rule.arm_type}@2024-01-01")
        if not same_rule(azapi, rule):
            unmapped.append(f"{rule.arm_type}: azapi maps it to {azapi}")
    assert not unmapped, "\n".join(unmapped)


def test_docs_are_generated_from_the_table():
    committed = (REPO / "docs" / "cmk.md").read_text(encoding="utf-8")
    assert committed == markdown(), "docs/cmk.md is stale: regenerate it (command in its header)"


@pytest.mark.parametrize("rule,alternative", ALTERNATIVES)
def test_compliant(rule, alternative, tmp_path):
    case = TerraformCase(rule, "compliant", alternative)
    inventory = _load(case, tmp_path)
    enc = inventory.get(case.address).encryption
    assert enc.customer_managed is True, enc.how
    if rule.check != "cmk.search_service" and rule.types[0] != "azurerm_netapp_volume":
        assert enc.key == KEY
    assert list(checks.cmk(inventory)) == []


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_violating(rule, tmp_path):
    case = TerraformCase(rule, "violating")
    inventory = _load(case, tmp_path)
    assert inventory.get(case.address).encryption.customer_managed is False
    found = [f for f in checks.cmk(inventory) if f.address == case.address]
    assert [(f.check, f.kind) for f in found] == [(rule.check, "violation")]
    message = found[0].message
    assert rule.types[0] in message and "required:" in message
    if rule.sku_note:
        assert rule.sku_note in message
    if rule.unsupported:
        assert rule.unsupported in message


@pytest.mark.parametrize("rule", TERRAFORM_RULES, ids=_ids(TERRAFORM_RULES))
def test_unknown_at_plan_time(rule, tmp_path):
    case = TerraformCase(rule, "unknown")
    inventory = _load(case, tmp_path)
    assert inventory.get(case.address).encryption.customer_managed is None
    found = [f for f in checks.cmk(inventory) if f.address == case.address]
    assert [(f.check, f.kind) for f in found] == [(rule.check, "unknown")]
    assert found[0].message.startswith("key unknown at plan time")


@pytest.mark.parametrize("lowercase", [False, True], ids=["arm-case", "lowercase"])
@pytest.mark.parametrize("rule", ARM_RULES, ids=_ids(ARM_RULES))
def test_arm_compliant(rule, lowercase):
    case = ArmCase(rule, compliant=True, lowercase=lowercase)
    inventory = case.inventory()
    enc = inventory.get(case.address).encryption
    assert enc.customer_managed is True, enc.how
    assert list(checks.cmk(inventory)) == []


@pytest.mark.parametrize("rule", ARM_RULES, ids=_ids(ARM_RULES))
def test_arm_violating(rule):
    case = ArmCase(rule, compliant=False)
    inventory = case.inventory()
    enc = inventory.get(case.address).encryption
    assert enc.customer_managed is False or enc.kind == "outside", enc.how
    found = [f for f in checks.cmk(inventory) if f.address == case.address]
    assert [f.check for f in found] == [rule.check]
