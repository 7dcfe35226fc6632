"""The HCL source: Terraform folders -> the same Resource model as the plan source."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from pytest_cloudcheck.errors import SourceError
from pytest_cloudcheck.model import SENSITIVE, UNKNOWN, Origin
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory
from pytest_cloudcheck.sources.hcl import load_hcl_folder
from pytest_cloudcheck.sources.loaded import LoadedSource


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return folder


def load(folder: Path, files: dict[str, str], **settings: Any) -> LoadedSource:
    return load_hcl_folder(write(folder, files), settings=Settings(**settings))


def by_address(loaded: LoadedSource) -> dict[str, Any]:
    return {r.address: r for r in (*loaded.resources, *loaded.data_sources)}


SPOKE_MODULE = {
    "modules/spoke/main.tf": """
        variable "name" {
          type = string
        }
        variable "prefixes" {
          type = map(string)
        }
        variable "key_id" {
          type = string
        }
        locals {
          suffix = "${var.name}-prod"
        }
        resource "azurerm_virtual_network" "vnet" {
          name          = "vnet-${local.suffix}"
          address_space = [for k, p in var.prefixes : p]
        }
        resource "azurerm_subnet" "s" {
          for_each             = var.prefixes
          name                 = each.key
          virtual_network_name = azurerm_virtual_network.vnet.name
          address_prefixes     = [each.value]
        }
        resource "azurerm_storage_account" "data" {
          count = 2
          name  = format("st%s%02d", replace(var.name, "-", ""), count.index)
          customer_managed_key {
            key_vault_key_id = var.key_id
          }
        }
        output "vnet_id" {
          value = azurerm_virtual_network.vnet.id
        }
    """,
    "main.tf": """
        variable "spokes" {
          default = {
            a = { prefixes = { app = "10.1.0.0/24" } }
            b = { prefixes = { app = "10.2.0.0/24", data = "10.2.1.0/24" } }
          }
        }
        resource "azurerm_key_vault_key" "k" {
          name = "cmk"
        }
        module "spoke" {
          source   = "./modules/spoke"
          for_each = var.spokes
          name     = each.key
          prefixes = each.value.prefixes
          key_id   = azurerm_key_vault_key.k.versionless_id
        }
        resource "azurerm_virtual_network_peering" "to_a" {
          name                      = "peer-a"
          remote_virtual_network_id = module.spoke["a"].vnet_id
        }
    """,
}


def test_module_for_each_and_count_expand_to_terraform_addresses(tmp_path):
    loaded = load(tmp_path, SPOKE_MODULE)
    addresses = sorted(by_address(loaded))
    assert addresses == [
        "azurerm_key_vault_key.k",
        "azurerm_virtual_network_peering.to_a",
        'module.spoke["a"].azurerm_storage_account.data[0]',
        'module.spoke["a"].azurerm_storage_account.data[1]',
        'module.spoke["a"].azurerm_subnet.s["app"]',
        'module.spoke["a"].azurerm_virtual_network.vnet',
        'module.spoke["b"].azurerm_storage_account.data[0]',
        'module.spoke["b"].azurerm_storage_account.data[1]',
        'module.spoke["b"].azurerm_subnet.s["app"]',
        'module.spoke["b"].azurerm_subnet.s["data"]',
        'module.spoke["b"].azurerm_virtual_network.vnet',
    ]
    resources = by_address(loaded)
    subnet = resources['module.spoke["b"].azurerm_subnet.s["data"]']
    assert (subnet.module, subnet.index, subnet.source) == ('module.spoke["b"]', "data", "hcl")
    assert subnet.values["address_prefixes"] == ["10.2.1.0/24"]
    assert subnet.values["virtual_network_name"] == "vnet-b-prod"  # another resource's configured name
    assert resources['module.spoke["b"].azurerm_storage_account.data[1]'].name == "stb01"
    assert resources['module.spoke["b"].azurerm_virtual_network.vnet'].values["address_space"] == [
        "10.2.0.0/24",
        "10.2.1.0/24",
    ]


def test_computed_attributes_are_unknown_like_in_a_plan(tmp_path):
    resources = by_address(load(tmp_path, SPOKE_MODULE))
    account = resources['module.spoke["a"].azurerm_storage_account.data[0]']
    assert account.values["id"] is UNKNOWN
    assert account.id is None
    assert account.get("customer_managed_key.key_vault_key_id") is UNKNOWN
    assert resources["azurerm_virtual_network_peering.to_a"].values["remote_virtual_network_id"] is UNKNOWN


def test_references_resolve_through_module_variables_and_outputs(tmp_path):
    resources = by_address(load(tmp_path, SPOKE_MODULE))
    account = resources['module.spoke["b"].azurerm_storage_account.data[0]']
    assert account.references("customer_managed_key.key_vault_key_id") == ["azurerm_key_vault_key.k"]
    peering = resources["azurerm_virtual_network_peering.to_a"]
    assert peering.references("remote_virtual_network_id") == ['module.spoke["a"].azurerm_virtual_network.vnet']
    subnet = resources['module.spoke["a"].azurerm_subnet.s["app"]']
    assert subnet.references("virtual_network_name") == ['module.spoke["a"].azurerm_virtual_network.vnet']
    assert subnet.references("name") == []


def test_origins_point_at_the_block_and_the_attribute(tmp_path):
    resources = by_address(load(tmp_path, SPOKE_MODULE))
    account = resources['module.spoke["a"].azurerm_storage_account.data[1]']
    assert account.origin.line == 23
    assert account.origin.file.endswith("modules/spoke/main.tf")
    assert account.origin_of("customer_managed_key.key_vault_key_id") == Origin(account.origin.file, 27)
    assert account.origin_of("customer_managed_key.0.key_vault_key_id").line == 27
    assert account.origin_of("customer_managed_key.managed_hsm_key_id").line == 26  # the block
    assert account.origin_of("name").line == 25
    assert account.origin_of("not_set") == account.origin
    peering = resources["azurerm_virtual_network_peering.to_a"]
    assert str(peering.origin).endswith("main.tf:17")


def test_static_evaluation_of_literals_variables_locals_and_functions(tmp_path):
    loaded = load(
        tmp_path,
        {
            "main.tf": """
                variable "env" {
                  default = "Prod"
                }
                variable "base_tags" {
                  default = { owner = "squad-a" }
                }
                locals {
                  env  = lower(var.env)
                  tags = merge(var.base_tags, { environment = local.env })
                  net  = cidrsubnet("10.0.0.0/16", 8, 3)
                  size = lookup({ prod = "ZRS" }, local.env, "LRS")
                }
                resource "azurerm_storage_account" "a" {
                  name                     = "st${local.env}data"
                  account_replication_type = local.env == "prod" ? local.size : "LRS"
                  tags                     = local.tags
                  min_tls_version          = upper("tls1_2")
                  network_rules {
                    ip_rules = [local.net, cidrhost("10.0.0.0/24", 4)]
                  }
                  dynamic "blob_properties" {
                    for_each = ["x"]
                    content {
                      versioning_enabled = true
                    }
                  }
                }
            """
        },
    )
    account = loaded.resources[0]
    assert account.name == "stproddata"
    assert account.values["account_replication_type"] == "ZRS"
    assert account.tags == {"owner": "squad-a", "environment": "prod"}
    assert account.values["min_tls_version"] == "TLS1_2"
    assert account.get("network_rules.ip_rules") == ["10.0.3.0/24", "10.0.0.4"]
    assert account.get("blob_properties.versioning_enabled") is True
    # provider defaults for attributes not set, as a plan would show them
    assert account.values["public_network_access_enabled"] is True


def test_tfvars_precedence_and_var_files(tmp_path):
    files = {
        "main.tf": """
            variable "a" {
              default = "default"
            }
            variable "b" {
              default = "default"
            }
            variable "c" {
              default = "default"
            }
            resource "azurerm_resource_group" "rg" {
              name = "${var.a}-${var.b}-${var.c}"
            }
        """,
        "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\n',
        "x.auto.tfvars": 'b = "auto"\nc = "auto"\n',
        "ci/prod.tfvars": 'c = "varfile"\n',
    }
    loaded = load(tmp_path, files, extra={"var_files": [tmp_path / "ci" / "prod.tfvars"]})
    assert loaded.resources[0].name == "tfvars-auto-varfile"
    with pytest.raises(SourceError, match="not found"):
        load(tmp_path / "x", files, extra={"var_files": [tmp_path / "nope.tfvars"]})


def test_data_sources_remote_modules_and_sensitive_variables(tmp_path):
    loaded = load(
        tmp_path,
        {
            "main.tf": """
                variable "password" {
                  default   = "hunter2hunter2"
                  sensitive = true
                }
                variable "no_value" {
                  type = string
                }
                data "azurerm_key_vault_key" "central" {
                  name = "cmk"
                }
                module "avm" {
                  source  = "Azure/avm-res-network-virtualnetwork/azurerm"
                  version = "0.7.1"
                }
                resource "azurerm_mssql_server" "s" {
                  name                         = "sql-${var.no_value}"
                  administrator_login_password = var.password
                }
                resource "azurerm_storage_account" "a" {
                  name = "sta"
                  customer_managed_key {
                    key_vault_key_id = data.azurerm_key_vault_key.central.versionless_id
                  }
                  tags = { vnet = module.avm.resource_id }
                }
            """
        },
    )
    resources = by_address(loaded)
    central = resources["data.azurerm_key_vault_key.central"]
    assert central.mode == "data" and central in loaded.data_sources
    assert central.values["name"] == "cmk"
    assert central.tags is UNKNOWN
    account = resources["azurerm_storage_account.a"]
    assert account.get("customer_managed_key.key_vault_key_id") is UNKNOWN
    assert account.references("customer_managed_key.key_vault_key_id") == ["data.azurerm_key_vault_key.central"]
    assert account.tags == {"vnet": UNKNOWN}
    server = resources["azurerm_mssql_server.s"]
    assert server.values["administrator_login_password"] is SENSITIVE
    assert server.values["name"] is UNKNOWN
    assert [(g.kind, g.address) for g in loaded.info.ledger if "not read" in g.why] == [("module", "module.avm")]
    assert any("var.no_value" in n for n in loaded.info.notes)
    assert "hunter2" not in repr([r.values for r in loaded.resources])


def test_for_each_over_another_resource_and_unknown_for_each(tmp_path):
    loaded = load(
        tmp_path,
        {
            "main.tf": """
                resource "azurerm_subnet" "s" {
                  for_each = toset(["b", "a"])
                  name     = each.key
                }
                resource "azurerm_subnet_route_table_association" "s" {
                  for_each  = azurerm_subnet.s
                  subnet_id = each.value.id
                }
                data "azurerm_subnets" "all" {
                  name = "x"
                }
                resource "azurerm_network_security_group" "per_subnet" {
                  for_each = data.azurerm_subnets.all.names
                  name     = "nsg-${each.key}"
                }
            """
        },
    )
    addresses = sorted(by_address(loaded))
    assert 'azurerm_subnet_route_table_association.s["a"]' in addresses
    assert 'azurerm_subnet_route_table_association.s["b"]' in addresses
    association = by_address(loaded)['azurerm_subnet_route_table_association.s["b"]']
    assert association.references("subnet_id") == ['azurerm_subnet.s["b"]']  # each.value: same key
    assert "azurerm_network_security_group.per_subnet[*]" in addresses
    assert any(
        g.kind == "instances" and g.address == "azurerm_network_security_group.per_subnet[*]"
        for g in loaded.info.ledger
    )
    nsg = by_address(loaded)["azurerm_network_security_group.per_subnet[*]"]
    assert nsg.values["name"] is UNKNOWN


def test_azapi_resources_are_shaped_like_arm(tmp_path):
    loaded = load(
        tmp_path,
        {
            "main.tf": """
                resource "azapi_resource" "peer" {
                  type      = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-11-01"
                  name      = "hub-to-a"
                  parent_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub"
                  body = {
                    properties = { allowForwardedTraffic = true }
                  }
                }
            """
        },
    )
    peer = loaded.resources[0]
    assert (peer.type, peer.schema) == ("azurerm_virtual_network_peering", "arm")
    assert peer.get("properties.allowForwardedTraffic") is True
    assert peer.id.endswith("/virtualNetworkPeerings/hub-to-a")


def test_tf_json_files_are_read(tmp_path):
    loaded = load(
        tmp_path,
        {
            "main.tf.json": """
                {"variable": {"env": {"default": "prod"}},
                 "resource": {"azurerm_resource_group": {"rg": {"name": "rg-${var.env}", "tags": {"a": "b"}}}}}
            """
        },
    )
    group = loaded.resources[0]
    assert (group.address, group.name, group.tags) == ("azurerm_resource_group.rg", "rg-prod", {"a": "b"})


def test_provider_subscription_and_environment_classification(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": """
                provider "azurerm" {
                  subscription_id = "8B2D4E6F-1A3C-4E5B-8D7F-2C4E6A8B0C02"
                  features {}
                }
                resource "azurerm_resource_group" "rg" {
                  name = "rg"
                  tags = { environment = "p" }
                }
            """
        },
    )
    inventory = build_inventory(Settings(hcl=[tmp_path]))
    group = inventory.get("azurerm_resource_group.rg")
    assert group.subscription_id == "8b2d4e6f-1a3c-4e5b-8d7f-2c4e6a8b0c02"
    assert group.environment == "prod"
    assert inventory.sources[0].kind == "hcl"


# ---------------------------------------------------------------------------------------------
# Bad input: one clear line, never a traceback, never a pass


@pytest.mark.parametrize(
    ("files", "location", "problem"),
    [
        ({"main.tf": 'resource "a" "b" {\n  x = = 1\n}\n'}, "main.tf:2", "HCL syntax error: unexpected"),
        ({"notes.txt": "x"}, "", "holds no *.tf files"),
        (
            {"main.tf": 'module "m" {\n  source = "./nowhere"\n}\n'},
            "main.tf:1",
            'module "m": source "./nowhere" not found',
        ),
        (
            {"main.tf": 'locals {\n  a = local.b\n  b = local.a\n}\nresource "x_y" "z" {\n  n = local.a\n}\n'},
            "main.tf:",
            "cycle between locals: local.",
        ),
        ({"main.tf": 'resource "x_y" "z" {\n  n = var.missing\n}\n'}, "", "no variable 'missing' is declared"),
    ],
    ids=["syntax", "no-tf-files", "missing-module", "locals-cycle", "undeclared-variable"],
)
def test_bad_input_is_one_clear_source_error(tmp_path, files, location, problem):
    with pytest.raises(SourceError) as raised:
        load(tmp_path, files)
    assert problem in raised.value.problem
    assert location in raised.value.location
    assert "\n" not in str(raised.value)


def test_missing_folder_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="folder not found"):
        load_hcl_folder(tmp_path / "absent")
    (tmp_path / "file.tf").write_text("")
    with pytest.raises(SourceError, match="is not a folder"):
        load_hcl_folder(tmp_path / "file.tf")


def test_object_types_fill_optional_defaults_as_avm_modules_rely_on(tmp_path):
    loaded = load(
        tmp_path,
        {
            "main.tf": """
                variable "resource_types" {
                  type = object({
                    peering = optional(string, "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-11-01")
                    other   = optional(string)
                  })
                  default = {}
                }
                variable "zones" {
                  type    = set(string)
                  default = ["3", "1", "1"]
                }
                resource "azapi_resource" "peer" {
                  type      = var.resource_types.peering
                  name      = "p"
                  parent_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub"
                  body      = { properties = { zones = var.zones, other = var.resource_types.other } }
                }
            """
        },
    )
    peer = loaded.resources[0]
    assert peer.type == "azurerm_virtual_network_peering"
    assert peer.get("properties.zones") == ["1", "3"]
    assert peer.get("properties") == {"zones": ["1", "3"], "other": None}
