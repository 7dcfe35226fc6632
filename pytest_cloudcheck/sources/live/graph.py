"""Azure Resource Graph: every resource of a scope in one paged query, with our own 429 backoff.

azure-core retries a throttled POST only when the response has Retry-After; Resource Graph sends
`x-ms-user-quota-resets-after` (hh:mm:ss) instead, so throttling is handled here, within the
run's time budget.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .auth import within_budget

#: page size: Resource Graph's maximum, so 10k resources cost ten requests
PAGE_SIZE = 1000

#: every resource with its properties and tags, resource groups (for drift and tags), backup
#: protected items (infrastructure backups live in RecoveryServicesResources) and role assignments
#: (AuthorizationResources: the isolation check judges who may act on prod)
INVENTORY_QUERY = (
    "resources"
    " | union (resourcecontainers | where type =~ 'microsoft.resources/subscriptions/resourcegroups')"
    " | union (recoveryservicesresources"
    " | where type =~ 'microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems')"
    " | union (authorizationresources | where type =~ 'microsoft.authorization/roleassignments')"
    " | order by id asc"
)

_RESETS_AFTER = re.compile(r"^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$")


@dataclass
class GraphRows:
    """The rows of one scope, and why they may not be all of it (one line each; empty: complete)."""

    rows: list[dict[str, Any]]
    incomplete: list[str]


class GraphUnreadable(Exception):
    """A scope Resource Graph would not (or not in time) give us; `reason` is one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class GraphStats:
    requests: int = 0
    throttled: int = 0


def resets_after(headers: Any) -> float | None:
    """Seconds from `x-ms-user-quota-resets-after: 00:00:02` (or Retry-After), None if absent."""
    raw = headers.get("x-ms-user-quota-resets-after") if headers is not None else None
    if raw:
        match = _RESETS_AFTER.match(raw.strip())
        if match:
            hours, minutes, seconds = match.groups()
            return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    retry_after = headers.get("retry-after") if headers is not None else None
    if retry_after and retry_after.strip().isdigit():
        return float(retry_after)
    return None


def query_all(
    client: Any,
    scope: dict[str, list[str]],
    deadline: float,
    stats: GraphStats,
    *,
    query: str = INVENTORY_QUERY,
    sleep: Callable[[float], None] = time.sleep,
    read_timeout: float = 60.0,
) -> GraphRows:
    """Every row of `query` over `scope` ({"subscriptions": [...]} or {"management_groups": [...]}).

    Raises GraphUnreadable (403, throttled past the deadline, timeout, other HTTP errors, an answer
    that is not Resource Graph's JSON); authentication errors propagate as they are (the caller
    turns them into a usage error). Rows are kept once by id (a page served twice adds nothing);
    a truncated answer, fewer rows than `totalRecords` or a skip token served twice is named in
    `incomplete`, never passed over.
    """
    from azure.core.exceptions import (
        ClientAuthenticationError,
        DecodeError,
        HttpResponseError,
        ServiceRequestError,
        ServiceResponseError,
    )
    from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

    rows: dict[str, dict[str, Any]] = {}
    incomplete: list[str] = []
    seen_tokens: set[str] = set()
    total: int | None = None
    skip_token: str | None = None
    while True:
        request = QueryRequest(
            query=query,
            options=QueryRequestOptions(top=PAGE_SIZE, skip_token=skip_token, result_format="objectArray"),
            **scope,  # type: ignore[arg-type]  # subscriptions= or management_groups=
        )
        try:
            stats.requests += 1
            # the budget is the run's: no page waits past it, retries included
            page = client.resources(request, **within_budget(deadline, read_timeout))
        except ClientAuthenticationError as exc:
            if exc.status_code == 401 or exc.response is None:
                raise
            raise GraphUnreadable(_http_reason(exc)) from None
        except HttpResponseError as exc:
            if exc.status_code == 429:
                stats.throttled += 1
                wait = resets_after(getattr(exc.response, "headers", None))
                wait = 1.0 if wait is None else wait
                if time.monotonic() + wait > deadline:
                    raise GraphUnreadable(
                        f"throttled by Resource Graph (429; quota resets after {wait:g} s, beyond the time budget)"
                    ) from None
                sleep(wait)
                continue
            raise GraphUnreadable(_http_reason(exc)) from None
        except (ServiceRequestError, ServiceResponseError) as exc:
            raise GraphUnreadable(f"no answer from Resource Graph ({type(exc).__name__}: {_first_line(exc)})") from None
        except (DecodeError, ValueError, TypeError, AttributeError) as exc:  # HTML, not JSON; not the model's shape
            what = f"{type(exc).__name__}: {_first_line(exc)}"
            raise GraphUnreadable(f"Resource Graph answered with something that is not its JSON ({what})") from None
        data = page.data
        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            shown = type(data).__name__ if not isinstance(data, list) else "a list of non-objects"
            raise GraphUnreadable(f"Resource Graph answered `data` as {shown}, not a list of rows (objectArray)")
        for row in data:
            rows.setdefault(str(row.get("id") or len(rows)).lower(), row)
        if isinstance(page.total_records, int):
            total = page.total_records
        if str(page.result_truncated).lower() == "true":
            incomplete.append(f"Resource Graph truncated the answer (resultTruncated) at {len(rows)} rows")
        skip_token = page.skip_token
        if not skip_token:
            break
        if skip_token in seen_tokens:
            incomplete.append(f"Resource Graph served the same page twice (skip token repeated) after {len(rows)} rows")
            break
        seen_tokens.add(skip_token)
        if time.monotonic() > deadline:
            raise GraphUnreadable(f"time budget spent after {len(rows)} of {page.total_records} resources")
    if total is not None and total > len(rows) and not incomplete:
        incomplete.append(f"Resource Graph counted {total} rows (totalRecords) but gave {len(rows)}")
    return GraphRows(list(rows.values()), incomplete)


def _http_reason(exc: Any) -> str:
    code = getattr(getattr(exc, "error", None), "code", None)
    status = exc.status_code
    return f"HTTP {status}{' ' + code if code else ''}: {_first_line(exc)}"


def _first_line(exc: Exception) -> str:
    text = str(getattr(getattr(exc, "error", None), "message", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
