"""The fake Azure speaks the paths Azure speaks: its rows and Microsoft's recorded example responses agree.

The project reads ARM payloads at fixed paths (the CMK table's `ArmAt` paths, the live attribute
table, the topology and isolation fields). For every ARM type the fake serves and a real example
covers, each such path the fake's rows hold must be one the real payloads hold too (the fake
invents no spelling or nesting), and each such path the real payloads hold must be one the fake's
rows hold (the tests exercise what Azure answers). Real payloads: the example responses copied in
`shared/reference/azure-examples/`, and the paths confirmed on further examples of
Azure/azure-rest-api-specs (`CONFIRMED`, facts only: path and the example that shows it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fakeazure.convert import convert
from fakeazure.harness import LANDING_PLANS

from pytest_cloudcheck.azure_types import BY_ARM
from pytest_cloudcheck.rules.cmk import RULES
from pytest_cloudcheck.rules.sla import RULES as SLA_RULES
from pytest_cloudcheck.sources.live.attributes import ATTRIBUTES

EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "azure-examples"

#: example file -> the ARM type of its response body (some examples omit `type`)
EXAMPLE_TYPES = {
    "Disk_Get.json": "microsoft.compute/disks",
    "Disk_Create_WithDiskEncryptionSet.json": "microsoft.compute/disks",
    "DiskEncryptionSet_Get.json": "microsoft.compute/diskencryptionsets",
    "StorageAccountGetPropertiesCMKEnabled.json": "microsoft.storage/storageaccounts",
    "VirtualNetworkGet.json": "microsoft.network/virtualnetworks",
    "VirtualNetworkPeeringGet.json": "microsoft.network/virtualnetworks/virtualnetworkpeerings",
}

#: paths read on example responses of Azure/azure-rest-api-specs (specification/.../examples/),
#: ARM type -> path -> the example that shows it (see docs in the note of issue 14)
CONFIRMED: dict[str, dict[str, str]] = {
    "microsoft.compute/virtualmachines": {
        "properties.storageprofile.osdisk": "ComputeRP 2024-07-01 VirtualMachine_Create_WithEmptyDataDisks.json",
        "properties.storageprofile.osdisk.manageddisk.diskencryptionset.id": (
            "ComputeRP 2024-07-01 VirtualMachine_Create_WithDiskEncryptionSetResource.json"
        ),
        "properties.storageprofile.osdisk.manageddisk.securityprofile.diskencryptionset.id": (
            "ComputeRP 2024-07-01 VirtualMachine_Create_WithSecurityTypeConfidentialVMWithCustomerManagedKeys.json"
        ),
        "properties.storageprofile.datadisks[*].manageddisk.diskencryptionset.id": (
            "ComputeRP 2024-07-01 VirtualMachine_Create_WithDiskEncryptionSetResource.json"
        ),
        "properties.storageprofile.datadisks[*].manageddisk.id": (
            "ComputeRP 2024-07-01 VirtualMachine_Create_WithEmptyDataDisks.json (dataDisks: [] on a VM without)"
        ),
        "properties.storageprofile.osdisk.ostype": "ComputeRP 2024-07-01 VirtualMachine_Create_WithEmptyDataDisks.json",
        "properties.hardwareprofile.vmsize": "ComputeRP 2024-07-01 VirtualMachine_Create_WithEmptyDataDisks.json",
        "properties.networkprofile.networkinterfaces[*].id": "ComputeRP 2024-07-01 VirtualMachine_Create_*.json",
        "properties.securityprofile.uefisettings.securebootenabled": (
            "ComputeRP 2024-07-01 VirtualMachine_Create_WithSecurityTypeConfidentialVMWithCustomerManagedKeys.json"
        ),
        "properties.securityprofile.uefisettings.vtpmenabled": (
            "ComputeRP 2024-07-01 VirtualMachine_Create_WithSecurityTypeConfidentialVMWithCustomerManagedKeys.json"
        ),
        "properties.securityprofile.encryptionathost": (
            "ComputeRP 2024-07-01 VirtualMachine_Create_WithEncryptionAtHost.json"
        ),
        "properties.osprofile.linuxconfiguration.disablepasswordauthentication": (
            "ComputeRP 2024-07-01 VirtualMachine_Create_WithSshAuthentication.json"
        ),
        # the SLA reads (issue 15): the disk types of a single VM, its zone, its availability set
        "properties.storageprofile.osdisk.manageddisk.storageaccounttype": (
            "Microsoft.Compute/virtualMachines template reference 2022-03-01 (osDisk.managedDisk.storageAccountType)"
        ),
        "properties.storageprofile.datadisks[*].manageddisk.storageaccounttype": (
            "Microsoft.Compute/virtualMachines template reference 2022-03-01 (dataDisks[].managedDisk...)"
        ),
        "zones": "Azure/PSRule.Rules.Azure Azure.VM.Standalone (a VM's top-level zones: ['1'])",
        "properties.availabilityset.id": "Azure/PSRule.Rules.Azure Azure.VM.Standalone (properties.availabilitySet.id)",
    },
    "microsoft.compute/disks": {
        "properties.securityprofile.securevmdiskencryptionsetid": (
            "DiskRP 2024-03-02 Disk_Create_ConfidentialVMSupportedDiskEncryptedWithCMK.json"
        ),
        "properties.networkaccesspolicy": "an `az disk show` answer (networkAccessPolicy AllowPrivate)",
        "properties.publicnetworkaccess": "an `az disk show` answer (publicNetworkAccess Disabled)",
    },
    "microsoft.compute/diskencryptionsets": {
        "properties.rotationtolatestkeyversionenabled": (
            "DiskRP 2024-03-02 DiskEncryptionSet_Update_WithRotationToLatestKeyVersionEnabled.json"
        ),
    },
    "microsoft.storage/storageaccounts": {
        p: "a StorageV2 account's GET answer (microsoft.storage/storageaccounts, keyCreationTime, networkAcls)"
        for p in (
            "properties.allowblobpublicaccess",
            "properties.allowsharedkeyaccess",
            "properties.defaulttooauthauthentication",
            "properties.encryption.requireinfrastructureencryption",
            "properties.minimumtlsversion",
            "properties.publicnetworkaccess",
        )
    }
    | {"properties.accesstier": "Microsoft.Storage/storageAccounts template reference (accessTier Hot / Cool)"},
    "microsoft.synapse/workspaces": {
        "properties.encryption.cmk.status": "Synapse 2021-06-01 CreateOrUpdateWorkspace.json (Consistent)",
        "properties.encryption.cmk.key.keyvaulturl": "Synapse 2021-06-01 CreateOrUpdateWorkspace.json",
    },
    "microsoft.dbforpostgresql/flexibleservers": {
        "properties.dataencryption.type": "a flexible server's Resource Graph row (dataEncryption.type SystemManaged)",
        "properties.dataencryption.primarykeyuri": (
            "`az postgres flexible-server show --query dataEncryption` (type AzureKeyVault, primaryKeyURI)"
        ),
        "properties.highavailability.mode": "a flexible server's Resource Graph row (highAvailability.mode Disabled)",
        "properties.backup.georedundantbackup": "a flexible server's Resource Graph row (backup.geoRedundantBackup)",
        "sku.name": "a flexible server's Resource Graph row (sku.name Standard_B1ms, tier Burstable)",
    },
    "microsoft.sql/servers/databases": {
        "sku.name": "`az sql db show` answers (sku.name GP_Gen5 / Standard / Basic, with tier and capacity)",
        "properties.zoneredundant": "`az sql db show` answers (zoneRedundant false)",
        "properties.requestedbackupstorageredundancy": "`az sql db show` answers (Geo)",
    },
    "microsoft.containerservice/managedclusters": {
        "sku.tier": "ContainerService ManagedClustersCreate_*.json (sku: name Basic, tier Free)",
        "properties.agentpoolprofiles[*].availabilityzones": "ContainerService ManagedClustersCreate_*.json",
        "properties.diskencryptionsetid": "ContainerService ManagedClustersCreate_*.json (diskEncryptionSetID)",
        "properties.securityprofile.azurekeyvaultkms.enabled": "AKS KMS docs: `az aks show --query securityProfile`",
        "properties.securityprofile.azurekeyvaultkms.keyid": "AKS KMS docs: `az aks show --query securityProfile`",
    },
    "microsoft.sql/servers/encryptionprotector": {
        "properties.serverkeytype": "Sql 2021-11-01 EncryptionProtectorCreateOrUpdateServiceManaged.json",
        "properties.uri": "an encryptionProtector answer with serverKeyType AzureKeyVault (kind azurekeyvault, uri)",
    },
    "microsoft.network/virtualnetworks/virtualnetworkpeerings": {
        "properties.peeringstate": "Network 2024-05-01 VirtualNetworkPeeringGet.json",
    },
}


def paths(node: Any, prefix: str = "") -> Iterator[str]:
    """Every path of a JSON value, lower case, `[*]` for list elements (the notation the tables use)."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{prefix}.{key.lower()}" if prefix else key.lower()
            yield here
            yield from paths(value, here)
    elif isinstance(node, list):
        for value in node:
            yield from paths(value, prefix + "[*]")


def read_paths(arm_type: str) -> set[str]:
    """The paths the project reads on resources of `arm_type` (CMK table, live attribute table)."""
    out: set[str] = set()
    for rule in RULES:
        if rule.arm_type.lower() != arm_type:
            continue
        for part in rule.parts:
            for a in part.arm:
                if a.child:
                    continue
                out.update(p.lower() for p in (a.key, *a.also, a.vault, a.when[0] if a.when else None) if p)
    for row in BY_ARM.get(arm_type, ()):
        out.update(attr.path.lower() for attr in ATTRIBUTES.get(row.azurerm, ()) if attr.path.startswith("properties."))
    for sla_rule in SLA_RULES:
        if sla_rule.arm_type.lower() == arm_type:
            out.update(f.arm.lower() for f in sla_rule.fields if f.arm)
    return out | SLA_DERIVED.get(arm_type, set())


#: ARM paths pytest_cloudcheck.sla reads beside the SLA table's fields (redundancy groups, data disks)
SLA_DERIVED = {
    "microsoft.compute/virtualmachines": {
        "zones",
        "properties.availabilityset.id",
        "properties.hardwareprofile.vmsize",
        "properties.storageprofile.datadisks[*].manageddisk.storageaccounttype",
    },
}


def _real() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for name, arm_type in EXAMPLE_TYPES.items():
        doc = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
        responses = doc["responses"]
        body = (responses.get("200") or responses.get("201"))["body"]
        out.setdefault(arm_type, set()).update(paths(body))
    for arm_type, confirmed in CONFIRMED.items():
        out.setdefault(arm_type, set()).update(confirmed)
    return out


def _fake() -> dict[str, list[dict[str, Any]]]:
    """The rows the fake serves: the landing zone, and the shapes the payload tests add to it."""
    import tempfile

    from test_live_payloads import CASES
    from test_sla_live import write_plans

    landing = convert(LANDING_PLANS, 443)
    with tempfile.TemporaryDirectory() as folder:  # the SLA shop: SKUs, zones, HA modes, availability sets
        shop = convert(write_plans(Path(folder)), 443)
    for sub, rows in shop.rows.items():
        landing.rows.setdefault(sub, []).extend(rows)
    served = SimpleNamespace(rows=landing.rows, keys=landing.keys, children=landing.children, port=443)
    for edit, _ in CASES.values():
        edit(served)  # type: ignore[arg-type]
    out: dict[str, list[dict[str, Any]]] = {}
    for rows in landing.rows.values():
        for row in rows:
            out.setdefault(row["type"].lower(), []).append(row)
            for child in row.get("properties", {}).get("virtualNetworkPeerings", ()):
                out.setdefault("microsoft.network/virtualnetworks/virtualnetworkpeerings", []).append(child)
    for body in landing.children.values():
        for row in body.get("value", [body]):
            out.setdefault(row["type"].lower(), []).append(row)
    return out


REAL = _real() if EXAMPLES.is_dir() else {}
FAKE = _fake() if EXAMPLES.is_dir() else {}
COMPARED = sorted(t for t in REAL if t in FAKE)


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="shared/reference/azure-examples is not beside the repository")
def test_every_type_the_examples_cover_is_compared() -> None:
    assert set(COMPARED) >= {
        "microsoft.compute/disks",
        "microsoft.compute/diskencryptionsets",
        "microsoft.compute/virtualmachines",
        "microsoft.storage/storageaccounts",
        "microsoft.network/virtualnetworks",
        "microsoft.network/virtualnetworks/virtualnetworkpeerings",
        "microsoft.sql/servers/encryptionprotector",
        "microsoft.synapse/workspaces",
        "microsoft.containerservice/managedclusters",
    }


@pytest.mark.parametrize("arm_type", COMPARED)
def test_the_fake_holds_what_azure_holds_at_the_paths_we_read(arm_type: str) -> None:
    read = read_paths(arm_type) | set(CONFIRMED.get(arm_type, ()))
    fake = {p for row in FAKE[arm_type] for p in paths(row)}
    real = REAL[arm_type]
    invented = sorted(p for p in read & fake if p not in real)
    missing = sorted(p for p in read & real if p not in fake)
    assert not invented, f"the fake's {arm_type} rows hold paths no real payload has: {invented}"
    assert not missing, f"real {arm_type} payloads hold paths we read that the fake never serves: {missing}"
