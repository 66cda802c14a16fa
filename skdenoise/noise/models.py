"""Noise models for making training pairs: white, coloured and impulsive noise, and :func:`add_noise`.

The models draw noise of unit level, independently per signal and channel along the last axis (time);
:func:`add_noise` scales it by a level, or by a level drawn per signal from a range, and adds it.
"""

import numbers

import numpy as np

__all__ = ["NOISE_KINDS", "ColouredNoise", "ImpulsiveNoise", "WhiteNoise", "add_noise", "check_noise", "resolve_noise"]


class WhiteNoise:
    """Independent gaussian samples of standard deviation 1 (times the level).

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.noise import WhiteNoise
    >>> noise = WhiteNoise().sample((4, 1000), np.random.default_rng(0))
    >>> round(float(noise.std()), 1)
    1.0
    """

    def sample(self, shape, rng):
        """Unit-level noise of `shape` (time along the last axis), float64."""
        return rng.standard_normal(shape)

    def __repr__(self):
        return "WhiteNoise()"


class ColouredNoise:
    """Gaussian noise with power spectrum ``1 / f**exponent``: pink for 1, brown (a random walk) for 2.

    The spectrum is complex gaussian (real and imaginary parts N(0, 1)) divided by ``f**(exponent / 2)``
    over ``numpy.fft.rfftfreq(length)``, the zero frequency set to the first non-zero one, transformed back
    by ``irfft`` and scaled to standard deviation 1 per signal and channel. Neighbouring samples are
    correlated, so a filter that assumes white noise underestimates it.

    Parameters
    ----------
    exponent : float, default=1.0
        The spectral exponent alpha; 0 gives white noise.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.noise import ColouredNoise
    >>> noise = ColouredNoise().sample((200, 1, 512), np.random.default_rng(0))
    >>> noise.shape, bool(np.allclose(noise.std(axis=-1), 1))
    ((200, 1, 512), True)
    >>> lag1 = np.mean(noise[..., 1:] * noise[..., :-1])
    >>> bool(lag1 > 0.3)  # neighbours are correlated, unlike white noise
    True
    """

    def __init__(self, exponent=1.0):
        self.exponent = exponent

    def sample(self, shape, rng):
        """Unit-level noise of `shape` (time along the last axis), float64."""
        length = shape[-1]
        if length < 2:
            return rng.standard_normal(shape)
        freqs = np.fft.rfftfreq(length)
        freqs[0] = freqs[1]
        spectrum = rng.standard_normal((*shape[:-1], len(freqs))) + 1j * rng.standard_normal(
            (*shape[:-1], len(freqs)))
        noise = np.fft.irfft(spectrum / freqs ** (self.exponent / 2), n=length)
        std = noise.std(axis=-1, keepdims=True)
        return np.divide(noise, std, out=np.zeros_like(noise), where=std > 0)

    def __repr__(self):
        return f"ColouredNoise(exponent={self.exponent!r})"


class ImpulsiveNoise:
    """Gaussian noise plus sparse large spikes: motion artefacts, sensor glitches, dropouts.

    At level ``s``: gaussian of standard deviation ``s`` everywhere, plus on a random fraction `rate` of the
    samples (each chosen independently) a spike drawn from ``N(0, (spike_scale * s)**2)``. The benchmarks'
    ``"spikes"`` is level 0.1: spikes of standard deviation 2 on 3% of the samples.

    Parameters
    ----------
    rate : float, default=0.03
        Fraction of samples that carry a spike.
    spike_scale : float, default=20.0
        Spikes' standard deviation relative to the gaussian part's.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.noise import ImpulsiveNoise
    >>> noise = ImpulsiveNoise().sample((100, 1000), np.random.default_rng(0))
    >>> round(float(np.mean(np.abs(noise) > 5)), 3)  # the spikes: 3% of samples, most beyond 5 sigma
    0.024
    """

    def __init__(self, rate=0.03, spike_scale=20.0):
        self.rate = rate
        self.spike_scale = spike_scale

    def sample(self, shape, rng):
        """Unit-level noise of `shape`, float64."""
        noise = rng.standard_normal(shape)
        spiked = rng.random(shape) < self.rate
        noise[spiked] += rng.normal(0.0, self.spike_scale, int(spiked.sum()))
        return noise

    def __repr__(self):
        return f"ImpulsiveNoise(rate={self.rate!r}, spike_scale={self.spike_scale!r})"


NOISE_KINDS = {"white": WhiteNoise, "gaussian": WhiteNoise, "pink": ColouredNoise,
               "brown": lambda: ColouredNoise(exponent=2.0), "spikes": ImpulsiveNoise}


def resolve_noise(noise):
    """The noise model for a name of ``NOISE_KINDS`` or an object with a ``sample(shape, rng)`` method."""
    if isinstance(noise, str) and noise in NOISE_KINDS:
        return NOISE_KINDS[noise]()
    if callable(getattr(noise, "sample", None)) and not isinstance(noise, str):
        return noise
    raise ValueError(f"noise must be one of {sorted(NOISE_KINDS)} or a noise model with a sample(shape, rng) "
                     f"method (skdenoise.noise.WhiteNoise, ColouredNoise, ImpulsiveNoise), got {noise!r}.")


def _is_level(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value) and value >= 0


def check_noise(noise, noise_std):
    """Validate a noise kind and a level (a number >= 0, or a range ``(low, high)`` with ``0 < low <= high``);
    return the model and the level as a float or a pair of floats."""
    model = resolve_noise(noise)
    if _is_level(noise_std):
        return model, float(noise_std)
    if (isinstance(noise_std, (tuple, list)) and len(noise_std) == 2 and all(map(_is_level, noise_std))
            and 0 < noise_std[0] <= noise_std[1]):
        return model, (float(noise_std[0]), float(noise_std[1]))
    raise ValueError(f"noise_std must be a number >= 0 or a range (low, high) with 0 < low <= high, "
                     f"got {noise_std!r}.")


def add_noise(clean, noise="white", noise_std=0.5, random_state=None):
    """`clean` plus noise of a kind and a level: the noisy half of a training pair.

    Parameters
    ----------
    clean : array-like of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps)
        Clean signals, time along the last axis.
    noise : {"white", "gaussian", "pink", "brown", "spikes"} or noise model, default="white"
        The kind of noise (see the module's description), or an object with a ``sample(shape, rng)``
        method returning unit-level float64 noise.
    noise_std : float or (float, float), default=0.5
        The level: the standard deviation of white and coloured noise, of the gaussian part of spikes. A
        range ``(low, high)`` draws one level per signal (per row of `clean`), log-uniformly: signals of
        every level from low to high, equally many per factor of level.
    random_state : int, numpy Generator or None, default=None
        Seeds the noise (the levels are drawn first).

    Returns
    -------
    ndarray
        The noisy signals, in the dtype of `clean` (float64 for integer input).

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.noise import add_noise
    >>> noisy = add_noise(np.zeros((1000, 64)), "pink", noise_std=(0.1, 1.0), random_state=0)
    >>> stds = noisy.std(axis=-1)
    >>> round(float(stds.min()), 2), round(float(stds.max()), 2)
    (0.1, 1.0)
    """
    clean = np.asarray(clean)
    if not np.issubdtype(clean.dtype, np.floating):
        clean = clean.astype(np.float64)
    model, level = check_noise(noise, noise_std)
    rng = np.random.default_rng(random_state)
    if isinstance(level, tuple):
        level = np.exp(rng.uniform(np.log(level[0]), np.log(level[1]), len(clean)))
        level = level.reshape((-1,) + (1,) * (clean.ndim - 1))
    return (clean + level * model.sample(clean.shape, rng)).astype(clean.dtype, copy=False)
