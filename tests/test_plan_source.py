"""The plan/state source: what real Terraform writes, read right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from planbuilder import PlanBuilder

from pytest_cloudcheck import SENSITIVE, UNKNOWN, SourceError
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory
from pytest_cloudcheck.sources.plan import load_plan_file

SUB = "11111111-2222-3333-4444-555555555555"


def load(*paths: Path, **kw):
    return build_inventory(Settings(plan=list(paths), **kw))


# ---------------------------------------------------------------------------------------------
# addresses, modules, actions


def test_nested_modules_count_and_for_each_addresses(tmp_path, plan):
    plan.resource('module.spoke["a"].module.net[0].azurerm_subnet.this["app"]', {"name": "app"})
    plan.resource('module.spoke["b"].azurerm_storage_account.sa[1]', {"name": "sab"})
    plan.resource("azurerm_resource_group.rg", {"name": "rg"})
    inv = load(plan.write(tmp_path / "p.json"))
    subnet = inv.get('module.spoke["a"].module.net[0].azurerm_subnet.this["app"]')
    assert subnet is not None
    assert subnet.module == 'module.spoke["a"].module.net[0]'
    assert subnet.index == "app"
    assert inv.get('module.spoke["b"].azurerm_storage_account.sa[1]').index == 1
    assert [r.address for r in inv.resources()] == sorted(r.address for r in inv)


def test_planned_state_leaves_out_destroyed_but_keeps_them_visible(tmp_path, plan):
    plan.resource("azurerm_storage_account.kept", {"name": "a"}, action="no-op", before={"name": "a"})
    plan.resource("azurerm_storage_account.changed", {"name": "b2"}, action="update", before={"name": "b"})
    plan.resource("azurerm_storage_account.new", {"name": "c"})
    plan.resource("azurerm_storage_account.swapped", {"name": "d"}, action=["delete", "create"], before={"name": "d"})
    plan.resource("azurerm_storage_account.gone", {}, action="delete", before={"name": "e"})
    inv = load(plan.write(tmp_path / "p.json"))
    actions = {r.address.split(".")[-1]: r.action for r in inv}
    assert actions == {"kept": "no-op", "changed": "update", "new": "create", "swapped": "replace"}
    assert [(r.address, r.action, r.values["name"]) for r in inv.destroyed] == [
        ("azurerm_storage_account.gone", "delete", "e")
    ]
    assert inv.get("azurerm_storage_account.changed").values["name"] == "b2"


def test_data_sources_are_kept_apart(tmp_path, plan):
    plan.resource("data.azurerm_client_config.current", {"tenant_id": "t"}, action="read")
    plan.resource("azurerm_resource_group.rg", {"name": "rg"})
    doc = plan.to_dict()
    doc["prior_state"] = {
        "format_version": "1.0",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "data.azurerm_subscription.this",
                        "mode": "data",
                        "type": "azurerm_subscription",
                        "name": "this",
                        "values": {"subscription_id": SUB},
                        "sensitive_values": {},
                    }
                ]
            }
        },
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc))
    inv = load(path)
    assert [r.address for r in inv] == ["azurerm_resource_group.rg"]
    assert sorted(r.address for r in inv.data_sources) == [
        "data.azurerm_client_config.current",
        "data.azurerm_subscription.this",
    ]
    assert inv.get("data.azurerm_subscription.this").is_data_source


# ---------------------------------------------------------------------------------------------
# unknown and sensitive


def test_unknown_values_are_a_sentinel_never_none(tmp_path, plan):
    plan.resource(
        "azurerm_storage_account.sa",
        {"name": "sa", "customer_managed_key": [{"user_assigned_identity_id": None}], "tags": {"a": "b"}},
        unknown=["id", "customer_managed_key.0.key_vault_key_id", "primary_blob_endpoint"],
    )
    sa = load(plan.write(tmp_path / "p.json")).get("azurerm_storage_account.sa")
    assert sa.values["id"] is UNKNOWN
    assert sa.id is None
    assert sa.get("customer_managed_key.key_vault_key_id") is UNKNOWN
    assert sa.get("customer_managed_key.user_assigned_identity_id") is None
    assert sa.values["primary_blob_endpoint"] is UNKNOWN
    with pytest.raises(TypeError, match="unknown at plan time"):
        bool(sa.values["id"])


def test_sensitive_values_are_redacted_at_load_time(tmp_path, plan):
    plan.resource(
        "azurerm_mssql_server.sql",
        {
            "name": "sql",
            "administrator_login_password": "S3cr3t-from-after",
            "nested": [{"token": "tok-in-block", "plain": "ok"}],
        },
        sensitive=["administrator_login_password", "nested.0.token"],
    )
    plan.variable("sql_password", "S3cr3t-variable-value", sensitive=True, default="S3cr3t-default")
    plan.variable("region", "westeurope")
    inv = load(plan.write(tmp_path / "p.json"))
    sql = inv.get("azurerm_mssql_server.sql")
    assert sql.values["administrator_login_password"] is SENSITIVE
    assert sql.get("nested.token") is SENSITIVE
    assert sql.get("nested.plain") == "ok"
    text = repr([(r.address, r.values) for r in inv]) + repr(sql.values)
    assert "S3cr3t" not in text and "tok-in-block" not in text
    resolver = sql._resolver
    assert "S3cr3t" not in repr(resolver._configuration) + repr(resolver._variables)


def test_no_sensitive_value_reaches_pytest_output(pytester, plan):
    plan.resource(
        "azurerm_mssql_server.sql",
        {"name": "sql", "administrator_login_password": "Hunter2-LEAK"},
        sensitive=["administrator_login_password"],
    )
    plan.variable("pw", "Hunter2-LEAK", sensitive=True, default="Hunter2-LEAK")
    plan.write(pytester.path / "plan.json")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.resources("azurerm_mssql_server")
        def test_show_everything(resource):
            print(resource.values)
            assert resource.values == {}, repr(resource.values)

        def test_dump(cloud):
            assert [r.values for r in cloud] == []
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "plan.json", "-vv", "-rA", "--showlocals", "--junitxml=junit.xml")
    result.assert_outcomes(failed=2)
    output = result.stdout.str() + result.stderr.str() + (pytester.path / "junit.xml").read_text()
    assert "(sensitive)" in output
    assert "Hunter2-LEAK" not in output


# ---------------------------------------------------------------------------------------------
# configuration references


def _linked_plan(plan: PlanBuilder) -> PlanBuilder:
    plan.resource("azurerm_key_vault_key.cmk", {"name": "cmk"}, unknown=["id"])
    plan.resource("azurerm_key_vault_key.other", {"name": "other"}, unknown=["id"])
    for key in ("a", "b"):
        plan.resource(
            f'module.spoke["{key}"].azurerm_storage_account.sa', {"name": f"sa{key}"}, unknown=["id"], refs={}
        )
        plan.resource(
            f'module.spoke["{key}"].azurerm_storage_account_customer_managed_key.sa',
            {},
            unknown=["id", "storage_account_id", "key_vault_key_id"],
            refs={
                "storage_account_id": ["azurerm_storage_account.sa.id", "azurerm_storage_account.sa"],
                "key_vault_key_id": ["var.key_id"],
            },
        )
    plan.module_call("spoke", for_each={"a": 1, "b": 2}, inputs={"key_id": ["module.keys.key_id", "module.keys"]})
    plan.module_call(
        "keys",
        outputs={"key_id": ["var.inner_key"]},
        inputs={"inner_key": ["azurerm_key_vault_key.cmk.id", "azurerm_key_vault_key.cmk"]},
    )
    plan.resource("azurerm_storage_account.root", {"name": "root"}, unknown=["id"])
    plan.resource(
        "azurerm_monitor_diagnostic_setting.diag",
        {},
        unknown=["target_resource_id"],
        refs={"target_resource_id": ['module.spoke["b"].sa_id', 'module.spoke["b"]']},
    )
    plan.module_call("spoke", outputs={"sa_id": ["azurerm_storage_account.sa.id", "azurerm_storage_account.sa"]})
    return plan


def test_references_resolve_through_variables_outputs_and_instances(tmp_path, plan):
    inv = load(_linked_plan(plan).write(tmp_path / "p.json"))
    link_a = inv.get('module.spoke["a"].azurerm_storage_account_customer_managed_key.sa')
    # same module instance only: a's link points at a's account, not b's
    assert link_a.references("storage_account_id") == ['module.spoke["a"].azurerm_storage_account.sa']
    # var.key_id -> module call input -> module.keys output -> var.inner_key -> root resource
    assert link_a.references("key_vault_key_id") == ["azurerm_key_vault_key.cmk"]
    diag = inv.get("azurerm_monitor_diagnostic_setting.diag")
    assert diag.references("target_resource_id") == ['module.spoke["b"].azurerm_storage_account.sa']
    assert [r.name for r in diag.referenced("target_resource_id")] == ["sab"]
    assert inv.get("azurerm_storage_account.root").references("anything") == []


def test_indexed_reference_picks_that_instance(tmp_path, plan):
    for key in ("x", "y"):
        plan.resource(f'azurerm_key_vault_key.k["{key}"]', {"name": key}, unknown=["id"])
    plan.resource(
        "azurerm_managed_disk.d",
        {"name": "d"},
        refs={
            "encryption_settings.key_encryption_key.key_url": [
                'azurerm_key_vault_key.k["y"].id',
                'azurerm_key_vault_key.k["y"]',
                "azurerm_key_vault_key.k",
            ]
        },
    )
    inv = load(plan.write(tmp_path / "p.json"))
    disk = inv.get("azurerm_managed_disk.d")
    assert disk.references("encryption_settings") == ['azurerm_key_vault_key.k["y"]']
    assert disk.references("encryption_settings.key_encryption_key.key_url") == ['azurerm_key_vault_key.k["y"]']


# ---------------------------------------------------------------------------------------------
# several files, provider subscription, azapi, states, versions


def test_several_plans_make_one_inventory_and_collisions_get_the_file_name(tmp_path):
    hub, spoke = PlanBuilder(), PlanBuilder()
    hub.resource("azurerm_resource_group.this", {"name": "rg-hub"})
    hub.resource("azurerm_virtual_network.hub", {"name": "vnet-hub"})
    spoke.resource("azurerm_resource_group.this", {"name": "rg-spoke"})
    spoke.resource("azurerm_virtual_network.spoke", {"name": "vnet-spoke"})
    inv = load(hub.write(tmp_path / "hub.json"), spoke.write(tmp_path / "spoke.json"))
    assert sorted(r.address for r in inv) == [
        "azurerm_virtual_network.hub",
        "azurerm_virtual_network.spoke",
        "hub:azurerm_resource_group.this",
        "spoke:azurerm_resource_group.this",
    ]
    assert [s.label for s in inv.sources] == ["hub", "spoke"]


def test_a_folder_of_plans_is_read_in_order(tmp_path):
    for name in ("b", "a"):
        p = PlanBuilder()
        p.resource(f"azurerm_resource_group.{name}", {"name": name})
        p.write(tmp_path / f"{name}.json")
    inv = load(tmp_path)
    assert [s.label for s in inv.sources] == ["a", "b"]


def test_provider_subscription_from_constant_or_variable(tmp_path, plan):
    plan.provider(subscription_var="sub")
    plan.variable("sub", SUB.upper())
    plan.resource("azurerm_resource_group.rg", {"name": "rg"}, unknown=["id"])
    plan.resource(
        "azurerm_resource_group.known",
        {"name": "k", "id": "/subscriptions/99999999-2222-3333-4444-555555555555/resourceGroups/k"},
    )
    inv = load(plan.write(tmp_path / "p.json"))
    assert inv.get("azurerm_resource_group.rg").subscription_id == SUB
    assert inv.get("azurerm_resource_group.known").subscription_id == "99999999-2222-3333-4444-555555555555"


def test_azapi_resources_map_to_the_same_types(tmp_path, plan):
    plan.resource(
        "azapi_resource.peering",
        {
            "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-11-01",
            "name": "spoke-to-hub",
            "parent_id": f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke",
            "body": {"properties": {"remoteVirtualNetwork": {"id": "/subscriptions/x/hub"}}},
        },
        unknown=["id"],
    )
    inv = load(plan.write(tmp_path / "p.json"))
    [peering] = inv.resources("azurerm_virtual_network_peering")
    assert peering.schema == "arm"
    assert peering.arm_type == "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
    assert peering.get("properties.remoteVirtualNetwork.id") == "/subscriptions/x/hub"
    assert peering.id.endswith("/virtualNetworks/spoke/virtualNetworkPeerings/spoke-to-hub")
    assert inv.resources("Microsoft.Network/virtualNetworks/virtualNetworkPeerings") == [peering]


def test_state_files_load_with_sensitive_values_redacted(tmp_path):
    state = {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "azurerm_resource_group.rg",
                        "mode": "managed",
                        "type": "azurerm_resource_group",
                        "name": "rg",
                        "values": {"name": "rg", "id": f"/subscriptions/{SUB}/resourceGroups/rg"},
                        "sensitive_values": {},
                    }
                ],
                "child_modules": [
                    {
                        "address": "module.m",
                        "resources": [
                            {
                                "address": "module.m.azurerm_key_vault_secret.s",
                                "mode": "managed",
                                "type": "azurerm_key_vault_secret",
                                "name": "s",
                                "values": {"value": "state-secret"},
                                "sensitive_values": {"value": True},
                            }
                        ],
                    }
                ],
            }
        },
    }
    path = tmp_path / "state.json"
    path.write_text(json.dumps(state))
    inv = load(path)
    assert inv.sources[0].kind == "state"
    assert inv.get("module.m.azurerm_key_vault_secret.s").values["value"] is SENSITIVE
    assert inv.get("module.m.azurerm_key_vault_secret.s").module == "module.m"
    assert inv.get("azurerm_resource_group.rg").id.endswith("/resourceGroups/rg")


def test_format_version_0_is_read(tmp_path):
    plan = PlanBuilder(format_version="0.1", terraform_version="0.12.25")
    plan.resource("azurerm_storage_account.sa", {"name": "sa"})
    assert len(load(plan.write(tmp_path / "p.json"))) == 1


# ---------------------------------------------------------------------------------------------
# bad input: one line naming the file and the problem


BAD_INPUTS = {
    "missing": (None, "file not found"),
    "empty": (b"", "is empty"),
    "whitespace": (b" \n\t\r\x0b\x0c\n", "is empty"),
    "not-json": (b"this is not json", "invalid JSON"),
    "truncated": (b'{"format_version": "1.2", "planned_values": {"root_mod', "truncated"),
    "binary-plan": (b"PK\x03\x04\x14\x00binary", "binary plan file"),
    "not-terraform": (b'{"hello": "world"}', "no format_version"),
    "array": (b"[1, 2]", "top level is not an object"),
    "future-format": (b'{"format_version": "2.0", "planned_values": {}}', "format_version '2.0' is not supported"),
    "errored": (b'{"format_version": "1.2", "errored": true, "planned_values": {}}', "errored"),
    "malformed": (b'{"format_version": "1.2", "resource_changes": [{"type": 3}]}', "malformed Terraform JSON"),
    "latin1": ('{"format_version": "1.2", "x": "\u00e9"}'.encode("latin-1"), "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_error(tmp_path, case):
    content, expected = BAD_INPUTS[case]
    path = tmp_path / f"{case}.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(str(path)) and expected in message
    assert "\n" not in message


@pytest.mark.parametrize("case", ["missing", "truncated", "not-terraform"])
def test_bad_input_stops_the_run_without_traceback(pytester, case):
    content, expected = BAD_INPUTS[case]
    if content is not None:
        (pytester.path / "plan.json").write_bytes(content)
    pytester.makepyfile("def test_it(cloud):\n    assert cloud\n")
    result = pytester.runpytest("--cloudcheck-plan", "plan.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if line.startswith("ERROR:")]
    assert len(errors) == 1 and "plan.json" in errors[0] and expected in errors[0]
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert "passed" not in result.stdout.str()


def test_zero_managed_resources_is_an_error_unless_expected(tmp_path, plan):
    plan.resource("data.azurerm_client_config.c", {}, action="read")
    path = plan.write(tmp_path / "p.json")
    with pytest.raises(SourceError, match=r"zero managed resources.*cloudcheck_allow_empty"):
        load(path)
    assert len(load(path, allow_empty=True)) == 0


def test_sha256_and_counts_are_recorded(tmp_path, plan):
    import hashlib

    plan.resource("azurerm_resource_group.rg", {"name": "rg"})
    path = plan.write(tmp_path / "p.json")
    info = load_plan_file(path).info
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (info.kind, info.resources) == ("plan", 1)


def test_each_value_resolves_to_the_iterated_instance_with_the_same_key(tmp_path, plan):
    for key in ("app", "data"):
        plan.resource(f'azurerm_subnet.this["{key}"]', {"name": key}, unknown=["id"])
        plan.resource(
            f'azurerm_subnet_network_security_group_association.this["{key}"]',
            {},
            unknown=["subnet_id"],
            refs={"subnet_id": ["each.value.id", "each.value"]},
        )
    doc = plan.to_dict()
    for entry in doc["configuration"]["root_module"]["resources"]:
        if entry["type"] == "azurerm_subnet_network_security_group_association":
            entry["for_each_expression"] = {"references": ["azurerm_subnet.this"]}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc))
    inv = load(path)
    link = inv.get('azurerm_subnet_network_security_group_association.this["data"]')
    assert link.references("subnet_id") == ['azurerm_subnet.this["data"]']


def test_a_reference_through_an_output_built_over_a_whole_module_reaches_its_resources(tmp_path):
    """`output "key_ids" { value = { for k, m in module.key : k => m.id } }`: Terraform's
    configuration lists only `module.key` for it; the value can come from any of that module's
    outputs, so they are followed (a `module.key` next to `module.key.id` is just its prefix)."""
    plan = PlanBuilder()
    plan.module_call("kv", outputs={"key_ids": ["module.key"]})
    plan.module_call("kv.key", outputs={"id": ["azurerm_key_vault_key.this.id", "azurerm_key_vault_key.this"]})
    plan.module_call("kv.other", outputs={"id": ["azurerm_key_vault_key.this.id", "azurerm_key_vault_key.this"]})
    plan.module_call("kv", outputs={"other_id": ["module.other.id", "module.other"]})
    plan.resource('module.kv.module.key["a"].azurerm_key_vault_key.this', {"name": "a"}, unknown=["id"])
    plan.resource("module.kv.module.other.azurerm_key_vault_key.this", {"name": "o"}, unknown=["id"])
    refs = {"customer_managed_key.key_vault_key_id": ['module.kv.key_ids["a"]', "module.kv.key_ids", "module.kv"]}
    plan.resource("azurerm_storage_account.sa", {"name": "st"}, unknown=["customer_managed_key"], refs=refs)
    refs = {"customer_managed_key.key_vault_key_id": ["module.kv.other_id", "module.kv"]}
    plan.resource("azurerm_storage_account.sb", {"name": "sb"}, unknown=["customer_managed_key"], refs=refs)
    inv = build_inventory(Settings(plan=[plan.write(tmp_path / "plan.json")]))
    sa = next(r for r in inv if r.address == "azurerm_storage_account.sa")
    assert [r.address for r in sa.referenced("customer_managed_key.key_vault_key_id")] == [
        'module.kv.module.key["a"].azurerm_key_vault_key.this'
    ]
    sb = next(r for r in inv if r.address == "azurerm_storage_account.sb")
    assert [r.address for r in sb.referenced("customer_managed_key.key_vault_key_id")] == [
        "module.kv.module.other.azurerm_key_vault_key.this"
    ]
