"""How values travel through a Terraform root read as HCL, as Terraform carries them: `try()` with
a function that matches, templates with unknown parts, sensitive variables unwrapped by
`nonsensitive()` (and never printed), functions not implemented (a gap, never a fallback), and
messages about a VNet whose name is known only after apply."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pytest_cloudcheck import checks
from pytest_cloudcheck.model import SENSITIVE, UNKNOWN
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory
from pytest_cloudcheck.sources.hcl import load_hcl_folder


def root(tmp_path: Path, text: str) -> Path:
    (tmp_path / "main.tf").write_text(textwrap.dedent(text).lstrip("\n"))
    return tmp_path


def test_try_takes_the_value_when_the_function_matches_and_the_fallback_when_it_fails(tmp_path: Path) -> None:
    loaded = load_hcl_folder(
        root(
            tmp_path,
            """
            variable "name" {
              default = "app-prod-01"
            }
            resource "azurerm_resource_group" "rg" {
              name     = "rg"
              location = "westeurope"
              tags = {
                env   = try(regex("prod", var.name), "nonprod")
                other = try(regex("test", var.name), "nonprod")
                upper = upper(try(regex("(?i)PROD", var.name), "none"))
              }
            }
            """,
        )
    )
    (rg,) = loaded.resources
    assert rg.tags == {"env": "prod", "other": "nonprod", "upper": "PROD"}


def test_a_template_with_unknown_parts_is_unknown_and_try_keeps_it_unknown(tmp_path: Path) -> None:
    loaded = load_hcl_folder(
        root(
            tmp_path,
            """
            resource "azurerm_resource_group" "a" {
              name     = "a"
              location = "westeurope"
            }
            resource "azurerm_resource_group" "b" {
              name     = "b"
              location = "westeurope"
              tags = {
                both     = "${azurerm_resource_group.a.id}/${azurerm_resource_group.a.id}"
                guarded  = try("${azurerm_resource_group.a.id}-${azurerm_resource_group.a.id}", "fallback")
                checked  = can("${azurerm_resource_group.a.id}-x") ? "yes" : "no"
                known    = try("${azurerm_resource_group.a.name}-x", "fallback")
              }
            }
            """,
        )
    )
    b = next(r for r in loaded.resources if r.address == "azurerm_resource_group.b")
    assert b.values["tags"] == {"both": UNKNOWN, "guarded": UNKNOWN, "checked": UNKNOWN, "known": "a-x"}


def test_nonsensitive_unwraps_a_sensitive_variable_and_its_secret_is_never_in_the_values(tmp_path: Path) -> None:
    loaded = load_hcl_folder(
        root(
            tmp_path,
            """
            variable "accounts" {
              type      = map(object({ tier = string, key = string }))
              sensitive = true
              default = {
                logs = { tier = "Standard", key = "s3cr3t-logs" }
                data = { tier = "Premium", key = "s3cr3t-data" }
              }
            }
            resource "azurerm_storage_account" "sa" {
              for_each                 = nonsensitive(toset(keys(var.accounts)))
              name                     = "st${each.key}"
              resource_group_name      = "rg"
              location                 = "westeurope"
              account_tier             = nonsensitive(var.accounts[each.key].tier)
              account_replication_type = "LRS"
              tags = {
                key    = var.accounts[each.key].key
                joined = "k-${var.accounts[each.key].key}"
              }
            }
            """,
        )
    )
    by_address = {r.address: r for r in loaded.resources}
    assert set(by_address) == {'azurerm_storage_account.sa["data"]', 'azurerm_storage_account.sa["logs"]'}
    data = by_address['azurerm_storage_account.sa["data"]']
    assert data.values["account_tier"] == "Premium"
    assert data.tags == {"key": SENSITIVE, "joined": SENSITIVE}
    assert "s3cr3t" not in repr([r.values for r in loaded.resources])


def test_a_function_not_implemented_is_unknown_and_a_gap_of_the_resource(tmp_path: Path) -> None:
    loaded = load_hcl_folder(
        root(
            tmp_path,
            """
            resource "azurerm_resource_group" "rg" {
              name     = try(provider::example::name("x"), "fallback")
              location = "westeurope"
            }
            """,
        )
    )
    (rg,) = loaded.resources
    assert rg.values["name"] is UNKNOWN  # never "fallback"
    (gap,) = [g for g in loaded.info.ledger if g.kind == "function"]
    assert "provider::example::name() is not implemented" in gap.why
    assert gap.address == "azurerm_resource_group.rg"
    assert gap.where.endswith("main.tf:1")


def test_a_vnet_whose_name_is_unknown_is_named_by_its_address_in_messages(tmp_path: Path) -> None:
    root(
        tmp_path,
        """
        resource "terraform_data" "suffix" {
          input = "x"
        }
        resource "azurerm_virtual_network" "a" {
          name                = "vnet-${terraform_data.suffix.output}"
          resource_group_name = "rg"
          location            = "westeurope"
          address_space       = ["10.0.0.0/16"]
        }
        resource "azurerm_virtual_network" "b" {
          name                = "vnet-b"
          resource_group_name = "rg"
          location            = "westeurope"
          address_space       = ["10.0.1.0/24"]
        }
        """,
    )
    inventory = build_inventory(Settings(hcl=[tmp_path]))
    findings = checks.hub_and_spoke(inventory)
    overlap = [f for f in findings if f.check == "topology.address_overlap"]
    assert overlap, [f.message for f in findings]
    assert all("None" not in f.message for f in findings), [f.message for f in findings]
    assert any("azurerm_virtual_network.a" in f.message for f in overlap)


def test_an_object_with_unknown_parts_is_not_null_so_a_count_on_it_is_known(tmp_path: Path) -> None:
    # AVM's `count = var.customer_managed_key != null ? 1 : 0` with a key id known after apply:
    # Terraform knows the count (terraform plan agrees); only a comparison of the parts is unknown
    loaded = load_hcl_folder(
        root(
            tmp_path,
            """
            resource "azurerm_resource_group" "a" {
              name     = "a"
              location = "westeurope"
            }
            locals {
              cmk = { key_vault_resource_id = azurerm_resource_group.a.id, key_name = "k" }
            }
            resource "azurerm_resource_group" "b" {
              count    = local.cmk != null ? 1 : 0
              name     = "b"
              location = "westeurope"
              tags = {
                not_null = local.cmk == null ? "null" : "set"
                parts    = local.cmk == { key_vault_resource_id = "x", key_name = "k" } ? "same" : "other"
                bare     = azurerm_resource_group.a.id != null ? "set" : "null"
              }
            }
            """,
        )
    )
    b = next(r for r in loaded.resources if r.address == "azurerm_resource_group.b[0]")
    assert b.values["tags"] == {"not_null": "set", "parts": UNKNOWN, "bare": UNKNOWN}
    assert not [g for g in loaded.info.ledger if g.kind == "instances"]


def test_template_directives_and_strip_markers_in_strings_and_heredocs_are_evaluated(tmp_path: Path) -> None:
    """`%{if}` / `%{for}` and `~` as Terraform evaluates them (tests/oracle has the console's answers
    for the details); the names a directive reads are references like any other."""
    loaded = load_hcl_folder(
        root(
            tmp_path,
            """
            variable "env" {
              default = "p"
            }
            variable "owners" {
              default = { b = "bob", a = "ann" }
            }
            resource "azurerm_resource_group" "rg" {
              name     = "rg-%{ if var.env == "p" }prod%{ else }nonprod%{ endif }"
              location = "westeurope"
              tags = {
                environment = "%{ if var.env == "p" ~} prod %{~ else }nonprod%{ endif }"
                owners      = "%{ for k, v in var.owners }${k}=${v};%{ endfor ~}"
                trimmed     = "x   ${~ var.env ~}   y" # python-hcl2's grammar refuses `${~`: moved out before parsing
                note        = <<-EOT
                  %{~ for k, v in var.owners ~}
                  ${upper(v)}
                  %{~ endfor ~}
                EOT
              }
            }
            resource "azurerm_storage_account" "sa" {
              name                = "st%{ if true }${azurerm_resource_group.rg.name}%{ endif }"
              resource_group_name = "rg"
              location            = "westeurope"
            }
            """,
        )
    )
    rg = next(r for r in loaded.resources if r.type == "azurerm_resource_group")
    assert rg.name == "rg-prod"
    # `~` strips only the rest of its own line in a heredoc, and a stripped line start leaves `<<-`
    # nothing to remove: the indentation stays (what `terraform console` gives for this heredoc)
    note = "      ANN\n      BOB\n"
    assert rg.tags == {"environment": "prod", "owners": "a=ann;b=bob;", "note": note, "trimmed": "xpy"}
    sa = next(r for r in loaded.resources if r.type == "azurerm_storage_account")
    assert sa.name == "strg-prod"


def test_a_directive_without_its_end_is_a_syntax_error_naming_the_line(tmp_path: Path) -> None:
    import pytest

    from pytest_cloudcheck.errors import SourceError

    root(
        tmp_path,
        """
        resource "azurerm_resource_group" "rg" {
          name     = "rg"
          location = "%{ if true }westeurope"
        }
        """,
    )
    expected = r"main\.tf:3: HCL syntax error: a %\{if\} directive has no matching %\{endif\}"
    with pytest.raises(SourceError, match=expected):
        load_hcl_folder(tmp_path)
