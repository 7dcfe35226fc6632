"""A tiny model of a Terraform configuration that renders `terraform show -json` plans and HCL.

Why this exists: the azurerm provider cannot be downloaded on the machines this project is built
on, so the example plans cannot come from a real `terraform plan`. Instead every resource is
declared once here, as HCL expression text plus the value Terraform would compute for it, and both
the Terraform source (`--hcl`) and the plan JSON are rendered from that one declaration.

What is reproduced from real Terraform 1.11 output (checked against plans of `terraform_data` and a
locally mirrored provider):
  * `references` lists: every traversal, then its shorter prefixes down to the referenced object
    (`["azurerm_key_vault_key.cmk.id", "azurerm_key_vault_key.cmk"]`, `["each.value.cidr",
    "each.value"]`, `["module.spoke[\\"zaanstad\\"].vnet_id", "module.spoke[\\"zaanstad\\"]"]`),
    duplicates kept; `constant_value` for literals (also `null`); `{}` for reference-free
    function calls;
  * values unknown at plan time are left out of `after` and set `true` in `after_unknown`; known
    collections appear in `after_unknown` / `after_sensitive` as `{}` / `[false, ...]`; unknown
    collections as empty containers in `after_sensitive`;
  * sensitive values (provider-sensitive attributes and values derived from `sensitive = true`
    variables) stay in plain text in `after`, `values`, `variables` and variable defaults, and
    are marked in `after_sensitive` / `sensitive_values`;
  * data sources whose read is deferred to apply appear in `resource_changes` with action `read`
    and an `action_reason`, and in `planned_values` without `values`;
  * ordering of resources, child modules and configuration blocks.

Attribute sets per resource type come from `azurerm_schema_3x_subset.json` (extracted from an
azurerm 3.x `terraform providers schema -json`), patched to the azurerm 4.x names in
`SCHEMA_PATCHES` below. Provider-side defaults are approximated in `DEFAULTS`.
"""

from __future__ import annotations

import copy
import json
import os
import re

from pytest_cloudcheck.sources.hcl.defaults import PROVIDER_DEFAULTS

PROVIDER = "registry.terraform.io/hashicorp/azurerm"
TERRAFORM_VERSION = "1.11.4"
TIMESTAMP = "2026-11-28T09:30:00Z"

_HERE = os.path.dirname(os.path.abspath(__file__))


class _Unknown:
    def __repr__(self):
        return "UNKNOWN"


UNKNOWN = _Unknown()  # a value that is "(known after apply)"


# --------------------------------------------------------------------------- schema


def _load_schema():
    with open(os.path.join(_HERE, "azurerm_schema_3x_subset.json")) as f:
        schema = json.load(f)
    for rtype, patch in SCHEMA_PATCHES.items():
        block = schema.setdefault(rtype, {"id": "oc", "timeouts": "o"})
        for name, spec in patch.items():
            if spec is None:
                block.pop(name, None)
            else:
                block[name] = spec
    return schema


def _blk(**attrs):
    return {"_block": "list", **attrs}


# azurerm 3.x -> 4.x (the provider docs, website/docs/r/<type>.html.markdown, are the authority).
# None removes an attribute that 4.x no longer has.
SCHEMA_PATCHES = {
    "azurerm_storage_account": {
        "enable_https_traffic_only": None,
        "https_traffic_only_enabled": "o",
        "allowed_copy_scope": "o",
        "dns_endpoint_type": "o",
        "local_user_enabled": "o",
        "provisioned_billing_model_version": "oc",
        "customer_managed_key": _blk(key_vault_key_id="o", managed_hsm_key_id="o", user_assigned_identity_id="r"),
        "blob_properties": None,
        "queue_properties": None,
        "share_properties": None,
        "static_website": None,
    },
    "azurerm_storage_account_customer_managed_key": {
        "key_vault_id": "o",
        "key_vault_uri": "oc",
        "managed_hsm_key_id": "o",
        "federated_identity_client_id": "o",
    },
    "azurerm_recovery_services_vault": {
        "public_network_access_enabled": "o",
        "immutability": "oc",
        "cross_region_restore_enabled": "o",
    },
    "azurerm_data_protection_backup_vault_customer_managed_key": {
        "data_protection_backup_vault_id": "r",
        "key_vault_key_id": "r",
    },
    # dedicated Log Analytics cluster: the only way a workspace's data is encrypted with CMK
    "azurerm_log_analytics_cluster": {
        "name": "r",
        "location": "r",
        "resource_group_name": "r",
        "size_gb": "o",
        "cluster_id": "c",
        "identity": _blk(type="r", principal_id="c", tenant_id="c"),
        "tags": "o:M",
    },
    "azurerm_log_analytics_cluster_customer_managed_key": {"log_analytics_cluster_id": "r", "key_vault_key_id": "r"},
    "azurerm_log_analytics_linked_service": {
        "workspace_id": "r",
        "read_access_id": "oc",
        "write_access_id": "o",
        "name": "c",
    },
    "azurerm_key_vault": {
        "enable_rbac_authorization": "oc",
        "rbac_authorization_enabled": "oc",
    },
    "azurerm_key_vault_key": {
        "rotation_policy": _blk(
            expire_after="o", notify_before_expiry="o", automatic=_blk(time_after_creation="o", time_before_expiry="o")
        ),
    },
    "azurerm_subnet": {
        "address_prefix": None,
        "enforce_private_link_endpoint_network_policies": None,
        "enforce_private_link_service_network_policies": None,
        "private_endpoint_network_policies_enabled": None,
        "private_link_service_network_policies_enabled": "o",
        "private_endpoint_network_policies": "o",
        "default_outbound_access_enabled": "o",
    },
    "azurerm_route_table": {
        "disable_bgp_route_propagation": None,
        "bgp_route_propagation_enabled": "o",
    },
    "azurerm_virtual_network": {
        "private_endpoint_vnet_policies": "o",
    },
    "azurerm_virtual_network_gateway": {
        "enable_bgp": None,
        "bgp_enabled": "oc",
    },
    "azurerm_network_interface": {
        "enable_accelerated_networking": None,
        "accelerated_networking_enabled": "o",
        "enable_ip_forwarding": None,
        "ip_forwarding_enabled": "o",
    },
    "azurerm_linux_virtual_machine": {
        "os_managed_disk_id": "c",
        "vm_agent_platform_updates_enabled": "c",
        "disk_controller_type": "oc",
        "bypass_platform_safety_checks_on_user_schedule_enabled": "o",
    },
    "azurerm_monitor_diagnostic_setting": {
        "log": None,
        "enabled_log": _blk(category="o", category_group="o"),
        "metric": _blk(category="r", enabled="o"),
    },
    "azurerm_postgresql_flexible_server": {
        "public_network_access_enabled": "oc",
        "customer_managed_key": _blk(
            key_vault_key_id="o",
            primary_user_assigned_identity_id="o",
            geo_backup_key_vault_key_id="o",
            geo_backup_user_assigned_identity_id="o",
        ),
        "identity": _blk(identity_ids="o:L", type="r", principal_id="c", tenant_id="c"),
    },
    "azurerm_mssql_server": {
        "transparent_data_encryption_key_vault_key_id": "o",
        "express_vulnerability_assessment_enabled": "o",
    },
    "azurerm_cosmosdb_account": {
        "enable_automatic_failover": None,
        "automatic_failover_enabled": "o",
        "enable_free_tier": None,
        "free_tier_enabled": "o",
        "enable_multiple_write_locations": None,
        "multiple_write_locations_enabled": "o",
    },
    # App Service plan (4.x): the SLA and cost examples
    "azurerm_service_plan": {
        "name": "r",
        "location": "r",
        "resource_group_name": "r",
        "os_type": "r",
        "sku_name": "r",
        "worker_count": "oc",
        "zone_balancing_enabled": "o",
        "maximum_elastic_worker_count": "oc",
        "per_site_scaling_enabled": "o",
        "app_service_environment_id": "o",
        "kind": "c",
        "reserved": "c",
        "tags": "o:M",
    },
    "azurerm_data_protection_backup_policy_postgresql_flexible_server": {
        "name": "r",
        "vault_id": "r",
        "backup_repeating_time_intervals": "r:L",
        "time_zone": "o",
        "default_retention_rule": _blk(life_cycle=_blk(data_store_type="r", duration="r")),
    },
    "azurerm_data_protection_backup_instance_postgresql_flexible_server": {
        "name": "r",
        "location": "r",
        "vault_id": "r",
        "server_id": "r",
        "backup_policy_id": "r",
    },
}

# provider-side defaults of optional attributes (Default: in the provider schema); one table,
# shared with the HCL source, which gives the same values for what the source leaves unset
DEFAULTS = PROVIDER_DEFAULTS

SCHEMA_VERSION = {
    "azurerm_key_vault": 2,
    "azurerm_storage_account": 4,
    "azurerm_user_assigned_identity": 1,
    "azurerm_log_analytics_workspace": 3,
    "azurerm_mssql_server": 1,
}

SCHEMA = _load_schema()


# --------------------------------------------------------------------------- expressions


class E:
    """An HCL expression: its source text and the value Terraform computes for it at plan time."""

    def __init__(self, text, value=UNKNOWN, refs=None, sensitive=False):
        self.text = text
        self.value = value
        self.refs = references(text) if refs is None else refs
        self.sensitive = sensitive

    def config(self):
        return {"references": self.refs} if self.refs else {}


class B(dict):
    """One nested block (`customer_managed_key { ... }`)."""


class AB(E):
    """An attribute written in block syntax (`route { ... }` on `azurerm_route_table`): the schema
    has an attribute (a set of objects), so Terraform records one expression for all the blocks."""

    def __init__(self, *blocks):
        self.blocks = list(blocks)
        refs = []
        for b in self.blocks:
            for _, v in sorted(b.items()):
                if isinstance(v, E):
                    refs += v.refs
        super().__init__(None, [value_of(b) for b in self.blocks], refs=refs)

    def config(self):
        if self.refs:
            return {"references": self.refs}
        return {"constant_value": [dict(sorted(b.items())) for b in self.value]}


class Raw:
    """HCL text that is not part of the plan (comments, locals shown only in HCL)."""

    def __init__(self, text):
        self.text = text


_TRAVERSAL = re.compile(r'(?<![\w.\]"])([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[(?:"[^"]*"|\d+)\])+)')
_SHORT_ROOTS = {"var", "local", "each", "count", "path", "self", "terraform"}


def _code_parts(text):
    """The parts of an expression outside string literals (but inside ${...} interpolations)."""
    out, i, n = [], 0, len(text)
    in_str, depth, buf = False, 0, []
    while i < n:
        ch = text[i]
        if not in_str:
            if ch == '"' and buf and buf[-1] == "[":  # an index key: part of the traversal
                end = text.index('"', i + 1)
                buf.append(text[i : end + 1])
                i = end + 1
                continue
            if ch == '"':
                in_str = True
                out.append("".join(buf))
                buf = []
            else:
                buf.append(ch)
        else:
            if depth == 0 and text.startswith("${", i):
                depth = 1
                buf = []
                i += 2
                continue
            if depth:
                if ch == '"' and buf and buf[-1] == "[":
                    end = text.index('"', i + 1)
                    buf.append(text[i : end + 1])
                    i = end + 1
                    continue
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                    if depth == 0:
                        out.append("".join(buf))
                        buf = []
                        i += 1
                        continue
                buf.append(ch)
            elif ch == "\\":
                i += 1
            elif ch == '"':
                in_str = False
                buf = []
        i += 1
    out.append("".join(buf))
    return out


def _steps(trav):
    return re.findall(r'\.?([A-Za-z_][\w-]*)|(\[(?:"[^"]*"|\d+)\])', trav)


def references(text, local_symbols=()):
    """The `references` list Terraform writes for an expression."""
    refs = []
    for part in _code_parts(text):
        for m in _TRAVERSAL.finditer(part):
            trav = m.group(1)
            steps = [a or b for a, b in _steps(trav)]
            if steps[0] in local_symbols or not steps[0].islower():
                continue
            if steps[0] in _SHORT_ROOTS:
                minimal = 2
            elif steps[0] == "data":
                minimal = 3
            elif steps[0] == "module":
                minimal = 3 if len(steps) > 2 and steps[2].startswith("[") else 2
            else:
                minimal = 2
            for k in range(len(steps), minimal - 1, -1):
                refs.append(_join(steps[:k]))
    return refs


def _join(steps):
    out = steps[0]
    for s in steps[1:]:
        out += s if s.startswith("[") else "." + s
    return out


def value_of(x):
    if isinstance(x, E):
        if isinstance(x.value, list):
            return [value_of(v) for v in x.value]
        return x.value
    if isinstance(x, B):
        return B({k: value_of(v) for k, v in x.items()})
    if isinstance(x, list):
        return [value_of(v) for v in x]
    return x


def config_expr(x):
    if isinstance(x, E):
        return x.config()
    if isinstance(x, list) and x and all(isinstance(b, B) for b in x):
        return [{k: config_expr(v) for k, v in sorted(b.items())} for b in x]
    return {"constant_value": sort_keys(x)}


# --------------------------------------------------------------------------- values


def _unknown_shape(v):
    """after_unknown for a known value."""
    if v is UNKNOWN:
        return True
    if isinstance(v, dict):
        return {k: s for k, x in v.items() if (s := _unknown_shape(x)) is not None}
    if isinstance(v, list):
        return [(_unknown_shape(x) or False) for x in v]
    return None


def _sensitive_shape(v, kind=""):
    if v is UNKNOWN:
        return [] if kind == "L" else ({} if kind == "M" else None)
    if isinstance(v, dict):
        return {k: s for k, x in v.items() if (s := _sensitive_shape(x)) is not None}
    if isinstance(v, list):
        return [(_sensitive_shape(x) or False) for x in v]
    return None


def _strip(v):
    """The `after` form: unknown leaves removed from objects, null inside lists."""
    if isinstance(v, dict):
        return {k: _strip(x) for k, x in v.items() if x is not UNKNOWN}
    if isinstance(v, list):
        return [None if x is UNKNOWN else _strip(x) for x in v]
    return v


def sort_keys(v):
    """cty objects and maps are written with their keys in lexical order."""
    if isinstance(v, dict):
        return {k: sort_keys(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [sort_keys(x) for x in v]
    return v


def fill(rtype, schema, attrs, defaults, where):
    """Complete a resource's (or block's) attributes the way the provider plans them.

    Returns (values, unknown_shape, sensitive_shape)."""
    unknown_names = [k for k in attrs if k not in schema]
    if unknown_names:
        raise ValueError(f"{where}: {rtype} has no attribute(s) {unknown_names}")
    after, au, asens = {}, {}, {}
    for name, spec in schema.items():
        if name == "_block":
            continue
        if isinstance(spec, dict):  # nested block
            blocks = attrs.get(name)
            if blocks is None:
                after[name] = None if spec["_block"] == "single" else []
                if spec["_block"] != "single":
                    asens[name] = []
                continue
            vals, us, ss = [], [], []
            for b in blocks:
                v, u, s = fill(rtype, spec, b, {}, f"{where}.{name}")
                vals.append(v)
                us.append(u)
                ss.append(s)
            after[name], au[name], asens[name] = vals, us, ss
            continue
        flags, _, kind = spec.partition(":")
        sensitive = "s" in flags
        if name in attrs:
            raw = attrs[name]
            v = value_of(raw)
            if isinstance(raw, E) and raw.sensitive:
                sensitive = True
        elif "r" in flags:
            raise ValueError(f"{where}: required attribute {name} missing")
        elif "c" in flags:
            v = UNKNOWN
        else:
            v = defaults.get(name)
        if v is UNKNOWN:
            au[name] = True
        else:
            after[name] = _strip(v)
            if (u := _unknown_shape(v)) is not None:
                au[name] = u
        if sensitive and v is not None:
            asens[name] = True
        elif (s := _sensitive_shape(v, kind)) is not None:
            asens[name] = s
    return after, au, asens


# --------------------------------------------------------------------------- resources and modules


class Res:
    """One resource instance as declared in a module."""

    def __init__(
        self,
        rtype,
        name,
        attrs,
        key=None,
        for_each=None,
        count=None,
        depends_on=(),
        provider=None,
        file="main",
        mode="managed",
        comment=None,
    ):
        self.type, self.name, self.attrs, self.key = rtype, name, attrs, key
        self.for_each, self.count, self.depends_on = for_each, count, list(depends_on)
        self.provider, self.file, self.mode, self.comment = provider, file, mode, comment
        self.module = ""  # set by ModuleInstance.add

    @property
    def local_address(self):
        a = f"{self.type}.{self.name}" if self.mode == "managed" else f"data.{self.type}.{self.name}"
        if self.key is not None:
            a += f'["{self.key}"]' if isinstance(self.key, str) else f"[{self.key}]"
        return a

    @property
    def address(self):
        return f"{self.module}.{self.local_address}" if self.module else self.local_address

    @property
    def block_address(self):
        return self.local_address.split("[")[0]

    def config(self):
        c = {
            "address": self.block_address,
            "mode": self.mode,
            "type": self.type,
            "name": self.name,
            "provider_config_key": self.provider or "azurerm",
        }
        exprs = {k: config_expr(v) for k, v in sorted(self.attrs.items())}
        if exprs:
            c["expressions"] = exprs
        c["schema_version"] = SCHEMA_VERSION.get(self.type, 0)
        if self.count is not None:
            c["count_expression"] = config_expr(self.count)
        if self.for_each is not None:
            c["for_each_expression"] = config_expr(self.for_each)
        if self.depends_on:
            c["depends_on"] = self.depends_on
        return c


class Var:
    def __init__(self, type_text, default=None, description=None, sensitive=False, has_default=True):
        self.type_text, self.default, self.description = type_text, default, description
        self.sensitive, self.has_default = sensitive, has_default

    def config(self):
        c = {}
        if self.has_default:
            c["default"] = sort_keys(self.default)
        if self.description:
            c["description"] = self.description
        if self.sensitive:
            c["sensitive"] = True
        return c


class Output:
    def __init__(self, expr, description=None, sensitive=False, refs=None):
        self.expr, self.description, self.sensitive = expr, description, sensitive

    def config(self):
        c = {}
        if self.sensitive:
            c["sensitive"] = True
        c["expression"] = self.expr.config()
        if self.description:
            c["description"] = self.description
        return c


class ModuleDef:
    """A Terraform module folder: variables, locals, outputs and a body that declares resources."""

    def __init__(self, folder, variables, body, outputs=None, locals_=None, header=None):
        self.folder, self.variables, self.body = folder, variables, body
        self.outputs = outputs or {}
        self.locals = locals_ or {}
        self.header = header


class Call:
    """A `module` block: source, for_each and per-instance argument expressions."""

    def __init__(self, name, source, module, for_each, instances, file="main", comment=None):
        self.name, self.source, self.module, self.for_each = name, source, module, for_each
        self.instances, self.file, self.comment = instances, file, comment


class ModuleInstance:
    def __init__(self, address, var_values):
        self.address, self.var = address, var_values
        self.resources = []
        self.calls = []

    def add(self, *resources):
        flat = []
        for r in resources:
            flat += r if isinstance(r, list) else [r]
        resources = flat
        for r in resources:
            r.module = self.address
            self.resources.append(r)
        return resources[0] if len(resources) == 1 else resources


def instantiate(mdef, address, var_values):
    inst = ModuleInstance(address, var_values)
    mdef.body(inst, var_values)
    return inst


def _block_configs(resources, where):
    blocks = {}
    for r in resources:
        c = r.config()
        prev = blocks.get(c["address"])
        if prev is not None and prev != c:
            raise ValueError(f"{where}: instances of {c['address']} differ in configuration:\n{prev}\n{c}")
        blocks[c["address"]] = c
    managed = sorted((c for c in blocks.values() if c["mode"] == "managed"), key=lambda c: c["address"])
    data = sorted((c for c in blocks.values() if c["mode"] == "data"), key=lambda c: c["address"])
    return managed + data


class RootModule:
    """A root module: provider blocks, a module definition and the values of its variables."""

    def __init__(self, folder, mdef, providers, var_values, calls_builder=None):
        self.folder, self.mdef, self.providers = folder, mdef, providers
        self.var_values = var_values
        self.calls_builder = calls_builder

    # ----------------------------------------------------------------- plan JSON
    def plan(self):
        root = instantiate(self.mdef, "", self.var_values)
        children = []  # (call, key, ModuleInstance)
        for call in root.calls:
            for key, args in call.instances.items():
                addr = f'module.{call.name}["{key}"]'
                values = {n: (value_of(a)) for n, a in args.items()}
                for n, v in call.module.variables.items():
                    if n not in values:
                        if not v.has_default:
                            raise ValueError(f"{addr}: variable {n} not set")
                        values[n] = copy.deepcopy(v.default)
                children.append((call, key, instantiate(call.module, addr, values)))

        all_res = list(root.resources) + [r for _, _, m in children for r in m.resources]
        seen = set()
        for r in all_res:
            if r.address in seen:
                raise ValueError(f"duplicate address {r.address}")
            seen.add(r.address)

        pv_root, rcs_root = self._render(sorted(root.resources, key=lambda r: r.address))
        child_modules, rcs_children = [], []
        for _, _, m in sorted(children, key=lambda t: t[2].address):
            pv, rcs = self._render(sorted(m.resources, key=lambda r: r.address))
            child_modules.append({"resources": pv, "address": m.address})
            rcs_children += rcs

        root_module = {}
        if pv_root:
            root_module["resources"] = pv_root
        if child_modules:
            root_module["child_modules"] = child_modules
        planned = {}
        out_changes = {}
        if self.mdef.outputs:
            planned["outputs"] = {}
            for name, o in sorted(self.mdef.outputs.items()):
                v = o.expr.value
                po = {"sensitive": o.sensitive}
                if v is not UNKNOWN and not isinstance(v, dict):
                    po.update({"type": "string", "value": v})
                planned["outputs"][name] = po
                au = sort_keys(_unknown_shape(v))
                out_changes[name] = {
                    "actions": ["create"],
                    "before": None,
                    "after": _strip(v) if v is not UNKNOWN else None,
                    "after_unknown": au if au is not None else False,
                    "before_sensitive": False,
                    "after_sensitive": bool(o.sensitive),
                }
        planned["root_module"] = root_module

        plan = {
            "format_version": "1.2",
            "terraform_version": TERRAFORM_VERSION,
            "variables": {n: {"value": sort_keys(self.var_values[n])} for n in sorted(self.mdef.variables)},
            "planned_values": planned,
            "resource_changes": rcs_root + rcs_children,
        }
        if out_changes:
            plan["output_changes"] = out_changes
        plan["configuration"] = self._configuration(root, children)
        plan["relevant_attributes"] = _relevant_attributes(root, children)
        plan["timestamp"] = TIMESTAMP
        plan["applyable"] = True
        plan["complete"] = True
        plan["errored"] = False
        return plan

    def _render(self, resources):
        pvs, rcs = [], []
        for r in resources:
            schema = SCHEMA[r.type if r.mode == "managed" else "data." + r.type]
            after, au, asens = map(sort_keys, fill(r.type, schema, r.attrs, DEFAULTS.get(r.type, {}), r.address))
            pv = {"address": r.address, "mode": r.mode, "type": r.type, "name": r.name}
            if r.key is not None:
                pv["index"] = r.key
            pv["provider_name"] = PROVIDER
            pv["schema_version"] = SCHEMA_VERSION.get(r.type, 0)
            deferred_read = r.mode == "data"
            if not (deferred_read and not after):
                pv["values"] = after
            pv["sensitive_values"] = asens
            pvs.append(pv)
            rc = {"address": r.address}
            if r.module:
                rc["module_address"] = r.module
            rc.update({"mode": r.mode, "type": r.type, "name": r.name})
            if r.key is not None:
                rc["index"] = r.key
            rc["provider_name"] = PROVIDER
            rc["change"] = {
                "actions": ["read"] if deferred_read else ["create"],
                "before": None,
                "after": after,
                "after_unknown": au,
                "before_sensitive": False,
                "after_sensitive": asens,
            }
            if deferred_read:
                rc["action_reason"] = "read_because_dependency_pending"
            rcs.append(rc)
        return pvs, rcs

    def _configuration(self, root, children):
        pc = {}
        for p in self.providers:
            key = "azurerm" + (f".{p['alias']}" if p.get("alias") else "")
            entry = {"name": "azurerm", "full_name": PROVIDER}
            if p.get("alias"):
                entry["alias"] = p["alias"]
            entry["version_constraint"] = "~> 4.20"
            entry["expressions"] = {"features": [{}], "subscription_id": {"constant_value": p["subscription_id"]}}
            pc[key] = entry
        rm = self._module_config(self.mdef, root.resources, root.address or "root")
        if root.calls:
            rm["module_calls"] = {}
            for call in sorted(root.calls, key=lambda c: c.name):
                insts = [m for c, _, m in children if c is call]
                first_args = next(iter(call.instances.values()))
                mc = {"source": call.source, "expressions": {n: config_expr(a) for n, a in sorted(first_args.items())}}
                for args in call.instances.values():
                    if {n: config_expr(a) for n, a in sorted(args.items())} != mc["expressions"]:
                        raise ValueError(f"module.{call.name}: arguments differ between instances")
                mc["for_each_expression"] = config_expr(call.for_each)
                mc["module"] = self._module_config(
                    call.module, [r for m in insts for r in m.resources], f"module.{call.name}"
                )
                rm["module_calls"][call.name] = mc
        # keep Terraform's key order: outputs, resources, module_calls, variables
        ordered = {k: rm[k] for k in ("outputs", "resources", "module_calls", "variables") if k in rm}
        return {"provider_config": pc, "root_module": ordered}

    @staticmethod
    def _module_config(mdef, resources, where):
        c = {}
        if mdef.outputs:
            c["outputs"] = {n: o.config() for n, o in sorted(mdef.outputs.items())}
        res = _block_configs(resources, where)
        if res:
            c["resources"] = res
        if mdef.variables:
            c["variables"] = {n: v.config() for n, v in sorted(mdef.variables.items())}
        return c


def _relevant_attributes(root, children):
    """Attributes of other resources that expressions read (Terraform lists them for drift)."""
    out = set()
    mods = [root] + [m for _, _, m in children]
    for m in mods:
        prefix = m.address + "." if m.address else ""
        for r in m.resources:
            exprs = list(_expressions(r.attrs))
            for e in exprs:
                for ref in _longest(e.refs):
                    steps = [a or b for a, b in _steps(ref)]
                    if steps[0] in _SHORT_ROOTS or steps[0] == "module":
                        continue
                    n = 3 if steps[0] == "data" else 2
                    if len(steps) > n and steps[n].startswith("["):
                        n += 1
                    attr = [int(s[1:-1]) if s[1:-1].isdigit() else s.strip('[]"') for s in steps[n:]]
                    out.add((prefix + _join(steps[:n]), tuple(attr)))
    return [{"resource": a, "attribute": list(b)} for a, b in sorted(out, key=lambda t: (t[0], [str(x) for x in t[1]]))]


def _expressions(x):
    if isinstance(x, E):
        yield x
    elif isinstance(x, (list, dict)):
        for y in x.values() if isinstance(x, dict) else x:
            yield from _expressions(y)


def _longest(refs):
    """The full traversals of a references list (each is followed by its shorter prefixes)."""
    full, prev = [], None
    for r in refs:
        if prev is None or not prev.startswith(r):
            full.append(r)
        prev = r
    return full


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write("\n")
