"""Sensitive strings Terraform echoes as keys: a `for_each` key or a map key built from a
sensitive value (through `nonsensitive()`, or a key Terraform leaves unmarked) is printed in
plain text in the plan's `address`, `index`, `module_address` and in the attribute maps.

`KeyRedactor` replaces such a key by `(sensitive N)`: the same secret gets the same placeholder
everywhere in one source, so instances, module paths and `each.value` matches stay consistent
(the resolver compares keys for equality only). A finding keeps its resource; only the key is
hidden.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..model import Resource

#: an instance key in an address: `["..."]` (JSON-escaped, as Terraform writes it)
_KEY = re.compile(r'\["((?:[^"\\]|\\.)*)"\]')

#: secrets shorter than this leak only where a whole key equals them (see plan.scrub)
MIN_SUBSTRING_SECRET = 6


def leaks(text: str, secrets: set[str] | frozenset[str], long_secrets: list[str]) -> bool:
    return text in secrets or any(secret in text for secret in long_secrets)


class KeyRedactor:
    """Placeholders for keys that hold a secret, consistent within one source."""

    def __init__(self, secrets: set[str]) -> None:
        self.secrets = frozenset(secrets)
        self._long = [s for s in self.secrets if len(s) >= MIN_SUBSTRING_SECRET]
        self._placeholders: dict[str, str] = {}

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def placeholder(self, key: str) -> str:
        known = self._placeholders.get(key)
        if known is None:
            known = self._placeholders[key] = f"(sensitive {len(self._placeholders) + 1})"
        return known

    def address(self, address: str) -> str:
        """`x.y["<secret>"]` -> `x.y["(sensitive 1)"]` (module keys too)."""
        if '["' not in address:
            return address

        def replace(match: re.Match[str]) -> str:
            try:
                key = json.loads(f'"{match.group(1)}"')
            except ValueError:
                key = match.group(1)
            if not leaks(key, self.secrets, self._long):
                return match.group(0)
            return f'["{self.placeholder(key)}"]'

        return _KEY.sub(replace, address)

    def resource(self, r: Resource) -> None:
        """Redact the instance keys of a resource's address, module and index."""
        if not self.secrets:
            return
        r.address = self.address(r.address)
        r.source_address = self.address(r.source_address)
        r.module = self.address(r.module)
        if isinstance(r.index, str) and leaks(r.index, self.secrets, self._long):
            r.index = self.placeholder(r.index)

    def map_keys(self, values: Any, carried: set[str]) -> None:
        """Rename, in place, map keys that hold a secret: one of `carried` (the secrets Terraform
        can carry into this resource) or a long secret of the source."""
        secrets = carried | set(self._long)
        if not secrets:
            return
        long_secrets = [s for s in secrets if len(s) >= MIN_SUBSTRING_SECRET]
        stack = [values]
        while stack:
            current = stack.pop()
            if isinstance(current, dict):
                renamed = [k for k in current if isinstance(k, str) and leaks(k, secrets, long_secrets)]
                for key in renamed:
                    current[self.placeholder(key)] = current.pop(key)
                stack.extend(v for v in current.values() if isinstance(v, (dict, list)))
            elif isinstance(current, list):
                stack.extend(v for v in current if isinstance(v, (dict, list)))
