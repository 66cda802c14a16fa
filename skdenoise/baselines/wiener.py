"""The Wiener filter: the linear filter of least error for signals and noise that are stationary, its gain per
frequency read from the noisy signals' spectrum and the noise's, applied along time at any length."""

import functools
from numbers import Integral

import numpy as np
from scipy.ndimage import convolve1d
from scipy.signal import csd, welch
from sklearn.utils._param_validation import Interval, StrOptions

from .._validation import Satisfies, positive_numbers
from ..noise import ColouredNoise, WhiteNoise, estimate_noise_level, resolve_noise
from ..noise.estimates import given_variance, is_auto
from ._template import BaseDenoiser

__all__ = ["WienerDenoiser"]

#: The longest segment the spectra are read in (the filter's length): finer frequencies than
#: ``1 / MAX_SEGMENT`` are more than most recordings can tell apart from their noise.
MAX_SEGMENT = 256


class WienerDenoiser(BaseDenoiser):
    """Wiener filtering along time: each frequency kept in proportion to its share of signal.

    Smooth signals whose statistics do not change along time (an autoregressive process, a sum of sines, a
    random walk) are denoised best, among linear filters, by the gain ``1 - N(f) / Y(f)`` per frequency, where
    ``Y`` is the noisy signals' power spectrum and ``N`` the noise's (Welch's averages over segments).
    Without clean signals ``N`` is the noise model's spectrum at the level read from the signals (or given);
    with clean signals the gain is the one that best maps the noisy signals onto them, ``Re S_xy(f) / Y(f)``.
    The gain becomes a zero-phase filter of one segment's length, applied to signals of any length (their
    ends mirrored). Sharp signals (steps, pulses) spread over every frequency, and a wavelet filter suits them
    better.

    Parameters
    ----------
    segment_length : int or None, default=None
        The length of the segments the spectra are read in, and of the filter. None: the largest power of
        two up to 256 and half the median length of the signals fit sees (at least 4).
    noise : {"auto", "white", "pink", "brown"} or noise model, default="auto"
        The noise's kind without clean signals (a model of :mod:`skdenoise.noise`): "auto" reads it from the
        signals (:func:`~skdenoise.noise.estimate_noise_level`).
    noise_std : "auto", float or array-like of shape (n_channels,), default="auto"
        The noise's standard deviation without clean signals, per channel or one for all; "auto" reads it from
        the signals.
    output : {"auto", "minmax", None}, default="auto"
        Output step.

    Attributes
    ----------
    gain_ : ndarray of shape (n_channels, n_frequencies) or None
        The gain per channel and frequency (the ``segment_length_ // 2 + 1`` frequencies of
        ``numpy.fft.rfftfreq(segment_length_)``), between 0 and 1; None for signals too short to filter (under 4
        time steps), returned unchanged.
    segment_length_ : int or None

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.baselines import WienerDenoiser
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(2000)
    >>> clean = np.sin(t / 15) + 0.5 * np.sin(t / 40 + 1)
    >>> noisy = clean + rng.normal(0, 0.5, t.shape)
    >>> denoised = WienerDenoiser().fit([noisy]).transform([noisy])[0]
    >>> bool(np.mean((denoised - clean) ** 2) < 0.1 * np.mean((noisy - clean) ** 2))
    True
    """

    _any_length = True

    def __init__(self, segment_length=None, noise="auto", noise_std="auto", output="auto"):
        self.segment_length = segment_length
        self.noise = noise
        self.noise_std = noise_std
        self.output = output

    _parameter_constraints = {**BaseDenoiser._parameter_constraints,
                              "segment_length": [Interval(Integral, 4, None, closed="left"), None],
                              "noise": [StrOptions({"auto", "white", "pink", "brown"}), Satisfies(
                                  lambda value: isinstance(value, (WhiteNoise, ColouredNoise)),
                                  "a WhiteNoise or ColouredNoise")],
                              "noise_std": [StrOptions({"auto"}), Satisfies(
                                  positive_numbers, "a number > 0 or one number > 0 per channel")]}

    def _fit_denoiser(self, signals, targets, same_shape):
        if targets is None or not same_shape:
            self._fit_denoiser_noisy([signals])
            return
        self.segment_length_ = self._segment(signals.shape[-1])
        if self.segment_length_ is None:
            self.gain_ = None
            return
        noisy = welch(signals, nperseg=self.segment_length_, axis=-1)[1].mean(axis=0)
        cross = csd(signals, targets, nperseg=self.segment_length_, axis=-1)[1].mean(axis=0)
        self.gain_ = np.clip(np.real(cross) / np.maximum(noisy, 1e-300), 0.0, 1.0)

    def _fit_denoiser_noisy(self, signals):
        rows = [row for part in signals for row in part]
        self.segment_length_ = self._segment(int(np.median([row.shape[-1] for row in rows])))
        if self.segment_length_ is None:
            self.gain_ = None
            return
        rows = [row for row in rows if row.shape[-1] >= self.segment_length_]
        weights = np.array([row.shape[-1] for row in rows], dtype=np.float64)
        spectra = np.stack([welch(row, nperseg=self.segment_length_, axis=-1)[1] for row in rows])
        noisy = np.tensordot(weights / weights.sum(), spectra, axes=1)  # (C, F), each row by its length
        model, variance = self._noise_level(rows)
        length = min(int(np.median(weights)), 4096)
        noise = variance[:, None] * _unit_spectrum(float(getattr(model, "exponent", 0.0)), length,
                                                   self.segment_length_)
        self.gain_ = np.clip(1.0 - noise / np.maximum(noisy, 1e-300), 0.0, 1.0)

    def _noise_level(self, rows):
        """The noise model and its variance per channel, read from the `rows` where not given."""
        estimate = (estimate_noise_level(rows, self.noise)
                    if is_auto(self.noise_std) or is_auto(self.noise) else None)
        model = resolve_noise(self.noise) if estimate is None else estimate.model
        if is_auto(self.noise_std):
            return model, np.asarray(estimate.variance, dtype=np.float64)
        return model, given_variance(self.noise_std, rows[0].shape[0])

    def _segment(self, length):
        """The segment length for signals of median `length` (None where they are too short to filter)."""
        if self.segment_length is None:
            if length < 4:
                return None
            return int(2 ** np.floor(np.log2(max(4, min(MAX_SEGMENT, length // 2)))))
        if self.segment_length > length:
            raise ValueError(f"segment_length={self.segment_length} is longer than the signals ({length} timesteps).")
        return self.segment_length

    def _learned_state(self):
        return {"segment_length_": self.segment_length_,
                "gain_": None if self.gain_ is None else np.asarray(self.gain_).tolist()}

    def _restore_learned(self, state):
        super()._restore_learned({**state, "gain_": None if state["gain_"] is None else np.asarray(state["gain_"])})

    def _denoise(self, signals):
        if self.gain_ is None:
            return np.array(signals, dtype=np.float64)
        taps = _zero_phase_taps(self.gain_)
        out = np.empty(signals.shape, dtype=np.float64)
        for channel in range(signals.shape[1]):  # in place, the ends mirrored: a long recording is not copied
            convolve1d(signals[:, channel], taps[channel], axis=-1, mode="mirror", output=out[:, channel])
        return out


@functools.lru_cache(maxsize=32)
def _unit_spectrum(exponent, length, segment):
    """Welch's spectrum ``(F,)`` of unit-level gaussian noise of spectral `exponent` (0: white) drawn in series of
    `length`, with a fixed seed."""
    model = ColouredNoise(exponent) if exponent else WhiteNoise()
    series = max(8, (1 << 18) // length)
    noise = model.sample((series, length), np.random.default_rng(0))
    return welch(noise, nperseg=segment, axis=-1)[1].mean(axis=0)


def _zero_phase_taps(gain):
    """The zero-phase filter ``(C, segment - 1)`` whose response is `gain` ``(C, segment // 2 + 1)`` at the
    segment's frequencies, tapered by a Hann window (which smooths the gain over neighbouring frequencies)."""
    segment = 2 * (gain.shape[-1] - 1)
    circular = np.fft.irfft(gain, n=segment, axis=-1)
    half = segment // 2 - 1
    lags = np.arange(-half, half + 1)
    taper = 0.5 * (1 + np.cos(np.pi * lags / (half + 1)))
    return circular[:, lags % segment] * taper
