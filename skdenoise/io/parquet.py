"""Parquet files, read and written with pyarrow (what pandas reads them with).

Numeric columns are channels; nulls and NaN are gaps, kept. The table comes back with its schema and its
metadata (pandas' index among them), every other column value for value, each denoised column in its type
(integers rounded and clipped to it) and the compression of the file.
"""

import numpy as np

from .arrays import as_dtype
from .recording import Recording, RecordingError, choose_channels

__all__ = ["read_parquet"]


def read_parquet(path, columns=None):
    """A :class:`~skdenoise.io.recording.Recording` of a Parquet file's columns (``columns``: names or indices)."""
    pa, pq = _pyarrow()
    try:
        table = pq.read_table(path)
        codec = pq.ParquetFile(path).metadata
        codec = codec.row_group(0).column(0).compression.lower() if codec.num_row_groups else "snappy"
    except (pa.ArrowException, OSError) as error:
        raise RecordingError(f"{path}: not a Parquet file pyarrow can read ({error}).") from error
    names = table.column_names

    def numbers(index):
        column = table.column(index)
        if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)):
            return f"is not numbers: it holds {column.type}"
        return column.to_numpy(zero_copy_only=False).astype(np.float64)  # nulls become NaN

    chosen, left = choose_channels(path, names, numbers, columns=columns)
    signals = np.stack([numbers(index) for index in chosen])

    def write(denoised, target):
        out = table
        for index, row in zip(chosen, denoised):
            column = table.column(index)
            nulls = column.is_null().to_numpy(zero_copy_only=False)  # NaN gaps of floats stay NaN in `row`
            values = as_dtype(np.where(nulls, 0, row), column.type.to_pandas_dtype())
            out = out.set_column(index, table.schema.field(index), pa.array(values, type=column.type, mask=nulls))
        pq.write_table(out, target, compression=codec)

    return Recording(path, signals, [names[index] for index in chosen], left=left, _write=write)


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ImportError("Parquet files need pyarrow: pip install 'skdenoise[parquet]'.") from error
    return pa, pq
