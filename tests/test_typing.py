"""The type checker is part of the suite: the package type-checks, the model and checks strictly.

Strict where the seams are (what sources hand to checks, what checks hand to reports); the rest
of the package is checked with the project's mypy settings (pyproject.toml).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STRICT = [
    "pytest_cloudcheck/model.py",
    "pytest_cloudcheck/checks",
    "pytest_cloudcheck/arm.py",
    "pytest_cloudcheck/network.py",
    "pytest_cloudcheck/sources/kinds.py",
    "pytest_cloudcheck/reports/writers.py",
]

pytest.importorskip("mypy", reason="mypy is in the test extra: pip install -e '.[test]'")


def _mypy(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_package_type_checks(tmp_path_factory: pytest.TempPathFactory) -> None:
    result = _mypy(cache=tmp_path_factory.mktemp("mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_model_and_checks_are_strict(tmp_path_factory: pytest.TempPathFactory) -> None:
    result = _mypy("--strict", "--follow-imports=silent", *STRICT, cache=tmp_path_factory.mktemp("mypy"))
    assert result.returncode == 0, result.stdout + result.stderr
