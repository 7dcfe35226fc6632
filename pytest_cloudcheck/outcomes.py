"""The outcome of a cloudcheck test: passed, failed, audit, waived, skipped or error.

Decided per phase where the test runs (a pytest-xdist worker, or the only process) and carried to
the controller on the report itself (`report.cloudcheck`, plain JSON data), so reports read the
same with and without xdist.

- A failed assertion in a cloudcheck test is a *finding*: the Findings it truth-tested, or (for a
  plain `assert`) one finding whose check id is the test function's name and whose address is the
  `resource` under test. An assertion is about the Findings only when it was raised in the
  statement that truth-tested them (`assert not checks.cmk(cloud)`, or an `if findings:` around a
  `raise AssertionError`); any other failed assertion of the test is a plain-assert finding too, so
  a waiver of the findings never hides it.
- Every finding covered by an unexpired waiver: WAIVED. Otherwise, in audit mode (the run's mode or
  `@pytest.mark.audit`): AUDIT. Both are reported and do not fail the run.
- Anything else that goes wrong (setup, teardown, an exception other than AssertionError) is an
  error in every mode.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, get_args

import pytest

from .asserted import FindingsAssertion, Sink
from .controls import control_marker, controls_for_check, merge
from .session import NEEDS_SOURCE
from .waivers import Waivers

if TYPE_CHECKING:  # the model loads with the first source, not with every test's report
    from .model import Finding, Inventory

#: most severe first; a test's outcome is the most severe of its phases
Outcome = Literal["error", "failed", "audit", "waived", "skipped", "passed"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
#: outcomes of our own in the terminal: category, short letter, verbose word
TEST_STATUS: dict[str, tuple[str, str, str]] = {
    "audit": ("audit", "A", "AUDIT"),
    "waived": ("waived", "W", "WAIVED"),
}
MAX_MESSAGE = 500


class Context(NamedTuple):
    """What deciding an outcome needs from the run."""

    mode: str
    waivers: Waivers
    inventory: Inventory | None
    asserted: dict[str, Sink]


def is_cloudcheck_test(item: pytest.Item, asserted: dict[str, Sink]) -> bool:
    return bool(
        NEEDS_SOURCE.intersection(getattr(item, "fixturenames", ()))
        or item.get_closest_marker("control") is not None
        or item.get_closest_marker("audit") is not None
        or item.nodeid in asserted
    )


def declared_controls(item: pytest.Item) -> tuple[str, ...]:
    """`@pytest.mark.control` ids, then those of a built-in check id the test is parametrised by (the
    baseline's `test_cmk[cmk.storage_account]`): evidence for a control also when the test passes."""
    marked = [control_marker(*m.args) for m in item.iter_markers("control")]
    params = getattr(getattr(item, "callspec", None), "params", {})
    checks = [controls_for_check(v) for v in params.values() if isinstance(v, str) and "." in v]
    return merge(*marked, *checks)


def worst(*outcomes: Outcome) -> Outcome:
    return min(outcomes, key=OUTCOMES.index)


class Verdict(NamedTuple):
    """What a failed assertion of a cloudcheck test's call phase comes to."""

    outcome: str
    #: the findings' records (`finding_record`), each with its own outcome
    findings: list[dict[str, Any]]
    #: the report's failure text, when it is the findings' (None: pytest's own report of the assertion)
    longrepr: Any


#: the verdict on a call phase, worked out once (the report's maker and `on_report` both ask)
_VERDICT: pytest.StashKey[tuple[pytest.CallInfo[None], Verdict]] = pytest.StashKey()


def on_report(item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport, ctx: Context) -> None:
    """Decide this phase's outcome, adjust the report (audit / waived do not fail) and attach the record."""
    if not is_cloudcheck_test(item, ctx.asserted):
        return
    controls = declared_controls(item)
    findings: list[dict[str, Any]] = []
    message = None
    if report.skipped:
        outcome = "skipped"
    elif report.passed:
        outcome = "passed"
    elif _failed_assertion(call):
        outcome, findings, longrepr = verdict(item, call, ctx)
        if outcome in ("audit", "waived"):
            # Does not fail the run; the terminal shows AUDIT / WAIVED (teststatus). The report is a
            # skip with the findings as its reason: JUnit gets <skipped message="...">, which Azure
            # DevOps' Tests tab and GitHub's JUnit reporters show (a pass would show no text).
            report.outcome = "skipped"
        if longrepr is not None:  # otherwise pytest's own report of the assertion
            report.longrepr = longrepr
    else:
        outcome = "error"
        message = _first_line(call.excinfo.exconly()) if call.excinfo is not None else None
    if _VERDICT in item.stash:  # the findings are the report's now
        del item.stash[_VERDICT]
    controls = merge(controls, *(f["controls"] for f in findings))
    for props in (item.user_properties, report.user_properties):  # teardown's report is already built
        _add_properties(props, call.when, controls, outcome)
    report.cloudcheck = {  # type: ignore[attr-defined]
        "nodeid": item.nodeid,
        "when": call.when,
        "outcome": outcome,
        "controls": list(controls),
        "address": _resource_address(item),
        "findings": findings,
        "message": message,
    }


def _failed_assertion(call: pytest.CallInfo[None]) -> bool:
    return call.when == "call" and call.excinfo is not None and isinstance(call.excinfo.value, AssertionError)


def verdict(item: pytest.Item, call: pytest.CallInfo[None], ctx: Context) -> Verdict:
    """The findings of a failed assertion in the call phase, their outcome and the report's text."""
    cached = item.stash.get(_VERDICT, None)
    if cached is not None and cached[0] is call:
        return cached[1]
    assert call.excinfo is not None
    asserted = _asserted(item, ctx)
    about = bool(asserted) and _about_findings(call.excinfo, ctx.asserted[item.nodeid])
    if not about:
        asserted = [*asserted, _from_assertion(item, call, ctx)]  # an assertion of its own
    findings = [finding_record(f, ctx.waivers) for f in asserted]
    outcome = _finding_outcome(item, findings, ctx)
    for record in findings:
        record["outcome"] = "waived" if record["waiver"] is not None else outcome
    longrepr: Any = None
    if outcome in ("audit", "waived"):
        longrepr = (*_test_location(item), _shown(outcome, findings))
    elif about:
        longrepr = _longrepr(item, asserted, findings)
    result = Verdict(outcome, findings, longrepr)
    item.stash[_VERDICT] = (call, result)
    return result


def report_of_findings(item: pytest.Item, call: pytest.CallInfo[None], ctx: Context) -> pytest.TestReport | None:
    """The call phase's report when its failure text will be the findings (`on_report`); None:
    pytest makes it. pytest's own would format the traceback first, reading and parsing the test's
    source (~0.4 ms a failure), only for that text to be replaced."""
    if not _failed_assertion(call) or not is_cloudcheck_test(item, ctx.asserted):
        return None
    if item.get_closest_marker("xfail") is not None:
        return None  # pytest's xfail handling reads its own report
    if verdict(item, call, ctx).longrepr is None:
        return None
    excinfo, call.excinfo = call.excinfo, None  # every other field as pytest fills it
    try:
        report = pytest.TestReport.from_item_and_call(item, call)
    finally:
        call.excinfo = excinfo
    report.outcome = "failed"
    return report


def _asserted(item: pytest.Item, ctx: Context) -> list[Finding]:
    groups = ctx.asserted.get(item.nodeid) or ()
    return list(dict.fromkeys(f for group in groups for f in group))


def _about_findings(excinfo: pytest.ExceptionInfo[BaseException], sink: Sink) -> bool:
    """Was this assertion raised where the test truth-tested non-empty findings (same statement)?"""
    if isinstance(excinfo.value, FindingsAssertion):
        return True
    tb = excinfo.tb
    while tb.tb_next is not None:
        tb = tb.tb_next
    filename = tb.tb_frame.f_code.co_filename
    lines = {line for file, line in sink.sites if file == filename}
    if tb.tb_lineno in lines:  # raised on the line that truth-tested them: no need to parse the file
        return True
    return bool(lines) and any(
        first <= line <= last for first, last in _statement_spans(filename, tb.tb_lineno) for line in lines
    )


def _statement_spans(filename: str, lineno: int) -> list[tuple[int, int]]:
    """The lines of the innermost statement holding `lineno`, and the test line of each `if` /
    `while` around it; just that line when the source cannot be read."""
    tree = _parsed(filename)
    spans = [(lineno, lineno)]
    if tree is None:
        return spans
    node: ast.AST = tree
    while True:
        inner = [
            child
            for child in ast.iter_child_nodes(node)
            if isinstance(child, (ast.stmt, ast.excepthandler))
            and child.lineno <= lineno <= (child.end_lineno or child.lineno)
        ]
        if not inner:
            break
        node = inner[0]
        if isinstance(node, (ast.If, ast.While)):
            spans.append((node.test.lineno, node.test.end_lineno or node.test.lineno))
    if isinstance(node, ast.stmt):
        spans.append((node.lineno, node.end_lineno or node.lineno))
    return spans


@functools.lru_cache(maxsize=64)
def _parsed(filename: str) -> ast.Module | None:
    try:
        return ast.parse(Path(filename).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None


def _test_name(item: pytest.Item) -> str:
    return getattr(item, "originalname", None) or item.name


def _finding_outcome(item: pytest.Item, findings: list[dict[str, Any]], ctx: Context) -> str:
    if all(f["waiver"] is not None for f in findings):
        return "waived"
    if ctx.mode == "audit" or item.get_closest_marker("audit") is not None:
        return "audit"
    return "failed"


def _from_assertion(item: pytest.Item, call: pytest.CallInfo[None], ctx: Context) -> Finding:
    """A plain `assert` that failed: one finding about the resource under test (if any)."""
    from .model import Finding, Origin

    address = _resource_address(item) or ""
    resource = ctx.inventory.get(address) if ctx.inventory is not None and address else None
    origin = resource.origin if resource is not None else None
    if origin is None:
        path, line, _ = item.reportinfo()
        origin = Origin(str(path), (line or 0) + 1)
    assert call.excinfo is not None
    text = str(call.excinfo.value) or "assertion failed"
    return Finding(_test_name(item), address, _first_line(text), origin)


@functools.lru_cache(maxsize=1024)
def _finding_controls(own: tuple[str, ...], check: str) -> tuple[str, ...]:
    # a family's thousands of findings share a handful of (controls, check) pairs
    return merge(own, controls_for_check(check))


def finding_record(f: Finding, waivers: Waivers) -> dict[str, Any]:
    waiver = waivers.active(f.check, f.address)
    expired = waivers.expired_for(f.check, f.address) if waiver is None else None
    return {
        "check": f.check,
        "address": f.address,
        "message": f.message,
        "kind": f.kind,
        "origin": None if f.origin is None else {"file": f.origin.file, "line": f.origin.line},
        "related": list(f.related),
        "controls": list(_finding_controls(f.controls, f.check)),
        "outcome": "failed",
        "waiver": None if waiver is None else waiver.to_json(),
        "expired_waiver": None if expired is None else expired.to_json(),
    }


def _shown(outcome: str, records: list[dict[str, Any]]) -> str:
    """An audited or waived test's findings, first finding first (its JUnit skip message)."""
    word = "AUDIT" if outcome == "audit" else "WAIVED"
    lines = [f"{r['address'] or '(test)'}: {r['message']} [{r['check']}]{_waiver_note(r)}" for r in records]
    more = f" (+{len(records) - 1} more finding(s))" if len(records) > 1 else ""
    return "\n".join([f"{word}: {lines[0]}{more}", *(f"  {line}" for line in lines[1:])])


def _waiver_note(record: dict[str, Any]) -> str:
    if record["waiver"] is not None:
        return f"  (waived by waiver #{record['waiver']['number']} until {record['waiver']['expires']})"
    if record["expired_waiver"] is not None:
        return f"  (waiver #{record['expired_waiver']['number']} expired {record['expired_waiver']['expires']})"
    return ""


def _longrepr(item: pytest.Item, asserted: list[Finding], records: list[dict[str, Any]]) -> Any:
    """The failure, leading with its first finding (pytest's short summary and JUnit's `message`
    show that line), then one finding a line (waived ones say so), then the test's location."""
    from _pytest._code.code import ReprEntryNative, ReprExceptionInfo, ReprFileLocation, ReprTraceback

    path, line = _test_location(item)
    waived = sum(1 for r in records if r["waiver"] is not None)
    count = f"{len(asserted)} finding(s)" + (f", {waived} waived" if waived else "")
    # the head is the first finding that fails the test (a waived one does not)
    lead = next((i for i, r in enumerate(records) if r["waiver"] is None), 0)
    first = f"{asserted[lead]}{_waiver_note(records[lead])}"
    head = first if len(asserted) == 1 else f"{first} (+{len(asserted) - 1} more; {count})"
    lines = [f"{count}:\n"]
    lines += [f"  {finding}{_waiver_note(record)}\n" for finding, record in zip(asserted, records, strict=True)]
    lines.append(f"test: {path}:{line}\n")
    crash = ReprFileLocation(path, line, head)
    return ReprExceptionInfo(reprtraceback=ReprTraceback([ReprEntryNative(lines)], None, "native"), reprcrash=crash)


def _test_location(item: pytest.Item) -> tuple[str, int]:
    """The test's file (relative to the rootdir, or absolute when outside it: the installed
    baseline) and its 1-based line."""
    path, line, _ = item.location
    if path.startswith(".."):
        path = str(item.path)
    return path, (line or 0) + 1


def _resource_address(item: pytest.Item) -> str | None:
    for name, value in getattr(item, "user_properties", ()):
        if name == "cloudcheck_address":
            return str(value)
    return None


def _add_properties(props: list[tuple[str, object]], when: str, controls: tuple[str, ...], outcome: str) -> None:
    """Controls and outcome as JUnit XML properties (pytest copies user_properties to the reports,
    also under xdist)."""
    present = {value for name, value in props if name == "cloudcheck_control"}
    props.extend(("cloudcheck_control", c) for c in controls if c not in present)
    if when == "call" or outcome in ("skipped", "error"):
        props[:] = [p for p in props if p[0] != "cloudcheck_outcome"]
        props.append(("cloudcheck_outcome", outcome))


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def teststatus(report: pytest.TestReport) -> tuple[str, str, str] | None:
    """AUDIT / WAIVED in the terminal for the call phase that carries them."""
    record = getattr(report, "cloudcheck", None)
    if report.when != "call" or not isinstance(record, dict):
        return None
    return TEST_STATUS.get(record.get("outcome", ""))
