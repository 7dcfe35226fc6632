"""The house is one-way: no import cycles, every module imports on its own, the plugin loads light.

Module-level imports only (an import inside a function or under `if TYPE_CHECKING:` runs later or
never, and is how a lower layer names a higher one's types).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pytest_cloudcheck"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If) and not _is_type_checking(node.test):
            pending += [*node.body, *node.orelse]
        elif isinstance(node, ast.Try):
            pending += [*node.body, *node.orelse, *node.finalbody, *(s for h in node.handlers for s in h.body)]
    return found


def _imported(name: str, path: Path) -> set[str]:
    """The package's modules this module imports at module level (a package's __init__ included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            stem = ".".join([*base, *([node.module] if node.module else [])])
            candidates = [stem, *(f"{stem}.{alias.name}" for alias in node.names)]
        for candidate in candidates:
            if candidate in MODULES and candidate != name:
                targets.add(candidate)
                # importing a.b.c runs a/__init__ and a/b/__init__ first
                parent = candidate.rpartition(".")[0]
                while parent and parent != name:
                    targets.add(parent)
                    parent = parent.rpartition(".")[0]
    return targets


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph (first module repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for name in sorted(graph):
        if name not in state and (cycle := visit(name)):
            return cycle
    return None


def test_no_import_cycles() -> None:
    graph = {name: _imported(name, path) for name, path in MODULES.items()}
    # a package's __init__ is run by each of its modules' imports: not an edge back into itself
    graph = {name: {t for t in targets if not name.startswith(t + ".")} for name, targets in graph.items()}
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_the_cycle_finder_finds_cycles_and_the_parser_skips_type_checking_imports() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    guarded = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import x\n")
    assert len(_top_level_imports(guarded)) == 1
    graph = {name: _imported(name, path) for name, path in MODULES.items()}
    assert "pytest_cloudcheck.model" in graph["pytest_cloudcheck.checks.cmk_check"]


#: run in a fresh interpreter: third-party packages preloaded (they are not under test), then one
#: forked child per module of ours, so each starts with none of the package imported
_IMPORT_EACH_ALONE = """
import importlib, os, sys
import pytest, hcl2, lark  # noqa: F401
import azure.identity, azure.core, azure.keyvault.keys, azure.mgmt.resourcegraph  # noqa: F401
assert not [m for m in sys.modules if m.startswith("pytest_cloudcheck")]
failed = []
for name in sys.argv[1:]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            importlib.import_module(name)
        except BaseException as exc:
            os.write(write, f"{name}: {type(exc).__name__}: {exc}".encode())
            os._exit(1)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        error = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status:
        failed.append(error or f"{name}: exit status {status}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_every_module_imports_on_its_own_in_a_fresh_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH_ALONE, *sorted(MODULES)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]


#: what `import pytest_cloudcheck.plugin` may load of the package: the hooks and the fixtures'
#: definitions (the options table loads in pytest_addoption; the model, the sources and the checks
#: with the first source)
LIGHT = {
    "pytest_cloudcheck",
    "pytest_cloudcheck.plugin",
    "pytest_cloudcheck.errors",
    "pytest_cloudcheck.fixtures",
    "pytest_cloudcheck.stash",
}

#: what a pytest run that configures no cloudcheck source loads of the package (options, settings,
#: the session's state and the reporting shell): never the model, a source, a check or a report
WITHOUT_A_SOURCE = LIGHT | {
    "pytest_cloudcheck.option",
    "pytest_cloudcheck.options",
    "pytest_cloudcheck.sources",
    "pytest_cloudcheck.sources.kinds",
    "pytest_cloudcheck.reports",
    "pytest_cloudcheck.reports.writers",
    "pytest_cloudcheck.settings",
    "pytest_cloudcheck.session",
    "pytest_cloudcheck.controls",
    "pytest_cloudcheck.checks",
    "pytest_cloudcheck.checks.registry",
    "pytest_cloudcheck.hookspecs",
    "pytest_cloudcheck.outcomes",
    "pytest_cloudcheck.asserted",
    "pytest_cloudcheck.waivers",
    "pytest_cloudcheck.reports.records",
}


def test_loading_the_plugin_loads_only_what_registering_it_needs() -> None:
    code = (
        "import sys, pytest; before = set(sys.modules); import pytest_cloudcheck.plugin; "
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    ours = {m for m in loaded if m.startswith("pytest_cloudcheck")}
    assert ours <= LIGHT, f"the plugin's import also loads {sorted(ours - LIGHT)}"
    assert not [m for m in loaded if m.split(".")[0] in ("azure", "hcl2", "lark", "ipaddress", "json")]


def test_a_run_without_a_source_loads_no_model_source_or_check(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys

        def test_plain():
            assert 1 + 1 == 2

        def test_zz_report_modules():
            print("LOADED", sorted(m for m in sys.modules if m.startswith("pytest_cloudcheck")))
        """
    )
    result = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    line = next(line for line in result.outlines if "LOADED [" in line)
    loaded = set(ast.literal_eval(line.partition("LOADED ")[2]))
    assert "pytest_cloudcheck.plugin" in loaded
    assert loaded <= WITHOUT_A_SOURCE, f"a run without a source also loads {sorted(loaded - WITHOUT_A_SOURCE)}"


def test_a_plan_run_loads_only_what_it_uses(pytester: pytest.Pytester) -> None:
    """No snapshot or xdist handoff (pickle) without --cloudcheck-snapshot or xdist, no served
    findings outside xdist, no TOML parser or waiver share without a waivers file, no Markdown
    without its report: a plan run pays for the parts it uses (here the baseline's CMK family and
    the terminal summary, as the benchmark runs them)."""
    from planbuilder import PlanBuilder

    plan = PlanBuilder()
    plan.resource("azurerm_storage_account.st", {"name": "st", "tags": {"environment": "prod"}})
    plan.write(pytester.path / "plan.json")
    pytester.makeconftest(
        """
        import sys

        import pytest

        @pytest.hookimpl(trylast=True)  # after the plugin's summary
        def pytest_terminal_summary(terminalreporter):
            loaded = sorted(m for m in sys.modules if m.startswith(("pytest_cloudcheck", "tomllib")))
            terminalreporter.write_line(f"LOADED {loaded}")
        """
    )
    args = ("-p", "no:cacheprovider", "--cloudcheck-plan=plan.json", "--pyargs", "pytest_cloudcheck.baseline")
    result = pytester.runpytest_subprocess(*args, "-k", "test_cmk")
    assert result.parseoutcomes()["failed"] >= 1  # the storage account has no CMK
    line = next(line for line in result.outlines if line.startswith("LOADED ["))
    loaded = set(ast.literal_eval(line.partition("LOADED ")[2]))
    assert "pytest_cloudcheck.checks.cmk_check" in loaded  # the family did run
    assert {"pytest_cloudcheck.reports.terminal", "pytest_cloudcheck.rules.sla"} <= loaded  # and the summary
    unused = {
        "pytest_cloudcheck.sources.snapshot",
        "pytest_cloudcheck.sources.handoff",
        "pytest_cloudcheck.served",
        "pytest_cloudcheck.waiver_share",  # no waivers file: no share to check
        "pytest_cloudcheck.reports.markdown",  # no --cloudcheck-markdown
        "pytest_cloudcheck.rules.sla_checked",  # read by the docs only
        "tomllib",
    }
    assert not loaded & unused, f"a plan run also loads {sorted(loaded & unused)}"
