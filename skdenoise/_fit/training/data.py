"""Training data: how `fit` splits signals for validation and feeds them to skorch.

Two layouts. Whole signals (the usual case): the signals move to the device once, validation holds out
whole signals, and all copies of one recording together. Recordings (``window_length`` an integer):
signals of any length stay where they are (a memmap stays on disk), training draws random windows, and
validation uses windows from held-out recordings or, when there are too few recordings, from the last
stretch of each.
"""

import dataclasses
import math
import warnings

import numpy as np
import torch
from skorch.dataset import Dataset
from torch.utils.data import Subset

from ..windows import RecordingWindows, tile_windows

#: Validation windows of recordings (enough for a stable loss, few enough to keep in memory).
MAX_VALID_WINDOWS = 512
#: Training windows whose values set the scaling statistics of a network trained on recordings.
STATS_WINDOWS = 1024


def identical_rows(signals, chunk_values=1 << 22):
    """Group labels ``0 .. k-1`` of the signals, equal for identical signals (an array ``(n, ...)`` or a list
    of arrays of any shapes).

    Signals are compared by two random projections, computed in float64 over blocks of at most
    `chunk_values` values (no copy of the whole array: a memmap stays on disk); this is 15x faster than
    sorting whole rows, and distinct signals share a label only if both projections coincide exactly.
    """
    if not isinstance(signals, np.ndarray):  # recordings of unequal length: each on its own, with its size
        keys = [(x.size, *_fingerprints(x.reshape(1, -1), chunk_values)[0]) for x in signals]
        return np.unique(np.array(keys), axis=0, return_inverse=True)[1].ravel()
    fingerprints = _fingerprints(signals.reshape(len(signals), -1), chunk_values)
    return np.unique(fingerprints, axis=0, return_inverse=True)[1].ravel()


def _fingerprints(flat, chunk_values):
    """Two random projections of each row of `flat`, over blocks of at most `chunk_values` values."""
    n_rows, n_values = flat.shape
    columns = max(1, min(n_values, chunk_values))
    rows = max(1, chunk_values // columns)
    fingerprints = np.zeros((n_rows, 2))
    for block, first_column in enumerate(range(0, n_values, columns)):
        stop = min(first_column + columns, n_values)
        directions = np.random.default_rng((0, block)).standard_normal((stop - first_column, 2))
        for first_row in range(0, n_rows, rows):
            part = flat[first_row:first_row + rows, first_column:stop].astype(np.float64)
            fingerprints[first_row:first_row + rows] += part @ directions
    return fingerprints


def validation_split(targets, fraction, seed, *, groups=None):
    """Rows held out for validation (sorted, or None when `fraction` leaves none or all) and the number of
    distinct targets among the training rows.

    Signals with identical targets (repeated noisy copies of one clean recording) are held out together:
    otherwise the validation loss rewards remembering the training recordings, not denoising new ones.
    With no repeated targets this is sklearn's ``ShuffleSplit`` rounding of a plain random split. Without a
    split (`fraction` 0) the targets are not compared and the count is None. Given `groups` (labels of
    signals that must stay together) replace the comparison of targets.
    """
    if fraction == 0:
        return None, None
    groups = identical_rows(targets) if groups is None else np.unique(groups, return_inverse=True)[1]
    n_groups = int(groups.max()) + 1
    n_valid_groups = math.ceil(fraction * n_groups)
    if not 0 < n_valid_groups < n_groups:
        return None, n_groups
    held_out = np.random.default_rng(seed).permutation(n_groups)[:n_valid_groups]
    return np.flatnonzero(np.isin(groups, held_out)), n_groups - n_valid_groups


class FixedSplit:
    """A skorch ``train_split`` that holds out given rows: ``(Subset(train), Subset(valid))``."""

    def __init__(self, valid_rows):
        self.valid_rows = valid_rows

    def __call__(self, dataset, y=None, groups=None):
        train_rows = np.setdiff1d(np.arange(len(dataset)), self.valid_rows)
        return Subset(dataset, train_rows), Subset(dataset, self.valid_rows)


class HeldOutSplit:
    """A skorch ``train_split`` that trains on the whole dataset and validates on given signals."""

    def __init__(self, X, y):
        self.X = X
        self.y = y

    def __call__(self, dataset, y=None, groups=None):
        device = dataset.device
        return dataset, Dataset(torch.from_numpy(self.X).to(device), torch.from_numpy(self.y).to(device))


@dataclasses.dataclass
class TrainingData:
    """Validated training signals, split for validation, ready for a skorch net.

    ``check`` holds the signals on which `fit` compares networks and the identity (the validation signals,
    or the first training signals without a split); ``stats`` those that set the scaling statistics;
    ``lengths`` the usable length of each training signal; ``shape`` and ``target_shape`` are one network
    input's and output's ``(channels, length)``; ``stretches`` the held-out stretches of recordings whole,
    where they are longer than the windows ``check`` cuts them into (:func:`held_out_stretches`).
    """

    signals: np.ndarray
    targets: np.ndarray
    check: tuple
    stats: tuple
    lengths: np.ndarray
    shape: tuple
    target_shape: tuple
    n_distinct: int | None
    window_length: int | None = None
    valid_rows: np.ndarray | None = None
    valid: tuple | None = None
    train_rows: np.ndarray | None = None
    stretches: list | None = None

    def dataset(self, device, repeats=1):
        """What the skorch net trains on (`repeats`: how many times over an epoch covers recordings' windows)."""
        if self.window_length is None:
            with warnings.catch_warnings():  # read-only arrays (memmaps): training never writes into them
                warnings.filterwarnings("ignore", message="The given NumPy array is not writable")
                return Dataset(torch.from_numpy(self.signals).to(device),
                               torch.from_numpy(self.targets).to(device))
        return RecordingWindows(self.signals, self.targets, self.train_rows, self.lengths, self.window_length,
                                device, repeats)

    def train_split(self):
        """The skorch ``train_split`` for :meth:`dataset`, None without validation."""
        if self.valid_rows is not None:
            return FixedSplit(self.valid_rows)
        if self.valid is not None:
            return HeldOutSplit(*self.valid)
        return None


def whole_signals(signals, targets, fraction, *, seed, groups=None):
    """The usual layout: whole signals, validation by whole recordings (or `groups`)."""
    valid_rows, n_distinct = validation_split(targets, fraction, seed, groups=groups)
    # Without a validation split, models are compared (and checked for harm) on training signals.
    check_rows = np.arange(min(len(signals), 1024)) if valid_rows is None else valid_rows
    n_train = len(signals) - (0 if valid_rows is None else len(valid_rows))
    return TrainingData(signals, targets, check=(signals[check_rows], targets[check_rows]),
                        stats=(signals, targets), lengths=np.full(n_train, signals.shape[-1]),
                        shape=signals.shape[1:], target_shape=targets.shape[1:], n_distinct=n_distinct,
                        valid_rows=valid_rows)


def recordings(signals, targets, window_length, *, fraction, seed, groups=None):
    """Recordings of any length, trained on windows of `window_length`.

    Validation: whole recordings when there are enough of them that `fraction` of them is at least one, or
    when they are a list of two or more (copies of one recording held out together), otherwise the last
    `fraction` of every recording (at least one window), which training windows never reach. `signals` and
    `targets` are arrays ``(n, C, L)`` or lists of ``(C, L_i)`` arrays (a collection, whose recordings shorter
    than `window_length` are mirrored to it).
    """
    n_signals, lengths = len(signals), recording_lengths(signals)
    if isinstance(signals, np.ndarray):  # a list's shorter recordings are padded (see plan's collection window)
        check_window_fits(lengths, window_length)
    rows, stops, valid_spans, n_distinct = np.arange(n_signals), lengths, [], None
    # A list's recordings are as unequal as its lengths: hold out whole ones whenever there are two.
    whole = n_signals * fraction >= 1 or (not isinstance(signals, np.ndarray) and n_signals >= 2)
    if fraction > 0 and whole:
        valid_rows, n_distinct = validation_split(targets, fraction, seed, groups=groups)
        if valid_rows is not None:
            rows = np.setdiff1d(rows, valid_rows)
            stops = lengths[rows]
            valid_spans = [(row, 0, lengths[row]) for row in valid_rows]
    elif fraction > 0:
        held = np.maximum(np.ceil(fraction * lengths).astype(int), window_length)
        check_long_enough(lengths, held + window_length,
                          f"window_length={window_length} with its last stretch held out for validation "
                          f"(validation_fraction={fraction}) needs",
                          advice="use a smaller window_length, longer signals or validation_fraction=0")
        stops = lengths - held
        valid_spans = [(row, stops[row], lengths[row]) for row in rows]
    source = RecordingWindows(signals, targets, rows, stops, window_length)
    valid = (tile_windows(signals, targets, valid_spans, width=window_length, max_windows=MAX_VALID_WINDOWS)
             if valid_spans else None)
    stats = source.sample(STATS_WINDOWS)
    return TrainingData(signals, targets, check=valid if valid is not None else stats, stats=stats,
                        lengths=stops, shape=(signals[0].shape[0], window_length),
                        target_shape=(targets[0].shape[0], window_length),
                        # distinct data: held-out recordings' groups, or non-overlapping windows' worth
                        n_distinct=n_distinct or int(stops.sum() // window_length),
                        window_length=window_length, valid=valid, train_rows=rows,
                        stretches=held_out_stretches(signals, valid_spans, window_length))


def held_out_stretches(signals, spans, window_length):
    """The noisy held-out `spans` (``(row, start, stop)``) whole, as float32 arrays ``(1, C, L_i)``: what the
    race judges its filters and mixtures on, as they are applied to a recording (a wavelet filter cut into
    256-sample windows reads fewer levels, and wraps each window's ends around). At most
    ``MAX_VALID_WINDOWS`` windows' worth of samples in all, from each span's start; None where no span is
    two windows long (its windows are the stretches)."""
    if not spans or max(stop - start for _, start, stop in spans) < 2 * window_length:
        return None
    share = max(window_length, MAX_VALID_WINDOWS * window_length // len(spans))
    return [np.asarray(signals[row][:, start:min(stop, start + share)], dtype=np.float32)[None]
            for row, start, stop in spans]


def recording_lengths(signals):
    """The length of each recording: of an array ``(n, C, L)`` or a list of ``(C, L_i)`` arrays."""
    if isinstance(signals, np.ndarray):
        return np.full(len(signals), signals.shape[-1])
    return np.array([signal.shape[-1] for signal in signals])


def check_long_enough(lengths, needed, needs, *, advice):
    """Raise ValueError naming the first recording shorter than `needed` time steps (one number, or one per
    recording): "`needs` N time steps, but X[i] has M: `advice`." (the signals, when all have one length)."""
    short = np.flatnonzero(np.asarray(lengths) < needed)
    if not len(short):
        return
    first = short[0]
    which = f"the signals have {lengths[first]}" if len(set(lengths)) == 1 else f"X[{first}] has {lengths[first]}"
    raise ValueError(f"{needs} {np.broadcast_to(needed, np.shape(lengths))[first]} time steps, but {which}: {advice}.")


def check_window_fits(lengths, window_length):
    """Raise ValueError naming the first recording shorter than `window_length`."""
    check_long_enough(lengths, window_length, f"window_length={window_length} needs",
                      advice="use a smaller window_length, or leave the shorter recordings out")


def training_data(signals, targets, window_length, *, fraction, seed, groups=None):
    """The layout `fit` trains on: windows of recordings for an integer `window_length`, else whole signals."""
    if window_length is None:
        return whole_signals(signals, targets, fraction, seed=seed, groups=groups)
    if isinstance(signals, np.ndarray) and signals.shape != targets.shape:
        raise ValueError(f"Training on windows (window_length={window_length}) needs y of X's shape "
                         f"{signals.shape}, got {targets.shape}.")
    return recordings(signals, targets, window_length, fraction=fraction, seed=seed, groups=groups)
