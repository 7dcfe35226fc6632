"""checks.overbuilt: Prod built for fault tolerance beyond its SLA target (advisory).

    from pytest_cloudcheck import checks
    findings = checks.overbuilt(cloud)   # the baseline's test_overbuilt is audit-marked

"We don't build aeroplanes": high availability up to the target is enough. One finding per Prod
resource and thing built beyond it (multi-region writes, geo-zone-redundant storage, database
replicas in more regions), naming what meets the target for less. Check ids
`overbuilt.<azurerm type without azurerm_>`; the entries are the `beyond` of the rows in
`rules/sla.py`.
"""

from __future__ import annotations

from ..model import Finding, Findings, Inventory
from ..rules.sla import RULES, SlaRule
from ..sla import assess, holds, target_of
from .extras import extra_findings


def check_of(rule: SlaRule) -> str:
    return "overbuilt." + rule.types[0].removeprefix("azurerm_")


#: judges by environment: a resource whose environment is unknown is not assessed (coverage.py)
BY_ENVIRONMENT = True
CHECK_IDS = tuple(dict.fromkeys(check_of(rule) for rule in RULES if rule.beyond))


def overbuilt(inventory: Inventory) -> Findings:
    """Advisory findings for Prod resources built beyond the target (empty when none are)."""
    target = target_of(inventory)
    findings: list[Finding] = []
    for r in inventory.resources():
        if r.environment != "prod":
            continue
        a = assess(r)
        if a.rule is None or not a.rule.beyond:
            continue
        findings += extra_findings(
            a,
            a.rule.beyond,
            check_of(a.rule),
            holds,
            lead="Prod is built beyond its target with",
            tail=f"the target is {target:g}%, met for less with",
        )
    return Findings(sorted(findings, key=lambda f: (f.check, f.address, f.message)))


def check_ids(inventory: Inventory) -> list[str]:
    present = {check_of(rule) for t in inventory.types for rule in RULES if t in rule.types and rule.beyond}
    return [c for c in CHECK_IDS if c in present] or list(CHECK_IDS[:1])


def judges(tf_type: str) -> bool:
    """The types this check judges (coverage gaps hiding one are `overbuilt.not_assessed`)."""
    return any(tf_type in rule.types and rule.beyond for rule in RULES)
