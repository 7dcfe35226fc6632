"""Plan JSON for the corpus roots that have a `tfdata/` mirror (terraform_data standing in for each
Azure resource, since no provider can be downloaded here): `terraform plan` + `show -json` on the
mirror, then each `terraform_data.<type>__<name>` is renamed back to `<type>.<name>` with its
`input` as the resource's values. Terraform itself has then evaluated the for_each, count,
conditionals, functions and templates; the corpus test holds the plan to the same expectations as
the HCL. Writes tests/corpus/<root>/plan.json (committed).

    python tests/corpus/make_plans.py          # needs terraform on PATH (1.11 was used)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROVIDERS = {"azurerm": "registry.terraform.io/hashicorp/azurerm", "azapi": "registry.terraform.io/azure/azapi"}


def _terraform(cwd: Path, *args: str) -> str:
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"}
    env["TF_CLI_CONFIG_FILE"] = os.devnull
    done = subprocess.run(["terraform", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"terraform {' '.join(args)} in {cwd} failed:\n{done.stderr}")
    return done.stdout


def _part(value: Any, key: str) -> Any:
    return value.get(key, {}) if isinstance(value, dict) else value


def _renamed(change: dict[str, Any]) -> dict[str, Any] | None:
    if change["type"] != "terraform_data" or "__" not in change["name"]:
        return None
    rtype, name = change["name"].split("__", 1)
    index = change.get("index")
    own = f"{rtype}.{name}" + ("" if index is None else f"[{json.dumps(index)}]")
    module = change.get("module_address")
    out = dict(change, type=rtype, name=name, address=f"{module}.{own}" if module else own)
    out["provider_name"] = PROVIDERS[rtype.split("_", 1)[0]]
    inner = change["change"]
    out["change"] = {
        "actions": inner["actions"],
        "before": None,
        "after": _part(inner["after"], "input"),
        "after_unknown": _part(inner["after_unknown"], "input"),
        "before_sensitive": False,
        "after_sensitive": _part(inner["after_sensitive"], "input"),
    }
    return out


def plan_of(root: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "tfdata"
        shutil.copytree(root / "tfdata", work)
        _terraform(work, "init", "-backend=false", "-input=false")
        _terraform(work, "plan", "-out=plan.tfplan", "-input=false")
        shown = json.loads(_terraform(work, "show", "-json", "plan.tfplan"))
    changes = [c for c in (_renamed(c) for c in shown.get("resource_changes", [])) if c is not None]
    return {
        "format_version": shown["format_version"],
        "terraform_version": shown["terraform_version"],
        "resource_changes": changes,
    }


def main() -> int:
    if shutil.which("terraform") is None:
        print("terraform is not on PATH", file=sys.stderr)
        return 1
    for root in sorted(p.parent.parent for p in HERE.glob("*/tfdata/main.tf")):
        plan = plan_of(root)
        (root / "plan.json").write_text(json.dumps(plan, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{root.name}: {len(plan['resource_changes'])} resources -> plan.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
