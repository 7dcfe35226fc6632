"""The corpus: root modules written the way squads write them (Azure Verified Modules / CAF idioms:
registry modules installed under `.terraform/modules`, for_each over maps of objects, dynamic
blocks, conditional counts, azapi bodies, provider functions, hub-and-spoke peering), each run
through the plugin as users run it (`--cloudcheck-hcl`, and `--cloudcheck-plan` where a plan of it
is committed), with the verdicts a careful reader expects.

Each tests/corpus/<name>/ holds the Terraform source and `expected.toml`:

    about    = "what the module exercises"
    families = ["cmk", "hub_and_spoke"]   # check families judged: their findings must be exactly these
    ini      = { cloudcheck_hub = "vnet-hub" }   # optional ini settings
    plan     = "plan.json"                # optional: the same module planned by Terraform (see below)

    [[finding]]                           # one a finding: check id, address, kind (default violation)
    check = "cmk.storage_account"
    address = 'azurerm_storage_account.sa["logs"]'
    why = "..."                           # the reader's reason, from the Azure facts
    xfail = "..."                         # optional: the plugin does not find it yet, and why

    [[pass]]                              # a resource the check judges and finds compliant
    check = "cmk.storage_account"
    address = 'azurerm_storage_account.sa["data"]'
    why = "..."

A root with a `tfdata/` folder has its mirror there: terraform_data standing in for each Azure
resource (no provider can be downloaded here), planned by the real `terraform` through
tests/corpus/make_plans.py, which renames the resources back and writes `plan.json` (committed):
Terraform itself evaluates its for_each, counts, conditionals, functions and templates, and the
plan must give the same verdicts as the HCL.

The expectations were written from ../shared/reference and the code's meaning, not from the
plugin's output. A wrong verdict the plugin gives today is an `xfail` entry with its reason
(strict: it fails as soon as the plugin gets it right, so the entry is then turned into a plain one).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import shutil
from pathlib import Path
from typing import Any

import pytest
import tomllib

import pytest_cloudcheck

CORPUS = Path(__file__).resolve().parent / "corpus"
ROOTS = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.toml").is_file())

DUMP = """
import json
from pytest_cloudcheck import checks

FAMILIES = {families!r}


def test_dump(cloud):
    found = [
        [f.check, f.address, f.kind]
        for name in FAMILIES
        for f in checks.ALL[name](cloud)
    ]
    with open("findings.json", "w", encoding="utf-8") as out:
        json.dump(found, out)
"""


@pytest.fixture(scope="module", autouse=True)
def _modules_imported_once() -> None:
    """pytester's in-process runs forget every module they import; import the plugin's source and
    check modules here once (and build python-hcl2's parser once), so each root costs its own
    work, not a fresh import of the package (about a second a run)."""
    for info in pkgutil.walk_packages(pytest_cloudcheck.__path__, "pytest_cloudcheck."):
        if ".live" not in info.name and ".baseline" not in info.name:
            importlib.import_module(info.name)
    from hcl2.parser import parser

    parser()


def _expected(name: str) -> dict[str, Any]:
    with open(CORPUS / name / "expected.toml", "rb") as handle:
        return tomllib.load(handle)


def _run(pytester: pytest.Pytester, name: str, spec: dict[str, Any], source: str) -> set[tuple[str, str, str]]:
    shutil.copytree(CORPUS / name, pytester.path / name)
    ini = {"cloudcheck_mode": "audit", **spec.get("ini", {})}
    pytester.makeini("[pytest]\n" + "".join(f"{k} = {v}\n" for k, v in ini.items()))
    pytester.makepyfile(test_dump=DUMP.format(families=spec["families"]))
    args = ["--cloudcheck-hcl", name] if source == "hcl" else ["--cloudcheck-plan", f"{name}/{spec['plan']}"]
    result = pytester.runpytest_inprocess(*args, "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-q")
    assert result.ret == 0, f"{name} on {source}:\n{result.stdout.str()[-3000:]}\n{result.stderr.str()[-2000:]}"
    return {tuple(f) for f in json.loads((pytester.path / "findings.json").read_text(encoding="utf-8"))}


def _cases() -> list[Any]:
    cases = []
    for name in ROOTS:
        cases.append(pytest.param(name, "hcl", id=f"{name}-hcl"))
        if "plan" in _expected(name):
            cases.append(pytest.param(name, "plan", id=f"{name}-plan"))
    return cases


@pytest.mark.parametrize(("name", "source"), _cases())
def test_corpus_root_gives_the_verdicts_a_careful_reader_expects(
    pytester: pytest.Pytester, name: str, source: str
) -> None:
    spec = _expected(name)
    found = _run(pytester, name, spec, source)
    wanted = {(f["check"], f["address"], f.get("kind", "violation")) for f in spec.get("finding", [])}
    pending = {
        (f["check"], f["address"], f.get("kind", "violation")): f["xfail"]
        for f in spec.get("finding", []) + spec.get("wrong", [])
        if "xfail" in f and source in f.get("sources", ["hcl", "plan"])
    }
    problems = []
    for check, address, kind in sorted(wanted - found):
        if (check, address, kind) not in pending:
            problems.append(f"missed: {check} {kind} at {address}")
    for check, address, kind in sorted(found - wanted):
        if (check, address, kind) not in pending:
            problems.append(f"not expected: {check} {kind} at {address}")
    for expected_pass in spec.get("pass", []):
        hit = [f for f in found if f[0] == expected_pass["check"] and f[1] == expected_pass["address"]]
        if hit:
            problems.append(f"expected a pass, found {hit} ({expected_pass['why']})")
    flipped = [k for k in pending if (k in wanted) == (k in found)]
    if pending and not problems and not flipped:
        pytest.xfail("; ".join(sorted(set(pending.values()))))
    assert not problems, f"{name} on {source}:\n" + "\n".join(problems)
    assert not flipped, f"{name} on {source}: now right, drop the xfail of {flipped}"


def test_the_corpus_covers_the_idioms() -> None:
    """At least ten roots, registry modules among them."""
    assert len(ROOTS) >= 10, ROOTS
    assert any((CORPUS / n / ".terraform" / "modules" / "modules.json").is_file() for n in ROOTS)
