"""Waivers: valid ones waive (WAIVED), expired ones fail the run, stale ones are reported, bad files stop it."""

from __future__ import annotations

import datetime as dt

import pytest
from reporting_cases import LOGS, PUBLIC, SQUAD_TESTS, landing_plan, waiver, waivers_file

from pytest_cloudcheck.errors import ConfigurationError
from pytest_cloudcheck.waivers import load_waivers, max_days_setting

TODAY = dt.date(2026, 1, 15)
ALL_STORAGE = "*azurerm_storage_account.*"


# -- the file -----------------------------------------------------------------------------------


def test_valid_file(tmp_path):
    path = waivers_file(tmp_path / "w.toml", waiver("cmk.*", LOGS, dt.date(2026, 2, 1)))
    waivers = load_waivers(path, today=TODAY)
    (entry,) = waivers.entries
    assert (entry.number, entry.check, entry.address, entry.owner) == (1, "cmk.*", LOGS, "squad-a")
    assert entry.expires == dt.date(2026, 2, 1) and waivers.sha256 and len(waivers.sha256) == 64
    assert waivers.expiring == [entry]  # 17 days left


def test_globs_are_literal_apart_from_star_and_question_mark(tmp_path):
    path = waivers_file(
        tmp_path / "w.toml",
        waiver("cmk.storage_account", 'module.spoke["a"].*', dt.date(2026, 3, 1)),
        waiver("isolation.?eering", "azurerm_virtual_network_peering.x", dt.date(2026, 3, 1)),
    )
    waivers = load_waivers(path, today=TODAY)
    assert waivers.active("cmk.storage_account", LOGS).number == 1
    assert waivers.active("cmk.storage_account", 'module.spoke["b"].azurerm_storage_account.logs') is None
    assert waivers.active("cmk.storage_account", "module.spoke[a].azurerm_storage_account.logs") is None
    assert waivers.active("isolation.peering", "azurerm_virtual_network_peering.x").number == 2
    assert waivers.active("cmk.managed_disk", LOGS) is None


def test_expired_waives_nothing_and_is_named(tmp_path):
    path = waivers_file(tmp_path / "w.toml", waiver("cmk.*", "azurerm_storage_account.*", dt.date(2026, 1, 14)))
    waivers = load_waivers(path, today=TODAY)
    assert waivers.active("cmk.x", "azurerm_storage_account.a") is None
    assert waivers.expired_for("cmk.x", "azurerm_storage_account.a").number == 1
    assert [w.number for w in waivers.expired] == [1]
    assert load_waivers(path, today=dt.date(2026, 1, 14)).expired == []  # valid through its last day


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[waiver]\ncheck = 1", "not valid TOML"),
        ('[[waiver]]\ncheck = "cmk.*"\naddress = "a.b"\nreason = "r"\nowner = "o"\n', "missing field(s) expires"),
        (
            '[[waiver]]\ncheck = "cmk.*"\naddress = "a.b"\nreason = "r"\nexpires = 2026-02-01\n',
            "missing field(s) owner",
        ),
        (
            '[[waiver]]\ncheck = "cmk.*"\naddress = "a.b"\nreason = "r"\nowner = "o"\nexpires = "next week"\n',
            "`expires` must be a date like 2027-03-31, got 'next week'",
        ),
        (
            '[[waiver]]\ncheck = "cmk.*"\naddres = "*"\nreason = "r"\nowner = "o"\nexpires = 2026-02-01\n',
            "missing field(s) address",
        ),
        (
            '[[waiver]]\ncheck = "cmk.*"\naddress = "a.b"\nreason = ""\nowner = "o"\nexpires = 2026-02-01\n',
            "`reason` must be a non-empty string",
        ),
        (
            '[[waiver]]\ncheck = "cmk.*"\naddress = "a.b"\nreason = "r"\nowner = "o"\nexpires = 2027-01-01\n',
            "more than 180 days from today",
        ),
        ('[waivers]\ncheck = "x"\n', "unexpected top-level key(s) waivers"),
    ],
)
def test_invalid_files_are_one_clear_error(tmp_path, text, problem):
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError) as excinfo:
        load_waivers(path, today=TODAY)
    message = str(excinfo.value)
    assert problem in message and str(path) in message and "\n" not in message.strip()


def test_max_days_setting():
    assert max_days_setting(None) == 180 and max_days_setting("30") == 30
    with pytest.raises(ConfigurationError, match="positive number of days"):
        max_days_setting("0")


# -- in a run -----------------------------------------------------------------------------------


@pytest.fixture
def squad(pytester: pytest.Pytester) -> pytest.Pytester:
    landing_plan(pytester.path / "plan.json")
    pytester.makepyfile(test_squad=SQUAD_TESTS)
    # three storage accounts: these tests waive more than the default share (test_waiver_share.py)
    pytester.makeini("[pytest]\ncloudcheck_plan = plan.json\ncloudcheck_waiver_max_share = 100\n")
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", "-k", "storage or private_each", "-v", *args)


def test_every_finding_waived_is_waived_and_does_not_fail(squad):
    waivers_file(
        squad.path / "cloudcheck-waivers.toml",
        waiver("demo.public_storage", ALL_STORAGE, 90),
        waiver("test_private_each", "azurerm_storage_account.public", 20),
    )
    result = run(squad, "--cloudcheck-waivers", "cloudcheck-waivers.toml")
    # test_private_each[logs] is not waived: it still fails
    assert result.parseoutcomes() == {"failed": 1, "passed": 1, "waived": 2, "deselected": 3}
    result.stdout.fnmatch_lines(
        ["*test_no_public_storage WAIVED*", "*test_private_each?azurerm_storage_account.public? WAIVED*"]
    )
    expiry = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    result.stdout.fnmatch_lines(
        [
            "waivers: 2 in cloudcheck-waivers.toml",
            f"expiring within 30 days: waiver #2 (test_private_each on {PUBLIC}, owner squad-a, expires {expiry})",
        ]
    )


def test_partly_waived_test_still_fails_and_says_which_are_waived(squad):
    waivers_file(squad.path / "w.toml", waiver("demo.public_storage", PUBLIC, 90))
    result = run(squad, "--cloudcheck-waivers", "w.toml", "-k", "no_public_storage")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["2 finding(s), 1 waived:", f"  {PUBLIC}: *(waived by waiver #1 until *)"])
    # the short summary leads with the finding that fails the test, not the waived one
    result.stdout.fnmatch_lines(['FAILED test_squad.py::test_no_public_storage - module.spoke?"a"?.azurerm_stor*'])


def test_expired_waiver_fails_the_run_even_in_audit_mode(squad):
    waivers_file(
        squad.path / "w.toml",
        waiver("demo.public_storage", ALL_STORAGE, dt.date.today() - dt.timedelta(days=1)),
    )
    result = run(squad, "--cloudcheck-waivers", "w.toml", "--cloudcheck-mode", "audit")
    assert result.parseoutcomes() == {"passed": 1, "audit": 3, "deselected": 3}
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["EXPIRED waiver #1 (demo.public_storage on *, owner squad-a, expires *): renew or*"])


def test_expired_waiver_fails_a_run_with_nothing_to_waive(squad):
    waivers_file(squad.path / "w.toml", waiver("nothing.*", ALL_STORAGE, dt.date.today() - dt.timedelta(days=3)))
    result = squad.runpytest("-p", "no:cacheprovider", "--cloudcheck-waivers", "w.toml", "-k", "test_passes")
    assert result.parseoutcomes() == {"passed": 1, "deselected": 6}
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["EXPIRED waiver #1 (nothing.* on *"])


def test_stale_waiver_is_reported(squad):
    waivers_file(
        squad.path / "w.toml",
        waiver("demo.public_storage", ALL_STORAGE, 90),
        waiver("cmk.storage_account", "azurerm_storage_account.gone", 90),
    )
    result = run(squad, "--cloudcheck-waivers", "w.toml", "-k", "no_public_storage")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        ["stale waiver #2 (cmk.storage_account on azurerm_storage_account.gone, *): matches no finding of this run*"]
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("not = [toml", "not valid TOML"),
        ('[[waiver]]\ncheck = "x"\n', "missing field(s) address"),
        # a typo of a field is named with the field it most likely means
        (
            '[[waiver]]\ncheck = "cmk.*"\nadress = "a.b"\nreason = "r"\nowner = "o"\nexpires = 2026-02-01\n',
            "w.toml: waiver #1: unknown field `adress` (did you mean `address`?); missing field(s) address"
            " (each waiver has exactly check, address, reason, owner, expires)",
        ),
        (
            '[[waiver]]\ncheck = "cmk.*"\naddress = "a.b"\nreason = "r"\nowner = "o"\nexpires = 2026-02-01\n'
            "owners = 1\n",
            "waiver #1: unknown field `owners` (did you mean `owner`?) (each waiver has exactly",
        ),
        # a built-in family's id it does not have would waive nothing, in silence
        (
            '[[waiver]]\ncheck = "cmk.storage_acount"\naddress = "a.b"\nreason = "r"\nowner = "o"\n'
            "expires = 2026-02-01\n",
            "waiver #1: check = `cmk.storage_acount` (did you mean `cmk.storage_account`?) is no check id of CMK"
            " (cmk.*); the ids are listed in docs/checks.md",
        ),
        (
            '[[waiver]]\ncheck = "isolation.peerings*"\naddress = "a.b"\nreason = "r"\nowner = "o"\n'
            "expires = 2026-02-01\n",
            "check = `isolation.peerings*` (did you mean `isolation.peering`?) is no check id of NonProd isolation",
        ),
    ],
)
def test_invalid_file_stops_the_run_with_one_line(squad, content, problem):
    (squad.path / "w.toml").write_text(content, encoding="utf-8")
    result = squad.runpytest("-p", "no:cacheprovider", "--cloudcheck-waivers", "w.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if "w.toml" in line]
    assert len(errors) == 1 and problem in errors[0]


def test_waiver_max_days_from_ini(squad):
    waivers_file(squad.path / "w.toml", waiver("demo.*", ALL_STORAGE, 45))
    squad.makeini("[pytest]\ncloudcheck_plan = plan.json\ncloudcheck_waiver_max_days = 30\n")
    result = squad.runpytest("-p", "no:cacheprovider", "--cloudcheck-waivers", "w.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*waiver #1: expires *, more than 30 days from today*"])


def test_missing_file_is_a_usage_error(squad):
    result = squad.runpytest("-p", "no:cacheprovider", "--cloudcheck-waivers", "missing.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*waivers file missing.toml: cannot be read*"])


def test_stale_waiver_of_an_unknown_test_name_says_which_ids_the_run_has(squad):
    """A waiver for a check id of the user's own that no finding or test of the run has (a typo of
    a test's name) is stale, and the line names the closest id."""
    waivers_file(squad.path / "w.toml", waiver("test_privat_each", PUBLIC, 30))
    result = run(squad, "--cloudcheck-waivers", "w.toml", "-k", "private_each")
    result.stdout.fnmatch_lines(
        [
            f"stale waiver #1 (test_privat_each on {PUBLIC}, owner squad-a, expires *): matches no finding of this"
            " run; remove it (no finding or test of this run has check = `test_privat_each` (did you mean"
            " `test_private_each`?))"
        ]
    )
