"""`links.tf_get`: every value at a dotted Terraform path of a resource's values.

The one-attribute path (`virtual_network_name`) has a shortcut; it must give what the walk gives.
The walk's rules, written out as the test's own reference: a step reads the key of an object,
steps into every block of a list of blocks, and keeps an unknown or sensitive value as it is;
at the end a list value gives its elements.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudcheck.links import tf_get
from pytest_cloudcheck.model import SENSITIVE, UNKNOWN

KEYS = ("a", "b", "name")
leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from(["", "x", "id-1"]), st.just(UNKNOWN), st.just(SENSITIVE)
)
values = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)),
    max_leaves=12,
)
paths = st.lists(st.sampled_from(KEYS), min_size=1, max_size=3).map(".".join)


def reference(node: Any, path: str) -> list[Any]:
    current = [node]
    for step in path.split("."):
        following: list[Any] = []
        for value in current:
            if value is UNKNOWN or value is SENSITIVE:
                following.append(value)
            elif isinstance(value, dict):
                if step in value:
                    following.append(value[step])
            elif isinstance(value, list):
                following += [e if e is UNKNOWN or e is SENSITIVE else e[step] for e in value if _has(e, step)]
        current = following
    return [e for value in current for e in (value if isinstance(value, list) else [value])]


def _has(element: Any, step: str) -> bool:
    return element is UNKNOWN or element is SENSITIVE or (isinstance(element, dict) and step in element)


@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=3), paths)
def test_tf_get_reads_what_the_walk_reads(resource_values: dict[str, Any], path: str) -> None:
    got = tf_get(resource_values, path)
    want = reference(resource_values, path)
    assert len(got) == len(want) and all(g is w or g == w for g, w in zip(got, want, strict=True)), (path, got, want)


@given(values, paths)
def test_tf_get_on_any_value(node: Any, path: str) -> None:
    assert tf_get(node, path) == reference(node, path)


def test_tf_get_examples() -> None:
    subnet = {
        "name": "app",
        "address_prefixes": ["10.0.0.0/24", "10.0.1.0/24"],
        "delegation": [{"name": "d1"}, {"name": "d2"}],
    }
    assert tf_get(subnet, "name") == ["app"]
    assert tf_get(subnet, "address_prefixes") == ["10.0.0.0/24", "10.0.1.0/24"]
    assert tf_get(subnet, "delegation.name") == ["d1", "d2"]
    assert tf_get(subnet, "missing") == []
    assert tf_get({"id": UNKNOWN}, "id") == [UNKNOWN]
    assert tf_get({"block": UNKNOWN}, "block.key_id") == [UNKNOWN]
