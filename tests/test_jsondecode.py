"""sources/jsondecode.py gives exactly `json.loads`'s result or error, with msgspec or without.

Big inputs take the msgspec path; the threshold is lowered here so small documents take it too.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudcheck.sources import jsondecode
from pytest_cloudcheck.sources.plan import load_plan_file

msgspec = pytest.importorskip("msgspec")


@pytest.fixture(autouse=True)
def fast_for_every_size(monkeypatch):
    monkeypatch.setattr(jsondecode, "FAST_FROM_BYTES", 0)


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (1 is not 1.0; floats bit for bit)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return struct.pack("d", a) == struct.pack("d", b) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def outcome(function: Any, raw: bytes) -> tuple[str, Any]:
    try:
        return "ok", function(raw)
    except (ValueError, RecursionError) as exc:
        return type(exc).__name__, str(exc)


EDGES = [
    b'{"a": 1, "a": 2}',  # the last duplicate wins
    b'{"b": 1, "a": 2, "b": 3}',  # ... in the first one's place
    b"123456789012345678901234567890",  # big ints stay ints
    b"-18446744073709551617",
    b"12345678901234567890.5",
    b"5e-324",
    b"1.7976931348623157e308",
    b"1.5e400",  # inf for json
    b"-0.0",
    b"[NaN, Infinity, -Infinity]",
    b'"\\ud800"',  # a lone surrogate
    b'"\\u00e9\xc3\xa9"',
    b"\xef\xbb\xbf{}",  # byte-order mark
    '{"a": "\u00e9"}'.encode("utf-16"),
    b'"\xff"',  # not UTF-8
    b'{"a": 1}x',
    b"[1,]",
    b'{"a":1,}',
    b'"a\tb"',
    b"0123",
    b"  ",
    b"[" * 5000 + b"]" * 5000,
]


@pytest.mark.parametrize("raw", EDGES, ids=range(len(EDGES)))
def test_edge_cases_decode_as_json_does(raw):
    expected, got = outcome(json.loads, raw), outcome(jsondecode.decode, raw)
    assert expected[0] == got[0]
    assert same(expected[1], got[1])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(json_values, st.booleans())
def test_any_document_decodes_as_json_does(value, ascii_only):
    raw = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert same(json.loads(raw), jsondecode.decode(raw))
    plan = json.dumps({"planned_values": value, "resource_changes": value}, ensure_ascii=ascii_only).encode()
    decoded = jsondecode.decode(plan, {"planned_values": "resource_changes"})
    assert same(json.loads(plan)["resource_changes"], decoded["resource_changes"])


@pytest.mark.parametrize(
    "planned_values",
    [b"[1,]", b'{"a": NaN}', b'"\xff"', b'{"a": 01}', b"{", b'"\\ud800"'],
    ids=["trailing-comma", "nan", "not-utf8", "leading-zero", "cut", "surrogate"],
)
def test_a_skipped_member_is_still_judged_as_json_judges_it(planned_values):
    raw = b'{"format_version": "1.2", "planned_values": ' + planned_values + b', "resource_changes": []}'
    expected, got = (
        outcome(json.loads, raw),
        outcome(lambda r: jsondecode.decode(r, {"planned_values": "resource_changes"}), raw),
    )
    assert expected[0] == got[0]
    if expected[0] != "ok":
        assert expected[1] == got[1]  # the standard library's message


def test_planned_values_is_not_built_when_resource_changes_has_the_plan(tmp_path, plan):
    plan.resource("azurerm_resource_group.rg", {"name": "rg-a", "location": "westeurope"})
    path = plan.write(tmp_path / "p.json")
    raw = path.read_bytes()
    doc = jsondecode.decode(raw, {"planned_values": "resource_changes"})
    assert isinstance(doc["planned_values"], msgspec.Raw)
    assert json.loads(bytes(doc["planned_values"])) == json.loads(raw)["planned_values"]
    assert [r.address for r in load_plan_file(path).resources] == ["azurerm_resource_group.rg"]


def test_a_plan_without_resource_changes_reads_planned_values(tmp_path):
    path = tmp_path / "p.json"
    resource = {"address": "azurerm_resource_group.rg", "mode": "managed", "type": "azurerm_resource_group",
                "name": "rg", "values": {"name": "rg-a"}}  # fmt: skip
    path.write_text(json.dumps({"format_version": "1.2", "planned_values": {"root_module": {"resources": [resource]}}}))
    assert [r.name for r in load_plan_file(path).resources] == ["rg-a"]


ESCAPES = ["\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\uD83D", "\\uDE00", "\\u0041", "\\\\", "x", '\\"']


@given(st.lists(st.sampled_from(ESCAPES), max_size=8))
def test_the_quick_surrogate_search_finds_what_the_full_one_finds(pieces):
    """A plan with no surrogate escape skips the slow pattern; one with any gets the same first lone
    surrogate as the full search of the whole text (a high one followed by a low one is a pair)."""
    from pytest_cloudcheck.sources.plan import _LONE_SURROGATE, _lone_surrogate

    raw = ("".join(pieces)).encode()
    full, quick = _LONE_SURROGATE.search(raw), _lone_surrogate(raw)
    if full is None:
        assert quick is None
    else:
        assert quick is not None and (quick.start(), quick.group()) == (full.start(), full.group())
