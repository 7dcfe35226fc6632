"""checks.nonprod_cost: NonProd pays for no SLA or durability it does not have.

    from pytest_cloudcheck import checks
    assert not checks.nonprod_cost(cloud)

"NonProd has no SLA; if you need an SLA, it is Prod." One finding per NonProd resource and thing
it pays for without needing it (geo-redundant storage, zone redundancy, paid uptime tiers,
Business Critical databases, geo-redundant backups, standby servers, more than one instance),
each naming the cheaper setting. Check ids `cost.<azurerm type without azurerm_>`; the entries
are the `costs` of the rows in `rules/sla.py`. A value unknown at plan time that decides an entry
is an `unknown` finding.
"""

from __future__ import annotations

from ..model import Finding, Findings, Inventory
from ..rules.sla import RULES, SlaRule
from ..sla import Assessment, assess, holds, redundancy
from .extras import extra_findings

#: a row holding Linux and Windows machines names a Windows one by its own type (its finding and
#: waiver say "windows"); the old id stays valid in waivers (RENAMED, deprecated)
WINDOWS_TYPES = frozenset({"azurerm_windows_virtual_machine", "azurerm_windows_virtual_machine_scale_set"})


def check_of(rule: SlaRule, tf_type: str | None = None) -> str:
    named = tf_type if tf_type in WINDOWS_TYPES and tf_type in rule.types else rule.types[0]
    return "cost." + named.removeprefix("azurerm_")


#: judges by environment: a resource whose environment is unknown is not assessed (coverage.py)
BY_ENVIRONMENT = True
CHECK_IDS = tuple(dict.fromkeys(check_of(rule, t) for rule in RULES if rule.costs for t in rule.types))
#: check ids that were renamed: id -> the old id a waiver may still name for it
RENAMED: dict[str, str] = {
    check_of(rule, t): check_of(rule) for rule in RULES if rule.costs for t in rule.types if t in WINDOWS_TYPES
}


def nonprod_cost(inventory: Inventory) -> Findings:
    """Findings for NonProd resources paying for SLA or durability (empty when none do)."""
    groups = redundancy([r for r in inventory.whole.resources() if r.environment == "nonprod"])
    findings: list[Finding] = []
    for r in inventory.resources():
        if r.environment != "nonprod":
            continue
        a: Assessment = assess(r, groups.get(id(r), ("", {}))[1])
        if a.rule is None or not a.rule.costs:
            continue
        findings += extra_findings(
            a, a.rule.costs, check_of(a.rule, r.type), holds, lead="NonProd pays for", tail="NonProd has no SLA: use"
        )
    return Findings(sorted(findings, key=lambda f: (f.check, f.address, f.message)))


def check_ids(inventory: Inventory) -> list[str]:
    present = {check_of(rule, t) for t in inventory.types for rule in RULES if t in rule.types and rule.costs}
    return [c for c in CHECK_IDS if c in present] or list(CHECK_IDS[:1])


def judges(tf_type: str) -> bool:
    """The types this check judges (coverage gaps hiding one are `cost.not_assessed`)."""
    return any(tf_type in rule.types and rule.costs for rule in RULES)
