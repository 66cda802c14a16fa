"""Giving freed memory back to the system between the stages of long work.

glibc keeps memory that numpy and torch free in its heaps, for later allocations; after training on a long
recording that is hundreds of MiB which the next stage (predicting it whole, writing it) then adds to. Dask's
workers trim it the same way. Elsewhere (macOS, musl) this does nothing.
"""

import ctypes
import ctypes.util
import functools

__all__ = ["release_freed_memory"]


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release_freed_memory():
    """Return the heap's free memory to the system where the C library can (glibc's ``malloc_trim``)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
