"""The topology as users meet it: the `topology` fixture, ini settings, the baseline, the example
landing zone (its Mermaid picture and the planted violations), real plans, and the cost on many VNets."""

from __future__ import annotations

import ipaddress
import re
import time

import pytest
from conftest import EXAMPLES, REAL_PLANS
from planbuilder import PlanBuilder
from test_topology import HUB_ID, hub, spoke

from pytest_cloudcheck.checks.topology import CHECK_IDS, _overlaps, hub_and_spoke
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory
from pytest_cloudcheck.topology import Topology, VNet, topology_of

LANDING = EXAMPLES / "landing_zone" / "plans"
NONCOMPLIANT = EXAMPLES / "noncompliant" / "plans"
PLAN_NAMES = ("hub.json", "spokes-prod.json", "spokes-nonprod.json")


def _two_plans(pytester: pytest.Pytester, **spoke_options) -> None:
    hub_plan, spoke_plan = PlanBuilder(), PlanBuilder()
    hub(hub_plan)
    spoke(spoke_plan, **spoke_options)
    hub_plan.write(pytester.path / "hub.json")
    spoke_plan.write(pytester.path / "spoke.json")


def test_topology_fixture_and_check_across_two_plan_files(pytester):
    _two_plans(pytester)
    pytester.makepyfile(
        """
        from pytest_cloudcheck import checks

        def test_hub(topology):
            assert topology.hub.name == "vnet-hub"
            assert [v.name for v in topology.spokes] == ["vnet-spoke"]
            assert len(topology.peerings) == 2

        def test_guardrails(cloud):
            assert not checks.hub_and_spoke(cloud)
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "hub.json", "--cloudcheck-plan", "spoke.json")
    result.assert_outcomes(passed=2)


def test_failing_check_lists_one_finding_a_line(pytester):
    _two_plans(pytester, next_hop=("Internet", None), nsg=False)
    pytester.makepyfile(
        """
        from pytest_cloudcheck import checks

        def test_guardrails(cloud):
            assert not checks.hub_and_spoke(cloud)
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "hub.json", "--cloudcheck-plan", "spoke.json")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*2 finding(s)*",
            "*azurerm_route_table.spoke: route table rt-spoke (subnets snet-app): 0.0.0.0/0 goes to Internet*"
            "[topology.default_route]*",
            "*azurerm_subnet.spoke_app: subnet snet-app * has no network security group*[topology.subnet_nsg]*",
        ]
    )


def test_ini_cloudcheck_hub_and_ip_plan(pytester):
    _two_plans(pytester)
    pytester.makeini(
        f"""
        [pytest]
        cloudcheck_hub = {HUB_ID}
        cloudcheck_ip_plan =
            prod = 10.0.0.0/16
        """
    )
    pytester.makepyfile(
        """
        from pytest_cloudcheck import checks

        def test_ip_plan(cloud, topology):
            assert topology.hub_reason.startswith("cloudcheck_hub = /subscriptions/")
            assert [f.check for f in checks.hub_and_spoke(cloud)] == ["topology.ip_plan"]
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "hub.json", "--cloudcheck-plan", "spoke.json")
    result.assert_outcomes(passed=1)


def test_ambiguous_hub_is_a_usage_error_naming_the_setting(pytester):
    plan = PlanBuilder()
    hub(plan)
    spoke(plan)
    plan.resource(
        "azurerm_firewall.spoke",
        {"name": "afw-spoke", "resource_group_name": "rg-spoke", "ip_configuration": [{"name": "c"}]},
        unknown=["id", "ip_configuration.0.subnet_id"],
        refs={"ip_configuration.subnet_id": ["azurerm_subnet.spoke_app.id"]},
    )
    plan.write(pytester.path / "plan.json")
    pytester.makepyfile("def test_hub(topology):\n    pass\n\ndef test_spokes(topology):\n    pass\n")
    result = pytester.runpytest("--cloudcheck-plan", "plan.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: test_ambiguous_hub_is_a_usage_error_naming_the_setting.py::test_hub (and 1 more tests) uses the"
            " `topology` fixture, but cannot tell which VNet is the hub: * each hold an Azure Firewall; set"
            " cloudcheck_hub in your ini file*"
        ]
    )


def test_a_hub_setting_naming_no_vnet_is_one_usage_error(pytester):
    """cloudcheck_hub naming no VNet: one usage error for all topology tests (not an error per test
    with the fixture's source); without the setting and without a hub the fixture works (no hub)."""
    plan = PlanBuilder()
    spoke(plan)
    plan.write(pytester.path / "plan.json")
    pytester.makepyfile(
        "def test_a(topology):\n    assert topology.hub is None\n\ndef test_b(topology):\n    pass\n\n"
        "def test_c(topology):\n    pass\n"
    )
    pytester.makeini("[pytest]\ncloudcheck_hub = vnet-hubb\n")
    expected = (
        "ERROR: test_a_hub_setting_naming_no_vnet_is_one_usage_error.py::test_a (and 2 more tests) uses the"
        " `topology` fixture, but cloudcheck_hub = vnet-hubb: no VNet with name or address 'vnet-hubb' in the"
        " inventory (VNets: azurerm_virtual_network.spoke (vnet-spoke)); give the hub's name, address, ARM id or"
        " a tag key=value"
    )
    # with a report file too: writing the evidence at the end must not replace the usage error
    for extra in ([], ["--cloudcheck-report", "evidence.json"]):
        result = pytester.runpytest("--cloudcheck-plan", "plan.json", *extra)
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        (error,) = [line for line in result.stderr.lines if line.strip()]
        assert error == expected
    assert "def topology" not in result.stdout.str() + result.stderr.str()
    pytester.makeini("[pytest]\n")
    pytester.runpytest("--cloudcheck-plan", "plan.json").assert_outcomes(passed=3)


def test_baseline_one_test_per_check_id(pytester):
    _two_plans(pytester, route_table=False)
    result = pytester.runpytest(
        "--pyargs",
        "pytest_cloudcheck.baseline",
        "-k",
        "test_topology",
        "--cloudcheck-plan",
        "hub.json",
        "--cloudcheck-plan",
        "spoke.json",
        "-v",
    )
    result.assert_outcomes(passed=len(CHECK_IDS), failed=1)  # with topology.not_assessed (coverage gaps)
    result.stdout.fnmatch_lines(["*test_topology?topology.route_table? FAILED*"])


# ---------------------------------------------------------------------------------------------
# The example landing zone


@pytest.fixture(scope="module")
def landing_zone():
    return build_inventory(Settings(plan=[LANDING / name for name in PLAN_NAMES]))


def test_example_landing_zone_is_compliant(landing_zone):
    assert list(hub_and_spoke(landing_zone)) == []


def test_example_mermaid_picture(landing_zone):
    picture = topology_of(landing_zone).mermaid(hub_and_spoke(landing_zone))
    nodes = dict(re.findall(r'^\s*(v\d+)\["([^"<]+)', picture, flags=re.MULTILINE))
    names = {name: node for node, name in nodes.items()}
    assert set(names) == {
        "vnet-hub-weu",
        "vnet-zaanstad-prod-weu",
        "vnet-almere-prod-weu",
        "vnet-zaanstad-test-weu",
        "vnet-almere-test-weu",
    }
    hub_node = names["vnet-hub-weu"]
    assert f'{hub_node}["vnet-hub-weu<br/>10.0.0.0/16"]:::hub' in picture
    edges = set(re.findall(r"^\s*(v\d+) <--> (v\d+)$", picture, flags=re.MULTILINE))
    assert edges == {(hub_node, names[n]) for n in names if n != "vnet-hub-weu"}
    assert 'subgraph env_prod["prod"]' in picture and 'subgraph env_nonprod["nonprod"]' in picture
    prod_block = picture.split('subgraph env_prod["prod"]')[1].split("end")[0]
    assert "vnet-zaanstad-prod-weu" in prod_block and "vnet-zaanstad-test-weu" not in prod_block
    assert ":::violation" not in picture and "linkStyle" not in picture


#: VIOLATIONS.md rows of the topology (and the spoke-to-spoke peering of row 12)
PLANTED = {
    ("topology.spoke_to_spoke", "spokes-nonprod:azurerm_virtual_network_peering.zaanstad_test_to_prod"),
    ("topology.address_overlap", "spokes-nonprod:azurerm_virtual_network.purmerend"),
    ("topology.unpeered_spoke", "spokes-nonprod:azurerm_virtual_network.purmerend"),
    ("topology.subnet_nsg", "spokes-nonprod:azurerm_subnet.purmerend_legacy"),
    ("topology.default_route", "spokes-nonprod:azurerm_route_table.purmerend"),
    ("topology.gateway_in_spoke", "spokes-nonprod:azurerm_virtual_network_gateway.purmerend"),
    ("topology.public_ip", "spokes-nonprod:azurerm_network_interface.purmerend_vm"),
    ("topology.peering_settings", "spokes-prod:azurerm_virtual_network_peering.haarlem_to_hub"),
    ("topology.internet_route", "spokes-nonprod:azurerm_route_table.purmerend"),
    ("topology.route_table", "spokes-nonprod:azurerm_subnet.purmerend_batch"),
    ("topology.bastion_in_spoke", "spokes-nonprod:azurerm_bastion_host.purmerend"),
}


def test_noncompliant_example_shows_each_planted_violation_and_nothing_else():
    inventory = build_inventory(Settings(plan=[NONCOMPLIANT / name for name in PLAN_NAMES]))
    findings = hub_and_spoke(inventory)

    def labelled(f):
        r = inventory.get(f.address)
        return (f.check, f"{r.source_label}:{r.source_address}")

    assert {labelled(f) for f in findings} == PLANTED
    assert len(findings) == len(PLANTED) and {f.kind for f in findings} == {"violation"}
    picture = topology_of(inventory).mermaid(findings)
    assert re.search(r'\["vnet-purmerend-test-weu<br/>10.2.8.0/22"\]:::violation', picture)
    assert "linkStyle" in picture  # the spoke-to-spoke peering is drawn red


# ---------------------------------------------------------------------------------------------
# Real plans and cost


REAL = sorted(REAL_PLANS.glob("*.json")) if REAL_PLANS.is_dir() else []


@pytest.mark.skipif(not REAL, reason=f"{REAL_PLANS} not found")
def test_every_real_plan_goes_through_the_check():
    ambiguous = []
    for path in REAL:
        inventory = build_inventory(Settings(plan=[path], allow_empty=True))
        findings = hub_and_spoke(inventory)
        if any("cannot tell which VNet is the hub" in f.message for f in findings):  # configure, never guess
            hub_findings = [f for f in findings if f.check == "topology.hub"]
            assert len(hub_findings) == len(inventory.resources("azurerm_virtual_network"))
            assert all(f.kind == "not_assessed" and "set cloudcheck_hub" in f.message for f in hub_findings)
            ambiguous.append(path.name)
            vnet = inventory.resources("azurerm_virtual_network")[0]
            findings = hub_and_spoke_with_hub(inventory, vnet.address)
        for f in findings:
            assert f.check in CHECK_IDS and f.address and "\n" not in f.message
    assert ambiguous == ["terraform-azure-main_appgw-with-privateendpoint.json"]


def hub_and_spoke_with_hub(inventory, hub_address):
    inventory.settings.extra["hub"] = hub_address
    return hub_and_spoke(inventory)


def test_overlap_sweep_is_not_quadratic():
    """20 000 VNets (one overlapping pair planted) in well under a second; the pairwise way would
    compare 200 million pairs."""
    base = int(ipaddress.ip_address("10.0.0.0"))
    vnets = [VNet(None, f"/v/{i}", f"v{i}", [ipaddress.ip_network((base + i * 256, 24))]) for i in range(20_000)]
    vnets.append(VNet(None, "/v/dup", "dup", [ipaddress.ip_network("10.0.77.0/25")]))
    topo = Topology.__new__(Topology)
    topo.vnets = vnets
    started = time.perf_counter()
    findings = list(_overlaps(topo))
    elapsed = time.perf_counter() - started
    assert [(f.address, f.related) for f in findings] == [("/v/dup", ("/v/77",))]
    assert elapsed < 1.0


def test_overlap_sweep_finds_every_overlapping_vnet_of_a_nest():
    nets = {"big": "10.0.0.0/8", "a": "10.1.0.0/16", "b": "10.2.0.0/16", "a1": "10.1.5.0/24", "free": "11.0.0.0/8"}
    topo = Topology.__new__(Topology)
    topo.vnets = [VNet(None, f"/v/{k}", k, [ipaddress.ip_network(v)]) for k, v in nets.items()]
    found = {(f.address, f.related) for f in _overlaps(topo)}
    assert found == {("/v/a", ("/v/big",)), ("/v/b", ("/v/big",)), ("/v/a1", ("/v/big",))}
