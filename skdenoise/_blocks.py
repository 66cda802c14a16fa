"""Long signals run through a filter block by block along time, each block with a margin of its neighbours on
either side, then cut off: a whole-recording transform holds the recording several times over (a wavelet
filter cycle-spun over 8 shifts, on a 10^7-sample float32 recording: 549 MiB above what it held; 134 block by
block), and a filter that copies its input to float64 holds it twice more."""

import numpy as np

__all__ = ["blockwise"]

#: Samples per block, and of the margin on either side (within it, only the coarsest wavelet levels differ).
BLOCK, MARGIN = 1 << 20, 1 << 14


def blockwise(function, signals, add_to=None, weight=1.0):
    """``function(signals)`` for signals ``(n, C, L)`` of at most a block and two margins; longer ones block by
    block along time, in the dtype of the first block's output. Given `add_to`, ``weight * function(signals)``
    is added into it instead, a block at a time (no whole output held), and `add_to` returned."""
    length = signals.shape[-1]
    whole = length <= BLOCK + 2 * MARGIN
    out = add_to
    for start in range(0, length, length if whole else BLOCK):
        low, stop = (0, length) if whole else (max(0, start - MARGIN), min(length, start + BLOCK))
        block = function(signals[..., low:length if whole else min(length, stop + MARGIN)])[..., start - low:stop - low]
        if add_to is not None:
            out[..., start:stop] += weight * block
            continue
        if whole:
            return block
        out = np.empty(block.shape[:-1] + (length,), dtype=block.dtype) if out is None else out
        out[..., start:stop] = block
    return out
