"""The `cloudcheck` section of the terminal summary, from the evidence document."""

from __future__ import annotations

from typing import Any

from ..model import Ledger
from .grouping import Group, group
from .ledger import gaps_of, ledger_lines
from .records import TEST_OUTCOMES

SHOWN = {"audit": "audited", "waived": "waived"}
#: addresses named on a repeated finding's line (the evidence report has them all)
LISTED = 5


def lines(doc: dict[str, Any]) -> list[str]:
    run = doc["run"]
    tests = doc["summary"]["tests"]
    counted = ", ".join(f"{tests[o]} {o}" for o in TEST_OUTCOMES if tests.get(o)) or "no cloudcheck tests"
    out = [f"mode {run['mode']}: {counted}"]
    checks = doc["summary"]["checks"]
    if checks:
        width = max(len("check"), *(len(c) for c in checks))
        out.append(f"{'check':<{width}}  failed  audit  waived")
        out += [f"{c:<{width}}  {n['failed']:>6}  {n['audit']:>5}  {n['waived']:>6}" for c, n in checks.items()]
    for outcome, word in SHOWN.items():
        shown = [f for f in doc["findings"] if f["outcome"] == outcome]
        if shown:
            out.append(f"{word} findings (reported, not failing the run):")
            out += [f"  {_group(g)}" for g in group(shown)]
    out += _waiver_lines(doc["waivers"], _check_ids_of_run(doc))
    gaps = gaps_of(doc)
    if gaps:  # complete coverage is said in the header; a gap is said again at the end
        out += ledger_lines(Ledger(gaps))
    return out


def _group(g: Group) -> str:
    """One finding a line; a repeated one once, with its count and the first addresses."""
    f = g.first
    text = f"{f['address'] or '(test)'}: {f['message']} [{f['check']}]"
    if len(g) > 1:
        others = g.addresses[1 : LISTED + 1]
        more = len(g) - 1 - len(others)
        text = f"{len(g)}x {text}; also {', '.join(others)}" + (f" and {more} more" if more else "")
    if f["waiver"] is not None:
        text += f" (waiver #{f['waiver']['number']}, owner {f['waiver']['owner']}, until {f['waiver']['expires']})"
    return text


def _waiver_lines(waivers: dict[str, Any], ids: set[str]) -> list[str]:
    entries = waivers["entries"]
    if waivers["file"] is None:
        return []
    from ..waiver_share import Excess  # a run without a waivers file has no share to check

    out = [f"waivers: {len(entries)} in {waivers['file']}"]
    out += [
        Excess(e["family"], e["waived"], e["assessed"]).describe(waivers["max_share"]) for e in waivers["over_share"]
    ]
    for w in entries:
        label = f"waiver #{w['number']} ({w['check']} on {w['address']}, owner {w['owner']}, expires {w['expires']})"
        if w["status"] == "expired":
            out.append(f"EXPIRED {label}: renew or remove it; the run fails while it is in the file")
        elif w["status"] == "stale":
            out.append(f"stale {label}: matches no finding of this run; remove it{_unknown_id(w['check'], ids)}")
        if w["status"] != "expired" and w["expiring"]:
            out.append(f"expiring within 30 days: {label}")
    return out


def _check_ids_of_run(doc: dict[str, Any]) -> set[str]:
    """The check ids this run could have waived: its findings' and its tests' names."""
    tests = {t["nodeid"].rpartition("::")[2].partition("[")[0] for t in doc["tests"]}
    return {f["check"] for f in doc["findings"]} | tests


def _unknown_id(check: str, ids: set[str]) -> str:
    """For a stale waiver whose check is no id of this run (a typo of a test's name): say so."""
    from ..waivers import WILDCARDS, did_you_mean

    if WILDCARDS.intersection(check) or check in ids:
        return ""
    return f" (no finding or test of this run has check = {did_you_mean(check, sorted(ids))})"
