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
import textwrap
from pathlib import Path
from typing import Any

import pytest
from planbuilder import PlanBuilder
from tfreal import as_storage_accounts, plan_json

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


@pytest.fixture(scope="module")
def real_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("tf-keys")
    doc = plan_json(work, {"main.tf": ROOT_TF, "inner/main.tf": INNER_TF})
    # what Terraform itself writes: the secret in plain text in addresses, keys and map keys
    assert f'terraform_data.keyed["{SECRET}"]' in {rc["address"] for rc in doc["resource_changes"]}
    assert SECRET in json.dumps(doc["resource_changes"])
    path = work / "plan.json"
    path.write_text(json.dumps(as_storage_accounts(doc)))
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
