"""The filters that need no clean signals and work at any length: Savitzky-Golay, wavelet shrinkage and the
identity, and how the Savitzky-Golay window is chosen without clean signals (Stein's estimate)."""

import functools
import math
from numbers import Integral

import numpy as np
import pywt
from scipy.signal import savgol_filter
from sklearn.utils._param_validation import Interval, StrOptions

from .._blocks import blockwise
from ..metrics import stein_mse
from ..noise import estimate_noise_level
from ..preprocessing import minmax_scale_signals
from ._template import SELECTION_RECORDINGS, SELECTION_SIGNALS, BaseDenoiser

__all__ = ["IdentityDenoiser", "SavitzkyGolayDenoiser", "WaveletDenoiser", "candidate_windows", "least_risk_window"]


class IdentityDenoiser(BaseDenoiser):
    """Return the noisy input unchanged (then the output step): the floor every method must beat.

    Parameters
    ----------
    output : {"auto", "minmax", None}, default="auto"
        Output step; see :class:`~skdenoise.DenoisingAutoencoder`.

    Examples
    --------
    >>> from skdenoise import make_cyclic_signals
    >>> import numpy as np
    >>> from skdenoise.baselines import IdentityDenoiser
    >>> noisy, clean = make_cyclic_signals(20, random_state=0)
    >>> bool(np.allclose(IdentityDenoiser().fit(noisy, clean).predict(noisy), noisy, atol=1e-5))
    True
    """

    _any_length = True

    def __init__(self, output="auto"):
        self.output = output

    def _denoise(self, signals):
        return signals.copy()


def candidate_windows(length, polyorder):
    """Odd window lengths above `polyorder`, up to the signal length, on a geometric grid."""
    top = length if length % 2 else length - 1
    low = polyorder + 2 if polyorder % 2 else polyorder + 1
    if top < low:
        return []
    grid = np.unique(np.geomspace(low, top, num=16).astype(int) | 1)
    return [int(w) for w in grid if low <= w <= top]


class SavitzkyGolayDenoiser(BaseDenoiser):
    """Savitzky–Golay smoothing (``scipy.signal.savgol_filter``) along time.

    Parameters
    ----------
    window_length : int or None, default=None
        Odd filter window. None chooses, in ``fit``, the window from a geometric grid that best matches
        the training targets (on up to 256 training signals), or without them (or with class labels) the one
        of least Stein's unbiased estimate of the error (:func:`~skdenoise.metrics.stein_mse`, for white
        noise of the level :func:`~skdenoise.noise.estimate_noise_level` reads). Shorter signals use the
        longest odd window that fits them.
    polyorder : int, default=3
        Order of the local polynomial.
    output : {"auto", "minmax", None}, default="auto"
        Output step.

    Attributes
    ----------
    window_length_ : int or None
        The window used (None when signals are too short to filter).

    Examples
    --------
    >>> from skdenoise import make_cyclic_signals
    >>> from skdenoise.baselines import SavitzkyGolayDenoiser
    >>> noisy, clean = make_cyclic_signals(50, random_state=0)
    >>> model = SavitzkyGolayDenoiser().fit(noisy, clean)
    >>> model.window_length_ > 50
    True

    Without clean signals, on recordings of any length:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> recordings = [np.sin(np.arange(n) / 20) + rng.normal(0, 0.3, n) for n in (400, 700, 550)]
    >>> smoothed = SavitzkyGolayDenoiser().fit(recordings).transform(recordings)
    >>> [x.shape for x in smoothed]
    [(400,), (700,), (550,)]
    """

    _any_length = True

    def __init__(self, window_length=None, polyorder=3, output="auto"):
        self.window_length = window_length
        self.polyorder = polyorder
        self.output = output

    _parameter_constraints = {**BaseDenoiser._parameter_constraints,
                              "window_length": [Interval(Integral, 1, None, closed="left"), None],
                              "polyorder": [Interval(Integral, 0, None, closed="left")]}

    def _check_params(self):
        if self.window_length is not None and self.window_length <= self.polyorder:
            raise ValueError(f"window_length must be greater than polyorder={self.polyorder}, "
                             f"got {self.window_length!r}.")

    def _fit_denoiser(self, signals, targets, same_shape):
        length = signals.shape[-1]
        if self.window_length is not None:
            if self.window_length > length:
                raise ValueError(f"window_length={self.window_length} is longer than the signals "
                                 f"({length} timesteps).")
            self.window_length_ = self.window_length
            return
        candidates = candidate_windows(length, self.polyorder)
        if not candidates or not same_shape:
            self.window_length_ = candidates[len(candidates) // 2] if candidates else None
            return
        noisy, clean = signals[:SELECTION_SIGNALS], targets[:SELECTION_SIGNALS]
        errors = [self._error(noisy, clean, w) for w in candidates]
        self.window_length_ = candidates[int(np.argmin(errors))]

    def _fit_denoiser_noisy(self, signals):
        """Without clean targets the window is the one of least Stein's unbiased estimate of the error
        (:func:`~skdenoise.metrics.stein_mse`, the white noise's level from
        :func:`~skdenoise.noise.estimate_noise_level`), on up to 256 signals or 64 recordings."""
        if self.window_length is not None:
            self.window_length_ = self.window_length
            return
        signals = signals[:SELECTION_RECORDINGS] if len(signals) > 1 else [signals[0][:SELECTION_SIGNALS]]
        std = np.sqrt(estimate_noise_level([r for s in signals for r in s]).variance)
        self.window_length_, _ = least_risk_window(signals, std, polyorder=self.polyorder)

    def _error(self, noisy, clean, window):
        smoothed = savgol_filter(noisy, window, self.polyorder, axis=-1)
        if self.output_ == "minmax":
            smoothed = minmax_scale_signals(smoothed, out=smoothed)
        return float(np.mean((smoothed - clean) ** 2))

    def _denoise(self, signals):
        return self._smooth(signals, getattr(self, "window_length_", self.window_length))

    def _smooth(self, signals, window):
        """`signals` smoothed in `window`, or the longest odd window above `polyorder` that fits their length
        where they are shorter; unchanged where none does."""
        length = signals.shape[-1]
        window = None if window is None else min(window, length if length % 2 else length - 1)
        if window is None or window <= self.polyorder:
            return np.array(signals, dtype=np.float64)
        return savgol_filter(np.asarray(signals, dtype=np.float64), window, self.polyorder, axis=-1)


def least_risk_window(signals, std, exponent=0.0, polyorder=3, max_window=None):
    """The Savitzky-Golay window of least Stein's unbiased estimate of the error on noisy `signals` (a list of
    float64 ``(n, C, L)`` arrays, weighted by their sizes) for gaussian noise of `std` per channel and spectral
    `exponent`, and that estimate; ``(None, None)`` where no window fits their median length (or
    `max_window`, where given: a window as long as a recording's stretch costs its length squared)."""
    length = int(np.median([s.shape[-1] for s in signals]))
    windows = candidate_windows(length if max_window is None else min(length, max_window), polyorder)
    if not windows:
        return None, None
    smoother, weights = SavitzkyGolayDenoiser(polyorder=polyorder), [s.size for s in signals]

    def risk(window):
        smooth = functools.partial(smoother._smooth, window=window)
        return float(np.average([np.mean(stein_mse(smooth, s, std, exponent)) for s in signals], weights=weights))

    risks = {window: risk(window) for window in windows}
    best = min(risks, key=risks.get)
    return best, risks[best]


class WaveletDenoiser(BaseDenoiser):
    """Wavelet shrinkage with PyWavelets: threshold the detail coefficients, reconstruct.

    The noise level of each signal is estimated from its finest detail coefficients (median absolute
    deviation / 0.6745), so no clean signal is needed for the threshold.

    Parameters
    ----------
    wavelet : str, default="sym8"
        A discrete wavelet known to PyWavelets.
    threshold : {"universal", "bayes"}, default="universal"
        ``"universal"``: ``sigma * sqrt(2 log n)`` (VisuShrink); ``"bayes"``: BayesShrink, per level
        ``sigma**2 / sigma_x``.
    mode : {"soft", "hard"}, default="soft"
        Thresholding function.
    level : int or None, default=None
        Decomposition levels; None uses the maximum useful level for the signal length.
    shifts : int, default=1
        Cycle spinning (Coifman and Donoho, 1995): the mean of the signals denoised at this many circular shifts
        of one sample each, shifted back. A decimated wavelet transform's thresholds depend on where the signal
        falls on its grid; averaging over shifts removes most of the blocky artefacts that leaves, for
        ``shifts`` times the work.
    output : {"auto", "minmax", None}, default="auto"
        Output step.

    Examples
    --------
    >>> from skdenoise import make_cyclic_signals
    >>> from skdenoise.baselines import WaveletDenoiser
    >>> noisy, clean = make_cyclic_signals(50, random_state=0)
    >>> model = WaveletDenoiser().fit(noisy, clean)
    >>> bool(model.score(noisy, clean) > 0.8)
    True
    """

    _any_length = True

    def __init__(self, wavelet="sym8", threshold="universal", mode="soft", level=None, shifts=1, output="auto"):
        self.wavelet = wavelet
        self.threshold = threshold
        self.mode = mode
        self.level = level
        self.shifts = shifts
        self.output = output

    _parameter_constraints = {**BaseDenoiser._parameter_constraints,
                              "wavelet": [StrOptions(set(pywt.wavelist(kind="discrete")))],
                              "threshold": [StrOptions({"universal", "bayes"})], "mode": [StrOptions({"soft", "hard"})],
                              "level": [Interval(Integral, 1, None, closed="left"), None],
                              "shifts": [Interval(Integral, 1, None, closed="left")]}

    def _fit_denoiser(self, signals, targets, same_shape):
        self.level_ = self._level_for(signals.shape[-1])

    def _level_for(self, length):
        """Decomposition levels for signals of `length`: `level`, at most the maximum useful one."""
        max_level = pywt.dwt_max_level(length, pywt.Wavelet(self.wavelet).dec_len)
        return max_level if self.level is None else min(self.level, max_level)

    def _denoise(self, signals):
        return blockwise(self._spun, signals)  # a long recording block by block: its thresholds per block

    def _spun(self, signals):
        """The signals denoised whole: averaged over the shifts, each shift thresholded on its own."""
        level = self._level_for(signals.shape[-1])
        if level < 1:
            return signals.copy()
        total = self._shrink(signals, level)
        for shift in range(1, self.shifts):
            shrunk = self._shrink(np.roll(signals, shift, axis=-1), level)
            total[..., :-shift] += shrunk[..., shift:]  # shifted back in place: a long recording is held once less
            total[..., -shift:] += shrunk[..., :shift]
        total /= self.shifts
        return total

    def _shrink(self, signals, level):
        """The signals with their detail coefficients thresholded, at one position on the transform's grid."""
        coeffs = pywt.wavedec(signals, self.wavelet, level=level, axis=-1, mode="periodization")
        sigma = np.median(np.abs(coeffs[-1]), axis=-1, keepdims=True) / 0.6745
        length = signals.shape[-1]
        for i, detail in enumerate(coeffs[1:], start=1):
            coeffs[i] = pywt.threshold(detail, self._threshold(detail, sigma, length), mode=self.mode)
        return pywt.waverec(coeffs, self.wavelet, axis=-1, mode="periodization")[..., :length]

    def _threshold(self, detail, sigma, length):
        if self.threshold == "universal":
            return sigma * math.sqrt(2 * math.log(max(length, 2)))
        signal_std = np.sqrt(np.maximum(np.mean(detail ** 2, axis=-1, keepdims=True) - sigma ** 2, 1e-12))
        return sigma ** 2 / signal_std
