"""Docs cannot drift: the reference is generated, the CI recipes use options that exist, the YAML parses,
and the getting-started test runs."""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from reporting_cases import landing_plan

from pytest_cloudcheck import docgen
from pytest_cloudcheck.options import BY_NAME, OPTIONS
from pytest_cloudcheck.session import FIXTURES, MARKERS

DOCS = REPO / "docs"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
#: `cloudcheck_*` names that are not ini keys: fixtures and JUnit property names
NOT_INI = {*FIXTURES, "cloudcheck_credential", "cloudcheck_control", "cloudcheck_outcome", "cloudcheck_address"}


def blocks(name: str, language: str) -> list[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return [body for lang, body in FENCE.findall(text) if lang == language]


def test_reference_is_generated_from_the_code():
    committed = (DOCS / "reference.md").read_text(encoding="utf-8")
    assert committed == docgen.reference(), "regenerate: python -m pytest_cloudcheck.docgen > docs/reference.md"


def test_reference_names_every_option_marker_and_check():
    text = docgen.reference()
    assert all(o.ini in text for o in OPTIONS)
    assert all(f"`{o.flag}`" in text for o in OPTIONS if o.cli)
    assert all(f"@pytest.mark.{name}" in text for name in MARKERS)
    for check in ("cmk.storage_account", "backup.vm_backup", "isolation.peering", "topology.subnet_nsg"):
        assert f"| `{check}` |" in text
    assert "| `cmk.storage_account` | BIO U.05.2, BIO U.11.3 |" in text
    assert "([details](cmk.md))" in text


@pytest.mark.parametrize("page", ["ci-recipes.md", "getting-started.md", "evidence.md", "reference.md"])
def test_docs_use_only_options_and_ini_keys_that_exist(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    flags = {o.flag for o in OPTIONS if o.cli}
    used_flags = set(re.findall(r"--cloudcheck-[a-z-]*[a-z]", text))
    assert used_flags - flags == set()
    used_ini = set(re.findall(r"\bcloudcheck_[a-z_]*[a-z]", text)) - NOT_INI
    assert used_ini - {o.ini for o in OPTIONS} == set()
    for mode in re.findall(r"--cloudcheck-mode[ =]([a-z]+)", text):
        assert mode in BY_NAME["mode"].choices


def test_ci_recipes_are_complete_pipelines():
    yaml = pytest.importorskip("yaml")
    documents = [yaml.safe_load(body) for body in blocks("ci-recipes.md", "yaml")]
    github = next(d for d in documents if "jobs" in d)
    azure = next(d for d in documents if "stages" in d)
    assert github["permissions"]["id-token"] == "write"
    assert set(github["jobs"]) == {"plan", "live"}
    azure_stages = {s["stage"]: s for s in azure["stages"]}
    assert set(azure_stages) == {"plan", "live"}
    for pipeline in (github, azure):
        text = yaml.safe_dump(pipeline)
        for needed in ("terraform show -json", "--junitxml", "--cloudcheck-sarif", "--cloudcheck-markdown"):
            assert needed in text
        assert "--cloudcheck-subscription" in text  # the nightly live job
    assert "azure/login@v2" in yaml.safe_dump(github) and "PublishTestResults@2" in yaml.safe_dump(azure)


def test_getting_started_test_runs(pytester):
    landing_plan(pytester.path / "plan.json")
    (code,) = blocks("getting-started.md", "python")
    pytester.makepyfile(test_storage=code)
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "--cloudcheck-plan", "plan.json", "--cloudcheck-mode", "audit"
    )
    outcomes = result.parseoutcomes()
    # three storage accounts without CMK: findings (AUDIT), never errors
    assert outcomes.get("audit", 0) >= 3 and "errors" not in outcomes and "failed" not in outcomes
    assert result.ret == pytest.ExitCode.OK
