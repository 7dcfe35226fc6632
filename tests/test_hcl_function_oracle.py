"""The HCL evaluator against Terraform's own answers: every case of tests/oracle/function_cases.py,
answered by `terraform console` (tests/oracle/gen_function_oracle.py) and committed in
tests/oracle/function_oracle.json. The committed answers always run; where terraform is on PATH
a sample is asked again, so the file cannot drift from the real thing."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pytest_cloudcheck.model import SENSITIVE, UNKNOWN
from pytest_cloudcheck.sources.hcl.eval import evaluate
from pytest_cloudcheck.sources.hcl.functions import FUNCTIONS, LAZY, Marked
from pytest_cloudcheck.sources.hcl.instances import LoadContext, ModuleInstance
from pytest_cloudcheck.sources.hcl.modules import load_module_tree
from pytest_cloudcheck.sources.hcl.parse import ParseStats, parse_text
from pytest_cloudcheck.sources.hcl.values import unmark_deep

ORACLE = Path(__file__).parent / "oracle"
DOC = json.loads((ORACLE / "function_oracle.json").read_text(encoding="utf-8"))
CASES = DOC["cases"]

#: where Terraform's answer cannot be given here: ours must then be unknown or an error, never a value
DEVIATIONS = {
    "log(0, 10)": "Terraform answers -Inf; infinities are not values here (an error)",
    "1 / 0": "Terraform answers +Inf; division by zero is an error here",
}

#: where Terraform keeps part of a value known and we give it wholly unknown (never wrong, less precise)
LESS_KNOWN = {
    "toset(local.partial)": "a set with unknown elements: its length is unknown, its known elements are not kept",
}


@pytest.fixture(scope="module")
def scope() -> ModuleInstance:
    tree = load_module_tree(ORACLE / "fixture", None, ParseStats())
    return ModuleInstance(tree.root, tree, "", "", LoadContext("fixture", base_dir=ORACLE / "fixture"))


@pytest.fixture(autouse=True)
def oracle_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", DOC["home"])  # pathexpand() answers were made with this HOME


def value_of(text: str, scope: Any) -> Any:
    return evaluate(parse_text(f"x = {text}\n")["a"]["x"][1], scope)


def same(ours: Any, theirs: Any) -> bool:
    if theirs == {"$unknown": True}:
        return ours is UNKNOWN
    if theirs == {"$sensitive": True}:
        return ours is SENSITIVE or isinstance(ours, Marked)
    if isinstance(theirs, bool) or isinstance(ours, bool):
        return type(ours) is type(theirs) and ours == theirs
    if isinstance(theirs, (int, float)):
        return isinstance(ours, (int, float)) and math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-300)
    if isinstance(theirs, list):
        return isinstance(ours, list) and len(ours) == len(theirs) and all(map(same, ours, theirs))
    if isinstance(theirs, dict):
        return isinstance(ours, dict) and ours.keys() == theirs.keys() and all(same(ours[k], theirs[k]) for k in theirs)
    return type(ours) is type(theirs) and ours == theirs


def verdict(case: dict[str, Any], scope: Any) -> str | None:
    """None when the evaluator gives Terraform's answer, else what differs (one line)."""
    expr, kind = case["expr"], case["kind"]
    flags = case.get("flags", ())
    ours = value_of(expr, scope)
    if "plan" in flags or "gap" in flags or expr in DEVIATIONS or expr in LESS_KNOWN:
        if ours is UNKNOWN or value_of(f"can({expr})", scope) is False:
            return None
        return f"expected unknown (known only at apply / not reproduced), got {ours!r}"
    if kind == "error":
        if value_of(f"can({expr})", scope) is False:
            return None
        return f"Terraform fails ({case['error']}), we give {ours!r}"
    if kind == "unknown":
        return None if ours is UNKNOWN else f"Terraform: unknown, we give {ours!r}"
    if kind == "sensitive":
        if value_of(f"issensitive({expr})", scope) is not True:
            return f"Terraform: sensitive, we give {ours!r}"
        if "value" in case and not same(unmark_deep(ours)[0], case["value"]):
            return f"sensitive value {case['value']!r}, ours {unmark_deep(ours)[0]!r}"
        return None
    return None if same(ours, case["value"]) else f"Terraform: {case['value']!r}, we give {ours!r}"


@pytest.mark.parametrize("family", sorted({c["family"] for c in CASES}))
def test_every_case_gives_terraforms_answer(family: str, scope: ModuleInstance) -> None:
    wrong = [f"{c['expr']}: {why}" for c in CASES if c["family"] == family for why in [verdict(c, scope)] if why]
    assert not wrong, f"{len(wrong)} of {sum(c['family'] == family for c in CASES)} cases differ:\n" + "\n".join(wrong)


def _called(expr: list[Any]) -> set[str]:
    names: set[str] = set()
    if isinstance(expr, list):
        if expr and expr[0] == "F":
            names.add(expr[1].removeprefix("core::"))
        for part in expr:
            names |= _called(part)
    return names


def test_every_builtin_function_is_implemented_and_asked() -> None:
    implemented = set(FUNCTIONS) | set(LAZY)
    missing = sorted(set(DOC["functions"]) - implemented)
    assert not missing, f"Terraform {DOC['terraform']} functions without an implementation: {missing}"
    asked: set[str] = set()
    for case in CASES:
        asked |= _called(parse_text(f"x = {case['expr']}\n")["a"]["x"][1])
    not_asked = sorted(set(DOC["functions"]) - asked - {"rsadecrypt"})
    assert not not_asked, f"functions the oracle never asks about: {not_asked}"


def test_a_function_not_implemented_is_unknown_and_a_gap(scope: ModuleInstance) -> None:
    assert value_of('try(provider::foo::bar("x"), "fallback")', scope) is UNKNOWN
    assert value_of('can(provider::foo::bar("x"))', scope) is UNKNOWN
    assert value_of('{ a = provider::foo::bar("x"), b = 1 }', scope) == {"a": UNKNOWN, "b": 1}
    gaps = [g for g in scope.context.ledger if g.kind == "function"]
    assert any("provider::foo::bar() is not implemented" in g.why for g in gaps)


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_the_committed_answers_are_terraforms(tmp_path: Path) -> None:
    sys.path.insert(0, str(ORACLE))
    try:
        import gen_function_oracle as gen
    finally:
        sys.path.remove(str(ORACLE))
    workdir = tmp_path / "fixture"
    shutil.copytree(ORACLE / "fixture", workdir)
    subprocess.run(
        ["terraform", "init", "-backend=false", "-input=false"],
        cwd=workdir,
        check=True,
        capture_output=True,
        env={**gen.os.environ, "TF_CLI_CONFIG_FILE": gen.os.devnull},
    )
    sample = CASES[:: max(1, len(CASES) // 12)]
    for case in sample:
        again = gen.ask(workdir, case["family"], case["expr"], tuple(case.get("flags", ())))
        if "plan" in case.get("flags", ()):
            continue  # timestamp(), uuid(): a new value on every ask
        assert again == case, f"{case['expr']}: the committed answer is stale; run tests/oracle/gen_function_oracle.py"
