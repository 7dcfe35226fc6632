"""Decoding big JSON files fast, with exactly the standard library's results.

`decode(raw)` gives what `json.loads(raw)` gives, or raises what it raises. On big inputs it uses
msgspec's decoder where msgspec is installed (about twice as fast, and it reads the bytes without
first copying them into a `str`): for every input msgspec accepts it builds the same objects
(integers of any size stay `int`, floats are the same doubles, the last of duplicate keys wins, key
order is kept). What it does not accept the same way (NaN / Infinity, a byte-order mark, UTF-16 or
UTF-32, lone surrogate escapes, invalid UTF-8, nesting too deep, malformed JSON) goes to `json.loads`,
so such input gets the standard library's result or error, message included.

`unused` names top-level members not worth building: `{"planned_values": "resource_changes"}`
leaves `planned_values` as raw text when `resource_changes` is present (a plan repeats every
planned resource there; nothing reads it then). msgspec still checks that text is well-formed JSON
(it is pure ASCII, or nothing is skipped: only the decoded part is checked for UTF-8), so a broken
file fails as it would otherwise. Without msgspec everything is decoded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

#: below this size the standard library is as fast as msgspec once msgspec's import is counted.
#: Measured inside a pytest run (whose standard-library modules msgspec shares): a 0.5 MB plan
#: parses in ~6 ms with json, ~9 ms with msgspec's import; a 2.1 MB plan (the benchmark's 1k) in
#: ~29 ms against ~18 ms (msgspec also leaves `planned_values` undecoded); even at about 1 MB.
FAST_FROM_BYTES = 2**20


def decode(raw: bytes, unused: Mapping[str, str] | None = None) -> Any:
    """`json.loads(raw)`, faster on big inputs; `unused`: {member: member whose presence makes it unused}."""
    if len(raw) >= FAST_FROM_BYTES:
        try:
            return _fast(raw, unused or {})
        except ImportError:
            pass
        except (ValueError, RecursionError):  # msgspec.DecodeError is a ValueError
            pass  # judged by the standard library below: its result, or its error message
    return json.loads(raw)


def _fast(raw: bytes, unused: Mapping[str, str]) -> Any:
    import msgspec

    if not unused or not raw.isascii():
        return msgspec.json.decode(raw)
    members = msgspec.json.decode(raw, type=dict[str, msgspec.Raw])
    doc: dict[str, Any] = {}
    for name, text in members.items():
        needless = unused.get(name)
        # a skipped member stays msgspec.Raw (well-formed, not built): nothing reads it
        doc[name] = text if needless is not None and needless in members else msgspec.json.decode(text)
    return doc
