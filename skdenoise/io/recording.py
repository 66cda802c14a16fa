"""The contract every format keeps: a :class:`Recording` of the channels to denoise, the columns left as they
were and why, and a write that puts denoised channels back into a file of the same kind, whole or not at all."""

import contextlib
import dataclasses
import os
import pathlib
import signal

import numpy as np

from .columns import not_a_measurement

__all__ = ["Recording", "RecordingError", "choose_channels", "staged"]


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
        The channels to denoise, NaN at gaps (a memmap view for a .npy file whose channels are all chosen).
    channels : list of str
        A name per channel: the column, the signal's label, the array key, or ``"channel i"``.
    left : dict
        The columns (channels, arrays) left as they were, by name, each with the reason (not numbers, a time
        axis, a label, a constant, ...). They come back byte for byte, or value for value.
    """

    path: pathlib.Path
    signals: np.ndarray
    channels: list
    _: dataclasses.KW_ONLY
    left: dict = dataclasses.field(default_factory=dict)
    _write: object = dataclasses.field(repr=False, default=None)

    def write(self, denoised, path):
        """Write `denoised` ``(n_channels, n_timesteps)`` into `path` as this recording's file, all else kept.

        The file appears whole or not at all (written beside it under a temporary name, then renamed); gaps
        (NaN in :attr:`signals`) stay gaps.
        """
        with staged(path) as (temporary,):
            self.write_to(denoised, temporary)

    def write_to(self, denoised, path):
        """:meth:`write` without the temporary file: for a caller that stages several files itself."""
        denoised = np.asarray(denoised)
        if denoised.shape != self.signals.shape:
            raise RecordingError(f"{path}: the denoised signals have shape {denoised.shape}, the recording "
                                 f"{self.signals.shape}.")
        self._write(denoised, pathlib.Path(path))


@contextlib.contextmanager
def staged(*paths):
    """Temporary paths beside `paths` (their suffixes kept) to write into: renamed into place in order when the
    body ends without an error, with Ctrl-C and SIGTERM held off meanwhile (all files or none), removed
    otherwise (an exception, an interruption)."""
    paths = [pathlib.Path(path) for path in paths]
    temporaries = [path.with_name(f".{path.name}.{os.getpid()}.partial{path.suffix}") for path in paths]
    try:
        yield temporaries
        with _signals_ignored():
            for temporary, path in zip(temporaries, paths):
                os.replace(temporary, path)
    finally:
        for temporary in temporaries:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()


@contextlib.contextmanager
def _signals_ignored():
    """SIGINT and SIGTERM ignored for the body (in the main thread; elsewhere Python cannot change handlers)."""
    previous = {}
    with contextlib.suppress(ValueError):
        for number in (signal.SIGINT, signal.SIGTERM):
            if signal.getsignal(number) is not None:  # None: set outside Python, which could not be put back
                previous[number] = signal.signal(number, signal.SIG_IGN)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def choose_channels(path, names, values, *, columns=None, what="column"):
    """The indices of the channels to denoise among `names`, and the others left with the reason.

    `values(i)` returns the numbers of channel ``i`` (NaN at gaps), or a string saying why it holds none (not
    numbers). `columns`: names or 0-based indices to denoise, as asked (an error where one does not exist or
    holds no numbers); by default every channel that looks like a measurement
    (:func:`~skdenoise.io.columns.not_a_measurement`), an error where none does.
    """
    if columns is not None:
        chosen = [_index(path, names, column, what=what) for column in columns]
        for index in chosen:
            found = values(index)
            if isinstance(found, str):
                raise RecordingError(f"{path}: {what} {names[index]!r} {found}.")
        return chosen, {}
    chosen, left = [], {}
    for index, name in enumerate(names):
        found = values(index)
        reason = found if isinstance(found, str) else not_a_measurement(found)
        if reason is None:
            chosen.append(index)
        else:
            left[name] = reason
    if not chosen:
        why = "; ".join(f"{name}: {reason}" for name, reason in left.items())
        raise RecordingError(f"{path}: no {what} looks like a measurement to denoise ({why}); name the ones to "
                             f"denoise (--columns).")
    return chosen, left


def _index(path, names, column, *, what):
    """The index of a `column` given by name or 0-based index."""
    if isinstance(column, str) and column in names:
        return names.index(column)
    if isinstance(column, int) or (isinstance(column, str) and column.isdigit()):
        if not 0 <= int(column) < len(names):
            raise RecordingError(f"{path}: there is no {what} {column} ({what}s 0 to {len(names) - 1}).")
        return int(column)
    raise RecordingError(f"{path}: there is no {what} {column!r}; the {what}s are {', '.join(map(str, names))}.")
