"""The SLA checks give the same findings on a plan and on the live subscriptions it became.

A Prod and a NonProd landing with the SKUs, tiers, zones, HA modes, storage redundancy and
instance counts the SLA table reads is written as Terraform plans, converted to the ARM rows
Azure would return for it (tests/fakeazure/convert.py, property names as in real payloads: see
test_fake_matches_real), served by the fake Azure, and checked through pytest both ways:
`checks.sla`, `checks.nonprod_cost` and `checks.overbuilt` find the same things on both.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakeazure import FakeAzure
from fakeazure.convert import Landing, convert
from fakeazure.fixtures import NONPROD, PROD
from planbuilder import PlanBuilder

FAMILIES = ("sla", "nonprod_cost", "overbuilt")


def _landing(env: str) -> PlanBuilder:
    """One environment's workloads: what each line buys or lacks is said beside it."""
    prod = env == "prod"
    plan = PlanBuilder().provider(PROD if prod else NONPROD)
    rg = f"rg-shop-{env}"
    tags = {"environment": env if prod else "test"}

    def add(address: str, values: dict[str, Any], **kw: Any) -> None:
        name = address.split(".")[-1].replace("_", "-") + f"-{env}"
        plan.resource(
            address, {"name": name, "location": "westeurope", "resource_group_name": rg, "tags": tags, **values}, **kw
        )

    plan.resource("azurerm_resource_group.shop", {"name": rg, "location": "westeurope", "tags": tags})
    disk = {"caching": "ReadWrite", "storage_account_type": "Premium_LRS" if prod else "StandardSSD_LRS"}
    # web tier: two VMs of one size in two zones (99.99%); NonProd pays for nothing
    for i in (1, 2):
        add(f"azurerm_linux_virtual_machine.web{i}", {"size": "Standard_D2s_v5", "zone": str(i), "os_disk": [disk]})
    # api tier: two Standard SSD VMs in an existing availability set (99.95%)
    sub = PROD if prod else NONPROD
    aset = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/availabilitySets/api"
    ssd = {"caching": "ReadWrite", "storage_account_type": "StandardSSD_LRS"}
    for i in (1, 2):
        add(
            f"azurerm_linux_virtual_machine.api{i}",
            {"size": "Standard_D2s_v5", "availability_set_id": aset, "os_disk": [ssd]},
        )
    # a batch VM on a Standard HDD: 95% in Prod
    add("azurerm_linux_virtual_machine.batch", {"size": "Standard_D2s_v5",
        "os_disk": [{"caching": "ReadWrite", "storage_account_type": "Standard_LRS"}]})  # fmt: skip
    add("azurerm_storage_account.data", {"account_tier": "Standard", "access_tier": "Hot",
        "account_replication_type": "ZRS" if prod else "GRS"})  # fmt: skip  # NonProd: geo-redundant
    add("azurerm_storage_account.archive", {"account_tier": "Standard", "account_replication_type": "LRS",
        "access_tier": "Cool" if prod else "Hot"})  # fmt: skip  # Prod: cool tier, 99%
    add("azurerm_kubernetes_cluster.aks", {"sku_tier": "Free" if prod else "Standard",
        "default_node_pool": [{"name": "system", "node_count": 3, "vm_size": "Standard_D4s_v5",
                               "zones": ["1", "2", "3"]}]})  # fmt: skip
    add("azurerm_service_plan.web", {"os_type": "Linux", "sku_name": "P1v3", "worker_count": 3,
        "zone_balancing_enabled": not prod})  # fmt: skip  # NonProd: zone balancing and three workers
    add("azurerm_service_plan.tools", {"os_type": "Linux", "sku_name": "F1" if prod else "B1"})  # Prod: Free
    add("azurerm_postgresql_flexible_server.orders", {"sku_name": "GP_Standard_D2ds_v4",
        "high_availability": [{"mode": "ZoneRedundant"}], "geo_redundant_backup_enabled": not prod})  # fmt: skip
    add("azurerm_redis_cache.session", {"sku_name": "Basic" if prod else "Standard", "family": "C", "capacity": 1})
    add(
        "azurerm_lb.internal",
        {"sku": "Standard", "frontend_ip_configuration": [{"name": "fe", "zones": ["1", "2", "3"]}]},
    )
    add("azurerm_mssql_server.sql", {"version": "12.0"})
    plan.resource(
        "azurerm_mssql_database.catalog",
        {"name": f"catalog-{env}", "sku_name": "BC_Gen5_2" if not prod else "GP_Gen5_2", "zone_redundant": False,
         "storage_account_type": "Local", "tags": tags},
        unknown=["server_id"],
        refs={"server_id": ["azurerm_mssql_server.sql.id", "azurerm_mssql_server.sql"]},
    )  # fmt: skip  # NonProd: Business Critical
    add("azurerm_cosmosdb_account.catalog", {"offer_type": "Standard", "multiple_write_locations_enabled": prod,
        "geo_location": [{"location": "westeurope", "failover_priority": 0},
                         {"location": "northeurope", "failover_priority": 1}]})  # fmt: skip  # Prod: beyond target
    return plan


def write_plans(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for env in ("prod", "nonprod"):
        _landing(env).write(folder / f"shop-{env}.json")
    return folder


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Landing]:
    plans = write_plans(tmp_path_factory.mktemp("shop") / "plans")
    return plans, convert(plans, 443)


@pytest.fixture(scope="module")
def fake(tmp_path_factory: pytest.TempPathFactory, shop: tuple[Path, Landing]) -> Iterator[FakeAzure]:
    """The fake Azure serving the shop (this module's `azure` fixture uses it)."""
    import azure.identity
    import azure.keyvault.keys
    import azure.mgmt.resourcegraph  # noqa: F401

    with FakeAzure(tmp_path_factory.mktemp("fakeazure")) as server:
        landing = convert(shop[0], server.port)
        server.rows = {sub: list(rows) for sub, rows in landing.rows.items()}
        server.keys, server.children = dict(landing.keys), dict(landing.children)
        server.landing = landing  # type: ignore[attr-defined]
        yield server


CONFTEST = """
from fakeazure.harness import StaticCredential

CREDENTIAL = StaticCredential()

def pytest_cloudcheck_credential(config):
    return CREDENTIAL
"""

SQUAD_TEST = """
import json
from pathlib import Path

from pytest_cloudcheck import checks


def test_sla_and_costs(cloud):
    found = [[f.check, f.kind, f.address] for name in {families!r} for f in checks.ALL[name](cloud)]
    Path({out!r}).write_text(json.dumps(found))
"""


def _findings(pytester: pytest.Pytester, out: Path, *args: str) -> set[tuple[str, str, str]]:
    pytester.makepyfile(test_squad=SQUAD_TEST.format(families=FAMILIES, out=str(out)))
    result = pytester.runpytest("-p", "no:cacheprovider", *args)
    result.assert_outcomes(passed=1)
    return {(check, kind, address) for check, kind, address in json.loads(out.read_text())}


def test_sla_and_cost_findings_are_the_same_on_plan_and_live(
    pytester: pytest.Pytester, azure: FakeAzure, shop: tuple[Path, Landing]
) -> None:
    plans, landing = shop
    on_plan = _findings(pytester, pytester.path / "plan.json", "--cloudcheck-plan", str(plans))
    pytester.makeconftest(CONFTEST)
    live_args = ["--cloudcheck-arm-endpoint", azure.url, "--cloudcheck-subscription", PROD]
    on_live = _findings(pytester, pytester.path / "live.json", *live_args, "--cloudcheck-subscription", NONPROD)
    # plan addresses as the ARM ids they became (a composite is said on its resource group)
    as_live = {(check, kind, landing.ids.get(address, address).lower()) for check, kind, address in on_plan}
    assert {(c, k, a.lower()) for c, k, a in on_live} == as_live
    names = sorted((check, address.rsplit("/", 1)[-1]) for check, _, address in on_live)
    # every planted case is found (the rest of the shop is compliant, and gives nothing)
    assert names == [
        ("cost.cosmosdb_account", "catalog-nonprod"),  # two regions
        ("cost.kubernetes_cluster", "aks-nonprod"),  # the Standard (uptime SLA) tier
        ("cost.mssql_database", "catalog-nonprod"),  # Business Critical
        ("cost.postgresql_flexible_server", "orders-nonprod"),  # zone-redundant HA, geo-redundant backups
        ("cost.redis_cache", "session-nonprod"),  # Standard: a replica
        ("cost.service_plan", "web-nonprod"),  # zone balancing, three workers
        ("cost.storage_account", "data-nonprod"),  # GRS
        ("overbuilt.cosmosdb_account", "catalog-prod"),  # multi-region writes
        ("sla.composite", "rg-shop-prod"),  # the workload: 0% (no SLA factors)
        ("sla.resource", "aks-prod"),  # Free tier
        ("sla.resource", "archive-prod"),  # cool tier, 99%
        ("sla.resource", "batch-prod"),  # single VM on Standard HDD, 95%
        ("sla.resource", "session-prod"),  # Redis Basic
        ("sla.resource", "tools-prod"),  # App Service Free
    ]
