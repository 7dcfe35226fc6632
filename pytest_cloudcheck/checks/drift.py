"""Drift between Terraform state and live Azure: `checks.unmanaged`.

"Mag ik echt niet meer klikken? Nee." With a state (`terraform show -json` of a state, given as
`--cloudcheck-plan`) and live subscriptions in one run, this lists live resources Terraform does
not manage (ClickOps) and managed resources missing live. Compared by ARM id, case-insensitively,
on top-level resources and resource groups: children ARM returns inside their parent (subnets,
peerings, rules, routes) may be inline blocks in Terraform, so they are judged through the parent.
"""

from __future__ import annotations

import re

from ..model import Finding, Findings, Inventory, Resource

CHECK_IDS = ("drift.unmanaged", "drift.missing")

#: /subscriptions/s/resourceGroups/g  or  /subscriptions/s/resourceGroups/g/providers/Ns.X/type/name
_TOP_LEVEL = re.compile(
    r"^/subscriptions/([^/]+)/resourcegroups/[^/]+(?:/providers/[^/]+/[^/]+/[^/]+)?$", re.IGNORECASE
)


def _comparable(arm_id: str | None) -> str | None:
    if not arm_id:
        return None
    normalized = arm_id.rstrip("/").lower()
    return normalized if _TOP_LEVEL.match(normalized) else None


def unmanaged(inventory: Inventory) -> Findings:
    """Live resources no state manages (`drift.unmanaged`) and managed ones missing live (`drift.missing`)."""
    live_sources = [s for s in inventory.sources if s.kind == "live"]
    states = [s for s in inventory.sources if s.kind == "state"]
    needs = [
        *(["a state (--cloudcheck-plan of `terraform show -json` of a state)"] * (not states)),
        *(["live subscriptions (--cloudcheck-subscription)"] * (not live_sources)),
    ]
    if needs:
        message = f"drift needs {' and '.join(needs)} in the same run"
        return Findings([Finding("drift.unmanaged", "(inventory)", message, kind="not_assessed")])
    read = {s.label.lower() for s in live_sources if not any(gap.kind == "scope" for gap in s.ledger)}
    whole_group = any(s.location.startswith("management group") and s.resources for s in live_sources)
    live: dict[str, Resource] = {}
    managed: dict[str, Resource] = {}
    for r in inventory:
        key = _comparable(r.id)
        if key is None:
            continue
        if r.source == "live":
            live[key] = r
        elif r.source == "state":
            managed[key] = r
    findings = [
        Finding(
            "drift.unmanaged",
            r.address,
            f"{r.arm_type} {r.name!r} exists in Azure but no Terraform state manages it; "
            "required: import it into Terraform or remove it",
        )
        for key, r in sorted(live.items())
        if key not in managed
    ]
    for key, r in sorted(managed.items()):
        if key in live:
            continue
        subscription = _TOP_LEVEL.match(key).group(1)  # type: ignore[union-attr]
        if subscription not in read and not whole_group:
            continue  # not a live scope of this run (or unreadable: reported by the source)
        findings.append(
            Finding(
                "drift.missing",
                r.address,
                f"{r.type} {r.name!r} is in the Terraform state but not in Azure (id {r.id}); "
                "required: apply the configuration or remove it from the state",
                r.origin,
            )
        )
    return Findings(findings)
