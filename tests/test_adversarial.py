"""Attacks on fail-closed behaviour, each with its exact outcome: a one-line error naming the file
and the fix, a finding, or a redaction. Nothing here may pass unseen, leak or show a traceback.

`ATTACKS` counts the attacks (the note of issue 12 quotes it); each test says which it covers.
"""

from __future__ import annotations

import copy
import json
import tempfile
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planbuilder import PlanBuilder, arm_id

from pytest_cloudcheck import checks
from pytest_cloudcheck.environments import unclassified
from pytest_cloudcheck.errors import SourceError
from pytest_cloudcheck.model import SENSITIVE
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

PROD_SUB = "11111111-1111-1111-1111-111111111111"
TEST_SUB = "22222222-2222-2222-2222-222222222222"

ENVELOPE = '{"format_version": "1.2", "terraform_version": "1.11.4", '


def _load(path: Path, **kw: Any):
    return build_inventory(Settings(plan=[path], **kw))


def _error(path: Path, **kw: Any) -> str:
    with pytest.raises(SourceError) as info:
        _load(path, **kw)
    text = str(info.value)
    assert "\n" not in text and "Traceback" not in text
    return text


# -- bad input: one line naming the file and the fix --------------------------------------------


def _storage(name: str = "st") -> dict[str, Any]:
    return {
        "address": f"azurerm_storage_account.{name}",
        "mode": "managed",
        "type": "azurerm_storage_account",
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/azurerm",
        "change": {"actions": ["create"], "after": {"name": name}, "after_unknown": {}, "after_sensitive": {}},
    }


BAD_PLANS: dict[str, tuple[str, str]] = {
    # attack: text of the file -> (message part, fix part)
    "integer over 4,300 digits": (
        ENVELOPE + '"resource_changes": [], "x": ' + "9" * 5000 + "}",
        "holds an integer of more than 4,300 digits, which Terraform does not write; regenerate it",
    ),
    "invalid JSON escape in a reference": (
        ENVELOPE + '"resource_changes": [], "configuration": {"r": ["a\\qb"]}}',
        "invalid JSON (Invalid \\escape at line 1 column",
    ),
    "lone surrogate in an address": (
        ENVELOPE + '"resource_changes": [' + json.dumps(_storage()).replace("storage_account.st", "x.\\ud800") + "]}",
        "holds a lone UTF-16 surrogate escape (\\ud800), which no text can hold; regenerate the file",
    ),
    "errored given as a string": (
        json.dumps({"format_version": "1.2", "errored": "true", "resource_changes": [_storage()]}),
        "is a plan that errored (`terraform plan` failed); fix the plan first",
    ),
    "only terraform_data": (
        json.dumps(
            {
                "format_version": "1.2",
                "resource_changes": [
                    {**_storage(), "address": "terraform_data.x", "type": "terraform_data", "name": "x"}
                ],
            }
        ),
        "holds no Azure resources (1 of other types: terraform_data); point cloudcheck at an Azure configuration",
    ),
    "only AWS": (
        json.dumps(
            {
                "format_version": "1.2",
                "resource_changes": [
                    {**_storage(), "address": "aws_s3_bucket.b", "type": "aws_s3_bucket", "name": "b"},
                    {**_storage(), "address": "aws_kms_key.k", "type": "aws_kms_key", "name": "k"},
                ],
            }
        ),
        "holds no Azure resources (2 of other types: aws_kms_key, aws_s3_bucket)",
    ),
}


@pytest.mark.parametrize("attack", sorted(BAD_PLANS))
def test_bad_plan_is_one_line_naming_the_file_and_the_fix(tmp_path: Path, attack: str) -> None:
    text, expected = BAD_PLANS[attack]
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    message = _error(path)
    assert message.startswith(str(path)) and expected in message


def test_no_azure_resources_is_allowed_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(BAD_PLANS["only terraform_data"][0])
    assert [r.type for r in _load(path, allow_empty=True)] == ["terraform_data"]


@pytest.mark.parametrize("errored", [False, "false", None])
def test_a_plan_that_did_not_error_loads(tmp_path: Path, errored: Any) -> None:
    path = tmp_path / "plan.json"
    doc: dict[str, Any] = {"format_version": "1.2", "resource_changes": [_storage()]}
    if errored is not None:
        doc["errored"] = errored
    path.write_text(json.dumps(doc))
    assert [r.address for r in _load(path)] == ["azurerm_storage_account.st"]


# -- leaks: malformed sensitivity marks redact the whole value ----------------------------------

SECRET = "hunter2-correct-horse"


@pytest.mark.parametrize(
    ("marks", "redacted"),
    [
        (1, "all"),
        ("true", "all"),
        ([True], "all"),  # a list where the object is expected
        ({"tags": 1}, "tags"),
        ({"tags": "true"}, "tags"),
        ({"tags": [True]}, "tags"),
        ({"tags": {"owner": "yes"}}, "owner"),
    ],
)
def test_malformed_after_sensitive_marks_redact_the_whole_value(tmp_path: Path, marks: Any, redacted: str) -> None:
    entry = _storage()
    entry["change"]["after"] = {"name": "st", "tags": {"environment": "prod", "owner": SECRET}}
    entry["change"]["after_sensitive"] = marks
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"format_version": "1.2", "resource_changes": [entry]}))
    (r,) = _load(path)
    assert SECRET not in repr(r.values)
    if redacted == "all":
        assert r.values == {}
    elif redacted == "tags":
        assert r.values["tags"] is SENSITIVE
    else:
        assert r.values["tags"] == {"environment": "prod", "owner": SENSITIVE}


mark_values = st.recursive(
    st.one_of(st.booleans(), st.none(), st.integers(-2, 2), st.text(max_size=3)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["tags", "owner"]), inner)),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marks=mark_values)
def test_no_mark_shape_prints_a_value_it_marks(marks: Any) -> None:
    # whatever shape the owner's mark has, a value under a mark that is not plainly false is gone
    entry = _storage()
    entry["change"]["after"] = {"name": "st", "tags": {"owner": SECRET}}
    entry["change"]["after_sensitive"] = {"tags": {"owner": marks}}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        path.write_text(json.dumps({"format_version": "1.2", "resource_changes": [entry]}))
        (r,) = _load(path)
    # the value is a string: only `false` (or no mark) leaves it; any other shape is unreadable
    assert (SECRET in repr(r.values)) == (marks is False or marks is None)


# -- over-redaction: a secret equal to a tag hides nothing elsewhere -----------------------------


def _landing(env: str, sub: str, cidr: str, secret: str | None = None) -> PlanBuilder:
    plan = PlanBuilder().provider(sub)
    tag = {"environment": "prod" if env == "p" else "test"}
    common = {"resource_group_name": f"rg-{env}", "location": "westeurope", "tags": tag}
    plan.resource("azurerm_resource_group.rg", {"name": f"rg-{env}", "location": "westeurope", "tags": tag})
    plan.resource("azurerm_virtual_network.vnet", {"name": f"vnet-{env}", "address_space": [cidr], **common})
    # Prod: a Cool LRS account (99% < 99.5%: sla); NonProd: geo-redundant (nonprod_cost)
    cool = {"account_replication_type": "LRS", "access_tier": "Cool"}
    storage = cool if env == "p" else {"account_replication_type": "GRS"}
    plan.resource("azurerm_storage_account.data", {"name": f"st{env}data", **storage, **common}, unknown=["id"])
    if secret is not None:
        plan.resource(
            "azurerm_mssql_server.sql",
            {"name": f"sql-{env}", "administrator_login_password": secret, **common},
            sensitive=["administrator_login_password"],
            unknown=["id"],
        )
    return plan


def _peered(nonprod: PlanBuilder) -> PlanBuilder:
    nonprod.resource(
        "azurerm_virtual_network_peering.to_prod",
        {
            "name": "to_prod",
            "resource_group_name": "rg-t",
            "virtual_network_name": "vnet-t",
            "remote_virtual_network_id": arm_id(PROD_SUB, "rg-p", "Microsoft.Network/virtualNetworks", "vnet-p"),
        },
        unknown=["id"],
    )
    return nonprod


def test_a_password_equal_to_a_tag_value_hides_no_environment(tmp_path: Path) -> None:
    # the nonprod SQL password is "test": tags elsewhere stay readable, the peering is still found
    prod = _landing("p", PROD_SUB, "10.1.0.0/16").write(tmp_path / "prod.json")
    nonprod = _peered(_landing("t", TEST_SUB, "10.2.0.0/16", secret="test")).write(tmp_path / "nonprod.json")
    inventory = build_inventory(Settings(plan=[prod, nonprod]))
    assert {r.address: r.environment for r in inventory if r.type == "azurerm_resource_group"} == {
        "prod:azurerm_resource_group.rg": "prod",
        "nonprod:azurerm_resource_group.rg": "nonprod",
    }
    sql = inventory.get("azurerm_mssql_server.sql")
    assert sql is not None and sql.values["administrator_login_password"] is SENSITIVE
    assert [f.address for f in checks.nonprod_isolation(inventory)] == ["azurerm_virtual_network_peering.to_prod"]


# -- property: making a value unknown or sensitive never removes a finding ------------------------


def _findings(inventory: Any) -> Counter[str]:
    """Findings per family (a finding may move, e.g. from a workload's group to the resource that
    made its composite unknown, or change kind from violation to unknown; it may not vanish)."""
    found = [f.check for family in checks.ALL.values() for f in family(inventory)]
    return Counter(check.split(".", 1)[0] for check in [*found, *(f.check for f in unclassified(inventory))])


_PROD = _landing("p", PROD_SUB, "10.1.0.0/16").to_dict()
_NONPROD = _peered(_landing("t", TEST_SUB, "10.2.0.0/16")).to_dict()


def _leaves(doc: dict[str, Any]) -> list[tuple[int, tuple[str, ...]]]:
    out = []
    for i, rc in enumerate(doc["resource_changes"]):
        stack: list[tuple[tuple[str, ...], Any]] = [((), rc["change"]["after"])]
        while stack:
            path, value = stack.pop()
            if isinstance(value, dict) and value:
                stack += [((*path, k), v) for k, v in value.items()]
            elif path:
                out.append((i, path))
    return sorted(out)


def _mutated(doc: dict[str, Any], index: int, path: tuple[str, ...], how: str) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    change = doc["resource_changes"][index]["change"]
    marks = change["after_unknown" if how == "unknown" else "after_sensitive"]
    for step in path[:-1]:
        marks = marks.setdefault(step, {}) if isinstance(marks, dict) else marks
    if isinstance(marks, dict):
        marks[path[-1]] = True
    if how == "unknown":
        after = change["after"]
        for step in path[:-1]:
            after = after[step]
        after.pop(path[-1], None)
        # as Terraform shows it: the configuration sets the attribute from a value known after apply
        # (an unknown the configuration does not set is the provider's computed default)
        address = doc["resource_changes"][index]["address"]
        config = next(c for c in doc["configuration"]["root_module"]["resources"] if c["address"] == address)
        config["expressions"][path[0]] = {"references": ["terraform_data.later.output", "terraform_data.later"]}
    doc.pop("planned_values", None)  # planned_values repeats resource_changes; not read when both exist
    return doc


def _run(prod: dict[str, Any], nonprod: dict[str, Any]) -> Counter[str]:
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / "prod.json", Path(folder) / "nonprod.json"]
        for path, doc in zip(paths, (prod, nonprod), strict=True):
            path.write_text(json.dumps(doc))
        return _findings(build_inventory(Settings(plan=paths)))


_BASELINE = None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_making_any_value_unknown_or_sensitive_never_removes_a_finding(data: st.DataObject) -> None:
    global _BASELINE
    if _BASELINE is None:
        _BASELINE = _run(_PROD, _NONPROD)
        assert _BASELINE["isolation"] == 1 and _BASELINE["cmk"] == 2
        assert _BASELINE["sla"] == 2 and _BASELINE["cost"] == 1  # the Cool account and its workload; GRS
    which = data.draw(st.sampled_from(["prod", "nonprod"]))
    doc = _PROD if which == "prod" else _NONPROD
    index, path = data.draw(st.sampled_from(_leaves(doc)))
    how = data.draw(st.sampled_from(["unknown", "sensitive"]))
    mutated = _mutated(doc, index, path, how)
    after = _run(mutated, _NONPROD) if which == "prod" else _run(_PROD, mutated)
    assert {family: after[family] for family in _BASELINE if after[family] < _BASELINE[family]} == {}


# -- our fixtures are ours -----------------------------------------------------------------------


def test_a_conflicting_resource_fixture_is_a_usage_error_naming_both(pytester: pytest.Pytester) -> None:
    plan = PlanBuilder()
    plan.resource("azurerm_storage_account.public", {"name": "public", "public_network_access_enabled": True})
    plan.write(pytester.path / "plan.json")
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def resource(request):
            return None
        """
    )
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.resources("azurerm_storage_account")
        def test_private(resource):
            assert resource is None or not resource.get("public_network_access_enabled")
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "plan.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: test_a_conflicting_resource_fixture_is_a_usage_error_naming_both.py::test_private*: the fixture "
            "`resource` is defined twice: by pytest-cloudcheck (*pytest_cloudcheck/fixtures.py:*) and by "
            "conftest.py:3; rename yours*"
        ]
    )


# -- Markdown: user text cannot break out of its code span or table ------------------------------


def test_a_newline_in_a_for_each_key_stays_inside_its_code_span() -> None:
    from pytest_cloudcheck.reports import markdown
    from pytest_cloudcheck.reports.grouping import group

    finding = {
        "check": "cmk.storage_account",
        "address": 'azurerm_storage_account.s["a\n| injected | row |\n`x`"]',
        "message": "uses a Microsoft-managed key <img src=x>\n## heading",
        "kind": "violation",
        "origin": None,
        "related": [],
        "controls": [],
        "outcome": "failed",
        "waiver": None,
        "expired_waiver": None,
        "tests": [],
    }
    lines = markdown._findings(group([finding]), compact=False)
    (line,) = [line for line in lines if line.startswith("- **FAIL**")]
    assert line == (
        "- **FAIL** `azurerm_storage_account.s[\"a \\| injected \\| row \\| 'x'\"]`: "
        "uses a Microsoft-managed key &lt;img src=x&gt; \\#\\# heading"
    )


# -- coverage: a registry module is never a silent pass ------------------------------------------


def test_a_registry_module_makes_every_check_not_assessed(pytester: pytest.Pytester) -> None:
    (pytester.path / "infra").mkdir()
    (pytester.path / "infra" / "main.tf").write_text(
        textwrap.dedent(
            """
            resource "azurerm_resource_group" "rg" {
              name = "rg-p"
              tags = { environment = "prod" }
            }
            module "hub" {
              source = "Azure/avm-ptn-hubnetworking/azurerm"
            }
            """
        )
    )
    pytester.makepyfile(
        """
        from pytest_cloudcheck import checks

        def test_all(cloud):
            found = {name: check(cloud) for name, check in checks.ALL.items()}
            assert all(found.values())  # truth-tests them: the checks speak for the scope
            for name, findings in found.items():
                assert any(f.address == "module.hub" and f.kind == "not_assessed" for f in findings), name
        """
    )
    result = pytester.runpytest("--cloudcheck-hcl", "infra")
    result.assert_outcomes(passed=1)


#: attacks in this module (each parametrised case and each property counts once)
ATTACKS = len(BAD_PLANS) + 1 + 3 + 7 + 1 + 1 + 1 + 1 + 1 + 1
