"""Stash keys shared by the hooks and fixtures."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .reports import Reporting
    from .session import CloudcheckSession

SESSION: pytest.StashKey[CloudcheckSession] = pytest.StashKey()
REPORTING: pytest.StashKey[Reporting] = pytest.StashKey()
