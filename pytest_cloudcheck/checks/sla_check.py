"""checks.sla: Prod is built to its SLA target (default 99.5%), per resource and per workload.

    from pytest_cloudcheck import checks
    assert not checks.sla(cloud)

"We have an SLA of 99.5%: we don't build aeroplanes." Findings:

- `sla.resource`: a Prod (or shared platform) resource whose own financially backed SLA, for its
  SKU, tier and redundancy, is below `cloudcheck_sla_target`, or that has none (Free tiers, Basic
  SKUs); `unknown` when the SKU is known only after apply;
- `sla.composite`: a Prod workload (a resource group, or `cloudcheck_workload_tag`) whose
  composite SLA, the product over the components a request depends on and the hub path, is below
  the target; on the resource group's address (or its first member's), with each factor; `unknown`
  on a component whose workload (resource group or tag) is known only after apply;
- `sla.not_assessed`: a Prod service the table (`rules/sla.py`) has no row for, or a value it has
  no case for.

`checks.nonprod_cost` (checks/cost.py) and `checks.overbuilt` (checks/overbuilt_check.py) read the same
table; they are re-exported here.
"""

from __future__ import annotations

from ..azure_types import BY_AZURERM
from ..model import Finding, Findings, Inventory, Origin, Resource
from ..rules.sla import NO_SLA_OF_THEIR_OWN, SlaRule, describe_conditions, rule_for
from ..sla import Assessment, Workload, assess, is_factor_type, redundancy, target_of, workloads
from .cost import nonprod_cost
from .overbuilt_check import overbuilt

RESOURCE, COMPOSITE, NOT_ASSESSED = "sla.resource", "sla.composite", "sla.not_assessed"
#: judges by environment: a resource whose environment is unknown is not assessed (coverage.py)
BY_ENVIRONMENT = True
CHECK_IDS = (RESOURCE, COMPOSITE, NOT_ASSESSED)
#: environments whose resources are held to the target (the shared platform serves Prod)
HELD = ("prod", "shared")
#: kinds of the type table that are services: without a row, a Prod one is not assessed
_SERVICE_KINDS = ("data", "compute", "network")

__all__ = ["CHECK_IDS", "nonprod_cost", "not_assessed", "overbuilt", "sla"]


def sla(inventory: Inventory) -> Findings:
    """Findings for Prod resources and workloads below the SLA target (empty when all meet it)."""
    target = target_of(inventory)
    findings: list[Finding] = []
    # redundancy groups and workloads are the whole inventory's (a view holds part of them);
    # only the view's resources get findings
    whole = inventory.whole
    groups = redundancy([r for r in whole.resources() if r.environment in HELD])
    for r in inventory.resources():
        if r.environment not in HELD:
            continue
        if not is_factor_type(r.type):
            continue
        derived = groups.get(id(r), ("", {}))[1]
        finding = _resource_finding(assess(r, derived), target)
        if finding is not None:
            findings.append(finding)
    for workload in workloads(whole):
        if workload.environment == "prod" and workload.address in inventory:
            finding = _composite_finding(workload, target)
            if finding is not None:
                findings.append(finding)
    return Findings(sorted(findings, key=lambda f: (f.check, f.address)))


def check_ids(inventory: Inventory) -> list[str]:
    return list(CHECK_IDS)


def not_assessed(inventory: Inventory) -> list[Resource]:
    """Prod services with no row in the SLA table (for reports)."""
    # decided per type, not per resource: a plan has thousands of resources and a few dozen types
    types = [t for t in inventory.types if rule_for(t) is None and _unassessed_type(t)]
    return [r for r in inventory.resources(*types) if r.environment in HELD] if types else []


def _unassessed_type(tf_type: str) -> bool:
    return _service_type(tf_type) and tf_type not in NO_SLA_OF_THEIR_OWN


def _service_type(tf_type: str) -> bool:
    row = BY_AZURERM.get(tf_type)
    return row is not None and row.kind in _SERVICE_KINDS


def _name(r: Resource) -> str:
    return r.name if isinstance(r.name, str) else r.address


def _resource_finding(a: Assessment, target: float) -> Finding | None:
    r = a.resource
    rule = a.rule
    if rule is None:
        if not _unassessed_type(r.type):
            return None
        return Finding(
            NOT_ASSESSED,
            r.address,
            f"{r.type} {_name(r)} is a Prod service with no row in the SLA table: not assessed (not a pass); "
            "add a row to pytest_cloudcheck/rules/sla.py or check its SLA by hand",
            r.origin,
            kind="not_assessed",
        )
    if a.unknown is not None:
        return Finding(
            RESOURCE,
            r.address,
            f"{r.type} {_name(r)}: {a.unknown} is unknown at plan time, so its SLA is unknown "
            f"(the target is {target:g}%): not a pass",
            r.origin,
            kind="unknown",
        )
    if a.case is None:
        return Finding(
            NOT_ASSESSED,
            r.address,
            f"{r.type} {_name(r)}: the SLA table has no case for {a.shown()}: not assessed (not a pass); "
            "add the case to pytest_cloudcheck/rules/sla.py",
            r.origin,
            kind="not_assessed",
        )
    if a.sla is not None and a.sla >= target:
        return None
    found = "has no financially backed SLA" if a.sla is None else f"has a {a.sla:g}% SLA"
    names = [n for n, _ in a.case.when]
    shown = f" ({a.shown(names)})" if names else ""
    return Finding(
        RESOURCE,
        r.address,
        f"{r.type} {_name(r)} {found}{shown}: {a.case.what}; Prod needs {target:g}%{_fix(rule, target)}",
        _origin(a),
    )


def _origin(a: Assessment) -> Origin | None:
    r = a.resource
    if a.case is not None and a.case.when and a.rule is not None:
        spec = a.rule.field_by_name[a.case.when[0][0]]
        if spec.terraform:
            return r.origin_of(spec.terraform[0])
    return r.origin


def _fix(rule: SlaRule, target: float) -> str:
    """`: e.g. sku_tier = "Standard" (...)`: the row's upgrade, else its first case meeting the target."""
    if rule.upgrade:
        return f": e.g. {rule.upgrade}"
    for case in rule.cases:
        if case.sla is not None and case.sla >= target and case.when:
            return f": e.g. {describe_conditions(case.when)} ({case.sla:g}%, {case.what})"
    return ""


def _composite_finding(workload: Workload, target: float) -> Finding | None:
    result = workload.composite
    if result.known and result >= target:
        return None
    if not workload.placed:
        own, rest = workload.components[0], workload.components[-1]
        return Finding(
            COMPOSITE,
            workload.address,
            f"Prod resource {workload.address}: its workload is unknown at plan time ({rest.first.unknown} "
            f"known after apply), so the composite SLA it is a factor of is unknown (not a pass); "
            f"its own factor: {own.factor()}",
            None,
            kind="unknown",
            related=tuple(m.resource.address for m in own.members),
        )
    known = [c for c in workload.components if c.known]
    lowest = min((c.sla or 0.0 for c in known), default=None)
    weak = [c.label for c in known if (c.sla or 0.0) == lowest]
    hint = f"; weakest: {', '.join(weak)}" if weak else ""
    unknown = not result.known
    message = (
        f"Prod workload {workload.key}: composite SLA "
        + ("unknown (a factor is unknown or not assessed)" if unknown else f"below the {target:g}% target")
        + f": {result.product()}{hint}"
    )
    return Finding(
        COMPOSITE,
        workload.address,
        message,
        None,
        kind="unknown" if unknown else "violation",
        related=tuple(m.resource.address for c in workload.components for m in c.members),
    )


def judges(tf_type: str) -> bool:
    """The types this check judges (coverage gaps hiding one are `sla.not_assessed`)."""
    return tf_type not in NO_SLA_OF_THEIR_OWN and (rule_for(tf_type) is not None or _service_type(tf_type))
