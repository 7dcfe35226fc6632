"""Every check survives what real plans contain: values unknown at plan time, nulls and odd shapes.

The non-compliant example plans are mutated at random (an attribute made unknown, null, an empty
list or dict, wrapped in a list, or a string); every check, `checks.unclassified` and the topology picture must still
return findings, never raise. (A crash is not a pass, but it is not a readable finding either.)
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudcheck import Finding, checks
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory
from pytest_cloudcheck.topology import topology_of

PLANS = sorted((EXAMPLES / "noncompliant" / "plans").glob("*.json"))
DOCS = [json.loads(p.read_text()) for p in PLANS]
CHECKS = {**checks.ALL, "unclassified": checks.unclassified}


def _mutate(doc: dict, rng: random.Random) -> dict:
    doc = copy.deepcopy(doc)
    for rc in doc["resource_changes"]:
        after = rc["change"].get("after")
        if not after or rng.random() < 0.6:
            continue
        key = rng.choice(sorted(after))
        choice = rng.random()
        if choice < 0.4:
            after.pop(key)
            rc["change"].setdefault("after_unknown", {})[key] = True
        elif choice < 0.6:
            after[key] = None
        elif choice < 0.7:
            after[key] = {} if isinstance(after[key], list) else []
        elif choice < 0.8:
            after[key] = [after[key]]  # a list where a value was (`zone = ["1"]`, a list in a list)
        else:
            after[key] = "x"
    return doc


@pytest.mark.skipif(not PLANS, reason="no non-compliant example plans")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False))
def test_checks_never_raise_on_mutated_plans(tmp_path: Path, rng: random.Random) -> None:
    paths = []
    for plan, doc in zip(PLANS, DOCS, strict=True):
        path = tmp_path / plan.name
        path.write_text(json.dumps(_mutate(doc, rng)))
        paths.append(path)
    inventory = build_inventory(Settings(plan=paths))
    for name, check in CHECKS.items():
        findings = check(inventory)
        assert all(isinstance(f, Finding) and f.check and "\n" not in f.message for f in findings), name
    topo = topology_of(inventory)
    if not topo.hub_problem:
        assert topo.mermaid(checks.hub_and_spoke(inventory)).startswith("flowchart")
