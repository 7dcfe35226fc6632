"""Credentials and SDK client settings for live mode (azure imports stay inside the functions).

The credential comes from the run (`Settings.credential`, filled by the
`pytest_cloudcheck_credential` hook) or, by default, azure-identity's `DefaultAzureCredential`.
azure-identity fails lazily, on the first token request, and logs the whole story at WARNING:
`quiet_identity_log` keeps that story out of the output and `auth_error` turns it into one line.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypedDict

from ...errors import ConfigurationError
from ...settings import Settings

#: "\tAzureCliCredential: Azure CLI not found on path" lines of DefaultAzureCredential's error
_TRIED = re.compile(r"^\s+([A-Za-z]+Credential): ", re.MULTILINE)

HOW_TO_CONFIGURE = (
    "configure one: AZURE_CLIENT_ID + AZURE_TENANT_ID + AZURE_CLIENT_SECRET (service principal), "
    "AZURE_FEDERATED_TOKEN_FILE (workload identity federation in CI), a managed identity, or `az login`; "
    "or return a credential from a pytest_cloudcheck_credential hook in conftest.py"
)


PUBLIC_ARM = "https://management.azure.com"
PUBLIC_KEYVAULT = "https://vault.azure.net"
#: the ARM metadata document naming a cloud's endpoints and DNS suffixes
METADATA_API = "2022-09-01"


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where live mode sends its requests (public cloud by default; sovereign clouds and fakes differ)."""

    arm: str
    authority: str | None
    keyvault_audience: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Endpoints:
        arm = str(settings.get("arm_endpoint") or PUBLIC_ARM).rstrip("/")
        authority = settings.get("authority") or None
        audience = str(settings.get("keyvault_audience") or PUBLIC_KEYVAULT).rstrip("/")
        return cls(arm, authority, audience)

    @staticmethod
    def needs_discovery(settings: Settings) -> bool:
        """No Key Vault audience configured and an ARM endpoint that is not the public cloud's."""
        arm = str(settings.get("arm_endpoint") or PUBLIC_ARM).rstrip("/").lower()
        return not settings.get("keyvault_audience") and arm != PUBLIC_ARM

    @property
    def arm_scope(self) -> str:
        return self.arm + "/.default"

    @property
    def vault_domain(self) -> str:
        """`vault.azure.net` for the public cloud: vault hosts end in it."""
        return self.keyvault_audience.split("://", 1)[-1].split("/", 1)[0].lower()


def discover_keyvault_audience(arm: str, options: dict[str, Any]) -> str:
    """The Key Vault audience of the cloud behind `arm`, from `{arm}/metadata/endpoints`
    (`suffixes.keyVaultDns`; sovereign clouds: `vault.usgovcloudapi.net`, `vault.azure.cn`).
    Unauthenticated GET; raises SourceError (one line) when the document cannot be read."""
    from azure.core import PipelineClient
    from azure.core.exceptions import ServiceRequestError, ServiceResponseError
    from azure.core.pipeline.policies import HeadersPolicy, RetryPolicy, UserAgentPolicy
    from azure.core.pipeline.transport import RequestsTransport
    from azure.core.rest import HttpRequest

    from ...errors import SourceError

    url = f"{arm}/metadata/endpoints"
    retry = {k: v for k, v in options.items() if k.startswith("retry_")}
    timeouts = {k: v for k, v in options.items() if k in ("connection_timeout", "read_timeout")}
    policies = [HeadersPolicy(), UserAgentPolicy("pytest-cloudcheck"), RetryPolicy(**retry)]
    fix = "set cloudcheck_keyvault_audience (for example https://vault.usgovcloudapi.net)"
    client: Any = PipelineClient(arm, policies=policies, transport=RequestsTransport(**timeouts))
    try:
        response = client.send_request(HttpRequest("GET", url, params={"api-version": METADATA_API}))
        body = response.json() if response.status_code == 200 else None
    except (ServiceRequestError, ServiceResponseError, ValueError) as exc:
        raise SourceError("live Azure", f"{url} could not be read ({type(exc).__name__}); {fix}") from None
    clouds = [c for c in (body if isinstance(body, list) else [body]) if isinstance(c, dict)]
    # 2022-09-01 lists every cloud: the one whose resourceManager is ours (a lone entry is ours)
    mine = [c for c in clouds if str(c.get("resourceManager", "")).rstrip("/").lower() == arm.lower()]
    chosen = mine or (clouds if len(clouds) == 1 else [])
    suffixes = chosen[0].get("suffixes") if chosen else None
    suffix = suffixes.get("keyVaultDns") if isinstance(suffixes, dict) else None
    if not isinstance(suffix, str) or not suffix.strip(". "):
        status = response.status_code
        raise SourceError("live Azure", f"{url} (HTTP {status}) names no Key Vault DNS suffix for {arm}; {fix}")
    return "https://" + suffix.strip(". ")


def credential_for(settings: Settings, endpoints: Endpoints) -> Any:
    """The run's credential; builds (and remembers) DefaultAzureCredential when none was given."""
    if settings.credential is None:
        from azure.identity import DefaultAzureCredential

        kwargs: dict[str, Any] = {}
        if endpoints.authority:
            # a configured authority is trusted as given: MSAL's instance discovery would ask
            # login.microsoftonline.com about it first (and fail for private or test authorities)
            kwargs["authority"] = endpoints.authority
            kwargs["disable_instance_discovery"] = True
        settings.credential = DefaultAzureCredential(**kwargs)
    return settings.credential


def client_options(settings: Settings) -> dict[str, Any]:
    """Retry and timeout options every SDK client of a run gets (bounded by the time budget)."""
    budget = float(settings.get("live_time_budget") or 300)
    return {
        "retry_total": 3,
        "retry_backoff_factor": 0.5,
        "retry_backoff_max": 10,
        "retry_read": 1,  # a read timeout is retried once: two of them fit in half the budget
        "connection_timeout": min(10.0, max(1.0, budget / 4)),
        "read_timeout": min(60.0, max(1.0, budget / 4)),
    }


class ReadLimits(TypedDict):
    read_timeout: float
    timeout: float


def within_budget(deadline: float, read_timeout: float) -> ReadLimits:
    """Per-request options that keep one read inside the run's time budget: its socket read timeout,
    and azure-core's absolute timeout for the read with its retries. The retry policy retries a read
    timeout or a throttled answer; without the absolute timeout, those retries (and their back-off
    sleeps) ran past the deadline. At least 0.5 s either way."""
    left = max(0.5, deadline - time.monotonic())
    return ReadLimits(read_timeout=min(read_timeout, left), timeout=left)


def tried_credentials(message: str) -> list[str]:
    return _TRIED.findall(message)


def auth_error(exc: Exception) -> ConfigurationError:
    """One line for a credential that could not get a token."""
    message = str(exc)
    tried = tried_credentials(message)
    if tried:
        return ConfigurationError(
            f"live Azure: no credential could get a token (tried {', '.join(tried)}); {HOW_TO_CONFIGURE}"
        )
    first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    return ConfigurationError(f"live Azure: authentication failed: {first}; {HOW_TO_CONFIGURE}")


@contextmanager
def quiet_identity_log() -> Iterator[None]:
    """Hold azure.identity's WARNING story back: the run reports the failure once, as one line."""
    logger = logging.getLogger("azure.identity")
    before = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(before)
