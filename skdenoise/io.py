"""Recordings in files: read one into ``(channels, time)`` signals, write its denoised version back alike.

What ``skdenoise denoise FILE`` is built on, for Python users too. :func:`read_recording` reads

- **CSV/TSV** with a header: the chosen columns (names or 0-based indices; by default every numeric column)
  are the channels; every other column, the header and the row order come back byte for byte, and the
  numbers written carry enough digits to read back the same float32;
- **.npy** (read through a memmap, never copied whole) and **.npz** (its numeric arrays, or the ones named,
  as channels): a 1-D array is one channel, a 2-D one ``(channels, time)`` or ``(time, channels)``, time along
  the longer axis unless `time_axis` says otherwise; shapes and dtypes are kept;
- **.wav** (scipy's reader): mono or multichannel, integer or float; rate, channels and dtype are kept,
  integers rounded and clipped to their range;

and :meth:`Recording.write` writes a denoised ``(channels, time)`` array into a file of the same kind, first
to a temporary file beside it, renamed at the end: an interruption or an error leaves no partial output.
Problems are :class:`RecordingError`, a ``ValueError`` whose message names the file, row or column.

Examples
--------
>>> import pathlib, tempfile
>>> from skdenoise.io import read_recording
>>> path = pathlib.Path(tempfile.mkdtemp()) / "trace.csv"
>>> _ = path.write_text("time,a,label\\n00:00,1.5,x\\n00:01,2.0,y\\n00:02,2.5,z\\n")
>>> recording = read_recording(path)
>>> recording.channels, recording.signals.shape
(['a'], (1, 3))
>>> recording.write(recording.signals * 2, path.with_name("twice.csv"))
>>> print(path.with_name("twice.csv").read_text(), end="")
time,a,label
00:00,3.0,x
00:01,4.0,y
00:02,5.0,z
"""

import contextlib
import dataclasses
import os
import pathlib
import re
import zipfile

import numpy as np

__all__ = ["FORMATS", "Recording", "RecordingError", "read_recording"]

#: File extensions by the format they are read as.
FORMATS = {".csv": "csv", ".tsv": "csv", ".npy": "npy", ".npz": "npz", ".wav": "wav"}
#: Delimiters a CSV file's header is searched for, in order of preference.
DELIMITERS = (",", ";", "\t", "|")


class RecordingError(ValueError):
    """A file that cannot be read as a recording, or a request it cannot serve (a missing column)."""


@dataclasses.dataclass
class Recording:
    """A recording read from a file.

    Attributes
    ----------
    path : pathlib.Path
        The file it was read from.
    signals : ndarray of shape (n_channels, n_timesteps)
        Its numbers (a memmap view for .npy files).
    channels : list of str
        A name per channel: the column, the array key, or ``"channel i"``.
    """

    path: pathlib.Path
    signals: np.ndarray
    channels: list
    _write: object = dataclasses.field(repr=False, default=None)

    def write(self, denoised, path):
        """Write `denoised` ``(n_channels, n_timesteps)`` into `path` as this recording's file, all else kept.

        The file appears whole or not at all (written beside it, then renamed).
        """
        denoised = np.asarray(denoised)
        if denoised.shape != self.signals.shape:
            raise RecordingError(f"{path}: the denoised signals have shape {denoised.shape}, the recording "
                                 f"{self.signals.shape}.")
        path = pathlib.Path(path)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            self._write(denoised, temporary)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()


def read_recording(path, columns=None, time_axis=None):
    """Read a recording from a CSV/TSV, .npy, .npz or .wav file (see :mod:`skdenoise.io`).

    Parameters
    ----------
    path : str or path-like
    columns : sequence of str or int, optional
        CSV/TSV: the columns to denoise, by name or 0-based index; .npz: the arrays, by key. Default: every
        numeric column (array).
    time_axis : {0, 1}, optional
        .npy/.npz: the axis of time of a 2-D array (default: the longer one).

    Returns
    -------
    Recording

    Raises
    ------
    RecordingError
        Naming the file, and the row or column where it applies.
    """
    path = pathlib.Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise RecordingError(f"{path}: unknown kind of file {path.suffix or '(no extension)'!r}; skdenoise reads "
                             f"{', '.join(sorted(FORMATS))}.")
    if not path.is_file():
        raise RecordingError(f"{path}: no such file.")
    if columns is not None and kind in ("npy", "wav"):
        raise RecordingError(f"{path}: columns name CSV columns or .npz arrays; a {path.suffix} file has none.")
    if time_axis not in (None, 0, 1):
        raise RecordingError(f"time_axis must be 0 or 1, got {time_axis!r}.")
    reader = {"csv": _read_csv, "npy": _read_npy, "npz": _read_npz, "wav": _read_wav}[kind]
    recording = reader(path, columns, time_axis)
    if recording.signals.shape[-1] == 0:
        raise RecordingError(f"{path}: the recording is empty.")
    return recording


# ---------------------------------------------------------------------------------------------- CSV / TSV
def _read_csv(path, columns, time_axis):
    text = path.read_bytes().decode("utf-8")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(text)
    rows = _split_rows(text, delimiter)
    if not rows:
        raise RecordingError(f"{path}: the file is empty.")
    header = [_unquote(field).lstrip("\ufeff") for field in rows[0].fields]
    body = rows[1:]
    while body and body[-1].fields == [""]:  # blank last lines
        body.pop()
    for number, row in enumerate(body, start=2):
        if len(row.fields) != len(header):
            raise RecordingError(f"{path}: row {number} has {len(row.fields)} fields, the header {len(header)}.")
    chosen = _csv_columns(path, header, body, columns)
    signals = np.empty((len(chosen), len(body)), dtype=np.float64)
    for channel, column in enumerate(chosen):
        for index, row in enumerate(body):
            signals[channel, index] = _number(path, row.fields[column], index + 2, header[column])

    def write(denoised, target):
        out = []
        for index, row in enumerate(rows):
            fields = list(row.fields)
            if 0 < index <= len(body):
                for channel, column in enumerate(chosen):
                    fields[column] = str(np.float32(denoised[channel, index - 1]))
            out.append(delimiter.join(fields) + row.end)
        target.write_bytes("".join(out).encode("utf-8"))

    return Recording(path, signals, [header[column] for column in chosen], write)


@dataclasses.dataclass
class _Row:
    fields: list
    end: str


def _split_rows(text, delimiter):
    """The rows of CSV `text`, each field as written (quotes included) and each row's line ending, so that
    a row rebuilt from them is the row as it was."""
    if '"' not in text:  # no quoting: lines and fields split as they are
        lines = re.findall(r"([^\r\n]*)(\r\n|\r|\n|$)", text)
        return [_Row(line.split(delimiter), end) for line, end in lines if line or end]
    rows, fields, field, quoted, index = [], [], [], False, 0
    while index < len(text):
        char = text[index]
        if quoted:
            field.append(char)
            if char == '"' and text[index + 1:index + 2] == '"':  # an escaped quote
                field.append('"')
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
            field.append(char)
        elif char == delimiter:
            fields.append("".join(field))
            field = []
        elif char in "\r\n":
            end = "\r\n" if text[index:index + 2] == "\r\n" else char
            fields.append("".join(field))
            rows.append(_Row(fields, end))
            fields, field = [], []
            index += len(end)
            continue
        else:
            field.append(char)
        index += 1
    if field or fields:
        fields.append("".join(field))
        rows.append(_Row(fields, ""))
    return rows


def _sniff_delimiter(text):
    """The delimiter of a CSV file: of :data:`DELIMITERS`, the most frequent one outside quotes in its header
    line (the first listed on a tie; a comma when there is none)."""
    header = re.sub(r'"(?:[^"]|"")*"', "", text.split("\n", 1)[0])
    counts = [header.count(delimiter) for delimiter in DELIMITERS]
    return DELIMITERS[counts.index(max(counts))] if max(counts) else ","


def _unquote(field):
    field = field.strip()
    if len(field) >= 2 and field[0] == field[-1] == '"':
        return field[1:-1].replace('""', '"')
    return field


def _csv_columns(path, header, body, columns):
    """The indices of the chosen columns: named, or every column whose every value is a number."""
    if columns is None:
        chosen = [column for column in range(len(header))
                  if body and all(_is_number(row.fields[column]) for row in body)]
        if not chosen:
            raise RecordingError(f"{path}: no column holds numbers only; name the ones to denoise (--columns).")
        return chosen
    chosen = []
    for column in columns:
        if isinstance(column, str) and column in header:
            chosen.append(header.index(column))
        elif isinstance(column, int) or (isinstance(column, str) and column.isdigit()):
            if not 0 <= int(column) < len(header):
                raise RecordingError(f"{path}: there is no column {column} (columns 0 to {len(header) - 1}).")
            chosen.append(int(column))
        else:
            raise RecordingError(f"{path}: there is no column {column!r}; the columns are {', '.join(header)}.")
    return chosen


def _value(field):
    """The finite number a field holds, or None."""
    try:
        value = float(_unquote(field))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _is_number(field):
    return _value(field) is not None


def _number(path, field, row, column):
    value = _value(field)
    if value is None:
        raise RecordingError(f"{path}: row {row}, column {column!r}: {_unquote(field)!r} is not a number.")
    return value


# ------------------------------------------------------------------------------------------ .npy / .npz
def _oriented(path, array, time_axis, name):
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


def _as_dtype(denoised, dtype):
    """Values in `dtype`: integers rounded and clipped to its range."""
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return np.clip(np.rint(denoised), info.min, info.max).astype(dtype)
    return np.asarray(denoised, dtype=dtype)


def _read_npy(path, columns, time_axis):
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)
    except ValueError as error:
        raise RecordingError(f"{path}: not a numpy array file ({error}).") from error
    signals, back = _oriented(path, array, time_axis, "the array")

    def write(denoised, target):
        # Written block by block through a file, not a memmap, whose pages would all stay resident until closed.
        header = {"descr": np.lib.format.dtype_to_descr(array.dtype), "fortran_order": False, "shape": array.shape}
        with open(target, "wb") as file:
            np.lib.format.write_array_header_1_0(file, header)
            for block in _blocks_in_c_order(back(denoised)):
                file.write(np.ascontiguousarray(_as_dtype(block, array.dtype)).tobytes())

    return Recording(path, signals, [f"channel {channel}" for channel in range(signals.shape[0])], write)


def _blocks_in_c_order(array, size=1 << 22):
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


def _read_npz(path, columns, time_axis):
    try:
        archive = np.load(path, allow_pickle=False)
        arrays = {key: archive[key] for key in archive.files}
        compressed = any(info.compress_type != zipfile.ZIP_STORED for info in zipfile.ZipFile(path).infolist())
    except (ValueError, zipfile.BadZipFile) as error:
        raise RecordingError(f"{path}: not a numpy .npz archive ({error}).") from error
    if columns is None:
        keys = [key for key, array in arrays.items() if array.dtype.kind in "iuf" and array.ndim in (1, 2)]
        if not keys:
            raise RecordingError(f"{path}: no 1-D or 2-D numeric array to denoise.")
    else:
        keys = [str(key) for key in columns]
        missing = [key for key in keys if key not in arrays]
        if missing:
            raise RecordingError(f"{path}: there is no array {missing[0]!r}; the arrays are {', '.join(arrays)}.")
    parts = [_oriented(path, arrays[key], time_axis, f"array {key!r}") for key in keys]
    lengths = {key: part[0].shape[1] for key, part in zip(keys, parts)}
    if len(set(lengths.values())) > 1:
        raise RecordingError(f"{path}: the arrays to denoise differ in length ({lengths}); name one (--columns).")
    signals = np.concatenate([part[0] for part in parts]).astype(np.float64)
    names = [key if part[0].shape[0] == 1 else f"{key}[{channel}]"
             for key, part in zip(keys, parts) for channel in range(part[0].shape[0])]

    def write(denoised, target):
        out, first = dict(arrays), 0
        for key, (view, back) in zip(keys, parts):
            out[key] = back(_as_dtype(denoised[first:first + view.shape[0]], arrays[key].dtype))
            first += view.shape[0]
        with open(target, "wb") as file:
            (np.savez_compressed if compressed else np.savez)(file, **out)

    return Recording(path, signals, names, write)


# ------------------------------------------------------------------------------------------------- .wav
def _read_wav(path, columns, time_axis):
    from scipy.io import wavfile

    try:
        rate, data = wavfile.read(path)
    except ValueError as error:
        raise RecordingError(f"{path}: not a WAV file scipy can read ({error}).") from error
    signals = data[None] if data.ndim == 1 else data.T

    def write(denoised, target):
        out = denoised[0] if data.ndim == 1 else denoised.T
        if data.dtype.kind == "f":
            out = np.clip(out, -1.0, 1.0)
        wavfile.write(target, rate, _as_dtype(out, data.dtype))

    return Recording(path, signals.astype(np.float64), [f"channel {channel}" for channel in range(signals.shape[0])],
                     write)
