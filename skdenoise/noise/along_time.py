"""A noise level that changes along a recording: a sensor whose noise grows, a gain that changes, motion.

:func:`noise_level_profile` reads the level's shape along time from the finest wavelet details (robust medians
over a sliding window, smoothed), relative to its mean square; :func:`level_change` says how much it changes
(the ratio of its 90% to its 10% quantile, the median over signals and the largest over channels). White noise
of a constant level reads 1.5 to 2.4 on the benchmarks' corpus (its rough signals the most: chirps under weak
noise), a level ramping from 0.1 to 0.9 or jumping from 0.2 to 0.8 along each series 3.0 to 5.6.
"""

import numpy as np
from scipy.ndimage import median_filter, uniform_filter1d

__all__ = ["PROFILE_WIDTH", "level_change", "noise_level_profile"]

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
    ndarray of shape (n, C, L)
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
    x = np.asarray(signals, dtype=np.float64)
    length, pairs = x.shape[-1], x.shape[-1] // 2
    if pairs < 2:
        return np.ones_like(x)
    details = np.abs(x[..., 0:2 * pairs:2] - x[..., 1:2 * pairs:2]) / np.sqrt(2)
    half = int(min(max(1, width // 2), pairs))
    local = uniform_filter1d(median_filter(details, size=(1, 1, half), mode="nearest") / 0.6745, size=half,
                             axis=-1, mode="nearest")
    profile = np.repeat(local, 2, axis=-1)
    profile = np.concatenate([profile, profile[..., -1:]], axis=-1) if profile.shape[-1] < length else profile
    profile = np.maximum(profile, 1e-12 * np.max(profile, axis=-1, keepdims=True) + 1e-300)
    return profile / np.sqrt(np.mean(np.square(profile), axis=-1, keepdims=True))


def level_change(profile):
    """How much the level of :func:`noise_level_profile` changes along time: per channel the median over signals of
    its 90% over its 10% quantile, the largest over channels (1: constant)."""
    low, high = np.quantile(profile, [0.1, 0.9], axis=-1)
    return float(np.max(np.median(high / low, axis=0)))
