"""Build CMK test inputs from the rule table: a compliant, a violating and an unknown case per row.

Terraform cases are real `terraform show -json` plans (tests/planbuilder.py): ids unknown at plan
time, links only in the configuration's references, as Terraform writes them. ARM cases are
`Resource`s shaped as the live source and azapi give them.
"""

from __future__ import annotations

from typing import Any

from planbuilder import PlanBuilder

from pytest_cloudcheck.model import Inventory, Resource
from pytest_cloudcheck.rules.cmk import FLAGS, ArmAt, CmkRule, KeyAt, rule_for

SUB = "00000000-0000-0000-0000-00000000c0de"
KEY = "azurerm_key_vault_key.k"
VAULT = "azurerm_key_vault.kv"
KEY_URL = "https://kv-test.vault.azure.net/keys/k"

#: where a `delegate` attribute points (the resource whose encryption is inherited)
DELEGATE_TARGETS = {
    "kubernetes_cluster_id": "azurerm_kubernetes_cluster",
    "server_id": "azurerm_mssql_server",
    "storage_os_disk.managed_disk_id": "azurerm_managed_disk",
    "storage_data_disk.*.managed_disk_id": "azurerm_managed_disk",
    "write_access_id": "azurerm_log_analytics_cluster",
    "synapse_workspace_id": "azurerm_synapse_workspace",
    "managed_instance_id": "azurerm_mssql_managed_instance",
}
ARM_DELEGATE_TARGETS = {
    "azurerm_log_analytics_workspace": "azurerm_log_analytics_cluster",
    "azurerm_kubernetes_cluster_node_pool": "azurerm_kubernetes_cluster",
    "azurerm_mssql_database": "azurerm_mssql_server",
    "azurerm_synapse_sql_pool": "azurerm_synapse_workspace",
    "azurerm_mssql_managed_database": "azurerm_mssql_managed_instance",
}

GOOD_KEY = {
    "name": "k",
    "key_type": "RSA-HSM",
    "key_size": 3072,
    "key_opts": ["unwrapKey", "wrapKey"],
    "expiration_date": "2027-12-31T00:00:00Z",
    "rotation_policy": [{"automatic": [{"time_before_expiry": "P30D"}], "expire_after": "P1Y"}],
}
GOOD_VAULT = {"name": "kv-test", "purge_protection_enabled": True, "soft_delete_retention_days": 90}


def add_key(plan: PlanBuilder, vault: dict[str, Any] | None = None, key: dict[str, Any] | None = None) -> None:
    plan.resource(VAULT, {**GOOD_VAULT, **(vault or {})}, unknown=["id", "vault_uri"])
    plan.resource(
        KEY,
        {**GOOD_KEY, **(key or {})},
        unknown=["id", "versionless_id", "resource_id", "resource_versionless_id", "key_vault_id"],
        refs={"key_vault_id": [f"{VAULT}.id", VAULT]},
    )


def concrete(path: str) -> str:
    """`a.b.c` -> `a.0.b.0.c` (blocks are lists of one object); `*` becomes element 0."""
    steps = path.split(".")
    out: list[str] = []
    for i, step in enumerate(steps):
        if step == "*":
            out.append("0")
            continue
        out.append(step)
        if i < len(steps) - 1 and steps[i + 1] != "*":
            out.append("0")
    return ".".join(out)


def put(values: dict[str, Any], path: str, value: Any) -> None:
    """Set `path` (as `concrete()` spells it) in Terraform's nested-block shape."""
    steps = concrete(path).split(".")
    current: Any = values
    for i, step in enumerate(steps[:-1]):
        nxt = steps[i + 1]
        if step.isdigit():
            while len(current) <= int(step):
                current.append({})
            current = current[int(step)]
            continue
        current = current.setdefault(step, [] if nxt.isdigit() else {})
    last = steps[-1]
    if last.isdigit():
        while len(current) <= int(last):
            current.append(None)
        current[int(last)] = value
    else:
        current[last] = value


def refs_path(path: str) -> str:
    return ".".join(s for s in path.split(".") if s != "*")


class TerraformCase:
    """One data resource of a rule, in one of three states: "compliant", "violating", "unknown"."""

    def __init__(self, rule: CmkRule, state: str, alternative: int = 0) -> None:
        self.rule = rule
        self.state = state
        self.alternative = alternative
        self.plan = PlanBuilder()
        self.address = f"{rule.types[0]}.x"
        add_key(self.plan)
        self._built: set[str] = set()
        self.build(rule.types[0], "x")

    def build(self, resource_type: str, name: str) -> str:
        address = f"{resource_type}.{name}"
        if address in self._built:
            return address
        self._built.add(address)
        rule = rule_for(resource_type)
        assert rule is not None
        values: dict[str, Any] = {"name": f"{name}-{resource_type[8:20]}"}
        unknown: list[str] = ["id"]
        refs: dict[str, list[str]] = {}
        attach = self.state != "violating" and not rule.unsupported
        for part in rule.parts:
            if not part.terraform or not attach:
                continue
            alternative = self.alternative if resource_type == self.rule.types[0] else 0
            self.attach(part.terraform[min(alternative, len(part.terraform) - 1)], address, values, unknown, refs)
        self.plan.resource(address, values, unknown=unknown, refs=refs)
        return address

    def attach(self, k: KeyAt, address: str, values: dict, unknown: list, refs: dict) -> None:
        state = self.state
        if k.link_type:
            link_values: dict[str, Any] = {}
            link_unknown = ["id", k.link_attr]
            link_refs: dict[str, list[str]] = {}
            if state == "compliant":
                link_refs[k.link_attr] = [f"{address}.id", address]
            self.value(k, link_values, link_unknown, link_refs)
            self.plan.resource(f"{k.link_type}.l", link_values, unknown=link_unknown, refs=link_refs)
            return
        self.value(k, values, unknown, refs)

    def value(self, k: KeyAt, values: dict, unknown: list, refs: dict) -> None:
        state = self.state
        if k.path in FLAGS:
            if state == "unknown":
                unknown.append(k.path)
                values[k.path] = None
            else:
                values[k.path] = FLAGS[k.path]
            return
        put(values, k.path, "(after apply)")
        unknown.append(concrete(k.path))
        if k.name_path is not None:
            values[k.name_path] = "k"
            if state == "compliant":
                refs[refs_path(k.path)] = [f"{VAULT}.id", VAULT]
            else:
                unknown.append(k.name_path)
            return
        if state != "compliant":
            return  # unknown, and no reference to resolve it by
        if k.via:
            des = "azurerm_disk_encryption_set.des"
            self.plan.resource(
                des,
                {"name": "des", "key_vault_key_id": None},
                unknown=["id", "key_vault_key_id"],
                refs={"key_vault_key_id": [f"{KEY}.versionless_id", KEY]},
            )
            refs[refs_path(k.path)] = [f"{des}.id", des]
        elif k.delegate:
            target = self.build(DELEGATE_TARGETS[k.path], "target")
            refs[refs_path(k.path)] = [f"{target}.id", target]
        else:
            refs[refs_path(k.path)] = [f"{KEY}.versionless_id", KEY]


# -- ARM shape -------------------------------------------------------------------------------------


def put_arm(values: dict[str, Any], path: str, value: Any) -> None:
    steps = path.split(".")
    current = values
    for step in steps[:-1]:
        if step.endswith("[*]"):
            items = current.setdefault(step[:-3], [{}])
            current = items[0]
        else:
            current = current.setdefault(step, {})
    last = steps[-1]
    if last.endswith("[*]"):
        current[last[:-3]] = [value]
    else:
        current[last] = value


def arm_id(arm_type: str, name: str, parent: str | None = None) -> str:
    if parent:
        return f"{parent}/{arm_type.rsplit('/', 1)[1]}/{name}"
    return f"/subscriptions/{SUB}/resourceGroups/rg/providers/{arm_type}/{name}"


def lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k.lower(): lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_keys(v) for v in value]
    return value


class ArmCase:
    """ARM-shaped resources (live / azapi) of one rule, compliant or violating."""

    def __init__(self, rule: CmkRule, compliant: bool, lowercase: bool = False) -> None:
        self.rule = rule
        self.compliant = compliant
        self.lowercase = lowercase
        self.resources: list[Resource] = []
        vault_id = arm_id("Microsoft.KeyVault/vaults", "kv-test")
        self.add("azurerm_key_vault", vault_id, "kv-test", {"enablePurgeProtection": True, "enableSoftDelete": True})
        self.add(
            "azurerm_key_vault_key",
            f"{vault_id}/keys/k",
            "k",
            {
                "kty": "RSA-HSM",
                "keySize": 3072,
                "keyOps": ["wrapKey", "unwrapKey"],
                "attributes": {"exp": 1830000000},
                "rotationPolicy": {"lifetimeActions": [{"action": {"type": "Rotate"}}]},
            },
        )
        self.add(
            "azurerm_disk_encryption_set",
            arm_id("Microsoft.Compute/diskEncryptionSets", "des"),
            "des",
            {"activeKey": {"keyUrl": KEY_URL + "/0123"}},
        )
        self.address = self.data(rule.types[0], "x")

    def add(self, resource_type: str, rid: str, name: str, properties: dict[str, Any]) -> str:
        values = {"id": rid, "name": name, "type": "", "location": "westeurope", "properties": properties}
        if self.lowercase:
            values = lower_keys(values)
        self.resources.append(Resource(address=rid, type=resource_type, values=values, source="live", schema="arm"))
        return rid

    def data(self, resource_type: str, name: str) -> str:
        rule = rule_for(resource_type)
        assert rule is not None
        parent = None
        if "/" in rule.arm_type.split("/", 1)[1] and rule.types[0] in ARM_DELEGATE_TARGETS:
            parent = self.data(ARM_DELEGATE_TARGETS[rule.types[0]], "parent")
        rid = arm_id(rule.arm_type, name, parent)
        values: dict[str, Any] = {}
        if self.compliant:
            for part in rule.parts:
                if part.arm:
                    self.attach(part.arm[0], rule, values)
        else:  # the child resources live mode reads (a TDE protector), on a service-managed key
            for a in (a for part in rule.parts for a in part.arm if a.child and a.when):
                child: dict[str, Any] = {}
                put_arm(child, a.when[0], "ServiceManaged")
                self.add(
                    "azurerm_mssql_server_transparent_data_encryption",
                    f"{rid}/{a.child}",
                    "current",
                    child["properties"],
                )
        self.add(resource_type, rid, name, values.get("properties", {}))
        return rid

    def attach(self, a: ArmAt, rule: CmkRule, values: dict[str, Any]) -> None:
        if a.when is not None:
            put_arm(values, a.when[0], a.when[1])
        if a.key is None or (a.when is not None and a.key == a.when[0]):
            return
        if a.via:
            value: Any = arm_id("Microsoft.Compute/diskEncryptionSets", "des")
        elif a.delegate:
            value = self.data(ARM_DELEGATE_TARGETS[rule.types[0]], "target")
        elif a.vault:
            put_arm(values, a.vault, "https://kv-test.vault.azure.net/")
            value = "k"
        else:
            value = KEY_URL + "/0123"
        put_arm(values, a.key, value)

    def inventory(self) -> Inventory:
        return Inventory(self.resources)
