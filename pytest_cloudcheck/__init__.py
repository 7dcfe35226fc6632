"""pytest-cloudcheck: infrastructure tests for Azure on Terraform plans, Terraform source and live Azure."""

from __future__ import annotations

from . import checks
from .errors import CloudcheckError, CloudcheckWarning, ConfigurationError, SourceError, UnknownResourceType
from .model import SENSITIVE, UNKNOWN, Finding, Findings, Inventory, Origin, Resource, SourceInfo, lookup

__version__ = "0.1.0"

__all__ = [
    "SENSITIVE",
    "UNKNOWN",
    "CloudcheckError",
    "CloudcheckWarning",
    "ConfigurationError",
    "Finding",
    "Findings",
    "Inventory",
    "Origin",
    "Resource",
    "SourceError",
    "SourceInfo",
    "UnknownResourceType",
    "__version__",
    "checks",
    "lookup",
]
