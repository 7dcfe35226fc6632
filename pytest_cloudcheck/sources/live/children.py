"""Child resources Resource Graph does not hold, read with one ARM GET each.

- a SQL server's TDE protector (`{server}/encryptionProtector/current`: `serverKeyType`
  `AzureKeyVault` and the key `uri`), which the CMK check judges;
- the diagnostic settings (`{resource}/providers/Microsoft.Insights/diagnosticSettings`) of every
  resource the isolation check judges (prod resources: their logs must not flow into nonprod).

Reads run in parallel up to the run's concurrency, inside its one time budget. A read that fails
(refused, throttled past the budget, not answered, not JSON) is a gap in the ledger, so the checks
give `not_assessed` for that resource; "this type has no diagnostic settings" is an answer, not a gap.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ...model import Resource
from .auth import within_budget

__all__ = ["CHILD_READS", "DIAGNOSTICS", "PROTECTOR", "ChildRead", "ChildResult", "read_children"]


@dataclass(frozen=True, slots=True)
class ChildRead:
    """One kind of child read: which parents, where, and what a failure hides."""

    #: what is read, for messages ("TDE protector")
    what: str
    #: the parents to read it for
    wanted: Callable[[Resource], bool]
    #: appended to the parent's ARM id
    path: str
    api_version: str
    #: the answer is a list (`{"value": [...]}`) rather than one resource
    listing: bool
    #: azurerm types a failed read hides (the checks judging them give not_assessed)
    hides: tuple[str, ...]
    fix: str
    #: error codes meaning "nothing of this kind here" (an answer, not a gap)
    absent_codes: frozenset[str] = frozenset()


def _sql_server(r: Resource) -> bool:
    return (r.arm_type or "").lower() in ("microsoft.sql/servers", "microsoft.sql/managedinstances")


def _judged_by_isolation(r: Resource) -> bool:
    """A prod resource of its own (not a child, a resource group or a key) with an ARM id."""
    if r.environment != "prod" or not r.id or r.type in _NO_DIAGNOSTICS:
        return False
    provider = r.id.lower().rsplit("/providers/", 1)
    return len(provider) == 2 and provider[1].count("/") == 2  # Namespace/type/name


_NO_DIAGNOSTICS = frozenset(
    {
        "azurerm_resource_group",
        "azurerm_key_vault_key",
        "azurerm_role_assignment",
        "azurerm_monitor_diagnostic_setting",
        "azurerm_user_assigned_identity",
        "azurerm_disk_encryption_set",
        "azurerm_managed_disk",
        "azurerm_network_interface",
        "azurerm_route_table",
        "azurerm_private_dns_zone",
    }
)

#: a SQL server's (or managed instance's) TDE protector
PROTECTOR = ChildRead(
    "TDE protector",
    _sql_server,
    "/encryptionProtector/current",
    "2021-11-01",
    listing=False,
    hides=("azurerm_mssql_server", "azurerm_sql_server", "azurerm_mssql_managed_instance"),
    fix="give the identity Reader on the server (Microsoft.Sql/servers/encryptionProtector/read)",
)
#: the diagnostic settings of a resource the isolation check judges
DIAGNOSTICS = ChildRead(
    "diagnostic settings",
    _judged_by_isolation,
    "/providers/Microsoft.Insights/diagnosticSettings",
    "2021-05-01-preview",
    listing=True,
    hides=("azurerm_monitor_diagnostic_setting",),
    fix="give the identity Reader (Microsoft.Insights/diagnosticSettings/read) on the resource",
    absent_codes=frozenset({"resourcetypenotsupported", "resourcenotsupported"}),
)
#: the child reads live mode makes, in order
CHILD_READS: tuple[ChildRead, ...] = (PROTECTOR, DIAGNOSTICS)


@dataclass
class ChildResult:
    read: ChildRead
    parent: Resource
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: why it could not be read, one line; None when read (possibly with no rows)
    error: str | None = None


def read_children(
    resources: Iterable[Resource],
    credential: Any,
    arm: str,
    scope: str,
    options: dict[str, Any],
    concurrency: int,
    deadline: float,
    reads: tuple[ChildRead, ...] = CHILD_READS,
) -> list[ChildResult]:
    """Every child read of `reads` for the resources it wants, `concurrency` at a time."""
    jobs = [ChildResult(read, r) for read in reads for r in resources if read.wanted(r)]
    if not jobs:
        return []
    client = _client(credential, arm, scope, options)
    read_timeout = float(options.get("read_timeout") or 60)
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(jobs)))) as pool:
        list(pool.map(lambda job: _read(client, arm, job, deadline, read_timeout), jobs))
    return jobs


def _client(credential: Any, arm: str, scope: str, options: dict[str, Any]) -> Any:
    from azure.core import PipelineClient
    from azure.core.pipeline.policies import (
        BearerTokenCredentialPolicy,
        HeadersPolicy,
        RetryPolicy,
        UserAgentPolicy,
    )
    from azure.core.pipeline.transport import RequestsTransport

    retry = {k: v for k, v in options.items() if k.startswith("retry_")}
    timeouts = {k: v for k, v in options.items() if k in ("connection_timeout", "read_timeout")}
    policies = [
        HeadersPolicy(),
        UserAgentPolicy("pytest-cloudcheck"),
        RetryPolicy(**retry),
        BearerTokenCredentialPolicy(credential, scope),
    ]
    return PipelineClient(arm, policies=policies, transport=RequestsTransport(**timeouts))


def _read(client: Any, arm: str, job: ChildResult, deadline: float, read_timeout: float) -> None:
    from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError, ServiceResponseError
    from azure.core.rest import HttpRequest

    read = job.read
    if time.monotonic() > deadline:
        job.error = "time budget spent before it was read"
        return
    url = f"{arm}{job.parent.id}{read.path}"
    try:
        request = HttpRequest("GET", url, params={"api-version": read.api_version})
        # the budget is the run's: a read never waits past it, retries included
        response = client.send_request(request, **within_budget(deadline, read_timeout))
    except ClientAuthenticationError:
        raise
    except (ServiceRequestError, ServiceResponseError) as exc:
        job.error = f"no answer from ARM ({type(exc).__name__})"
        return
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        job.error = f"HTTP {status}: the answer is not JSON"
        return
    if status >= 400:
        code = str((body.get("error") or {}).get("code") or "") if isinstance(body, dict) else ""
        if status in (400, 404) and code.lower() in read.absent_codes:
            return  # this type has none
        job.error = f"HTTP {status}{' ' + code if code else ''}"
        return
    rows = body.get("value") if read.listing and isinstance(body, dict) else [body]
    if not isinstance(rows, list) or not all(isinstance(row, dict) and isinstance(row.get("id"), str) for row in rows):
        job.error = "the answer is not the ARM shape (no list of resources with ids)"
        return
    job.rows = rows
