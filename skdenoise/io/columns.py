"""Which columns of a file are measurements to denoise, and which are not: a time axis, a label, a constant.

A logger's export holds more than measurements: time stamps or a row index (monotonic), flags and class
labels (a few distinct integers), constants. Denoised, they would come back changed: time stamps moved,
flags turned into fractions. :func:`not_a_measurement` tells them apart from the values alone, reading a
column in blocks (a memmap is never copied whole); gaps (NaN) are passed over.
"""

import numpy as np

__all__ = ["MAX_LABEL_VALUES", "not_a_measurement"]

#: A column of at most this many distinct integer values is a label or a flag (class labels, 0/1 flags,
#: status codes), not a measurement.
MAX_LABEL_VALUES = 16
#: Values read at a time.
BLOCK = 1 << 20


def not_a_measurement(values):
    """Why a column of `values` (1-D, NaN at gaps) is not a measurement to denoise; None where it looks like one.

    Not a measurement: no values (every cell a gap); one value throughout; at most :data:`MAX_LABEL_VALUES`
    distinct values, every one an integer (a label or a flag); values that never go down, or never up, between
    neighbours (a time axis, a row index or a counter: noise would move them both ways).

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.io.columns import not_a_measurement
    >>> not_a_measurement(np.arange(100.0))
    'monotonic: a time axis, an index or a counter'
    >>> not_a_measurement(np.tile([0.0, 1.0, 0.0], 50))
    'a label or flag: 2 distinct integer values'
    >>> not_a_measurement(np.sin(np.arange(100.0))) is None
    True
    """
    facts = _ColumnFacts()
    for start in range(0, len(values), BLOCK):
        facts.add(np.asarray(values[start:start + BLOCK], dtype=np.float64))
    return facts.verdict()


class _ColumnFacts:
    """What :func:`not_a_measurement` needs of a column, gathered block by block."""

    def __init__(self):
        self.count, self.first, self.last = 0, None, None
        self.constant, self.rising, self.falling, self.integer = True, True, True, True
        self.distinct = set()

    def add(self, block):
        present = block[~np.isnan(block)]
        if not present.size:
            return
        joined = present if self.last is None else np.concatenate([[self.last], present])
        steps = np.diff(joined)
        self.rising &= bool(np.all(steps >= 0))
        self.falling &= bool(np.all(steps <= 0))
        self.first = present[0] if self.first is None else self.first
        self.constant &= bool(np.all(present == self.first))
        self.last, self.count = present[-1], self.count + present.size
        self.integer &= bool(np.all(present == np.rint(present)))
        if self.integer and len(self.distinct) <= MAX_LABEL_VALUES:
            self.distinct.update(np.unique(present[: 1 << 16]).tolist())
            if len(self.distinct) <= MAX_LABEL_VALUES:
                self.distinct.update(np.unique(present).tolist())

    def verdict(self):
        if not self.count:
            return "empty: every cell is a gap"
        if self.constant:
            return "constant"
        if self.integer and len(self.distinct) <= MAX_LABEL_VALUES:
            return f"a label or flag: {len(self.distinct)} distinct integer values"
        if self.rising or self.falling:
            return "monotonic: a time axis, an index or a counter"
        return None
