"""Attacks on waivers ("don't make the exception the rule"), each with its exact outcome: a waiver
that names no check family or every resource is a one-line usage error naming the file, the entry
and the fix; waivers over `cloudcheck_waiver_max_share` of a family fail the run; a waiver covers
only the findings it matches, never an unrelated failed assertion of the same test.

`ATTACKS` counts the attacks (the note of issue 12 quotes it).
"""

from __future__ import annotations

import json
import textwrap

import pytest
from planbuilder import PlanBuilder
from reporting_cases import waiver, waivers_file

#: a family of our own over storage accounts: one finding per account whose public access is on
DEMO_TESTS = """
import pytest
from pytest_cloudcheck import Finding, Findings

def public_storage(cloud):
    return Findings(
        Finding("demo.public_storage", r.address, f"storage account {r.name} is public; required: private",
                r.origin)
        for r in cloud.resources("azurerm_storage_account")
        if r.values.get("public_network_access_enabled") is not False
    )

def test_no_public_storage(cloud):
    assert not public_storage(cloud)
"""


def _plan(pytester: pytest.Pytester, public: int, private: int) -> None:
    plan = PlanBuilder()
    for n in range(public + private):
        name = f"st{n:02d}"
        values = {"name": name, "tags": {"environment": "prod"}, "public_network_access_enabled": n < public}
        plan.resource(f"azurerm_storage_account.{name}", values, unknown=["id"])
    plan.write(pytester.path / "plan.json")


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan=plan.json", "-v", *args)


# -- a waiver names a check family and fewer than every resource ---------------------------------

BROAD = {
    # attack: (check, address) -> the fix the one line gives
    "check *": ("*", "azurerm_storage_account.st00", 'names no check family; name one, e.g. check = "cmk.*"'),
    "check *.x": ("*.storage_account", "azurerm_storage_account.st00", "names no check family"),
    "check c*": ("c*", "azurerm_storage_account.st00", "names no check family"),
    "check ?mk.*": ("?mk.*", "azurerm_storage_account.st00", "names no check family"),
    "address *": ("demo.public_storage", "*", "matches every resource; name the resources it excepts"),
    "address **": ("demo.public_storage", "**", "matches every resource"),
    "address *.*": ("demo.public_storage", "*.*", "matches every resource"),
    "address *a*": ("demo.public_storage", "*a*", "matches every resource"),
    "address live": ("demo.public_storage", "/subscriptions/*", "matches every resource"),
}


@pytest.mark.parametrize("attack", sorted(BROAD))
def test_a_waiver_for_everything_is_one_line_naming_the_file_entry_and_fix(
    pytester: pytest.Pytester, attack: str
) -> None:
    check, address, fix = BROAD[attack]
    _plan(pytester, public=1, private=0)
    pytester.makepyfile(DEMO_TESTS)
    waivers_file(pytester.path / "w.toml", waiver("demo.public_storage", "azurerm_storage_account.st00"))
    with (pytester.path / "w.toml").open("a", encoding="utf-8") as out:
        out.write(f"[[waiver]]\ncheck = {json.dumps(check)}\naddress = {json.dumps(address)}\n")
        out.write('reason = "PBI-1"\nowner = "squad-a"\nexpires = 2000-01-01\n')
    result = _run(pytester, "--cloudcheck-waivers", "w.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    (line,) = [line for line in result.stderr.lines if "w.toml" in line]
    assert line.startswith(f"ERROR: waivers file w.toml: waiver #2: {'check' if 'check' in attack else 'address'} = ")
    assert fix in line and "a waiver is an exception, not the rule" in line
    assert "Traceback" not in result.stderr.str() and "INTERNALERROR" not in result.stdout.str()


def test_a_literal_check_id_or_test_name_is_a_family(pytester: pytest.Pytester) -> None:
    _plan(pytester, public=1, private=0)
    pytester.makepyfile(DEMO_TESTS)
    waivers_file(pytester.path / "w.toml", waiver("demo.public_storage", "azurerm_storage_account.st00"))
    result = _run(pytester, "--cloudcheck-waivers", "w.toml", "-o", "cloudcheck_waiver_max_share=100")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*test_no_public_storage WAIVED*"])


# -- cloudcheck_waiver_max_share -----------------------------------------------------------------


def test_waivers_over_the_share_of_a_family_fail_the_run(pytester: pytest.Pytester) -> None:
    """Every finding waived (2 of 3 accounts, 66.7%): the test is WAIVED, the run fails, the summary
    and the evidence say why."""
    _plan(pytester, public=2, private=1)
    pytester.makepyfile(DEMO_TESTS)
    waivers_file(pytester.path / "w.toml", waiver("demo.public_storage", "azurerm_storage_account.st0?"))
    result = _run(pytester, "--cloudcheck-waivers", "w.toml", "--cloudcheck-report", "e.json")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert result.parseoutcomes() == {"waived": 1}
    result.stdout.fnmatch_lines(
        [
            "WAIVERS OVER SHARE: waivers except 2 of the 3 resource(s) check family demo assesses (66.7%), more "
            "than cloudcheck_waiver_max_share = 10%; fix the findings instead of waiving them*"
        ]
    )
    doc = json.loads((pytester.path / "e.json").read_text(encoding="utf-8"))
    assert doc["run"]["result"] == "fail"
    assert doc["waivers"]["max_share"] == 10
    assert doc["waivers"]["over_share"] == [{"family": "demo", "waived": 2, "assessed": 3, "percent": 66.7}]


def test_the_share_fails_audit_mode_too(pytester: pytest.Pytester) -> None:
    _plan(pytester, public=2, private=1)
    pytester.makepyfile(DEMO_TESTS)
    waivers_file(pytester.path / "w.toml", waiver("demo.public_storage", "azurerm_storage_account.st00"))
    result = _run(pytester, "--cloudcheck-waivers", "w.toml", "--cloudcheck-mode", "audit")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["WAIVERS OVER SHARE: waivers except 1 of the 3 resource(s) check family demo*"])


@pytest.mark.parametrize(("share", "ret"), [("66.7", pytest.ExitCode.OK), ("66", pytest.ExitCode.TESTS_FAILED)])
def test_the_share_is_a_setting(pytester: pytest.Pytester, share: str, ret: pytest.ExitCode) -> None:
    _plan(pytester, public=2, private=1)
    pytester.makepyfile(DEMO_TESTS)
    pytester.makeini(f"[pytest]\ncloudcheck_waiver_max_share = {share}\n")
    waivers_file(pytester.path / "w.toml", waiver("demo.public_storage", "azurerm_storage_account.st0?"))
    result = _run(pytester, "--cloudcheck-waivers", "w.toml")
    assert result.ret == ret
    assert ("WAIVERS OVER SHARE" in result.stdout.str()) is (ret != pytest.ExitCode.OK)


def test_one_waiver_among_many_compliant_resources_is_an_exception(pytester: pytest.Pytester) -> None:
    """1 of 20 storage accounts waived (5%): within the default 10%."""
    _plan(pytester, public=1, private=19)
    pytester.makepyfile(DEMO_TESTS)
    waivers_file(pytester.path / "w.toml", waiver("demo.public_storage", "azurerm_storage_account.st00"))
    result = _run(pytester, "--cloudcheck-waivers", "w.toml")
    assert result.ret == pytest.ExitCode.OK
    assert result.parseoutcomes() == {"waived": 1}
    assert "WAIVERS OVER SHARE" not in result.stdout.str()


@pytest.mark.parametrize("bad", ["-1", "101", "ten", "nan"])
def test_a_bad_share_is_one_line(pytester: pytest.Pytester, bad: str) -> None:
    _plan(pytester, public=1, private=0)
    pytester.makepyfile(DEMO_TESTS)
    result = _run(pytester, "-o", f"cloudcheck_waiver_max_share={bad}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [f"ERROR: cloudcheck_waiver_max_share must be a percentage from 0 to 100 (default 10), got '{bad}'"]
    )


# -- a waiver covers only the findings it matches ------------------------------------------------

UNRELATED = """
from pytest_cloudcheck import Finding, Findings

def public_storage(cloud):
    return Findings(
        Finding("demo.public_storage", r.address, "public", r.origin)
        for r in cloud.resources("azurerm_storage_account")
        if r.values.get("public_network_access_enabled") is not False
    )

def test_unrelated_assert(cloud):
    if public_storage(cloud):  # truth-tested: every finding is waived
        pass
    assert len(cloud.resources("azurerm_storage_account")) == 5, "expected five accounts"

def test_findings_then_unrelated_assert(cloud):
    found = public_storage(cloud)
    assert found  # truth-tested and true: no failure here
    assert cloud.get("azurerm_storage_account.st00").name == "other", "wrong name"

def test_waived_in_a_helper(cloud):
    def no_findings(found):
        assert not found
    no_findings(public_storage(cloud))

def test_waived_by_an_if_around_a_raise(cloud):
    found = public_storage(cloud)
    if found:
        raise AssertionError(str(found))

def test_waived_in_a_multiline_assert(cloud):
    assert not (
        public_storage(cloud)
    ), "public storage"
"""


def test_an_unrelated_failed_assert_is_failed_not_waived(pytester: pytest.Pytester) -> None:
    _plan(pytester, public=1, private=0)
    pytester.makepyfile(UNRELATED)
    waivers_file(pytester.path / "w.toml", waiver("demo.public_storage", "azurerm_storage_account.st00"))
    result = _run(
        pytester,
        "--cloudcheck-waivers",
        "w.toml",
        "-o",
        "cloudcheck_waiver_max_share=100",
        "--cloudcheck-report=e.json",
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*::test_unrelated_assert FAILED*",
            "*::test_findings_then_unrelated_assert FAILED*",
            "*::test_waived_in_a_helper WAIVED*",
            "*::test_waived_by_an_if_around_a_raise WAIVED*",
            "*::test_waived_in_a_multiline_assert WAIVED*",
        ]
    )
    result.stdout.fnmatch_lines(["E *AssertionError: expected five accounts", "E *AssertionError: wrong name"])
    doc = json.loads((pytester.path / "e.json").read_text(encoding="utf-8"))
    tests = {t["nodeid"].split("::")[1]: t for t in doc["tests"]}
    unrelated = tests["test_unrelated_assert"]
    assert [(f["check"], f["outcome"]) for f in unrelated["findings"]] == [
        ("demo.public_storage", "waived"),
        ("test_unrelated_assert", "failed"),
    ]
    assert unrelated["findings"][1]["message"] == "expected five accounts"


def test_a_waiver_of_a_family_never_waives_a_plain_assert(pytester: pytest.Pytester) -> None:
    _plan(pytester, public=1, private=0)
    pytester.makepyfile(
        textwrap.dedent(
            """
            import pytest

            @pytest.mark.resources("azurerm_storage_account")
            def test_private(resource):
                assert resource.values["public_network_access_enabled"] is False, "public"
            """
        )
    )
    waivers_file(pytester.path / "w.toml", waiver("demo.*", "azurerm_storage_account.st00"))
    result = _run(pytester, "--cloudcheck-waivers", "w.toml", "-o", "cloudcheck_waiver_max_share=100")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*test_private?azurerm_storage_account.st00? FAILED*"])


#: attacks in this module (each parametrised case counts once)
ATTACKS = len(BROAD) + 1 + 1 + 1 + 2 + 1 + 4 + 1 + 1
