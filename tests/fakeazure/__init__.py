"""A fake Azure for the live source's tests: HTTPS on 127.0.0.1, real wire formats."""

from .convert import Landing, convert
from .server import TENANT, FakeAzure, Faults, Request

__all__ = ["TENANT", "FakeAzure", "Faults", "Landing", "Request", "convert"]
