"""The Markdown summary (`--cloudcheck-markdown`, and `$GITHUB_STEP_SUMMARY`) from the evidence document.

For pull requests and pipeline pages: the result, counts per check and outcome, findings grouped by
check (repeated findings as one line with a count and the addresses behind it), the waivers with
their expiry, and the network as a Mermaid picture (hub, spokes, peerings; violations marked). It
holds no timing fields, so it reads the same on every run over the same input.

It always fits a pull-request comment (65,536 characters): past `LIMIT` it names the sources by
count, lists fewer addresses per group, drops the picture and then the findings that do not fit,
saying how many and where the full list is (the JSON evidence report).
"""

from __future__ import annotations

from typing import Any

from .grouping import Group, group
from .records import TEST_OUTCOMES

MARK = {"failed": "FAIL", "audit": "AUDIT", "waived": "WAIVED"}
#: the summary's size limit in characters (a GitHub pull-request comment holds 65,536)
LIMIT = 60_000
#: addresses listed per group when the whole summary does not fit
SHORT_LIST = 10
#: sources named one by one up to this many when the summary does not fit
SHORT_SOURCES = 5


def write(doc: dict[str, Any], inventory: Any = None) -> str:
    """The summary file's text (its row in writers.py): the summary with the network's picture, and
    the JSON evidence report named as the full list when one is written."""
    settings = getattr(inventory, "settings", None)
    report = settings.get("report") if settings is not None else None
    return render(doc, topology_picture(inventory), full_report=None if report is None else str(report))


def render(doc: dict[str, Any], picture: str | None = None, full_report: str | None = None, limit: int = LIMIT) -> str:
    """The summary; `picture` is the network as a Mermaid flowchart (or a line saying why not);
    `full_report` the path of the evidence report that holds every finding."""
    findings = group(doc["findings"])
    for compact in (False, True):
        text = _assemble(doc, picture, findings, full_report, compact)
        if len(text) <= limit:
            return text
    picture = "(no picture: the summary is at its size limit)" if picture else None
    text = _assemble(doc, picture, findings, full_report, True)
    if len(text) <= limit:
        return text
    # keep as many groups as fit (the most that do, by halving), then say how many findings are left out
    low, high = 0, len(findings)
    while low < high:
        middle = (low + high + 1) // 2
        left_out = len(doc["findings"]) - sum(len(g) for g in findings[:middle])
        if len(_assemble(doc, picture, findings[:middle], full_report, True, left_out)) <= limit:
            low = middle
        else:
            high = middle - 1
    left_out = len(doc["findings"]) - sum(len(g) for g in findings[:low])
    return _assemble(doc, picture, findings[:low], full_report, True, left_out)


def _assemble(
    doc: dict[str, Any],
    picture: str | None,
    groups: list[Group],
    full_report: str | None,
    compact: bool,
    left_out: int = 0,
) -> str:
    run = doc["run"]
    verdict = "passed" if run["result"] == "pass" else "FAILED"
    out = [f"## pytest-cloudcheck: {verdict} ({run['mode']} mode)", ""]
    tests = doc["summary"]["tests"]
    counted = [f"{tests[o]} {o}" for o in TEST_OUTCOMES if tests.get(o)]
    out.append(f"Tests: {', '.join(counted) or 'none'}.")
    out += _sources(doc["sources"], compact)
    if full_report is not None:
        out.append(f"Full report (every finding, test and waiver): `{_code(full_report)}`.")
    out.append("")
    out += _coverage(doc.get("coverage") or {})
    out += _checks_table(doc["summary"]["checks"])
    out += _findings(groups, compact)
    if left_out:
        where = f"`{_code(full_report)}`" if full_report else "the JSON evidence report (`--cloudcheck-report PATH`)"
        out += [f"**{left_out} more finding(s) not shown** (size limit of this summary): every one is in {where}.", ""]
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


def _sources(sources: list[dict[str, Any]], compact: bool) -> list[str]:
    if not sources:
        return []
    if compact and len(sources) > SHORT_SOURCES:
        kinds = sorted({s["kind"] for s in sources})
        total = sum(s["resources"] or 0 for s in sources)
        return [f"Sources: {len(sources)} {'/'.join(kinds)} sources ({total} resources; listed in the full report)."]
    described = "; ".join(f"{s['kind']} `{_code(s['location'])}` ({s['resources']} resources)" for s in sources)
    return [f"Sources: {described}."]


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


def _findings(groups: list[Group], compact: bool) -> list[str]:
    if not groups:
        return []
    lines = ["### Findings", ""]
    by_check: dict[str, list[Group]] = {}
    for g in groups:
        by_check.setdefault(g.first["check"], []).append(g)
    for check, members in by_check.items():
        controls = sorted({c for g in members for f in g.findings for c in f["controls"]})
        lines.append(f"#### `{check}`" + (f" ({', '.join(controls)})" if controls else ""))
        lines.append("")
        for g in members:
            lines += _group_lines(g, compact)
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


def _group_lines(g: Group, compact: bool) -> list[str]:
    """One finding a line; a repeated one as one line with its count, and the addresses below it."""
    f = g.first
    where = f" ({_origin(f['origin'])})" if f["origin"] else ""
    waiver = ""
    if f["waiver"] is not None:
        w = f["waiver"]
        waiver = f"; waiver #{w['number']} ({_text(w['owner'])}, until {w['expires']}): {_text(w['reason'])}"
    if len(g) == 1:
        return [f"- **{MARK[f['outcome']]}** `{_code(f['address'] or '(test)')}`: {_text(f['message'])}{where}{waiver}"]
    head = f"- **{MARK[f['outcome']]}** {len(g)} resources, e.g. `{_code(f['address'] or '(test)')}`: "
    addresses = g.addresses
    shown = addresses[:SHORT_LIST] if compact else addresses
    more = f" and {len(addresses) - len(shown)} more (in the full report)" if len(shown) < len(addresses) else ""
    listed = ", ".join(f"`{_code(a)}`" for a in shown)
    return [f"{head}{_text(f['message'])}{where}{waiver}", f"  - all {len(g)}: {listed}{more}"]


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
