"""Reports: JSON evidence (pytest_cloudcheck/data/evidence.schema.json), SARIF 2.1.0 (pydantic-sarif: models generated
from the OASIS schema), Markdown,
JUnit properties; the same content with and without pytest-xdist; no sensitive value anywhere."""

from __future__ import annotations

import copy
import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from reporting_cases import LOGS, PUBLIC, SECRET, SQUAD_TESTS, landing_plan, waiver, waivers_file

jsonschema = pytest.importorskip("jsonschema")

EVIDENCE_SCHEMA = REPO / "pytest_cloudcheck" / "data" / "evidence.schema.json"
KEYS_TESTS = """
from pytest_cloudcheck import checks

def test_cmk(cloud):
    assert not checks.cmk(cloud)
"""
OUTPUT_FILES = ("e.json", "e.sarif", "e.md", "junit.xml")
OUTPUTS = ("--cloudcheck-report", "e.json", "--cloudcheck-sarif", "e.sarif", "--cloudcheck-markdown", "e.md")


@pytest.fixture
def squad(pytester: pytest.Pytester) -> pytest.Pytester:
    landing_plan(pytester.path / "plan.json")
    pytester.makepyfile(test_squad=SQUAD_TESTS, test_keys=KEYS_TESTS)
    pytester.makeini("[pytest]\ncloudcheck_plan = plan.json\n")
    waivers_file(
        pytester.path / "w.toml",
        waiver("test_private_each", PUBLIC, 90),
        waiver("cmk.*", "azurerm_storage_account.gone", 90),
    )
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(
        "-p", "no:cacheprovider", "-p", "no:benchmark", "--cloudcheck-waivers", "w.toml", *OUTPUTS, *args
    )


def read(pytester: pytest.Pytester, name: str) -> Any:
    text = (pytester.path / name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith((".json", ".sarif")) else text


def validate_sarif(document: Any) -> None:
    """SARIF 2.1.0, checked by models generated from the OASIS schema (unknown properties refused)."""
    sarif_model = pytest.importorskip("pydantic_sarif.model")
    # pydantic-sarif was generated from a pre-errata 2.1.0 schema that lacks suppression.status
    # (SARIF 2.1.0 section 3.35.3): check that property here and the rest against the models.
    document = copy.deepcopy(document)
    for run_ in document.get("runs", []):
        for result in run_.get("results", []):
            for suppression in result.get("suppressions", []):
                assert suppression.pop("status", "accepted") in ("accepted", "underReview", "rejected")
    sarif_model.StaticAnalysisResultsFormatSarifVersion210JsonSchema.model_validate(document)


def validate(document: Any, schema_path: Path) -> None:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    errors = sorted(validator(schema, format_checker=validator.FORMAT_CHECKER).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


# -- JSON evidence ------------------------------------------------------------------------------


def test_evidence_report(squad):
    result = run(squad, "--cloudcheck-mode", "audit")
    assert result.ret == pytest.ExitCode.TESTS_FAILED  # test_broken is an error in every mode
    doc = read(squad, "e.json")
    validate(doc, EVIDENCE_SCHEMA)
    assert doc["run"]["mode"] == "audit" and doc["run"]["result"] == "fail" and doc["run"]["exit_status"] == 1
    (source,) = doc["sources"]
    assert source["kind"] == "plan" and source["location"] == "plan.json"
    assert source["sha256"] == hashlib.sha256((squad.path / "plan.json").read_bytes()).hexdigest()
    assert doc["summary"]["tests"] == {"error": 1, "failed": 0, "audit": 4, "waived": 1, "skipped": 0, "passed": 2}
    tests = {t["nodeid"]: t for t in doc["tests"]}
    assert list(tests) == sorted(tests)
    assert tests["test_squad.py::test_broken"]["outcome"] == "error"
    assert tests["test_squad.py::test_broken"]["message"] == "RuntimeError: a bug in the test, not a finding"
    assert tests["test_squad.py::test_no_public_storage"]["controls"] == ["BIO U.07.1"]
    waived = tests[f"test_squad.py::test_private_each[{PUBLIC}]"]
    assert waived["outcome"] == "waived" and waived["address"] == PUBLIC
    assert waived["findings"][0]["waiver"]["number"] == 1
    cmk = [f for f in doc["findings"] if f["check"] == "cmk.storage_account"]
    assert {f["address"] for f in cmk} == {PUBLIC, LOGS, "azurerm_storage_account.private"}
    assert all(f["controls"] == ["BIO U.05.2", "BIO U.11.3"] and f["outcome"] == "audit" for f in cmk)
    assert all(
        f["tests"] == ["test_keys.py::test_cmk"] and f["origin"] == {"file": "plan.json", "line": None} for f in cmk
    )
    assert doc["summary"]["checks"]["cmk.storage_account"] == {"failed": 0, "audit": 3, "waived": 0}
    entries = {w["number"]: w for w in doc["waivers"]["entries"]}
    assert (entries[1]["status"], entries[1]["matched"]) == ("active", 1)
    assert (entries[2]["status"], entries[2]["matched"]) == ("stale", 0)


def test_evidence_schema_rejects_a_broken_document(squad):
    run(squad, "-k", "passes")
    doc = read(squad, "e.json")
    validate(doc, EVIDENCE_SCHEMA)
    doc["tests"][0]["outcome"] = "fine"
    with pytest.raises(AssertionError, match="outcome"):
        validate(doc, EVIDENCE_SCHEMA)


# -- SARIF --------------------------------------------------------------------------------------


def test_sarif_report(squad):
    run(squad)
    sarif = read(squad, "e.sarif")
    validate_sarif(sarif)
    (sarif_run,) = sarif["runs"]
    rules = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    assert rules == sorted({"cmk.storage_account", "demo.public_storage", "test_private_each", *rules})
    assert len(rules) == len(set(rules))
    results = sarif_run["results"]
    for r in results:
        assert rules[r["ruleIndex"]] == r["ruleId"]
    by_key = {(r["ruleId"], r["properties"]["address"]): r for r in results}
    waived = by_key[("test_private_each", PUBLIC)]
    assert waived["level"] == "note" and waived["suppressions"][0]["status"] == "accepted"
    assert "PBI-1234" in waived["suppressions"][0]["justification"]
    failed = by_key[("cmk.storage_account", LOGS)]
    assert failed["level"] == "error"
    assert failed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "plan.json"
    invocation = sarif_run["invocations"][0]
    notes = invocation["toolExecutionNotifications"]
    # an errored test is a tool execution notification: the run did not run to its end
    assert [(n["level"], n["message"]["text"]) for n in notes] == [
        ("warning", "waiver #2 (cmk.* on azurerm_storage_account.gone) is stale"),
        ("error", "test_squad.py::test_broken: RuntimeError: a bug in the test, not a finding"),
    ]
    assert invocation["exitCode"] == 1 and invocation["executionSuccessful"] is False
    rule = sarif_run["tool"]["driver"]["rules"][rules.index("cmk.storage_account")]
    required = (
        "Data at rest in azurerm_storage_account is encrypted with a customer-managed key (a Key Vault or "
        "Managed HSM key chosen by us), not a Microsoft-managed key."
    )
    fix = "Add a customer_managed_key block or an azurerm_storage_account_customer_managed_key."
    docs = "https://github.com/pytest-cloudcheck/pytest-cloudcheck/blob/main/docs/"
    assert rule["shortDescription"] == {"text": required}
    assert rule["fullDescription"] == {"text": f"{required} Fix: {fix}"}
    assert rule["help"] == {
        "text": f"{required} Fix: {fix}",
        "markdown": f"{required}\n\n**Fix:** {fix}\n\nDetails: [cmk.md]({docs}cmk.md).",
    }
    assert rule["helpUri"] == f"{docs}checks.md#cmkstorage_account"
    own = sarif_run["tool"]["driver"]["rules"][rules.index("demo.public_storage")]
    assert own["fullDescription"]["text"] == (
        "`demo.public_storage`: a check of your own (a test or a Finding of your test suite). "
        "Fix: See the finding's message and the test that reported it."
    )
    assert "helpUri" not in own  # no section on docs/checks.md


def test_sarif_execution_successful_with_findings_and_docs_url(squad):
    """Findings are results, not a tool failure: a run that fails on findings ran successfully;
    `cloudcheck_docs_url` points the help links at a mirror."""
    squad.makeini("[pytest]\ncloudcheck_plan = plan.json\ncloudcheck_docs_url = https://docs.example/cc\n")
    result = run(squad, "-k", "not broken")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    (sarif_run,) = read(squad, "e.sarif")["runs"]
    invocation = sarif_run["invocations"][0]
    assert invocation["executionSuccessful"] is True and invocation["exitCode"] == 1
    assert [n["level"] for n in invocation["toolExecutionNotifications"]] == ["warning"]  # the stale waiver
    driver = sarif_run["tool"]["driver"]
    assert driver["informationUri"] == "https://docs.example/cc/"
    (rule,) = [r for r in driver["rules"] if r["id"] == "cmk.storage_account"]
    assert rule["helpUri"] == "https://docs.example/cc/checks.md#cmkstorage_account"
    assert rule["help"]["markdown"].endswith("Details: [cmk.md](https://docs.example/cc/cmk.md).")


def test_sarif_locates_hcl_findings_at_file_and_line(pytester):
    (pytester.path / "tf").mkdir()
    (pytester.path / "tf" / "main.tf").write_text(
        'resource "azurerm_resource_group" "rg" {\n  name     = "rg-a"\n  location = "westeurope"\n}\n\n'
        'resource "azurerm_storage_account" "sa" {\n  name                = "sta"\n'
        "  resource_group_name = azurerm_resource_group.rg.name\n  location = azurerm_resource_group.rg.location\n"
        '  account_tier = "Standard"\n  account_replication_type = "LRS"\n}\n',
        encoding="utf-8",
    )
    pytester.makepyfile(KEYS_TESTS)
    pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-hcl", "tf", "--cloudcheck-sarif", "e.sarif")
    sarif = read(pytester, "e.sarif")
    validate_sarif(sarif)
    (result,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "cmk.storage_account"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "tf/main.tf" and physical["region"]["startLine"] == 6


# -- Markdown and JUnit -------------------------------------------------------------------------


def test_markdown_summary_and_github_step_summary(squad, monkeypatch):
    summary = squad.path / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run(squad)
    text = read(squad, "e.md")
    assert text.startswith("## pytest-cloudcheck: FAILED (deny mode)\n")
    assert "Tests: 4 failed, 1 error, 1 waived, 2 passed." in text
    assert "| `cmk.storage_account` | 3 | 0 | 0 |" in text
    assert "#### `cmk.storage_account` (BIO U.05.2, BIO U.11.3)" in text
    assert f"- **WAIVED** `{PUBLIC}`: stpublic is public" in text
    assert "| 2 | `cmk.*` | `azurerm_storage_account.gone` | squad-a |" in text and "| stale |" in text
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + text + "\n"


def junit_properties(path: Path) -> dict[str, list[tuple[str | None, str | None]]]:
    cases = {c.get("name"): c for c in ET.parse(path).getroot().iter("testcase")}
    return {name: [(p.get("name"), p.get("value")) for p in case.iter("property")] for name, case in cases.items()}


def test_junit_properties_carry_controls_and_outcome(squad):
    run(squad, "--junitxml", "junit.xml")
    props = junit_properties(squad.path / "junit.xml")
    assert ("cloudcheck_control", "BIO U.05.2") in props["test_cmk"]
    assert ("cloudcheck_outcome", "failed") in props["test_cmk"]
    assert ("cloudcheck_control", "BIO U.07.1") in props["test_no_public_storage"]
    assert ("cloudcheck_outcome", "waived") in props[f"test_private_each[{PUBLIC}]"]


# -- xdist and sensitive values -----------------------------------------------------------------


def _without_timing(doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for key in ("started", "finished", "duration_seconds"):
        doc["run"].pop(key)
    doc["waivers"].pop("as_of")
    return doc


def _sarif_without_timing(doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for key in ("startTimeUtc", "endTimeUtc"):
        doc["runs"][0]["invocations"][0].pop(key)
    return doc


@pytest.mark.parametrize("mode", ["deny", "audit"])
def test_reports_identical_with_and_without_xdist(squad, mode):
    """The reports (and JUnit properties) of a `-n 2` run equal those of a plain run, timing fields
    aside; the plain run's content is checked in detail above."""
    pytest.importorskip("xdist")
    outputs = []
    for extra in ((), ("-p", "xdist", "-n", "2")):
        result = run(squad, "--cloudcheck-mode", mode, "--junitxml", "junit.xml", *extra)
        evidence, sarif = read(squad, "e.json"), read(squad, "e.sarif")
        validate(evidence, EVIDENCE_SCHEMA)
        validate_sarif(sarif)
        assert not [name for name in OUTPUT_FILES if SECRET in (squad.path / name).read_text(encoding="utf-8")]
        assert SECRET not in result.stdout.str()
        junit = junit_properties(squad.path / "junit.xml")
        outputs.append(
            (result.ret, _without_timing(evidence), _sarif_without_timing(sarif), read(squad, "e.md"), junit)
        )
    assert outputs[0] == outputs[1]
    assert outputs[1][1]["summary"]["tests"]["error"] == 1


def test_the_baseline_under_xdist_reports_the_same_and_no_secret(squad):
    """The baseline alone under `-n 2` (its families computed by the controller, read by the workers,
    served.py): the same reports as a serial run, and no sensitive value in any output."""
    pytest.importorskip("xdist")
    outputs = []
    for extra in ((), ("-p", "xdist", "-n", "2")):
        result = run(
            squad,
            "--cloudcheck-mode",
            "audit",
            "--junitxml",
            "junit.xml",
            "--pyargs",
            "pytest_cloudcheck.baseline",
            *extra,
        )
        assert SECRET not in result.stdout.str() + result.stderr.str()
        assert not [name for name in OUTPUT_FILES if SECRET in (squad.path / name).read_text(encoding="utf-8")]
        outputs.append((result.ret, _without_timing(read(squad, "e.json")), read(squad, "e.md")))
    assert outputs[0] == outputs[1]
    assert outputs[0][1]["findings"]  # the baseline found something to report


def test_no_output_contains_a_sensitive_value(squad):
    result = run(squad, "--junitxml", "junit.xml", "-rA", "-vv")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "(sensitive)" in (squad.path / "e.json").read_text(encoding="utf-8")  # the assert was reported
    texts = {"stdout": result.stdout.str(), "stderr": result.stderr.str()}
    for name in OUTPUT_FILES:
        texts[name] = (squad.path / name).read_text(encoding="utf-8")
    assert SECRET in (squad.path / "plan.json").read_text(encoding="utf-8")  # planted
    leaks = [name for name, text in texts.items() if SECRET in text]
    assert not leaks


# -- real plans ---------------------------------------------------------------------------------


def test_reports_over_every_real_plan():
    """Findings of every built-in check on every real plan make valid evidence, SARIF and Markdown."""
    import datetime as dt

    from conftest import REAL_PLANS

    from pytest_cloudcheck import checks
    from pytest_cloudcheck.outcomes import finding_record
    from pytest_cloudcheck.reports import Reporting, evidence, markdown, sarif, terminal
    from pytest_cloudcheck.settings import Settings
    from pytest_cloudcheck.sources import build_inventory

    plans = sorted(REAL_PLANS.glob("*.json")) if REAL_PLANS.is_dir() else []
    if not plans:
        pytest.skip(f"{REAL_PLANS} not found")
    evidence_schema = json.loads(EVIDENCE_SCHEMA.read_text(encoding="utf-8"))
    total = 0
    for plan in plans:
        settings = Settings(plan=[plan], allow_empty=True)
        inventory = build_inventory(settings)
        reporting = Reporting.from_settings(settings)
        for name, check in sorted(checks.ALL.items()):
            found = check(inventory)
            records = [finding_record(f, reporting.waivers) for f in found]
            for record in records:
                record["outcome"] = "audit"
            outcome = "audit" if records else "passed"
            reporting.results.add(
                {
                    "nodeid": f"{plan.name}::{name}",
                    "when": "call",
                    "outcome": outcome,
                    "controls": [],
                    "address": None,
                    "findings": records,
                    "message": None,
                }
            )
            total += len(records)
        doc = evidence.build(reporting, inventory, 0, dt.datetime.now(dt.timezone.utc))
        jsonschema.validate(doc, evidence_schema, format_checker=jsonschema.FormatChecker())
        validate_sarif(sarif.build(doc))
        assert markdown.render(doc).startswith("## pytest-cloudcheck: passed")
        assert terminal.lines(doc)[0].startswith("mode deny:")
    assert total > 0


def test_sarif_validator_refuses_invalid_documents():
    """The validator used above can fail: a wrong version and an unknown level are refused."""
    pydantic = pytest.importorskip("pydantic")
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": []}]}
    validate_sarif(good)
    for broken in (
        {**good, "version": "2.0.0"},
        {
            **good,
            "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}],
        },
    ):
        with pytest.raises(pydantic.ValidationError):
            validate_sarif(broken)


# -- findings that read well: grouped, led by the finding, shown in JUnit ------------------------

STORAGE_CMK = "azurerm_storage_account 'stprivate' uses a Microsoft-managed key"
STORAGE_ACCOUNTS = ("azurerm_storage_account.private", PUBLIC, LOGS)


def junit_results(path: Path) -> dict[str | None, tuple[str, str | None]]:
    """Per test case: the tag of its result (failure, skipped, passed) and its message."""
    out: dict[str | None, tuple[str, str | None]] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        result = next((e for e in case if e.tag in ("failure", "error", "skipped")), None)
        out[case.get("name")] = ("passed", None) if result is None else (result.tag, result.get("message"))
    return out


def test_repeated_findings_are_one_line_in_markdown_and_terminal(squad):
    result = run(squad, "--cloudcheck-mode", "audit")
    text = read(squad, "e.md")
    (line,) = [line for line in text.splitlines() if "uses a Microsoft-managed key" in line and "storage" in line]
    assert line.startswith(
        "- **AUDIT** 3 resources, e.g. `azurerm_storage_account.private`: "
        "azurerm\\_storage\\_account 'stprivate' uses a Microsoft-managed key (no "
    )
    assert "  - all 3: " + ", ".join(f"`{a}`" for a in STORAGE_ACCOUNTS) in text.splitlines()
    logs = LOGS.replace("[", "[[]")  # fnmatch: a literal [
    result.stdout.fnmatch_lines(
        [f"  3x azurerm_storage_account.private: {STORAGE_CMK}*[[]cmk.storage_account]; also {PUBLIC}, {logs}"]
    )
    # different names in the same words are grouped; different words are not
    from pytest_cloudcheck.reports.grouping import group

    def finding(address: str, message: str) -> dict[str, Any]:
        return {"check": "c.x", "outcome": "audit", "kind": "violation", "waiver": None, "message": message,
                "address": address}  # fmt: skip

    groups = group([finding("a.b", "vnet 'x-1' overlaps 10.0.0.0/16"), finding("a.c", "vnet 'y' overlaps 10.1.0.0/24"),
                    finding("a.d", "vnet 'y' is unpeered")])  # fmt: skip
    assert [g.addresses for g in groups] == [["a.b", "a.c"], ["a.d"]]


@pytest.mark.parametrize("mode", ["deny", "audit"])
def test_junit_shows_findings_and_failures_lead_with_the_finding(squad, mode):
    """Audited and waived tests are JUnit skips whose message is their findings (Azure DevOps and
    GitHub reporters show it; a pass shows nothing); a failure's message is its first finding. The
    same under pytest-xdist (the report's longrepr survives the trip from the worker)."""
    pytest.importorskip("xdist")
    seen = []
    for extra in ((), ("-p", "xdist", "-n", "2")):
        run(squad, "--cloudcheck-mode", mode, "--junitxml", "junit.xml", *extra)
        seen.append(junit_results(squad.path / "junit.xml"))
    assert seen[0] == seen[1]
    results = seen[0]
    public = "azurerm_storage_account.public: storage account stpublic allows public network access; required: false"
    logs = f"{LOGS}: storage account stlogs allows public network access; required: false [demo.public_storage]"
    waived = ("skipped", f"WAIVED: {PUBLIC}: stpublic is public [test_private_each]  (waived by waiver #1 until ")
    assert results[f"test_private_each[{PUBLIC}]"][0] == waived[0]
    assert (results[f"test_private_each[{PUBLIC}]"][1] or "").startswith(waived[1])
    assert results["test_broken"] == ("failure", "RuntimeError: a bug in the test, not a finding")
    assert results["test_passes"] == ("passed", None)
    if mode == "audit":
        assert results["test_no_public_storage"] == (
            "skipped",
            f"AUDIT: {public} [demo.public_storage] (+1 more finding(s))\n  {logs}",
        )
        assert results[f"test_private_each[{LOGS}]"] == (
            "skipped",
            f"AUDIT: {LOGS}: stlogs is public [test_private_each]",
        )
    else:
        assert results["test_no_public_storage"] == (
            "failure",
            f"{public} [demo.public_storage] (plan.json) (+1 more; 2 finding(s))",
        )
        assert results[f"test_private_each[{LOGS}]"] == (
            "failure",
            "AssertionError: stlogs is public\nassert True is False",
        )


def test_markdown_summary_of_the_real_plans_fits_a_pull_request(pytester):
    """The baseline on the 45 real plans together: one Markdown summary under 60,000 characters
    (a pull-request comment holds 65,536) that still lists every finding, grouped, and names the
    full report; past a smaller limit it says how many findings it leaves out and where they are."""
    from conftest import REAL_PLANS

    from pytest_cloudcheck.reports import markdown

    if not REAL_PLANS.is_dir():
        pytest.skip(f"{REAL_PLANS} not found")
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "--pyargs", "pytest_cloudcheck.baseline", f"--cloudcheck-plan={REAL_PLANS}",
        "--cloudcheck-mode", "audit", "--cloudcheck-markdown", "s.md", "--cloudcheck-report", "e.json",
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.OK
    text, doc = read(pytester, "s.md"), read(pytester, "e.json")
    assert len(text) < markdown.LIMIT
    assert "Full report (every finding, test and waiver): `e.json`." in text
    assert "more finding(s) not shown" not in text
    counted = 0
    for line in text.splitlines():
        if line.startswith("- **AUDIT** "):
            head = line.removeprefix("- **AUDIT** ")
            counted += int(head.split(" ", 1)[0]) if " resources, e.g. `" in head else 1
    assert counted == len(doc["findings"]) > 500
    # 549 resources without an environment read as a few lines (one per message shape)
    unclassified = sum(1 for f in doc["findings"] if f["check"] == "environment.unclassified")
    section = text.split("#### `environment.unclassified`", 1)[1].split("\n#### ", 1)[0]
    heads = [line for line in section.splitlines() if line.startswith("- **AUDIT** ")]
    assert unclassified > 500 and 1 <= len(heads) <= 3
    assert " resources, e.g. `" in heads[0] and int(heads[0].split(" ", 3)[2]) > 500
    small = markdown.render(doc, full_report="e.json", limit=8_000)
    assert len(small) <= 8_000
    (left,) = [line for line in small.splitlines() if "more finding(s) not shown" in line]
    shown = sum(
        int(line.split(" ", 3)[2]) if " resources, e.g. `" in line else 1
        for line in small.splitlines()
        if line.startswith("- **AUDIT** ")
    )
    assert left == (
        f"**{len(doc['findings']) - shown} more finding(s) not shown** (size limit of this summary): "
        "every one is in `e.json`."
    )
