"""checks.nonprod_isolation: each rule compliant and violating, by ARM id, by configuration
reference only, across two plan files, on Terraform and ARM (azapi) value shapes."""

from __future__ import annotations

import pytest
from conftest import REAL_PLANS
from planbuilder import PlanBuilder, arm_id

from pytest_cloudcheck import checks
from pytest_cloudcheck.network import Ranges
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

PROD_SUB = "11111111-1111-1111-1111-111111111111"
TEST_SUB = "22222222-2222-2222-2222-222222222222"
HUB_SUB = "33333333-3333-3333-3333-333333333333"


def load(tmp_path, *plans: PlanBuilder, **extra):
    paths = [p.write(tmp_path / f"plan{i}.json") for i, p in enumerate(plans)]
    return build_inventory(Settings(plan=paths, extra=extra))


def found(inventory, check=None):
    return [(f.check, f.address, f.kind) for f in checks.nonprod_isolation(inventory) if check in (None, f.check)]


def landing(plan: PlanBuilder, env: str, sub: str, cidr: str) -> PlanBuilder:
    """A resource group, VNet, NSG, Key Vault, workspace and identity of one environment."""
    tag = {"environment": "prod" if env == "p" else "test"}
    rg = f"rg-{env}"
    plan.provider(sub)
    plan.resource("azurerm_resource_group.rg", {"name": rg, "location": "westeurope", "tags": tag}, unknown=["id"])
    common = {"resource_group_name": rg, "location": "westeurope"}
    plan.resource(
        "azurerm_virtual_network.vnet", {"name": f"vnet-{env}", "address_space": [cidr], **common}, unknown=["id"]
    )
    plan.resource("azurerm_network_security_group.nsg", {"name": f"nsg-{env}", **common}, unknown=["id"])
    plan.resource("azurerm_key_vault.kv", {"name": f"kv-{env}", **common}, unknown=["id"])
    plan.resource(
        "azurerm_key_vault_key.k",
        {"name": "cmk", "key_type": "RSA-HSM", "key_size": 2048},
        unknown=["id", "key_vault_id", "versionless_id"],
        refs={"key_vault_id": ["azurerm_key_vault.kv.id", "azurerm_key_vault.kv"]},
    )
    plan.resource("azurerm_log_analytics_workspace.law", {"name": f"law-{env}", **common}, unknown=["id"])
    plan.resource("azurerm_user_assigned_identity.app", {"name": f"id-{env}", **common}, unknown=["id", "principal_id"])
    plan.resource("azurerm_storage_account.data", {"name": f"st{env}data", **common}, unknown=["id"])
    return plan


def prod_plan(**kw) -> PlanBuilder:
    return landing(PlanBuilder(), "p", PROD_SUB, "10.1.0.0/16")


def nonprod_plan(**kw) -> PlanBuilder:
    return landing(PlanBuilder(), "t", TEST_SUB, "10.2.0.0/16")


def vnet_id(env: str, sub: str) -> str:
    return arm_id(sub, f"rg-{env}", "Microsoft.Network/virtualNetworks", f"vnet-{env}")


def test_two_separate_environments_are_compliant(tmp_path):
    assert found(load(tmp_path, prod_plan(), nonprod_plan())) == []


# -- peering ----------------------------------------------------------------------------------


def _peering(plan: PlanBuilder, name: str, remote: str) -> None:
    plan.resource(
        f"azurerm_virtual_network_peering.{name}",
        {
            "name": name,
            "resource_group_name": "rg-t",
            "virtual_network_name": "vnet-t",
            "remote_virtual_network_id": remote,
        },
        unknown=["id"],
    )


def test_peering_across_two_plan_files_by_arm_id(tmp_path):
    nonprod = nonprod_plan()
    _peering(nonprod, "to_prod", vnet_id("p", PROD_SUB))
    findings = checks.nonprod_isolation(load(tmp_path, prod_plan(), nonprod))
    assert [(f.check, f.address) for f in findings] == [
        ("isolation.peering", "azurerm_virtual_network_peering.to_prod")
    ]
    (f,) = findings
    assert f.related == ("plan1:azurerm_virtual_network.vnet", "plan0:azurerm_virtual_network.vnet")
    assert "(nonprod)" in f.message and "(prod)" in f.message and "remote_virtual_network_id" in f.message
    assert "found by ARM id" in f.message


def test_peering_to_the_shared_hub_is_compliant(tmp_path):
    hub = PlanBuilder().provider(HUB_SUB)
    hub.resource(
        "azurerm_virtual_network.hub",
        {
            "name": "vnet-hub",
            "resource_group_name": "rg-hub",
            "address_space": ["10.0.0.0/16"],
            "tags": {"environment": "prod"},
        },
        unknown=["id"],
    )
    nonprod = nonprod_plan()
    _peering(nonprod, "to_hub", vnet_id("hub", HUB_SUB))
    assert found(load(tmp_path, hub, nonprod, prod_plan(), shared=["^rg-hub$"])) == []
    assert found(load(tmp_path, hub, nonprod, prod_plan()), "isolation.peering")  # hub unconfigured: tagged prod


def test_peering_visible_only_through_configuration_references(tmp_path):
    plan = nonprod_plan()
    plan.resource(
        "azurerm_virtual_network.other",
        {"name": "vnet-other", "resource_group_name": "rg-x", "tags": {"environment": "prod"}},
        unknown=["id"],
    )
    plan.resource(
        "azurerm_virtual_network_peering.by_ref",
        {"name": "p", "resource_group_name": "rg-t", "virtual_network_name": "vnet-t"},
        unknown=["id", "remote_virtual_network_id"],
        refs={"remote_virtual_network_id": ["azurerm_virtual_network.other.id", "azurerm_virtual_network.other"]},
    )
    findings = checks.nonprod_isolation(load(tmp_path, plan))
    assert [(f.check, f.address, f.kind) for f in findings] == [
        ("isolation.peering", "azurerm_virtual_network_peering.by_ref", "violation")
    ]
    assert "found by configuration reference" in findings[0].message


def test_peering_to_an_unknown_remote_is_reported_as_unknown(tmp_path):
    plan = nonprod_plan()
    plan.resource(
        "azurerm_virtual_network_peering.unknown",
        {"name": "p", "resource_group_name": "rg-t", "virtual_network_name": "vnet-t"},
        unknown=["id", "remote_virtual_network_id"],
    )
    assert found(load(tmp_path, plan)) == [("isolation.peering", "azurerm_virtual_network_peering.unknown", "unknown")]


@pytest.mark.parametrize(("remote_env", "sub", "expected"), [("p", PROD_SUB, 1), ("t", TEST_SUB, 0)])
def test_azapi_peering_reads_arm_shape(tmp_path, remote_env, sub, expected):
    nonprod = nonprod_plan()
    nonprod.resource(
        "azapi_resource.peer",
        {
            "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-09-01",
            "name": "peer",
            "parent_id": vnet_id("t", TEST_SUB),
            "body": {"properties": {"remoteVirtualNetwork": {"id": vnet_id(remote_env, sub)}}},
        },
        unknown=["id"],
    )
    findings = found(load(tmp_path, prod_plan(), nonprod), "isolation.peering")
    assert findings == [("isolation.peering", "azapi_resource.peer", "violation")] * expected


# -- keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key_env", "expected"), [("t", 1), ("p", 0)])
def test_data_under_a_key_of_the_other_environment(tmp_path, key_env, expected):
    plan = prod_plan()
    plan.resource(
        "azurerm_storage_account.reports",
        {
            "name": "streports",
            "resource_group_name": "rg-p",
            "customer_managed_key": [{"key_vault_key_id": "(set at apply)"}],
        },
        unknown=["id", "customer_managed_key.0.key_vault_key_id"],
        refs={"customer_managed_key.key_vault_key_id": ["azurerm_key_vault_key.other.versionless_id"]},
    )
    plan.resource(
        "azurerm_key_vault.other",
        {"name": "kv-other", "tags": {"environment": "prod" if key_env == "p" else "test"}},
        unknown=["id"],
    )
    plan.resource(
        "azurerm_key_vault_key.other",
        {"name": "cmk", "key_type": "RSA-HSM", "key_size": 2048},
        unknown=["id", "key_vault_id", "versionless_id"],
        refs={"key_vault_id": ["azurerm_key_vault.other.id", "azurerm_key_vault.other"]},
    )
    findings = checks.nonprod_isolation(load(tmp_path, plan))
    assert [(f.check, f.address) for f in findings] == [
        ("isolation.cmk_key", "azurerm_storage_account.reports")
    ] * expected
    if expected:
        assert findings[0].related == ("azurerm_key_vault.other",)


def test_key_url_of_a_vault_in_another_plan_file(tmp_path):
    plan = prod_plan()
    plan.resource(
        "azurerm_storage_account.reports",
        {
            "name": "streports",
            "resource_group_name": "rg-p",
            "customer_managed_key": [{"key_vault_key_id": "https://kv-t.vault.azure.net/keys/cmk"}],
        },
        unknown=["id"],
    )
    assert found(load(tmp_path, plan, nonprod_plan()), "isolation.cmk_key") == [
        ("isolation.cmk_key", "azurerm_storage_account.reports", "violation")
    ]


# -- private endpoints ----------------------------------------------------------------------


@pytest.mark.parametrize(("target_env", "sub", "expected"), [("p", PROD_SUB, 1), ("t", TEST_SUB, 0)])
def test_private_endpoint_to_the_other_environment(tmp_path, target_env, sub, expected):
    nonprod = nonprod_plan()
    target = arm_id(sub, f"rg-{target_env}", "Microsoft.Storage/storageAccounts", f"st{target_env}data")
    nonprod.resource(
        "azurerm_private_endpoint.pe",
        {
            "name": "pe",
            "resource_group_name": "rg-t",
            "private_service_connection": [{"name": "blob", "private_connection_resource_id": target}],
        },
        unknown=["id"],
    )
    nonprod.resource(
        "azapi_resource.pe",
        {
            "type": "Microsoft.Network/privateEndpoints@2023-09-01",
            "name": "pe-arm",
            "parent_id": arm_id(TEST_SUB, "rg-t", "", "").split("/providers")[0],
            "body": {
                "properties": {
                    "privateLinkServiceConnections": [{"name": "c", "properties": {"privateLinkServiceId": target}}]
                }
            },
        },
        unknown=["id"],
    )
    findings = found(load(tmp_path, prod_plan(), nonprod))
    assert (
        findings
        == [
            ("isolation.private_endpoint", "azapi_resource.pe", "violation"),
            ("isolation.private_endpoint", "azurerm_private_endpoint.pe", "violation"),
        ][: 2 * expected]
    )


# -- role assignments -----------------------------------------------------------------------


@pytest.mark.parametrize(("identity_env", "expected"), [("t", 1), ("p", 0)])
def test_nonprod_identity_on_a_prod_scope_through_references_and_two_files(tmp_path, identity_env, expected):
    nonprod, production = nonprod_plan(), prod_plan()
    holder = nonprod if identity_env == "t" else production
    holder.resource(
        "azurerm_role_assignment.on_prod",
        {"scope": f"/subscriptions/{PROD_SUB}/resourceGroups/rg-p", "role_definition_name": "Contributor"},
        unknown=["id", "principal_id"],
        refs={
            "principal_id": ["azurerm_user_assigned_identity.app.principal_id", "azurerm_user_assigned_identity.app"]
        },
    )
    findings = checks.nonprod_isolation(load(tmp_path, production, nonprod))
    assert [(f.check, f.address) for f in findings] == [
        ("isolation.role_assignment", "azurerm_role_assignment.on_prod")
    ] * expected
    if expected:
        assert findings[0].related == ("plan0:azurerm_resource_group.rg", "plan1:azurerm_user_assigned_identity.app")
        assert "'Contributor'" in findings[0].message


def test_role_assignment_in_arm_shape_by_principal_id(tmp_path):
    nonprod = nonprod_plan()
    nonprod.resource(
        "azurerm_user_assigned_identity.known",
        {"name": "id-known", "resource_group_name": "rg-t", "principal_id": "aaaa-bbbb"},
        unknown=["id"],
    )
    nonprod.resource(
        "azapi_resource.ra",
        {
            "type": "Microsoft.Authorization/roleAssignments@2022-04-01",
            "name": "guid",
            "parent_id": f"/subscriptions/{PROD_SUB}/resourceGroups/rg-p",
            "body": {"properties": {"principalId": "AAAA-BBBB", "roleDefinitionId": "/x"}},
        },
        unknown=["id"],
    )
    assert found(load(tmp_path, prod_plan(), nonprod)) == [
        ("isolation.role_assignment", "azapi_resource.ra", "violation")
    ]


# -- diagnostics and replication ------------------------------------------------------------


@pytest.mark.parametrize(("sink", "expected"), [("t", 1), ("p", 0)])
def test_prod_diagnostics_to_a_nonprod_workspace(tmp_path, sink, expected):
    production = prod_plan()
    sub = TEST_SUB if sink == "t" else PROD_SUB
    workspace = arm_id(sub, f"rg-{sink}", "Microsoft.OperationalInsights/workspaces", f"law-{sink}")
    production.resource(
        "azurerm_monitor_diagnostic_setting.kv",
        {"name": "diag", "log_analytics_workspace_id": workspace},
        unknown=["id", "target_resource_id"],
        refs={"target_resource_id": ["azurerm_key_vault.kv.id", "azurerm_key_vault.kv"]},
    )
    production.resource(
        "azapi_resource.diag",
        {
            "type": "Microsoft.Insights/diagnosticSettings@2021-05-01-preview",
            "name": "diag-arm",
            "parent_id": arm_id(PROD_SUB, "rg-p", "Microsoft.KeyVault/vaults", "kv-p"),
            "body": {"properties": {"workspaceId": workspace}},
        },
        unknown=["id"],
    )
    assert (
        found(load(tmp_path, production, nonprod_plan()))
        == [
            ("isolation.diagnostics", "azapi_resource.diag", "violation"),
            ("isolation.diagnostics", "azurerm_monitor_diagnostic_setting.kv", "violation"),
        ][: 2 * expected]
    )


@pytest.mark.parametrize(("source_env", "expected"), [("p", 1), ("t", 0)])
def test_replicas_spanning_the_two(tmp_path, source_env, expected):
    nonprod = nonprod_plan()
    nonprod.resource(
        "azurerm_postgresql_flexible_server.replica",
        {"name": "psql-replica", "resource_group_name": "rg-t", "create_mode": "Replica"},
        unknown=["id", "source_server_id"],
        refs={
            "source_server_id": [
                "azurerm_postgresql_flexible_server.source.id",
                "azurerm_postgresql_flexible_server.source",
            ]
        },
    )
    nonprod.resource(
        "azurerm_postgresql_flexible_server.source",
        {"name": "psql", "tags": {"environment": "prod" if source_env == "p" else "test"}},
        unknown=["id"],
    )
    production = prod_plan()
    production.resource("azurerm_mssql_server.sql", {"name": "sql-p", "resource_group_name": "rg-p"}, unknown=["id"])
    partner = arm_id(
        TEST_SUB if expected else PROD_SUB, "rg-t" if expected else "rg-p", "Microsoft.Sql/servers", "sql-t"
    )
    production.resource(
        "azurerm_mssql_failover_group.fg",
        {"name": "fg", "partner_server": [{"id": partner}]},
        unknown=["id", "server_id"],
        refs={"server_id": ["azurerm_mssql_server.sql.id", "azurerm_mssql_server.sql"]},
    )
    nonprod.resource("azurerm_mssql_server.sql", {"name": "sql-t", "resource_group_name": "rg-t"}, unknown=["id"])
    assert (
        found(load(tmp_path, production, nonprod))
        == [
            ("isolation.replication", "azurerm_mssql_failover_group.fg", "violation"),
            ("isolation.replication", "azurerm_postgresql_flexible_server.replica", "violation"),
        ][: 2 * expected]
    )


def test_storage_object_replication(tmp_path):
    production = prod_plan()
    production.resource(
        "azurerm_storage_object_replication.copy",
        {
            "source_storage_account_id": arm_id(PROD_SUB, "rg-p", "Microsoft.Storage/storageAccounts", "stpdata"),
            "destination_storage_account_id": arm_id(TEST_SUB, "rg-t", "Microsoft.Storage/storageAccounts", "sttdata"),
        },
        unknown=["id"],
    )
    assert found(load(tmp_path, production, nonprod_plan())) == [
        ("isolation.replication", "azurerm_storage_object_replication.copy", "violation")
    ]


# -- address ranges -------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "expected"), [("10.2.4.0/24", 1), ("10.0.2.0/26", 0), ("*", 0)])
def test_nsg_rules_letting_nonprod_ranges_into_prod(tmp_path, source, expected):
    production = prod_plan()
    production.resource(
        "azurerm_network_security_rule.r",
        {
            "name": "r",
            "access": "Allow",
            "direction": "Inbound",
            "source_address_prefix": source,
            "destination_address_prefix": "VirtualNetwork",
            "network_security_group_name": "nsg-p",
            "resource_group_name": "rg-p",
        },
        unknown=["id"],
    )
    production.resource(
        "azurerm_network_security_group.inline",
        {
            "name": "nsg-inline",
            "resource_group_name": "rg-p",
            "security_rule": [
                {
                    "name": "in",
                    "access": "Allow",
                    "direction": "Inbound",
                    "source_address_prefixes": [source],
                    "destination_address_prefix": "10.1.0.0/24",
                },
                {
                    "name": "deny",
                    "access": "Deny",
                    "direction": "Inbound",
                    "source_address_prefix": "10.2.0.0/16",
                    "destination_address_prefix": "*",
                },
            ],
        },
        unknown=["id"],
    )
    assert (
        found(load(tmp_path, production, nonprod_plan()))
        == [
            ("isolation.nsg_rule", "azurerm_network_security_group.inline", "violation"),
            ("isolation.nsg_rule", "azurerm_network_security_rule.r", "violation"),
        ][: 2 * expected]
    )


@pytest.mark.parametrize("unknown", ["source_address_prefix", "access", "direction"])
def test_prod_nsg_rule_unknown_at_plan_time_is_reported_unknown(tmp_path, unknown):
    production = prod_plan()
    rule = {
        "name": "r",
        "access": "Allow",
        "direction": "Inbound",
        "source_address_prefix": "10.0.2.0/26",
        "destination_address_prefix": "VirtualNetwork",
        "network_security_group_name": "nsg-p",
        "resource_group_name": "rg-p",
    }
    production.resource("azurerm_network_security_rule.r", rule, unknown=["id", unknown])
    assert found(load(tmp_path, production, nonprod_plan())) == [
        ("isolation.nsg_rule", "azurerm_network_security_rule.r", "unknown")
    ]
    production = prod_plan()
    production.resource("azurerm_network_security_rule.r", rule, unknown=["id"])
    assert found(load(tmp_path, production, nonprod_plan())) == []


def test_nonprod_range_from_the_ip_plan(tmp_path):
    production = prod_plan()
    production.resource(
        "azurerm_network_security_rule.r",
        {
            "name": "r",
            "access": "Allow",
            "direction": "Inbound",
            "source_address_prefix": "10.9.1.0/24",
            "destination_address_prefix": "*",
            "network_security_group_name": "nsg-p",
            "resource_group_name": "rg-p",
        },
        unknown=["id"],
    )
    assert found(load(tmp_path, production)) == []
    assert found(load(tmp_path, production, ip_plan=["nonprod = 10.9.0.0/16"])) == [
        ("isolation.nsg_rule", "azurerm_network_security_rule.r", "violation")
    ]


@pytest.mark.parametrize(("source", "expected"), [("10.2.0.0/16", 1), ("10.1.0.0/16", 0)])
def test_firewall_policy_rules(tmp_path, source, expected):
    hub = PlanBuilder().provider(HUB_SUB)
    hub.resource(
        "azurerm_firewall_policy_rule_collection_group.rules",
        {
            "name": "rules",
            "network_rule_collection": [
                {
                    "name": "c",
                    "action": "Allow",
                    "priority": 100,
                    "rule": [
                        {
                            "name": "to-prod-sql",
                            "source_addresses": [source],
                            "destination_addresses": ["10.1.2.0/24"],
                            "destination_ports": ["1433"],
                        }
                    ],
                }
            ],
        },
        unknown=["id"],
    )
    findings = checks.nonprod_isolation(load(tmp_path, hub, prod_plan(), nonprod_plan()))
    assert [(f.check, f.address) for f in findings] == [
        ("isolation.firewall_rule", "azurerm_firewall_policy_rule_collection_group.rules")
    ] * expected
    if expected:
        assert "'to-prod-sql'" in findings[0].message and "10.2.0.0/16" in findings[0].message


def test_ranges_overlap():
    import ipaddress

    ranges = Ranges(ipaddress.ip_network(n) for n in ("10.1.0.0/20", "10.1.16.0/20", "10.3.0.0/16", "fd00::/8"))
    assert ranges.overlap(ipaddress.ip_network("10.1.20.0/24")) == "10.1.0.0/20"
    assert ranges.overlap(ipaddress.ip_network("10.0.0.0/8")) in ("10.1.0.0/20", "10.3.0.0/16")
    assert ranges.overlap(ipaddress.ip_network("10.2.0.0/16")) is None
    assert ranges.overlap(ipaddress.ip_network("fd00:1::/64")) == "fd00::/8"


# -- views and real plans -------------------------------------------------------------------


def test_environment_view_still_sees_the_other_side(tmp_path):
    nonprod = nonprod_plan()
    _peering(nonprod, "to_prod", vnet_id("p", PROD_SUB))
    inventory = load(tmp_path, prod_plan(), nonprod)
    assert found(inventory.only("nonprod")) == [
        ("isolation.peering", "azurerm_virtual_network_peering.to_prod", "violation")
    ]
    assert found(inventory.only("prod")) == []


REAL = sorted(REAL_PLANS.glob("*.json")) if REAL_PLANS.is_dir() else []


@pytest.mark.skipif(not REAL, reason=f"{REAL_PLANS} not found")
def test_every_real_plan_runs_through_the_check():
    for path in REAL:
        inventory = build_inventory(Settings(plan=[path], allow_empty=True))
        for finding in checks.nonprod_isolation(inventory):
            assert finding.check.startswith("isolation.") and "\n" not in finding.message


def test_examples_compliant_and_noncompliant(request):
    examples = request.config.rootpath / "examples"
    if not (examples / "noncompliant" / "plans").is_dir():
        pytest.skip("examples not there")
    compliant = build_inventory(Settings(plan=[examples / "landing_zone" / "plans"], extra={"shared": ["^rg-hub-"]}))
    assert found(compliant) == []
    planted = build_inventory(Settings(plan=[examples / "noncompliant" / "plans"], extra={"shared": ["^rg-hub-"]}))
    assert found(planted) == [
        ("isolation.cmk_key", "azurerm_storage_account.shared_reports", "violation"),
        ("isolation.diagnostics", "azurerm_monitor_diagnostic_setting.almere_kv_to_test", "violation"),
        ("isolation.nsg_rule", "azurerm_network_security_rule.allow_nonprod", "violation"),
        ("isolation.peering", "azurerm_virtual_network_peering.zaanstad_test_to_prod", "violation"),
        ("isolation.private_endpoint", "azurerm_private_endpoint.prod_storage", "violation"),
        ("isolation.role_assignment", "azurerm_role_assignment.test_identity_on_prod", "violation"),
    ]
