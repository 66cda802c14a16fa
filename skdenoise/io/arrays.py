""".npy and .npz files: arrays as channels, shapes and dtypes kept.

A 1-D array is one channel, a 2-D one ``(channels, time)`` or ``(time, channels)``, time along the longer
axis unless `time_axis` says otherwise. A .npy file is read through a memmap, never copied whole, and written
block by block; a .npz archive's 1-D and 2-D numeric arrays are its channels, the other arrays and the
compression are kept. Integers are rounded and clipped to their dtype's range; NaN in float arrays are gaps.
"""

import zipfile

import numpy as np

from .recording import Recording, RecordingError, choose_channels

__all__ = ["as_dtype", "read_npy", "read_npz"]


def read_npy(path, columns=None, time_axis=None):
    """A :class:`~skdenoise.io.recording.Recording` of a .npy file's channels (``columns``: their indices)."""
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)
    except ValueError as error:
        raise RecordingError(f"{path}: not a numpy array file ({error}).") from error
    view, back = _oriented(path, array, time_axis, name="the array")
    names = [f"channel {channel}" for channel in range(view.shape[0])]
    chosen, left = choose_channels(path, names, lambda channel: view[channel],
                                   columns=_indices(columns), what="channel")
    whole = chosen == list(range(view.shape[0]))
    signals = view if whole else np.asarray(view[chosen], dtype=np.float64)

    def write(denoised, target):
        out = denoised if whole else _merged(view, chosen, denoised)
        # Written block by block through a file, not a memmap, whose pages would all stay resident until closed.
        header = {"descr": np.lib.format.dtype_to_descr(array.dtype), "fortran_order": False, "shape": array.shape}
        with open(target, "wb") as file:
            np.lib.format.write_array_header_1_0(file, header)
            for block in _blocks_in_c_order(back(out)):
                file.write(np.ascontiguousarray(as_dtype(block, array.dtype)).tobytes())

    return Recording(path, signals, [names[channel] for channel in chosen], left=left, _write=write)


def read_npz(path, columns=None, time_axis=None):
    """A :class:`~skdenoise.io.recording.Recording` of a .npz archive's arrays (``columns``: array keys, or
    channels ``key[i]``)."""
    try:
        archive = np.load(path, allow_pickle=False)
        arrays = {key: archive[key] for key in archive.files}
        compressed = any(info.compress_type != zipfile.ZIP_STORED for info in zipfile.ZipFile(path).infolist())
    except (ValueError, zipfile.BadZipFile) as error:
        raise RecordingError(f"{path}: not a numpy .npz archive ({error}).") from error
    views = {key: _oriented(path, array, time_axis, name=f"array {key!r}") for key, array in arrays.items()
             if array.dtype.kind in "iuf" and array.ndim in (1, 2)}
    owners = [(key, row) for key, (view, _) in views.items() for row in range(view.shape[0])]
    names = [key if views[key][0].shape[0] == 1 else f"{key}[{row}]" for key, row in owners]
    if not names:
        raise RecordingError(f"{path}: no 1-D or 2-D numeric array to denoise.")
    if columns is not None:  # an array's key stands for all its channels
        missing = [str(column) for column in columns if str(column) not in arrays and str(column) not in names]
        if missing:
            raise RecordingError(f"{path}: there is no array {missing[0]!r}; the arrays are {', '.join(arrays)}.")
        columns = [name for column in map(str, columns)
                   for name, (key, _) in zip(names, owners) if column in (key, name)]
    chosen, left = choose_channels(path, names, lambda i: views[owners[i][0]][0][owners[i][1]], columns=columns,
                                   what="array")
    lengths = {names[i]: views[owners[i][0]][0].shape[1] for i in chosen}
    if len(set(lengths.values())) > 1:
        raise RecordingError(f"{path}: the arrays to denoise differ in length ({lengths}); name one (--columns).")
    signals = np.stack([np.asarray(views[owners[i][0]][0][owners[i][1]], dtype=np.float64) for i in chosen])

    def write(denoised, target):
        out = dict(arrays)
        for key in {owners[i][0] for i in chosen}:
            view, back = views[key]
            rows = [owners[i][1] for i in chosen if owners[i][0] == key]
            values = denoised[[position for position, i in enumerate(chosen) if owners[i][0] == key]]
            out[key] = back(_merged(view, rows, values))
        with open(target, "wb") as file:
            (np.savez_compressed if compressed else np.savez)(file, **out)

    return Recording(path, signals, [names[i] for i in chosen], left=left, _write=write)


def as_dtype(denoised, dtype):
    """Values in `dtype`: integers rounded and clipped to its range."""
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return np.clip(np.rint(denoised), info.min, info.max).astype(dtype)
    return np.asarray(denoised, dtype=dtype)


def _indices(columns):
    return None if columns is None else [str(column) for column in columns]


def _merged(view, rows, values):
    """A copy of `view` ``(channels, time)`` in its dtype, `values` in place of its `rows`."""
    out = np.array(view)
    out[rows] = as_dtype(values, out.dtype)
    return out


def _oriented(path, array, time_axis, *, name):
    """``(channels, time)`` view of a 1-D or 2-D array, and how to turn ``(channels, time)`` back."""
    if array.dtype.kind not in "iuf":
        raise RecordingError(f"{path}: {name} holds {array.dtype}, not numbers.")
    if array.ndim == 1:
        return array[None], lambda signals: signals[0]
    if array.ndim != 2:
        raise RecordingError(f"{path}: {name} has {array.ndim} dimensions; a recording is 1-D (one channel) or 2-D "
                             f"(channels and time).")
    axis = time_axis if time_axis is not None else (0 if array.shape[0] > array.shape[1] else 1)
    if axis == 0:
        return array.T, lambda signals: signals.T
    return array, lambda signals: signals


def _blocks_in_c_order(array, size=1 << 20):
    """Consecutive pieces of a 1-D or 2-D `array` of at most about `size` values, whose concatenation in order is
    its C-order data (whole rows where they fit, else slices of one row)."""
    if array.ndim == 1:
        yield from (array[start:start + size] for start in range(0, len(array), size))
        return
    rows = size // max(array.shape[1], 1)
    if rows >= 1:
        yield from (array[start:start + rows] for start in range(0, array.shape[0], rows))
        return
    for row in array:
        yield from (row[start:start + size] for start in range(0, len(row), size))
