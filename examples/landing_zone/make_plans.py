#!/usr/bin/env python3
"""Write the example plans (`terraform show -json` format 1.2) of the landing zone.

    python examples/landing_zone/make_plans.py          # rewrites the six plan files
    python examples/landing_zone/make_plans.py --hcl    # also rewrites the Terraform source;
                                                        # then run: terraform fmt -recursive examples

Every resource is declared once below, as HCL expression text plus the value Terraform computes
at plan time; `generator/` turns that into plan JSON and (with --hcl) into the .tf files, so the
source under terraform/ and the plans under plans/ are the same thing. Why not a real
`terraform plan`: the azurerm provider cannot be downloaded on the machines this project is
built on. Reference formats were checked against real Terraform 1.11 plans (see generator/tfplan.py).
Parts of the layout borrow from /work/shared/bench/gen_plan.py (the project's plan benchmark).

Two sets:
  examples/landing_zone/   compliant: hub + prod spokes + nonprod spokes for two municipalities
  examples/noncompliant/   the same, plus one planted violation per rule (see VIOLATIONS.md)
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from generator import hcl
from generator.tfplan import AB, UNKNOWN, B, Call, E, ModuleDef, Output, RootModule, Var, write_json

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.dirname(HERE)

LOCATION = "westeurope"
TENANT = "5b2f0c1e-7d4a-4e8b-9c3f-1a6d2e8b4f70"
SUB = {  # one subscription per landing zone, as handed out by subscription vending
    "connectivity": "3f1c2a9e-0b7d-4c55-9a61-1d2e3f405a01",
    "prod": "8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02",
    "nonprod": "c4e6a8b0-2d4f-4a6c-9e8b-3d5f7a9c1e03",
    "platform": "e6a8b0c2-4f6a-4c8e-8b0d-5f7a9c1e3a04",  # central key management (outside all plans)
}
HUB_RG, HUB_VNET = "rg-hub-connectivity-weu", "vnet-hub-weu"
HUB_FIREWALL_IP = "10.0.0.4"  # first usable address of AzureFirewallSubnet 10.0.0.0/26
KEY_EXPIRY = "2027-12-31T00:00:00Z"


def arm(sub, rg, provider_type, name):
    return f"/subscriptions/{SUB[sub]}/resourceGroups/{rg}/providers/{provider_type}/{name}"


HUB_VNET_ID = arm("connectivity", HUB_RG, "Microsoft.Network/virtualNetworks", HUB_VNET)

# The IP plan: hub 10.0.0.0/16, prod spokes from 10.1.0.0/16, nonprod spokes from 10.2.0.0/16, a /20 each.
MUNICIPALITIES = {
    "prod": {
        "zaanstad": {
            "address_space": "10.1.0.0/20",
            "subnets": {"snet-app": "10.1.0.0/24", "snet-data": "10.1.1.0/24", "snet-pe": "10.1.2.0/24"},
        },
        "almere": {
            "address_space": "10.1.16.0/20",
            "subnets": {"snet-app": "10.1.16.0/24", "snet-data": "10.1.17.0/24", "snet-pe": "10.1.18.0/24"},
        },
    },
    "nonprod": {
        "zaanstad": {
            "address_space": "10.2.0.0/20",
            "subnets": {"snet-app": "10.2.0.0/24", "snet-data": "10.2.1.0/24", "snet-pe": "10.2.2.0/24"},
        },
        "almere": {
            "address_space": "10.2.16.0/20",
            "subnets": {"snet-app": "10.2.16.0/24", "snet-data": "10.2.17.0/24", "snet-pe": "10.2.18.0/24"},
        },
    },
}
ENV_TAG = {"prod": "prod", "nonprod": "test"}  # OTAP value in the environment tag


def spoke_vnet_id(env, muni):
    e = ENV_TAG[env]
    return arm(env, f"rg-{muni}-{e}-weu", "Microsoft.Network/virtualNetworks", f"vnet-{muni}-{e}-weu")


def law_id(env):
    e = ENV_TAG[env]
    return arm(env, f"rg-monitoring-{e}-weu", "Microsoft.OperationalInsights/workspaces", f"law-spokes-{e}-weu")


# --------------------------------------------------------------------------- small helpers


def ref(text, value=UNKNOWN, **kw):
    return E(text, value, **kw)


def rg_name(rg):
    """`resource_group_name = azurerm_resource_group.<rg>.name` (names are known at plan time)."""
    return ref(
        f"azurerm_resource_group.{rg.name}.name",
        rg.attrs["name"].value if isinstance(rg.attrs["name"], E) else rg.attrs["name"],
    )


def name_of(res):
    v = res.attrs["name"]
    return ref(f"{res.type}.{res.name}.name", v.value if isinstance(v, E) else v)


def id_of(res, key=None, attr="id"):
    k = "" if key is None else f'["{key}"]'
    return ref(f"{res.type}.{res.name}{k}.{attr}")


def rotation_policy():
    return [B(automatic=[B(time_before_expiry="P30D")], expire_after="P1Y", notify_before_expiry="P29D")]


def log_cluster(m, suffix, law, key, rg, loc, tags):
    """A dedicated Log Analytics cluster with a customer-managed key, and the workspace linked to it:
    the only way to encrypt a workspace's data with CMK (checks.cmk: cmk.log_analytics_workspace)."""
    cluster = m.add(
        _r(
            "azurerm_log_analytics_cluster",
            suffix,
            file="monitoring",
            name=f"log-cluster-{law.attrs['name'][4:]}",
            location=loc,
            resource_group_name=rg_name(rg),
            size_gb=100,
            identity=[B(type="SystemAssigned")],
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_log_analytics_cluster_customer_managed_key",
            suffix,
            file="monitoring",
            log_analytics_cluster_id=id_of(cluster),
            key_vault_key_id=id_of(key, attr="versionless_id"),
        )
    )
    m.add(
        _r(
            "azurerm_log_analytics_linked_service",
            suffix,
            file="monitoring",
            workspace_id=id_of(law),
            write_access_id=id_of(cluster),
        )
    )
    return cluster


def tags_attr(text, value):
    return ref(text, value)


# --------------------------------------------------------------------------- hub (platform squad)

HUB_TAGS = {
    "environment": "prod",
    "municipality": "shared",
    "owner": "platform-squad",
    "managed_by": "terraform",
    "cost_center": "CC-1000",
}


def hub_body(m, v, extra=None):
    loc = ref("var.location", v["location"])
    tags = ref("local.tags", HUB_TAGS)
    rg = m.add(_r("azurerm_resource_group", "hub", name=HUB_RG, location=loc, tags=tags))
    law = m.add(
        _r(
            "azurerm_log_analytics_workspace",
            "hub",
            file="monitoring",
            name="law-hub-prod-weu",
            location=loc,
            resource_group_name=rg_name(rg),
            sku="PerGB2018",
            retention_in_days=90,
            tags=tags,
        )
    )
    vnet = m.add(
        _r(
            "azurerm_virtual_network",
            "hub",
            file="network",
            name=HUB_VNET,
            location=loc,
            resource_group_name=rg_name(rg),
            address_space=["10.0.0.0/16"],
            tags=ref('merge(local.tags, { role = "hub" })', {**HUB_TAGS, "role": "hub"}),
        )
    )
    subnets = {}
    for rname, sname, prefix in [
        ("firewall", "AzureFirewallSubnet", "10.0.0.0/26"),
        ("gateway", "GatewaySubnet", "10.0.1.0/27"),
        ("bastion", "AzureBastionSubnet", "10.0.2.0/26"),
        ("shared", "snet-shared", "10.0.3.0/24"),
    ]:
        subnets[rname] = m.add(
            _r(
                "azurerm_subnet",
                rname,
                file="network",
                name=sname,
                resource_group_name=rg_name(rg),
                virtual_network_name=name_of(vnet),
                address_prefixes=[prefix],
                default_outbound_access_enabled=False,
            )
        )
    nsg = m.add(
        _r(
            "azurerm_network_security_group",
            "shared",
            file="network",
            name="nsg-hub-shared-weu",
            location=loc,
            resource_group_name=rg_name(rg),
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_subnet_network_security_group_association",
            "shared",
            file="network",
            subnet_id=id_of(subnets["shared"]),
            network_security_group_id=id_of(nsg),
        )
    )
    rt = m.add(
        _r(
            "azurerm_route_table",
            "shared",
            file="network",
            name="rt-hub-shared-weu",
            location=loc,
            resource_group_name=rg_name(rg),
            bgp_route_propagation_enabled=False,
            route=AB(
                B(
                    name="default-via-firewall",
                    address_prefix="0.0.0.0/0",
                    next_hop_type="VirtualAppliance",
                    next_hop_in_ip_address=ref("local.firewall_private_ip", HUB_FIREWALL_IP),
                )
            ),
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_subnet_route_table_association",
            "shared",
            file="network",
            subnet_id=id_of(subnets["shared"]),
            route_table_id=id_of(rt),
        )
    )
    pips = {}
    for n in ["firewall", "vpn_gateway", "bastion"]:
        pips[n] = m.add(
            _r(
                "azurerm_public_ip",
                n,
                file="network",
                name=f"pip-hub-{n.replace('_', '-')}-weu",
                location=loc,
                resource_group_name=rg_name(rg),
                allocation_method="Static",
                sku="Standard",
                zones=["1", "2", "3"],
                tags=tags,
            )
        )
    policy = m.add(
        _r(
            "azurerm_firewall_policy",
            "hub",
            file="firewall",
            name="afwp-hub-weu",
            location=loc,
            resource_group_name=rg_name(rg),
            sku="Standard",
            threat_intelligence_mode="Deny",
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_firewall",
            "hub",
            file="firewall",
            name="afw-hub-weu",
            location=loc,
            resource_group_name=rg_name(rg),
            sku_name="AZFW_VNet",
            sku_tier="Standard",
            firewall_policy_id=id_of(policy),
            zones=["1", "2", "3"],
            ip_configuration=[
                B(name="ipconfig", subnet_id=id_of(subnets["firewall"]), public_ip_address_id=id_of(pips["firewall"]))
            ],
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_virtual_network_gateway",
            "vpn",
            file="network",
            name="vgw-hub-weu",
            location=loc,
            resource_group_name=rg_name(rg),
            type="Vpn",
            vpn_type="RouteBased",
            sku="VpnGw1AZ",
            generation="Generation1",
            active_active=False,
            ip_configuration=[
                B(
                    name="vnetGatewayConfig",
                    public_ip_address_id=id_of(pips["vpn_gateway"]),
                    private_ip_address_allocation="Dynamic",
                    subnet_id=id_of(subnets["gateway"]),
                )
            ],
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_bastion_host",
            "hub",
            file="network",
            name="bas-hub-weu",
            location=loc,
            resource_group_name=rg_name(rg),
            sku="Standard",
            ip_configuration=[
                B(
                    name="configuration",
                    subnet_id=id_of(subnets["bastion"]),
                    public_ip_address_id=id_of(pips["bastion"]),
                )
            ],
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_virtual_network_peering",
            "hub_to_spoke",
            file="network",
            for_each=ref("var.spoke_vnets", v["spoke_vnets"]),
            key_values=v["spoke_vnets"],
            build=lambda k, val: dict(
                name=ref('"peer-hub-to-${each.key}"', f"peer-hub-to-{k}"),
                resource_group_name=rg_name(rg),
                virtual_network_name=name_of(vnet),
                remote_virtual_network_id=ref("each.value", val),
                allow_virtual_network_access=True,
                allow_forwarded_traffic=True,
                allow_gateway_transit=True,
                use_remote_gateways=False,
            ),
            depends_on=["azurerm_virtual_network_gateway.vpn"],
            comment="The hub side of every spoke peering. The spokes live in other subscriptions and state\n"
            "files, so their VNet ids are given as literal ARM ids (var.spoke_vnets).",
        )
    )
    # platform Key Vault with HSM keys for the platform's own data (flow logs)
    kv = m.add(
        _r(
            "azurerm_key_vault",
            "hub",
            file="keyvault",
            name="kv-hub-platform-weu",
            location=loc,
            resource_group_name=rg_name(rg),
            tenant_id=ref("var.tenant_id", v["tenant_id"]),
            sku_name="premium",
            purge_protection_enabled=True,
            soft_delete_retention_days=90,
            rbac_authorization_enabled=True,
            public_network_access_enabled=False,
            network_acls=[B(bypass="AzureServices", default_action="Deny")],
            tags=tags,
        )
    )
    keys = {}
    for n, size in [("storage", 4096), ("logs", 3072)]:
        keys[n] = m.add(
            _r(
                "azurerm_key_vault_key",
                n,
                file="keyvault",
                name=f"cmk-platform-{n}",
                key_vault_id=id_of(kv),
                key_type="RSA-HSM",
                key_size=size,
                key_opts=["unwrapKey", "wrapKey"],
                expiration_date=KEY_EXPIRY,
                rotation_policy=rotation_policy(),
                tags=tags,
            )
        )
    log_cluster(m, "hub", law, keys["logs"], rg, loc, tags)
    uai = m.add(
        _r(
            "azurerm_user_assigned_identity",
            "cmk",
            file="keyvault",
            name="id-hub-cmk-weu",
            location=loc,
            resource_group_name=rg_name(rg),
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_role_assignment",
            "cmk_crypto_user",
            file="keyvault",
            scope=id_of(kv),
            role_definition_name="Key Vault Crypto Service Encryption User",
            principal_id=id_of(uai, attr="principal_id"),
        )
    )
    m.add(
        _r(
            "azurerm_storage_account",
            "flowlogs",
            file="monitoring",
            name="sthubflowlogsweu",
            location=loc,
            resource_group_name=rg_name(rg),
            **storage_hardening("ZRS"),
            identity=[B(type="UserAssigned", identity_ids=ref("[azurerm_user_assigned_identity.cmk.id]", [UNKNOWN]))],
            customer_managed_key=[
                B(key_vault_key_id=id_of(keys["storage"], attr="versionless_id"), user_assigned_identity_id=id_of(uai))
            ],
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_monitor_diagnostic_setting",
            "firewall",
            file="monitoring",
            name="diag-afw-hub",
            target_resource_id=ref("azurerm_firewall.hub.id"),
            log_analytics_workspace_id=id_of(law),
            log_analytics_destination_type="Dedicated",
            enabled_log=[B(category_group="allLogs")],
            metric=[B(category="AllMetrics")],
        )
    )
    m.add(
        _r(
            "azurerm_monitor_diagnostic_setting",
            "key_vault",
            file="monitoring",
            name="diag-kv-hub",
            target_resource_id=id_of(kv),
            log_analytics_workspace_id=id_of(law),
            enabled_log=[B(category_group="audit")],
            metric=[B(category="AllMetrics")],
        )
    )


def hub_module(spoke_vnets):
    variables = {
        "location": Var("string", LOCATION, "Azure region of the platform."),
        "tenant_id": Var("string", TENANT, "Entra ID tenant of the Key Vaults."),
        "spoke_vnets": Var(
            "map(string)",
            spoke_vnets,
            "Spoke VNets to peer with, by name: literal ARM ids (the spokes are in other states).",
        ),
    }
    return ModuleDef(
        "hub",
        variables,
        hub_body,
        outputs={
            "hub_vnet_id": Output(ref("azurerm_virtual_network.hub.id"), "Give this to the spokes."),
            "firewall_private_ip": Output(
                ref("azurerm_firewall.hub.ip_configuration[0].private_ip_address"),
                "Next hop of the spokes' default route.",
            ),
        },
        locals_={"firewall_private_ip": HUB_FIREWALL_IP, "tags": HUB_TAGS},
        header="# Hub of the landing zone (platform squad): connectivity subscription.",
    )


# --------------------------------------------------------------------------- spoke module (squads)


def storage_hardening(replication):
    return dict(
        account_tier="Standard",
        account_kind="StorageV2",
        account_replication_type=replication,
        https_traffic_only_enabled=True,
        min_tls_version="TLS1_2",
        public_network_access_enabled=False,
        shared_access_key_enabled=False,
        allow_nested_items_to_be_public=False,
        infrastructure_encryption_enabled=True,
        default_to_oauth_authentication=True,
        cross_tenant_replication_enabled=False,
    )


SPOKE_CMK_KEYS = ["disk", "postgres", "sql", "storage"]


def spoke_body(m, v):
    env, muni = v["environment"], v["name"]
    suffix = f"{muni}-{env}-weu"
    loc = ref("var.location", v["location"])
    tags = ref("var.tags", v["tags"])
    nm = lambda fmt, val: ref(fmt, val)  # noqa: E731  a name built from var.name / var.environment
    rg = m.add(
        _r("azurerm_resource_group", "spoke", name=nm('"rg-${local.suffix}"', f"rg-{suffix}"), location=loc, tags=tags)
    )
    rgn = rg_name(rg)
    # network
    vnet = m.add(
        _r(
            "azurerm_virtual_network",
            "spoke",
            file="network",
            name=nm('"vnet-${local.suffix}"', f"vnet-{suffix}"),
            location=loc,
            resource_group_name=rgn,
            address_space=ref("[var.address_space]", [v["address_space"]]),
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_subnet",
            "spoke",
            file="network",
            for_each=ref("var.subnets", v["subnets"]),
            key_values=v["subnets"],
            build=lambda k, val: dict(
                name=ref("each.key", k),
                resource_group_name=rgn,
                virtual_network_name=name_of(vnet),
                address_prefixes=ref("[each.value]", [val]),
                private_endpoint_network_policies="Enabled",
                default_outbound_access_enabled=False,
            ),
        )
    )
    nsg = m.add(
        _r(
            "azurerm_network_security_group",
            "spoke",
            file="network",
            name=nm('"nsg-${local.suffix}"', f"nsg-{suffix}"),
            location=loc,
            resource_group_name=rgn,
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_network_security_rule",
            "bastion_ssh",
            file="network",
            name="allow-bastion-ssh",
            resource_group_name=rgn,
            network_security_group_name=name_of(nsg),
            priority=100,
            direction="Inbound",
            access="Allow",
            protocol="Tcp",
            source_port_range="*",
            destination_port_range="22",
            source_address_prefix=ref("var.hub_bastion_prefix", v["hub_bastion_prefix"]),
            destination_address_prefix="VirtualNetwork",
        )
    )
    m.add(
        _r(
            "azurerm_network_security_rule",
            "deny_inbound",
            file="network",
            name="deny-all-inbound",
            resource_group_name=rgn,
            network_security_group_name=name_of(nsg),
            priority=4096,
            direction="Inbound",
            access="Deny",
            protocol="*",
            source_port_range="*",
            destination_port_range="*",
            source_address_prefix="*",
            destination_address_prefix="*",
        )
    )
    each_subnet = lambda: ref("azurerm_subnet.spoke", {k: UNKNOWN for k in v["subnets"]})  # noqa: E731
    m.add(
        _r(
            "azurerm_subnet_network_security_group_association",
            "spoke",
            file="network",
            for_each=each_subnet(),
            key_values=v["subnets"],
            build=lambda k, val: dict(subnet_id=ref("each.value.id"), network_security_group_id=id_of(nsg)),
        )
    )
    rt = m.add(
        _r(
            "azurerm_route_table",
            "spoke",
            file="network",
            name=nm('"rt-${local.suffix}"', f"rt-{suffix}"),
            location=loc,
            resource_group_name=rgn,
            bgp_route_propagation_enabled=False,
            route=AB(
                B(
                    name="default-via-hub-firewall",
                    address_prefix="0.0.0.0/0",
                    next_hop_type="VirtualAppliance",
                    next_hop_in_ip_address=ref("var.hub_firewall_private_ip", v["hub_firewall_private_ip"]),
                )
            ),
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_subnet_route_table_association",
            "spoke",
            file="network",
            for_each=each_subnet(),
            key_values=v["subnets"],
            build=lambda k, val: dict(subnet_id=ref("each.value.id"), route_table_id=id_of(rt)),
        )
    )
    m.add(
        _r(
            "azurerm_virtual_network_peering",
            "spoke_to_hub",
            file="network",
            name=nm('"peer-${var.name}-${var.environment}-to-hub"', f"peer-{muni}-{env}-to-hub"),
            resource_group_name=rgn,
            virtual_network_name=name_of(vnet),
            remote_virtual_network_id=ref("var.hub_vnet_id", v["hub_vnet_id"]),
            allow_virtual_network_access=True,
            allow_forwarded_traffic=True,
            allow_gateway_transit=False,
            use_remote_gateways=True,
        )
    )
    # keys
    uai = m.add(
        _r(
            "azurerm_user_assigned_identity",
            "cmk",
            file="keyvault",
            name=nm('"id-${local.suffix}-cmk"', f"id-{suffix}-cmk"),
            location=loc,
            resource_group_name=rgn,
            tags=tags,
        )
    )
    kv = m.add(
        _r(
            "azurerm_key_vault",
            "spoke",
            file="keyvault",
            name=nm('"kv-${local.suffix}"', f"kv-{suffix}"),
            location=loc,
            resource_group_name=rgn,
            tenant_id=ref("var.tenant_id", v["tenant_id"]),
            sku_name="premium",
            purge_protection_enabled=True,
            soft_delete_retention_days=90,
            rbac_authorization_enabled=True,
            public_network_access_enabled=False,
            enabled_for_disk_encryption=True,
            network_acls=[B(bypass="AzureServices", default_action="Deny")],
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_key_vault_key",
            "cmk",
            file="keyvault",
            for_each=ref("local.cmk_keys", SPOKE_CMK_KEYS),
            key_values={k: k for k in SPOKE_CMK_KEYS},
            build=lambda k, val: dict(
                name=ref('"cmk-${each.key}"', f"cmk-{k}"),
                key_vault_id=id_of(kv),
                key_type="RSA-HSM",
                key_size=4096,
                key_opts=["unwrapKey", "wrapKey"],
                expiration_date=KEY_EXPIRY,
                rotation_policy=rotation_policy(),
                tags=tags,
            ),
            depends_on=["azurerm_role_assignment.deployer_crypto_officer"],
        )
    )
    m.add(
        _r(
            "azurerm_role_assignment",
            "deployer_crypto_officer",
            file="keyvault",
            scope=id_of(kv),
            role_definition_name="Key Vault Crypto Officer",
            principal_id=ref("var.deployer_object_id", v["deployer_object_id"]),
        )
    )
    m.add(
        _r(
            "azurerm_role_assignment",
            "cmk_crypto_user",
            file="keyvault",
            scope=id_of(kv),
            role_definition_name="Key Vault Crypto Service Encryption User",
            principal_id=id_of(uai, attr="principal_id"),
        )
    )
    m.add(
        _r(
            "azurerm_disk_encryption_set",
            "spoke",
            file="compute",
            name=nm('"des-${local.suffix}"', f"des-{suffix}"),
            location=loc,
            resource_group_name=rgn,
            key_vault_key_id=ref('azurerm_key_vault_key.cmk["disk"].versionless_id'),
            auto_key_rotation_enabled=True,
            encryption_type="EncryptionAtRestWithCustomerKey",
            identity=[B(type="SystemAssigned")],
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_role_assignment",
            "des_crypto_user",
            file="keyvault",
            scope=id_of(kv),
            role_definition_name="Key Vault Crypto Service Encryption User",
            principal_id=ref("azurerm_disk_encryption_set.spoke.identity[0].principal_id"),
        )
    )
    uai_ids = lambda: ref("[azurerm_user_assigned_identity.cmk.id]", [UNKNOWN])  # noqa: E731
    # storage: one account with the key inline, one with a separate customer-managed-key resource
    replication = ref('var.environment == "prod" ? "ZRS" : "LRS"', "ZRS" if env == "prod" else "LRS")
    m.add(
        _r(
            "azurerm_storage_account",
            "data",
            file="data",
            name=nm('"st${var.name}${var.environment}data"', f"st{muni}{env}data"),
            location=loc,
            resource_group_name=rgn,
            **{**storage_hardening("ZRS"), "account_replication_type": replication},
            identity=[B(type="UserAssigned", identity_ids=uai_ids())],
            customer_managed_key=[
                B(
                    key_vault_key_id=ref('azurerm_key_vault_key.cmk["storage"].versionless_id'),
                    user_assigned_identity_id=id_of(uai),
                )
            ],
            tags=tags,
        )
    )
    archive = m.add(
        _r(
            "azurerm_storage_account",
            "archive",
            file="data",
            name=nm('"st${var.name}${var.environment}arch"', f"st{muni}{env}arch"),
            location=loc,
            resource_group_name=rgn,
            # Hot at the account (a Cool account has a 99% SLA, below the Prod target); lifecycle rules
            # move old blobs to cool storage
            **{**storage_hardening("ZRS"), "account_replication_type": replication, "access_tier": "Hot"},
            identity=[B(type="UserAssigned", identity_ids=uai_ids())],
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_storage_account_customer_managed_key",
            "archive",
            file="data",
            storage_account_id=id_of(archive),
            key_vault_id=id_of(kv),
            key_name=ref('azurerm_key_vault_key.cmk["storage"].name', "cmk-storage"),
            user_assigned_identity_id=id_of(uai),
            comment="CMK attached after creation: at plan time only the references link key and account.",
        )
    )
    m.add(
        _r(
            "azurerm_private_endpoint",
            "data_blob",
            file="data",
            name=nm('"pe-st${var.name}${var.environment}data-blob"', f"pe-st{muni}{env}data-blob"),
            location=loc,
            resource_group_name=rgn,
            subnet_id=ref('azurerm_subnet.spoke["snet-pe"].id'),
            private_service_connection=[
                B(
                    name="blob",
                    private_connection_resource_id=ref("azurerm_storage_account.data.id"),
                    subresource_names=["blob"],
                    is_manual_connection=False,
                )
            ],
            tags=tags,
        )
    )
    # databases
    m.add(
        _r(
            "azurerm_mssql_server",
            "spoke",
            file="data",
            name=nm('"sql-${local.suffix}"', f"sql-{suffix}"),
            location=loc,
            resource_group_name=rgn,
            version="12.0",
            administrator_login="sqladmin",
            administrator_login_password=ref("var.sql_admin_password", v["sql_admin_password"], sensitive=True),
            minimum_tls_version="1.2",
            public_network_access_enabled=False,
            identity=[B(type="UserAssigned", identity_ids=uai_ids())],
            primary_user_assigned_identity_id=id_of(uai),
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_mssql_server_transparent_data_encryption",
            "spoke",
            file="data",
            server_id=ref("azurerm_mssql_server.spoke.id"),
            key_vault_key_id=ref('azurerm_key_vault_key.cmk["sql"].id'),
            auto_rotation_enabled=True,
        )
    )
    m.add(
        _r(
            "azurerm_postgresql_flexible_server",
            "spoke",
            file="data",
            name=nm('"psql-${local.suffix}"', f"psql-{suffix}"),
            location=loc,
            resource_group_name=rgn,
            version="16",
            sku_name="GP_Standard_D2ds_v5",
            storage_mb=65536,
            backup_retention_days=14,
            geo_redundant_backup_enabled=False,
            public_network_access_enabled=False,
            zone="1",
            authentication=[
                B(
                    active_directory_auth_enabled=True,
                    password_auth_enabled=False,
                    tenant_id=ref("var.tenant_id", v["tenant_id"]),
                )
            ],
            identity=[B(type="UserAssigned", identity_ids=uai_ids())],
            customer_managed_key=[
                B(
                    key_vault_key_id=ref('azurerm_key_vault_key.cmk["postgres"].id'),
                    primary_user_assigned_identity_id=id_of(uai),
                )
            ],
            tags=tags,
        )
    )
    # compute
    m.add(
        _r(
            "azurerm_network_interface",
            "app",
            file="compute",
            name=nm('"nic-vm-${var.name}-${var.environment}-app01"', f"nic-vm-{muni}-{env}-app01"),
            location=loc,
            resource_group_name=rgn,
            ip_configuration=[
                B(
                    name="internal",
                    subnet_id=ref('azurerm_subnet.spoke["snet-app"].id'),
                    private_ip_address_allocation="Dynamic",
                )
            ],
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_linux_virtual_machine",
            "app",
            file="compute",
            name=nm('"vm-${var.name}-${var.environment}-app01"', f"vm-{muni}-{env}-app01"),
            location=loc,
            resource_group_name=rgn,
            size=ref("var.vm_size", v["vm_size"]),
            admin_username="azureadmin",
            network_interface_ids=ref("[azurerm_network_interface.app.id]", [UNKNOWN]),
            encryption_at_host_enabled=True,
            secure_boot_enabled=True,
            vtpm_enabled=True,
            zone="1",
            admin_ssh_key=[
                B(username="azureadmin", public_key=ref("var.admin_ssh_public_key", v["admin_ssh_public_key"]))
            ],
            os_disk=[
                B(
                    caching="ReadWrite",
                    # Premium SSD gives a single VM its 99.9% SLA in prod; nonprod needs no SLA
                    storage_account_type=ref(
                        'var.environment == "prod" ? "Premium_LRS" : "StandardSSD_LRS"',
                        "Premium_LRS" if env == "prod" else "StandardSSD_LRS",
                    ),
                    disk_encryption_set_id=ref("azurerm_disk_encryption_set.spoke.id"),
                )
            ],
            source_image_reference=[B(publisher="Canonical", offer="ubuntu-24_04-lts", sku="server", version="latest")],
            boot_diagnostics=[B()],
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_managed_disk",
            "app_data",
            file="compute",
            name=nm('"disk-vm-${var.name}-${var.environment}-app01-data"', f"disk-vm-{muni}-{env}-app01-data"),
            location=loc,
            resource_group_name=rgn,
            storage_account_type="Premium_LRS",
            create_option="Empty",
            disk_size_gb=128,
            zone="1",
            disk_encryption_set_id=ref("azurerm_disk_encryption_set.spoke.id"),
            network_access_policy="DenyAll",
            public_network_access_enabled=False,
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_virtual_machine_data_disk_attachment",
            "app_data",
            file="compute",
            managed_disk_id=ref("azurerm_managed_disk.app_data.id"),
            virtual_machine_id=ref("azurerm_linux_virtual_machine.app.id"),
            lun=0,
            caching="ReadOnly",
        )
    )
    # diagnostics to the Log Analytics workspace of the same environment
    for n, target in [
        ("key_vault", "azurerm_key_vault.spoke.id"),
        ("postgresql", "azurerm_postgresql_flexible_server.spoke.id"),
    ]:
        m.add(
            _r(
                "azurerm_monitor_diagnostic_setting",
                n,
                file="monitoring",
                name=f"diag-{n.replace('_', '-')}",
                target_resource_id=ref(target),
                log_analytics_workspace_id=ref("var.log_analytics_workspace_id", v["log_analytics_workspace_id"]),
                enabled_log=[B(category_group="audit" if n == "key_vault" else "allLogs")],
                metric=[B(category="AllMetrics")],
            )
        )


def spoke_module():
    variables = {
        "name": Var("string", description="Municipality (gemeente) this spoke belongs to.", has_default=False),
        "environment": Var("string", description='OTAP environment: "prod" or "test".', has_default=False),
        "location": Var("string", LOCATION),
        "address_space": Var("string", description="The spoke's /20 from the IP plan.", has_default=False),
        "subnets": Var("map(string)", description="Subnet name => prefix.", has_default=False),
        "hub_vnet_id": Var("string", description="ARM id of the hub VNet.", has_default=False),
        "hub_firewall_private_ip": Var("string", HUB_FIREWALL_IP),
        "hub_bastion_prefix": Var("string", "10.0.2.0/26"),
        "log_analytics_workspace_id": Var(
            "string", description="Workspace of the same environment.", has_default=False
        ),
        "tenant_id": Var("string", has_default=False),
        "deployer_object_id": Var(
            "string",
            "0d6c1b8a-3e2f-4a5b-9c7d-6e8f0a1b2c3d",
            "Object id of the pipeline identity that creates the keys.",
        ),
        "vm_size": Var("string", "Standard_D2s_v5"),
        "admin_ssh_public_key": Var(
            "string", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHl2b0FtZXhhbXBsZWtleWZvcnRoZWRvY3M example"
        ),
        "sql_admin_password": Var(
            "string", description="Break-glass SQL admin password.", sensitive=True, has_default=False
        ),
        "tags": Var("map(string)", has_default=False),
    }
    outs = {
        "vnet_id": "azurerm_virtual_network.spoke.id",
        "vnet_name": "azurerm_virtual_network.spoke.name",
        "resource_group_name": "azurerm_resource_group.spoke.name",
        "key_vault_id": "azurerm_key_vault.spoke.id",
        "vm_id": "azurerm_linux_virtual_machine.app.id",
        "data_disk_id": "azurerm_managed_disk.app_data.id",
        "pe_subnet_id": 'azurerm_subnet.spoke["snet-pe"].id',
        "cmk_identity_id": "azurerm_user_assigned_identity.cmk.id",
        "cmk_identity_principal_id": "azurerm_user_assigned_identity.cmk.principal_id",
        "archive_storage_account_id": "azurerm_storage_account.archive.id",
        "postgresql_server_id": "azurerm_postgresql_flexible_server.spoke.id",
    }
    from generator.tfplan import Raw

    return ModuleDef(
        "spoke",
        variables,
        spoke_body,
        outputs={k: Output(ref(t)) for k, t in outs.items()},
        locals_={
            "suffix": Raw('"${var.name}-${var.environment}-weu"'),
            "cmk_keys": Raw('toset(["disk", "postgres", "sql", "storage"])'),
        },
        header="# One spoke of a municipality: network, keys, data stores and an application VM.",
    )


SPOKE = spoke_module()


# --------------------------------------------------------------------------- spokes root modules


def spokes_body_factory(env, extra=None):
    def body(m, v):
        e = ENV_TAG[env]
        tags = ref(
            "local.tags",
            {"environment": e, "owner": "squad-gemeenten", "managed_by": "terraform", "municipality": "shared"},
        )
        rg = m.add(
            _r(
                "azurerm_resource_group",
                "monitoring",
                file="monitoring",
                name=f"rg-monitoring-{e}-weu",
                location=ref("var.location", v["location"]),
                tags=tags,
            )
        )
        law = m.add(
            _r(
                "azurerm_log_analytics_workspace",
                "spokes",
                file="monitoring",
                name=f"law-spokes-{e}-weu",
                location=ref("var.location", v["location"]),
                resource_group_name=rg_name(rg),
                sku="PerGB2018",
                retention_in_days=90 if env == "prod" else 30,
                tags=tags,
            )
        )
        # the environment's own vault and key for its Log Analytics cluster (never the other env's)
        kv = m.add(
            _r(
                "azurerm_key_vault",
                "monitoring",
                file="monitoring",
                name=f"kv-monitoring-{e}-weu",
                location=ref("var.location", v["location"]),
                resource_group_name=rg_name(rg),
                tenant_id=ref("var.tenant_id", v["tenant_id"]),
                sku_name="premium",
                purge_protection_enabled=True,
                soft_delete_retention_days=90,
                rbac_authorization_enabled=True,
                public_network_access_enabled=False,
                network_acls=[B(bypass="AzureServices", default_action="Deny")],
                tags=tags,
            )
        )
        logs_key = m.add(
            _r(
                "azurerm_key_vault_key",
                "logs",
                file="monitoring",
                name=f"cmk-logs-{e}",
                key_vault_id=id_of(kv),
                key_type="RSA-HSM",
                key_size=3072,
                key_opts=["unwrapKey", "wrapKey"],
                expiration_date=KEY_EXPIRY,
                rotation_policy=rotation_policy(),
                tags=tags,
            )
        )
        log_cluster(m, "spokes", law, logs_key, rg, ref("var.location", v["location"]), tags)
        instances = {}
        for muni, spec in v["municipalities"].items():
            instances[muni] = {
                "name": ref("each.key", muni),
                "environment": ref("var.environment", e),
                "address_space": ref("each.value.address_space", spec["address_space"]),
                "subnets": ref("each.value.subnets", spec["subnets"]),
                "hub_vnet_id": ref("var.hub_vnet_id", v["hub_vnet_id"]),
                "log_analytics_workspace_id": id_of(law),
                "tenant_id": ref("var.tenant_id", v["tenant_id"]),
                "sql_admin_password": ref("var.sql_admin_password", v["sql_admin_password"], sensitive=True),
                "tags": ref(
                    "merge(local.tags, { municipality = each.key })",
                    {"environment": e, "owner": "squad-gemeenten", "managed_by": "terraform", "municipality": muni},
                ),
            }
        m.calls.append(
            Call(
                "spoke",
                "../modules/spoke",
                SPOKE,
                ref("var.municipalities", v["municipalities"]),
                instances,
                file="main",
                comment="One spoke per municipality (gemeente).",
            )
        )
        if extra:
            extra(m, v)

    return body


def spokes_module(env, extra=None, outputs=None):
    e = ENV_TAG[env]
    variables = {
        "location": Var("string", LOCATION),
        "environment": Var("string", e, 'OTAP value of the environment tag ("prod", "test").'),
        "tenant_id": Var("string", TENANT),
        "hub_vnet_id": Var("string", HUB_VNET_ID, "The hub VNet (connectivity subscription)."),
        "municipalities": Var(
            "map(object({\n  address_space = string\n  subnets       = map(string)\n}))",
            MUNICIPALITIES[env],
            "Spokes by municipality, from the IP plan.",
        ),
        "sql_admin_password": Var(
            "string",
            f"{'Pr0d' if env == 'prod' else 'T3st'}-Sql-Admin-Secret-zaanstad!",
            "Break-glass SQL admin password (in real life: from the pipeline's secret store).",
            sensitive=True,
        ),
    }
    out = {
        "vnet_ids": Output(
            ref(
                "{ for k, s in module.spoke : k => s.vnet_id }",
                {k: UNKNOWN for k in MUNICIPALITIES[env]},
                refs=["module.spoke"],
            ),
            "Spoke VNet ids by municipality: give these to the hub.",
        )
    }
    out.update(outputs or {})
    from generator.tfplan import Raw

    return ModuleDef(
        f"spokes-{env}",
        variables,
        spokes_body_factory(env, extra),
        outputs=out,
        locals_={
            "tags": Raw(
                '{\n  environment  = var.environment\n  owner        = "squad-gemeenten"\n'
                '  managed_by   = "terraform"\n  municipality = "shared"\n}'
            )
        },
        header=f"# Spokes of the municipalities, {e} landing zone ({env} subscription).",
    )


def var_values(mdef):
    return {n: v.default for n, v in mdef.variables.items()}


# --------------------------------------------------------------------------- resource helper


class _Builder:
    pass


def _r(
    rtype,
    name,
    /,
    file="main",
    for_each=None,
    key_values=None,
    build=None,
    depends_on=(),
    provider=None,
    comment=None,
    count=None,
    mode="managed",
    **attrs,
):
    """One resource block. With for_each, `build(key, value)` gives each instance's attributes."""
    from generator.tfplan import Res

    if for_each is None:
        return Res(
            rtype,
            name,
            attrs,
            file=file,
            depends_on=depends_on,
            provider=provider,
            comment=comment,
            count=count,
            mode=mode,
        )
    return [
        Res(
            rtype,
            name,
            build(k, val),
            key=k,
            for_each=for_each,
            file=file,
            depends_on=depends_on,
            provider=provider,
            comment=comment,
        )
        for k, val in key_values.items()
    ]


# --------------------------------------------------------------------------- noncompliant variant

# Each planted violation carries a `# VIOLATION <check id>` comment in the Terraform source; the
# table in examples/noncompliant/VIOLATIONS.md lists the same addresses.


def _legacy_tags(env, muni="shared"):
    e = ENV_TAG[env]
    return {"environment": e, "owner": "squad-gemeenten", "managed_by": "terraform", "municipality": muni}


def nc_prod_extra(m, v):
    loc = ref("var.location", v["location"])
    tags = ref("local.tags", _legacy_tags("prod"))
    rg = m.add(
        _r("azurerm_resource_group", "legacy", file="violations", name="rg-legacy-prod-weu", location=loc, tags=tags)
    )
    rgn = rg_name(rg)
    m.add(
        _r(
            "azurerm_storage_account",
            "reports",
            file="violations",
            name="stlegacyprodreports",
            location=loc,
            resource_group_name=rgn,
            **storage_hardening("ZRS"),
            tags=tags,
            comment="VIOLATION cmk.storage_account: no customer-managed key at all (Microsoft-managed keys).",
        )
    )
    m.add(
        _r(
            "azurerm_service_plan",
            "legacy",
            file="violations",
            name="asp-legacy-prod-weu",
            location=loc,
            resource_group_name=rgn,
            os_type="Linux",
            sku_name="F1",
            tags=tags,
            comment="VIOLATION sla.resource: the Free tier has no SLA, in prod (and so sla.composite on\n"
            "azurerm_resource_group.legacy: the workload's composite SLA is 0%).",
        )
    )
    m.add(
        _r(
            "azurerm_managed_disk",
            "scratch",
            file="violations",
            name="disk-legacy-prod-scratch",
            location=loc,
            resource_group_name=rgn,
            storage_account_type="Premium_LRS",
            create_option="Empty",
            disk_size_gb=64,
            tags=tags,
            comment="VIOLATION cmk.managed_disk: no disk_encryption_set_id (platform-managed key).",
        )
    )
    m.add(
        _r(
            "azurerm_mssql_server",
            "legacy",
            file="violations",
            name="sql-legacy-prod-weu",
            location=loc,
            resource_group_name=rgn,
            version="12.0",
            administrator_login="sqladmin",
            administrator_login_password=ref("var.sql_admin_password", v["sql_admin_password"], sensitive=True),
            minimum_tls_version="1.2",
            public_network_access_enabled=False,
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_mssql_server_transparent_data_encryption",
            "legacy",
            file="violations",
            server_id=ref("azurerm_mssql_server.legacy.id"),
            key_vault_key_id=None,
            comment="VIOLATION cmk.mssql: the TDE resource exists, but key_vault_key_id = null means a\n"
            "service-managed key, not a customer-managed one.",
        )
    )
    m.add(
        _r(
            "azurerm_cosmosdb_account",
            "events",
            file="violations",
            name="cosmos-legacy-prod-weu",
            location=loc,
            resource_group_name=rgn,
            offer_type="Standard",
            kind="GlobalDocumentDB",
            public_network_access_enabled=False,
            local_authentication_disabled=True,
            consistency_policy=[B(consistency_level="Session")],
            multiple_write_locations_enabled=True,
            geo_location=[
                B(location=ref("var.location", v["location"]), failover_priority=0, zone_redundant=True),
                B(location="northeurope", failover_priority=1, zone_redundant=False),
            ],
            tags=tags,
            comment="VIOLATION cmk.cosmosdb: no key_vault_key_id.\n"
            "VIOLATION overbuilt.cosmosdb_account: two regions with multi-region writes for a 99.5% target.",
        )
    )
    kv = m.add(
        _r(
            "azurerm_key_vault",
            "legacy",
            file="violations",
            name="kv-legacy-prod-weu",
            location=loc,
            resource_group_name=rgn,
            tenant_id=ref("var.tenant_id", v["tenant_id"]),
            sku_name="premium",
            purge_protection_enabled=False,
            soft_delete_retention_days=7,
            rbac_authorization_enabled=True,
            public_network_access_enabled=False,
            network_acls=[B(bypass="AzureServices", default_action="Deny")],
            tags=tags,
            comment="VIOLATION cmk.key_vault: purge protection off, yet it holds CMK keys (used below).",
        )
    )
    m.add(
        _r(
            "azurerm_key_vault_key",
            "legacy",
            file="violations",
            name="cmk-exports",
            key_vault_id=id_of(kv),
            key_type="RSA",
            key_size=2048,
            key_opts=["unwrapKey", "wrapKey"],
            tags=tags,
            comment="VIOLATION cmk.key_rotation: no rotation_policy and no expiration_date (RSA 2048 is fine).",
        )
    )
    m.add(
        _r(
            "azurerm_key_vault_key",
            "weak",
            file="violations",
            name="cmk-weak",
            key_vault_id=id_of(kv),
            key_type="RSA",
            key_size=1024,
            key_opts=["unwrapKey", "wrapKey"],
            expiration_date=KEY_EXPIRY,
            rotation_policy=rotation_policy(),
            tags=tags,
            comment="VIOLATION cmk.key_strength: RSA 1024 is too small.",
        )
    )
    uai = m.add(
        _r(
            "azurerm_user_assigned_identity",
            "legacy",
            file="violations",
            name="id-legacy-prod-cmk",
            location=loc,
            resource_group_name=rgn,
            tags=tags,
        )
    )
    m.add(
        _r(
            "azurerm_role_assignment",
            "legacy_crypto_user",
            file="violations",
            scope=id_of(kv),
            role_definition_name="Key Vault Crypto Service Encryption User",
            principal_id=id_of(uai, attr="principal_id"),
        )
    )
    m.add(
        _r(
            "azurerm_storage_account",
            "exports",
            file="violations",
            name="stlegacyprodexports",
            location=loc,
            resource_group_name=rgn,
            **storage_hardening("ZRS"),
            identity=[
                B(type="UserAssigned", identity_ids=ref("[azurerm_user_assigned_identity.legacy.id]", [UNKNOWN]))
            ],
            customer_managed_key=[
                B(
                    key_vault_key_id=ref("azurerm_key_vault_key.legacy.versionless_id"),
                    user_assigned_identity_id=id_of(uai),
                )
            ],
            tags=tags,
            comment="CMK from kv-legacy-prod-weu (the vault without purge protection).",
        )
    )
    m.add(
        _r(
            "azurerm_storage_account",
            "shared_reports",
            file="violations",
            name="stlegacyprodshared",
            location=loc,
            resource_group_name=rgn,
            **storage_hardening("ZRS"),
            identity=[
                B(type="UserAssigned", identity_ids=ref("[azurerm_user_assigned_identity.legacy.id]", [UNKNOWN]))
            ],
            customer_managed_key=[
                B(
                    key_vault_key_id="https://kv-zaanstad-test-weu.vault.azure.net/keys/cmk-storage",
                    user_assigned_identity_id=id_of(uai),
                )
            ],
            tags=tags,
            comment="VIOLATION isolation.cmk_key: a prod account encrypted with a key of the NONPROD\n"
            "key vault kv-zaanstad-test-weu (spokes-nonprod plan).",
        )
    )
    # infrastructure backups
    rsv = m.add(
        _r(
            "azurerm_recovery_services_vault",
            "infra",
            file="violations",
            name="rsv-legacy-prod-weu",
            location=loc,
            resource_group_name=rgn,
            sku="Standard",
            soft_delete_enabled=True,
            storage_mode_type="ZoneRedundant",
            public_network_access_enabled=False,
            identity=[B(type="SystemAssigned")],
            encryption=[
                B(
                    key_id=ref("azurerm_key_vault_key.legacy.id"),
                    infrastructure_encryption_enabled=True,
                    use_system_assigned_identity=True,
                )
            ],
            tags=tags,
        )
    )
    pol = m.add(
        _r(
            "azurerm_backup_policy_vm",
            "daily",
            file="violations",
            name="bkpol-vm-daily",
            resource_group_name=rgn,
            recovery_vault_name=name_of(rsv),
            timezone="W. Europe Standard Time",
            backup=[B(frequency="Daily", time="23:00")],
            retention_daily=[B(count=14)],
        )
    )
    m.add(
        _r(
            "azurerm_backup_protected_vm",
            "zaanstad_app",
            file="violations",
            resource_group_name=rgn,
            recovery_vault_name=name_of(rsv),
            source_vm_id=ref('module.spoke["zaanstad"].vm_id'),
            backup_policy_id=id_of(pol),
            comment="VIOLATION backups.vm_backup: an application VM (rebuildable infrastructure) is backed up.",
        )
    )
    m.add(
        _r(
            "azurerm_snapshot",
            "zaanstad_app_data",
            file="violations",
            name="snap-vm-zaanstad-prod-app01-data",
            location=loc,
            resource_group_name=rgn,
            create_option="Copy",
            source_uri=ref('module.spoke["zaanstad"].data_disk_id'),
            tags=tags,
            comment="VIOLATION backups.snapshot: a snapshot of a VM data disk.",
        )
    )
    dr_rg = m.add(
        _r(
            "azurerm_resource_group",
            "legacy_dr",
            file="violations",
            name="rg-legacy-dr-prod-neu",
            location="northeurope",
            tags=tags,
        )
    )
    fabrics = {}
    for n, region in [("primary", ref("var.location", v["location"])), ("secondary", "northeurope")]:
        fabrics[n] = m.add(
            _r(
                "azurerm_site_recovery_fabric",
                n,
                file="violations",
                name=f"fabric-{n}",
                resource_group_name=rgn,
                recovery_vault_name=name_of(rsv),
                location=region,
            )
        )
    conts = {}
    for n in ["primary", "secondary"]:
        conts[n] = m.add(
            _r(
                "azurerm_site_recovery_protection_container",
                n,
                file="violations",
                name=f"protection-container-{n}",
                resource_group_name=rgn,
                recovery_vault_name=name_of(rsv),
                recovery_fabric_name=name_of(fabrics[n]),
            )
        )
    rpol = m.add(
        _r(
            "azurerm_site_recovery_replication_policy",
            "vm",
            file="violations",
            name="asr-policy-vm",
            resource_group_name=rgn,
            recovery_vault_name=name_of(rsv),
            recovery_point_retention_in_minutes=1440,
            application_consistent_snapshot_frequency_in_minutes=240,
        )
    )
    m.add(
        _r(
            "azurerm_site_recovery_protection_container_mapping",
            "vm",
            file="violations",
            name="container-mapping-weu-neu",
            resource_group_name=rgn,
            recovery_vault_name=name_of(rsv),
            recovery_fabric_name=name_of(fabrics["primary"]),
            recovery_source_protection_container_name=name_of(conts["primary"]),
            recovery_target_protection_container_id=id_of(conts["secondary"]),
            recovery_replication_policy_id=id_of(rpol),
        )
    )
    m.add(
        _r(
            "azurerm_site_recovery_replicated_vm",
            "almere_app",
            file="violations",
            name="asr-vm-almere-prod-app01",
            resource_group_name=rgn,
            recovery_vault_name=name_of(rsv),
            source_recovery_fabric_name=name_of(fabrics["primary"]),
            source_vm_id=ref('module.spoke["almere"].vm_id'),
            recovery_replication_policy_id=id_of(rpol),
            source_recovery_protection_container_name=name_of(conts["primary"]),
            target_resource_group_id=id_of(dr_rg),
            target_recovery_fabric_id=id_of(fabrics["secondary"]),
            target_recovery_protection_container_id=id_of(conts["secondary"]),
            depends_on=["azurerm_site_recovery_protection_container_mapping.vm"],
            comment="VIOLATION backups.site_recovery: the almere application VM is replicated to North Europe.",
        )
    )
    # a data store backup: allowed
    bv = m.add(
        _r(
            "azurerm_data_protection_backup_vault",
            "data",
            file="violations",
            name="bvault-legacy-prod-weu",
            location=loc,
            resource_group_name=rgn,
            datastore_type="VaultStore",
            redundancy="ZoneRedundant",
            identity=[B(type="SystemAssigned")],
            tags=tags,
            comment="ALLOWED: backup of a data store (PostgreSQL), not of infrastructure.",
        )
    )
    m.add(
        _r(
            "azurerm_data_protection_backup_vault_customer_managed_key",
            "data",
            file="violations",
            data_protection_backup_vault_id=id_of(bv),
            key_vault_key_id=ref("azurerm_key_vault_key.legacy.id"),
        )
    )
    bpol = m.add(
        _r(
            "azurerm_data_protection_backup_policy_postgresql_flexible_server",
            "weekly",
            file="violations",
            name="bkpol-psql-weekly",
            vault_id=id_of(bv),
            backup_repeating_time_intervals=["R/2026-01-04T02:00:00+00:00/P1W"],
            time_zone="W. Europe Standard Time",
            default_retention_rule=[B(life_cycle=[B(data_store_type="VaultStore", duration="P4M")])],
        )
    )
    m.add(
        _r(
            "azurerm_data_protection_backup_instance_postgresql_flexible_server",
            "zaanstad",
            file="violations",
            name="bi-psql-zaanstad-prod",
            location=loc,
            vault_id=id_of(bv),
            server_id=ref('module.spoke["zaanstad"].postgresql_server_id'),
            backup_policy_id=id_of(bpol),
        )
    )
    # isolation
    m.add(
        _r(
            "azurerm_network_security_rule",
            "allow_nonprod",
            file="violations",
            name="allow-test-range",
            resource_group_name="rg-zaanstad-prod-weu",
            network_security_group_name="nsg-zaanstad-prod-weu",
            priority=200,
            direction="Inbound",
            access="Allow",
            protocol="Tcp",
            source_port_range="*",
            destination_port_ranges=["443", "1433"],
            source_address_prefix="10.2.0.0/16",
            destination_address_prefix="VirtualNetwork",
            comment="VIOLATION isolation.nsg_rule: prod NSG allows the nonprod range 10.2.0.0/16 inbound.",
        )
    )
    m.add(
        _r(
            "azurerm_monitor_diagnostic_setting",
            "almere_kv_to_test",
            file="violations",
            name="diag-kv-to-test",
            target_resource_id=ref('module.spoke["almere"].key_vault_id'),
            log_analytics_workspace_id=law_id("nonprod"),
            enabled_log=[B(category_group="audit")],
            comment="VIOLATION isolation.diagnostics: a prod key vault logs to the NONPROD workspace\n"
            "law-spokes-test-weu (spokes-nonprod plan).",
        )
    )
    # a hand-made spoke whose peering does not allow forwarded traffic
    h_tags = ref('merge(local.tags, { municipality = "haarlem" })', _legacy_tags("prod", "haarlem"))
    hrg = m.add(
        _r("azurerm_resource_group", "haarlem", file="haarlem", name="rg-haarlem-prod-weu", location=loc, tags=h_tags)
    )
    hrgn = rg_name(hrg)
    hv = m.add(
        _r(
            "azurerm_virtual_network",
            "haarlem",
            file="haarlem",
            name="vnet-haarlem-prod-weu",
            location=loc,
            resource_group_name=hrgn,
            address_space=["10.1.32.0/20"],
            tags=h_tags,
        )
    )
    hs = m.add(
        _r(
            "azurerm_subnet",
            "haarlem_app",
            file="haarlem",
            name="snet-app",
            resource_group_name=hrgn,
            virtual_network_name=name_of(hv),
            address_prefixes=["10.1.32.0/24"],
            default_outbound_access_enabled=False,
        )
    )
    hn = m.add(
        _r(
            "azurerm_network_security_group",
            "haarlem",
            file="haarlem",
            name="nsg-haarlem-prod-weu",
            location=loc,
            resource_group_name=hrgn,
            tags=h_tags,
        )
    )
    m.add(
        _r(
            "azurerm_subnet_network_security_group_association",
            "haarlem_app",
            file="haarlem",
            subnet_id=id_of(hs),
            network_security_group_id=id_of(hn),
        )
    )
    hrt = m.add(
        _r(
            "azurerm_route_table",
            "haarlem",
            file="haarlem",
            name="rt-haarlem-prod-weu",
            location=loc,
            resource_group_name=hrgn,
            bgp_route_propagation_enabled=False,
            route=AB(
                B(
                    name="default-via-hub-firewall",
                    address_prefix="0.0.0.0/0",
                    next_hop_type="VirtualAppliance",
                    next_hop_in_ip_address=HUB_FIREWALL_IP,
                )
            ),
            tags=h_tags,
        )
    )
    m.add(
        _r(
            "azurerm_subnet_route_table_association",
            "haarlem_app",
            file="haarlem",
            subnet_id=id_of(hs),
            route_table_id=id_of(hrt),
        )
    )
    m.add(
        _r(
            "azurerm_virtual_network_peering",
            "haarlem_to_hub",
            file="haarlem",
            name="peer-haarlem-prod-to-hub",
            resource_group_name=hrgn,
            virtual_network_name=name_of(hv),
            remote_virtual_network_id=ref("var.hub_vnet_id", v["hub_vnet_id"]),
            allow_virtual_network_access=True,
            allow_forwarded_traffic=False,
            allow_gateway_transit=False,
            use_remote_gateways=True,
            comment="VIOLATION topology.peering_settings: allow_forwarded_traffic = false on the spoke side.",
        )
    )


def nc_nonprod_extra(m, v):
    loc = ref("var.location", v["location"])
    tags = ref("local.tags", _legacy_tags("nonprod"))
    m.add(
        _r(
            "azurerm_virtual_network_peering",
            "zaanstad_test_to_prod",
            file="violations",
            name="peer-zaanstad-test-to-zaanstad-prod",
            resource_group_name=ref('module.spoke["zaanstad"].resource_group_name', "rg-zaanstad-test-weu"),
            virtual_network_name=ref('module.spoke["zaanstad"].vnet_name', "vnet-zaanstad-test-weu"),
            remote_virtual_network_id=spoke_vnet_id("prod", "zaanstad"),
            allow_virtual_network_access=True,
            allow_forwarded_traffic=False,
            allow_gateway_transit=False,
            use_remote_gateways=False,
            comment="VIOLATION isolation.peering (and topology.spoke_to_spoke): a nonprod spoke peers\n"
            "directly with a PROD spoke (the VNet is in the spokes-prod plan).",
        )
    )
    m.add(
        _r(
            "azurerm_private_endpoint",
            "prod_storage",
            file="violations",
            name="pe-stzaanstadproddata-from-test",
            location=loc,
            resource_group_name=ref('module.spoke["almere"].resource_group_name', "rg-almere-test-weu"),
            subnet_id=ref('module.spoke["almere"].pe_subnet_id'),
            private_service_connection=[
                B(
                    name="blob",
                    is_manual_connection=False,
                    subresource_names=["blob"],
                    private_connection_resource_id=arm(
                        "prod", "rg-zaanstad-prod-weu", "Microsoft.Storage/storageAccounts", "stzaanstadproddata"
                    ),
                )
            ],
            tags=tags,
            comment="VIOLATION isolation.private_endpoint: a nonprod endpoint into a PROD storage account.",
        )
    )
    m.add(
        _r(
            "azurerm_role_assignment",
            "test_identity_on_prod",
            file="violations",
            scope=f"/subscriptions/{SUB['prod']}/resourceGroups/rg-zaanstad-prod-weu",
            role_definition_name="Contributor",
            principal_id=ref('module.spoke["zaanstad"].cmk_identity_principal_id'),
            comment="VIOLATION isolation.role_assignment: a nonprod identity gets Contributor on a PROD\n"
            "resource group (the principal is known only through the module output).",
        )
    )
    # storage account whose key comes from another subscription, read only at apply time
    m.add(
        _r(
            "azurerm_key_vault_key",
            "central",
            mode="data",
            file="violations",
            provider="azurerm.platform",
            name="cmk-shared-exchange",
            key_vault_id=arm("platform", "rg-keys-weu", "Microsoft.KeyVault/vaults", "kv-central-keys-weu"),
            depends_on=["module.spoke"],
        )
    )
    m.add(
        _r(
            "azurerm_storage_account",
            "exchange",
            file="violations",
            name="stgemeententestexchange",
            location=loc,
            resource_group_name=ref('module.spoke["almere"].resource_group_name', "rg-almere-test-weu"),
            **storage_hardening("RAGRS"),
            identity=[B(type="UserAssigned", identity_ids=ref('[module.spoke["almere"].cmk_identity_id]', [UNKNOWN]))],
            customer_managed_key=[
                B(
                    key_vault_key_id=ref("data.azurerm_key_vault_key.central.versionless_id"),
                    user_assigned_identity_id=ref('module.spoke["almere"].cmk_identity_id'),
                )
            ],
            tags=tags,
            comment="VIOLATION cmk.unresolved: the key id is unknown at plan time and comes from a data\n"
            "source in another subscription (platform): not verifiable from these plans.\n"
            "VIOLATION cost.storage_account: read-access geo-redundant storage in nonprod.",
        )
    )
    # a legacy spoke built by hand, without the module
    p_tags = ref('merge(local.tags, { municipality = "purmerend" })', _legacy_tags("nonprod", "purmerend"))
    prg = m.add(
        _r(
            "azurerm_resource_group",
            "purmerend",
            file="purmerend",
            name="rg-purmerend-test-weu",
            location=loc,
            tags=p_tags,
        )
    )
    prgn = rg_name(prg)
    m.add(
        _r(
            "azurerm_service_plan",
            "purmerend",
            file="purmerend",
            name="asp-purmerend-test-weu",
            location=loc,
            resource_group_name=prgn,
            os_type="Linux",
            sku_name="P1v3",
            worker_count=3,
            zone_balancing_enabled=True,
            tags=p_tags,
            comment="VIOLATION cost.service_plan: three workers balanced over zones in nonprod (one would do).",
        )
    )
    pv = m.add(
        _r(
            "azurerm_virtual_network",
            "purmerend",
            file="purmerend",
            name="vnet-purmerend-test-weu",
            location=loc,
            resource_group_name=prgn,
            address_space=["10.2.8.0/22"],
            tags=p_tags,
            comment="VIOLATION topology.address_overlap: 10.2.8.0/22 lies inside zaanstad's 10.2.0.0/20.\n"
            "VIOLATION topology.unpeered_spoke: no peering with the hub (and the hub has none back).",
        )
    )
    ps = m.add(
        _r(
            "azurerm_subnet",
            "purmerend_legacy",
            file="purmerend",
            name="snet-legacy",
            resource_group_name=prgn,
            virtual_network_name=name_of(pv),
            address_prefixes=["10.2.8.0/24"],
            comment="VIOLATION topology.subnet_nsg: no network security group associated.",
        )
    )
    gws = m.add(
        _r(
            "azurerm_subnet",
            "purmerend_gateway",
            file="purmerend",
            name="GatewaySubnet",
            resource_group_name=prgn,
            virtual_network_name=name_of(pv),
            address_prefixes=["10.2.9.0/27"],
        )
    )
    prt = m.add(
        _r(
            "azurerm_route_table",
            "purmerend",
            file="purmerend",
            name="rt-purmerend-test-weu",
            location=loc,
            resource_group_name=prgn,
            route=AB(
                B(
                    name="default-internet",
                    address_prefix="0.0.0.0/0",
                    next_hop_type="Internet",
                    next_hop_in_ip_address=None,
                ),
                B(
                    name="vendor-direct",
                    address_prefix="52.174.0.0/16",
                    next_hop_type="Internet",
                    next_hop_in_ip_address=None,
                ),
            ),
            tags=p_tags,
            comment="VIOLATION topology.default_route: 0.0.0.0/0 goes straight to the Internet.\n"
            "VIOLATION topology.internet_route: the vendor range goes straight to the Internet too.",
        )
    )
    batch = m.add(
        _r(
            "azurerm_subnet",
            "purmerend_batch",
            file="purmerend",
            name="snet-batch",
            resource_group_name=prgn,
            virtual_network_name=name_of(pv),
            address_prefixes=["10.2.10.0/24"],
            comment="VIOLATION topology.route_table: no route table (it has an NSG).",
        )
    )
    pnsg = m.add(
        _r(
            "azurerm_network_security_group",
            "purmerend",
            file="purmerend",
            name="nsg-purmerend-test-weu",
            location=loc,
            resource_group_name=prgn,
            tags=p_tags,
        )
    )
    m.add(
        _r(
            "azurerm_subnet_network_security_group_association",
            "purmerend_batch",
            file="purmerend",
            subnet_id=id_of(batch),
            network_security_group_id=id_of(pnsg),
        )
    )
    bas_subnet = m.add(
        _r(
            "azurerm_subnet",
            "purmerend_bastion",
            file="purmerend",
            name="AzureBastionSubnet",
            resource_group_name=prgn,
            virtual_network_name=name_of(pv),
            address_prefixes=["10.2.11.0/26"],
        )
    )
    bas_pip = m.add(
        _r(
            "azurerm_public_ip",
            "purmerend_bastion",
            file="purmerend",
            name="pip-bas-purmerend-test",
            location=loc,
            resource_group_name=prgn,
            allocation_method="Static",
            sku="Standard",
            zones=["1", "2", "3"],
            tags=p_tags,
        )
    )
    m.add(
        _r(
            "azurerm_bastion_host",
            "purmerend",
            file="purmerend",
            name="bas-purmerend-test-weu",
            location=loc,
            resource_group_name=prgn,
            sku="Standard",
            ip_configuration=[
                B(name="configuration", subnet_id=id_of(bas_subnet), public_ip_address_id=id_of(bas_pip))
            ],
            tags=p_tags,
            comment="VIOLATION topology.bastion_in_spoke: a Bastion host outside the hub.",
        )
    )
    m.add(
        _r(
            "azurerm_subnet_route_table_association",
            "purmerend_legacy",
            file="purmerend",
            subnet_id=id_of(ps),
            route_table_id=id_of(prt),
        )
    )
    gpip = m.add(
        _r(
            "azurerm_public_ip",
            "purmerend_vpn",
            file="purmerend",
            name="pip-vgw-purmerend-test",
            location=loc,
            resource_group_name=prgn,
            allocation_method="Static",
            sku="Standard",
            zones=["1", "2", "3"],
            tags=p_tags,
        )
    )
    m.add(
        _r(
            "azurerm_virtual_network_gateway",
            "purmerend",
            file="purmerend",
            name="vgw-purmerend-test-weu",
            location=loc,
            resource_group_name=prgn,
            type="Vpn",
            vpn_type="RouteBased",
            sku="VpnGw1AZ",
            generation="Generation1",
            active_active=False,
            ip_configuration=[
                B(
                    name="vnetGatewayConfig",
                    public_ip_address_id=id_of(gpip),
                    private_ip_address_allocation="Dynamic",
                    subnet_id=id_of(gws),
                )
            ],
            tags=p_tags,
            comment="VIOLATION topology.gateway_in_spoke: a VPN gateway outside the hub.",
        )
    )
    npip = m.add(
        _r(
            "azurerm_public_ip",
            "purmerend_vm",
            file="purmerend",
            name="pip-vm-purmerend-test-app01",
            location=loc,
            resource_group_name=prgn,
            allocation_method="Static",
            sku="Standard",
            tags=p_tags,
        )
    )
    m.add(
        _r(
            "azurerm_network_interface",
            "purmerend_vm",
            file="purmerend",
            name="nic-vm-purmerend-test-app01",
            location=loc,
            resource_group_name=prgn,
            ip_configuration=[
                B(
                    name="internal",
                    subnet_id=id_of(ps),
                    private_ip_address_allocation="Dynamic",
                    public_ip_address_id=id_of(npip),
                )
            ],
            tags=p_tags,
            comment="VIOLATION topology.public_ip: a public IP on a NIC in a spoke.",
        )
    )


def roots(variant):
    if variant == "landing_zone":
        spoke_vnets = {
            f"{m}-{ENV_TAG[env]}": spoke_vnet_id(env, m) for env in ("prod", "nonprod") for m in MUNICIPALITIES[env]
        }
        hub = hub_module(spoke_vnets)
        prod = spokes_module("prod")
        nonprod = spokes_module("nonprod")
    else:
        spoke_vnets = {
            f"{m}-{ENV_TAG[env]}": spoke_vnet_id(env, m) for env in ("prod", "nonprod") for m in MUNICIPALITIES[env]
        }
        spoke_vnets["haarlem-prod"] = arm(
            "prod", "rg-haarlem-prod-weu", "Microsoft.Network/virtualNetworks", "vnet-haarlem-prod-weu"
        )
        hub = hub_module(spoke_vnets)
        prod = spokes_module("prod", nc_prod_extra)
        nonprod = spokes_module("nonprod", nc_nonprod_extra)
    providers = {
        "hub": [{"subscription_id": SUB["connectivity"], "comment": "connectivity subscription"}],
        "spokes-prod": [{"subscription_id": SUB["prod"], "comment": "landing zone prod"}],
        "spokes-nonprod": [{"subscription_id": SUB["nonprod"], "comment": "landing zone nonprod (OTA)"}],
    }
    if variant == "noncompliant":
        providers["spokes-nonprod"].append(
            {
                "alias": "platform",
                "subscription_id": SUB["platform"],
                "comment": "central key management (not part of this landing zone)",
            }
        )
    return [
        RootModule("hub", hub, providers["hub"], var_values(hub)),
        RootModule("spokes-prod", prod, providers["spokes-prod"], var_values(prod)),
        RootModule("spokes-nonprod", nonprod, providers["spokes-nonprod"], var_values(nonprod)),
    ]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hcl", action="store_true", help="also rewrite the Terraform source (then run terraform fmt)")
    a = ap.parse_args(argv)
    for variant in ("landing_zone", "noncompliant"):
        base = os.path.join(EXAMPLES, variant)
        counts = []
        for root in roots(variant):
            plan = root.plan()
            write_json(os.path.join(base, "plans", f"{root.folder}.json"), plan)
            counts.append(f"{root.folder}={len(plan['resource_changes'])}")
            if a.hcl:
                hcl.write_module(
                    os.path.join(base, "terraform", root.folder), root.mdef, root.var_values, providers=root.providers
                )
        if a.hcl:
            first = SPOKE
            mv = spoke_example_values()
            hcl.write_module(os.path.join(base, "terraform", "modules", "spoke"), first, mv)
        print(f"{variant}: " + " ".join(counts))


def spoke_example_values():
    v = {n: var.default for n, var in SPOKE.variables.items()}
    v.update(
        name="zaanstad",
        environment="prod",
        address_space="10.1.0.0/20",
        subnets=MUNICIPALITIES["prod"]["zaanstad"]["subnets"],
        hub_vnet_id=HUB_VNET_ID,
        log_analytics_workspace_id=UNKNOWN,
        tenant_id=TENANT,
        sql_admin_password="x",
        tags={"environment": "prod", "municipality": "zaanstad"},
    )
    return v


if __name__ == "__main__":
    main()
