"""Attacks on unknowns that pass: a value a check needs that is redacted or known only after
apply is unknown, a finding, never a pass or a skip.

Each attack asserts the exact findings (check id, address, kind) or outcomes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from planbuilder import PlanBuilder
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


#: attacks in this module (each parametrised case counts once)
ATTACKS = 1 + 2
