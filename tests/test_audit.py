"""Audit before deny: findings of cloudcheck tests are AUDIT in audit mode, other errors still fail."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES
from reporting_cases import LOGS, PUBLIC, SQUAD_TESTS, landing_plan

NONCOMPLIANT = EXAMPLES / "noncompliant" / "plans"


@pytest.fixture
def squad(pytester: pytest.Pytester) -> pytest.Pytester:
    landing_plan(pytester.path / "plan.json")
    pytester.makepyfile(test_squad=SQUAD_TESTS)
    pytester.makeini("[pytest]\ncloudcheck_plan = plan.json\n")
    return pytester


def test_deny_mode_fails_on_findings(squad):
    result = squad.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert result.parseoutcomes() == {"failed": 5, "passed": 2}
    # the failure leads with its findings, then the test's location; the short summary with the first
    result.stdout.fnmatch_lines(
        [
            "2 finding(s):",
            f"  {PUBLIC}: storage account stpublic allows public network access; required: false"
            " [demo.public_storage] (plan.json)",
            "*stlogs allows public network access*",
            "test: test_squad.py:12",
        ]
    )
    result.stdout.fnmatch_lines([f"FAILED test_squad.py::test_no_public_storage - {PUBLIC}*"])


def test_audit_mode_reports_findings_as_audit_and_errors_still_fail(squad):
    result = squad.runpytest("-p", "no:cacheprovider", "--cloudcheck-mode", "audit", "-v")
    assert result.parseoutcomes() == {"failed": 1, "passed": 2, "audit": 4}
    assert result.ret == pytest.ExitCode.TESTS_FAILED  # test_broken: not a finding
    result.stdout.fnmatch_lines(
        [
            "*test_no_public_storage AUDIT*",
            "*test_private_each?azurerm_storage_account.private? PASSED*",
            f"*test_private_each?{PUBLIC}? AUDIT*",
            "*test_broken FAILED*",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*- cloudcheck -*",
            "mode audit: 1 error, 4 audit, 2 passed",
            "audited findings (reported, not failing the run):",
            f"  {PUBLIC}: storage account stpublic allows public network access; required: false [demo.public_storage]",
        ]
    )
    # a plain assert is one finding named after the test, about the resource under test
    assert f"  {LOGS}: stlogs is public [test_private_each]" in result.stdout.lines


def test_audit_mode_passes_when_every_failure_is_a_finding(squad):
    result = squad.runpytest("-p", "no:cacheprovider", "-o", "cloudcheck_mode=audit", "-k", "not broken")
    assert result.ret == pytest.ExitCode.OK
    assert result.parseoutcomes() == {"passed": 2, "audit": 4, "deselected": 1}


#: counts pytest's traceback formatting per test (instrumenting pytest, not the plugin)
TRACEBACK_COUNTER = """
import _pytest.python

formatted = {}
inner = _pytest.python.Function.repr_failure

def counting(self, excinfo):
    formatted[self.name] = formatted.get(self.name, 0) + 1
    return inner(self, excinfo)

_pytest.python.Function.repr_failure = counting

def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"formatted: {sorted(formatted.items())}")
"""


@pytest.mark.parametrize("mode", ["deny", "audit"])
def test_a_failure_reported_as_its_findings_skips_pytests_traceback(squad, mode):
    """pytest formats a failure's traceback (reading and parsing the test's source) only where that
    text is shown: a plain assert, an error, an xfail. A failure whose text is its findings skips it."""
    squad.makeconftest(TRACEBACK_COUNTER)
    squad.makepyfile(
        test_xfail="""
        import pytest
        from test_squad import public_storage

        @pytest.mark.xfail(reason="known")
        def test_known_public(cloud):
            assert not public_storage(cloud)
        """
    )
    result = squad.runpytest("-p", "no:cacheprovider", "--cloudcheck-mode", mode, "-rx")
    # pytest's own text: the error, the xfail and, in deny mode, the plain asserts (audit mode shows
    # a plain assert as its finding); never test_no_public_storage, whose text is its findings
    own = ["test_broken", "test_known_public"]
    if mode == "deny":
        own += [f"test_private_each[{PUBLIC}]", f"test_private_each[{LOGS}]", "test_sql_password_not_in_reports"]
    assert f"formatted: {[(name, 1) for name in sorted(own)]}" in result.stdout.lines
    result.stdout.fnmatch_lines(["XFAIL test_xfail.py::test_known_public - known"])
    outcomes = {
        "deny": {"failed": 5, "passed": 2, "xfailed": 1},
        "audit": {"failed": 1, "passed": 2, "audit": 4, "xfailed": 1},
    }
    assert result.parseoutcomes() == outcomes[mode]


def test_short_letters_in_progress_output(squad):
    result = squad.runpytest("-p", "no:cacheprovider", "--cloudcheck-mode", "audit", "-k", "not broken", "-q")
    assert any(set(line.split()[0]) <= set("A.") and "A" in line for line in result.outlines if line.strip())


def test_audit_marker_audits_one_test_in_a_deny_run(pytester):
    landing_plan(pytester.path / "plan.json")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.audit
        def test_new_rule(cloud):
            assert cloud.get("azurerm_storage_account.public").values["public_network_access_enabled"] is False

        def test_enforced(cloud):
            assert cloud.get("azurerm_storage_account.public").values["public_network_access_enabled"] is False

        @pytest.mark.audit
        def test_audited_but_broken(cloud):
            cloud.get("nothing").values
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan", "plan.json", "-v")
    assert result.parseoutcomes() == {"failed": 2, "audit": 1}
    result.stdout.fnmatch_lines(["*test_new_rule AUDIT*", "*test_enforced FAILED*", "*test_audited_but_broken FAILED*"])


def test_setup_error_fails_in_audit_mode(pytester):
    landing_plan(pytester.path / "plan.json")
    pytester.makepyfile(
        """
        import pytest

        @pytest.fixture
        def broken(cloud):
            raise AssertionError("an assert in a fixture is not a finding")

        def test_uses_broken(broken):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan", "plan.json", "--cloudcheck-mode=audit")
    assert result.parseoutcomes() == {"errors": 1}
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_source_that_fails_to_load_fails_in_audit_mode(pytester):
    (pytester.path / "plan.json").write_text("{not json", encoding="utf-8")
    pytester.makepyfile("def test_x(cloud):\n    assert not cloud\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan", "plan.json", "--cloudcheck-mode=audit")
    assert result.ret == pytest.ExitCode.USAGE_ERROR


@pytest.mark.parametrize(
    ("marker", "problem"),
    [
        ("control()", "give at least one control id"),
        ("control(5)", "control ids are non-empty strings"),
        ("audit('x')", "@pytest.mark.audit: takes no arguments, got 1"),
    ],
)
def test_bad_markers_are_usage_errors(pytester, marker, problem):
    landing_plan(pytester.path / "plan.json")
    pytester.makepyfile(f"import pytest\n\n@pytest.mark.{marker}\ndef test_x(cloud):\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan", "plan.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*test_*.py::test_x*{problem}*"])


@pytest.mark.skipif(not NONCOMPLIANT.is_dir(), reason="example landing zone not present")
@pytest.mark.parametrize("mode", ["deny", "audit"])
def test_noncompliant_example_fails_in_deny_and_passes_in_audit(pytester, mode):
    args = ["-p", "no:cacheprovider", "--pyargs", "pytest_cloudcheck.baseline", f"--cloudcheck-plan={NONCOMPLIANT}"]
    result = pytester.runpytest(*args, "-o", "cloudcheck_shared=^rg-hub-", "--cloudcheck-mode", mode)
    outcomes = result.parseoutcomes()
    if mode == "deny":
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        # only the advisory family (checks.overbuilt, audit-marked) reports audits in deny mode
        assert outcomes["failed"] >= 20 and outcomes.get("audit", 0) == 1
    else:
        assert result.ret == pytest.ExitCode.OK
        assert "failed" not in outcomes and "errors" not in outcomes and outcomes["audit"] >= 20
        # each planted violation is reported, by check id and address
        for line in [
            "*azurerm_storage_account.reports: *[[]cmk.storage_account[]]",
            "*[[]backup.vm_backup[]]",
            "*azurerm_virtual_network_peering.zaanstad_test_to_prod: *[[]isolation.peering[]]",
        ]:
            result.stdout.fnmatch_lines([line])
