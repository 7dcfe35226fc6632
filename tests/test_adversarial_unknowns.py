"""Attacks on unknowns that pass: a value a check needs that is redacted or known only after
apply is unknown, a finding, never a pass or a skip.

Each attack asserts the exact findings (check id, address, kind) or outcomes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from planbuilder import PlanBuilder, arm_id
from tfreal import as_storage_accounts, plan_json

# -- a redacted environment tag: the environment is unknown ---------------------------------------

ENV_TF = """
variable "env" {
  type      = string
  sensitive = true
  default   = "prod"
}

resource "terraform_data" "data" {
  input = { name = "stdata", tags = { environment = var.env, owner = "team-a" } }
}
"""

ENV_TESTS = """
import pytest
from pytest_cloudcheck import checks

@pytest.mark.environment("prod")
def test_prod_cmk(cloud):
    assert not checks.cmk(cloud)

@pytest.mark.environment("nonprod")
def test_nonprod_isolation(cloud):
    assert not checks.nonprod_isolation(cloud)

@pytest.mark.environment("prod")
def test_prod_reads(cloud):
    assert all(r.name is None or r.name for r in cloud)

@pytest.mark.resources("azurerm_storage_account", env="prod")
def test_each_prod(resource):
    assert resource.address

def test_classified(cloud):
    assert not checks.unclassified(cloud)
"""


@pytest.fixture(scope="module")
def redacted_env_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("tf-env")
    doc = plan_json(work, {"main.tf": ENV_TF})
    (rc,) = doc["resource_changes"]
    # Terraform marks the tag, not the resource: the rest stays readable
    assert rc["change"]["after_sensitive"] == {"input": {"tags": {"environment": True}}, "output": {}}
    path = work / "plan.json"
    path.write_text(json.dumps(as_storage_accounts(doc)))
    return path


def _hand_written_env(path: Path, how: str) -> Path:
    plan = PlanBuilder()
    values = {"name": "stdata", "resource_group_name": "rg-x", "tags": {"environment": "prod", "owner": "team-a"}}
    if how == "sensitive":
        plan.resource("azurerm_storage_account.data", values, sensitive=["tags.environment"])
    else:
        del values["tags"]["environment"]
        plan.resource("azurerm_storage_account.data", values, unknown=["tags.environment"])
    return plan.write(path)


def _evidence(pytester: pytest.Pytester, plan: Path) -> tuple[pytest.RunResult, dict[str, Any]]:
    pytester.makepyfile(test_env=ENV_TESTS)
    result = pytester.runpytest(
        "--cloudcheck-plan", str(plan), "--cloudcheck-report=evidence.json", "-p", "no:randomly"
    )
    return result, json.loads((pytester.path / "evidence.json").read_text())


def _assert_environment_unknown(result: pytest.RunResult, evidence: dict[str, Any], why: str) -> None:
    address = "azurerm_storage_account.data"
    outcomes = {t["nodeid"].split("::", 1)[1]: t["outcome"] for t in evidence["tests"]}
    assert outcomes == {
        "test_prod_cmk": "failed",
        "test_nonprod_isolation": "failed",
        "test_prod_reads": "failed",
        "test_each_prod[cloudcheck-unread]": "failed",
        "test_classified": "failed",
    }
    found = {(f["check"], f["address"], f["kind"]) for f in evidence["findings"]}
    assert {
        ("environment.unclassified", address, "unknown"),
        ("cmk.not_assessed", address, "not_assessed"),
        ("isolation.not_assessed", address, "not_assessed"),
        ("coverage.environment", address, "not_assessed"),
    } <= found
    result.stdout.fnmatch_lines([f"*{address}: its `environment` tag {why}, so its environment is unknown*"])


def test_a_redacted_environment_tag_of_a_real_plan_is_unknown(
    pytester: pytest.Pytester, redacted_env_plan: Path
) -> None:
    result, evidence = _evidence(pytester, redacted_env_plan)
    _assert_environment_unknown(result, evidence, "is sensitive (redacted)")


@pytest.mark.parametrize(
    ("how", "why"), [("sensitive", "is sensitive (redacted)"), ("unknown", "is known only after apply")]
)
def test_an_environment_tag_redacted_or_unknown_is_never_a_pass_or_a_skip(
    pytester: pytest.Pytester, how: str, why: str
) -> None:
    result, evidence = _evidence(pytester, _hand_written_env(pytester.path / "plan.json", how))
    _assert_environment_unknown(result, evidence, why)


# -- unknown network rules, an unreadable azapi body, a peer outside the inventory ---------------

SUB = "11111111-1111-1111-1111-111111111111"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-p"


def _network_plan(path: Path) -> Path:
    plan = PlanBuilder().provider(SUB)
    prod = {"resource_group_name": "rg-p", "location": "westeurope", "tags": {"environment": "prod"}}
    test = {"resource_group_name": "rg-t", "location": "westeurope", "tags": {"environment": "test"}}
    plan.resource("azurerm_virtual_network.p", {"name": "vnet-p", "address_space": ["10.1.0.0/16"], **prod})
    plan.resource("azurerm_virtual_network.t", {"name": "vnet-t", "address_space": ["10.2.0.0/16"], **test})
    nsg_id = f"{RG}/providers/Microsoft.Network/networkSecurityGroups/nsg-p"
    arm = {"location": "westeurope", "tags": {"environment": "prod"}}
    plan.resource(
        "azapi_resource.nsg",
        {"type": "Microsoft.Network/networkSecurityGroups@2023-09-01", "name": "nsg-p", "parent_id": RG, **arm},
    )
    # an ARM-shaped rule (azapi) whose source prefix is known only after apply
    plan.resource(
        "azapi_resource.rule",
        {
            "type": "Microsoft.Network/networkSecurityGroups/securityRules@2023-09-01",
            "name": "from-anywhere",
            "parent_id": nsg_id,
            "body": {
                "properties": {
                    "access": "Allow",
                    "direction": "Inbound",
                    "sourceAddressPrefix": "x",
                    "destinationAddressPrefix": "10.1.0.0/24",
                }
            },
        },
        unknown=["body.properties.sourceAddressPrefix"],
    )
    # an NSG and a storage account whose jsonencode()d body cannot be read
    for address, arm_type, name in (
        ("azapi_resource.nsg_bad", "Microsoft.Network/networkSecurityGroups@2023-09-01", "nsg-bad"),
        ("azapi_resource.st_bad", "Microsoft.Storage/storageAccounts@2023-01-01", "stbad"),
    ):
        plan.resource(address, {"type": arm_type, "name": name, "parent_id": RG, "body": "{not json", **arm})
    # firewall rules: unknown sources into prod (a finding), unknown sources elsewhere (none)
    plan.resource(
        "azurerm_firewall_policy_rule_collection_group.fw",
        {
            "name": "fw",
            "firewall_policy_id": "policy",
            "priority": 100,
            "network_rule_collection": [
                {
                    "name": "c",
                    "action": "Allow",
                    "priority": 100,
                    "rule": [
                        {"name": "into-prod", "source_addresses": ["x"], "destination_addresses": ["10.1.0.0/24"]},
                        {"name": "elsewhere", "source_addresses": ["x"], "destination_addresses": ["192.168.0.0/24"]},
                    ],
                }
            ],
        },
        unknown=[
            "network_rule_collection.0.rule.0.source_addresses",
            "network_rule_collection.0.rule.1.source_addresses",
        ],
    )
    # a prod VNet peered to a VNet no plan holds
    outside = arm_id("99999999-9999-9999-9999-999999999999", "x", "Microsoft.Network/virtualNetworks", "v")
    plan.resource(
        "azurerm_virtual_network_peering.p_to_outside",
        {
            "name": "p-to-outside",
            "resource_group_name": "rg-p",
            "virtual_network_name": "vnet-p",
            "remote_virtual_network_id": outside,
        },
    )
    return plan.write(path)


def test_unknown_network_rules_unreadable_bodies_and_outside_peers_are_findings(pytester: pytest.Pytester) -> None:
    plan = _network_plan(pytester.path / "plan.json")
    pytester.makepyfile(
        """
        from pytest_cloudcheck import checks

        def test_isolation(cloud):
            assert not checks.nonprod_isolation(cloud)

        def test_cmk(cloud):
            assert not checks.cmk(cloud)
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", str(plan), "--cloudcheck-report=evidence.json")
    result.assert_outcomes(failed=2)
    evidence = json.loads((pytester.path / "evidence.json").read_text())
    found = {(f["check"], f["address"], f["kind"]) for f in evidence["findings"]}
    isolation = {f for f in found if f[0].startswith("isolation.")}
    assert isolation == {
        ("isolation.nsg_rule", "azapi_resource.rule", "unknown"),
        ("isolation.nsg_rule", "azapi_resource.nsg_bad", "unknown"),
        ("isolation.firewall_rule", "azurerm_firewall_policy_rule_collection_group.fw", "unknown"),
        ("isolation.peering", "azurerm_virtual_network_peering.p_to_outside", "outside"),
    }
    assert ("cmk.storage_account", "azapi_resource.st_bad", "unknown") in found
    result.stdout.fnmatch_lines(
        [
            "*azurerm_firewall_policy_rule_collection_group.fw: firewall rule 'into-prod' (allow): addresses or "
            "action unknown at plan time, and it reaches 10.1.0.0/24*",
            "*azurerm_virtual_network_peering.p_to_outside: VNet peering joins azurerm_virtual_network.p (prod) and "
            "/subscriptions/*, a VNet outside the inventory whose environment is not known*",
        ]
    )


#: attacks in this module (each parametrised case counts once)
ATTACKS = 1 + 2 + 4 + 1
