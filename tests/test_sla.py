"""checks.sla, checks.nonprod_cost, checks.overbuilt and sla.composite: every row of the SLA table
compliant, violating and unknown; composites, the failure ladder, workloads by tag; the plugin
surface (baseline, audit, waivers) through pytester."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from planbuilder import PlanBuilder
from sla_cases import COVERED, ROWS, Row

from pytest_cloudcheck import checks, sla
from pytest_cloudcheck.errors import ConfigurationError
from pytest_cloudcheck.rules.sla import BY_TYPE, RULES, markdown
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

ENV_VALUE = {"prod": "prod", "nonprod": "test"}


def add(plan: PlanBuilder, address: str, values: dict[str, Any], env: str, rg: str | None = None, **kw: Any) -> None:
    kind, name = address.split(".")[-2:]
    base = {"name": f"{kind.removeprefix('azurerm_')}-{name}".replace("_", "-"), "location": "westeurope"}
    base["resource_group_name"] = rg or f"rg-{base['name']}"
    base["tags"] = {"environment": ENV_VALUE[env]}
    plan.resource(address, {**base, **values}, **kw)


def load(tmp_path, plan: PlanBuilder, **extra: Any):
    return build_inventory(Settings(plan=[plan.write(tmp_path / "plan.json")], extra=extra))


def of(findings, check: str | None = None, address: str | None = None):
    return [f for f in findings if (check is None or f.check == check) and (address is None or f.address == address)]


def test_every_row_of_the_table_has_a_case():
    assert sorted(r.type for r in ROWS) + sorted(COVERED) == sorted(
        t for rule in RULES for t in rule.types if not rule.covered_by
    ) + sorted(t for rule in RULES for t in rule.types if rule.covered_by)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.type)
def test_row_compliant(tmp_path, plan, row: Row):
    add(plan, f"{row.type}.r", row.compliant, "prod")
    inventory = load(tmp_path, plan)
    assert not of(checks.sla(inventory), "sla.resource")
    (r,) = inventory.resources(row.type)
    assert float(sla.composite([r])) == pytest.approx(row.compliant_sla)


@pytest.mark.parametrize("row", [r for r in ROWS if r.violating], ids=lambda r: r.type)
def test_row_violating(tmp_path, plan, row: Row):
    values, target = row.violating  # type: ignore[misc]
    add(plan, f"{row.type}.r", values, "prod")
    findings = of(checks.sla(load(tmp_path, plan, sla_target=str(target))), "sla.resource")
    assert [(f.kind, f.address) for f in findings] == [("violation", f"{row.type}.r")]
    assert f"Prod needs {target:g}%" in findings[0].message
    assert re.search(r"has (no financially backed SLA|a [\d.]+% SLA)", findings[0].message)


@pytest.mark.parametrize("row", [r for r in ROWS if r.unknown], ids=lambda r: r.type)
def test_row_unknown_is_never_a_pass(tmp_path, plan, row: Row):
    path = str(row.unknown)
    configured = path.replace(".0.", ".")  # configuration expressions have no list indexes
    add(plan, f"{row.type}.r", row.compliant, "prod", unknown=[path], refs={configured: ["var.choice"]})
    findings = of(checks.sla(load(tmp_path, plan)), "sla.resource")
    assert [(f.kind, f.address) for f in findings] == [("unknown", f"{row.type}.r")]
    assert "unknown at plan time" in findings[0].message


@pytest.mark.parametrize("row", [r for r in ROWS if r.cost], ids=lambda r: r.type)
def test_row_nonprod_cost_names_the_cheaper_setting(tmp_path, plan, row: Row):
    values, cheaper = row.cost  # type: ignore[misc]
    add(plan, f"{row.type}.paying", values, "nonprod")
    if row.cheap is not None:
        add(plan, f"{row.type}.cheap", row.cheap, "nonprod")
    add(plan, f"{row.type}.prod", values, "prod")  # Prod may pay for it: not a cost finding
    findings = checks.nonprod_cost(load(tmp_path, plan))
    assert {f.address for f in findings} == {f"{row.type}.paying"}
    assert all(f.check == "cost." + row.type.removeprefix("azurerm_") for f in findings)
    assert any(cheaper in f.message and "NonProd pays for" in f.message for f in findings)


@pytest.mark.parametrize("type_", sorted(COVERED))
def test_covered_types_are_no_sla_finding_but_their_cost_counts(tmp_path, plan, type_: str):
    paying, cheap, cheaper = COVERED[type_]
    add(plan, f"{type_}.prod", paying, "prod")
    add(plan, f"{type_}.paying", paying, "nonprod")
    if cheap is not None:
        add(plan, f"{type_}.cheap", cheap, "nonprod")
    inventory = load(tmp_path, plan)
    assert not checks.sla(inventory)
    findings = checks.nonprod_cost(inventory)
    assert [f.address for f in findings] == [f"{type_}.paying"] and cheaper in findings[0].message


def test_cost_decided_by_an_unknown_value_is_unknown(tmp_path, plan):
    add(
        plan,
        "azurerm_storage_account.x",
        {"account_tier": "Standard"},
        "nonprod",
        unknown=["account_replication_type"],
        refs={"account_replication_type": ["var.replication"]},
    )
    findings = checks.nonprod_cost(load(tmp_path, plan))
    assert {f.kind for f in findings} == {"unknown"}


def test_computed_attribute_not_configured_is_the_provider_default(tmp_path, plan):
    # access_tier is optional+computed: unset, the plan shows it unknown; the provider makes it Hot
    add(plan, "azurerm_storage_account.set", {"account_replication_type": "LRS"}, "prod", unknown=["access_tier"])
    add(
        plan,
        "azurerm_storage_account.from_var",
        {"account_replication_type": "LRS"},
        "prod",
        unknown=["access_tier"],
        refs={"access_tier": ["var.tier"]},
    )
    findings = of(checks.sla(load(tmp_path, plan)), "sla.resource")
    assert [(f.address, f.kind) for f in findings] == [("azurerm_storage_account.from_var", "unknown")]


def test_overbuilt_prod_and_its_look_alikes(tmp_path, plan):
    add(plan, "azurerm_storage_account.gzrs", {"account_replication_type": "GZRS"}, "prod")
    add(plan, "azurerm_storage_account.grs", {"account_replication_type": "GRS"}, "prod")
    add(plan, "azurerm_storage_account.nonprod_gzrs", {"account_replication_type": "RAGZRS"}, "nonprod")
    two_regions = [
        {"location": "westeurope", "failover_priority": 0},
        {"location": "northeurope", "failover_priority": 1},
    ]
    add(
        plan,
        "azurerm_cosmosdb_account.multi",
        {"geo_location": two_regions, "multiple_write_locations_enabled": True},
        "prod",
    )
    add(plan, "azurerm_cosmosdb_account.single", {"geo_location": two_regions[:1]}, "prod")
    add(plan, "azurerm_mssql_database.secondary", {"sku_name": "GP_Gen5_2", "create_mode": "Secondary"}, "prod")
    add(plan, "azurerm_mssql_failover_group.fog", {}, "prod")
    findings = checks.overbuilt(load(tmp_path, plan))
    assert sorted({(f.check, f.address) for f in findings}) == [
        ("overbuilt.cosmosdb_account", "azurerm_cosmosdb_account.multi"),
        ("overbuilt.mssql_database", "azurerm_mssql_database.secondary"),
        ("overbuilt.mssql_failover_group", "azurerm_mssql_failover_group.fog"),
        ("overbuilt.storage_account", "azurerm_storage_account.gzrs"),
    ]
    gzrs = of(findings, address="azurerm_storage_account.gzrs")[0]
    assert "geo-zone-redundant" in gzrs.message and '"ZRS"' in gzrs.message and "99.5%" in gzrs.message


def test_composite_below_target_shows_the_product_with_each_factor(tmp_path, plan):
    plan.resource(
        "azurerm_resource_group.app", {"name": "rg-app", "location": "westeurope", "tags": {"environment": "prod"}}
    )
    ssd = disk_values("StandardSSD_LRS")
    add(plan, "azurerm_linux_virtual_machine.web", ssd, "prod", rg="rg-app")  # 99.5
    add(plan, "azurerm_storage_account.data", {"account_replication_type": "ZRS"}, "prod", rg="rg-app")  # 99.9
    add(plan, "azurerm_key_vault.kv", {"sku_name": "standard"}, "prod", rg="rg-app")  # 99.99
    add(plan, "azurerm_log_analytics_workspace.law", {"sku": "PerGB2018"}, "prod", rg="rg-app")  # off the path
    findings = checks.sla(load(tmp_path, plan))
    assert [(f.check, f.address) for f in findings] == [("sla.composite", "azurerm_resource_group.app")]
    message = findings[0].message
    # 99.5% x 99.9% x 99.99% = 99.3905...%
    assert "99.39% = " in message and "below the 99.5% target" in message
    for factor in ("99.5% (azurerm_linux_virtual_machine.web)", "99.9% (azurerm_storage_account.data)",
                   "99.99% (azurerm_key_vault.kv)"):  # fmt: skip
        assert factor in message
    assert "log_analytics" not in message
    assert "weakest: azurerm_linux_virtual_machine.web" in message


def disk_values(kind: str, **more: Any) -> dict[str, Any]:
    return {"size": "Standard_D2s_v5", "os_disk": [{"storage_account_type": kind}], **more}


def test_redundant_vms_count_once_with_the_set_or_zone_sla(tmp_path, plan):
    aset = "/subscriptions/s/resourceGroups/rg-a/providers/Microsoft.Compute/availabilitySets/as"
    for i in (1, 2):
        add(
            plan,
            f"azurerm_linux_virtual_machine.set{i}",
            disk_values("Standard_LRS", availability_set_id=aset),
            "prod",
            rg="rg-a",
        )
        add(plan, f"azurerm_linux_virtual_machine.zone{i}", disk_values("Standard_LRS", zone=str(i)), "prod", rg="rg-z",
            unknown=[])  # fmt: skip
    inventory = load(tmp_path, plan)
    assert not checks.sla(inventory)  # a lone Standard HDD VM would be 95%
    by_key = {w.key: w for w in sla.workloads(inventory)}
    assert float(by_key["rg-a"].composite) == pytest.approx(99.95)
    assert float(by_key["rg-z"].composite) == pytest.approx(99.99)
    assert len(by_key["rg-z"].components) == 1
    assert by_key["rg-a"].ladder() == {
        "a single resource": True,
        "a fault domain": True,
        "a zone": False,
        "a region": False,
    }
    assert by_key["rg-z"].describe_ladder() == "survives a zone"


def test_a_component_whose_workload_is_unknown_gets_the_unknown_composite(tmp_path, plan):
    # resource_group_name known after apply and referencing no resource group of the plan: the
    # component may belong to any workload, so the composite it is a factor of is unknown, on itself
    add(plan, "azurerm_resource_group.rg", {"name": "rg-w"}, "prod", rg="rg-w")
    add(plan, "azurerm_storage_account.known", {"account_replication_type": "LRS", "access_tier": "Cool"}, "prod",
        rg="rg-w")  # fmt: skip
    add(plan, "azurerm_storage_account.later", {"account_replication_type": "LRS", "access_tier": "Cool"}, "prod",
        unknown=["resource_group_name"], refs={"resource_group_name": ["terraform_data.later.output"]})  # fmt: skip
    findings = of(checks.sla(load(tmp_path, plan)), "sla.composite")
    assert [(f.kind, f.address) for f in findings] == [
        ("violation", "azurerm_resource_group.rg"),
        ("unknown", "azurerm_storage_account.later"),
    ]
    assert "`resource_group_name` known after apply" in findings[1].message
    assert "its own factor: azurerm_storage_account.later 99%" in findings[1].message


@pytest.mark.parametrize("zone", [[], {}, ["1"], [["1"]], [{}], True, 1, ""], ids=repr)
def test_a_vm_zone_of_any_shape_is_read_or_left_out_never_raises(tmp_path, plan, zone):
    for i in (1, 2):
        add(plan, f"azurerm_linux_virtual_machine.vm{i}", disk_values("Premium_LRS", zone=zone), "prod", rg="rg-z")
    inventory = load(tmp_path, plan)
    assert not checks.sla(inventory)  # Premium SSD: 99.9% each, grouped or not
    (workload,) = [w for w in sla.workloads(inventory) if w.key == "rg-z"]
    assert len(workload.components) == 2  # both in one zone, or not zonal: not a zone-redundant group


def test_composite_api_fails_closed(tmp_path, plan):
    add(plan, "azurerm_redis_cache.basic", {"sku_name": "Basic"}, "prod")
    add(plan, "azurerm_redis_cache.later", {}, "prod", unknown=["sku_name"], refs={"sku_name": ["var.sku"]})
    add(plan, "azurerm_data_factory.adf", {}, "prod")
    add(plan, "azurerm_subnet.s", {"address_prefixes": ["10.0.0.0/24"]}, "prod")
    add(plan, "azurerm_key_vault.kv", {}, "prod")
    inventory = load(tmp_path, plan)
    kv = inventory.resources("azurerm_key_vault")
    assert float(sla.composite(kv + inventory.resources("azurerm_subnet"))) == pytest.approx(99.99)
    for name in ("basic", "later"):
        result = sla.composite([*kv, inventory.get(f"azurerm_redis_cache.{name}")])
        assert result == 0 and not result >= 99.5
    later = sla.composite(inventory.resources("azurerm_redis_cache"))
    assert "unknown (azurerm_redis_cache.later)" in repr(later) and "no SLA (azurerm_redis_cache.basic)" in repr(later)
    assert "not assessed (azurerm_data_factory.adf)" in repr(sla.composite(inventory.resources("azurerm_data_factory")))


def test_service_without_row_and_value_without_case_are_not_assessed(tmp_path, plan):
    add(plan, "azurerm_data_factory.adf", {}, "prod")
    add(plan, "azurerm_storage_account.odd", {"account_replication_type": "XYZRS"}, "prod")
    add(plan, "azurerm_network_security_group.nsg", {}, "prod")  # no SLA of its own: no finding
    add(plan, "azurerm_data_factory.test", {}, "nonprod")  # NonProd has no SLA
    findings = of(checks.sla(load(tmp_path, plan)), "sla.not_assessed")
    assert [(f.address, f.kind) for f in findings] == [
        ("azurerm_data_factory.adf", "not_assessed"),
        ("azurerm_storage_account.odd", "not_assessed"),
    ]
    assert 'replication = "XYZRS"' in findings[1].message


def test_services_without_a_row_are_listed_in_the_terminal(pytester, tmp_path):
    plan = PlanBuilder()
    add(plan, "azurerm_data_factory.adf", {}, "prod")
    add(plan, "azurerm_key_vault.kv", {}, "prod")
    add(plan, "azurerm_storage_account.sa", {"account_replication_type": "ZRS"}, "prod")  # has a row
    path = plan.write(tmp_path / "plan.json")
    pytester.makepyfile(
        "from pytest_cloudcheck import checks\n\ndef test_sla(cloud):\n    assert not checks.sla(cloud)\n"
    )
    result = pytester.runpytest("--cloudcheck-plan", str(path), "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*azurerm_data_factory.adf: *no row in the SLA table: not assessed*[[]sla.not_assessed[]]*",
            "*cloudcheck: SLA not assessed*",
            "1 Prod service(s) whose type has no row in the SLA table (not a pass):",
            "  azurerm_data_factory.adf (azurerm_data_factory)",
        ]
    )
    assert not [line for line in result.stdout.lines if "azurerm_storage_account.sa (" in line]


def test_workloads_by_tag_and_the_target_setting(tmp_path, plan):
    for i, rg in enumerate(("rg-1", "rg-2")):
        shop = {"account_replication_type": "LRS", "tags": {"environment": "prod", "app": "shop"}}
        add(plan, f"azurerm_storage_account.s{i}", shop, "prod", rg=rg)
    inventory = load(tmp_path, plan, workload_tag="app")
    (shop,) = sla.workloads(inventory)
    assert shop.key == "app=shop" and float(shop.composite) == pytest.approx(99.9 * 99.9 / 100)
    assert not checks.sla(inventory)
    (finding,) = checks.sla(load(tmp_path, plan, workload_tag="app", sla_target="99.85"))
    # each account meets 99.85%, the two together (99.8%) do not; no resource group: the first member
    assert finding.check == "sla.composite" and finding.address == "azurerm_storage_account.s0"
    assert "99.8% = 99.9% (azurerm_storage_account.s0) x 99.9% (azurerm_storage_account.s1)" in finding.message
    assert len(sla.workloads(load(tmp_path, plan))) == 2  # by resource group
    assert of(checks.sla(load(tmp_path, plan, sla_target="99.9%")), "sla.resource") == []
    with pytest.raises(ConfigurationError, match="cloudcheck_sla_target"):
        checks.sla(load(tmp_path, plan, sla_target="high"))


def test_docs_are_generated_from_the_table():
    from conftest import REPO

    assert (REPO / "docs" / "sla.md").read_text() == markdown()
    text = markdown()
    for rule in RULES:
        assert rule.source.read in text and rule.source.page in text


def test_every_figure_names_its_source():
    for rule in RULES:
        assert rule.source.page.startswith("https://learn.microsoft.com/") and re.match(
            r"\d{4}-\d\d-\d\d$", rule.source.read
        )
    assert all(t.startswith("azurerm_") for t in BY_TYPE)


#: figures corrected against Microsoft's text (rules/sla_checked.py: `corrected`)
CORRECTED = [
    ("azurerm_mssql_database", {"sku_name": "HS_Gen5_2"}, 99.9),
    ("azurerm_mssql_database", {"sku_name": "HS_Gen5_2", "high_availability_replica_count": 1}, 99.95),
    ("azurerm_mssql_database", {"sku_name": "HS_Gen5_2", "high_availability_replica_count": 2}, 99.99),
    ("azurerm_virtual_network_gateway", {"type": "Vpn", "sku": "VpnGw2AZ"}, 99.95),
    ("azurerm_cosmosdb_account", {"geo_location": [{"location": "westeurope", "zone_redundant": True},
                                                   {"location": "northeurope", "zone_redundant": True}]}, 99.995),
    ("azurerm_cosmosdb_account", {"geo_location": [{"location": "westeurope"}, {"location": "northeurope"}]}, 99.99),
    ("azurerm_key_vault_managed_hardware_security_module", {"sku_name": "Standard_B1"}, 99.9),
]  # fmt: skip


@pytest.mark.parametrize(("type_", "values", "figure"), CORRECTED, ids=lambda v: str(v)[:40])
def test_corrected_figures(tmp_path, plan, type_, values, figure):
    add(plan, f"{type_}.r", values, "prod")
    (r,) = load(tmp_path, plan).resources(type_)
    assert float(sla.composite([r])) == pytest.approx(figure)


def test_every_row_says_what_its_figures_were_checked_against():
    from pytest_cloudcheck.rules.sla_checked import CHECKED

    verdicts = {"confirmed", "corrected", "secondary", "not found"}
    assert {rule.source.page for rule in RULES} == set(CHECKED)  # no row unchecked, no stale record
    for rule in RULES:
        checked = rule.source.checked
        assert checked is not None and checked.verdict in verdicts and re.match(r"\d{4}-\d\d-\d\d$", checked.read)
        assert f"Checked: {checked.describe()}." in markdown()


# ---------------------------------------------------------------------------------------------
# through pytest, as users run it


def _plan_of(tmp_path, rows: list[tuple[str, dict[str, Any], str]]) -> str:
    plan = PlanBuilder()
    for address, values, env in rows:
        add(plan, address, values, env)
    return str(plan.write(tmp_path / "plan.json"))


def test_baseline_through_pytest(pytester, tmp_path):
    (tmp_path / "ok").mkdir()
    (tmp_path / "bad").mkdir()
    compliant = [(f"{r.type}.ok", r.compliant, "prod") for r in ROWS]
    compliant += [(f"{r.type}.cheap", r.cheap, "nonprod") for r in ROWS if r.cheap is not None]
    ok = _plan_of(tmp_path / "ok", compliant)
    result = pytester.runpytest(
        "--pyargs", "pytest_cloudcheck.baseline", "--cloudcheck-plan", ok, "-k", "sla or cost or overbuilt",
        "-p", "no:cacheprovider",
    )  # fmt: skip
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) >= 3 and "failed" not in outcomes, result.stdout.str()[-2000:]

    bad = [
        ("azurerm_kubernetes_cluster.free", {"sku_tier": "Free"}, "prod"),
        ("azurerm_storage_account.geo", {"account_replication_type": "GRS"}, "nonprod"),
        ("azurerm_storage_account.gzrs", {"account_replication_type": "GZRS"}, "prod"),
    ]
    bad_plan = _plan_of(tmp_path / "bad", bad)
    report = tmp_path / "evidence.json"
    waivers = pytester.path / "waivers.toml"
    waivers.write_text(
        '[[waiver]]\ncheck = "cost.*"\naddress = "azurerm_storage_account.geo"\nreason = "data-migration test, PBI-1"\n'
        'owner = "squad-a"\nexpires = 2027-03-31\n'
    )
    result = pytester.runpytest(
        "--pyargs", "pytest_cloudcheck.baseline", "--cloudcheck-plan", bad_plan, "-k", "sla or cost or overbuilt",
        "--cloudcheck-waivers", str(waivers), "--cloudcheck-report", str(report), "-p", "no:cacheprovider", "-rA",
    )  # fmt: skip
    out = result.stdout.str()
    assert "azurerm_kubernetes_cluster.free" in out and "sla.resource" in out
    assert result.ret == 1
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) >= 1
    doc = json.loads(report.read_text())
    by_check: dict[str, set[str]] = {}
    for entry in doc["findings"]:
        by_check.setdefault(entry["check"], set()).add(entry["outcome"])
    assert by_check["sla.resource"] == {"failed"}
    assert by_check["cost.storage_account"] == {"waived"}
    assert by_check["overbuilt.storage_account"] == {"audit"}  # advisory: never fails the run


def test_evidence_and_markdown_show_each_prod_workload_with_its_failure_ladder(pytester):
    from conftest import EXAMPLES

    plans = [str(p) for p in sorted((EXAMPLES / "landing_zone" / "plans").glob("*.json"))]
    args = [f"--cloudcheck-plan={p}" for p in plans]
    result = pytester.runpytest(
        "--pyargs", "pytest_cloudcheck.baseline", *args, "-o", "cloudcheck_shared=^rg-hub-", "-k", "test_sla",
        "--cloudcheck-report", "e.json", "--cloudcheck-markdown", "e.md", "-p", "no:cacheprovider",
    )  # fmt: skip
    assert result.ret == 0, result.stdout.str()[-3000:]
    doc = json.loads((pytester.path / "e.json").read_text())
    by_name = {w["workload"]: w for w in doc["sla"]["workloads"]}
    assert doc["sla"]["target"] == 99.5 and doc["sla"]["rungs"] == [
        "a single resource",
        "a fault domain",
        "a zone",
        "a region",
    ]
    assert set(by_name) == {
        "rg-almere-prod-weu",
        "rg-monitoring-prod-weu",
        "rg-zaanstad-prod-weu",
    }  # no nonprod, no hub
    zaanstad = by_name["rg-zaanstad-prod-weu"]
    assert zaanstad["address"] == 'spokes-prod:module.spoke["zaanstad"].azurerm_resource_group.spoke'
    assert zaanstad["meets_target"] and zaanstad["composite"] == pytest.approx(99.571, abs=0.001)
    # the single VM (Premium SSD, 99.9%) survives no failure of its own: neither does the workload
    assert zaanstad["survives"] == "nothing" and not any(zaanstad["ladder"].values())
    assert any(
        f["hub"] and f["component"] == "hub azurerm_firewall.hub" and f["sla"] == 99.99 for f in zaanstad["factors"]
    )
    assert by_name["rg-monitoring-prod-weu"]["ladder"] == {
        "a single resource": True, "a fault domain": True, "a zone": True, "a region": False,
    }  # fmt: skip
    md = (pytester.path / "e.md").read_text()
    assert "### Prod workloads: composite SLA (target 99.5%) and failure ladder" in md
    assert "| `rg-zaanstad-prod-weu` | 99.57% | no | no | no | no |" in md
    assert "| `rg-monitoring-prod-weu` | 99.99% | yes | yes | yes | no |" in md


def test_a_single_vm_counts_its_data_disks(tmp_path, plan):
    add(plan, "azurerm_linux_virtual_machine.vm", disk_values("Premium_LRS"), "prod", unknown=["id"])
    add(plan, "azurerm_managed_disk.hdd", {"storage_account_type": "Standard_LRS", "create_option": "Empty"}, "prod",
        unknown=["id"])  # fmt: skip
    plan.resource(
        "azurerm_virtual_machine_data_disk_attachment.hdd",
        {"lun": 0, "caching": "None"},
        unknown=["virtual_machine_id", "managed_disk_id"],
        refs={
            "virtual_machine_id": ["azurerm_linux_virtual_machine.vm.id", "azurerm_linux_virtual_machine.vm"],
            "managed_disk_id": ["azurerm_managed_disk.hdd.id", "azurerm_managed_disk.hdd"],
        },
    )
    findings = of(checks.sla(load(tmp_path, plan)), "sla.resource")
    assert [f.address for f in findings] == ["azurerm_linux_virtual_machine.vm"]
    assert 'has a 95% SLA (disk = "Standard_LRS")' in findings[0].message  # the worst disk decides


def test_a_live_vm_counts_its_data_disks():
    from pytest_cloudcheck.sources.live.mapping import live_resource

    def vm(data: str) -> Any:
        return live_resource(
            {
                "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
                "type": "Microsoft.Compute/virtualMachines",
                "name": "vm",
                "properties": {
                    "storageProfile": {
                        "osDisk": {"osType": "Linux", "managedDisk": {"storageAccountType": "Premium_LRS"}},
                        "dataDisks": [{"lun": 0, "managedDisk": {"storageAccountType": data}}],
                    }
                },
            },
            "live",
        )

    assert float(sla.composite([vm("StandardSSD_LRS")])) == 99.5
    assert float(sla.composite([vm("PremiumV2_LRS")])) == 99.9


def test_more_nonprod_costs_and_their_look_alikes(tmp_path, plan):
    add(plan, "azurerm_redis_cache.plain_premium", {"sku_name": "Premium", "family": "P", "capacity": 1}, "nonprod")
    add(plan, "azurerm_redis_cache.vnet_premium", {"sku_name": "Premium", "family": "P", "capacity": 1,
        "subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/redis"},
        "nonprod")  # fmt: skip
    add(
        plan,
        "azurerm_application_gateway.fixed",
        {"sku": [{"name": "Standard_v2", "tier": "Standard_v2", "capacity": 2}]},
        "nonprod",
    )
    add(plan, "azurerm_application_gateway.scaling", {"sku": [{"name": "Standard_v2", "tier": "Standard_v2"}],
        "autoscale_configuration": [{"min_capacity": 0, "max_capacity": 2}]}, "nonprod")  # fmt: skip
    add(plan, "azurerm_mssql_database.hs", {"sku_name": "HS_Gen5_2", "high_availability_replica_count": 1,
        "storage_account_type": "Local"}, "nonprod")  # fmt: skip
    add(plan, "azurerm_service_plan.flex", {"os_type": "Linux", "sku_name": "FC1"}, "prod")
    inventory = load(tmp_path, plan)
    assert sorted({(f.check, f.address) for f in checks.nonprod_cost(inventory)}) == [
        ("cost.application_gateway", "azurerm_application_gateway.fixed"),
        ("cost.mssql_database", "azurerm_mssql_database.hs"),
        ("cost.redis_cache", "azurerm_redis_cache.plain_premium"),
    ]
    assert not checks.sla(inventory)  # Flex Consumption is not the Free tier


def test_coverage_gaps_touch_the_types_each_family_judges():
    from pytest_cloudcheck.checks.registry import BY_NAME

    assert BY_NAME["sla"].judges("azurerm_storage_account") and BY_NAME["sla"].judges("azurerm_data_factory")
    assert not BY_NAME["sla"].judges("azurerm_subnet")
    assert BY_NAME["nonprod_cost"].judges("azurerm_kubernetes_cluster")
    assert not BY_NAME["nonprod_cost"].judges("azurerm_key_vault")
    assert BY_NAME["overbuilt"].judges("azurerm_cosmosdb_account") and not BY_NAME["overbuilt"].judges("azurerm_lb")
    assert {f.not_assessed for f in (BY_NAME["sla"], BY_NAME["nonprod_cost"], BY_NAME["overbuilt"])} == {
        "sla.not_assessed", "cost.not_assessed", "overbuilt.not_assessed",
    }  # fmt: skip


def test_a_database_replica_in_another_region_is_beyond_the_target(tmp_path, plan):
    for kind in ("postgresql", "mysql"):
        rtype = f"azurerm_{kind}_flexible_server"
        add(plan, f"{rtype}.main", {"sku_name": "GP_Standard_D2ds_v5"}, "prod", unknown=["id"])
        source = {"unknown": ["source_server_id"], "refs": {"source_server_id": [f"{rtype}.main.id", f"{rtype}.main"]}}
        for name, location in (("far", "northeurope"), ("near", "westeurope")):
            add(plan, f"{rtype}.{name}", {"create_mode": "Replica", "location": location}, "prod", **source)
        add(plan, f"{rtype}.test_far", {"create_mode": "Replica", "location": "northeurope"}, "nonprod", **source)
    inventory = load(tmp_path, plan)
    assert sorted((f.check, f.address) for f in checks.overbuilt(inventory)) == [
        ("overbuilt.mysql_flexible_server", "azurerm_mysql_flexible_server.far"),
        ("overbuilt.postgresql_flexible_server", "azurerm_postgresql_flexible_server.far"),
    ]
    assert sorted((f.check, f.address) for f in checks.nonprod_cost(inventory)) == [
        ("cost.mysql_flexible_server", "azurerm_mysql_flexible_server.test_far"),
        ("cost.postgresql_flexible_server", "azurerm_postgresql_flexible_server.test_far"),
    ]


def test_windows_machines_have_windows_cost_ids_and_old_waivers_still_work(pytester):
    """A NonProd Windows VM paying for Premium disks is `cost.windows_virtual_machine` (not
    "linux"); a waiver naming the old id still waives it, with a deprecation warning."""
    import datetime as dt

    from sla_cases import disk

    plan = PlanBuilder()
    for kind in ("linux", "windows"):
        add(plan, f"azurerm_{kind}_virtual_machine.vm", disk("Premium_LRS"), "nonprod")
    plan.write(pytester.path / "plan.json")
    pytester.makepyfile(
        """
        from pytest_cloudcheck import checks

        def test_cost(cloud):
            assert not checks.nonprod_cost(cloud)
        """
    )
    result = pytester.runpytest("--cloudcheck-plan=plan.json")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines_random(
        [
            "*azurerm_linux_virtual_machine.vm: *[[]cost.linux_virtual_machine[]]*",
            "*azurerm_windows_virtual_machine.vm: *[[]cost.windows_virtual_machine[]]*",
        ]
    )
    expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    (pytester.path / "w.toml").write_text(
        "[[waiver]]\ncheck = 'cost.linux_virtual_machine'\naddress = 'azurerm_*_virtual_machine.vm'\n"
        f"reason = 'PBI-2'\nowner = 'squad-a'\nexpires = {expires}\n",
        encoding="utf-8",
    )
    result = pytester.runpytest("--cloudcheck-plan=plan.json", "--cloudcheck-waivers=w.toml", "-rA")
    assert result.parseoutcomes() == {"waived": 1, "warnings": 1}
    result.stdout.fnmatch_lines(
        ["*waiver #1 waives azurerm_windows_virtual_machine.vm by its old check id 'cost.linux_virtual_machine'*"]
    )


def test_the_terminal_lists_ten_services_without_a_row_and_counts_the_rest(pytester, tmp_path):
    plan = PlanBuilder()
    for i in range(12):
        add(plan, f"azurerm_data_factory.adf{i:02}", {}, "prod")
    path = plan.write(tmp_path / "plan.json")
    pytester.makepyfile("def test_nothing(cloud):\n    assert cloud\n")
    result = pytester.runpytest("--cloudcheck-plan", str(path), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "12 Prod service(s) whose type has no row in the SLA table (not a pass):",
            "  azurerm_data_factory.adf09 (azurerm_data_factory)",
            "  ... and 2 more (checks.sla gives each a sla.not_assessed finding)",
        ]
    )
    assert "azurerm_data_factory.adf10 (" not in result.stdout.str()
