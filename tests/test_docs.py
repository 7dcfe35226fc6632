"""Docs cannot drift: the reference is generated, the CI recipes use options that exist, the YAML parses,
and the getting-started test runs."""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import REAL_PLANS, REPO
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


def test_checks_page_is_generated_and_explains_every_check_id():
    committed = (DOCS / "checks.md").read_text(encoding="utf-8")
    assert committed == docgen.checks_page(), "regenerate: python -m pytest_cloudcheck.docgen checks > docs/checks.md"
    from pytest_cloudcheck.checkdocs import describe
    from pytest_cloudcheck.checks.registry import FAMILIES

    for family in FAMILIES:
        for check in family.check_ids:
            doc = describe(check)
            assert f"### {check}\n" in committed and "finds nothing" not in doc.summary, check
            assert doc.help_uri().endswith(f"checks.md#{doc.anchor}")


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
    assert set(github["jobs"]) == {"source", "plan", "live"}
    # the source job installs registry and git modules before reading the source
    source_steps = [yaml.safe_dump(step) for step in github["jobs"]["source"]["steps"]]
    init = next(i for i, step in enumerate(source_steps) if "terraform init -backend=false" in step)
    assert init < next(i for i, step in enumerate(source_steps) if "--cloudcheck-hcl" in step)
    plan_steps = yaml.safe_dump(next(s for s in azure["stages"] if s["stage"] == "plan"))
    assert plan_steps.index("init -backend=false") < plan_steps.index("--cloudcheck-hcl")
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


def _recipes() -> tuple[dict, dict]:
    yaml = pytest.importorskip("yaml")
    documents = [yaml.safe_load(body) for body in blocks("ci-recipes.md", "yaml")]
    return next(d for d in documents if "jobs" in d), next(d for d in documents if "stages" in d)


def _steps(pipeline: dict) -> list[dict]:
    if "jobs" in pipeline and isinstance(pipeline["jobs"], dict):
        return [s for job in pipeline["jobs"].values() for s in job["steps"]]
    return [s for stage in pipeline["stages"] for job in stage["jobs"] for s in job["steps"]]


def _commands(step: dict) -> str:
    return str(step.get("run") or step.get("script") or (step.get("inputs") or {}).get("inlineScript") or "")


def test_ci_recipes_follow_the_platforms_documentation():
    github, azure = _recipes()
    # upload-sarif reads the workflow run: `actions: read` on private repositories
    assert github["permissions"]["actions"] == "read" and github["permissions"]["security-events"] == "write"
    # Azure Repos Git ignores YAML `pr:`; a build validation branch policy runs the pipeline (said in the text)
    assert azure["pr"] == "none" and "Build validation" in (DOCS / "ci-recipes.md").read_text(encoding="utf-8")
    tasks = [s.get("task", "") for s in _steps(azure)]
    assert not [t for t in tasks if t.startswith("TerraformInstaller")], "a Marketplace task: use a script step"
    assert any("releases.hashicorp.com/terraform" in _commands(s) for s in _steps(azure))
    for pipeline in (github, azure):
        commands = [_commands(s) for s in _steps(pipeline)]
        assert not [c for c in commands if "-n auto" in c], "recommend serial runs"
        installs = [c for c in commands if "pip install" in c]
        assert installs and all("pytest-xdist" not in c for c in installs)
    # the package is installed the way that works before it is published: from its git repository
    assert "git+https://" in github["env"]["CLOUDCHECK"] and "git+https://" in azure["variables"]["cloudcheck"]


def _pytest_command(pipeline: dict, name: str) -> list[str]:
    (step,) = [s for s in _steps(pipeline) if s.get("name", s.get("displayName")) == name]
    return shlex.split(_commands(step))


@pytest.mark.parametrize("platform", ["github", "azure"])
def test_ci_recipe_plan_command_runs(pytester, platform):
    """The recipe's pytest.ini, waivers file and plan command, run as written (on a small plan)."""
    github, azure = _recipes()
    command = _pytest_command(github if platform == "github" else azure, "pytest (plan)")
    assert command[0] == "pytest"
    (ini,) = blocks("ci-recipes.md", "ini")
    pytester.makefile(".ini", pytest=ini)
    pytester.makefile(".toml", **{"cloudcheck-waivers": "# no exceptions yet\n"})
    landing_plan(pytester.path / "plan.json")
    (code,) = blocks("getting-started.md", "python")
    (pytester.path / "tests" / "infra").mkdir(parents=True)
    (pytester.path / "tests" / "infra" / "test_storage.py").write_text(code, encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider", *command[1:])
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) >= 1 and "errors" not in outcomes  # deny mode: the findings fail
    for report in ("junit.xml", "cloudcheck-evidence.json", "cloudcheck.sarif", "cloudcheck-summary.md"):
        assert (pytester.path / report).is_file()


README = REPO / "README.md"


def _readme_first_example() -> str:
    text = README.read_text(encoding="utf-8")
    return next(body for lang, body in FENCE.findall(text) if lang == "python")


@pytest.mark.skipif(not REAL_PLANS.is_dir(), reason=f"{REAL_PLANS} not found")
def test_docs_examples_run_on_every_real_plan(pytester):
    """The README's first example and getting-started's test, on the 45 real plans (old azurerm too):
    findings (audit), never errors such as a KeyError."""
    pytester.makepyfile(test_readme=_readme_first_example())
    (code,) = blocks("getting-started.md", "python")
    pytester.makepyfile(test_getting_started=code)
    result = pytester.runpytest(
        "-p", "no:cacheprovider", f"--cloudcheck-plan={REAL_PLANS}", "--cloudcheck-mode", "audit"
    )
    outcomes = result.parseoutcomes()
    assert "errors" not in outcomes and "failed" not in outcomes, result.stdout.str()[-3000:]
    assert outcomes.get("audit", 0) > 0
    # the prod-only test cannot pass: three resources of the real plans have a resource group
    # known only after apply (through a local), so their environment is unknown and may be prod
    result.stdout.fnmatch_lines(["*[[]coverage.environment[]]*"])
    assert result.ret == pytest.ExitCode.OK
