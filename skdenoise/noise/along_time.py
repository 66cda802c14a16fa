"""A noise level that changes along a recording: a sensor whose noise grows, a gain that changes, motion.

:func:`noise_level_profile` reads the level's shape along time from the finest wavelet details (robust medians
over a sliding window, smoothed), relative to its mean square; :func:`level_change` says how much it changes
(the ratio of its 90% to its 10% quantile, the median over signals and the largest over channels). White noise
of a constant level reads 1.5 to 2.4 on the benchmarks' corpus (its rough signals the most: chirps under weak
noise), a level ramping from 0.1 to 0.9 or jumping from 0.2 to 0.8 along each series 3.0 to 5.6.
"""

import functools

import numpy as np
from scipy.ndimage import median_filter, uniform_filter1d

__all__ = ["PROFILE_WIDTH", "level_change", "noise_level_profile", "variance_profile"]

#: Time steps the level along time is read over (each reading is the median of half as many details).
PROFILE_WIDTH = 64


def noise_level_profile(signals, width=PROFILE_WIDTH):
    """The relative noise level along time of each signal and channel, of mean square 1 along time.

    Parameters
    ----------
    signals : ndarray of shape (n, C, L)
    width : int, default=64
        The stretch of time each reading covers: medians of the ``width / 2`` finest Haar details
        ``|x[2k] - x[2k+1]| / sqrt(2)`` around each pair, over 0.6745 (Donoho and Johnstone's robust scale,
        which outvotes spikes), averaged over as many again.

    Returns
    -------
    ndarray of shape (n, C, L), float32
        Ones where a signal is too short to tell (fewer than two pairs).

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.noise import noise_level_profile
    >>> ramp = np.random.default_rng(0).normal(0, 1, (20, 1, 2048)) * np.linspace(0.2, 1.0, 2048)
    >>> profile = noise_level_profile(ramp)
    >>> round(float(profile[:, 0, :256].mean() / profile[:, 0, -256:].mean()), 1)
    0.3
    """
    # float32 throughout, each step on the half-length details: a long recording is held a few times at most.
    x = np.asarray(signals)
    x = x if x.dtype == np.float32 else x.astype(np.float32)
    length, pairs = x.shape[-1], x.shape[-1] // 2
    if pairs < 2:
        return np.ones_like(x)
    details = x[..., 0:2 * pairs:2] - x[..., 1:2 * pairs:2]
    np.abs(details, out=details)
    half = int(min(max(1, width // 2), pairs))
    local = median_filter(details, size=(1, 1, half), mode="nearest")
    del details
    local = uniform_filter1d(local, size=half, axis=-1, mode="nearest")
    peak = np.maximum(np.max(local, axis=-1, keepdims=True), np.float32(1e-30))
    np.maximum(local, 1e-12 * peak + np.float32(1e-30), out=local)
    # Scaled to mean square 1 over the signal's length (each reading stands for its pair, an odd signal's last
    # sample takes the last reading), squares taken relative to the peak so that they stay finite.
    relative = local / peak
    squares = 2 * np.sum(np.square(relative), axis=-1, keepdims=True, dtype=np.float64)
    if length > 2 * pairs:
        squares += np.square(relative[..., -1:], dtype=np.float64)
    del relative
    local /= (peak * np.sqrt(squares / length)).astype(np.float32)
    profile = np.empty(x.shape, dtype=np.float32)
    profile[..., 0:2 * pairs:2] = local
    profile[..., 1:2 * pairs:2] = local
    if length > 2 * pairs:
        profile[..., -1:] = local[..., -1:]
    return profile


def variance_profile(signals, width=PROFILE_WIDTH):
    """The relative noise variance along time of each signal and channel (mean 1 along time), shrunk towards
    a constant by as much of its spread as white noise of one level reads.

    The square of :func:`noise_level_profile` reads the noise itself as well as its level: under a constant
    level its readings scatter, and the scatter follows the noise where it happens to be large. Each signal's
    squared profile is moved towards 1 by the share of its variance along time that white noise of constant
    level gives at its length (empirical Bayes shrinkage): a constant level reads about 1 throughout, a level
    that ramps or jumps keeps most of its shape.

    Parameters
    ----------
    signals : ndarray of shape (n, C, L)
    width : int, default=64

    Returns
    -------
    ndarray of shape (n, C, L), float64

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.noise import variance_profile
    >>> noise = np.random.default_rng(0).normal(0, 1, (2, 20, 1, 1024))
    >>> constant, ramp = variance_profile(noise[0]), variance_profile(noise[1] * np.linspace(0.2, 1.0, 1024))
    >>> round(float(constant.std()), 2), round(float(ramp[..., :64].mean()), 1), round(float(ramp[..., -64:].mean()), 1)
    (0.13, 0.4, 2.2)
    """
    squares = np.square(noise_level_profile(signals, width), dtype=np.float64)
    spread = np.var(squares, axis=-1, keepdims=True)
    signal_share = np.clip(1 - _constant_level_spread(squares.shape[-1], width) / np.maximum(spread, 1e-30), 0, 1)
    return 1 + signal_share * (squares - 1)


@functools.cache
def _constant_level_spread(length, width):
    """The mean variance along time of the squared profile of white noise of one level, drawn with a fixed
    seed."""
    noise = np.random.default_rng(0).normal(0, 1, (64, 1, length)).astype(np.float32)
    return float(np.mean(np.var(np.square(noise_level_profile(noise, width), dtype=np.float64), axis=-1)))


def level_change(profile):
    """How much the level of :func:`noise_level_profile` changes along time: per channel the median over signals of
    its 90% over its 10% quantile, the largest over channels (1: constant)."""
    low, high = np.quantile(profile, [0.1, 0.9], axis=-1)
    return float(np.max(np.median(high / low, axis=0)))
