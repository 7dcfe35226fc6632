"""The HCL source as users run it (`--cloudcheck-hcl`), its parse cache and its bounds."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from pytest_cloudcheck.errors import SourceError
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources.hcl import load_hcl_folder
from pytest_cloudcheck.sources.hcl import parse as hcl_parse
from pytest_cloudcheck.sources.hcl.parse import CACHE_PREFIX, ParseStats, parse_files

LANDING = """
resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = "westeurope"
  tags     = { environment = "prod" }
}

resource "azurerm_storage_account" "cmk" {
  name                = "stcmk"
  resource_group_name = azurerm_resource_group.rg.name
  tags                = { environment = "prod" }
  customer_managed_key {
    key_vault_key_id = azurerm_key_vault_key.k.versionless_id
  }
}

resource "azurerm_storage_account" "plain" {
  name                = "stplain"
  resource_group_name = azurerm_resource_group.rg.name
  tags                = { environment = "test" }
}

resource "azurerm_key_vault_key" "k" {
  name = "cmk"
}
"""

TEST_FILE = """
import pytest

@pytest.mark.resources("azurerm_storage_account")
def test_has_cmk(resource):
    assert resource.references("customer_managed_key.key_vault_key_id"), (
        f"{resource.address} at {resource.origin}: no customer-managed key"
    )
"""


def test_cloudcheck_hcl_runs_tests_on_terraform_source(pytester):
    (pytester.path / "infra").mkdir()
    (pytester.path / "infra" / "main.tf").write_text(LANDING)
    pytester.makepyfile(TEST_FILE)
    result = pytester.runpytest("--cloudcheck-hcl", "infra", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*cloudcheck: hcl infra: 4 resources*",
            "*test_has_cmk?azurerm_storage_account.cmk? PASSED*",
            "*test_has_cmk?azurerm_storage_account.plain? FAILED*",
            "*azurerm_storage_account.plain at infra/main.tf:17: no customer-managed key*",
        ]
    )


def test_syntax_error_is_one_usage_line_with_file_and_line(pytester):
    (pytester.path / "infra").mkdir()
    (pytester.path / "infra" / "main.tf").write_text('resource "a" "b" {\n  name = "x\n}\n')
    pytester.makepyfile(TEST_FILE)
    result = pytester.runpytest("--cloudcheck-hcl", "infra")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*cloudcheck: infra/main.tf:2: HCL syntax error: unexpected*"])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


def test_missing_folder_is_a_usage_error(pytester):
    pytester.makepyfile(TEST_FILE)
    result = pytester.runpytest("--cloudcheck-hcl", "nowhere")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*cloudcheck: nowhere: folder not found*"])


def test_second_run_reads_parsed_files_from_pytest_cache(pytester, monkeypatch):
    (pytester.path / "infra").mkdir()
    (pytester.path / "infra" / "main.tf").write_text(LANDING)
    pytester.makepyfile(TEST_FILE)
    first = pytester.runpytest("--cloudcheck-hcl", "infra")
    first.assert_outcomes(passed=1, failed=1)
    folder = pytester.path / ".pytest_cache" / "d" / "cloudcheck-hcl"
    assert len(list(folder.glob("v2-*/*"))) == 1, "parsed file not cached"
    assert len(list(folder.glob("load1-*/*"))) == 1, "load not kept"

    def no_parsing(text: str) -> Any:
        raise AssertionError("parsed although cached")

    with monkeypatch.context() as patch:
        patch.setattr(hcl_parse, "parse_text", no_parsing)
        second = pytester.runpytest("--cloudcheck-hcl", "infra")
        second.assert_outcomes(passed=1, failed=1)
    second.stdout.fnmatch_lines(["*infra: 1 files: 0 parsed, 1 from cache (the whole load: nothing it read*"])
    # A changed file is parsed again (the key is its content hash): a second entry appears.
    (pytester.path / "infra" / "main.tf").write_text(LANDING + "\n# changed\n")
    pytester.runpytest("--cloudcheck-hcl", "infra").assert_outcomes(passed=1, failed=1)
    assert len(list(folder.glob("v2-*/*"))) == 2


def test_an_altered_cache_entry_is_parsed_again_not_served(pytester):
    (pytester.path / "infra").mkdir()
    (pytester.path / "infra" / "main.tf").write_text(LANDING)
    pytester.makepyfile(TEST_FILE)
    pytester.runpytest("--cloudcheck-hcl", "infra").assert_outcomes(passed=1, failed=1)
    folder = pytester.path / ".pytest_cache" / "d" / "cloudcheck-hcl"
    for kept in folder.glob("load1-*/*"):
        kept.unlink()  # the whole load would be reused: this test is about the file's entry
    (entry,) = folder.glob("v2-*/*")
    # still a well-formed tree, but without the customer-managed key block: served, it would fail
    entry.write_bytes(entry.read_bytes().replace(b"customer_managed_key", b"customer_managed_kez"))
    second = pytester.runpytest("--cloudcheck-hcl", "infra")
    second.assert_outcomes(passed=1, failed=1)
    second.stdout.fnmatch_lines(["*infra: 1 files: 1 parsed (1 process), 0 from cache*"])
    entry.write_bytes(b"\0" * 40)  # torn: shorter than digest and payload
    pytester.runpytest("--cloudcheck-hcl", "infra").assert_outcomes(passed=1, failed=1)


def test_an_altered_kept_load_is_loaded_again_not_served(pytester):
    (pytester.path / "infra").mkdir()
    (pytester.path / "infra" / "main.tf").write_text(LANDING)
    pytester.makepyfile(TEST_FILE)
    pytester.runpytest("--cloudcheck-hcl", "infra").assert_outcomes(passed=1, failed=1)
    (kept,) = (pytester.path / ".pytest_cache" / "d" / "cloudcheck-hcl").glob("load1-*/*")
    # the pickled resources without their key reference: served, the CMK test would fail
    kept.write_bytes(kept.read_bytes().replace(b"customer_managed_key", b"customer_managed_kez"))
    second = pytester.runpytest("--cloudcheck-hcl", "infra")
    second.assert_outcomes(passed=1, failed=1)
    second.stdout.fnmatch_lines(["*infra: 1 files: 0 parsed (1 process), 1 from cache"])


def test_a_reused_load_imports_neither_the_evaluator_nor_the_parser(pytester):
    (pytester.path / "infra").mkdir()
    (pytester.path / "infra" / "main.tf").write_text(LANDING)
    pytester.makepyfile(
        TEST_FILE
        + textwrap.dedent(
            """
            import sys

            def test_modules(cloud):
                loading = ("loader", "eval", "functions", "instances", "modules", "parse", "validate")
                heavy = [m for m in sys.modules if m.split(".")[0] in ("hcl2", "lark")]
                heavy += [m for m in loading if f"pytest_cloudcheck.sources.hcl.{m}" in sys.modules]
                assert heavy == [], heavy
            """
        )
    )
    first = pytester.runpytest_subprocess("--cloudcheck-hcl", "infra")
    first.assert_outcomes(passed=1, failed=2)  # the first run loads (and imports) them
    second = pytester.runpytest_subprocess("--cloudcheck-hcl", "infra")
    second.assert_outcomes(passed=2, failed=1)  # the same CMK findings, from the kept load
    second.stdout.fnmatch_lines(["*infra: 1 files: 0 parsed, 1 from cache (the whole load: nothing it read*"])


class DictCache:
    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    def get(self, key: str, default: Any) -> Any:
        return json.loads(self.data[key]) if key in self.data else default

    def set(self, key: str, value: Any) -> None:
        self.data[key] = json.dumps(value)


def test_cache_keys_are_content_hashes_and_hits_are_counted(tmp_path):
    (tmp_path / "main.tf").write_text(LANDING)
    (tmp_path / "same.tf").write_text("")  # empty file: its own entry
    cache = DictCache()
    cold = ParseStats()
    files = [(tmp_path / "main.tf", "main.tf"), (tmp_path / "same.tf", "same.tf")]
    first = parse_files(files, cache, stats=cold)
    assert (cold.parsed, cold.cached) == (2, 0)
    assert all(k.startswith(CACHE_PREFIX) and len(k) == len(CACHE_PREFIX) + 64 for k in cache.data)
    warm = ParseStats()
    second = parse_files(files, cache, stats=warm)
    assert (warm.parsed, warm.cached) == (0, 2)
    assert second[tmp_path / "main.tf"].body == first[tmp_path / "main.tf"].body
    loaded = load_hcl_folder(tmp_path, settings=Settings(cache=cache))
    assert "2 files: 0 parsed (1 process), 2 from cache" in loaded.info.notes


def test_parallel_parsing_gives_the_same_result(tmp_path, monkeypatch):
    for i in range(14):
        (tmp_path / f"f{i:02d}.tf").write_text(LANDING.replace('"rg"', f'"rg{i}"').replace('"cmk"', f'"cmk{i}"'))
    files = [(p, p.name) for p in sorted(tmp_path.glob("*.tf"))]
    monkeypatch.setenv("CLOUDCHECK_HCL_WORKERS", "1")
    serial = parse_files(files)
    monkeypatch.setenv("CLOUDCHECK_HCL_WORKERS", "2")
    stats = ParseStats()
    parallel = parse_files(files, stats=stats)
    assert stats.workers == 2
    assert {p: f.body for p, f in parallel.items()} == {p: f.body for p, f in serial.items()}


def test_a_hanging_parse_is_bounded(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text("a = 1\n")

    def hang(text: str) -> Any:
        time.sleep(5)

    monkeypatch.setattr(hcl_parse, "parse_text", hang)
    monkeypatch.setenv("CLOUDCHECK_HCL_WORKERS", "1")
    started = time.perf_counter()
    with pytest.raises(SourceError, match=r"parser gave up after 0\.2 s"):
        parse_files([(tmp_path / "main.tf", "main.tf")], timeout=0.2)
    assert time.perf_counter() - started < 2


def test_var_files_ini_setting_is_read(pytester):
    (pytester.path / "infra").mkdir()
    (pytester.path / "infra" / "main.tf").write_text(
        textwrap.dedent(
            """
            variable "env" {
              default = "test"
            }
            resource "azurerm_resource_group" "rg" {
              name = "rg"
              tags = { environment = var.env }
            }
            """
        )
    )
    (pytester.path / "prod.tfvars").write_text('env = "prod"\n')
    pytester.makeini("[pytest]\ncloudcheck_hcl = infra\ncloudcheck_var_files = prod.tfvars\n")
    pytester.makepyfile(
        """
        def test_env(cloud):
            assert [r.environment for r in cloud] == ["prod"]
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_examples_terraform_sources_all_load():
    examples = Path(__file__).resolve().parent.parent / "examples"
    roots = sorted(p.parent for p in examples.glob("*/terraform/*/providers.tf"))
    if not roots:
        pytest.skip("no example landing zone")
    for root in roots:
        loaded = load_hcl_folder(root)
        assert loaded.resources, root
        assert all(r.origin is not None and r.origin.line for r in loaded.resources)
