"""Credentials and SDK client settings for live mode (azure imports stay inside the functions).

The credential comes from the run (`Settings.credential`, filled by the
`pytest_cloudcheck_credential` hook) or, by default, azure-identity's `DefaultAzureCredential`.
azure-identity fails lazily, on the first token request, and logs the whole story at WARNING:
`quiet_identity_log` keeps that story out of the output and `auth_error` turns it into one line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ...errors import ConfigurationError
from ...settings import Settings

#: "\tAzureCliCredential: Azure CLI not found on path" lines of DefaultAzureCredential's error
_TRIED = re.compile(r"^\s+([A-Za-z]+Credential): ", re.MULTILINE)

HOW_TO_CONFIGURE = (
    "configure one: AZURE_CLIENT_ID + AZURE_TENANT_ID + AZURE_CLIENT_SECRET (service principal), "
    "AZURE_FEDERATED_TOKEN_FILE (workload identity federation in CI), a managed identity, or `az login`; "
    "or return a credential from a pytest_cloudcheck_credential hook in conftest.py"
)


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where live mode sends its requests (public cloud by default; sovereign clouds and fakes differ)."""

    arm: str
    authority: str | None
    keyvault_audience: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Endpoints:
        arm = str(settings.get("arm_endpoint") or "https://management.azure.com").rstrip("/")
        authority = settings.get("authority") or None
        audience = str(settings.get("keyvault_audience") or "https://vault.azure.net").rstrip("/")
        return cls(arm, authority, audience)

    @property
    def arm_scope(self) -> str:
        return self.arm + "/.default"

    @property
    def vault_domain(self) -> str:
        """`vault.azure.net` for the public cloud: vault hosts end in it."""
        return self.keyvault_audience.split("://", 1)[-1].split("/", 1)[0].lower()


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
