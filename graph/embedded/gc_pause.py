"""Pausing the cyclic garbage collector while millions of records are built.

Loading, decoding and indexing a national dataset creates millions of small objects
that hold no reference cycles. Each of the collector's full passes walks every live
object, so leaving it on makes building the data about twice as slow; reference
counting alone frees what these builders drop. `settle()` then moves the long-lived
result out of the collector's sight so that no request later pays a walk over it.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc(freeze: bool = False) -> Iterator[None]:
    """Disable the cyclic collector inside the block (re-entrant; restores the state).

    With `freeze`, what the block built lives as long as the baseline (an index): every
    object alive at the end is moved out of the collector's sight (`gc.freeze`), so that
    no later full collection walks it in the middle of a request."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()


def settle() -> None:
    """Collect once, then freeze every surviving object (a baseline lives until replaced)."""
    gc.collect()
    gc.freeze()
