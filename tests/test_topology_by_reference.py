"""NSG and route table associations known only by reference (issue 13): an azapi subnet whose
`properties.networkSecurityGroup.id` is known only after apply (AVM's virtual network module) is
associated when the configuration references an NSG there; a reference to anything else is
unknown, never "no NSG" and never a pass. Through the plugin, on HCL and on plan JSON."""

from __future__ import annotations

import pytest
from planbuilder import PlanBuilder

SUB = "22222222-2222-2222-2222-222222222222"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-net"
VNETS = "Microsoft.Network/virtualNetworks@2024-05-01"
SUBNETS = "Microsoft.Network/virtualNetworks/subnets@2024-05-01"
PROD = {"environment": "prod"}

TESTS = """
from pytest_cloudcheck import checks

def test_subnet_nsgs(cloud):
    found = [f for f in checks.hub_and_spoke(cloud) if f.check == "topology.subnet_nsg"]
    assert not found, "; ".join(sorted(f"{f.kind} {f.address}" for f in found))

def test_route_table_by_reference(topology):
    by_name = {s.name: s for s in topology.subnets}
    assert by_name["snet-app"].route_table.resource.address == "azurerm_route_table.rt"
    assert by_name["snet-bare"].route_table is None and not by_name["snet-bare"].route_table_unknown
"""

ROOT = """
resource "azurerm_resource_group" "rg" {
  name     = "rg-net"
  location = "westeurope"
  tags     = { environment = "prod" }
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-app"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
}

resource "azurerm_route_table" "rt" {
  name                = "rt-app"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
}

resource "terraform_data" "later" {
  input = "x"
}

# AVM's virtual network module: subnets as azapi resources, their NSG and route table ids known after apply
module "vnet" {
  source    = "./modules/vnet"
  parent_id = azurerm_resource_group.rg.id
  subnets = {
    app = {
      name                   = "snet-app"
      address_prefix         = "10.1.0.0/24"
      nsg                    = { id = azurerm_network_security_group.nsg.id }
      route_table            = { id = azurerm_route_table.rt.id }
    }
    bare = {
      name           = "snet-bare"
      address_prefix = "10.1.1.0/24"
    }
  }
}

# an NSG id from something that is no NSG: unknown
resource "azapi_resource" "later" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2024-05-01"
  name      = "snet-later"
  parent_id = module.vnet.id
  body = {
    properties = {
      addressPrefix        = "10.1.2.0/24"
      networkSecurityGroup = { id = terraform_data.later.output }
    }
  }
}

# an azurerm association whose NSG id is known only after apply
resource "azurerm_subnet" "assoc" {
  name                 = "snet-assoc"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = "vnet-app"
  address_prefixes     = ["10.1.3.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "assoc" {
  subnet_id                 = azurerm_subnet.assoc.id
  network_security_group_id = azurerm_network_security_group.nsg.id
}
"""

MODULE = """
variable "parent_id" {
  type = string
}

variable "subnets" {
  type = map(object({
    name                   = string
    address_prefix         = string
    nsg                    = optional(object({ id = string }))
    route_table            = optional(object({ id = string }))
  }))
}

resource "azapi_resource" "vnet" {
  type      = "Microsoft.Network/virtualNetworks@2024-05-01"
  name      = "vnet-app"
  parent_id = var.parent_id
  location  = "westeurope"
  tags      = { environment = "prod" }
  body = {
    properties = { addressSpace = { addressPrefixes = ["10.1.0.0/16"] } }
  }
}

resource "azapi_resource" "subnet" {
  for_each  = var.subnets
  type      = "Microsoft.Network/virtualNetworks/subnets@2024-05-01"
  name      = each.value.name
  parent_id = azapi_resource.vnet.id
  body = {
    properties = {
      addressPrefix        = each.value.address_prefix
      networkSecurityGroup = each.value.nsg != null ? { id = each.value.nsg.id } : null
      routeTable           = each.value.route_table != null ? { id = each.value.route_table.id } : null
    }
  }
}

output "id" {
  value = azapi_resource.vnet.id
}
"""


def _plan() -> PlanBuilder:
    """The same tree as `terraform show -json` gives it (azapi 2.x bodies are objects; an id known
    after apply is left out of `after` and flagged in `after_unknown`)."""
    plan = PlanBuilder()
    plan.resource("azurerm_resource_group.rg", {"name": "rg-net", "location": "westeurope", "tags": PROD, "id": RG})
    plan.resource(
        "azurerm_network_security_group.nsg", {"name": "nsg-app", "resource_group_name": "rg-net"}, unknown=["id"]
    )
    plan.resource("azurerm_route_table.rt", {"name": "rt-app", "resource_group_name": "rg-net"}, unknown=["id"])
    plan.resource("terraform_data.later", {"input": "x"}, unknown=["id", "output"])
    nsg, rt = "azurerm_network_security_group.nsg", "azurerm_route_table.rt"
    plan.module_call(
        "vnet",
        inputs={
            "parent_id": ["azurerm_resource_group.rg.id", "azurerm_resource_group.rg"],
            "subnets": [f"{nsg}.id", nsg, f"{rt}.id", rt],
        },
        outputs={"id": ["azapi_resource.vnet.id", "azapi_resource.vnet"]},
    )
    plan.resource(
        "module.vnet.azapi_resource.vnet",
        {
            "type": VNETS,
            "name": "vnet-app",
            "parent_id": RG,
            "location": "westeurope",
            "tags": PROD,
            "body": {"properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}},
        },
        unknown=["id"],
        refs={"parent_id": ["var.parent_id"]},
    )
    each = [
        "each.value.nsg.id",
        "each.value.nsg",
        "each.value.route_table.id",
        "each.value.route_table",
        "each.value.address_prefix",
        "each.value",
    ]
    for key, name, prefix, linked in (
        ("app", "snet-app", "10.1.0.0/24", True),
        ("bare", "snet-bare", "10.1.1.0/24", False),
    ):
        props = {
            "addressPrefix": prefix,
            "networkSecurityGroup": {} if linked else None,
            "routeTable": {} if linked else None,
        }
        unknown = ["id", "parent_id"]
        if linked:
            unknown += ["body.properties.networkSecurityGroup.id", "body.properties.routeTable.id"]
        plan.resource(
            f'module.vnet.azapi_resource.subnet["{key}"]',
            {"type": SUBNETS, "name": name, "body": {"properties": props}},
            unknown=unknown,
            refs={"body": each, "parent_id": ["azapi_resource.vnet.id", "azapi_resource.vnet"]},
        )
    config = plan.doc["configuration"]["root_module"]["module_calls"]["vnet"]["module"]["resources"]
    next(c for c in config if c["address"] == "azapi_resource.subnet")["for_each_expression"] = {
        "references": ["var.subnets"]
    }
    plan.resource(
        "azapi_resource.later",
        {
            "type": SUBNETS,
            "name": "snet-later",
            "body": {"properties": {"addressPrefix": "10.1.2.0/24", "networkSecurityGroup": {}}},
        },
        unknown=["id", "parent_id", "body.properties.networkSecurityGroup.id"],
        refs={"body": ["terraform_data.later.output", "terraform_data.later"], "parent_id": ["module.vnet.id"]},
    )
    plan.resource(
        "azurerm_subnet.assoc",
        {
            "name": "snet-assoc",
            "resource_group_name": "rg-net",
            "virtual_network_name": "vnet-app",
            "address_prefixes": ["10.1.3.0/24"],
        },
        unknown=["id"],
    )
    plan.resource(
        "azurerm_subnet_network_security_group_association.assoc",
        {},
        unknown=["id", "subnet_id", "network_security_group_id"],
        refs={
            "subnet_id": ["azurerm_subnet.assoc.id", "azurerm_subnet.assoc"],
            "network_security_group_id": [f"{nsg}.id", nsg],
        },
    )
    return plan


@pytest.mark.parametrize("source", ["hcl", "plan"])
def test_associations_known_only_by_reference(pytester, source):
    pytester.makepyfile(test_checks=TESTS)
    if source == "hcl":
        (pytester.path / "infra" / "modules" / "vnet").mkdir(parents=True)
        (pytester.path / "infra" / "main.tf").write_text(ROOT)
        (pytester.path / "infra" / "modules" / "vnet" / "main.tf").write_text(MODULE)
        args = ["--cloudcheck-hcl", "infra"]
    else:
        args = ["--cloudcheck-plan", str(_plan().write(pytester.path / "plan.json"))]
    result = pytester.runpytest("-p", "no:cacheprovider", *args, "-v")
    result.assert_outcomes(passed=1, failed=1)
    # only the subnet with no NSG is a violation, the one whose NSG id comes from no NSG is unknown
    result.stdout.fnmatch_lines(
        ['*AssertionError: unknown azapi_resource.later; violation module.vnet.azapi_resource.subnet[[]"bare"[]]']
    )
