"""SARIF 2.1.0 (`--cloudcheck-sarif`) from the evidence document.

One rule per check id, with what it requires, how to fix a finding and a link to its section of
docs/checks.md (checkdocs.py; `cloudcheck_docs_url` for a mirror); one result per finding, located
at the HCL file and line where known, else at the plan file (paths as the run saw them: run pytest
from the repository root so code scanning can place them). Levels: failed -> error, audit ->
warning, waived -> note with an accepted suppression carrying the waiver. Coverage gaps and errored
tests are tool execution notifications (warning / error), located where known. `executionSuccessful`
says whether the run ran to its end (no errors, no usage error), not whether it found nothing.
Timing fields: `invocations[0].startTimeUtc` and `endTimeUtc`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from ..checkdocs import DOCS_URL, CheckDoc, describe
from ..coverage import origin_of
from ..model import Gap

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: pytest's exit statuses of a run that ran to its end: all passed, some failed, nothing collected
SUCCESSFUL_EXITS = (0, 1, 5)
LEVELS = {"failed": "error", "audit": "warning", "waived": "note"}


def build(doc: dict[str, Any], docs_url: str | None = None) -> dict[str, Any]:
    findings = doc["findings"]
    rule_ids = sorted({f["check"] for f in findings})
    controls = {check: _controls_of(check, findings) for check in rule_ids}
    rules = [_rule(describe(check), controls[check], docs_url) for check in rule_ids]
    index = {check: i for i, check in enumerate(rule_ids)}
    waivers = doc["waivers"]
    notifications = [
        {"level": "error", "message": {"text": f"waiver #{w['number']} ({w['check']} on {w['address']}) expired"}}
        for w in waivers["entries"]
        if w["status"] == "expired"
    ] + [
        {"level": "warning", "message": {"text": f"waiver #{w['number']} ({w['check']} on {w['address']}) is stale"}}
        for w in waivers["entries"]
        if w["status"] == "stale"
    ]
    notifications += [_gap_notification(gap) for gap in (doc.get("coverage") or {}).get("gaps", ())]
    errors = [t for t in doc["tests"] if t["outcome"] == "error"]
    notifications += [
        {"level": "error", "message": {"text": f"{t['nodeid']}: {t['message'] or 'error'}"}} for t in errors
    ]
    invocation: dict[str, Any] = {
        # whether the tool ran to the end, not whether it found something: findings are results
        "executionSuccessful": doc["run"]["exit_status"] in SUCCESSFUL_EXITS and not errors,
        "exitCode": doc["run"]["exit_status"],
        "startTimeUtc": doc["run"]["started"],
        "endTimeUtc": doc["run"]["finished"],
        "properties": {"mode": doc["run"]["mode"]},
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": doc["tool"]["name"],
                        "version": doc["tool"]["version"],
                        "informationUri": (docs_url or DOCS_URL).rstrip("/") + "/",
                        "rules": rules,
                    }
                },
                "invocations": [invocation],
                "results": [_result(f, index[f["check"]]) for f in findings],
            }
        ],
    }


def _rule(d: CheckDoc, controls: list[str], docs_url: str | None) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": d.check,
        "name": d.check.replace(".", "_"),
        "shortDescription": {"text": d.summary},
        "fullDescription": {"text": d.text()},
        "help": {"text": d.text(), "markdown": d.markdown(docs_url)},
    }
    help_uri = d.help_uri(docs_url)
    if help_uri is not None:  # an id of the user's own has no section on docs/checks.md
        rule["helpUri"] = help_uri
    rule["properties"] = {"tags": controls, "controls": controls}
    return rule


def dumps(doc: dict[str, Any], inventory: Any = None) -> str:
    """The report file's text (its row in writers.py); `cloudcheck_docs_url` from the run's settings."""
    settings = getattr(inventory, "settings", None)
    docs_url = settings.get("docs_url") if settings is not None else None
    return json.dumps(build(doc, docs_url or None), indent=2, ensure_ascii=False) + "\n"


def _gap_notification(gap: dict[str, Any]) -> dict[str, Any]:
    """A coverage gap: what was not read, where, and the fix (the checks' not_assessed findings
    are results of their own)."""
    notification: dict[str, Any] = {
        "level": "warning",
        "descriptor": {"id": f"coverage.{gap['kind']}"},
        "message": {"text": f"not read: {gap['where']}: {gap['why']}; {gap['fix']}"},
        "properties": {"gap": gap},
    }
    origin = origin_of(Gap.from_json(gap))
    if origin is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(origin.file)}}
        if origin.line:
            physical["region"] = {"startLine": origin.line}
        notification["locations"] = [{"physicalLocation": physical}]
    return notification


def _controls_of(check: str, findings: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(c for f in findings if f["check"] == check for c in f["controls"]))


def _result(f: dict[str, Any], rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f["check"],
        "ruleIndex": rule_index,
        "level": LEVELS[f["outcome"]],
        "kind": "fail",
        "message": {"text": f"{f['address'] or '(test)'}: {f['message']}"},
        "partialFingerprints": {
            "cloudcheckFinding/v1": hashlib.sha256(f"{f['check']}\0{f['address']}".encode()).hexdigest()
        },
        "properties": {
            "address": f["address"],
            "findingKind": f["kind"],
            "outcome": f["outcome"],
            "controls": f["controls"],
            "tests": f["tests"],
        },
    }
    location: dict[str, Any] = {"logicalLocations": [{"fullyQualifiedName": f["address"], "kind": "resource"}]}
    origin = f["origin"]
    if origin is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(origin["file"])}}
        if origin["line"]:
            physical["region"] = {"startLine": origin["line"]}
        location["physicalLocation"] = physical
    result["locations"] = [location]
    waiver = f["waiver"]
    if waiver is not None:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{waiver['reason']} (owner {waiver['owner']}, expires {waiver['expires']})",
                "properties": {"waiver": waiver["number"]},
            }
        ]
    return result


def _uri(path: str) -> str:
    """A relative path stays relative (code scanning resolves it against the repository root)."""
    pure: PurePath = PureWindowsPath(path) if "\\" in path else PurePosixPath(path)
    if pure.is_absolute():
        return PurePosixPath(*pure.parts).as_uri() if isinstance(pure, PurePosixPath) else pure.as_uri()
    return quote(pure.as_posix())
