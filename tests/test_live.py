"""Live mode against a fake Azure (HTTPS on 127.0.0.1, real SDK clients, real wire formats).

The fake serves the example landing zone converted to ARM JSON (tests/fakeazure/). Every test
runs with name resolution limited to loopback, so nothing can leave 127.0.0.1.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fakeazure import FakeAzure, Landing
from fakeazure.convert import FOLDED
from fakeazure.fixtures import HUB, NONPROD, PROD, live_inventory
from fakeazure.harness import LANDING_PLANS

EXAMPLE_TESTS = LANDING_PLANS.parent / "tests"
CONFTEST = """
from fakeazure.harness import StaticCredential

CREDENTIAL = StaticCredential()

def pytest_cloudcheck_credential(config):
    return CREDENTIAL
"""


def live_args(fake: FakeAzure, *subs: str) -> list[str]:
    args = ["-p", "no:cacheprovider", "--cloudcheck-arm-endpoint", fake.url]
    for sub in subs or (HUB, PROD, NONPROD):
        args += ["--cloudcheck-subscription", sub]
    return args


class Verdicts:
    """Collects the outcome of every test of an in-process run, by node id."""

    def __init__(self) -> None:
        self.outcomes: dict[str, str] = {}
        self.errors: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or report.outcome != "passed":
            outcome = "error" if report.when != "call" and report.failed else report.outcome
            self.outcomes.setdefault(report.nodeid, outcome) if report.when != "call" else None
            if report.when == "call":
                self.outcomes[report.nodeid] = outcome
            if report.failed:
                self.errors[report.nodeid] = str(report.longrepr)


# ---------------------------------------------------------------------------------------------
# a whole run


def test_live_run_reads_the_landing_zone_and_is_read_only(pytester: pytest.Pytester, azure: FakeAzure) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_live_zone="""
        import pytest
        from pytest_cloudcheck import checks

        @pytest.mark.source("live")
        def test_cmk(cloud):
            assert not checks.cmk(cloud)

        def test_every_resource_is_live_and_arm_shaped(cloud):
            assert {r.source for r in cloud} == {"live"}
            assert {r.schema for r in cloud} == {"arm"}
            assert all(r.address == r.id for r in cloud)
            assert len(cloud.resources("Microsoft.KeyVault/vaults/keys")) == 20

        @pytest.mark.resources("azurerm_storage_account")
        def test_storage_uses_a_key_vault_key(resource):
            assert resource.get("properties.encryption.keySource") == "Microsoft.Keyvault"

        def test_credential_fixture_is_the_one_used(cloudcheck_credential):
            assert cloudcheck_credential.scopes
        """
    )
    result = pytester.runpytest(*live_args(azure))
    result.assert_outcomes(passed=3 + 9)  # 9 storage accounts
    result.stdout.fnmatch_lines([f"cloudcheck: live subscription {HUB}: * resources*"])
    methods = {(r.method, r.path.lower()) for r in azure.traffic if r.method != "GET"}
    assert methods == {("POST", "/providers/microsoft.resourcegraph/resources")}
    assert {r.method for r in azure.traffic} == {"GET", "POST"}
    assert not [r for r in azure.traffic if r.status >= 400 and r.status != 401]


def _run_examples(pytester: pytest.Pytester, *args: str) -> Verdicts:
    verdicts = Verdicts()
    squad = pytester.path / "squad"
    if not squad.exists():
        shutil.copytree(EXAMPLE_TESTS, squad, ignore=shutil.ignore_patterns("__pycache__"))
    pytester.makeini(_example_ini())
    # importlib: suite modules imported by plain name (`from test_topology import ...` in
    # test_topology_plugin.py) would clash with the squad's same-named modules under prepend
    # ("import file mismatch": the collection error that once needed --continue-on-collection-errors)
    options = ["-p", "no:cacheprovider", "--import-mode=importlib"]
    result = pytester.runpytest(str(squad), *options, *args, plugins=[verdicts])
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), result.stdout.str()[-2000:]
    return verdicts


def _example_ini() -> str:
    """examples/pytest.ini without its plan paths and test paths (the run gives its own)."""
    import configparser

    parser = configparser.ConfigParser()
    parser.read(EXAMPLE_TESTS.parents[1] / "pytest.ini")
    kept = {k: v for k, v in parser["pytest"].items() if k not in ("cloudcheck_plan", "testpaths")}
    return "[pytest]\n" + "".join(f"{k} = {v}\n" for k, v in kept.items())


def _source_neutral(nodeid: str, ids: dict[str, str]) -> str:
    """A test id with the resource in it as its ARM id, so plan and live ids compare."""
    name, _, param = nodeid.partition("[")
    if not param:
        return nodeid
    address = param[:-1]
    return f"{name}[{ids.get(address, address).lower()}]"


#: the only squad test instances whose verdict may differ between plan and live:
#: (test function, Terraform address suffix of the instance) -> why one side cannot know.
#: Empty: every squad test reads what both sources know (a test that told the two sides of a
#: peering apart by Terraform address now asks for the resource group, which live knows too).
ALLOWED_DIFFERENCES: dict[tuple[str, str], str] = {}


def _allowed(plan_nodeid: str) -> bool:
    name, _, param = plan_nodeid.split("::")[-1].partition("[")
    return any(name == test and param[:-1].endswith(suffix) for test, suffix in ALLOWED_DIFFERENCES)


def test_example_squad_tests_have_the_same_verdicts_on_plan_and_live(
    pytester: pytest.Pytester, azure: FakeAzure
) -> None:
    landing: Landing = azure.landing  # type: ignore[attr-defined]
    plans = [str(LANDING_PLANS / f) for f in ("hub.json", "spokes-prod.json", "spokes-nonprod.json")]
    on_plan = _run_examples(pytester, *[a for p in plans for a in ("--cloudcheck-plan", p)])
    pytester.makeconftest(CONFTEST)
    on_live = _run_examples(pytester, *live_args(azure))
    plan = {_source_neutral(k, landing.ids): v for k, v in on_plan.outcomes.items()}
    live = {_source_neutral(k, landing.ids): v for k, v in on_live.outcomes.items()}
    allowed = {_source_neutral(k, landing.ids) for k in on_plan.outcomes if _allowed(k)}
    assert set(plan.values()) <= {"passed", "skipped"}, on_plan.errors
    assert set(live) == set(plan), "live runs other test instances than the plan"
    differ = sorted(k for k in plan if live[k] != plan[k])
    assert [k for k in differ if k not in allowed] == [], {k: on_live.errors.get(k, "")[-400:] for k in differ}
    assert set(differ) == allowed, "an allowed difference no longer differs: drop it from the list"
    # the source-neutral tests and the Terraform-attribute tests both run (none skipped on one side only)
    assert {k.split("::")[-1].split("[")[0] for k, v in live.items() if v == "passed"} >= {
        "test_cmk_everywhere",
        "test_hub_and_spoke_guardrails",
        "test_key_rotates_and_expires",
        "test_storage_has_a_managed_identity_for_its_key",
        "test_default_route_goes_to_the_hub_firewall",
        "test_os_disk_uses_a_disk_encryption_set",
    }
    print(f"same verdict on plan and live: {len(plan) - len(differ)} of {len(plan)}; allowed differences: {differ}")


def test_cmk_check_agrees_between_plan_and_live(azure: FakeAzure, monkeypatch: pytest.MonkeyPatch) -> None:
    from pytest_cloudcheck import checks

    live = live_inventory(azure)
    assert checks.cmk(live) == []
    # a key vault without purge protection and a storage account on Microsoft-managed keys, live
    rows = azure.rows[PROD]
    vault = next(r for r in rows if r["name"] == "kv-zaanstad-prod-weu")
    storage = next(r for r in rows if r["name"] == "stzaanstadproddata")
    vault["properties"] = {**vault["properties"], "enablePurgeProtection": False}
    storage["properties"] = {**storage["properties"], "encryption": {"keySource": "Microsoft.Storage"}}
    findings = checks.cmk(live_inventory(azure))
    assert sorted((f.check, f.address.rsplit("/", 1)[-1]) for f in findings) == [
        ("cmk.key_vault", "kv-zaanstad-prod-weu"),
        ("cmk.storage_account", "stzaanstadproddata"),
    ]


# ---------------------------------------------------------------------------------------------
# paging and request counts


def test_ten_thousand_resources_cost_ten_graph_requests_and_two_vault_reads_per_key(azure: FakeAzure) -> None:
    from pytest_cloudcheck.sources import live

    sub = "0b5e7d9f-0000-4000-8000-000000010000"
    group = f"/subscriptions/{sub}/resourceGroups/rg-big"
    vault_id = f"{group}/providers/Microsoft.KeyVault/vaults/kv-big-prod-weu"
    vault_url = f"https://kv-big-prod-weu.vault.azure.net:{azure.port}/"
    keys = [f"cmk-{i}" for i in range(5)]
    rows: list[dict[str, Any]] = [
        {
            "id": vault_id,
            "name": "kv-big-prod-weu",
            "type": "microsoft.keyvault/vaults",
            "location": "westeurope",
            "tags": {},
            "properties": {"vaultUri": vault_url, "enablePurgeProtection": True},
        },
    ]
    for i in range(9_999):
        rows.append(
            {
                "id": f"{group}/providers/Microsoft.Storage/storageAccounts/st{i:05d}",
                "name": f"st{i:05d}",
                "type": "microsoft.storage/storageaccounts",
                "location": "westeurope",
                "tags": {"environment": "test"},  # nonprod: no diagnostic-settings GETs (those are per prod resource)
                "properties": {
                    "encryption": {
                        "keySource": "Microsoft.Keyvault",
                        "keyvaultproperties": {"keyvaulturi": vault_url, "keyname": keys[i % len(keys)]},
                    }
                },
            }
        )
    azure.rows[sub] = rows
    template = next(iter(azure.keys.values()))
    for key in keys:
        azure.keys[("kv-big-prod-weu", key)] = json.loads(json.dumps(template))
    inventory = live_inventory(azure, sub)
    assert len(inventory) == 10_000 + len(keys)
    graph = azure.count(method="POST", path="resourcegraph")
    vault_gets = [r for r in azure.traffic if r.host.startswith("kv-big-prod-weu")]
    authorized = [r for r in vault_gets if r.authorized]
    print(
        f"10k resources: {graph} Resource Graph requests, {len(authorized)} Key Vault reads for {len(keys)} keys "
        f"(+{len(vault_gets) - len(authorized)} unauthenticated challenge), stats {live.LAST}"
    )
    assert graph == 10
    assert live.LAST.arm_requests == 0
    # one key read + one rotation-policy read per key, plus the vault's one 401 challenge at most
    assert len(authorized) == 2 * len(keys)
    assert len(vault_gets) - len(authorized) <= 1


def test_paging_follows_skip_tokens(azure: FakeAzure) -> None:
    from pytest_cloudcheck.sources.live import graph as live_graph

    rows = azure.rows[PROD]
    inventory = live_inventory(azure, PROD)
    assert {r.id for r in inventory if r.arm_type != "Microsoft.KeyVault/vaults/keys"} >= {r["id"] for r in rows}
    old = live_graph.PAGE_SIZE
    live_graph.PAGE_SIZE = 7
    try:
        azure.traffic.clear()
        small_pages = live_inventory(azure, PROD)
    finally:
        live_graph.PAGE_SIZE = old
    assert azure.count(method="POST", path="resourcegraph") == -(-len(rows) // 7)
    assert sorted(r.address for r in small_pages) == sorted(r.address for r in inventory)


# ---------------------------------------------------------------------------------------------
# faults


def test_throttling_is_waited_out_within_the_budget(azure: FakeAzure) -> None:
    from pytest_cloudcheck.sources import live

    azure.faults.throttle = 2
    inventory = live_inventory(azure, HUB)
    assert len(inventory) > 0
    assert live.LAST.throttled == 2
    assert azure.count(method="POST", path="resourcegraph") == 3


def test_throttling_beyond_the_budget_is_a_usage_error(pytester: pytest.Pytester, azure: FakeAzure) -> None:
    azure.faults.throttle = 100
    azure.faults.resets_after = "00:05:00"
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile("def test_x(cloud):\n    pass\n")
    result = pytester.runpytest(*live_args(azure, HUB), "-o", "cloudcheck_live_time_budget=5")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [f"ERROR: cloudcheck: live Azure: nothing could be read: subscription {HUB}: throttled by Resource Graph*"]
    )


def test_forbidden_subscription_is_reported_and_fails_every_test_it_may_hide(
    pytester: pytest.Pytester, azure: FakeAzure
) -> None:
    azure.faults.forbidden_subscriptions = {NONPROD}
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        """
        import pytest
        from pytest_cloudcheck import checks

        def test_cmk(cloud):
            assert not checks.cmk(cloud)

        @pytest.mark.resources("azurerm_key_vault")
        def test_vault_purge_protection(resource):
            assert resource.get("properties.enablePurgeProtection") is True
        """
    )
    result = pytester.runpytest(*live_args(azure), "-v")
    # the hub's and prod's vaults pass; cmk and the vaults nonprod may hold fail on the gap
    result.assert_outcomes(passed=4, failed=2)
    result.stdout.fnmatch_lines(
        [
            "cloudcheck: coverage: INCOMPLETE, 1 gap: 1 subscriptions or scopes not read",
            f"cloudcheck:     subscription {NONPROD}: could not be read (HTTP 403 AuthorizationFailed:*",
            "*::test_cmk FAILED*",
            "*::test_vault_purge_protection?cloudcheck-unread? FAILED*",
        ]
    )
    result.stdout.fnmatch_lines(
        [f"*/subscriptions/{NONPROD}: not assessed: could not be read (HTTP 403*?cmk.not_assessed?"]
    )


def test_unreadable_key_vault_errors_the_checks_that_need_it(pytester: pytest.Pytester, azure: FakeAzure) -> None:
    azure.faults.forbidden_vaults = {"kv-zaanstad-prod-weu"}
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        """
        import pytest
        from pytest_cloudcheck import checks

        def test_cmk(cloud):
            assert not checks.cmk(cloud)

        @pytest.mark.resources("azurerm_virtual_network")
        def test_vnet_has_an_address_space(resource):
            assert resource.get("properties.addressSpace.addressPrefixes")
        """
    )
    result = pytester.runpytest(*live_args(azure), "--cloudcheck-mode", "audit")
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(
        [
            "cloudcheck:     https://kv-zaanstad-prod-weu.vault.azure.net:*/keys/cmk-disk: key could not be read "
            "(HTTP 403 Forbidden from *",
            "*Unreadable: /subscriptions/*/kv-zaanstad-prod-weu/keys/cmk-*: properties could not be read from live "
            "Azure (HTTP 403 Forbidden*",
        ]
    )


def test_a_hanging_subscription_is_reported_within_the_budget(azure: FakeAzure) -> None:
    import time

    azure.faults.slow_subscriptions = {PROD}
    azure.faults.hang_seconds = 2.5
    started = time.monotonic()
    inventory = live_inventory(azure, HUB, PROD, live_time_budget="4")
    assert time.monotonic() - started < 8
    gaps = {s.location: [g.why for g in s.ledger] for s in inventory.sources}
    assert gaps[f"subscription {HUB}"] == []
    (note,) = gaps[f"subscription {PROD}"]
    assert note.startswith("could not be read (no answer from Resource Graph (ServiceResponse")
    assert "timed out" in note


# ---------------------------------------------------------------------------------------------
# credentials


def test_no_credential_is_one_usage_error_naming_what_was_tried(
    pytester: pytest.Pytester, azure: FakeAzure, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "dev")  # no managed identity probe off loopback
    monkeypatch.setenv("PATH", str(pytester.path))  # no az / azd / pwsh
    pytester.makepyfile("def test_x(cloud):\n    pass\n")
    result = pytester.runpytest(*live_args(azure, HUB))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if line.startswith("ERROR:")]
    assert len(errors) == 1
    assert errors[0].startswith("ERROR: cloudcheck: live Azure: no credential could get a token (tried ")
    assert "AzureCliCredential" in errors[0] and "configure one:" in errors[0]
    output = "\n".join(result.outlines + result.errlines)
    assert "DefaultAzureCredential failed to retrieve a token" not in output
    assert not azure.traffic  # nothing was sent without a token


def test_service_principal_through_a_fake_entra_id(
    pytester: pytest.Pytester, azure: FakeAzure, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakeazure import TENANT

    monkeypatch.setenv("AZURE_TENANT_ID", TENANT)
    monkeypatch.setenv("AZURE_CLIENT_ID", "00000000-0000-0000-0000-00000000c11e")
    monkeypatch.setenv("AZURE_CLIENT_SECRET", "not-a-secret")
    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "EnvironmentCredential")
    pytester.makepyfile("def test_x(cloud):\n    assert len(cloud) > 20\n")
    result = pytester.runpytest(*live_args(azure, HUB), "-o", f"cloudcheck_authority={azure.url}")
    result.assert_outcomes(passed=1)
    assert azure.count(method="POST", path="/oauth2/v2.0/token") >= 1


def test_plugin_import_does_not_import_azure() -> None:
    code = "import sys, pytest_cloudcheck.plugin; print(sorted(m for m in sys.modules if m.split('.')[0] == 'azure'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------------------------------------
# drift: state vs live


def _state_of(landing: Landing, path: Path, *, drop: str | None = None) -> Path:
    """A `terraform show -json` state of the landing zone's top-level resources, with their real ids."""
    from pytest_cloudcheck.settings import Settings
    from pytest_cloudcheck.sources import build_inventory

    plans = build_inventory(Settings(plan=[LANDING_PLANS]))
    resources = []
    for r in plans:
        arm_id = landing.ids.get(r.address)
        if arm_id is None or r.name == drop or r.type in FOLDED or r.type == "azurerm_key_vault_key":
            continue
        values = {k: v for k, v in r.values.items() if isinstance(v, (str, int, bool))}
        values["id"] = arm_id
        resources.append(
            {
                "address": r.source_address,
                "mode": "managed",
                "type": r.type,
                "name": r.source_address.rsplit(".", 1)[-1].split("[")[0],
                "provider_name": "registry.terraform.io/hashicorp/azurerm",
                "schema_version": 0,
                "values": values,
                "sensitive_values": {},
            }
        )
    state = {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {"root_module": {"resources": resources}},
    }
    path.write_text(json.dumps(state))
    return path


def test_unmanaged_lists_clickops_and_missing_resources(pytester: pytest.Pytester, azure: FakeAzure) -> None:
    landing: Landing = azure.landing  # type: ignore[attr-defined]
    sub = PROD
    clickops = {
        "id": f"/subscriptions/{sub}/resourceGroups/rg-zaanstad-prod-weu/providers/Microsoft.Storage/"
        "storageAccounts/stclickops",
        "name": "stclickops",
        "type": "microsoft.storage/storageaccounts",
        "location": "westeurope",
        "tags": {"environment": "prod"},
        "properties": {"encryption": {"keySource": "Microsoft.Storage"}},
    }
    azure.rows[sub].append(clickops)
    gone = next(r for r in azure.rows[sub] if r["name"] == "law-spokes-prod-weu")
    azure.rows[sub].remove(gone)
    state = _state_of(landing, pytester.path / "state.json")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        """
        from pytest_cloudcheck import checks

        def test_no_drift(cloud):
            assert not checks.unmanaged(cloud)
        """
    )
    result = pytester.runpytest(*live_args(azure), "--cloudcheck-plan", str(state))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*2 finding(s)*",
            "*/storageAccounts/stclickops: Microsoft.Storage/storageAccounts 'stclickops' exists in Azure but no "
            "Terraform state manages it*drift.unmanaged*",
            "*azurerm_log_analytics_workspace 'law-spokes-prod-weu' is in the Terraform state but not in Azure*"
            "*drift.missing*",
        ]
    )


def test_unmanaged_without_state_and_live_is_not_a_pass() -> None:
    from pytest_cloudcheck import Inventory, checks

    (finding,) = checks.unmanaged(Inventory())
    assert finding.kind == "not_assessed"
    assert "drift needs a state" in finding.message and "live subscriptions" in finding.message


def test_unmanaged_is_quiet_when_state_and_live_agree(azure: FakeAzure, tmp_path: Path) -> None:
    from fakeazure.harness import StaticCredential

    from pytest_cloudcheck import checks
    from pytest_cloudcheck.settings import Settings
    from pytest_cloudcheck.sources import build_inventory

    state = _state_of(azure.landing, tmp_path / "state.json")  # type: ignore[attr-defined]
    settings = Settings(plan=[state], subscription=[HUB, PROD, NONPROD], arm_endpoint=azure.url)
    settings.credential = StaticCredential()
    assert checks.unmanaged(build_inventory(settings)) == []


def test_unmanaged_runs_over_every_real_plan() -> None:
    from conftest import REAL_PLANS

    from pytest_cloudcheck import checks
    from pytest_cloudcheck.settings import Settings
    from pytest_cloudcheck.sources import build_inventory

    files = sorted(REAL_PLANS.glob("*.json")) if REAL_PLANS.is_dir() else []
    if not files:
        pytest.skip("no real plans in shared/reference/real-plans")
    for path in files:
        inventory = build_inventory(Settings(plan=[path], allow_empty=True))
        assert [f.kind for f in checks.unmanaged(inventory)] == ["not_assessed"], path
