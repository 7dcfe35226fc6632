"""Python's cyclic garbage collector paused while big acyclic data is built or read.

A parsed plan, a pickled inventory or a check family's results hold no reference cycles, yet every
collection while they are allocated walks all of them: on big plans that is most of the time spent.
Plain reference counting still frees whatever is dropped meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """Pause the collector (if it is on) for the block; `freeze`: afterwards move everything alive
    out of the collector's view (`gc.freeze()`), for data that lives until the process ends, so
    later collections do not walk it either."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if freeze:
                gc.freeze()
            gc.enable()
