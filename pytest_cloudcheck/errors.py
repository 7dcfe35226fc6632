"""Errors users see. Each carries one line that names the input and the fix; never a traceback."""

from __future__ import annotations

import pytest


class CloudcheckError(Exception):
    """Base class of every error the plugin reports to users."""


class SourceError(CloudcheckError):
    """An input (plan file, HCL folder, subscription) could not be read as required."""

    def __init__(self, location: str, problem: str) -> None:
        self.location = location
        self.problem = problem
        super().__init__(f"{location}: {problem}")


# pytest marks UsageError final, but subclassing it is how a plugin's usage errors get pytest's short report
class ConfigurationError(CloudcheckError, pytest.UsageError):  # type: ignore[misc]
    """An option, ini key or marker argument is wrong."""


class UnknownResourceType(ConfigurationError, LookupError):  # type: ignore[misc]
    """A resource type name that is neither an azurerm type nor an ARM type we know."""


class CloudcheckWarning(pytest.PytestWarning):
    """Warnings of pytest-cloudcheck (filter with `-W ignore::pytest_cloudcheck.CloudcheckWarning`)."""
