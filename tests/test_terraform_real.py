"""Real `terraform show -json` output, made here with Terraform's built-in `terraform_data`.

No provider download is needed, so this runs offline wherever the terraform CLI is installed
(skipped elsewhere). It checks the loader against what Terraform really writes: modules,
for_each, count, unknown values, sensitive variables, references, and the actions of a second
plan over applied state (update, replace, delete).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pytest_cloudcheck import SENSITIVE, UNKNOWN
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

SECRET = "Sup3r-Secret-Default-Value"

ROOT_TF = f"""
variable "admin_password" {{
  type      = string
  sensitive = true
  default   = "{SECRET}"
}}

variable "spokes" {{
  type    = map(string)
  default = {{ zaanstad = "10.1.0.0/20", almere = "10.1.16.0/20" }}
}}

resource "terraform_data" "key" {{
  input = "hub-cmk"
}}

module "spoke" {{
  source   = "./modules/spoke"
  for_each = var.spokes
  cidr     = each.value
  key_id   = terraform_data.key.id
  password = var.admin_password
}}

resource "terraform_data" "disk" {{
  count = 2
  input = {{ des = module.spoke["almere"].store_id, n = count.index }}
}}

resource "terraform_data" "doomed" {{
  input = "to be removed"
}}

resource "terraform_data" "changing" {{
  input = "v1"
}}
"""

MODULE_TF = """
variable "cidr" { type = string }
variable "key_id" { type = string }
variable "password" {
  type      = string
  sensitive = true
}

resource "terraform_data" "store" {
  input = { cidr = var.cidr, key = var.key_id, pw = var.password }
}

output "store_id" { value = terraform_data.store.id }
"""


def _run(terraform: str, cwd: Path, *args: str) -> str:
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"}
    done = subprocess.run([terraform, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"terraform {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


@pytest.fixture(scope="module")
def real_plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform CLI not on PATH")
    work = tmp_path_factory.mktemp("tf")
    (work / "modules" / "spoke").mkdir(parents=True)
    (work / "main.tf").write_text(ROOT_TF)
    (work / "modules" / "spoke" / "main.tf").write_text(MODULE_TF)
    _run(terraform, work, "init", "-backend=false", "-input=false")
    _run(terraform, work, "plan", "-out=first.tfplan")
    first = work / "first.json"
    first.write_text(_run(terraform, work, "show", "-json", "first.tfplan"))
    # apply, then change the configuration: the second plan has update, replace and delete actions
    _run(terraform, work, "apply", "-auto-approve", "first.tfplan")
    state = work / "state.json"
    state.write_text(_run(terraform, work, "show", "-json"))
    text = (work / "main.tf").read_text()
    text = text.replace('resource "terraform_data" "doomed" {\n  input = "to be removed"\n}\n', "")
    text = text.replace('input = "v1"', 'input = "v2"').replace('input = "hub-cmk"', 'input = "hub-cmk-2"')
    (work / "main.tf").write_text(text)
    _run(terraform, work, "plan", "-out=second.tfplan")
    second = work / "second.json"
    second.write_text(_run(terraform, work, "show", "-json", "second.tfplan"))
    return {"first": first, "second": second, "state": state}


def _load(path: Path):
    # terraform_data stands in for Azure resources here (no provider needed): not an Azure plan
    return build_inventory(Settings(plan=[path], allow_empty=True))


def test_modules_for_each_count_and_unknowns(real_plans):
    inv = _load(real_plans["first"])
    assert sorted(r.address for r in inv) == [
        'module.spoke["almere"].terraform_data.store',
        'module.spoke["zaanstad"].terraform_data.store',
        "terraform_data.changing",
        "terraform_data.disk[0]",
        "terraform_data.disk[1]",
        "terraform_data.doomed",
        "terraform_data.key",
    ]
    store = inv.get('module.spoke["zaanstad"].terraform_data.store')
    assert store.values["id"] is UNKNOWN
    assert store.get("input.cidr") == "10.1.0.0/20"
    assert store.get("input.key") is UNKNOWN
    assert store.module == 'module.spoke["zaanstad"]'
    assert inv.get("terraform_data.disk[1]").index == 1


def test_sensitive_variables_never_survive_loading(real_plans):
    raw = real_plans["first"].read_text()
    assert SECRET in raw  # Terraform itself prints it: in variables, the default, and `after`
    inv = _load(real_plans["first"])
    store = inv.get('module.spoke["almere"].terraform_data.store')
    assert store.get("input.pw") is SENSITIVE
    dumped = repr([r.values for r in inv]) + repr(store._resolver._configuration) + repr(store._resolver._variables)
    assert SECRET not in dumped


def test_references_through_module_variables_and_outputs(real_plans):
    inv = _load(real_plans["first"])
    store = inv.get('module.spoke["zaanstad"].terraform_data.store')
    assert store.references("input") == ["terraform_data.key"]
    disk = inv.get("terraform_data.disk[0]")
    assert disk.references("input") == ['module.spoke["almere"].terraform_data.store']


def test_second_plan_actions(real_plans):
    inv = _load(real_plans["second"])
    actions = {r.address: r.action for r in inv}
    assert actions["terraform_data.changing"] == "update"
    assert actions["terraform_data.key"] == "update"
    assert actions['module.spoke["zaanstad"].terraform_data.store'] in ("update", "no-op")
    assert "terraform_data.doomed" not in actions
    assert [(r.address, r.action) for r in inv.destroyed] == [("terraform_data.doomed", "delete")]
    assert inv.get("terraform_data.changing").values["input"] == "v2"


def test_state_output_loads(real_plans):
    inv = _load(real_plans["state"])
    assert inv.sources[0].kind == "state"
    assert len(inv) == 7
    assert all(isinstance(r.values["id"], str) for r in inv)
    assert SECRET not in repr([r.values for r in inv])
