"""Live Azure as it really answers: payload shapes of Microsoft's recorded REST examples, through the fake.

Each case edits the landing zone the fake serves into a shape the real example responses have
(Azure/azure-rest-api-specs `examples/`, named per case), reads it with the live source and
judges it with the checks: compliant and violating for every shape.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fakeazure import FakeAzure
from fakeazure.fixtures import PROD, live_inventory

from pytest_cloudcheck import checks

GROUP = f"/subscriptions/{PROD}/resourceGroups/rg-almere-prod-weu"
VM = "vm-almere-prod-app01"
DISK = "disk-vm-almere-prod-app01-data"
DES = f"{GROUP}/providers/Microsoft.Compute/diskEncryptionSets/des-almere-prod-weu"


def _row(fake: FakeAzure, name: str) -> dict[str, Any]:
    return next(r for r in fake.rows[PROD] if r["name"] == name)


def _copy(fake: FakeAzure, name: str, new: str) -> dict[str, Any]:
    """A copy of row `name` as a resource `new` of its own (cases share one read of the fake)."""
    row = json.loads(json.dumps(_row(fake, name)))
    row["id"] = row["id"].rsplit("/", 1)[0] + "/" + new
    row["name"] = new
    fake.rows[PROD].append(row)
    return row


def _key_url(fake: FakeAzure) -> str:
    vault, key = next(k for k in fake.keys if k[0] == "kv-almere-prod-weu")
    return f"https://{vault}.vault.azure.net:{fake.port}/keys/{key}"


def _add(fake: FakeAzure, arm_type: str, name: str, properties: dict[str, Any]) -> str:
    provider, kind = arm_type.split("/", 1)
    ident = f"{GROUP}/providers/{provider}/{kind}/{name}"
    fake.rows[PROD].append(
        {
            "id": ident,
            "name": name,
            "type": arm_type.lower(),
            "location": "westeurope",
            "tags": {"environment": "prod"},
            "subscriptionId": PROD,
            "resourceGroup": "rg-almere-prod-weu",
            "properties": properties,
        }
    )
    return name


def _cmk_of(fake: FakeAzure, name: str) -> list[str]:
    """The CMK findings about resource `name` (kind: message), read live from the fake."""
    inventory = live_inventory(fake, PROD)
    return [f"{f.kind}: {f.message}" for f in checks.cmk(inventory) if f.address.rsplit("/", 1)[-1] == name]


# -- virtual machines and disks (VirtualMachine_Create_WithEmptyDataDisks.json, ...ConfidentialVM...) ---


def _vm_without_data_disks(fake: FakeAzure) -> str:
    _copy(fake, VM, "vm-no-data-disks")["properties"]["storageProfile"]["dataDisks"] = []  # what ARM answers
    return "vm-no-data-disks"


def _vm_data_disk_on_platform_key(fake: FakeAzure) -> str:
    disks = _copy(fake, VM, "vm-platform-data-disk")["properties"]["storageProfile"]["dataDisks"]
    disks.append({"lun": 1, "createOption": "Empty", "managedDisk": {"storageAccountType": "Standard_LRS"}})
    return "vm-platform-data-disk"


def _confidential_vm(des: str | None) -> Callable[[FakeAzure], str]:
    def edit(fake: FakeAzure) -> str:
        name = f"cvm-{'cmk' if des else 'pmk'}"
        os_disk = _copy(fake, VM, name)["properties"]["storageProfile"]["osDisk"]
        profile: dict[str, Any] = {"securityEncryptionType": "DiskWithVMGuestState"}
        if des:
            profile["diskEncryptionSet"] = {"id": des}
        os_disk["managedDisk"] = {"storageAccountType": "StandardSSD_LRS", "securityProfile": profile}
        return name

    return edit


def _confidential_disk(des: str | None) -> Callable[[FakeAzure], str]:
    def edit(fake: FakeAzure) -> str:
        name = f"cvm-disk-{'cmk' if des else 'pmk'}"
        props = _copy(fake, DISK, name)["properties"]
        props["encryption"] = {"type": "EncryptionAtRestWithPlatformKey"}
        props["securityProfile"] = {"securityType": "ConfidentialVM_DiskEncryptedWithCustomerKey"}
        if des:
            props["securityProfile"]["secureVMDiskEncryptionSetId"] = des
        return name

    return edit


def _confidential_vmss(des: str | None) -> Callable[[FakeAzure], str]:
    def edit(fake: FakeAzure) -> str:
        profile: dict[str, Any] = {"securityEncryptionType": "DiskWithVMGuestState"}
        if des:
            profile["diskEncryptionSet"] = {"id": des}
        storage = {"osDisk": {"osType": "Linux", "managedDisk": {"securityProfile": profile}}, "dataDisks": []}
        props = {"virtualMachineProfile": {"storageProfile": storage}}
        return _add(fake, "Microsoft.Compute/virtualMachineScaleSets", f"cvmss-{'cmk' if des else 'pmk'}", props)

    return edit


# -- status flags (ManagedClustersCreate_AzureKeyvaultKms.json, CreateOrUpdateWorkspace.json, MySQL) ---


def _aks(enabled: bool) -> Callable[[FakeAzure], str]:
    def edit(fake: FakeAzure) -> str:
        kms = {"enabled": enabled, "keyId": _key_url(fake), "keyVaultNetworkAccess": "Public"}
        props = {"diskEncryptionSetID": DES, "securityProfile": {"azureKeyVaultKms": kms}}
        return _add(fake, "Microsoft.ContainerService/managedClusters", f"aks-kms-{enabled}".lower(), props)

    return edit


def _synapse(status: str) -> Callable[[FakeAzure], str]:
    def edit(fake: FakeAzure) -> str:
        cmk = {"status": status, "key": {"name": "default", "keyVaultUrl": _key_url(fake)}}
        props = {"encryption": {"doubleEncryptionEnabled": True, "cmk": cmk}}
        return _add(fake, "Microsoft.Synapse/workspaces", f"synw-{status}".lower(), props)

    return edit


def _mysql(kind: str) -> Callable[[FakeAzure], str]:
    def edit(fake: FakeAzure) -> str:
        # SystemManaged with a key URI left behind (switched back to service-managed keys)
        encryption = {"type": kind, "primaryKeyURI": _key_url(fake)}
        return _add(
            fake, "Microsoft.DBforMySQL/flexibleServers", f"mysql-{kind}".lower(), {"dataEncryption": encryption}
        )

    return edit


CASES: dict[str, tuple[Callable[[FakeAzure], str], str | None]] = {
    # name: (edit, expected finding text or None for compliant)
    "vm-without-data-disks": (_vm_without_data_disks, None),
    "vm-data-disk-on-platform-key": (_vm_data_disk_on_platform_key, "data disks: uses a Microsoft-managed key"),
    "confidential-vm-os-disk-cmk": (_confidential_vm(DES), None),
    "confidential-vm-os-disk-platform-key": (_confidential_vm(None), "OS disk: uses a Microsoft-managed key"),
    "confidential-vmss-cmk": (_confidential_vmss(DES), None),
    "confidential-vmss-platform-key": (_confidential_vmss(None), "OS disk: uses a Microsoft-managed key"),
    "confidential-disk-cmk": (_confidential_disk(DES), None),
    "confidential-disk-platform-key": (_confidential_disk(None), "uses a Microsoft-managed key"),
    "aks-kms-enabled": (_aks(True), None),
    "aks-kms-disabled": (_aks(False), "azureKeyVaultKms.enabled = False"),
    "synapse-key-consistent": (_synapse("Consistent"), None),
    "synapse-key-awaiting-activation": (_synapse("AwaitingActivation"), "cmk.status = AwaitingActivation"),
    "mysql-azure-key-vault": (_mysql("AzureKeyVault"), None),
    "mysql-system-managed": (_mysql("SystemManaged"), "dataEncryption.type = SystemManaged"),
}


def test_real_payload_shapes_are_judged_right(azure: FakeAzure) -> None:
    """Every case in one read of the fake; a wrong verdict lists the case, the expectation, the findings."""
    names = {case: edit(azure) for case, (edit, _) in CASES.items()}
    inventory = live_inventory(azure, PROD)
    found = checks.cmk(inventory)
    wrong = []
    for case, (_, expected) in CASES.items():
        mine = [f"{f.kind}: {f.message}" for f in found if f.address.rsplit("/", 1)[-1] == names[case]]
        ok = mine == [] if expected is None else len(mine) == 1 and expected in mine[0]
        if not ok:
            wrong.append(f"{case}: expected {expected or 'no finding'}, got {mine}")
    assert not wrong, "\n".join(wrong)


def test_unreadable_data_disks_are_unknown_not_compliant(azure: FakeAzure) -> None:
    _copy(azure, VM, "vm-odd")["properties"]["storageProfile"]["dataDisks"] = {"odd": "shape"}
    findings = _cmk_of(azure, "vm-odd")
    assert len(findings) == 1 and findings[0].startswith("unknown: ") and "not a list" in findings[0], findings


# -- networks (AzureFirewallPut.json: ranges and NAT collections; VirtualNetworkPeeringGet.json) --------

HUB_SUB = "3f1c2a9e-0b7d-4c55-9a61-1d2e3f405a01"
SETTINGS = {"shared": "^rg-hub-"}


def _hub_row(fake: FakeAzure, name: str) -> dict[str, Any]:
    return next(r for r in fake.rows[HUB_SUB] if r["name"] == name)


def _collection(name: str, action: str, rule: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "properties": {"priority": 110, "action": {"type": action}, "rules": [rule]}}


def test_firewall_ranges_and_nat_collections_are_judged(azure: FakeAzure) -> None:
    nonprod_range, outside_range = "10.2.0.1-10.2.0.12", "192.168.1.1-192.168.1.12"  # nonprod is 10.2.0.0/20
    tcp = {"destinationPorts": ["443"], "protocols": ["TCP"]}
    _hub_row(azure, "afw-hub-weu")["properties"] = {
        "networkRuleCollections": [
            _collection("net-in", "Allow", {"name": "range-to-prod", "sourceAddresses": [nonprod_range],
                                            "destinationAddresses": ["10.1.0.4-10.1.0.8"], **tcp}),
            _collection("net-ok", "Allow", {"name": "outside-to-prod", "sourceAddresses": [outside_range],
                                            "destinationAddresses": ["10.1.0.4"], **tcp}),
        ],
        "natRuleCollections": [
            _collection("nat-in", "Dnat", {"name": "dnat-to-prod", "sourceAddresses": [nonprod_range],
                                           "destinationAddresses": ["20.1.2.3"], "translatedAddress": "10.1.16.5",
                                           "translatedPort": "8443", **tcp}),
        ],
        "applicationRuleCollections": [
            _collection("app-out", "Allow", {"name": "web", "sourceAddresses": [nonprod_range],
                                             "targetFqdns": ["www.microsoft.com"],
                                             "protocols": [{"protocolType": "Https", "port": 443}]}),
        ],
    }  # fmt: skip
    inventory = live_inventory(azure, HUB_SUB, PROD, "c4e6a8b0-2d4f-4a6c-9e8b-3d5f7a9c1e03", **SETTINGS)
    rules = sorted(f.message.split("'")[1] for f in checks.nonprod_isolation(inventory) if "firewall" in f.check)
    assert rules == ["dnat-to-prod", "range-to-prod"]


def test_a_disconnected_peering_is_not_peered(azure: FakeAzure) -> None:
    hub = _hub_row(azure, "vnet-hub-weu")
    peering = next(p for p in hub["properties"]["virtualNetworkPeerings"] if p["name"] == "peer-hub-to-almere-prod")
    peering["properties"]["peeringState"] = "Disconnected"  # the spoke's side was deleted
    inventory = live_inventory(azure, HUB_SUB, PROD, "c4e6a8b0-2d4f-4a6c-9e8b-3d5f7a9c1e03", **SETTINGS)
    findings = [f for f in checks.hub_and_spoke(inventory) if f.check == "topology.unpeered_spoke"]
    assert [f.address.rsplit("/", 1)[-1] for f in findings] == ["peer-hub-to-almere-prod"], findings
    assert "Disconnected" in findings[0].message


# -- Resource Graph answers that are not whole (fail closed) ----------------------------------------


@pytest.mark.parametrize("answer", ["truncated", "undercount", "repeat"])
def test_a_partial_graph_answer_is_a_gap_not_a_pass(
    azure: FakeAzure, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    from pytest_cloudcheck.sources.live import graph

    monkeypatch.setattr(graph, "PAGE_SIZE", 25)  # several pages
    azure.faults.graph_answer = answer
    inventory = live_inventory(azure, PROD)
    gaps = [g for g in inventory.ledger if g.kind == "query"]
    assert len(gaps) == 1 and gaps[0].address == f"/subscriptions/{PROD}", list(inventory.ledger)
    assert "not read in full" in gaps[0].why
    ids = [r.id for r in inventory if r.id]
    assert len(ids) == len(set(ids)), "a page served twice was read twice"
    if answer == "repeat":  # stopped at the repeated token: no endless loop
        assert azure.count(method="POST", path="resourcegraph") <= 3


@pytest.mark.parametrize(
    "answer, said",
    [("html", "not its JSON"), ("data-object", "`data` as dict"), ("rows-not-objects", "a list of non-objects")],
)
def test_an_answer_that_is_not_resource_graph_json_is_one_line(azure: FakeAzure, answer: str, said: str) -> None:
    from pytest_cloudcheck.errors import SourceError

    azure.faults.graph_answer = answer
    with pytest.raises(SourceError) as raised:
        live_inventory(azure, PROD)
    message = str(raised.value)
    assert said in message and "\n" not in message, message


# -- role assignments (AuthorizationResources; RoleAssignments_Get.json shape) ----------------------


def test_role_assignments_are_read_from_authorization_resources(azure: FakeAzure) -> None:
    nonprod_sub = "c4e6a8b0-2d4f-4a6c-9e8b-3d5f7a9c1e03"
    identity = next(
        r for r in azure.rows[nonprod_sub] if r["type"].lower() == "microsoft.managedidentity/userassignedidentities"
    )
    principal = identity["properties"]["principalId"] = "5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"
    prod_group = f"/subscriptions/{PROD}/resourceGroups/rg-almere-prod-weu"
    nonprod_principal = {
        "roleDefinitionId": f"/subscriptions/{PROD}/providers/Microsoft.Authorization/roleDefinitions/"
        "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        "principalId": principal,
        "principalType": "ServicePrincipal",
        "scope": prod_group,
    }
    for name, props in (
        ("a1b2c3d4-0000-4000-8000-000000000001", nonprod_principal),
        ("a1b2c3d4-0000-4000-8000-000000000002", {**nonprod_principal, "principalId": "0f0f0f0f-prod-owner"}),
    ):
        azure.rows[PROD].append(
            {
                "id": f"{prod_group}/providers/Microsoft.Authorization/roleAssignments/{name}",
                "name": name,
                "type": "microsoft.authorization/roleassignments",
                "location": "",
                "tags": None,
                "subscriptionId": PROD,
                "resourceGroup": "rg-almere-prod-weu",
                "properties": props,
            }
        )
    inventory = live_inventory(azure, PROD, nonprod_sub)
    assert len(inventory.resources("azurerm_role_assignment")) == 2
    findings = [f for f in checks.nonprod_isolation(inventory) if f.check == "isolation.role_assignment"]
    assert len(findings) == 1 and identity["name"] in findings[0].message, findings


# -- child reads Resource Graph lacks (EncryptionProtectorGet.json, DiagnosticSettings_List.json) ------

NONPROD = "c4e6a8b0-2d4f-4a6c-9e8b-3d5f7a9c1e03"
SQL = f"{GROUP}/providers/Microsoft.Sql/servers/sql-almere-prod-weu"
VAULT = f"{GROUP}/providers/Microsoft.KeyVault/vaults/kv-almere-prod-weu"
NONPROD_LAW = f"/subscriptions/{NONPROD}/resourceGroups/rg-monitoring-test-weu/providers/Microsoft.OperationalInsights/workspaces/law-spokes-test-weu"  # noqa: E501


def _child(fake: FakeAzure, path: str) -> Any:
    return fake.children[path.lower()]


def test_sql_tde_protector_is_read_with_one_get_per_server(azure: FakeAzure) -> None:
    from pytest_cloudcheck.sources import live

    protector = _child(azure, f"{SQL}/encryptionProtector/current")
    assert protector["properties"]["serverKeyType"] == "AzureKeyVault"
    zaanstad = SQL.replace("almere", "zaanstad")
    _child(azure, f"{zaanstad}/encryptionProtector/current")["properties"] = {
        "serverKeyName": "ServiceManaged",
        "serverKeyType": "ServiceManaged",
    }
    inventory = live_inventory(azure, PROD)
    findings = {(f.check, f.address.rsplit("/", 1)[-1]) for f in checks.cmk(inventory)}
    assert ("cmk.mssql_server", "sql-zaanstad-prod-weu") in findings  # service-managed TDE: a violation
    assert not [f for f in findings if f[1] == "sql-almere-prod-weu"]  # its key in Key Vault: compliant
    gets = [r for r in azure.traffic if r.method == "GET" and r.path.lower().endswith("/encryptionprotector/current")]
    assert len([r for r in gets if r.authorized]) == 2  # one per server, no more
    assert live.LAST.arm_requests == len(
        [r for r in azure.traffic if r.path.startswith("/subscriptions/") and r.authorized]
    )


def test_an_unreadable_protector_is_not_assessed_never_compliant(azure: FakeAzure) -> None:
    azure.faults.forbidden_children = {SQL}
    inventory = live_inventory(azure, PROD)
    gaps = [g for g in inventory.ledger if g.address == SQL and "TDE protector" in g.why]
    assert len(gaps) == 1 and "403" in gaps[0].why and "azurerm_mssql_server" in gaps[0].types
    mine = [(f.check, f.kind) for f in checks.cmk(inventory) if f.address.endswith("/sql-almere-prod-weu")]
    assert ("cmk.not_assessed", "not_assessed") in mine and ("cmk.mssql_server", "unknown") in mine, mine
    assert inventory.get(SQL).encryption.customer_managed is None


def test_diagnostic_settings_of_prod_resources_are_read_and_judged(azure: FakeAzure) -> None:
    settings = _child(azure, f"{VAULT}/providers/Microsoft.Insights/diagnosticSettings")["value"]
    settings[0]["properties"]["workspaceId"] = NONPROD_LAW  # prod vault logs into the nonprod workspace
    inventory = live_inventory(azure, PROD, NONPROD, **SETTINGS)
    judged = [f for f in checks.nonprod_isolation(inventory) if f.check == "isolation.diagnostics"]
    assert len(judged) == 1 and "kv-almere-prod-weu" in judged[0].address, judged
    diagnostics = [r for r in azure.traffic if r.path.lower().endswith("/microsoft.insights/diagnosticsettings")]
    parents = [r.path.lower().rsplit("/providers/microsoft.insights", 1)[0] for r in diagnostics if r.authorized]
    assert len(parents) == len(set(parents)), "a resource's diagnostic settings were read twice"
    assert all(f"/subscriptions/{PROD}" in p for p in parents), "diagnostic settings read for nonprod resources"


def test_unreadable_diagnostic_settings_are_not_assessed(azure: FakeAzure) -> None:
    azure.faults.forbidden_children = {VAULT}
    inventory = live_inventory(azure, PROD, NONPROD, **SETTINGS)
    findings = [(f.check, f.kind, f.address) for f in checks.nonprod_isolation(inventory)]
    assert ("isolation.not_assessed", "not_assessed", VAULT) in findings, findings


# -- sovereign clouds: the Key Vault domain from the ARM endpoint's metadata document ----------------


def test_the_key_vault_domain_is_read_from_the_arm_metadata(azure: FakeAzure) -> None:
    from pytest_cloudcheck.sources.live import LAST
    from pytest_cloudcheck.sources.live.auth import discover_keyvault_audience

    inventory = live_inventory(azure, PROD)  # the fake is not the public cloud: its document is read, once
    metadata = [r for r in azure.traffic if r.path == "/metadata/endpoints"]
    assert len(metadata) == 1 and "api-version=2022-09-01" in metadata[0].query and LAST.metadata_requests == 1
    assert inventory.resources("azurerm_key_vault_key")  # vault.azure.net, as the document says: keys read
    azure.keyvault_dns = "vault.usgovcloudapi.net"
    assert discover_keyvault_audience(azure.url, {}) == "https://vault.usgovcloudapi.net"
    azure.traffic.clear()
    live_inventory(azure, PROD, keyvault_audience="https://vault.azure.net")  # configured: not read
    assert not [r for r in azure.traffic if r.path == "/metadata/endpoints"]


def test_an_unreadable_metadata_document_is_one_line(azure: FakeAzure) -> None:
    from pytest_cloudcheck.errors import SourceError

    azure.keyvault_dns = None
    with pytest.raises(SourceError) as raised:
        live_inventory(azure, PROD)
    message = str(raised.value)
    assert "metadata/endpoints" in message and "cloudcheck_keyvault_audience" in message and "\n" not in message


def test_child_reads_stop_at_the_runs_time_budget(azure: FakeAzure) -> None:
    import time

    azure.faults.slow_children = 2.0
    started = time.monotonic()
    inventory = live_inventory(azure, PROD, live_time_budget="1")
    elapsed = time.monotonic() - started
    gaps = [g for g in inventory.ledger if g.kind == "value"]
    assert gaps and all("could not be read" in g.why for g in gaps)
    assert elapsed < 1 + 4, f"the budget is per run: {elapsed:.1f} s for a 1 s budget"


def test_diagnostic_reads_can_be_turned_off_and_say_so(azure: FakeAzure) -> None:
    from pytest_cloudcheck.errors import ConfigurationError

    inventory = live_inventory(azure, PROD, NONPROD, live_diagnostics="none", **SETTINGS)
    assert not [r for r in azure.traffic if r.path.lower().endswith("/microsoft.insights/diagnosticsettings")]
    assert [r for r in azure.traffic if r.path.lower().endswith("/encryptionprotector/current")]  # still read
    findings = [f for f in checks.nonprod_isolation(inventory) if f.kind == "not_assessed"]
    assert findings and all("cloudcheck_live_diagnostics = none" in f.message for f in findings), findings
    with pytest.raises(ConfigurationError, match="is not one of prod, none"):
        live_inventory(azure, PROD, live_diagnostics="all")
