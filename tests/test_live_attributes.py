"""Live ARM resources answer azurerm attribute names (pytest_cloudcheck/sources/live/attributes.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import REAL_PLANS
from test_live import CONFTEST, live_args

from pytest_cloudcheck.model import arm_values
from pytest_cloudcheck.sources.live import attributes as la
from pytest_cloudcheck.sources.live.keys import KeyRef, KeyResult, Unreadable, key_resource
from pytest_cloudcheck.sources.live.mapping import live_resource, to_resources

DOCS = Path(__file__).parents[1] / "docs" / "live.md"
SUB = "/subscriptions/8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02/resourceGroups/rg-almere-prod-weu"
VNET = f"{SUB}/providers/Microsoft.Network/virtualNetworks/vnet-almere-prod-weu"


# ---------------------------------------------------------------------------------------------
# converters: a compliant and a non-compliant (or unrecognised) value each

CONVERTERS = [
    (la.enabled_flag, "Disabled", False),
    (la.enabled_flag, "Enabled", True),
    (la.enabled_flag, "enabled", True),
    (la.enabled_flag, "SecuredByPerimeter", la.ABSENT),
    (la.enabled_flag, None, la.ABSENT),
    (la.negated, True, False),
    (la.negated, False, True),
    (la.negated, "true", la.ABSENT),
    (la.sku_replication, "Standard_ZRS", "ZRS"),
    (la.sku_replication, "Standard_LRS", "LRS"),
    (la.sku_replication, "Premium", la.ABSENT),
    (la.sku_tier, "Premium_ZRS", "Premium"),
    (la.resource_group, f"{SUB}/providers/Microsoft.Network/publicIPAddresses/pip", "rg-almere-prod-weu"),
    (la.resource_group, "/subscriptions/x", la.ABSENT),
    (la.parent_name, f"{VNET}/subnets/snet-app", "vnet-almere-prod-weu"),
    (la.parent_id, f"{VNET}/subnets/snet-app", VNET),
    (la.epoch_to_rfc3339, int(datetime(2027, 12, 31, tzinfo=UTC).timestamp()), "2027-12-31T00:00:00Z"),
    (la.epoch_to_rfc3339, True, la.ABSENT),
    (la.epoch_to_rfc3339, "2027-12-31", la.ABSENT),
    (
        la.network_acls_block,
        {"defaultAction": "Deny", "bypass": "AzureServices"},
        [{"default_action": "Deny", "bypass": "AzureServices", "ip_rules": [], "virtual_network_subnet_ids": []}],
    ),
    (
        la.network_acls_block,
        {"defaultAction": "Allow", "ipRules": [{"value": "1.2.3.4/32"}]},
        [{"default_action": "Allow", "bypass": None, "ip_rules": ["1.2.3.4/32"], "virtual_network_subnet_ids": []}],
    ),
    (la.network_acls_block, "Deny", la.ABSENT),
    (la.route_blocks, [], []),
    (la.route_blocks, {"routes": []}, la.ABSENT),
    (la.identity_block, None, []),
    (la.identity_block, {"type": "None"}, []),
    (la.os_disk_block, [], la.ABSENT),
    (la.rotation_policy_block, "P1Y", la.ABSENT),
    (la.ip_configuration_blocks, {}, la.ABSENT),
]


@pytest.mark.parametrize(("convert", "arm", "terraform"), CONVERTERS)
def test_converter(convert: Any, arm: Any, terraform: Any) -> None:
    assert convert(arm) == terraform if terraform is not la.ABSENT else convert(arm) is la.ABSENT


def test_route_blocks_as_terraform_writes_them() -> None:
    routes = [
        {
            "name": "default",
            "properties": {
                "addressPrefix": "0.0.0.0/0",
                "nextHopType": "VirtualAppliance",
                "nextHopIpAddress": "10.0.0.4",
            },
        },
        {"name": "internet", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"}},
    ]
    assert la.route_blocks(routes) == [
        {
            "name": "default",
            "address_prefix": "0.0.0.0/0",
            "next_hop_type": "VirtualAppliance",
            "next_hop_in_ip_address": "10.0.0.4",
        },
        {
            "name": "internet",
            "address_prefix": "0.0.0.0/0",
            "next_hop_type": "Internet",
            "next_hop_in_ip_address": None,
        },
    ]


def test_ip_configuration_with_and_without_public_ip() -> None:
    configs = [
        {"name": "internal", "properties": {"subnet": {"id": f"{VNET}/subnets/snet-app"}, "primary": True}},
        {"name": "exposed", "properties": {"publicIPAddress": {"id": "/x/publicIPAddresses/pip"}}},
    ]
    private, exposed = la.ip_configuration_blocks(configs)
    assert private["public_ip_address_id"] is None and private["subnet_id"].endswith("/snet-app")
    assert exposed["public_ip_address_id"] == "/x/publicIPAddresses/pip"


def test_os_disk_with_and_without_encryption_set() -> None:
    with_des = {"name": "os", "managedDisk": {"diskEncryptionSet": {"id": "/x/des"}, "storageAccountType": "P"}}
    assert la.os_disk_block(with_des)[0]["disk_encryption_set_id"] == "/x/des"
    assert la.os_disk_block({"name": "os", "managedDisk": {}})[0]["disk_encryption_set_id"] is None


def test_rotation_policy_automatic_and_notify_only() -> None:
    automatic = {
        "attributes": {"expiryTime": "P1Y"},
        "lifetimeActions": [
            {"trigger": {"timeBeforeExpiry": "P30D"}, "action": {"type": "Rotate"}},
            {"trigger": {"timeBeforeExpiry": "P29D"}, "action": {"type": "notify"}},
        ],
    }
    assert la.rotation_policy_block(automatic) == [
        {
            "expire_after": "P1Y",
            "notify_before_expiry": "P29D",
            "automatic": [{"time_after_creation": None, "time_before_expiry": "P30D"}],
        }
    ]
    notify_only = {"lifetimeActions": [{"trigger": {"timeBeforeExpiry": "P30D"}, "action": {"type": "Notify"}}]}
    assert la.rotation_policy_block(notify_only) == [
        {"expire_after": None, "notify_before_expiry": "P30D", "automatic": []}
    ]


def test_identity_keeps_the_arm_keys_for_arm_readers() -> None:
    arm = {"type": "UserAssigned", "principalId": "p1", "tenantId": "t", "userAssignedIdentities": {"/x/id1": {}}}
    (block,) = la.identity_block(arm)
    assert (block["type"], block["identity_ids"], block["principal_id"]) == ("UserAssigned", ["/x/id1"], "p1")
    assert arm_values({"identity": [block]}, "identity[*].principalId") == ["p1"]
    assert arm_values({"identity": arm}, "identity[*].principalId") == ["p1"]  # azapi: ARM dict as is


# ---------------------------------------------------------------------------------------------
# the table applied to whole payloads


def _storage(**props: Any) -> dict[str, Any]:
    return {
        "id": f"{SUB}/providers/Microsoft.Storage/storageAccounts/stalmere",
        "name": "stalmere",
        "type": "microsoft.storage/storageaccounts",
        "sku": {"name": "Standard_ZRS", "tier": "Standard"},
        "kind": "StorageV2",
        "properties": props,
    }


def test_compliant_storage_account() -> None:
    r = live_resource(
        _storage(
            publicNetworkAccess="Disabled",
            MinimumTlsVersion="TLS1_2",  # case-insensitive, as in Azure Policy
            allowSharedKeyAccess=False,
            encryption={"requireInfrastructureEncryption": True},
        ),
        "live",
    )
    v = r.values
    assert (v["public_network_access_enabled"], v["min_tls_version"], v["shared_access_key_enabled"]) == (
        False,
        "TLS1_2",
        False,
    )
    assert (v["account_replication_type"], v["account_tier"], v["account_kind"]) == ("ZRS", "Standard", "StorageV2")
    assert v["infrastructure_encryption_enabled"] is True
    assert v["resource_group_name"] == "rg-almere-prod-weu"
    assert v["properties"]["publicNetworkAccess"] == "Disabled" and v["sku"]["name"] == "Standard_ZRS"  # ARM kept


def test_violating_storage_account_and_fail_closed_gaps() -> None:
    v = live_resource(_storage(publicNetworkAccess="Enabled", minimumTlsVersion="TLS1_0"), "live").values
    assert v["public_network_access_enabled"] is True and v["min_tls_version"] == "TLS1_0"
    # ARM did not say: absent, not a default that could pass
    assert "shared_access_key_enabled" not in v and "infrastructure_encryption_enabled" not in v
    # not in the table at all: absent
    assert "customer_managed_key" not in v and "network_rules" not in v
    assert v["identity"] == []  # no identity: Terraform writes an empty block list


def test_defaults_arm_omits_are_terraforms_defaults() -> None:
    vault = {
        "id": f"{SUB}/providers/Microsoft.KeyVault/vaults/kv",
        "type": "Microsoft.KeyVault/vaults",
        "properties": {"softDeleteRetentionInDays": 90},
    }
    v = live_resource(vault, "live").values
    assert v["purge_protection_enabled"] is False and v["rbac_authorization_enabled"] is False
    assert "public_network_access_enabled" not in v and "network_acls" not in v
    route_table = {
        "id": f"{SUB}/providers/Microsoft.Network/routeTables/rt",
        "type": "Microsoft.Network/routeTables",
        "properties": {},
    }
    assert live_resource(route_table, "live").values["route"] == []
    assert live_resource(route_table, "live").values["bgp_route_propagation_enabled"] is True


def test_children_get_their_parents_name() -> None:
    vnet = {
        "id": VNET,
        "type": "microsoft.network/virtualnetworks",
        "properties": {
            "addressSpace": {"addressPrefixes": ["10.1.0.0/20"]},
            "subnets": [{"id": f"{VNET}/subnets/snet-app", "name": "snet-app", "properties": {}}],
            "virtualNetworkPeerings": [
                {
                    "id": f"{VNET}/virtualNetworkPeerings/to-hub",
                    "name": "to-hub",
                    "properties": {
                        "remoteVirtualNetwork": {"id": "/x/virtualNetworks/vnet-hub-weu"},
                        "useRemoteGateways": True,
                    },
                },
            ],
        },
    }
    parent, subnet, peering = to_resources([vnet], "live")
    assert parent.values["address_space"] == ["10.1.0.0/20"]
    assert subnet.values["virtual_network_name"] == "vnet-almere-prod-weu"
    assert subnet.values["default_outbound_access_enabled"] is True  # ARM omits the default: open
    assert peering.values["remote_virtual_network_id"].endswith("/vnet-hub-weu")
    assert (peering.values["use_remote_gateways"], peering.values["allow_forwarded_traffic"]) == (True, False)


def test_nsg_rules_inline_and_as_resources() -> None:
    nsg_id = f"{SUB}/providers/Microsoft.Network/networkSecurityGroups/nsg-app"
    open_ssh = {"id": f"{nsg_id}/securityRules/ssh", "name": "ssh", "properties": {
        "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
        "sourceAddressPrefix": "*", "destinationPortRange": "22"}}  # fmt: skip
    deny_all = {"id": f"{nsg_id}/securityRules/deny", "name": "deny", "properties": {
        "priority": 4096, "direction": "Inbound", "access": "Deny", "protocol": "*"}}  # fmt: skip
    nsg = {"id": nsg_id, "type": "Microsoft.Network/networkSecurityGroups",
           "properties": {"securityRules": [open_ssh, deny_all]}}  # fmt: skip
    parent, ssh, deny = to_resources([nsg], "live")
    assert [(r["name"], r["access"], r["source_address_prefix"]) for r in parent.values["security_rule"]] == [
        ("ssh", "Allow", "*"),
        ("deny", "Deny", None),
    ]
    assert (ssh.values["destination_port_range"], ssh.values["network_security_group_name"]) == ("22", "nsg-app")
    assert deny.values["source_address_prefix"] is None and deny.values["priority"] == 4096


def test_unknown_types_get_only_the_common_attributes() -> None:
    row = {"id": f"{SUB}/providers/Microsoft.Foo/bars/b", "type": "Microsoft.Foo/bars", "properties": {"x": 1}}
    assert la.attributes_for("Microsoft.Foo/bars", row) == {"resource_group_name": "rg-almere-prod-weu"}


# ---------------------------------------------------------------------------------------------
# Key Vault keys: from the data plane; what was not read raises


def _key_result(missing: str | None = None) -> KeyResult:
    ref = KeyRef("https://kv.vault.azure.net", "cmk")
    if missing == "properties":
        return KeyResult(ref, error="HTTP 403 Forbidden", missing="properties")
    key = SimpleNamespace(
        name="cmk",
        id="https://kv.vault.azure.net/keys/cmk/abc",
        key=SimpleNamespace(kty="RSA-HSM", key_ops=["wrapKey", "unwrapKey"], n=b"x" * 384, crv=None),
        properties=SimpleNamespace(
            tags={},
            enabled=True,
            expires_on=datetime(2027, 12, 31, tzinfo=UTC),
            not_before=None,
            created_on=None,
            updated_on=None,
        ),
    )
    action = SimpleNamespace(time_after_create=None, time_before_expiry="P30D", action="Rotate")
    policy = SimpleNamespace(expires_in="P1Y", lifetime_actions=[action])
    if missing == "rotationPolicy":
        return KeyResult(ref, key=key, error="HTTP 403 Forbidden", missing="rotationPolicy")
    return KeyResult(ref, key=key, policy=policy)


def _vault() -> Any:
    return live_resource(
        {
            "id": f"{SUB}/providers/Microsoft.KeyVault/vaults/kv",
            "type": "Microsoft.KeyVault/vaults",
            "properties": {"vaultUri": "https://kv.vault.azure.net/"},
        },
        "live",
    )


def test_key_attributes_from_the_data_plane() -> None:
    v = key_resource(_key_result(), _vault(), "live").values
    assert (v["key_type"], v["key_size"], sorted(v["key_opts"])) == ("RSA-HSM", 3072, ["unwrapKey", "wrapKey"])
    assert v["expiration_date"] == "2027-12-31T00:00:00Z" and v["not_before_date"] is None
    assert v["rotation_policy"] == [
        {
            "expire_after": "P1Y",
            "notify_before_expiry": None,
            "automatic": [{"time_after_creation": None, "time_before_expiry": "P30D"}],
        }
    ]
    assert v["key_vault_id"].endswith("/vaults/kv") and v["versionless_id"] == "https://kv.vault.azure.net/keys/cmk"


@pytest.mark.parametrize("attr", ["key_type", "key_size", "key_opts", "expiration_date", "rotation_policy"])
def test_an_unreadable_key_raises_on_every_key_attribute(attr: str) -> None:
    v = key_resource(_key_result("properties"), _vault(), "live").values
    with pytest.raises(Unreadable, match=f"{attr} could not be read from live Azure"):
        v[attr]
    assert v["versionless_id"] == "https://kv.vault.azure.net/keys/cmk"  # known from the reference


def test_an_unreadable_rotation_policy_raises_only_there() -> None:
    v = key_resource(_key_result("rotationPolicy"), _vault(), "live").values
    assert v["key_type"] == "RSA-HSM"
    with pytest.raises(Unreadable, match="rotation_policy could not be read"):
        v["rotation_policy"]


# ---------------------------------------------------------------------------------------------
# as users run it: squad tests reading Terraform names against the fake Azure

SQUAD = """
import pytest

@pytest.mark.resources("azurerm_key_vault")
def test_vault_cannot_be_purged(resource):
    assert resource.values["purge_protection_enabled"] is True

@pytest.mark.resources("azurerm_key_vault")
def test_reads_an_attribute_live_does_not_know(resource):
    assert resource.values["access_policy"] == []
"""


def test_squad_test_on_live_sees_a_violation_and_errors_on_unknown_names(
    pytester: pytest.Pytester,
    azure: Any,
) -> None:
    rows = azure.rows["8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02"]
    vault = next(r for r in rows if r["name"] == "kv-zaanstad-prod-weu")
    vault["properties"] = {k: v for k, v in vault["properties"].items() if k != "enablePurgeProtection"}
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_squad=SQUAD)
    result = pytester.runpytest(*live_args(azure), "-rf")
    result.assert_outcomes(passed=6, failed=8)  # 7 vaults: one without purge protection; 7 unknown names
    result.stdout.fnmatch_lines(["FAILED *test_vault_cannot_be_purged*kv-zaanstad-prod-weu]*"])
    failed_on_unknown_name = [
        line for line in result.stdout.lines if line.startswith("E ") and "KeyError: 'access_policy'" in line
    ]  # the traceback's exception line, once per failed test (summary lines vary with pytest and width)
    assert len(failed_on_unknown_name) == 7


# ---------------------------------------------------------------------------------------------
# docs and real plans


def test_docs_are_generated_from_the_table() -> None:
    assert DOCS.read_text() == la.markdown(), "regenerate docs/live.md (see the comment at its top)"
    for resource_type, attrs in la.ATTRIBUTES.items():
        for attr in attrs:
            assert f"| `{attr.name}` | `{attr.path}` |" in DOCS.read_text(), (resource_type, attr.name)


def test_every_real_plan_resource_passes_through_the_table() -> None:
    from pytest_cloudcheck.settings import Settings
    from pytest_cloudcheck.sources import build_inventory

    plans = sorted(REAL_PLANS.glob("*.json")) if REAL_PLANS.is_dir() else []
    if not plans:
        pytest.skip(f"{REAL_PLANS} not found")
    for plan in plans:
        for r in build_inventory(Settings(plan=[plan])):
            if isinstance(r.values, dict):
                la.attributes_for(r.type, r.values)  # never raises, whatever the shape
