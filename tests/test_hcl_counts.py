"""count / for_each as Terraform knows them (issue 13): a conditional on a known variable is known
(CAF's `deploy_management_resources = false` makes no resources); a count Terraform cannot know
before apply is a ledger gap, and the checks judge its `[*]` stand-in as unknown, never as a
violation of a resource that may not exist. (Terraform refuses such a count at plan time, checked
with terraform 1.11: "Invalid count argument", so plans never hold one.)"""

from __future__ import annotations

import pytest

TESTS = """
from pytest_cloudcheck import checks

def test_cmk(cloud):
    rows = sorted(f"{f.kind} {f.check} {f.address}" for f in checks.cmk(cloud))
    assert not rows, "; ".join(rows)
"""

ROOT = """
variable "deploy_management_resources" {
  type    = bool
  default = @DEPLOY@
}

resource "terraform_data" "later" {
  input = "x"
}

module "management" {
  source                      = "./modules/management"
  deploy_management_resources = var.deploy_management_resources
  later                       = terraform_data.later.output
}
"""

MODULE = """
variable "deploy_management_resources" {
  type = bool
}

variable "later" {
  type = string
}

locals {
  deploy = var.deploy_management_resources && true
}

resource "azurerm_storage_account" "management" {
  count               = local.deploy ? 1 : 0
  name                = "stmgmt"
  resource_group_name = "rg-management"
  tags                = { environment = "prod" }
}

resource "azurerm_storage_account" "by_key" {
  for_each            = var.deploy_management_resources ? toset(["a"]) : toset([])
  name                = "stmgmt${each.key}"
  resource_group_name = "rg-management"
  tags                = { environment = "prod" }
}

# Terraform cannot know this count before apply (its own plan refuses it)
resource "azurerm_storage_account" "after_apply" {
  count               = var.deploy_management_resources && var.later == "x" ? 1 : 0
  name                = "stlater"
  resource_group_name = "rg-management"
  tags                = { environment = "prod" }
}
"""


def _run(pytester: pytest.Pytester, deploy: str) -> pytest.RunResult:
    pytester.makepyfile(test_checks=TESTS)
    (pytester.path / "infra" / "modules" / "management").mkdir(parents=True)
    (pytester.path / "infra" / "main.tf").write_text(ROOT.replace("@DEPLOY@", deploy))
    (pytester.path / "infra" / "modules" / "management" / "main.tf").write_text(MODULE)
    return pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-hcl", "infra")


def test_a_count_on_a_known_false_variable_makes_no_resources(pytester):
    """`false && <unknown>` is unknown to Terraform too (its plan refuses that count): only it is left."""
    result = _run(pytester, "false")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*AssertionError: "
            "not_assessed cmk.not_assessed module.management.azurerm_storage_account.after_apply[[]*[]]; "
            "unknown cmk.storage_account module.management.azurerm_storage_account.after_apply[[]*[]]",
        ]
    )
    assert (
        "by_key" not in result.stdout.str()
        and "management.azurerm_storage_account.management" not in result.stdout.str()
    )


def test_a_known_true_count_is_judged_and_an_unknown_one_is_unknown(pytester):
    result = _run(pytester, "true")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*AssertionError: "
            "not_assessed cmk.not_assessed module.management.azurerm_storage_account.after_apply[[]*[]]; "
            "unknown cmk.storage_account module.management.azurerm_storage_account.after_apply[[]*[]]; "
            'violation cmk.storage_account module.management.azurerm_storage_account.by_key[[]"a"[]]; '
            "violation cmk.storage_account module.management.azurerm_storage_account.management[[]0[]]",
            "*count of module.management.azurerm_storage_account.after_apply is not known before apply*",
        ]
    )
