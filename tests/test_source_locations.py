"""Plan findings located in the Terraform source: `--cloudcheck-plan` with `--cloudcheck-hcl` (or
`cloudcheck_source_root`) gives plan resources the file and line of their block (sources/locate.py).

Oracles: the HCL source's own origins for the same addresses (the examples' plans were planned from
the examples' folders), the line of the `resource "type" "name"` text in the file, and real plans
that Terraform 1.11 writes for a tree with a local module, for_each, count and a nested module.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pytest_cloudcheck import checks
from pytest_cloudcheck.errors import SourceError
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ROOTS = ("hub", "spokes-prod", "spokes-nonprod")
FAMILIES = ("cmk", "no_infra_backups", "nonprod_isolation", "hub_and_spoke", "sla", "nonprod_cost")


def _roots(variant: str = "noncompliant") -> list[Path]:
    return [EXAMPLES / variant / "terraform" / root for root in ROOTS]


def _block_line(path: Path, tf_type: str, name: str) -> int:
    """The line of `resource "type" "name" {` in the file, read as text (not by our parser)."""
    wanted = f'resource "{tf_type}" "{name}"'
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.startswith(wanted):
            return number
    raise AssertionError(f"{wanted} not in {path}")


class _ParseCache(dict):
    """A get/set store like pytest's `config.cache`: the examples' files are parsed once here."""

    def set(self, key, value):
        self[key] = value


CACHE = _ParseCache()


def _settings(**kwargs) -> Settings:
    return Settings(cache=CACHE, **kwargs)


@pytest.fixture(scope="module")
def pytest_cache(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Options giving the pytester runs of this module one cache folder: the HCL parse cache
    (keyed by content) is filled once."""
    return ["-o", f"cache_dir={tmp_path_factory.mktemp('cache')}"]


# ---------------------------------------------------------------------------------------------
# The examples: every plan resource where the HCL source says it is


def test_plan_resources_and_findings_located_where_the_hcl_source_puts_them():
    plan = build_inventory(_settings(plan=[EXAMPLES / "noncompliant" / "plans"], extra={"source_root": _roots()}))
    hcl = build_inventory(_settings(hcl=_roots()))
    by_address = {r.address: r for r in hcl}
    assert {r.address for r in plan} == set(by_address)
    for r in plan:
        assert r.source == "plan" and r.origin.file.endswith(".tf") and r.origin.line, r.address
        assert (r.origin, r.attribute_lines) == (by_address[r.address].origin, by_address[r.address].attribute_lines)
    for family in FAMILIES:
        check = getattr(checks, family)
        on_plan = sorted((f.check, f.address, str(f.origin)) for f in check(plan))
        assert on_plan == sorted((f.check, f.address, str(f.origin)) for f in check(hcl)), family
    assert any(".tf:" in str(f.origin) for f in checks.cmk(plan))
    # three plans, three roots of which two (prod and test) differ only in names: each plan in its own
    for source in plan.sources:
        root = Path(source.location).stem  # plans/hub.json was planned from terraform/hub
        located = [n for n in source.notes if n.startswith("located ")]
        assert len(located) == 1 and located[0].endswith(f"terraform/{root}"), source.notes


# ---------------------------------------------------------------------------------------------
# A hand-written plan for azurerm types against the examples' source


def _hand_plan(plan, module_source: str = "../modules/spoke"):
    plan.resource("azurerm_storage_account.reports", {"name": "stlegacyprodreports", "location": "westeurope"})
    plan.resource("azurerm_storage_account.ghost", {"name": "stghost", "location": "westeurope"})
    plan.module_call("spoke", for_each={"haarlem": {}}, source=module_source)
    plan.resource('module.spoke["haarlem"].azurerm_key_vault.spoke', {"name": "kv-haarlem", "location": "westeurope"})
    return plan


def test_a_hand_written_plan_is_located_and_an_address_without_a_block_is_not(plan, tmp_path):
    path = _hand_plan(plan).write(tmp_path / "plan.json")
    root = EXAMPLES / "noncompliant" / "terraform" / "spokes-prod"
    inventory = build_inventory(_settings(plan=[path], extra={"source_root": [root]}))
    reports = inventory.get("azurerm_storage_account.reports")
    assert Path(reports.origin.file).resolve() == (root / "violations.tf").resolve()
    assert reports.origin.line == _block_line(root / "violations.tf", "azurerm_storage_account", "reports")
    vault = inventory.get('module.spoke["haarlem"].azurerm_key_vault.spoke')
    module_file = EXAMPLES / "noncompliant" / "terraform" / "modules" / "spoke" / "keyvault.tf"
    assert Path(vault.origin.file).resolve() == module_file.resolve()
    assert vault.origin.line == _block_line(module_file, "azurerm_key_vault", "spoke")
    ghost = inventory.get("azurerm_storage_account.ghost")
    assert ghost.origin.file.endswith("plan.json") and ghost.origin.line is None  # no location, no error
    (note,) = [n for n in inventory.sources[0].notes if n.startswith("located")]
    assert note.startswith("located 2 of 3") and "1 without a block there" in note
    # the finding about the storage account points at the block; the one about the ghost at the plan
    found = {f.address: f.origin for f in checks.cmk(inventory) if f.check == "cmk.storage_account"}
    assert found["azurerm_storage_account.reports"] == reports.origin
    assert found["azurerm_storage_account.ghost"] == ghost.origin


def test_a_module_planned_from_another_source_is_not_located_in_this_folder(plan, tmp_path):
    path = _hand_plan(plan, module_source="git::https://example.com/spoke.git").write(tmp_path / "plan.json")
    root = EXAMPLES / "noncompliant" / "terraform" / "spokes-prod"
    inventory = build_inventory(_settings(plan=[path], extra={"source_root": [root]}))
    assert inventory.get('module.spoke["haarlem"].azurerm_key_vault.spoke').origin.line is None
    assert inventory.get("azurerm_storage_account.reports").origin.line is not None


def test_a_source_root_that_locates_nothing_is_a_one_line_error(plan, tmp_path):
    path = _hand_plan(plan).write(tmp_path / "plan.json")
    wrong = tmp_path / "other"
    wrong.mkdir()
    (wrong / "main.tf").write_text('resource "azurerm_resource_group" "other" {\n  name = "rg-other"\n}\n')
    with pytest.raises(SourceError, match="locates no resource of any plan") as raised:
        build_inventory(
            Settings(
                plan=[path], extra={"source_root": [EXAMPLES / "noncompliant" / "terraform" / "spokes-prod", wrong]}
            )
        )
    assert "\n" not in str(raised.value) and "other" in str(raised.value)
    with pytest.raises(SourceError, match="folder not found"):
        build_inventory(_settings(plan=[path], extra={"source_root": [tmp_path / "nope"]}))


# ---------------------------------------------------------------------------------------------
# Through pytest, as users run it


TEST_CMK = """
from pytest_cloudcheck import checks

def test_cmk(cloud):
    assert not checks.cmk(cloud)
"""


def test_plan_with_hcl_reports_findings_at_the_tf_file_and_line(pytester, pytest_cache):
    pytester.makepyfile(test_cmk=TEST_CMK)
    hcl = [f"--cloudcheck-hcl={root}" for root in _roots()]  # `=`: never an ini from the examples' folder
    plans = [f"--cloudcheck-plan={EXAMPLES / 'noncompliant' / 'plans'}"]
    reports = ["--cloudcheck-sarif", "out.sarif", "--cloudcheck-report", "evidence.json"]
    result = pytester.runpytest(*pytest_cache, *plans, *hcl, *reports, "--cloudcheck-markdown", "summary.md")
    result.assert_outcomes(failed=1)
    # the plan stays the inventory (HCL only locates): the plan's findings, once each, now at the source
    evidence = json.loads((pytester.path / "evidence.json").read_text())
    plan_only = checks.cmk(build_inventory(_settings(plan=[EXAMPLES / "noncompliant" / "plans"])))
    assert sorted((f["check"], f["address"]) for f in evidence["findings"]) == sorted(
        (f.check, f.address) for f in plan_only
    )
    assert {s["kind"] for s in evidence["sources"]} == {"plan"}
    located = [f for f in evidence["findings"] if f["origin"] and f["origin"]["file"].endswith(".tf")]
    assert located and all(f["origin"]["line"] for f in located)
    storage = next(f for f in located if f["address"] == "azurerm_storage_account.reports")
    violations = EXAMPLES / "noncompliant" / "terraform" / "spokes-prod" / "violations.tf"
    assert Path(storage["origin"]["file"]).resolve() == violations.resolve()
    line = _block_line(violations, "azurerm_storage_account", "reports")
    assert storage["origin"]["line"] == line
    result.stdout.fnmatch_lines([f"*azurerm_storage_account.reports: *violations.tf:{line})*"])
    result.stdout.fnmatch_lines(["*cloudcheck: *spokes-prod.json: located * resources and data sources in *"])
    # SARIF: the .tf file with a region, not plan.json
    sarif = json.loads((pytester.path / "out.sarif").read_text())
    results = sarif["runs"][0]["results"]
    storage_result = next(r for r in results if r["properties"]["address"] == "azurerm_storage_account.reports")
    physical = storage_result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"].endswith("spokes-prod/violations.tf")
    assert physical["region"] == {"startLine": line}
    assert not any(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".json") for r in results)
    assert f"violations.tf:{line}`" in (pytester.path / "summary.md").read_text()


def test_a_source_hcl_test_says_why_it_is_skipped_when_hcl_only_locates(pytester, pytest_cache):
    pytester.makepyfile(
        test_marked="""
        import pytest

        @pytest.mark.source("hcl")
        def test_source_only(cloud):
            assert cloud
        """
    )
    roots = [f"--cloudcheck-hcl={root}" for root in _roots()]
    result = pytester.runpytest(
        *pytest_cache, "-rs", f"--cloudcheck-plan={EXAMPLES / 'noncompliant' / 'plans'}", *roots
    )
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*needs a hcl source (--cloudcheck-hcl given with --cloudcheck-plan only locates*"])


def test_source_root_ini_locates_like_hcl_and_relative_paths_stay_relative(pytester, pytest_cache):
    # run from a copy of the examples so paths are relative to the working directory, as in CI
    shutil.copytree(EXAMPLES / "noncompliant", pytester.path / "noncompliant")
    pytester.makeini(
        "[pytest]\ncloudcheck_plan = noncompliant/plans\ncloudcheck_source_root =\n"
        + "".join(f"    noncompliant/terraform/{root}\n" for root in ROOTS)
    )
    pytester.makepyfile(test_cmk=TEST_CMK)
    result = pytester.runpytest(*pytest_cache, "--cloudcheck-sarif", "out.sarif")
    result.assert_outcomes(failed=1)
    line = _block_line(
        pytester.path / "noncompliant/terraform/spokes-prod/violations.tf", "azurerm_storage_account", "reports"
    )
    result.stdout.fnmatch_lines([f"*(noncompliant/terraform/spokes-prod/violations.tf:{line})*"])
    sarif = json.loads((pytester.path / "out.sarif").read_text())
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert "noncompliant/terraform/spokes-prod/violations.tf" in uris
    assert all(not uri.startswith(("/", "file:")) for uri in uris)


# ---------------------------------------------------------------------------------------------
# Real plans: Terraform 1.11 with terraform_data, a local module under for_each, count, a nested module

ROOT_TF = """
resource "terraform_data" "key" {
  input = "hub-cmk"
}

module "spoke" {
  source   = "./modules/spoke"
  for_each = toset(["almere", "zaanstad"])
  name     = each.key
}

# two disks
resource "terraform_data" "disk" {
  count = 2
  input = count.index
}
"""

SPOKE_TF = """
variable "name" {
  type = string
}

module "inner" {
  source = "../inner"
  name   = var.name
}

resource "terraform_data" "store" {
  input = {
    name = var.name
  }
}
"""

INNER_TF = """
variable "name" {
  type = string
}


resource "terraform_data" "leaf" {
  count = 1
  input = var.name
}
"""


def _terraform(terraform: str, cwd: Path, *args: str) -> str:
    env = {"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([terraform, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"terraform {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


@pytest.fixture(scope="module")
def real_tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform CLI not on PATH")
    root = tmp_path_factory.mktemp("located") / "root"
    for folder, text in {"": ROOT_TF, "modules/spoke": SPOKE_TF, "modules/inner": INNER_TF}.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "main.tf").write_text(text)
    _terraform(terraform, root, "init", "-backend=false", "-input=false")
    _terraform(terraform, root, "plan", "-out=plan.tfplan")
    plan = root.parent / "plan.json"
    plan.write_text(_terraform(terraform, root, "show", "-json", "plan.tfplan"))
    return root, plan


def test_real_plan_resources_located_through_modules_for_each_and_count(real_tree):
    root, plan = real_tree
    inventory = build_inventory(_settings(plan=[plan], allow_empty=True, extra={"source_root": [root]}))
    files = {"": root / "main.tf", "spoke": root / "modules/spoke/main.tf", "inner": root / "modules/inner/main.tf"}
    expected = {
        "terraform_data.key": (files[""], "key"),
        "terraform_data.disk[0]": (files[""], "disk"),
        "terraform_data.disk[1]": (files[""], "disk"),
        'module.spoke["almere"].terraform_data.store': (files["spoke"], "store"),
        'module.spoke["zaanstad"].terraform_data.store': (files["spoke"], "store"),
        'module.spoke["almere"].module.inner.terraform_data.leaf[0]': (files["inner"], "leaf"),
        'module.spoke["zaanstad"].module.inner.terraform_data.leaf[0]': (files["inner"], "leaf"),
    }
    assert sorted(r.address for r in inventory) == sorted(expected)
    for r in inventory:
        path, name = expected[r.address]
        assert Path(r.origin.file).resolve() == path.resolve(), r.address
        assert r.origin.line == _block_line(path, "terraform_data", name), r.address
    store = inventory.get('module.spoke["almere"].terraform_data.store')
    assert store.origin_of("input.name").line == store.origin.line + 1  # the line of its attribute `input`
    # a source changed since the plan (a block renamed): its instances lose their location, nothing fails
    changed = root.parent / "changed"
    shutil.copytree(root, changed, ignore=shutil.ignore_patterns(".terraform*", "*.tfplan"))
    text = (changed / "main.tf").read_text().replace('"terraform_data" "disk"', '"terraform_data" "disks"')
    (changed / "main.tf").write_text(text)
    inventory = build_inventory(_settings(plan=[plan], allow_empty=True, extra={"source_root": [changed]}))
    assert inventory.get("terraform_data.disk[0]").origin.line is None
    assert inventory.get("terraform_data.key").origin.line == _block_line(changed / "main.tf", "terraform_data", "key")


def test_real_plan_with_hcl_through_pytest(pytester, real_tree):
    root, plan = real_tree
    pytester.makepyfile(
        test_real="""
        import pytest

        @pytest.mark.resources("terraform_data")
        def test_no_disks(resource):
            assert "disk" not in resource.address
        """
    )
    result = pytester.runpytest(
        "-p",
        "no:cacheprovider",
        "--cloudcheck-plan",
        str(plan),
        "--cloudcheck-hcl",
        str(root),
        "--cloudcheck-allow-empty",
        "--cloudcheck-sarif",
        "out.sarif",
    )
    result.assert_outcomes(passed=5, failed=2)
    line = _block_line(root / "main.tf", "terraform_data", "disk")
    sarif = json.loads((pytester.path / "out.sarif").read_text())
    regions = {
        (
            r["properties"]["address"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in sarif["runs"][0]["results"]
    }
    assert regions == {("terraform_data.disk[0]", "main.tf", line), ("terraform_data.disk[1]", "main.tf", line)}


def test_real_plan_of_a_git_module_is_located_where_terraform_init_installed_it(tmp_path):
    """A module installed by `terraform init` (from a `git::file://` repository, offline): the plan
    writes its `source` as the call does, modules.json names its folder under .terraform/modules."""
    terraform, git = shutil.which("terraform"), shutil.which("git")
    if terraform is None or git is None:
        pytest.skip("terraform or git CLI not on PATH")
    repo = tmp_path / "repo"
    (repo / "modules" / "spoke").mkdir(parents=True)
    (repo / "modules" / "spoke" / "main.tf").write_text(INNER_TF)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for args in (["init", "-q", "."], ["add", "-A"], ["commit", "-qm", "module"]):
        subprocess.run([git, *args], cwd=repo, env={**env, "PATH": "/usr/bin:/bin"}, check=True, capture_output=True)
    root = tmp_path / "root"
    root.mkdir()
    source = f"git::file://{repo}//modules/spoke"
    (root / "main.tf").write_text(
        f'module "spoke" {{\n  source   = "{source}"\n  for_each = toset(["a"])\n  name = each.key\n}}\n'
    )
    _terraform(terraform, root, "init", "-backend=false", "-input=false")
    _terraform(terraform, root, "plan", "-out=plan.tfplan")
    plan = tmp_path / "plan.json"
    plan.write_text(_terraform(terraform, root, "show", "-json", "plan.tfplan"))
    assert json.loads(plan.read_text())["configuration"]["root_module"]["module_calls"]["spoke"]["source"] == source
    inventory = build_inventory(_settings(plan=[plan], allow_empty=True, extra={"source_root": [root]}))
    (leaf,) = list(inventory)
    assert leaf.address == 'module.spoke["a"].terraform_data.leaf[0]'
    installed = Path(leaf.origin.file).resolve()
    assert installed.is_relative_to((root / ".terraform" / "modules").resolve()) and installed.name == "main.tf"
    assert leaf.origin.line == _block_line(installed, "terraform_data", "leaf")


def test_a_state_is_located_too(tmp_path):
    """A state (`terraform show -json` after apply) has no configuration: addresses alone map it."""
    vault = 'module.spoke["haarlem"].azurerm_key_vault.spoke'
    entry = {"mode": "managed", "type": "azurerm_key_vault", "name": "spoke"}
    state = {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "azurerm_storage_account.reports",
                        "mode": "managed",
                        "type": "azurerm_storage_account",
                        "name": "reports",
                        "values": {"name": "stlegacyprodreports", "location": "westeurope"},
                        "sensitive_values": {},
                    }
                ],
                "child_modules": [
                    {
                        "address": 'module.spoke["haarlem"]',
                        "resources": [{**entry, "address": vault, "values": {"name": "kv"}, "sensitive_values": {}}],
                    }
                ],
            }
        },
    }
    path = tmp_path / "state.json"
    path.write_text(json.dumps(state))
    root = EXAMPLES / "noncompliant" / "terraform" / "spokes-prod"
    inventory = build_inventory(_settings(plan=[path], extra={"source_root": [root]}))
    assert inventory.get("azurerm_storage_account.reports").origin.line == _block_line(
        root / "violations.tf", "azurerm_storage_account", "reports"
    )
    module_file = EXAMPLES / "noncompliant" / "terraform" / "modules" / "spoke" / "keyvault.tf"
    assert inventory.get(vault).origin.line == _block_line(module_file, "azurerm_key_vault", "spoke")
