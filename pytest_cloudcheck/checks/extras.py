"""Findings for the `costs` / `beyond` entries of SLA rows that apply to a resource (shared by
checks.nonprod_cost and checks.overbuilt)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..model import Finding, Origin
from ..rules.sla import Extra
from ..sla import Assessment


def extra_findings(
    a: Assessment,
    extras: Iterable[Extra],
    check: str,
    holds: Callable[[Extra, Assessment], bool | None],
    *,
    lead: str,
    tail: str,
) -> list[Finding]:
    r = a.resource
    name = r.name if isinstance(r.name, str) else r.address
    out: list[Finding] = []
    for extra in extras:
        verdict = holds(extra, a)
        if verdict is False:
            continue
        names = [n for n, _ in extra.when]
        shown = f" ({a.shown(names)})" if names else ""
        if verdict is None:
            out.append(
                Finding(
                    check,
                    r.address,
                    f"{r.type} {name}: whether it pays for {extra.what} is unknown at plan time{shown}: not a pass",
                    r.origin,
                    kind="unknown",
                )
            )
            continue
        out.append(
            Finding(
                check,
                r.address,
                f"{r.type} {name}: {lead} {extra.what}{shown}; {tail} {extra.instead}",
                _origin(a, names),
            )
        )
    return out


def _origin(a: Assessment, names: list[str]) -> Origin | None:
    r = a.resource
    if a.rule is not None and names:
        spec = a.rule.field_by_name[names[0]]
        if spec.terraform and not spec.derived:
            return r.origin_of(spec.terraform[0])
    return r.origin
