"""Real `terraform show -json` plans for tests, given Azure types.

Terraform 1.11 plans `terraform_data` offline (no provider download); `as_storage_accounts` then
makes each `terraform_data`'s `input` object the attributes (and marks) of an
`azurerm_storage_account`, so addresses, keys, marks and references are Terraform's own.
Tests that use it skip where the terraform CLI is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest


def plan_json(work: Path, files: dict[str, str]) -> dict[str, Any]:
    """Write `files` (relative path -> text) into `work`, init, plan, and return `show -json`."""
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    terraform_run(work, "init", "-backend=false", "-input=false")
    terraform_run(work, "plan", "-out=plan.tfplan")
    doc: dict[str, Any] = json.loads(terraform_run(work, "show", "-json", "plan.tfplan"))
    return doc


def terraform_run(cwd: Path, *args: str) -> str:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform CLI not on PATH")
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"}
    done = subprocess.run([terraform, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"terraform {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def as_storage_accounts(doc: dict[str, Any]) -> dict[str, Any]:
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
