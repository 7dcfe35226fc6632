"""The wheel carries everything the package reads at run time (.ci/run builds it, installs it into a
fresh virtual environment and runs the examples and the baseline against it)."""

from __future__ import annotations

import fnmatch
import sys

from conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PACKAGE = REPO / "pytest_cloudcheck"


def _package_data() -> list[str]:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["tool"]["setuptools"]["package-data"]["pytest_cloudcheck"]


def test_every_data_file_of_the_package_is_package_data():
    patterns = _package_data()
    data = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert "data/azurerm_types.txt" in data and "data/evidence.schema.json" in data
    missing = [f for f in data if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns)]
    assert missing == [], f"add to [tool.setuptools.package-data] in pyproject.toml: {missing}"


def test_ci_builds_and_tests_the_wheel_outside_the_checkout():
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    for step in (
        "python -m build",
        "pip install -q dist/pytest_cloudcheck-*.whl",
        "--pyargs pytest_cloudcheck.baseline",
    ):
        assert step in script
    assert script.index('cd "$outside"') < script.index("--pyargs pytest_cloudcheck.baseline")
