"""Recordings in files: read one into ``(channels, time)`` signals, write its denoised version back alike.

What ``skdenoise denoise FILE`` is built on, for Python users too. :func:`read_recording` reads

- **CSV/TSV** with a header (:mod:`~skdenoise.io.delimited`): columns are channels; every other column,
  the header, the line endings and the row order come back byte for byte;
- **.npy** (through a memmap, never copied whole) and **.npz** (:mod:`~skdenoise.io.arrays`): a 1-D array
  is one channel, a 2-D one ``(channels, time)`` or ``(time, channels)``; shapes and dtypes are kept;
- **.wav** (:mod:`~skdenoise.io.wav`): PCM of 8 to 32 bits or floats, mono or multichannel; the samples'
  width and every other byte of the file are kept;
- **.edf/.bdf** (:mod:`~skdenoise.io.edf`, ``pip install 'skdenoise[edf]'``): signals as channels,
  annotations and the other signals kept;
- **.parquet** (:mod:`~skdenoise.io.parquet`, ``pip install 'skdenoise[parquet]'``): numeric columns as
  channels, the schema and the other columns kept.

By default the channels are the columns that look like measurements: not a time axis or an index
(monotonic), not a label or a flag (a few distinct integers), not a constant
(:func:`~skdenoise.io.columns.not_a_measurement`); ``Recording.left`` says which were left and why, and
`columns` chooses instead. Gaps (empty cells, NaN, nulls) are NaN in ``Recording.signals`` and stay gaps in
the file written. :meth:`Recording.write` writes a denoised ``(channels, time)`` array into a file of the
same kind, first under a temporary name beside it, renamed at the end: an interruption or an error leaves
no partial output. Every problem with a file is a :class:`RecordingError`, a ``ValueError`` whose message
names the file, and the row or column where it applies.

Examples
--------
>>> import pathlib, tempfile
>>> from skdenoise.io import read_recording
>>> path = pathlib.Path(tempfile.mkdtemp()) / "trace.csv"
>>> _ = path.write_text("time,a,flag\\n00:00,1.5,0\\n00:01,2.0,1\\n00:02,2.5,0\\n00:03,1.0,0\\n")
>>> recording = read_recording(path)
>>> recording.channels, recording.signals.shape
(['a'], (1, 4))
>>> for column, reason in recording.left.items():
...     print(f"{column}: {reason}")
time: is not numbers: row 2 holds '00:00'
flag: a label or flag: 2 distinct integer values
>>> recording.write(recording.signals * 2, path.with_name("twice.csv"))
>>> print(path.with_name("twice.csv").read_text(), end="")
time,a,flag
00:00,3.0,0
00:01,4.0,1
00:02,5.0,0
00:03,2.0,0
"""

import pathlib

from .arrays import read_npy, read_npz
from .delimited import read_delimited
from .edf import read_edf
from .parquet import read_parquet
from .recording import Recording, RecordingError
from .wav import read_wav

__all__ = ["FORMATS", "Recording", "RecordingError", "read_recording"]

#: File extensions by the format they are read as.
FORMATS = {".csv": "CSV", ".tsv": "TSV", ".npy": "numpy", ".npz": "numpy", ".wav": "WAV", ".edf": "EDF",
           ".bdf": "BDF", ".parquet": "Parquet"}
#: The formats whose arrays have a time axis to choose.
_ORIENTED = (".npy", ".npz")


def read_recording(path, columns=None, time_axis=None):
    """Read a recording from a file of one of :data:`FORMATS` (see :mod:`skdenoise.io`).

    Parameters
    ----------
    path : str or path-like
    columns : sequence of str or int, optional
        The channels to denoise: CSV/TSV and Parquet columns (names or 0-based indices), EDF/BDF signals
        (labels or indices), .npz arrays (keys) and .npy/.wav channels (indices). Default: every one that
        looks like a measurement.
    time_axis : {0, 1}, optional
        .npy/.npz: the axis of time of a 2-D array (default: the longer one).

    Returns
    -------
    Recording

    Raises
    ------
    RecordingError
        Naming the file, and the row or column where it applies.
    ImportError
        For EDF/BDF or Parquet without their extra installed.
    """
    path = pathlib.Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise RecordingError(f"{path}: unknown kind of file {path.suffix or '(no extension)'!r}; skdenoise reads "
                             f"{', '.join(sorted(FORMATS))}.")
    if not path.is_file():
        raise RecordingError(f"{path}: no such file.")
    if time_axis is not None and suffix not in _ORIENTED:
        raise RecordingError(f"{path}: a time axis is chosen for the 2-D arrays of .npy and .npz files; a "
                             f"{FORMATS[suffix]} file has its own.")
    if time_axis not in (None, 0, 1):
        raise RecordingError(f"time_axis must be 0 or 1, got {time_axis!r}.")
    try:
        recording = _read(path, suffix, columns, time_axis)
    except (RecordingError, ImportError):
        raise
    except Exception as error:  # whatever a parser raises: one line naming the file
        raise RecordingError(f"{path}: cannot be read as a {FORMATS[suffix]} file ({type(error).__name__}: "
                             f"{error}).") from error
    if recording.signals.shape[-1] == 0:
        raise RecordingError(f"{path}: the recording is empty.")
    return recording


def _read(path, suffix, columns, time_axis):
    if suffix in _ORIENTED:
        return (read_npy if suffix == ".npy" else read_npz)(path, columns, time_axis)
    reader = {".csv": read_delimited, ".tsv": read_delimited, ".wav": read_wav, ".edf": read_edf,
              ".bdf": read_edf, ".parquet": read_parquet}[suffix]
    return reader(path, columns)
