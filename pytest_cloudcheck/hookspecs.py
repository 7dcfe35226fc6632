"""Hooks pytest-cloudcheck offers to conftest.py files and plugins."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.hookspec(firstresult=True)
def pytest_cloudcheck_credential(config: pytest.Config) -> Any:
    """Return the azure `TokenCredential` live mode uses (None: azure-identity's DefaultAzureCredential).

    Called once, at session start, before live Azure is read; implement it in a conftest.py at the
    rootdir (or a plugin) to use a specific identity or a test fake. The `cloudcheck_credential`
    fixture then returns the same object.
    """
