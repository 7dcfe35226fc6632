"""Attacks on redaction of keys: a `for_each` key or a map key built from a sensitive value is
echoed by Terraform unmarked (in `address`, `index`, `module_address` and attribute maps). It
never reaches the terminal, JUnit, the evidence report, SARIF or Markdown; the finding about
its resource is still there, under `(sensitive N)`.

The real plan is made by Terraform 1.11 with `terraform_data` (skipped without the CLI) and then
given Azure types: each `terraform_data`'s `input` object becomes the attributes (and marks) of
an `azurerm_storage_account`, so the keys, marks and references are Terraform's own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
from planbuilder import PlanBuilder

SECRET = "s3cr3t-key-value"

ROOT_TF = f"""
variable "secret" {{
  type      = string
  sensitive = true
  default   = "{SECRET}"
}}

resource "terraform_data" "keyed" {{
  for_each = nonsensitive(toset([var.secret]))
  input    = {{ name = "stkeyed", tags = {{ environment = "prod" }} }}
}}

resource "terraform_data" "tagged" {{
  input = {{ name = "sttagged", tags = {{ (nonsensitive(var.secret)) = "owner", environment = "prod" }} }}
}}

module "per_secret" {{
  source   = "./inner"
  for_each = nonsensitive(toset([var.secret]))
}}
"""

INNER_TF = """
resource "terraform_data" "inner" {
  input = { name = "stinner", tags = { environment = "prod" } }
}
"""


def _terraform(cwd: Path, *args: str) -> str:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform CLI not on PATH")
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"}
    done = subprocess.run([terraform, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"terraform {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def _as_storage_accounts(doc: dict[str, Any]) -> dict[str, Any]:
    """Each terraform_data's `input` object as the attributes of a storage account."""

    def inner(marks: Any) -> Any:
        return marks.get("input", {}) if isinstance(marks, dict) else marks

    for rc in doc["resource_changes"]:
        rc["type"] = "azurerm_storage_account"
        rc["address"] = rc["address"].replace("terraform_data.", "azurerm_storage_account.")
        rc["provider_name"] = "registry.terraform.io/hashicorp/azurerm"
        change = rc["change"]
        change["after"] = change["after"]["input"]
        for marks in ("after_unknown", "after_sensitive"):
            change[marks] = inner(change[marks])
    doc.pop("planned_values", None)

    def retype(module: dict[str, Any]) -> None:
        for resource in module.get("resources", ()):
            resource["type"] = "azurerm_storage_account"
            resource["address"] = resource["address"].replace("terraform_data.", "azurerm_storage_account.")
        for call in module.get("module_calls", {}).values():
            retype(call["module"])

    retype(doc["configuration"]["root_module"])
    return doc


@pytest.fixture(scope="module")
def real_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("tf-keys")
    (work / "inner").mkdir()
    (work / "main.tf").write_text(ROOT_TF)
    (work / "inner" / "main.tf").write_text(INNER_TF)
    _terraform(work, "init", "-backend=false", "-input=false")
    _terraform(work, "plan", "-out=plan.tfplan")
    doc = json.loads(_terraform(work, "show", "-json", "plan.tfplan"))
    # what Terraform itself writes: the secret in plain text in addresses, keys and map keys
    assert f'terraform_data.keyed["{SECRET}"]' in {rc["address"] for rc in doc["resource_changes"]}
    assert SECRET in json.dumps(doc["resource_changes"])
    path = work / "plan.json"
    path.write_text(json.dumps(_as_storage_accounts(doc)))
    return path


def _hand_written(path: Path) -> Path:
    """A plan whose secret is a marked attribute of one resource, echoed unmarked as the for_each
    key of a resource that references it and as a tag key."""
    plan = PlanBuilder()
    plan.resource(
        "azurerm_key_vault_secret.token",
        {"name": "token", "value": SECRET, "key_vault_id": "kv"},
        sensitive=["value"],
    )
    plan.resource(
        f'azurerm_storage_account.keyed["{SECRET}"]',
        {"name": "stkeyed", "tags": {"environment": "prod", f"owner-{SECRET}": "x"}},
        refs={"name": ["azurerm_key_vault_secret.token.value", "azurerm_key_vault_secret.token"]},
    )
    return plan.write(path)


TEST_FILE = """
import pytest
from pytest_cloudcheck import checks

def test_cmk(cloud):
    assert not checks.cmk(cloud)

@pytest.mark.resources("azurerm_storage_account")
def test_each(resource):
    assert False, f"{resource.address} {resource.tags}"
"""


def _run_with_every_report(
    pytester: pytest.Pytester, source: Path, option: str = "--cloudcheck-plan"
) -> tuple[str, dict[str, Any]]:
    pytester.makepyfile(test_keys=TEST_FILE)
    result = pytester.runpytest(
        option,
        str(source),
        "--cloudcheck-report=evidence.json",
        "--cloudcheck-sarif=out.sarif",
        "--cloudcheck-markdown=summary.md",
        "--junitxml=junit.xml",
        "-rA",
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    outputs = "\n".join(
        [
            result.stdout.str(),
            result.stderr.str(),
            *((pytester.path / name).read_text() for name in ("evidence.json", "out.sarif", "summary.md", "junit.xml")),
        ]
    )
    return outputs, json.loads((pytester.path / "evidence.json").read_text())


def _findings(evidence: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(f["check"], f["address"], f["kind"]) for f in evidence["findings"]}


def test_sensitive_keys_of_a_real_plan_appear_in_no_output(pytester: pytest.Pytester, real_plan: Path) -> None:
    outputs, evidence = _run_with_every_report(pytester, real_plan)
    assert SECRET not in outputs
    assert {
        ("cmk.storage_account", 'azurerm_storage_account.keyed["(sensitive 1)"]', "violation"),
        ("cmk.storage_account", "azurerm_storage_account.tagged", "violation"),
        ("cmk.storage_account", 'module.per_secret["(sensitive 1)"].azurerm_storage_account.inner', "violation"),
    } <= _findings(evidence)
    # the tag key is renamed, the environment tag stays readable
    assert "{'environment': 'prod', '(sensitive 1)': 'owner'}" in outputs


def test_sensitive_keys_of_a_hand_written_plan_appear_in_no_output(pytester: pytest.Pytester) -> None:
    plan = _hand_written(pytester.path / "plan.json")
    outputs, evidence = _run_with_every_report(pytester, plan)
    assert SECRET not in outputs
    assert ("cmk.storage_account", 'azurerm_storage_account.keyed["(sensitive 1)"]', "violation") in _findings(evidence)
    assert "{'environment': 'prod', '(sensitive 2)': 'x'}" in outputs


def test_sensitive_keys_of_hcl_appear_in_no_output(pytester: pytest.Pytester) -> None:
    (pytester.path / "infra").mkdir()
    (pytester.path / "infra" / "main.tf").write_text(
        textwrap.dedent(
            f"""
            variable "secret" {{
              type      = string
              sensitive = true
              default   = "{SECRET}"
            }}
            resource "azurerm_storage_account" "keyed" {{
              for_each            = nonsensitive(toset([var.secret]))
              name                = "stkeyed"
              resource_group_name = "rg"
              location            = "westeurope"
              tags                = {{ (nonsensitive(var.secret)) = "x", environment = "prod" }}
            }}
            """
        )
    )
    outputs, evidence = _run_with_every_report(pytester, pytester.path / "infra", "--cloudcheck-hcl")
    assert SECRET not in outputs
    assert ("cmk.storage_account", 'azurerm_storage_account.keyed["(sensitive 1)"]', "violation") in _findings(evidence)


#: attacks in this module
ATTACKS = 3
