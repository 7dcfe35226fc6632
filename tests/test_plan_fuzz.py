"""Fuzz the plan loader: every input gives an inventory or one clear SourceError, nothing else."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planbuilder import PlanBuilder

from pytest_cloudcheck import Inventory, SourceError
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory


def _seed_plan() -> dict:
    plan = PlanBuilder()
    plan.provider(subscription_var="sub")
    plan.variable("sub", "11111111-2222-3333-4444-555555555555")
    plan.variable("pw", "fuzz-secret", sensitive=True, default="fuzz-secret")
    plan.resource("azurerm_key_vault_key.k", {"name": "k"}, unknown=["id"])
    plan.resource(
        'module.spoke["a"].azurerm_storage_account.sa[0]',
        {"name": "sa", "tags": {"environment": "prod"}, "customer_managed_key": [{"x": 1}]},
        unknown=["id", "customer_managed_key.0.key_vault_key_id"],
        sensitive=["primary_access_key"],
        refs={"customer_managed_key.key_vault_key_id": ["var.key_id"]},
    )
    plan.resource("azurerm_storage_account.old", {}, action="delete", before={"name": "old"})
    plan.resource("data.azurerm_client_config.c", {"tenant_id": "t"}, action="read")
    plan.module_call("spoke", for_each={"a": 1}, inputs={"key_id": ["azurerm_key_vault_key.k.id"]})
    return plan.to_dict()


SEED = _seed_plan()
SEED_TEXT = json.dumps(SEED).encode()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


ALL_PATHS = [p for p in _paths(SEED) if p]


def _load(tmp_path, data: bytes) -> Inventory | None:
    path = tmp_path / "fuzz.json"
    path.write_bytes(data)
    try:
        inventory = build_inventory(Settings(plan=[path], allow_empty=True))
    except SourceError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        return None
    for r in inventory:  # what checks do with a loaded inventory must not blow up either
        r.references("customer_managed_key.key_vault_key_id")
        _ = (r.subscription_id, r.get("customer_managed_key.key_vault_key_id"), repr(r.values))
    inventory.resources()
    assert "fuzz-secret" not in repr([r.values for r in inventory])
    return inventory


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=len(SEED_TEXT) - 1))
def test_truncated_plans(tmp_path, cut):
    assert _load(tmp_path, SEED_TEXT[:cut]) is None or cut == 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(st.tuples(st.sampled_from(ALL_PATHS), json_values), min_size=1, max_size=4))
def test_mutated_plans(tmp_path, mutations):
    doc = copy.deepcopy(SEED)
    for path, value in mutations:
        node = doc
        try:
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    _load(tmp_path, json.dumps(doc).encode())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0, max_value=len(SEED_TEXT) - 1), byte=st.binary(min_size=1, max_size=3))
def test_corrupted_bytes(tmp_path, position, byte):
    _load(tmp_path, SEED_TEXT[:position] + byte + SEED_TEXT[position + 1 :])
