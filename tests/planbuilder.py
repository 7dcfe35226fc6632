"""Build `terraform show -json` plans for tests, in the exact shape Terraform writes them.

    plan = PlanBuilder()
    plan.resource("azurerm_key_vault_key.k", {"name": "k"}, unknown=["id"])
    plan.resource('module.spoke["a"].azurerm_storage_account.sa', {"name": "sa"},
                  unknown=["customer_managed_key.0.key_vault_key_id"],
                  refs={"customer_managed_key.key_vault_key_id": ["var.key_id"]})
    plan.module_call("spoke", inputs={"key_id": ["azurerm_key_vault_key.k.id", "azurerm_key_vault_key.k"]},
                     for_each={"a": {}})
    path = plan.write(tmp_path / "plan.json")

Shapes checked against real `terraform show -json` output (Terraform 1.11, terraform_data):
unknown attributes are omitted from `after` and flagged in `after_unknown`; sensitive ones stay in
`after` in plain text and are flagged in `after_sensitive`; references list the most specific
traversal first (`["azurerm_x.y.id", "azurerm_x.y"]`).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

PROVIDER = "registry.terraform.io/hashicorp/azurerm"
_MODULE_STEP = re.compile(r'module\.([A-Za-z0-9_-]+)(?:\[("(?:[^"\\]|\\.)*"|\d+)\])?\.')


def parse_address(address: str) -> dict[str, Any]:
    """Split a resource instance address into Terraform's resource_changes fields."""
    module_parts: list[tuple[str, str | None]] = []
    rest = address
    while True:
        m = _MODULE_STEP.match(rest)
        if not m:
            break
        module_parts.append((m.group(1), m.group(2)))
        rest = rest[m.end() :]
    mode = "managed"
    if rest.startswith("data."):
        mode, rest = "data", rest[5:]
    index: Any = None
    m = re.match(r'^([^.\[]+)\.([^.\[]+)(?:\[("(?:[^"\\]|\\.)*"|\d+)\])?$', rest)
    if not m:
        raise ValueError(f"bad address {address!r}")
    rtype, name, raw_index = m.groups()
    if raw_index is not None:
        index = json.loads(raw_index) if raw_index.startswith('"') else int(raw_index)
    module_address = ".".join(f"module.{n}" + (f"[{k}]" if k is not None else "") for n, k in module_parts)
    return {
        "module_address": module_address,
        "module_names": [n for n, _ in module_parts],
        "mode": mode,
        "type": rtype,
        "name": name,
        "index": index,
    }


def _pop_path(values: dict[str, Any], path: list[str]) -> None:
    current: Any = values
    for step in path[:-1]:
        if isinstance(current, list):
            current = current[int(step)] if step.isdigit() else current[0]
        else:
            current = current.get(step)
        if current is None:
            return
    if isinstance(current, dict):
        current.pop(path[-1], None)
    elif isinstance(current, list) and path[-1].isdigit() and int(path[-1]) < len(current):
        current[int(path[-1])] = None


def _flag(marks: dict[str, Any], path: list[str]) -> None:
    """Set True at `path` in an after_unknown / after_sensitive shaped structure."""
    current: Any = marks
    for i, step in enumerate(path):
        last = i == len(path) - 1
        nxt = path[i + 1] if not last else None
        if isinstance(current, list):
            idx = int(step)
            while len(current) <= idx:
                current.append({})
            if last:
                current[idx] = True
            else:
                if not isinstance(current[idx], (dict, list)):
                    current[idx] = [] if nxt and nxt.isdigit() else {}
                current = current[idx]
        else:
            if last:
                current[step] = True
            else:
                if not isinstance(current.get(step), (dict, list)):
                    current[step] = [] if nxt and nxt.isdigit() else {}
                current = current[step]


def _expressions(refs: dict[str, list[str]]) -> dict[str, Any]:
    """{"a.b": [...]} -> Terraform's nested expressions (blocks become lists of one object)."""
    out: dict[str, Any] = {}
    for path, references in refs.items():
        steps = path.split(".")
        current = out
        for step in steps[:-1]:
            block = current.setdefault(step, [{}])
            current = block[0]
        current[steps[-1]] = {"references": list(references)}
    return out


class PlanBuilder:
    def __init__(self, format_version: str = "1.2", terraform_version: str = "1.11.4") -> None:
        self.doc: dict[str, Any] = {
            "format_version": format_version,
            "terraform_version": terraform_version,
            "variables": {},
            "planned_values": {"root_module": {}},
            "resource_changes": [],
            "configuration": {
                "provider_config": {
                    "azurerm": {"name": "azurerm", "full_name": PROVIDER, "expressions": {"features": [{}]}}
                },
                "root_module": {},
            },
            "applyable": True,
            "complete": True,
            "errored": False,
        }

    # -- configuration -------------------------------------------------------------------
    def _config_module(self, names: list[str]) -> dict[str, Any]:
        module = self.doc["configuration"]["root_module"]
        for name in names:
            call = module.setdefault("module_calls", {}).setdefault(name, {"source": f"./modules/{name}", "module": {}})
            module = call["module"]
        return module

    def provider(
        self, subscription_id: str | None = None, alias: str | None = None, subscription_var: str | None = None
    ) -> PlanBuilder:
        key = f"azurerm.{alias}" if alias else "azurerm"
        expressions: dict[str, Any] = {"features": [{}]}
        if subscription_id:
            expressions["subscription_id"] = {"constant_value": subscription_id}
        if subscription_var:
            expressions["subscription_id"] = {"references": [f"var.{subscription_var}"]}
        entry = {"name": "azurerm", "full_name": PROVIDER, "expressions": expressions}
        if alias:
            entry["alias"] = alias
        self.doc["configuration"]["provider_config"][key] = entry
        return self

    def variable(self, name: str, value: Any, *, sensitive: bool = False, default: Any = None) -> PlanBuilder:
        self.doc["variables"][name] = {"value": value}
        decl: dict[str, Any] = {}
        if default is not None:
            decl["default"] = default
        if sensitive:
            decl["sensitive"] = True
        self.doc["configuration"]["root_module"].setdefault("variables", {})[name] = decl
        return self

    def module_call(
        self,
        path: str,
        *,
        inputs: dict[str, list[str]] | None = None,
        outputs: dict[str, list[str]] | None = None,
        for_each: Any = None,
        source: str | None = None,
        variables: dict[str, dict[str, Any]] | None = None,
    ) -> PlanBuilder:
        """`path` is "spoke" or "spoke.inner" (module names, no keys)."""
        names = path.split(".")
        parent = self._config_module(names[:-1])
        call = parent.setdefault("module_calls", {}).setdefault(names[-1], {"module": {}})
        call["source"] = source or f"./modules/{names[-1]}"
        if inputs:
            call.setdefault("expressions", {}).update({k: {"references": v} for k, v in inputs.items()})
        if for_each is not None:
            call["for_each_expression"] = {"constant_value": for_each}
        module = call["module"]
        if outputs:
            module.setdefault("outputs", {}).update({k: {"expression": {"references": v}} for k, v in outputs.items()})
        if variables:
            module.setdefault("variables", {}).update(variables)
        return self

    # -- resources -----------------------------------------------------------------------
    def resource(
        self,
        address: str,
        values: dict[str, Any],
        *,
        unknown: list[str] = (),  # type: ignore[assignment]
        sensitive: list[str] = (),
        action: str | list[str] = "create",  # type: ignore[assignment]
        refs: dict[str, list[str]] | None = None,
        before: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        parts = parse_address(address)
        actions = [action] if isinstance(action, str) else list(action)
        after = copy.deepcopy(values)
        after_unknown: dict[str, Any] = {}
        after_sensitive: dict[str, Any] = {}
        for path in unknown:
            _pop_path(after, path.split("."))
            _flag(after_unknown, path.split("."))
        for path in sensitive:
            _flag(after_sensitive, path.split("."))
        change: dict[str, Any] = {
            "actions": actions,
            "before": before if "delete" in actions or "update" in actions or "no-op" in actions else None,
            "after": None if actions == ["delete"] else after,
            "after_unknown": {} if actions == ["delete"] else after_unknown,
            "before_sensitive": False if before is None else {},
            "after_sensitive": False if actions == ["delete"] else after_sensitive,
        }
        rc: dict[str, Any] = {"address": address}
        if parts["module_address"]:
            rc["module_address"] = parts["module_address"]
        rc.update({"mode": parts["mode"], "type": parts["type"], "name": parts["name"]})
        if parts["index"] is not None:
            rc["index"] = parts["index"]
        rc.update({"provider_name": PROVIDER, "change": change})
        self.doc["resource_changes"].append(rc)
        if actions != ["delete"]:
            self._planned(parts, address, after, after_sensitive)
        self._configure(parts, refs or {})
        return rc

    def _planned(self, parts: dict[str, Any], address: str, after: dict[str, Any], sensitive: dict[str, Any]) -> None:
        module = self.doc["planned_values"]["root_module"]
        prefix = ""
        for step in re.findall(r'module\.[A-Za-z0-9_-]+(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?', parts["module_address"]):
            prefix = f"{prefix}.{step}" if prefix else step
            children = module.setdefault("child_modules", [])
            for child in children:
                if child["address"] == prefix:
                    module = child
                    break
            else:
                module = {"address": prefix}
                children.append(module)
        entry = {"address": address, "mode": parts["mode"], "type": parts["type"], "name": parts["name"]}
        if parts["index"] is not None:
            entry["index"] = parts["index"]
        entry.update({"provider_name": PROVIDER, "schema_version": 0, "values": after, "sensitive_values": sensitive})
        module.setdefault("resources", []).append(entry)

    def _configure(self, parts: dict[str, Any], refs: dict[str, list[str]]) -> None:
        module = self._config_module(parts["module_names"])
        local = ("data." if parts["mode"] == "data" else "") + f"{parts['type']}.{parts['name']}"
        resources = module.setdefault("resources", [])
        for entry in resources:
            if entry["address"] == local:
                entry["expressions"].update(_expressions(refs))
                return
        resources.append(
            {
                "address": local,
                "mode": parts["mode"],
                "type": parts["type"],
                "name": parts["name"],
                "provider_config_key": "azurerm",
                "expressions": _expressions(refs),
                "schema_version": 0,
            }
        )

    # -- output --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self.doc)

    def dumps(self) -> str:
        return json.dumps(self.doc, indent=1)

    def write(self, path: Path | str) -> Path:
        path = Path(path)
        path.write_text(self.dumps(), encoding="utf-8")
        return path


def arm_id(subscription: str, group: str, provider_type: str, name: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{group}/providers/{provider_type}/{name}"
