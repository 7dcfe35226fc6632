"""Environment classification: every resource gets "prod", "nonprod", "shared" or None (never guessed).

Signals, first match wins (each configurable in ini):

0. `cloudcheck_shared` regexes (matched against the resource's name, resource group name and
   address): the shared platform (the hub) is neither prod nor nonprod. Checked first because a
   hub is often tagged "prod" for its SLA while it is not a prod workload.
1. `cloudcheck_subscriptions`: `<subscription id> = prod|nonprod|shared` lines; the subscription
   comes from the ARM id or the azurerm provider's `subscription_id`. Placement in a subscription
   is the boundary Azure enforces (CAF: one subscription per application environment).
2. The environment tag (`cloudcheck_environment_tag`, default `environment`); values from
   `cloudcheck_prod_values` / `cloudcheck_nonprod_values` (defaults cover OTAP), case-insensitive.
3. `cloudcheck_name_pattern` regexes with a named group `env`; the group's text is read like a tag
   value.
4. The resource group: a resource inherits its resource group's classification (by signals 0-3),
   as Azure Policy's "inherit a tag from the resource group" does.
5. The parent: a child or extension resource without signals of its own (a subnet association,
   a diagnostic setting, a role assignment, a TDE protector) has its parent's environment.

Whatever none of these classify stays None: listed in the terminal summary and by
`checks.unclassified`.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .arm import parse_arm_id
from .errors import ConfigurationError
from .links import Links, links_of, narrow
from .model import SENSITIVE, UNKNOWN, Finding, Findings, Inventory, Resource
from .network import Network
from .settings import Settings

#: the ids `unclassified` produces (a check family of its own: see checks/registry.py)
CHECK_IDS = ("environment.unclassified",)

PROD, NONPROD, SHARED = "prod", "nonprod", "shared"
ISOLATED = (PROD, NONPROD)
DEFAULT_TAG = "environment"
PROD_VALUES = ("p", "prd", "prod", "production")
NONPROD_VALUES = ("o", "t", "a", "dev", "tst", "test", "acc", "acceptance", "nonprod")

#: child / extension types whose parent (the resource they belong to) is named by this attribute;
#: ARM-shaped resources and resources with a known id use their id's parent instead
PARENT_ATTRIBUTE: dict[str, str | tuple[str, ...]] = {
    "azurerm_monitor_diagnostic_setting": "target_resource_id",
    "azurerm_role_assignment": "scope",
    "azurerm_management_lock": "scope",
    # the subnet first; the NSG / route table when the subnet comes from `for_each = azurerm_subnet.x`
    # (`each.value.id` is not resolved through the configuration)
    "azurerm_subnet_network_security_group_association": ("subnet_id", "network_security_group_id"),
    "azurerm_subnet_route_table_association": ("subnet_id", "route_table_id"),
    "azurerm_subnet_nat_gateway_association": ("subnet_id", "nat_gateway_id"),
    "azurerm_network_interface_security_group_association": "network_interface_id",
    "azurerm_virtual_machine_data_disk_attachment": "virtual_machine_id",
    "azurerm_virtual_machine_extension": "virtual_machine_id",
    "azurerm_mssql_server_transparent_data_encryption": "server_id",
    "azurerm_mssql_database": "server_id",
    "azurerm_mssql_failover_group": "server_id",
    "azurerm_mssql_firewall_rule": "server_id",
    "azurerm_postgresql_flexible_server_database": "server_id",
    "azurerm_postgresql_flexible_server_configuration": "server_id",
    "azurerm_mysql_flexible_database": "server_id",
    "azurerm_storage_account_customer_managed_key": "storage_account_id",
    "azurerm_storage_container": "storage_account_id",
    "azurerm_storage_share": "storage_account_id",
    "azurerm_storage_encryption_scope": "storage_account_id",
    "azurerm_storage_management_policy": "storage_account_id",
    "azurerm_key_vault_key": "key_vault_id",
    "azurerm_key_vault_secret": "key_vault_id",
    "azurerm_key_vault_certificate": "key_vault_id",
    "azurerm_key_vault_access_policy": "key_vault_id",
    "azurerm_key_vault_managed_hardware_security_module_key": "managed_hsm_id",
    "azurerm_eventhub_namespace_customer_managed_key": "eventhub_namespace_id",
    "azurerm_servicebus_namespace_customer_managed_key": "namespace_id",
    "azurerm_cognitive_account_customer_managed_key": "cognitive_account_id",
    "azurerm_log_analytics_cluster_customer_managed_key": "log_analytics_cluster_id",
    "azurerm_kusto_cluster_customer_managed_key": "cluster_id",
    "azurerm_databricks_workspace_customer_managed_key": "workspace_id",
    "azurerm_synapse_workspace_key": "synapse_workspace_id",
    "azurerm_kubernetes_cluster_node_pool": "kubernetes_cluster_id",
    "azurerm_kubernetes_cluster_extension": "cluster_id",
    "azurerm_data_protection_backup_vault_customer_managed_key": "data_protection_backup_vault_id",
    "azurerm_data_protection_backup_instance_disk": "vault_id",
    "azurerm_data_protection_backup_instance_kubernetes_cluster": "vault_id",
    "azurerm_data_protection_backup_instance_blob_storage": "vault_id",
    "azurerm_data_protection_backup_instance_postgresql_flexible_server": "vault_id",
    "azurerm_data_protection_backup_instance_mysql_flexible_server": "vault_id",
    "azurerm_data_protection_backup_policy_disk": "vault_id",
    "azurerm_data_protection_backup_policy_kubernetes_cluster": "vault_id",
    "azurerm_data_protection_backup_policy_blob_storage": "vault_id",
    "azurerm_data_protection_backup_policy_postgresql_flexible_server": "vault_id",
    "azurerm_data_protection_backup_policy_mysql_flexible_server": "vault_id",
    "azurerm_network_watcher_flow_log": "network_security_group_id",
    "azurerm_log_analytics_linked_service": "workspace_id",
    "azurerm_log_analytics_solution": "workspace_resource_id",
    "azurerm_private_dns_zone_virtual_network_link": "virtual_network_id",
}

#: resource types outside Azure (random_*, tls_*, terraform_data, ...) have no environment
_AZURE_PREFIXES = ("azurerm_", "azapi_", "azuread_")


# ---------------------------------------------------------------------------------------------
# Rules from settings


@dataclass(frozen=True)
class EnvironmentRules:
    """How this run classifies resources (from ini; defaults without settings)."""

    tag: str = DEFAULT_TAG
    values: dict[str, str] = field(default_factory=lambda: _value_table(PROD_VALUES, NONPROD_VALUES))
    subscriptions: dict[str, str] = field(default_factory=dict)
    name_patterns: tuple[re.Pattern[str], ...] = ()
    shared: tuple[re.Pattern[str], ...] = ()

    @property
    def has_shared(self) -> bool:
        return bool(self.shared) or SHARED in self.subscriptions.values()

    def environment_of_value(self, value: Any) -> str | None:
        """A tag value / name part / map value -> environment, or None."""
        if not isinstance(value, str):
            return None
        text = value.strip().lower()
        if text in (PROD, NONPROD, SHARED):
            return text
        return self.values.get(text)

    @classmethod
    def from_settings(cls, settings: Settings | None) -> EnvironmentRules:
        if settings is None:
            return cls()
        get = settings.get
        prod = _words(get("prod_values")) or PROD_VALUES
        nonprod = _words(get("nonprod_values")) or NONPROD_VALUES
        overlap = sorted(set(prod) & set(nonprod))
        if overlap:
            raise ConfigurationError(
                f"cloudcheck_prod_values and cloudcheck_nonprod_values both hold {', '.join(overlap)}"
            )
        rules = cls(
            tag=(get("environment_tag") or DEFAULT_TAG).strip(),
            values=_value_table(prod, nonprod),
            name_patterns=tuple(
                _compile(p, "cloudcheck_name_pattern", need_env=True) for p in _lines(get("name_pattern"))
            ),
            shared=tuple(_compile(p, "cloudcheck_shared", need_env=False) for p in _lines(get("shared"))),
        )
        subscriptions = {}
        for line in _lines(get("subscriptions")):
            sub, sep, value = line.partition("=")
            env = rules.environment_of_value(value) if sep else None
            if not sub.strip() or env is None:
                raise ConfigurationError(
                    f"cloudcheck_subscriptions: {line!r} is not `<subscription id> = prod|nonprod|shared`"
                )
            subscriptions[sub.strip().lower()] = env
        object.__setattr__(rules, "subscriptions", subscriptions)
        return rules


def _value_table(prod: Iterable[str], nonprod: Iterable[str]) -> dict[str, str]:
    table = {v.lower(): PROD for v in prod}
    table.update({v.lower(): NONPROD for v in nonprod})
    return table


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    return [
        line.strip() for line in value if isinstance(line, str) and line.strip() and not line.strip().startswith("#")
    ]


def _words(value: Any) -> tuple[str, ...]:
    return tuple(w for line in _lines(value) for w in re.split(r"[\s,]+", line) if w)


def _compile(pattern: str, ini: str, *, need_env: bool) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ConfigurationError(f"{ini}: {pattern!r} is not a regular expression ({exc})") from None
    if need_env and "env" not in compiled.groupindex:
        raise ConfigurationError(f"{ini}: {pattern!r} needs a named group `env`, e.g. `-(?P<env>prd|tst)-`")
    return compiled


def rules_of(inventory: Inventory) -> EnvironmentRules:
    """The run's classification rules (kept in the inventory's context, shared by its views)."""
    context = inventory.context
    if context.environment_rules is None:
        context.environment_rules = EnvironmentRules.from_settings(context.settings)
    return context.environment_rules


# ---------------------------------------------------------------------------------------------
# IP plan (ini `cloudcheck_ip_plan`, shared with the topology checks)


def parse_ip_plan(lines: Any, rules: EnvironmentRules | None = None) -> dict[str | None, list[Network]]:
    """`<env> = <cidr> [<cidr>...]` lines -> {env: networks}; plain CIDR lines -> {None: ...} (whole plan)."""
    rules = rules or EnvironmentRules()
    plan: dict[str | None, list[Network]] = {}
    for line in _lines(lines):
        head, sep, tail = line.partition("=")
        env = rules.environment_of_value(head) if sep else None
        if sep and env is None:
            raise ConfigurationError(f"cloudcheck_ip_plan: {head.strip()!r} in {line!r} is not an environment")
        for cidr in re.split(r"[\s,]+", tail if sep else line):
            if not cidr:
                continue
            try:
                plan.setdefault(env, []).append(ipaddress.ip_network(cidr, strict=False))
            except ValueError:
                raise ConfigurationError(f"cloudcheck_ip_plan: {cidr!r} in {line!r} is not a CIDR range") from None
    return plan


# ---------------------------------------------------------------------------------------------
# Classification


def classify(inventory: Inventory) -> None:
    """Set `Resource.environment` on every resource and data source of the inventory, and keep
    the rules and the resource-group index in its context (views share them)."""
    rules = EnvironmentRules.from_settings(inventory.settings)
    inventory.context.environment_rules = rules
    everything = [*inventory, *inventory.data_sources]
    for r in everything:
        r.environment = own_environment(r, rules)
    groups = GroupIndex(everything)
    for r in everything:
        if r.environment is None and not _is_group(r):
            r.environment = groups.environment_of(r, rules)
    inventory.context.environment_groups = groups
    links = links_of(inventory)
    resolving: set[int] = set()

    def parent_environment(r: Resource, depth: int = 0) -> str | None:
        if r.environment is not None or depth > 8 or id(r) in resolving:
            return r.environment
        resolving.add(id(r))
        try:
            for target in _parents(r, links):
                env = parent_environment(target, depth + 1) if isinstance(target, Resource) else target
                if env is not None:
                    r.environment = env
                    return env
        finally:
            resolving.discard(id(r))
        return None

    for r in everything:
        if r.environment is None:
            parent_environment(r)
    if rules.has_shared:
        # the shared platform wins over a child's own tag, as it does over the tag of anything in
        # its resource groups: a hub Key Vault's key is shared even when tagged "prod"
        for r in everything:
            if r.environment != SHARED and _group_name(r) is None:
                parent = next((p for p in _parents(r, links) if p is not None), None)
                if (parent.environment if isinstance(parent, Resource) else parent) == SHARED:
                    r.environment = SHARED

    for r in inventory:
        if r.environment is None and is_azure(r):
            why = unread_signal(r, rules)
            if why is not None:
                # a value that would classify it is redacted or unknown: the resource may belong to
                # any environment, so every environment's view and check counts it as not assessed
                inventory.ledger.record(
                    "environment",
                    r.origin.file if r.origin is not None else r.address,
                    f"{r.address}: {why}, so its environment is unknown",
                    f"give it a plain `{rules.tag}` tag or map its subscription in cloudcheck_subscriptions",
                    address=r.source_address,
                    types=(r.type,),
                    source=r.source_label,
                )


def _hidden(value: Any) -> str | None:
    if value is SENSITIVE:
        return "is sensitive (redacted)"
    if value is UNKNOWN:
        return "is known only after apply"
    return None


def unread_signal(r: Resource, rules: EnvironmentRules) -> str | None:
    """Why a resource no signal classified may still belong to an environment: its tags, its
    environment tag, its resource group or (with a naming convention) its name is redacted or
    unknown. None when every signal was read."""
    tags = r.values.get("tags")
    hidden = _hidden(tags)
    if hidden is not None and not r.type.startswith("azuread_"):  # Entra ID tags are a set of strings
        return f"its tags {hidden}"
    if isinstance(tags, dict):
        wanted = rules.tag.lower()
        for key, value in tags.items():
            hidden = _hidden(value)
            if hidden is not None and isinstance(key, str) and key.lower() == wanted:
                return f"its `{key}` tag {hidden}"
    if rules.name_patterns and r.name is None:
        hidden = _hidden(r.values.get("name"))
        if hidden is not None:
            return f"its name {hidden}"
    hidden = _hidden(r.values.get("resource_group_name"))
    if hidden is not None and not any(_is_group(g) for g in r.referenced("resource_group_name")):
        # (a group it references is what its name would name: that group's environment is its own)
        return f"its resource_group_name {hidden}"
    return None


def own_environment(r: Resource, rules: EnvironmentRules) -> str | None:
    """Signals 0-3: shared pattern, subscription map, tag, naming convention."""
    if rules.shared and _matches_shared(r, rules):
        return SHARED
    if rules.subscriptions:
        env = rules.subscriptions.get(r.subscription_id or "")
        if env is not None:
            return env
    env = rules.environment_of_value(_tag_value(r, rules))
    if env is not None or not rules.name_patterns:
        return env
    return _env_from_name(r.name, rules)


def _tag_value(r: Resource, rules: EnvironmentRules) -> Any:
    """The resource's environment tag (its key matched without regard to case), or None."""
    tags = r.tags
    if not isinstance(tags, dict) or not tags:  # (most children have no tags: asked of every resource)
        return None
    value = tags.get(rules.tag)
    if value is None:
        wanted = rules.tag.lower()
        for key, found in tags.items():
            if isinstance(key, str) and key.lower() == wanted:
                return found
    return value


def _not_configured(r: Resource, rules: EnvironmentRules) -> str | None:
    """An environment tag value that is none of the configured values ("staging"), or None."""
    value = _tag_value(r, rules)
    if isinstance(value, str) and value.strip() and rules.environment_of_value(value) is None:
        return value
    return None


def _unconfigured_tag(r: Resource, rules: EnvironmentRules, inventory: Inventory) -> str | None:
    """Why an unclassified resource's environment tag (or its resource group's) did not count: its
    value is not configured. Names the value, the configured ones and the closest of them."""
    value = _not_configured(r, rules)
    whose = f"its `{rules.tag}` tag"
    if value is None:
        name, groups = _group_name(r), inventory.environment_groups
        for group in groups.find(name, r.subscription_id) if name and groups is not None else ():
            value = _not_configured(group, rules)
            if value is not None:
                whose = f"the `{rules.tag}` tag of its resource group {group.address}"
                break
    if value is None:
        return None
    known = sorted({*rules.values, PROD, NONPROD})
    close = difflib.get_close_matches(value.strip().lower(), known, n=1)
    mean = f"did you mean {close[0]!r}? Otherwise " if close else ""
    return (
        f"{whose} is {value!r}, none of the configured values ({_configured(rules)}); {mean}use one of them "
        f"or add {value.strip().lower()!r} to cloudcheck_prod_values or cloudcheck_nonprod_values"
    )


def unconfigured_values(inventory: Inventory) -> dict[str, int]:
    """Environment tag values in the inventory that are none of the configured ones, with how many
    resources carry each (the terminal names them: a test marked for an environment skips)."""
    rules = rules_of(inventory)
    found: dict[str, int] = {}
    for r in inventory:
        value = _not_configured(r, rules) if is_azure(r) else None
        if value is not None:
            found[value] = found.get(value, 0) + 1
    return found


def _env_from_name(name: Any, rules: EnvironmentRules) -> str | None:
    if not isinstance(name, str):
        return None
    for pattern in rules.name_patterns:
        match = pattern.search(name)
        if match:
            env = rules.environment_of_value(match.group("env"))
            if env is not None:
                return env
    return None


def _matches_shared(r: Resource, rules: EnvironmentRules) -> bool:
    texts = [t for t in (r.name, _group_name(r), r.address) if isinstance(t, str)]
    return any(p.search(t) for p in rules.shared for t in texts)


_GROUP_TYPE = "microsoft.resources/resourcegroups"


def _is_group(r: Resource) -> bool:
    arm_type = r.arm_type
    return arm_type is not None and len(arm_type) == len(_GROUP_TYPE) and arm_type.lower() == _GROUP_TYPE


def _group_name(r: Resource) -> str | None:
    if _is_group(r):
        return r.name
    value = r.values.get("resource_group_name")
    if isinstance(value, str):
        return value
    parts = parse_arm_id(r.id)
    return parts.resource_group if parts else None


class GroupIndex:
    """Resource groups by (subscription, name) and by name, to classify what they hold."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        self.by_place: dict[tuple[str | None, str], list[Resource]] = {}
        self.by_name: dict[str, list[Resource]] = {}
        by_place, by_name = self.by_place, self.by_name
        for r in resources:
            if isinstance(r.name, str) and _is_group(r):
                name = r.name.lower()
                by_place.setdefault((r.subscription_id, name), []).append(r)
                by_name.setdefault(name, []).append(r)

    def find(self, name: str, subscription: str | None) -> list[Resource]:
        exact = self.by_place.get((subscription, name.lower())) if subscription else None
        return exact if exact else self.by_name.get(name.lower(), [])

    def environment_of(self, r: Resource, rules: EnvironmentRules) -> str | None:
        name = _group_name(r)
        if name is not None:
            return _agreed(g.environment for g in self.find(name, r.subscription_id))
        if r.values.get("resource_group_name") is UNKNOWN:
            return _agreed(g.environment for g in r.referenced("resource_group_name") if _is_group(g))
        return None


def _agreed(envs: Iterable[str | None]) -> str | None:
    """The one environment all candidates agree on; None when none or they disagree."""
    found = set(envs)
    return found.pop() if len(found) == 1 else None


def referenced_attributes(r: Resource) -> list[str]:
    """The attributes of `r` whose references `classify` may ask for: its parent attributes and
    its resource group name where their value is not known. A source that keeps its loads between
    runs (sources/hcl/saved.py) answers them before keeping one, so a warm run's classification
    finds the answers with the resources instead of resolving them again."""
    asked = ["resource_group_name"] if _hidden(r.values.get("resource_group_name")) is not None else []
    if r.schema != "arm":
        attrs = PARENT_ATTRIBUTE.get(r.type, ())
        asked += [a for a in ((attrs,) if isinstance(attrs, str) else attrs) if r.values.get(a) is UNKNOWN]
    return asked


def _parents(r: Resource, links: Links) -> Iterator[Resource | str | None]:
    """The resource(s) `r` belongs to, nearest first; an environment string for an id outside."""
    if r.id:
        parts = parse_arm_id(r.id)
        if parts and parts.parent:
            yield links.find(parts.parent) or environment_of_id(r.inventory, parts.parent)
    attrs = PARENT_ATTRIBUTE.get(r.type, ())
    if r.schema == "arm":
        return
    for attr in (attrs,) if isinstance(attrs, str) else attrs:
        value = r.values.get(attr)
        if isinstance(value, str) and value:
            yield links.find(value) or environment_of_id(r.inventory, value)
        elif value is UNKNOWN:
            targets = narrow(r, r.referenced(attr))
            if len(targets) == 1:
                yield targets[0]
            else:
                yield _agreed(t.environment for t in targets)


def environment_of_id(inventory: Inventory | None, arm_id: Any) -> str | None:
    """The environment an ARM id outside (or not found in) the inventory belongs to.

    From the subscription map, the naming convention on its name, or the classified resource group
    it names; None when none of these tell.
    """
    parts = parse_arm_id(arm_id)
    if parts is None or inventory is None:
        return None
    rules = rules_of(inventory)
    if rules.shared:
        texts = [t for t in (parts.name, parts.resource_group) if t]
        if any(p.search(t) for p in rules.shared for t in texts):
            return SHARED
    if parts.subscription and parts.subscription in rules.subscriptions:
        return rules.subscriptions[parts.subscription]
    env = _env_from_name(parts.name, rules)
    if env is not None:
        return env
    groups = inventory.environment_groups
    if parts.resource_group and groups is not None:
        return _agreed(g.environment for g in groups.find(parts.resource_group, parts.subscription))
    return None


def environment_of(target: Resource | None, ident: Any, inventory: Inventory | None) -> str | None:
    """A link target's environment: the resource's own, else what its id tells."""
    if target is not None and target.environment is not None:
        return target.environment
    return environment_of_id(inventory, ident if isinstance(ident, str) else getattr(target, "id", None))


# ---------------------------------------------------------------------------------------------
# Unclassified resources


def is_azure(r: Resource) -> bool:
    return r.schema == "arm" or r.type.startswith(_AZURE_PREFIXES) or r.arm_type is not None


def unclassified_resources(inventory: Iterable[Resource]) -> list[Resource]:
    """Managed Azure resources no signal classified (non-Azure types such as random_* are left out)."""
    return sorted((r for r in inventory if r.environment is None and is_azure(r)), key=lambda r: r.address)


def unclassified(inventory: Inventory) -> Findings:
    """`checks.unclassified`: one `not_assessed` finding per Azure resource without an environment
    (`unknown` when a value that would classify it is redacted or known only after apply)."""
    rules = rules_of(inventory)
    how = _how_to_classify(rules)
    found = []
    for r in unclassified_resources(inventory):
        why = unread_signal(r, rules)
        unconfigured = _unconfigured_tag(r, rules, inventory) if why is None else None
        if why is not None:
            message = f"{r.type}: environment unknown: {why}; {how}"
        elif unconfigured is not None:
            message = f"{r.type} has no environment: {unconfigured}"
        else:
            message = (
                f"{r.type} has no environment (no subscription mapping, `{rules.tag}` tag, name match, "
                f"or classified resource group or parent); {how}"
            )
        found.append(
            Finding(
                "environment.unclassified",
                r.address,
                message,
                origin=r.origin,
                kind="not_assessed" if why is None else "unknown",
            )
        )
    return Findings(found)


def _configured(rules: EnvironmentRules) -> str:
    """The configured tag values per environment: `prod: p, prd, ...; nonprod: a, acc, ...`."""
    prod = ", ".join(sorted(k for k, v in rules.values.items() if v == PROD))
    return f"prod: {prod}; nonprod: {', '.join(sorted(k for k, v in rules.values.items() if v == NONPROD))}"


def _how_to_classify(rules: EnvironmentRules) -> str:
    return f"tag it `{rules.tag}` ({_configured(rules)}) or map its subscription in cloudcheck_subscriptions"


def summary_lines(inventory: Inventory | None, *, limit: int = 10) -> list[str]:
    """Terminal summary lines: how many resources per environment, and the unclassified ones."""
    if inventory is None:
        return []
    rules = rules_of(inventory)
    # one pass (a plan has tens of thousands of resources): what unclassified_resources and
    # unconfigured_values would find
    counts: dict[str | None, int] = {}
    missing: list[Resource] = []
    unconfigured: dict[str, int] = {}
    for r in inventory:
        if not is_azure(r):
            continue
        counts[r.environment] = counts.get(r.environment, 0) + 1
        if r.environment is None:
            missing.append(r)
        value = _not_configured(r, rules)
        if value is not None:
            unconfigured[value] = unconfigured.get(value, 0) + 1
    missing.sort(key=lambda r: r.address)
    parts = [f"{counts[e]} {e}" for e in (PROD, NONPROD, SHARED) if counts.get(e)]
    lines = [f"cloudcheck environments: {', '.join(parts) or 'none classified'}; {len(missing)} unclassified"]
    for r in missing[:limit]:
        lines.append(f"  unclassified: {r.address}")
    if len(missing) > limit:
        lines.append(f"  ... and {len(missing) - limit} more (checks.unclassified lists them all)")
    if unconfigured:
        values = ", ".join(f"{v!r} ({n})" for v, n in sorted(unconfigured.items()))
        lines.append(f"  `{rules.tag}` tag values not configured (ignored): {values}; configured: {_configured(rules)}")
    return lines


def check_marker_environment(env: str, inventory: Inventory | None, where: str) -> None:
    """`@pytest.mark.environment("shared")` only when a shared pattern or subscription is configured."""
    if env != SHARED or inventory is None:
        return
    if not rules_of(inventory).has_shared:
        raise ConfigurationError(
            f'{where}: environment "shared" needs cloudcheck_shared (a pattern) or a `<id> = shared` '
            "line in cloudcheck_subscriptions"
        )
