"""Modules as `terraform init` leaves them: `.terraform/modules/modules.json` names the folder of
every registry, git and nested module call; a call not installed is a gap naming the fix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from pytest_cloudcheck.errors import SourceError
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources.hcl import load_hcl_folder
from pytest_cloudcheck.sources.loaded import LoadedSource


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return folder


def manifest(root: Path, records: list[dict[str, str]]) -> None:
    """modules.json in the shape Terraform 1.x writes it (root record first; Version only for
    registry modules)."""
    path = root / ".terraform" / "modules" / "modules.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"Modules": [{"Key": "", "Source": "", "Dir": "."}, *records]}))


def addresses(loaded: LoadedSource) -> set[str]:
    return {r.address for r in loaded.resources}


ROOT = {
    "main.tf": """
        module "hub" {
          source  = "Azure/avm-ptn-hubnetworking/azurerm"
          version = "0.5.0"
          name    = "hub"
        }
        resource "azurerm_storage_account" "logs" {
          name = "stlogs"
          tags = { vnet = module.hub.vnet_name }
        }
    """,
}

#: what `terraform init` would have downloaded: a registry module that calls another registry
#: module (key "hub.vnet") and a local module inside itself (key "hub.fw", Source "./firewall")
INSTALLED = {
    ".terraform/modules/hub/main.tf": """
        variable "name" {
          type = string
        }
        module "vnet" {
          source  = "Azure/avm-res-network-virtualnetwork/azurerm"
          version = "0.7.1"
          for_each = toset(["a", "b"])
          name    = "vnet-${var.name}-${each.key}"
        }
        module "fw" {
          source = "./firewall"
        }
        output "vnet_name" {
          value = module.vnet["a"].name
        }
    """,
    ".terraform/modules/hub/firewall/main.tf": """
        resource "azurerm_firewall" "fw" {
          name = "fw-hub"
        }
    """,
    ".terraform/modules/hub.vnet/main.tf": """
        variable "name" {
          type = string
        }
        resource "azurerm_virtual_network" "this" {
          name          = var.name
          address_space = ["10.0.0.0/16"]
        }
        output "name" {
          value = azurerm_virtual_network.this.name
        }
    """,
}

RECORDS = [
    {
        "Key": "hub",
        "Source": "registry.terraform.io/Azure/avm-ptn-hubnetworking/azurerm",
        "Version": "0.5.0",
        "Dir": ".terraform/modules/hub",
    },
    {"Key": "hub.fw", "Source": "./firewall", "Dir": ".terraform/modules/hub/firewall"},
    {
        "Key": "hub.vnet",
        "Source": "registry.terraform.io/Azure/avm-res-network-virtualnetwork/azurerm",
        "Version": "0.7.1",
        "Dir": ".terraform/modules/hub.vnet",
    },
]


def test_registry_and_nested_modules_are_read_where_init_installed_them(tmp_path):
    write(tmp_path, {**ROOT, **INSTALLED})
    manifest(tmp_path, RECORDS)
    loaded = load_hcl_folder(tmp_path, settings=Settings())
    assert addresses(loaded) == {
        "azurerm_storage_account.logs",
        "module.hub.module.fw.azurerm_firewall.fw",
        'module.hub.module.vnet["a"].azurerm_virtual_network.this',
        'module.hub.module.vnet["b"].azurerm_virtual_network.this',
    }
    by_address = {r.address: r for r in loaded.resources}
    assert by_address['module.hub.module.vnet["b"].azurerm_virtual_network.this'].name == "vnet-hub-b"
    # outputs travel out of registry modules, and references follow them
    logs = by_address["azurerm_storage_account.logs"]
    assert logs.tags == {"vnet": "vnet-hub-a"}
    assert logs.references("tags") == ['module.hub.module.vnet["a"].azurerm_virtual_network.this']
    assert not [str(g) for g in loaded.info.ledger if g.kind == "module"]


def test_without_modules_json_each_remote_call_is_a_gap_naming_terraform_init(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, ROOT)
    loaded = load_hcl_folder(tmp_path, settings=Settings())
    assert addresses(loaded) == {"azurerm_storage_account.logs"}
    gaps = [str(g) for g in loaded.info.ledger if g.kind == "module"]
    assert gaps == [
        "main.tf:1: module.hub (source 'Azure/avm-ptn-hubnetworking/azurerm') was not read: "
        "no .terraform/modules/modules.json; run `terraform init -backend=false` in the root module first"
    ]


def test_a_call_missing_from_modules_json_or_a_changed_source_is_a_gap(tmp_path):
    write(tmp_path, {**ROOT, **INSTALLED})
    stale = [dict(RECORDS[0], Source="registry.terraform.io/Azure/other/azurerm"), *RECORDS[1:2]]
    manifest(tmp_path, stale)
    loaded = load_hcl_folder(tmp_path, settings=Settings())
    gaps = [str(g) for g in loaded.info.ledger if g.kind == "module"]
    assert len(gaps) == 1 and "stale" in gaps[0] and "terraform init -backend=false" in gaps[0]
    manifest(tmp_path, RECORDS[:2])  # hub installed, hub.vnet (added to the module later) not
    loaded = load_hcl_folder(tmp_path, settings=Settings())
    gaps = [str(g) for g in loaded.info.ledger if g.kind == "module"]
    assert len(gaps) == 1
    assert "module.hub.module.vnet" in gaps[0] and "not installed" in gaps[0]
    assert "main.tf:4" in gaps[0]  # the call's line in the installed module
    assert "module.hub.module.fw.azurerm_firewall.fw" in addresses(loaded)


def test_an_installed_folder_that_is_gone_is_a_gap(tmp_path):
    write(tmp_path, ROOT)
    manifest(tmp_path, RECORDS[:1])
    loaded = load_hcl_folder(tmp_path, settings=Settings())
    gaps = [str(g) for g in loaded.info.ledger if g.kind == "module"]
    assert len(gaps) == 1 and "is missing" in gaps[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "invalid JSON"),
        ('{"Modules": 3}', "no Modules list"),
        ('{"Modules": [{"Key": "x"}]}', "has no Source or Dir"),
    ],
)
def test_a_broken_manifest_is_a_source_error(tmp_path, text, message):
    write(tmp_path, ROOT)
    path = tmp_path / ".terraform" / "modules" / "modules.json"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    with pytest.raises(SourceError, match=message) as raised:
        load_hcl_folder(tmp_path, settings=Settings())
    assert "modules.json" in str(raised.value) and "terraform init -backend=false" in str(raised.value)


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_git_modules_installed_by_real_terraform(tmp_path, terraform):
    """`terraform get` installs git modules offline from a `git::file://` repository and writes
    modules.json itself: the loader reads what Terraform really wrote."""
    if shutil.which("git") is None:
        pytest.skip("git not on PATH")
    repo = write(
        tmp_path / "repo",
        {
            "main.tf": 'resource "azurerm_resource_group" "top" {\n  name = "rg-top"\n}\n',
            "modules/spoke/main.tf": """
                variable "name" {
                  type = string
                }
                module "inner" {
                  source = "./inner"
                  name   = var.name
                }
            """,
            "modules/spoke/inner/variables.tf": """
                variable "name" {
                  type = string
                }
            """,
            "modules/spoke/inner/main.tf": """
                resource "azurerm_storage_account" "s" {
                  name = "st${var.name}"
                }
            """,
        },
    )
    _git(repo, "init", "-q", ".")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "module")
    _git(repo, "tag", "v1.0.0")
    root = write(
        tmp_path / "root",
        {
            "main.tf": f"""
                module "top" {{
                  source = "git::file://{repo}?ref=v1.0.0"
                }}
                module "spoke" {{
                  source = "git::file://{repo}//modules/spoke?ref=v1.0.0"
                  count  = 2
                  name   = "s${{count.index}}"
                }}
            """
        },
    )
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    done = subprocess.run([terraform, "get"], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    records: dict[str, Any] = {
        r["Key"]: r for r in json.loads((root / ".terraform/modules/modules.json").read_text())["Modules"]
    }
    assert records["spoke.inner"]["Source"] == "./inner"  # what the nested key looks like
    loaded = load_hcl_folder(root, settings=Settings())
    assert addresses(loaded) == {
        "module.top.azurerm_resource_group.top",
        "module.spoke[0].module.inner.azurerm_storage_account.s",
        "module.spoke[1].module.inner.azurerm_storage_account.s",
    }
    names = sorted(r.name for r in loaded.resources if r.type == "azurerm_storage_account")
    assert names == ["sts0", "sts1"]
    assert not [str(g) for g in loaded.info.ledger if g.kind == "module"]


def test_for_each_over_100k_elements_is_linear(tmp_path):
    """`toset`, `distinct` and the for_each expansion hash their elements: 100k instances load in
    seconds (it was quadratic: 40k took 15 s). Timed in CPU seconds of this process, as a busy CI
    machine shares its cores."""
    import time

    from pytest_cloudcheck.sources import build_inventory

    write(
        tmp_path,
        {
            "main.tf": """
                locals {
                  # range() makes at most 1024 values (as Terraform): 100 x 1000 names
                  names = flatten([for i in range(100) : [for j in range(1000) : "rg-${(i * 1000 + j) % 99999}"]])
                }
                resource "azurerm_resource_group" "rg" {
                  for_each = toset(concat(local.names, distinct(local.names)))
                  name     = each.key
                }
            """
        },
    )
    started = time.process_time()
    inventory = build_inventory(Settings(hcl=[tmp_path]))
    elapsed = time.process_time() - started
    assert len(inventory) == 99999
    assert inventory.get('azurerm_resource_group.rg["rg-99998"]').name == "rg-99998"
    assert elapsed < 5, f"100k for_each elements took {elapsed:.1f} s of CPU"


def test_a_subnet_reached_through_a_dynamic_block_a_local_and_a_computed_module_key(tmp_path):
    # AVM's hub pattern: the firewall's subnet id comes from a for_each module's output, picked by
    # a computed key inside a local, and handed to a dynamic ip_configuration block
    write(
        tmp_path,
        {
            "main.tf": """
                variable "hubs" {
                  default = { weu = "10.0.0.0/16" }
                }
                module "vnet" {
                  source   = "./vnet"
                  for_each = var.hubs
                  name     = "vnet-hub-${each.key}"
                  space    = each.value
                }
                locals {
                  firewall_subnets = { for k, v in var.hubs : k => module.vnet[k].subnet_ids["AzureFirewallSubnet"] }
                }
                resource "azurerm_firewall" "hub" {
                  for_each = var.hubs
                  name     = "fw-${each.key}"
                  dynamic "ip_configuration" {
                    for_each = { main = local.firewall_subnets[each.key] }
                    content {
                      name      = ip_configuration.key
                      subnet_id = ip_configuration.value
                    }
                  }
                }
            """,
            "vnet/main.tf": """
                variable "name" {}
                variable "space" {}
                resource "azurerm_virtual_network" "this" {
                  name          = var.name
                  address_space = [var.space]
                }
                resource "azurerm_subnet" "firewall" {
                  name                 = "AzureFirewallSubnet"
                  virtual_network_name = azurerm_virtual_network.this.name
                  address_prefixes     = [cidrsubnet(var.space, 10, 0)]
                }
                output "subnet_ids" {
                  value = { (azurerm_subnet.firewall.name) = azurerm_subnet.firewall.id }
                }
            """,
        },
    )
    loaded = load_hcl_folder(tmp_path, settings=Settings())
    firewall = next(r for r in loaded.resources if r.type == "azurerm_firewall")
    assert firewall.references("ip_configuration.subnet_id") == ['module.vnet["weu"].azurerm_subnet.firewall']


def test_azapi_subnets_and_firewalls_find_their_vnet_through_modules_and_regions(tmp_path):
    # AVM's hub pattern for two regions: subnets created by a for_each module whose parent_id is a
    # VNet module's output (known after apply); each firewall's subnet comes out of a map of all
    # hubs, so only the region tells which VNet it sits in
    from pytest_cloudcheck.sources import build_inventory
    from pytest_cloudcheck.topology import topology_of

    write(
        tmp_path,
        {
            "main.tf": """
                variable "hubs" {
                  default = {
                    weu = { location = "westeurope", space = "10.0.0.0/16" }
                    neu = { location = "northeurope", space = "10.1.0.0/16" }
                  }
                }
                module "vnet" {
                  source   = "./vnet"
                  for_each = var.hubs
                  name     = "vnet-hub-${each.key}"
                  location = each.value.location
                  space    = each.value.space
                }
                locals {
                  vnet_ids = { for k, m in module.vnet : k => m.resource_id }
                  subnets = { for k, v in var.hubs : "${k}-fw" => {
                    vnet_id = local.vnet_ids[k]
                    prefix  = cidrsubnet(v.space, 10, 0)
                  } }
                }
                module "subnet" {
                  source    = "./subnet"
                  for_each  = local.subnets
                  parent_id = each.value.vnet_id
                  prefix    = each.value.prefix
                }
                resource "azurerm_firewall" "hub" {
                  for_each = var.hubs
                  name     = "fw-${each.key}"
                  location = each.value.location
                  ip_configuration {
                    name      = "primary"
                    subnet_id = { for k, s in module.subnet : k => s.resource_id }["${each.key}-fw"]
                  }
                }
            """,
            "vnet/main.tf": """
                variable "name" {}
                variable "location" {}
                variable "space" {}
                resource "azapi_resource" "vnet" {
                  type      = "Microsoft.Network/virtualNetworks@2024-05-01"
                  name      = var.name
                  location  = var.location
                  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub"
                  body = { properties = { addressSpace = { addressPrefixes = [var.space] } } }
                }
                output "resource_id" {
                  value = azapi_resource.vnet.id
                }
            """,
            "subnet/main.tf": """
                variable "parent_id" {}
                variable "prefix" {}
                resource "azapi_resource" "subnet" {
                  type      = "Microsoft.Network/virtualNetworks/subnets@2024-05-01"
                  name      = "AzureFirewallSubnet"
                  parent_id = var.parent_id
                  body = { properties = { addressPrefixes = [var.prefix] } }
                }
                output "resource_id" {
                  value = azapi_resource.subnet.id
                }
            """,
        },
    )
    topology = topology_of(build_inventory(Settings(hcl=[tmp_path])))
    placed = {s.resource.address: s.vnet.resource.address for s in topology.subnets if s.vnet is not None}
    assert placed == {
        'module.subnet["neu-fw"].azapi_resource.subnet': 'module.vnet["neu"].azapi_resource.vnet',
        'module.subnet["weu-fw"].azapi_resource.subnet': 'module.vnet["weu"].azapi_resource.vnet',
    }
    firewalls = {a.resource.address: a.vnet.resource.address for a in topology.appliances if a.vnet is not None}
    assert firewalls == {
        'azurerm_firewall.hub["neu"]': 'module.vnet["neu"].azapi_resource.vnet',
        'azurerm_firewall.hub["weu"]': 'module.vnet["weu"].azapi_resource.vnet',
    }


def test_references_through_long_chains_of_locals_are_walked_once(tmp_path):
    # CAF's archetype locals read locals that read locals, each by several attributes: walking
    # every reference again took minutes; each local is resolved once per module instance
    import time

    chain = "\n".join(
        f"  l{i} = {{ a = local.l{i - 1}.a, b = local.l{i - 1}.b, c = local.l{i - 1} }}" for i in range(1, 40)
    )
    write(
        tmp_path,
        {
            "main.tf": f"""
resource "azurerm_resource_group" "rg" {{
  name     = "rg"
  location = "westeurope"
}}
locals {{
  l0 = {{ a = azurerm_resource_group.rg.id, b = azurerm_resource_group.rg.name }}
{chain}
}}
resource "azurerm_storage_account" "sa" {{
  name                = "st"
  resource_group_name = local.l39.b
}}
"""
        },
    )
    started = time.process_time()
    loaded = load_hcl_folder(tmp_path, settings=Settings())
    sa = next(r for r in loaded.resources if r.type == "azurerm_storage_account")
    assert sa.references("resource_group_name") == ["azurerm_resource_group.rg"]
    assert time.process_time() - started < 5
