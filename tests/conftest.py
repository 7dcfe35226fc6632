from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from planbuilder import PlanBuilder

pytest_plugins = ["pytester", "fakeazure.fixtures"]

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"
REAL_PLANS = SHARED / "reference" / "real-plans"


@pytest.fixture
def plan() -> PlanBuilder:
    """A fresh plan builder (see tests/planbuilder.py)."""
    return PlanBuilder()


@pytest.fixture
def terraform() -> str:
    """Path of the terraform CLI; the test is skipped where it is not installed."""
    path = shutil.which("terraform")
    if path is None:
        pytest.skip("terraform CLI not on PATH")
    return path
