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
    notes = sarif_run["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == ["waiver #2 (cmk.* on azurerm_storage_account.gone) is stale"]


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
