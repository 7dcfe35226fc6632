"""pytest hooks of pytest-cloudcheck (entry point `cloudcheck`; disable with `-p no:cloudcheck`).

Hooks only: they wire options, markers and fixtures to the plain-Python pipeline
(sources -> inventory -> checks -> reports). Nothing here imports `azure` or `hcl2`, and the
pipeline's modules are imported inside the hooks: loading the plugin costs a few milliseconds in a
project that never uses it (tests/test_import_cost.py holds it to that).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .errors import CloudcheckError, ConfigurationError
from .fixtures import (  # noqa: F401  (registers them)
    cloud,
    cloudcheck_credential,
    cloudcheck_inventory,
    resource,
    topology,
)
from .stash import REPORTING, SESSION

if TYPE_CHECKING:
    from .outcomes import Context

#: the workerinput key naming the controller's loaded sources (sources/handoff.py)
HANDOFF = "cloudcheck_inventory"
#: the workerinput keys of the files the controller writes the baseline's findings to (served.py),
#: and of the baseline's check ids
SERVED = "cloudcheck_served"
CHECK_IDS = "cloudcheck_check_ids"


def pytest_addoption(parser: pytest.Parser) -> None:
    from .options import OPTIONS  # the table (with the source kinds' and writers' rows) loads here

    group = parser.getgroup("cloudcheck", "pytest-cloudcheck (Azure infrastructure checks)")
    for option in OPTIONS:
        if option.cli:
            kwargs: dict[str, Any] = {"dest": option.name_for_dest(), "help": option.help}
            if option.kind == "bool":
                kwargs["action"] = "store_true"
                kwargs["default"] = None
            elif option.kind in ("paths", "list"):
                kwargs["action"] = "append"
                kwargs["metavar"] = option.metavar
            else:
                kwargs["metavar"] = option.metavar
                if option.choices:
                    kwargs["choices"] = option.choices
            group.addoption(option.flag, **kwargs)
        parser.addini(option.ini, option.help, type=option.ini_type, default=_ini_default(option))


def _ini_default(option: Any) -> Any:
    if option.ini_type in ("paths", "linelist"):
        return []
    if option.ini_type == "bool":
        return False
    return option.default or ""


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from . import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


def pytest_configure(config: pytest.Config) -> None:
    from .reports import Reporting
    from .session import MARKERS, CloudcheckSession
    from .settings import Settings

    if any(str(arg).startswith("--cloudcheck-") for arg in config.invocation_params.args) or os.environ.get(
        "PYTEST_ADDOPTS"
    ):
        from .rootdir import check_rootdir

        check_rootdir(config)  # never a rootdir or ini file from an input's folder
    for description in MARKERS.values():
        config.addinivalue_line("markers", description)
    settings = Settings.from_pytest(config)
    settings.cache = getattr(config, "cache", None)  # absent under -p no:cacheprovider
    state = config.stash[SESSION] = CloudcheckSession(settings)
    workerinput = getattr(config, "workerinput", {})
    if workerinput.get(HANDOFF):  # an xdist worker: build from the controller's loaded sources
        state.handoff_in = Path(workerinput[HANDOFF])
        state.served_in = workerinput.get(SERVED)
        state.check_ids_in = workerinput.get(CHECK_IDS)
    reporting = config.stash[REPORTING] = Reporting.from_settings(settings)  # reads the waivers: bad -> usage error
    config.pluginmanager.register(reporting, "cloudcheck-reporting")  # gathers results (on the xdist controller)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    # Load once, up front, so a bad input stops the run with one line before anything is
    # collected or run (and no cloudcheck test can pass). Without a source nothing is read.
    from .fixtures import overriding_credential

    state = session.config.stash[SESSION]
    # the xdist controller reads the sources once and hands them to its workers (pytest_configure_node)
    state.hand_off = session.config.pluginmanager.has_plugin("dsession")
    if state.served_in is not None:
        return  # a served worker: its baseline cases read their findings; it loads when a test needs to
    args = [str(arg) for arg in session.config.args]
    if state.hand_off and state.settings.has_source:
        from .served import names_baseline

        state.baseline_only = bool(args) and all(names_baseline(arg) for arg in args)
    needs_credential = "live" in state.settings.source_kinds and state.handoff_in is None
    if needs_credential and state.settings.credential is None:
        # live Azure is read before fixtures run: a conftest.py gives the credential through the hook,
        # or overrides the cloudcheck_credential fixture (then called here, once)
        state.settings.credential = session.config.hook.pytest_cloudcheck_credential(
            config=session.config
        ) or overriding_credential(session)
    try:
        state.load()
    except CloudcheckError as exc:
        raise pytest.UsageError(f"cloudcheck: {exc}") from None
    if state.hand_off and state.inventory is not None:
        from .checks.registry import FAMILIES
        from .served import Served, expected

        functions = {family.name: family.baseline for family in FAMILIES if family.baseline}
        state.served = Served.create(list(functions))
        option = session.config.option
        state.expected = expected(functions, args, option.keyword or "", option.markexpr or "")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist (controller): each worker gets the path of the loaded sources, not a second read of Azure."""
    state = node.config.stash.get(SESSION, None)
    if state is not None and state.handoff_out is not None:
        node.workerinput[HANDOFF] = str(state.handoff_out.path)
    if state is not None and state.served is not None:
        from .checks.registry import FAMILIES

        node.workerinput[SERVED] = state.served.worker_input()
        node.workerinput[CHECK_IDS] = {f.name: list(state.baseline_ids(f)) for f in FAMILIES if f.baseline}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """xdist (controller): a worker's tests are known; work out what their baseline cases read
    (before any test is sent)."""
    state = node.config.stash.get(SESSION, None)
    if state is not None:
        state.select(ids)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist (controller), `--dist load`: a baseline family's cases go to one worker (distribute.py)."""
    state = config.stash.get(SESSION, None)
    if config.getvalue("dist") != "load" or state is None or not state.settings.has_source:
        return None  # xdist's own scheduler
    from .distribute import FamilyScheduling

    return FamilyScheduling(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    """xdist (controller): its workers are started; work out the baseline's expected families and
    the terminal summary's facts meanwhile."""
    state = session.config.stash.get(SESSION, None)
    if state is not None and state.inventory is not None and state.hand_off:
        from .summary import Ahead

        if state.served is not None:  # while the workers start
            state.served.compute(state.inventory, state.expected)
        state.summary_ahead = Ahead(state.inventory)


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(SESSION, None)
    if state is not None and state.served is not None:
        state.served.close()
    if state is not None and state.handoff_out is not None:
        state.handoff_out.close()


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    state = config.stash.get(SESSION, None)
    if state is None or state.inventory is None:
        return None
    from .reports.ledger import header_lines

    described = "; ".join(s.describe() for s in state.inventory.sources)
    return [f"cloudcheck: {described}", *header_lines(state.inventory)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "resource" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("resources")
    state = metafunc.config.stash[SESSION]
    inventory = state.load() if marker is not None else None  # a served xdist worker loads it here
    if marker is None or inventory is None:
        return  # reported as a usage error once collection is done
    from .session import parse_marker

    where = metafunc.definition.nodeid
    try:
        types, env = parse_marker("resources", marker.args, marker.kwargs, where)
        env_marker = metafunc.definition.get_closest_marker("environment")
        if env_marker is not None:
            env = parse_marker("environment", env_marker.args, env_marker.kwargs, where)
        matching = inventory.resources(*types, env=env)
    except ConfigurationError:
        return  # re-raised with the test's name in pytest_collection_modifyitems
    from .azure_types import resolve_types
    from .incomplete import UNREAD_ID, unread_for

    unread = unread_for(inventory, resolve_types(types, extra_known=inventory.types), env)
    if matching or unread:
        # a coverage gap that may hide resources of these types is one more case, failing with it
        params = [pytest.param(r, id=r.address) for r in matching]
        params += [pytest.param(unread, id=UNREAD_ID)] if unread else []
        metafunc.parametrize("resource", params, indirect=True)
    else:
        wanted = ", ".join(types) + (f" in {env}" if env else "")
        metafunc.parametrize(
            "resource",
            [pytest.param(None, marks=pytest.mark.skip(reason=f"no {wanted} resources in the inventory"))],
            ids=["no-matching-resources"],
            indirect=True,
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from .session import usage_errors

    state = config.stash[SESSION]
    if state.served_in is not None and not all(_is_baseline_case(item) for item in items):
        state.load()  # a served xdist worker with tests besides the baseline's: they may read it
    errors = usage_errors(state, items)
    if errors:  # every one at once: a squad fixes its markers in one go
        more = f"{len(errors)} usage errors:\n  " if len(errors) > 1 else ""
        raise ConfigurationError(more + "\n  ".join(errors))


def _is_baseline_case(item: pytest.Item) -> bool:
    # a worker has the items (baseline/test_baseline.py marks its functions); the controller has only
    # node ids (distribute.baseline_family)
    return hasattr(getattr(item, "function", None), "cloudcheck_family")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, None]:
    from .asserted import Sink, asserted_findings

    sink = Sink()
    token = asserted_findings.set(sink)
    try:
        yield
    finally:
        asserted_findings.reset(token)
        if sink:
            item.config.stash[SESSION].asserted[item.nodeid] = sink


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Generator[None, Any, Any]:
    """A test that read an incomplete scope (coverage ledger) and asserted on no findings fails."""
    inventory = pyfuncitem.config.stash[SESSION].inventory
    if inventory is None or not inventory.ledger:
        return (yield)
    from .asserted import asserted_findings
    from .incomplete import Unread, gaps_read_by, incomplete_error

    sink = asserted_findings.get()
    unread = pyfuncitem.funcargs.get("resource")
    if isinstance(unread, Unread) and sink is not None:  # the `cloudcheck-unread` case: nothing to run on
        findings, error = incomplete_error(list(unread.gaps))
        sink.append(findings)
        raise error
    result = yield
    if sink is None or sink:
        return result  # not a cloudcheck test, or its checks' findings speak for its scope
    gaps = gaps_read_by(pyfuncitem.fixturenames, pyfuncitem.funcargs, inventory)
    if gaps:
        findings, error = incomplete_error(gaps)
        sink.append(findings)
        raise error
    return result


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """A failed assertion is a finding: one finding a line; AUDIT / WAIVED do not fail (outcomes.py)."""
    from .outcomes import on_report

    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    on_report(item, call, report, _outcome_context(item.config))


@pytest.hookimpl(tryfirst=True, specname="pytest_runtest_makereport")
def pytest_runtest_makereport_of_findings(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport | None:
    """A failure whose text will be its findings: the report without pytest's traceback (outcomes.py)."""
    if call.excinfo is None:
        return None
    from .outcomes import report_of_findings

    return report_of_findings(item, call, _outcome_context(item.config))


def _outcome_context(config: pytest.Config) -> Context:
    from .outcomes import Context

    state = config.stash[SESSION]
    return Context(state.settings.mode, config.stash[REPORTING].waivers, state.inventory, state.asserted)


@pytest.hookimpl(wrapper=True)
def pytest_report_to_serializable(config: pytest.Config, report: Any) -> Generator[None, Any, Any]:
    """xdist (worker): the report's cloudcheck record travels as one JSON string. It is plain JSON
    data, and execnet's own encoding, written in Python, took ~0.4 s for a 50k plan's findings."""
    data = yield
    record = data.get("cloudcheck") if isinstance(data, dict) else None
    if isinstance(record, dict):
        import json

        data["cloudcheck"] = {"json": json.dumps(record)}
    return data


@pytest.hookimpl(wrapper=True)
def pytest_report_from_serializable(config: pytest.Config, data: Any) -> Generator[None, Any, Any]:
    """xdist (controller): the record as the worker made it."""
    report = yield
    packed = getattr(report, "cloudcheck", None)
    if isinstance(packed, dict) and list(packed) == ["json"]:
        import json

        report.cloudcheck = json.loads(packed["json"])
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> tuple[str, str, str] | None:
    if not hasattr(report, "cloudcheck"):
        return None  # not a cloudcheck test: pytest's own status
    from .outcomes import teststatus

    return teststatus(report)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    state = session.config.stash.get(SESSION, None)
    if state is not None and state.inventory is not None:
        # The inventory and the facts derived from it live until the process ends: keep pytest's
        # closing garbage collections (several full passes) from walking all of it again.
        gc.freeze()
    if hasattr(session.config, "workerinput") or REPORTING not in session.config.stash:
        return  # an xdist worker: the controller writes the reports
    session.exitstatus = session.config.stash[REPORTING].finish(session, exitstatus)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """List data-bearing resources no CMK rule covers: never silently assessed as fine."""
    reporting = config.stash.get(REPORTING, None)
    summary = reporting.summary_lines() if reporting is not None else []
    if summary:
        terminalreporter.section("cloudcheck", sep="-")
        for line in summary:
            terminalreporter.line(line, red=line.startswith(("EXPIRED", "WAIVERS OVER SHARE")))
    state = config.stash.get(SESSION, None)
    if state is None or state.inventory is None or hasattr(config, "workerinput"):
        return  # an xdist worker's terminal is not shown: the controller writes these lines
    facts = state.summary_ahead.result() if state.summary_ahead is not None else None
    if facts is None:
        from .summary import inventory_summary

        facts = inventory_summary(state.inventory)
    if facts.cmk_not_assessed:
        terminalreporter.section("cloudcheck: not assessed", sep="-")
        count = len(facts.cmk_not_assessed)
        terminalreporter.line(f"{count} data-bearing resource(s) whose type has no CMK rule yet (not a pass):")
        _list_resources(terminalreporter, facts.cmk_not_assessed, "cmk.not_assessed")
    if facts.sla_not_assessed:
        terminalreporter.section("cloudcheck: SLA not assessed", sep="-")
        count = len(facts.sla_not_assessed)
        terminalreporter.line(f"{count} Prod service(s) whose type has no row in the SLA table (not a pass):")
        _list_resources(terminalreporter, facts.sla_not_assessed, "sla.not_assessed")
    for line in facts.environment_lines:
        terminalreporter.write_line(line)


def _list_resources(terminalreporter: Any, resources: list[Any], check: str, limit: int = 10) -> None:
    """The first `limit` resources a line (a plan of thousands would bury the run's result)."""
    for r in resources[:limit]:
        terminalreporter.line(f"  {r.address} ({r.type})")
    if len(resources) > limit:
        family = check.split(".", 1)[0]
        terminalreporter.line(f"  ... and {len(resources) - limit} more (checks.{family} gives each a {check} finding)")
