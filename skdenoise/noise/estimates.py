"""How noisy signals are: robust estimates of the noise's level (and kind) from the noisy signals alone.

The finest wavelet details (:func:`estimate_noise_variance`, :func:`estimate_noise_std`), the floor of the
covariance of short windows (:func:`estimate_white_noise_variance`), and that floor beside the periodogram
under a noise model, white, coloured or told by the signals (:func:`estimate_noise_level`).
"""

import dataclasses
import functools

import numpy as np

from .models import ColouredNoise, resolve_noise

__all__ = ["MIN_NOISE_FLATNESS", "NoiseEstimate", "estimate_noise_level", "estimate_noise_std",
           "estimate_noise_variance", "estimate_white_noise_variance", "given_variance", "is_auto",
           "level_pairs", "signal_noise_levels"]


def is_auto(value):
    """Whether a ``noise`` or ``noise_std`` parameter says ``"auto"`` (a level may be a list or an array)."""
    return isinstance(value, str) and value == "auto"


def given_variance(noise_std, n_channels):
    """The noise variance per channel, ``(n_channels,)``, of a ``noise_std`` parameter the user gave: one
    deviation for every channel, or one per channel."""
    std = np.asarray(noise_std, dtype=np.float64).ravel()
    if std.size not in (1, n_channels):
        raise ValueError(f"noise_std has {std.size} values for signals of {n_channels} channel(s); give one, or "
                         f"one per channel.")
    return np.broadcast_to(std, (n_channels,)) ** 2


def estimate_noise_variance(signals):
    """The variance of white noise in each signal and channel, from its finest Haar wavelet coefficients.

    ``(median |d| / 0.6745) ** 2`` of the differences of neighbouring pairs ``d = (x[2t] - x[2t+1]) / sqrt(2)``
    (Donoho and Johnstone's robust estimate): smooth signal content cancels in the differences, spikes are
    outvoted by the median. So it measures the gaussian core of impulsive noise, the finest-scale part of
    coloured noise, and reads high on signals as rough as their noise.

    Parameters
    ----------
    signals : ndarray of shape (..., n_timesteps)

    Returns
    -------
    ndarray of shape ``signals.shape[:-1]``
        0 for signals of fewer than two time steps.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.noise import estimate_noise_variance
    >>> t = np.linspace(0, 6, 20_000)
    >>> noisy = np.sin(t) + np.random.default_rng(0).normal(0, 0.5, t.shape)
    >>> round(float(estimate_noise_variance(noisy)), 2)
    0.25
    """
    signals = np.asarray(signals)
    if signals.dtype not in (np.float32, np.float64):
        signals = signals.astype(np.float64)
    end = signals.shape[-1] // 2 * 2
    if end == 0:
        return np.zeros(signals.shape[:-1])
    # In the signals' own precision (float32 halves the work of the median), the scaling after it.
    finest = np.abs(signals[..., 0:end:2] - signals[..., 1:end:2])
    median = np.median(finest, axis=-1, overwrite_input=True).astype(np.float64)
    return (median / np.sqrt(2) / 0.6745) ** 2


#: Window width of :func:`estimate_white_noise_variance`, the windows it reads at most per channel, and
#: the flatness below which the smallest half of their spectrum is not a noise floor.
PATCH_WIDTH, PATCH_WINDOWS, MIN_NOISE_FLATNESS = 16, 1 << 17, 0.6
#: The share of windows, the roughest, that the noise floor is read without: a few sharp signal edges (an
#: appliance switching) spread energy over every direction of the windows they fall in, raising the floor
#: and the median eigenvalue over a floor that the rest of the windows show flat. On the appliance traces
#: with pink noise the pink floor's flatness is 0.57 with every window, 0.96 without the roughest tenth; the
#: accelerometer recordings, rough everywhere, keep channels under 0.6 either way (at white noise 0.5: 0.47
#: and 0.51 with every window, 0.49 and 0.50 without).
ROUGHEST_WINDOWS = 0.1
#: Sharp features that recur in more than a tenth of the windows (a heartbeat's every QRS complex) raise the
#: floor's median eigenvalue over a floor that most windows show flat: the flatness is also read without this
#: share of the roughest windows, and kept where it shows every channel's floor flat (the level itself stays
#: the one read without the roughest tenth). Set on the corpus's tuning half (``benchmarks/corpus.py``): its
#: heartbeat-like pulse trains under white noise read a flatness of 0.14 to 0.54 without the roughest tenth,
#: 0.40 to 0.84 without a fifth and 0.77 to 0.89 without this share, their level within 10% of the true one;
#: noise the signals cannot tell (brown, or pink read as white) stays under 0.5 however many are left out.
SHARP_FEATURE_WINDOWS = 0.3


def estimate_white_noise_variance(signals, width=PATCH_WIDTH):
    """The variance of the independent part of the noise per channel, spikes included, and how far to trust it.

    Windows of `width` samples of signals that share a few shapes span few directions; independent noise
    spreads evenly over all of them. So the smallest eigenvalue of the windows' covariance (patch-PCA noise
    estimation, Chen et al. 2015) is the noise variance, corrected for the spread of sample eigenvalues.
    Unlike the wavelet MAD of :func:`estimate_noise_variance` it counts impulsive noise whole (on the
    benchmarks' spikes 0.14 for a true 0.13, where the MAD reads 0.02) and is not fooled by sharp signal edges
    (ACSF1 at noise 0.5: 0.30, where the MAD reads 2.0).

    Where the noise floor is not flat (the smallest eigenvalue under ``0.6`` times the median one, in the
    windows but the roughest tenth, so that a few sharp signal edges do not hide a floor), the
    signals vary as much as noise at every scale of a window (an accelerometer at 50 Hz) or the noise is
    correlated: no estimate from the signals alone can then be trusted, and `flatness` says so.

    Parameters
    ----------
    signals : ndarray of shape (n, C, L), or list of (C, L) arrays
        Read in at most 131,072 windows per channel, evenly spaced (a memmap is not copied whole).
    width : int, default=16
        Shorter signals use windows of half their length, and fewer than ``16 * width**2`` time steps
        narrower windows.

    Returns
    -------
    variance, flatness : ndarray of shape (C,)
        The noise variance per channel (every window counted, spikes whole), and the ratio of the smallest
        eigenvalue to the median one (without the roughest tenth of the windows).

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.noise import estimate_white_noise_variance
    >>> t = np.linspace(0, 20, 500)
    >>> rng = np.random.default_rng(0)
    >>> clean = np.sin(t + rng.uniform(0, 6, (200, 1, 1)))
    >>> variance, flatness = estimate_white_noise_variance(clean + rng.normal(0, 0.5, clean.shape))
    >>> round(float(variance[0]), 2), bool(flatness[0] > 0.6)
    (0.25, True)
    """
    whole, _, flatness = _patch_floor(*_patch_rows(signals, width))
    return whole, flatness


def _patch_floor(rows, width, whitening=None):
    """Per channel, the noise variance read off the floor of the (whitened) covariance of every window, and,
    of the windows but the roughest, that floor's variance and flatness (where it is not flat, the flatness
    without the roughest ``SHARP_FEATURE_WINDOWS``, if that makes every channel's floor flat)."""
    whole, smooth, flatness, most = (np.zeros(len(rows[0])) for _ in range(4))
    whiten = (lambda covariance: covariance) if whitening is None else (lambda c: whitening @ c @ whitening)

    def floor(windows):
        return _floor(np.linalg.eigvalsh(whiten(_covariance(windows))), width, len(windows))

    for channel in range(len(whole)):
        windows = _windows(rows, channel, width)
        whole[channel], _ = floor(windows)
        smooth[channel], flatness[channel] = floor(_smoothest(windows))
        most[channel] = flatness[channel]
        if flatness[channel] < MIN_NOISE_FLATNESS:
            _, most[channel] = floor(_smoothest(windows, SHARP_FEATURE_WINDOWS))
    # only where it makes every channel flat: a channel's flatness also sets how far a doubtful level is lowered
    return whole, smooth, most if np.all(most >= MIN_NOISE_FLATNESS) else flatness


def _patch_rows(signals, width):
    """The signals as rows of ``(C, L)`` and the window width they allow."""
    rows = list(signals) if isinstance(signals, (list, tuple)) else signals
    shortest = min(np.shape(row)[-1] for row in rows)
    # Few windows spread their eigenvalues far below the noise floor: narrower windows for few signals.
    available = min(len(rows), PATCH_WINDOWS) * shortest
    return rows, int(min(width, max(2, shortest // 2), max(4, available // (16 * width))))


def _floor(eigenvalues, width, n_windows):
    """The noise variance read off the smallest of ascending `eigenvalues`, and the floor's flatness."""
    # Overlapping windows spread less than independent ones (Marchenko-Pastur's (1 - sqrt(p/n))**2):
    # its square root left pure noise within 5% from 185 windows of 4 to 49,000 of 16 (MP: up to 20% over).
    spread = 1 - np.sqrt(width / max(n_windows, 4 * width))
    median = np.median(eigenvalues)
    return max(eigenvalues[0], 0.0) / spread, eigenvalues[0] / median if median > 0 else 1.0


def _windows(rows, channel, width):
    """Evenly spaced windows ``(n, width)`` of one channel, at most ``PATCH_WINDOWS``."""
    rows = rows[:: max(1, len(rows) // PATCH_WINDOWS)]
    per_row = max(1, PATCH_WINDOWS // len(rows))
    windows = []
    for row in rows:
        values = np.asarray(row[channel])
        n_starts = len(values) - width + 1
        starts = np.unique(np.linspace(0, n_starts - 1, min(per_row, n_starts)).astype(int))
        windows.append(values[starts[:, None] + np.arange(width)].astype(np.float64))  # the windows, not the row
    return np.concatenate(windows)


def _covariance(windows):
    mean = windows.mean(axis=0)
    return windows.T @ windows / len(windows) - np.outer(mean, mean)


def _smoothest(windows, roughest=ROUGHEST_WINDOWS):
    """The windows but the `roughest` share with the largest step between neighbouring samples."""
    if windows.shape[1] < 2:
        return windows
    steps = np.max(np.abs(np.diff(windows, axis=1)), axis=1)
    return windows[steps <= np.quantile(steps, 1 - roughest)]


@functools.cache
def _smooth_floor_share(exponent, length, width, whitened):
    """What the floor of the windows but the roughest reads of unit noise of `exponent` (series of `length`,
    at most 4,096, drawn with a fixed seed) over what every window's floor reads: leaving out the roughest
    windows leaves out their noise too (white noise: 0.91)."""
    noise = ColouredNoise(exponent).sample((128, 1, min(length, 4096)), np.random.default_rng(1))
    whole, smooth, _ = _patch_floor(noise, width, _whitening(exponent, length, width) if whitened else None)
    return float(smooth[0] / whole[0])


@dataclasses.dataclass(frozen=True)
class NoiseEstimate:
    """What the signals tell of their noise under a noise model: its variance per channel, the flatness of
    the floor it was read from (``trusted`` when flat in every channel), how far apart its two readings are
    (the larger over the smaller: about 1 where the model fits; see :func:`estimate_noise_level`), and the
    variance read with every window (impulsive noise counted whole)."""

    model: object
    variance: np.ndarray
    flatness: np.ndarray
    disagreement: np.ndarray | None = None
    whole_variance: np.ndarray | None = None

    @property
    def trusted(self):
        return bool(np.all(self.flatness >= MIN_NOISE_FLATNESS))


#: What ``noise="auto"`` tells apart, in order: white where its floor is flat in every channel, else the
#: first other kind whose (whitened) floor is flat and whose two readings agree within ``AUTO_DISAGREEMENT``.
#: Pink is tried only where white noise's floor is not flat (the signals too rough to tell, or the noise
#: correlated): on the benchmarks' gestures with pink noise the white floor's flatness is 0.52, the pink one's
#: 0.91 and its readings 1.33 apart. The readings guard against a pink floor that looks flat by chance: one
#: 600-sample recording with white noise reads a pink flatness of 0.70, but readings 3.6 apart.
AUTO_NOISE_KINDS, AUTO_DISAGREEMENT = ("white", "pink"), 2.0

#: The periodogram's quantile that :func:`estimate_noise_level` reads (a bin of white noise is exponential:
#: its 10% quantile is ``-log(0.9)`` times the noise variance), and the longest stretch one periodogram covers.
PERIODOGRAM_QUANTILE, PERIODOGRAM_LENGTH = 0.1, 4096


def estimate_noise_level(signals, noise="white", width=PATCH_WIDTH):
    """The variance of noise of a known kind (white or coloured) per channel, and how far to trust it.

    Two estimates, each of the noise plus whatever signal it cannot tell from noise, so the smaller is kept:
    the floor of the windows' covariance (:func:`estimate_white_noise_variance`, after whitening the windows
    by the correlation of coloured noise), and the low quantile of each signal's periodogram (divided by the
    noise model's spectrum): signals that share a few shapes leave most of a window's directions to the noise;
    a recording's energy sits at a few frequencies and leaves the others to it. The floor is read without
    the roughest tenth of the windows, whose sharp signal edges would raise it, and corrected for the noise
    left out with them. On the benchmarks' appliance traces (ACSF1, white noise 0.2) every window's floor
    reads 0.29, the floor without the roughest 0.21 and the periodogram 0.21; on the gesture recordings (0.2)
    the floor 0.22 and the periodogram 0.25.

    ``flatness`` is that of the (whitened) floor: below 0.6 the signals cannot tell the noise's level or kind
    (they are as rough as the noise, or the noise is of another colour). ``disagreement`` is the larger of
    the two readings of every window (its floor and the periodogram) over the smaller: near 1 where the model
    fits (the periodogram is divided by the model's spectrum, the floor whitened by it), far from it where the
    noise has another spectrum. ``whole_variance`` is the smaller of those two readings, which counts
    impulsive noise whole.

    Parameters
    ----------
    signals : ndarray of shape (n, C, L), or list of (C, L) arrays
    noise : {"white", "pink", "brown", "auto"} or noise model, default="white"
        The kind of noise (:class:`WhiteNoise`, :class:`ColouredNoise`). ``"auto"``: white where its floor is
        flat, otherwise pink where its floor is flat, otherwise white (not trusted); ``model`` says which.
    width : int, default=16
        The windows' width (see :func:`estimate_white_noise_variance`).

    Returns
    -------
    NoiseEstimate
        ``model``, ``variance``, ``flatness`` and ``disagreement`` per channel, ``trusted``.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.noise import add_noise, estimate_noise_level
    >>> t = np.arange(512)
    >>> rng = np.random.default_rng(0)
    >>> clean = np.sin(2 * np.pi * t / rng.uniform(40, 120, (100, 1, 1)) + rng.uniform(0, 6, (100, 1, 1)))
    >>> white = estimate_noise_level(add_noise(clean, "white", 0.3, random_state=0))
    >>> pink = estimate_noise_level(add_noise(clean, "pink", 0.3, random_state=0), "pink")
    >>> round(float(np.sqrt(white.variance[0])), 2), round(float(np.sqrt(pink.variance[0])), 2), pink.trusted
    (0.3, 0.3, True)
    >>> estimate_noise_level(add_noise(clean, "pink", 0.3, random_state=0), "auto").model
    ColouredNoise(exponent=1.0)
    """
    if is_auto(noise):
        return _estimate_auto(signals, width)
    model = resolve_noise(noise)
    exponent = getattr(model, "exponent", 0.0)
    rows, width = _patch_rows(signals, width)
    length = int(np.median([np.shape(row)[-1] for row in rows]))
    whitening = _whitening(exponent, length, width) if exponent else None
    whole, smooth, flatness = _patch_floor(rows, width, whitening)
    smooth = smooth / _smooth_floor_share(float(exponent), length, width, whitening is not None)
    periodogram = _periodogram_floor(rows, exponent)
    # Whether the model fits is asked of two readings of every window: the floor without the roughest reads
    # low by design under sharp signal edges, which would part it from the periodogram under the right model
    # (steps under pink noise of a tenth of their deviation: 2.1 to 4.6 apart, every window's floor 1.0 to 1.3).
    readings = np.sort(np.stack([whole, periodogram]), axis=0)
    disagreement = np.divide(readings[1], readings[0], out=np.full(len(whole), np.inf), where=readings[0] > 0)
    return NoiseEstimate(model, np.minimum(smooth, periodogram), flatness, disagreement, readings[0])


def _estimate_auto(signals, width):
    """The estimate of the first of ``AUTO_NOISE_KINDS`` whose floor is flat, else white noise's."""
    white = estimate_noise_level(signals, AUTO_NOISE_KINDS[0], width)
    if white.trusted:
        return white
    for kind in AUTO_NOISE_KINDS[1:]:
        other = estimate_noise_level(signals, kind, width)
        if other.trusted and np.all(other.disagreement <= AUTO_DISAGREEMENT):
            return other
    return white


def _periodogram_floor(rows, exponent):
    """Per channel, the median over stretches of at most 4,096 samples (16 evenly spaced per signal) of their
    tapered periodogram's low quantile, divided by the noise model's spectrum (1 / f**exponent, of unit mean) and by
    that quantile of an exponential; infinite where the signals are too short to tell."""
    n_channels = np.shape(rows[0])[0]
    floors = [[] for _ in range(n_channels)]
    for row in rows[:: max(1, len(rows) // 256)]:
        row = np.asarray(row)
        length = min(row.shape[-1], PERIODOGRAM_LENGTH)
        if length < 16:
            continue
        stretches = row[:, : row.shape[-1] // length * length].reshape(n_channels, -1, length)
        stretches = stretches[:, np.linspace(0, stretches.shape[1] - 1, min(16, stretches.shape[1])).astype(int)]
        stretches = stretches - stretches.mean(axis=-1, keepdims=True)
        # A Hann taper keeps strong slow components (steps, drifts) from leaking into every bin: on the
        # appliance traces joined into one recording (white noise 0.2) the floor read 45% over the noise
        # variance without it, 15% with it. Its main lobe spans the first two bins, left out.
        taper = np.hanning(length)
        power = np.abs(np.fft.rfft(stretches * taper, axis=-1)[..., 3:(length + 1) // 2]) ** 2 / np.sum(taper ** 2)
        shape = np.fft.rfftfreq(length)[3:(length + 1) // 2] ** -float(exponent)
        low = np.quantile(power / (shape / shape.mean()), PERIODOGRAM_QUANTILE, axis=-1)
        for channel in range(n_channels):
            floors[channel].extend(low[channel])
    return np.array([np.median(f) if f else np.inf for f in floors]) / -np.log(1 - PERIODOGRAM_QUANTILE)


def _whitening(exponent, length, width, n_series=128):
    """``R**-1/2`` for the correlation ``R`` of `width` neighbouring samples of :class:`ColouredNoise` of
    `exponent` (series of `length`, at most 4,096, drawn with a fixed seed)."""
    length = min(length, 4096)
    noise = ColouredNoise(exponent).sample((n_series, length), np.random.default_rng(0))
    lags = np.array([np.mean(noise[:, :length - lag] * noise[:, lag:]) for lag in range(width)])
    correlation = lags[np.abs(np.subtract.outer(np.arange(width), np.arange(width)))] / lags[0]
    values, vectors = np.linalg.eigh(correlation)
    return vectors @ np.diag(np.maximum(values, 1e-12) ** -0.5) @ vectors.T


def estimate_noise_std(signals):
    """The noise level of each signal and channel: the square root of :func:`estimate_noise_variance`.

    Parameters
    ----------
    signals : ndarray of shape (..., n_timesteps)

    Returns
    -------
    ndarray of shape ``signals.shape[:-1]``
    """
    return np.sqrt(estimate_noise_variance(signals))


#: Finest-scale details per signal that a per-signal level reads, evenly spaced over longer signals.
LEVEL_DETAILS = 1 << 15


def signal_noise_levels(signals):
    """:func:`estimate_noise_std` of each signal ``(n, C, L)`` in bounded memory, for predict's signals.

    Signals of up to 65,536 time steps give exactly :func:`estimate_noise_std`; longer ones use 32,768
    neighbouring pairs evenly spaced along time (a memmap is read, never copied whole), rows in blocks of
    about a million pairs.
    """
    n_signals, n_channels, length = signals.shape
    levels = np.zeros((n_signals, n_channels))
    if length < 2:
        return levels
    positions = level_pairs(length)
    every_pair = len(positions) == length // 2 * 2  # then a slice reads them without a copy
    rows_per_block = max(1, (1 << 20) // (n_channels * len(positions) // 2))
    for start in range(0, n_signals, rows_per_block):
        rows = signals[start:start + rows_per_block]
        levels[start:start + rows_per_block] = estimate_noise_std(rows if every_pair else rows[..., positions])
    return levels


def level_pairs(length):
    """The time steps :func:`signal_noise_levels` reads in a signal of `length`: every neighbouring pair
    ``(2k, 2k + 1)``, or at most 32,768 of them evenly spaced, side by side."""
    n_pairs = length // 2
    firsts = 2 * np.arange(0, n_pairs, max(1, -(-n_pairs // LEVEL_DETAILS)))
    return np.stack([firsts, firsts + 1], axis=1).ravel()
