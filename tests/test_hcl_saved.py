"""A whole HCL load reused from pytest's cache (sources/hcl/saved.py): only while nothing it read
has changed; any change to what it read loads the tree again, and secrets are never stored."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytest_cloudcheck.model import Origin
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources.hcl import load_hcl_folder, saved

ROOT = """
variable "env" {
  default = "prod"
}

module "m" {
  source = "./mod"
}

resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "westeurope"
  tags = {
    environment = var.env
    script      = file("${path.module}/script.sh")
    confs       = join(",", fileset(path.module, "conf/*.txt"))
  }
}
"""

MODULE = """
resource "azurerm_resource_group" "m" {
  name     = "m"
  location = "westeurope"
  tags     = { environment = "prod", version = "1" }
}
"""

REUSED = "(the whole load: nothing it read has changed)"


class FolderCache:
    """pytest's `config.cache` as the HCL source uses it: `mkdir` (get/set for other users)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def mkdir(self, name: str) -> Path:
        folder = self.path / "d" / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def get(self, key: str, default: Any) -> Any:
        return default

    def set(self, key: str, value: Any) -> None:
        pass


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (tmp_path / "mod-v1").mkdir()
    (root / "conf").mkdir(parents=True)
    (root / "main.tf").write_text(ROOT)
    (tmp_path / "mod-v1" / "main.tf").write_text(MODULE)
    (root / "mod").symlink_to("../mod-v1")  # outside the folder fileset() walks
    (root / "script.sh").write_text("echo one\n")
    (root / "conf" / "a.txt").write_text("a")
    return root


def _load(root: Path, **settings: Any) -> tuple[dict[str, dict[str, Any]], bool]:
    """(tags by address, whether the stored load was reused)."""
    loaded = load_hcl_folder(root, settings=Settings(cache=FolderCache(root.parent / "cache"), **settings))
    reused = any(REUSED in note for note in loaded.info.notes)
    return {r.address: r.values.get("tags") for r in loaded.resources}, reused


def test_an_unchanged_tree_is_reused_with_the_same_resources(tree):
    first, reused = _load(tree)
    assert not reused
    second, reused = _load(tree)
    assert reused
    assert second == first
    assert first["azurerm_resource_group.rg"] == {"environment": "prod", "script": "echo one\n", "confs": "conf/a.txt"}


def test_a_reused_load_has_the_same_origins_and_attribute_lines(tree):
    def places(loaded: Any) -> list[Any]:
        return [(r.address, r.origin, r.origin_of("tags.environment"), r.attribute_lines) for r in loaded.resources]

    settings = Settings(cache=FolderCache(tree.parent / "cache"))
    first = places(load_hcl_folder(tree, settings=settings))
    second = load_hcl_folder(tree, settings=settings)
    assert any(REUSED in note for note in second.info.notes)
    assert places(second) == first
    main = str(tree / "main.tf")
    assert ("azurerm_resource_group.rg", Origin(main, 10), Origin(main, 13)) in [p[:3] for p in first]


def _rewrite(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


def _writes(name: str, text: str) -> Callable[[Path], Any]:
    return lambda root: (root / name).write_text(text)


def _repoint(root: Path) -> None:
    (root.parent / "mod-v2").mkdir()
    (root.parent / "mod-v2" / "main.tf").write_text(MODULE.replace('"1"', '"2"'))
    (root / "mod").unlink()
    (root / "mod").symlink_to("../mod-v2")


#: a change to something the load read -> (address, tag, the value read after it)
CHANGES: dict[str, tuple[Callable[[Path], Any], str, str, Any]] = {
    "a .tf file edited": (lambda r: _rewrite(r / "main.tf", '"westeurope"', '"northeurope"'), "", "", None),
    "a variable default": (lambda r: _rewrite(r / "main.tf", '"prod"', '"test"'), "rg", "environment", "test"),
    "terraform.tfvars added": (_writes("terraform.tfvars", 'env = "dev"\n'), "rg", "environment", "dev"),
    "a file read by file()": (_writes("script.sh", "echo two\n"), "rg", "script", "echo two\n"),
    "a file fileset() finds": (_writes("conf/b.txt", "b"), "rg", "confs", "conf/a.txt,conf/b.txt"),
    "a module's file": (lambda r: _rewrite(r.parent / "mod-v1" / "main.tf", '"1"', '"3"'), "m", "version", "3"),
    "a module folder re-pointed": (_repoint, "m", "version", "2"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_to_anything_the_load_read_loads_the_tree_again(tree, change):
    _load(tree)
    assert _load(tree)[1]
    apply, name, tag, expected = CHANGES[change]
    os.utime(tree / "main.tf")  # same second: nothing may depend on times
    apply(tree)
    after, reused = _load(tree)
    assert not reused, f"{change}: the stored load was reused"
    if name:
        address = "azurerm_resource_group.rg" if name == "rg" else "module.m.azurerm_resource_group.m"
        assert after[address][tag] == expected
    assert _load(tree)[1], "the new load is stored in turn"


def test_a_new_tf_file_and_a_removed_one_load_again(tree):
    _load(tree)
    (tree / "more.tf").write_text(MODULE.replace('"m"', '"extra"', 1))
    after, reused = _load(tree)
    assert not reused and "azurerm_resource_group.extra" in after
    (tree / "more.tf").unlink()
    after, reused = _load(tree)
    assert not reused and "azurerm_resource_group.extra" not in after


def test_other_settings_or_code_make_other_loads(tree, monkeypatch):
    _load(tree)
    (tree.parent / "extra.tfvars").write_text('env = "acc"\n')
    after, reused = _load(tree, extra={"var_files": [tree.parent / "extra.tfvars"]})
    assert not reused and after["azurerm_resource_group.rg"]["environment"] == "acc"
    monkeypatch.setattr(saved, "code_fingerprint", lambda: "another version of the evaluator")
    assert not _load(tree)[1]


def test_code_fingerprint_follows_every_file_of_the_package(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    before = saved.code_fingerprint.__wrapped__(tmp_path)
    (tmp_path / "a.py").write_text("x = 2\n")
    assert saved.code_fingerprint.__wrapped__(tmp_path) != before


def test_a_load_holding_secrets_is_not_stored(tree):
    _rewrite(tree / "main.tf", 'default = "prod"', 'default = "prod"\n  sensitive = true')
    _load(tree)
    assert not _load(tree)[1]
    assert not list((tree.parent / "cache" / "d" / "cloudcheck-hcl").glob(f"{saved.NAMESPACE}-*/*"))


def test_a_settled_configuration_entry_pickles_as_the_plain_dict_it_reads_as():
    import pickle

    from pytest_cloudcheck.sources.hcl.modules import _ResourceEntry
    from pytest_cloudcheck.sources.hcl.parse import parse_text

    body = parse_text('resource "azurerm_subnet" "s" {\n  virtual_network_name = azurerm_virtual_network.v.name\n}\n')
    block = body["b"][0][3]  # (type, labels, line, body)
    lazy, settled = _ResourceEntry(block), _ResourceEntry(block)
    lazy.update(address="azurerm_subnet.s")
    settled.update(address="azurerm_subnet.s")
    settled.settle()
    lazy_back, settled_back = pickle.loads(pickle.dumps(lazy)), pickle.loads(pickle.dumps(settled))
    assert type(settled_back) is dict  # read back without the HCL modules
    assert type(lazy_back) is _ResourceEntry  # still worked out when first read
    expected = {"virtual_network_name": {"references": ["azurerm_virtual_network.v.name", "azurerm_virtual_network.v"]}}
    assert settled_back["expressions"] == lazy_back["expressions"] == lazy["expressions"] == expected


PARENTS = """
resource "azurerm_key_vault" "kv" {
  name                = "kv"
  resource_group_name = var.group
  tags                = { environment = "prod" }
}

resource "azurerm_key_vault_key" "k" {
  name         = "k"
  key_vault_id = azurerm_key_vault.kv.id
  tags         = { vault = azurerm_key_vault.kv.name }
}

variable "group" {
  type = string
}
"""


def test_a_reused_load_carries_the_answers_classification_asks(tmp_path, monkeypatch):
    from pytest_cloudcheck.sources.build import build_inventory
    from pytest_cloudcheck.sources.references import PlanConfiguration

    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "main.tf").write_text(PARENTS)
    settings = Settings(hcl=[tmp_path / "root"], cache=FolderCache(tmp_path / "cache"), allow_empty=True)
    cold = build_inventory(settings)
    resolved: list[tuple[str, str]] = []
    resolve = PlanConfiguration._references

    def counted(self: PlanConfiguration, resource: Any, attribute: str) -> Any:
        resolved.append((resource.address, attribute))
        return resolve(self, resource, attribute)

    monkeypatch.setattr(PlanConfiguration, "_references", counted)
    warm = build_inventory(settings)
    assert any(REUSED in note for note in warm.sources[0].notes)
    assert resolved == []  # classification resolved nothing again: the kept load answered it
    envs = {r.address: r.environment for r in warm}
    assert envs == {r.address: r.environment for r in cold}
    assert envs == {"azurerm_key_vault.kv": "prod", "azurerm_key_vault_key.k": "prod"}
    # a question nobody asked before is resolved on the copy (its indexes are rebuilt when asked)
    (key,) = warm.resources("azurerm_key_vault_key")
    assert key.references("key_vault_id") == key.references("tags") == ["azurerm_key_vault.kv"]
    assert resolved == [("azurerm_key_vault_key.k", "tags")]


def test_equal_parts_of_a_kept_configuration_become_one_object_and_read_the_same():
    from pytest_cloudcheck.model import UNKNOWN

    def node(value: Any) -> dict[str, Any]:
        return {"constant_value": value}

    config = {
        "a": [node(False), node(0), node(0.0), node(False), {"x": 1, "y": 2}, {"y": 2, "x": 1}, node(UNKNOWN)],
        "e": [node(-0.0), node(0.0), {1: "x"}, {True: "x"}, ["x", "y"], {"x": "y"}, ["x", "y"]],
        "b": {"references": ["var.x"]},
        "c": {"references": ["var.x"]},
        "d": node(UNKNOWN),
    }
    before = repr(config)
    table: dict[Any, Any] = {}
    shared, _ = saved._shared(config, table)
    assert shared is config and repr(config) == before  # the same values, types and key order
    a = config["a"]
    assert a[0] is a[3] and a[0] is not a[1] and a[1] is not a[2]  # False, 0 and 0.0 stay apart
    assert a[4] is not a[5] and list(a[5]) == ["y", "x"]
    assert config["b"] is config["c"] and config["d"] is a[6] and a[6]["constant_value"] is UNKNOWN
    e = config["e"]
    assert e[0] is not e[1] and e[1] is a[2] and e[2] is not e[3] and e[4] is e[6] and e[5] is not e[4]


def test_a_kept_resources_values_share_only_their_strings(tree):
    settings = Settings(cache=FolderCache(tree.parent / "cache"))
    cold = load_hcl_folder(tree, settings=settings)
    warm = load_hcl_folder(tree, settings=settings)
    assert any(REUSED in note for note in warm.info.notes)
    for loaded in (cold, warm):
        rg, m = sorted(loaded.resources, key=lambda r: r.address)
        assert rg.tags is rg.values["tags"]  # the same object after sharing, as the model builds it
        assert rg.values["location"] is m.values["location"]  # one "westeurope"
        assert rg.values["tags"] is not m.values["tags"]
        rg.values["tags"]["environment"] = "changed"  # changing one resource's values changes no other's
        assert m.values["tags"]["environment"] == "prod"
