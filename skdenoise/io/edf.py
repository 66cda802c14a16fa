"""EDF, EDF+ and BDF files (the physiological recordings' formats), read and written with edfio.

Each ordinary signal is a channel, named by its label; annotations and the signals left are written back as
they were (their digital values, value for value). Channels denoised together share one sampling rate: by
default the measurements at the rate most of them have (the others are left, and say why). A denoised
signal keeps its physical range where its values fit in it, else the range widens to hold them.
"""

import collections

import numpy as np

from .recording import Recording, RecordingError, choose_channels

__all__ = ["read_edf"]


def read_edf(path, columns=None):
    """A :class:`~skdenoise.io.recording.Recording` of an EDF/BDF file's signals (``columns``: their labels or
    indices)."""
    edfio = _edfio()
    reader = edfio.read_bdf if path.suffix.lower() == ".bdf" else edfio.read_edf
    try:
        edf = reader(path)
    except (ValueError, OSError, EOFError, IndexError, UnicodeDecodeError) as error:
        raise RecordingError(f"{path}: not an {path.suffix[1:].upper()} file edfio can read ({error}).") from error
    signals = list(edf.signals)
    if not signals:
        raise RecordingError(f"{path}: the file holds no signals (annotations only).")
    names = [signal.label or f"signal {index}" for index, signal in enumerate(signals)]
    chosen, left = choose_channels(path, names, lambda index: signals[index].digital, columns=columns, what="signal")
    chosen, left = _one_rate(path, signals, names, chosen=chosen, left=left, named=columns is not None)
    values = np.stack([np.asarray(signals[index].data, dtype=np.float64) for index in chosen])

    def write(denoised, target):
        copy = edf.copy()
        for index, row in zip(chosen, denoised):
            signal = copy.signals[index]
            low, high = signal.physical_range
            signal.update_data(np.asarray(row, dtype=np.float64),
                               keep_physical_range=bool(np.all((row >= low) & (row <= high))))
        copy.write(target)

    return Recording(path, values, [names[index] for index in chosen], left=left, _write=write)


def _one_rate(path, signals, names, *, chosen, left, named):
    """The chosen signals at one sampling rate: the rate most of them have (the highest of a tie), the others
    left; an error where signals named to denoise differ."""
    rates = {index: signals[index].sampling_frequency for index in chosen}
    if len(set(rates.values())) < 2:
        return chosen, left
    if named:
        listed = ", ".join(f"{names[index]} {rate:g} Hz" for index, rate in rates.items())
        raise RecordingError(f"{path}: the signals to denoise are sampled at different rates ({listed}); "
                             f"denoise each rate on its own (--columns).")
    counts = collections.Counter(rates.values())
    rate = max(counts, key=lambda value: (counts[value], value))
    kept = [index for index in chosen if rates[index] == rate]
    left = dict(left)
    for index in chosen:
        if rates[index] != rate:
            left[names[index]] = (f"sampled at {rates[index]:g} Hz, not {rate:g} Hz like the signals denoised "
                                  f"(name it with --columns to denoise it on its own)")
    return kept, left


def _edfio():
    try:
        import edfio
    except ImportError as error:
        raise ImportError("EDF and BDF files need edfio: pip install 'skdenoise[edf]'.") from error
    return edfio
