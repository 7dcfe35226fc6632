"""What each check id means and how to fix its findings: for SARIF rules (GitHub code scanning shows
them) and the generated page docs/checks.md (`python -m pytest_cloudcheck.docgen checks`).

Per-type families say it from their rule tables (CMK: the types and the fix of each rule; backups:
what each type is); the other ids have a row in `TEXT` below. An id of the user's own (a plain
`assert` in a test) gets its family's or a generic text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: where docs/ is published; `cloudcheck_docs_url` points SARIF's help links at a mirror
DOCS_URL = "https://github.com/pytest-cloudcheck/pytest-cloudcheck/blob/main/docs/"
CHECKS_PAGE = "checks.md"

#: check id -> (what it requires, how to fix a finding)
TEXT: dict[str, tuple[str, str]] = {
    "cmk.key_vault": (
        "A Key Vault or Managed HSM that holds a customer-managed key has purge protection (and soft delete) on.",
        "Set purge_protection_enabled = true on the vault that holds the key.",
    ),
    "cmk.key_rotation": (
        "A key used as customer-managed key has an automatic rotation policy.",
        "Add a rotation_policy block with automatic { time_before_expiry = ... } to the azurerm_key_vault_key.",
    ),
    "cmk.key_expiry": (
        "A key used as customer-managed key has an expiry date (or a rotation policy that sets one).",
        "Set expiration_date, or rotation_policy.expire_after, on the key.",
    ),
    "cmk.key_strength": (
        "A key used as customer-managed key is RSA of at least cloudcheck_key_min_size bits (RSA-HSM when "
        "cloudcheck_key_hsm_only is set).",
        "Use key_type RSA or RSA-HSM with key_size 2048 or more (or the size the ini file requires).",
    ),
    "cmk.key_outside": (
        "A customer-managed key is a key of ours: a Key Vault or Managed HSM key in the inventory, not a key "
        "reached only by a URL or id from elsewhere.",
        "Manage the key in the same Terraform (or add the plan that does) so it can be judged.",
    ),
    "backup.infra_backup": (
        "No backup or replication of rebuildable infrastructure of a type added in cloudcheck_infra_backup_types.",
        "Remove the backup: infrastructure is rebuilt from code. Back up data stores only.",
    ),
    "isolation.peering": (
        "No VNet peering between a NonProd and a Prod network.",
        "Remove the peering; NonProd reaches shared services through the hub, never Prod directly.",
    ),
    "isolation.cmk_key": (
        "A NonProd resource does not use a Prod key (or the reverse) as its customer-managed key.",
        "Give each environment its own Key Vault and keys.",
    ),
    "isolation.private_endpoint": (
        "No private endpoint in one environment's network to a resource of the other environment.",
        "Put the private endpoint in a subnet of the resource's own environment.",
    ),
    "isolation.role_assignment": (
        "No identity of one environment holds a role on a scope of the other environment.",
        "Assign the role to an identity of the same environment.",
    ),
    "isolation.diagnostics": (
        "Diagnostic settings send logs to a workspace, storage account or event hub of the same environment.",
        "Point the diagnostic setting at a destination of the resource's own environment (or the shared platform).",
    ),
    "isolation.replication": (
        "No replication, geo-replica or failover link between a NonProd and a Prod resource.",
        "Replicate within one environment only.",
    ),
    "isolation.nsg_rule": (
        "No NSG rule allows traffic between NonProd and Prod address ranges.",
        "Narrow the rule's source and destination prefixes to one environment's ranges (see cloudcheck_ip_plan).",
    ),
    "isolation.firewall_rule": (
        "No firewall rule allows traffic between NonProd and Prod address ranges.",
        "Narrow the rule's source and destination addresses to one environment's ranges.",
    ),
    "environment.unclassified": (
        "Every resource has an environment: from its subscription (cloudcheck_subscriptions), its environment tag, "
        "a naming convention or its resource group.",
        "Tag the resource (or its resource group) with the environment tag and a configured value, or map its "
        "subscription in cloudcheck_subscriptions.",
    ),
    "topology.hub": (
        "The inventory has one hub VNet: the one cloudcheck_hub names, or the only VNet with a firewall.",
        "Set cloudcheck_hub (name, address, ARM id or tag key=value) in the ini file.",
    ),
    "topology.unpeered_spoke": (
        "Every spoke VNet is peered with the hub.",
        "Add the spoke-to-hub and hub-to-spoke peerings.",
    ),
    "topology.peering_one_way": (
        "Every hub-spoke peering exists in both directions.",
        "Add the missing direction of the peering.",
    ),
    "topology.spoke_to_spoke": (
        "No peering between two spokes: spokes talk through the hub.",
        "Remove the spoke-to-spoke peering; route through the hub's firewall.",
    ),
    "topology.peering_settings": (
        "Hub-spoke peerings allow forwarded traffic and use the hub's gateway as the landing zone requires.",
        "Set allow_forwarded_traffic, allow_gateway_transit (hub side) and use_remote_gateways (spoke side).",
    ),
    "topology.address_overlap": (
        "No two VNets have overlapping address spaces.",
        "Give the VNet an address space from the IP plan that no other VNet uses.",
    ),
    "topology.ip_plan": (
        "Every VNet's address space lies in its environment's ranges of cloudcheck_ip_plan.",
        "Take the address space from the environment's range in the IP plan.",
    ),
    "topology.gateway_in_spoke": (
        "VPN and ExpressRoute gateways live in the hub only.",
        "Move the gateway to the hub; spokes use it through the peering.",
    ),
    "topology.firewall_in_spoke": (
        "Azure Firewall lives in the hub only.",
        "Remove the firewall from the spoke; route through the hub's firewall.",
    ),
    "topology.bastion_in_spoke": (
        "Bastion hosts live in the hub only.",
        "Use the hub's Bastion host.",
    ),
    "topology.route_table": (
        "Every spoke subnet has a route table that sends traffic to the hub's firewall.",
        "Associate a route table with a default route to the hub firewall's private IP.",
    ),
    "topology.default_route": (
        "A spoke's default route (0.0.0.0/0) points at the hub's firewall.",
        "Set next_hop_type VirtualAppliance and next_hop_in_ip_address to the hub firewall's private IP.",
    ),
    "topology.internet_route": (
        "No spoke route sends traffic straight to the Internet.",
        "Remove the route with next_hop_type Internet; egress goes through the hub's firewall.",
    ),
    "topology.public_ip": (
        "No public IP address in a spoke.",
        "Remove the public IP; publish through the hub (firewall or application gateway).",
    ),
    "topology.subnet_nsg": (
        "Every spoke subnet has a network security group.",
        "Associate an NSG with the subnet (azurerm_subnet_network_security_group_association).",
    ),
    "sla.resource": (
        "Every Prod resource is built for the availability the SLA target (cloudcheck_sla_target) needs.",
        "Choose the SKU, redundancy or instance count that Microsoft's SLA gives the target for (see sla.md).",
    ),
    "sla.composite": (
        "Every Prod workload's composite SLA (the product over the components a request depends on) meets the target.",
        "Raise the availability of the weakest components of the workload (see sla.md).",
    ),
    "drift.unmanaged": (
        "Every live resource is managed by Terraform (present in the state).",
        "Import the resource into Terraform or remove it (ClickOps).",
    ),
    "drift.missing": (
        "Every resource in the Terraform state exists in live Azure.",
        "Re-apply the Terraform, or remove the resource from the state if it is gone on purpose.",
    ),
}


@dataclass(frozen=True, slots=True)
class CheckDoc:
    check: str
    #: one sentence: what the check requires
    summary: str
    #: how to fix a finding
    fix: str
    #: the family's docs page with the details, or None
    page: str | None
    #: a built-in id: it has a section on docs/checks.md (an id of the user's own has none)
    documented: bool = True

    @property
    def anchor(self) -> str:
        """The heading's anchor on docs/checks.md (GitHub's slug of the id)."""
        return re.sub(r"[^a-z0-9_-]", "", self.check.lower())

    def help_uri(self, base: str | None = None) -> str | None:
        """The link to the id's section on docs/checks.md; None for an id of the user's own."""
        if not self.documented:
            return None
        root = base or DOCS_URL
        return f"{root.rstrip('/')}/{CHECKS_PAGE}#{self.anchor}"

    def markdown(self, base: str | None = None) -> str:
        """The help text in Markdown; the family's page linked absolutely (code scanning shows it
        away from the docs folder)."""
        root = (base or DOCS_URL).rstrip("/")
        details = f"\n\nDetails: [{self.page}]({root}/{self.page})." if self.page else ""
        return f"{self.summary}\n\n**Fix:** {self.fix}{details}"

    def text(self) -> str:
        return f"{self.summary} Fix: {self.fix}"


def describe(check: str) -> CheckDoc:
    """What `check` requires and how to fix it (every built-in id has its own text)."""
    from .checks.registry import family_of

    family = family_of(check)
    page = family.page if family is not None else None
    if check in TEXT:
        summary, fix = TEXT[check]
    elif (derived := _derived(check)) is not None:
        summary, fix = derived
    elif check.endswith(".not_assessed"):
        title = family.title if family is not None else check.split(".", 1)[0]
        summary = (
            f"Every resource in the scope of {title} could be assessed; a resource the sources could not read "
            "fully (a coverage gap in the ledger) is not assessed, never passed."
        )
        fix = "Give the missing input (the module, the plan, the permission) the finding names, or waive the gap."
    elif family is not None:
        summary, fix = f"{family.title}: `{check}` finds nothing.", f"See {family.page}."
    else:
        summary = f"`{check}`: a check of your own (a test or a Finding of your test suite)."
        fix = "See the finding's message and the test that reported it."
    documented = family is not None and check in family.check_ids
    return CheckDoc(check, summary, fix, page, documented)


def _derived(check: str) -> tuple[str, str] | None:
    prefix, _, rest = check.partition(".")
    if prefix == "cmk":
        from .rules.cmk import RULES

        for rule in RULES:
            if rule.check == check:
                types = ", ".join(rule.types)
                return (
                    f"Data at rest in {types} is encrypted with a customer-managed key (a Key Vault or Managed HSM "
                    "key chosen by us), not a Microsoft-managed key.",
                    rule.fix[0].upper() + rule.fix[1:] + ("." if not rule.fix.endswith(".") else ""),
                )
    if prefix == "backup":
        from .checks.backups import INFRA_BACKUPS

        whats = list(dict.fromkeys(rule.what for rule in INFRA_BACKUPS if rule.check == check))
        if whats:
            return (
                f"No infrastructure backup or replication ({'; '.join(whats)}): rebuildable components are rebuilt "
                "from code, not restored from backup.",
                "Remove the backup resource; keep backups for data stores only.",
            )
    if prefix == "cost" and rest:
        return (
            f"A NonProd azurerm_{rest} pays for no SLA or durability it does not need (NonProd has no SLA).",
            "Use the cheaper SKU, redundancy or instance count named in the finding (see sla.md).",
        )
    if prefix == "overbuilt" and rest:
        return (
            f"A Prod azurerm_{rest} is not built beyond the SLA target (advisory: reported, never failing).",
            "Scale the redundancy down to what the target needs, or keep it and waive the finding with a reason.",
        )
    return None
