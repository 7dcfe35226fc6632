"""The contract's way to choose the identity of live mode: override `cloudcheck_credential` in
conftest.py (the `pytest_cloudcheck_credential` hook is the other way, see test_live.py)."""

from __future__ import annotations

import pytest
from fakeazure import FakeAzure
from test_live import live_args

OVERRIDE = """
import pytest
from fakeazure.harness import StaticCredential

@pytest.fixture(scope="session")
def cloudcheck_credential():
    return StaticCredential()
"""

TESTS = """
def test_live_inventory(cloud):
    assert {r.source for r in cloud} == {"live"} and len(cloud) > 100
"""


def test_conftest_fixture_override_is_the_credential_live_mode_uses(pytester: pytest.Pytester, azure: FakeAzure):
    pytester.makeconftest(OVERRIDE)
    pytester.makepyfile(test_zone=TESTS)
    result = pytester.runpytest(*live_args(azure))
    result.assert_outcomes(passed=1)
    assert any(request.authorized for request in azure.traffic)


def test_override_that_needs_other_fixtures_is_a_clear_usage_error(pytester: pytest.Pytester, azure: FakeAzure):
    pytester.makeconftest(
        OVERRIDE.replace("def cloudcheck_credential():", "def cloudcheck_credential(tmp_path_factory):")
    )
    pytester.makepyfile(test_zone=TESTS)
    result = pytester.runpytest(*live_args(azure))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*cloudcheck_credential fixture of your conftest.py asks for other fixtures*hook*"])
