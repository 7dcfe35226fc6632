"""The coverage ledger: what sources could not read is recorded once (kind, where, why, fix),
shown in the report header and the evidence, and shared by every view of the inventory."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from pytest_cloudcheck.model import GAP_KINDS, Gap, Inventory, Ledger, Resource, SourceInfo

REPO = Path(__file__).resolve().parent.parent

ROOT_WITH_REGISTRY_MODULE = """
resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = "westeurope"
  tags     = { environment = "prod" }
}

module "hub" {
  source  = "Azure/avm-ptn-hubnetworking/azurerm"
  version = "0.5.0"
}

resource "azurerm_network_security_group" "per_subnet" {
  for_each            = var.subnets
  name                = "nsg-${each.key}"
  resource_group_name = azurerm_resource_group.rg.name
  tags                = { environment = "prod" }
}

variable "subnets" {}
"""

CLOUD_TEST = """
def test_reads_the_cloud(cloud):
    assert len(cloud) >= 1
"""


def _write_root(pytester: pytest.Pytester) -> Path:
    root = pytester.path / "infra"
    root.mkdir()
    (root / "main.tf").write_text(textwrap.dedent(ROOT_WITH_REGISTRY_MODULE))
    return root


def test_header_counts_and_lists_every_gap_grouped(pytester: pytest.Pytester) -> None:
    _write_root(pytester)
    pytester.makepyfile(CLOUD_TEST)
    result = pytester.runpytest("--cloudcheck-hcl", "infra", "--cloudcheck-report", "evidence.json")
    result.stdout.fnmatch_lines(
        [
            "cloudcheck: coverage: INCOMPLETE, 2 gaps: 1 modules not read; 1 count / for_each not known*",
            "cloudcheck:   modules not read (1):",
            "cloudcheck:     infra/main.tf:8: module.hub (source 'Azure/avm-ptn-hubnetworking/azurerm') was not read:"
            " no .terraform/modules/modules.json; run `terraform init -backend=false` in the root module first",
            "cloudcheck:   count / for_each not known: read as one instance [*] (1):",
            "cloudcheck:     infra/main.tf:13: for_each of azurerm_network_security_group.per_subnet is not known*",
        ]
    )
    coverage = json.loads((pytester.path / "evidence.json").read_text())["coverage"]
    assert coverage["complete"] is False
    assert coverage["counts"] == {"module": 1, "instances": 1}
    assert [(g["kind"], g["address"], g["types"]) for g in coverage["gaps"]] == [
        ("module", "module.hub", []),
        ("instances", "azurerm_network_security_group.per_subnet[*]", ["azurerm_network_security_group"]),
    ]


def test_complete_run_says_so(pytester: pytest.Pytester) -> None:
    root = pytester.path / "infra"
    root.mkdir()
    (root / "main.tf").write_text('resource "azurerm_resource_group" "rg" {\n  name = "rg"\n}\n')
    pytester.makepyfile(CLOUD_TEST)
    result = pytester.runpytest("--cloudcheck-hcl", "infra", "--cloudcheck-report", "evidence.json")
    result.stdout.fnmatch_lines(["cloudcheck: coverage: complete (no gaps in the ledger)"])
    coverage = json.loads((pytester.path / "evidence.json").read_text())["coverage"]
    assert coverage == {"complete": True, "counts": {}, "gaps": []}


def _resource(address: str, env: str, tf_type: str = "azurerm_storage_account") -> Resource:
    r = Resource(address=address, type=tf_type, values={"name": address}, source="plan", source_label="p")
    r.environment = env
    return r


def test_views_share_the_ledger_and_see_only_the_gaps_that_touch_them() -> None:
    info = SourceInfo("plan", "p.json", label="p")
    info.ledger.record("module", "main.tf:3", "module.hub not read", "init", address="module.hub")
    star = "azurerm_storage_account.s[*]"
    info.ledger.record("instances", "main.tf:9", "unknown", "set it", address=star, types=["azurerm_storage_account"])
    inventory = Inventory([_resource(star, "prod"), _resource("x.y", "nonprod")], sources=[info])
    assert [(g.kind, g.address, g.types, g.source) for g in inventory.ledger] == [
        ("module", "module.hub", (), "p"),
        ("instances", star, ("azurerm_storage_account",), "p"),
    ]
    prod, nonprod = inventory.only("prod"), inventory.only("nonprod")
    assert prod.ledger is inventory.ledger is nonprod.ledger
    assert [g.kind for g in inventory.ledger.touching(prod)] == ["module", "instances"]
    assert [g.kind for g in inventory.ledger.touching(nonprod)] == ["module"]  # the [*] is prod's
    assert [g.kind for g in inventory.ledger.touching(prod, lambda t: t == "azurerm_key_vault")] == ["module"]


def test_a_misspelt_kind_is_refused_and_equal_gaps_are_kept_once() -> None:
    with pytest.raises(ValueError, match=r"Gap.kind 'modul' is not one of module"):
        Gap("modul", "x", "y", "z")
    ledger = Ledger()
    ledger.record("key", "k", "not read", "grant")
    ledger.record("key", "k", "not read", "grant")
    assert len(ledger) == 1 and ledger.summary() == "1 gap: 1 keys not read"


def test_evidence_schema_names_every_kind_of_gap() -> None:
    schema = json.loads((REPO / "pytest_cloudcheck" / "data" / "evidence.schema.json").read_text())
    kinds = schema["properties"]["coverage"]["properties"]["gaps"]["items"]["properties"]["kind"]["enum"]
    assert kinds == list(GAP_KINDS)


CHECKS_TESTS = """
import pytest
from pytest_cloudcheck import checks

def test_cmk(cloud):
    assert not checks.cmk(cloud)

def test_topology(cloud):
    assert not checks.hub_and_spoke(cloud)

def test_plain(cloud):
    assert len(cloud) >= 1

@pytest.mark.resources("azurerm_resource_group")
def test_each_group(resource):
    assert resource.name

@pytest.mark.resources("azurerm_network_security_group")
def test_each_nsg(resource):
    assert resource.type
"""


def test_checks_and_tests_over_an_incomplete_scope_fail(pytester: pytest.Pytester) -> None:
    _write_root(pytester)
    pytester.makepyfile(CHECKS_TESTS)
    result = pytester.runpytest("--cloudcheck-hcl", "infra", "-v", "--cloudcheck-report", "evidence.json")
    result.stdout.fnmatch_lines(
        [
            "*::test_cmk FAILED*",
            "*::test_topology FAILED*",
            "*::test_plain FAILED*",
            "*::test_each_group?azurerm_resource_group.rg? PASSED*",
            "*::test_each_group?cloudcheck-unread? FAILED*",
            "*::test_each_nsg?azurerm_network_security_group.per_subnet?*?? FAILED*",
            "*::test_each_nsg?cloudcheck-unread? FAILED*",
        ]
    )
    doc = json.loads((pytester.path / "evidence.json").read_text())
    by_test = {
        t["nodeid"].split("::")[1]: sorted((f["check"], f["address"]) for f in t["findings"]) for t in doc["tests"]
    }
    star = "azurerm_network_security_group.per_subnet[*]"
    assert by_test == {
        "test_cmk": [("cmk.not_assessed", "module.hub")],  # an NSG is not CMK's business
        "test_topology": [("topology.not_assessed", star), ("topology.not_assessed", "module.hub")],
        "test_plain": [("coverage.instances", star), ("coverage.module", "module.hub")],
        "test_each_group[azurerm_resource_group.rg]": [],
        "test_each_group[cloudcheck-unread]": [("coverage.module", "module.hub")],
        f"test_each_nsg[{star}]": [("coverage.instances", star)],
        "test_each_nsg[cloudcheck-unread]": [("coverage.module", "module.hub")],
    }


def test_a_waiver_accepts_a_known_gap_and_audit_mode_reports_it(pytester: pytest.Pytester) -> None:
    _write_root(pytester)
    pytester.makepyfile(CHECKS_TESTS)
    pytester.path.joinpath("waivers.toml").write_text(
        textwrap.dedent(
            """
            [[waiver]]
            check = "cmk.not_assessed"
            address = "module.hub"
            reason = "hub module is checked in its own repository; PBI-7"
            owner = "platform"
            expires = 2099-01-01
            """
        )
    )
    result = pytester.runpytest(
        "--cloudcheck-hcl", "infra", "-v", "-k", "cmk", "--cloudcheck-waivers", "waivers.toml",
        "-o", "cloudcheck_waiver_max_days=100000",
    )  # fmt: skip
    result.stdout.fnmatch_lines(["*::test_cmk WAIVED*"])
    result = pytester.runpytest("--cloudcheck-hcl", "infra", "--cloudcheck-mode", "audit")
    assert result.ret == 0
    assert result.parseoutcomes() == {"passed": 1, "audit": 6}


def test_every_report_lists_the_gaps(pytester: pytest.Pytester) -> None:
    _write_root(pytester)
    pytester.makepyfile(CLOUD_TEST)
    result = pytester.runpytest(
        "--cloudcheck-hcl", "infra", "--cloudcheck-sarif", "out.sarif", "--cloudcheck-markdown", "summary.md"
    )
    # the terminal summary says it again at the end, counted and grouped
    result.stdout.fnmatch_lines(
        [
            "*- cloudcheck -*",
            "mode deny: 1 failed",
            "*",
            "coverage: INCOMPLETE, 2 gaps: 1 modules not read; 1 count / for_each not known*",
            "  modules not read (1):",
            "    infra/main.tf:8: module.hub *",
        ]
    )
    run = json.loads((pytester.path / "out.sarif").read_text())["runs"][0]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [(n["descriptor"]["id"], n["locations"][0]["physicalLocation"]["region"]["startLine"]) for n in notes] == [
        ("coverage.module", 8),
        ("coverage.instances", 13),
    ]
    assert {r["ruleId"] for r in run["results"]} == {"coverage.module", "coverage.instances"}
    summary = (pytester.path / "summary.md").read_text()
    assert "### Coverage: INCOMPLETE (2 gaps: 1 modules not read; 1 count / for_each not known" in summary
    assert "| module | `infra/main.tf:8` | module.hub (source 'Azure/avm-ptn-hubnetworking/azurerm')" in summary
