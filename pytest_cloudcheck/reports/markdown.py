"""The Markdown summary (`--cloudcheck-markdown`, and `$GITHUB_STEP_SUMMARY`) from the evidence document.

For pull requests and pipeline pages: the result, counts per check and outcome, findings grouped by
check, the waivers with their expiry, and the network as a Mermaid picture (hub, spokes, peerings;
violations marked). It holds no timing fields, so it reads the same on every
run over the same input.
"""

from __future__ import annotations

from typing import Any

MARK = {"failed": "FAIL", "audit": "AUDIT", "waived": "WAIVED"}
TEST_OUTCOMES = ("failed", "error", "audit", "waived", "skipped", "passed")


def write(doc: dict[str, Any], inventory: Any = None) -> str:
    """The summary file's text (its row in writers.py): the summary with the network's picture."""
    return render(doc, topology_picture(inventory))


def render(doc: dict[str, Any], picture: str | None = None) -> str:
    """The summary; `picture` is the network as a Mermaid flowchart (or a line saying why not)."""
    run = doc["run"]
    verdict = "passed" if run["result"] == "pass" else "FAILED"
    out = [f"## pytest-cloudcheck: {verdict} ({run['mode']} mode)", ""]
    tests = doc["summary"]["tests"]
    counted = [f"{tests[o]} {o}" for o in TEST_OUTCOMES if tests.get(o)]
    out.append(f"Tests: {', '.join(counted) or 'none'}.")
    if doc["sources"]:
        described = "; ".join(
            f"{s['kind']} `{_code(s['location'])}` ({s['resources']} resources)" for s in doc["sources"]
        )
        out.append(f"Sources: {described}.")
    out.append("")
    out += _coverage(doc.get("coverage") or {})
    out += _checks_table(doc["summary"]["checks"])
    out += _findings(doc["findings"])
    out += _workloads(doc.get("sla"))
    out += _waivers(doc["waivers"])
    out += _network(picture)
    return "\n".join(out).rstrip() + "\n"


def _coverage(coverage: dict[str, Any]) -> list[str]:
    """What the sources could not read, grouped by kind (before the findings: it qualifies them)."""
    gaps = coverage.get("gaps") or []
    if not gaps:
        return ["Coverage: complete (every input was read).", ""] if coverage else []
    from ..model import GAP_KINDS

    counts = "; ".join(f"{n} {GAP_KINDS.get(kind, kind)}" for kind, n in coverage["counts"].items())
    lines = [f"### Coverage: INCOMPLETE ({len(gaps)} gap{'s' if len(gaps) != 1 else ''}: {counts})", ""]
    lines.append("Checks report these as `not_assessed` findings; nothing here passed unseen.")
    lines.append("")
    lines += ["| kind | where | not read | fix |", "|---|---|---|---|"]
    lines += [f"| {_text(g['kind'])} | `{_code(g['where'])}` | {_text(g['why'])} | {_text(g['fix'])} |" for g in gaps]
    return [*lines, ""]


def _network(picture: str | None) -> list[str]:
    if not picture:
        return []
    if picture.startswith("(no picture"):
        return ["### Network", "", _text(picture), ""]
    return ["### Network", "", "```mermaid", picture.rstrip(), "```", ""]


def _checks_table(checks: dict[str, dict[str, int]]) -> list[str]:
    if not checks:
        return ["No findings.", ""]
    lines = ["| check | failed | audit | waived |", "|---|---:|---:|---:|"]
    lines += [f"| `{check}` | {c['failed']} | {c['audit']} | {c['waived']} |" for check, c in checks.items()]
    return [*lines, ""]


def _findings(findings: list[dict[str, Any]]) -> list[str]:
    if not findings:
        return []
    lines = ["### Findings", ""]
    by_check: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        by_check.setdefault(f["check"], []).append(f)
    for check, group in by_check.items():
        controls = sorted({c for f in group for c in f["controls"]})
        lines.append(f"#### `{check}`" + (f" ({', '.join(controls)})" if controls else ""))
        lines.append("")
        for f in group:
            where = f" ({_origin(f['origin'])})" if f["origin"] else ""
            line = f"- **{MARK[f['outcome']]}** `{_code(f['address'] or '(test)')}`: {_text(f['message'])}{where}"
            if f["waiver"] is not None:
                w = f["waiver"]
                line += f"; waiver #{w['number']} ({_text(w['owner'])}, until {w['expires']}): {_text(w['reason'])}"
            lines.append(line)
        lines.append("")
    return lines


def _workloads(sla: dict[str, Any] | None) -> list[str]:
    """Per Prod workload: its composite SLA next to the failures it survives (the failure ladder)."""
    if not sla or not sla["workloads"]:
        return []
    rungs = sla["rungs"]
    lines = [
        f"### Prod workloads: composite SLA (target {sla['target']:g}%) and failure ladder",
        "",
        "| workload | composite SLA | " + " | ".join(f"survives {r}" for r in rungs) + " |",
        "|---|---:|" + "---|" * len(rungs),
    ]
    for w in sla["workloads"]:
        if w["composite"] is None:
            figure = "unknown"
        else:
            figure = f"{w['composite']:.4g}%" + ("" if w["meets_target"] else " (below target)")
        marks = " | ".join(("unknown" if w["survives"] is None else "yes" if w["ladder"][r] else "no") for r in rungs)
        lines.append(f"| `{_code(w['workload'])}` | {figure} | {marks} |")
    lines.append("")
    return lines


def _waivers(waivers: dict[str, Any]) -> list[str]:
    entries = waivers["entries"]
    if not entries:
        return []
    lines = [
        f"### Waivers ({len(entries)}, `{_code(waivers['file'])}`)",
        "",
        "| # | check | address | owner | expires | status | reason |",
        "|---:|---|---|---|---|---|---|",
    ]
    for w in entries:
        lines.append(
            f"| {w['number']} | `{_code(w['check'])}` | `{_code(w['address'])}` | {_text(w['owner'])} | "
            f"{w['expires']}{' (within 30 days)' if w['expiring'] else ''} | {w['status']} | {_text(w['reason'])} |"
        )
    expired = [w for w in entries if w["status"] == "expired"]
    if expired:
        lines += ["", "**Expired waivers fail the run** until they are renewed or removed: "]
        lines[-1] += ", ".join(f"#{w['number']} (expired {w['expires']})" for w in expired) + "."
    for e in waivers["over_share"]:
        lines += [
            "",
            f"**Waivers over their share fail the run**: `{_code(e['family'])}` waives {e['waived']} of the "
            f"{e['assessed']} resources it assesses ({e['percent']:g}%, at most {waivers['max_share']:g}%).",
        ]
    return [*lines, ""]


def _origin(origin: dict[str, Any]) -> str:
    return f"`{_code(origin['file'])}:{origin['line']}`" if origin["line"] else f"`{_code(origin['file'])}`"


def _code(text: str) -> str:
    """Inside a code span: no backticks, no pipes (tables), no line breaks (they end the span and
    the table row: a `for_each` key may hold one)."""
    return _one_line(text).replace("`", "'").replace("|", "\\|")


def _text(text: str) -> str:
    """Plain text from the user's input: one line, no table pipes, no HTML, no Markdown markup."""
    text = _one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\|*_[]`#":
        text = text.replace(ch, "\\" + ch)
    return text


def _one_line(text: str) -> str:
    return " ".join(str(text).splitlines())


#: above this many VNets the Markdown summary names the count instead of drawing the network
MAX_PICTURED_VNETS = 100


def topology_picture(inventory: Any) -> str | None:
    """The Mermaid picture of the network for the Markdown summary, or a line saying why not."""
    if inventory is None or not inventory.resources("azurerm_virtual_network"):
        return None
    from ..errors import ConfigurationError
    from ..topology import topology_of

    try:
        topo = topology_of(inventory)
    except ConfigurationError as exc:
        return f"(no picture: {exc})"
    if topo.hub_problem:
        return f"(no picture: {topo.hub_problem})"
    if len(topo.vnets) > MAX_PICTURED_VNETS:
        return f"(no picture: {len(topo.vnets)} VNets are more than a picture can show; see the findings)"
    from ..checks import hub_and_spoke

    return topo.mermaid(hub_and_spoke(inventory))
