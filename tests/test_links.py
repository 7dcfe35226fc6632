"""`links.tf_get`: every value at a dotted Terraform path of a resource's values.

A path of one attribute (`virtual_network_name`) takes a shortcut; it must give what the walk gives.
The walk itself answers the same attribute one step further down: `a` of `values` is `w.a` of
`{"w": values}`, which the shortcut never serves.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudcheck.links import tf_get
from pytest_cloudcheck.model import SENSITIVE, UNKNOWN

KEYS = ("a", "b", "name")
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(["", "x", "id-1"]),
    st.just(UNKNOWN),
    st.just(SENSITIVE),
)
values = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)),
    max_leaves=12,
)


def _same(got: list[Any], want: list[Any]) -> bool:
    return len(got) == len(want) and all(g is w or g == w for g, w in zip(got, want, strict=True))


@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=3), st.sampled_from(KEYS))
def test_one_attribute_reads_what_the_walk_reads(resource_values: dict[str, Any], attribute: str) -> None:
    got = tf_get(resource_values, attribute)
    walked = tf_get({"w": resource_values}, f"w.{attribute}")
    assert _same(got, walked), (attribute, got, walked)


@given(values, st.lists(st.sampled_from(KEYS), min_size=1, max_size=3).map(".".join))
def test_any_value_and_path_reads_as_one_step_further_down(node: Any, path: str) -> None:
    assert _same(tf_get(node, path), tf_get({"w": node}, f"w.{path}"))


def test_tf_get_examples() -> None:
    subnet = {
        "name": "app",
        "address_prefixes": ["10.0.0.0/24", "10.0.1.0/24"],
        "delegation": [{"name": "d1"}, {"name": "d2"}, {"other": 1}],
    }
    assert tf_get(subnet, "name") == ["app"]
    assert tf_get(subnet, "address_prefixes") == ["10.0.0.0/24", "10.0.1.0/24"]  # a list gives its elements
    assert tf_get(subnet, "delegation.name") == ["d1", "d2"]  # every block of a list of blocks
    assert tf_get(subnet, "missing") == []
    assert tf_get(subnet, "name.deeper") == []
    assert tf_get({"id": UNKNOWN}, "id") == [UNKNOWN]
    assert tf_get({"block": UNKNOWN}, "block.key_id") == [UNKNOWN]  # unknown stays unknown, never absent
    assert tf_get({"blocks": [SENSITIVE, {"key_id": "k"}]}, "blocks.key_id") == [SENSITIVE, "k"]
