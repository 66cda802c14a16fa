"""Classical denoisers behind the same API as the autoencoder, so every method is scored the same way.

Each is a scikit-learn regressor and transformer: ``fit(noisy, clean)``, ``predict(noisy)`` (or
``transform``), ``score`` (R²), on 2-D ``(n_samples, n_timesteps)`` or 3-D ``(n_samples, n_channels,
n_timesteps)`` signals, with the same ``output`` step as :class:`~skdenoise.DenoisingAutoencoder` (``"auto"``
min-max scales the denoised signals when the training targets are min-max scaled). When the targets are not
signals of the inputs' shape (for instance scalar targets), a ridge regression on the denoised signals
predicts them. Those that learn nothing from clean signals (all but ``PCADenoiser(fit_on="clean")``) fit
without ``y``, and ``transform`` always denoises (whatever ``fit`` was given, class labels included), so that
they can be the step before a classifier; the wavelet, Savitzky-Golay and identity filters, fitted on 3-D
signals or a list of recordings, denoise any length.
"""

import functools
import math
import numbers

import numpy as np
import pywt
from scipy.signal import savgol_filter
from sklearn.base import BaseEstimator
from sklearn.decomposition import PCA
from sklearn.linear_model import Ridge
from sklearn.utils.validation import check_is_fitted

from ._base import SignalRegressorMixin, SignalTransformerMixin
from ._validation import (check_option, check_positive, class_labels, is_collection, validate_collection,
                          validate_signals, validate_targets)
from .datasets import check_functions, resolve_functions
from .metrics import stein_mse
from .noise import estimate_noise_level
from .preprocessing import is_minmax_scaled, minmax_scale_signals

__all__ = ["IdentityDenoiser", "ProjectionDenoiser", "PCADenoiser", "SavitzkyGolayDenoiser",
           "WaveletDenoiser"]

OUTPUTS = ("auto", "minmax", None)
# Training signals used when fit chooses a filter setting: enough for a stable choice, and fast.
_SELECTION_SIGNALS = 256
_SELECTION_RECORDINGS = 64


def _ndim(X):
    return X.ndim if hasattr(X, "ndim") else np.asarray(X).ndim


class _BaseDenoiser(SignalRegressorMixin, SignalTransformerMixin, BaseEstimator):
    """fit/predict/transform/score plumbing; subclasses implement ``_fit_denoiser`` and ``_denoise``."""

    #: Whether the filter works at any length: then a fit on 3-D signals or a list of recordings denoises
    #: 3-D signals of any length and lists, as the autoencoder does.
    _any_length = False

    def _validate_params(self):
        check_option("output", self.output, OUTPUTS)

    def _needs_targets(self):
        """Whether fit learns from the clean targets (otherwise y is optional, and class labels are ignored)."""
        return False

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = self._needs_targets()
        return tags

    def fit(self, X, y=None):
        """Fit on noisy signals `X` and, where the filter learns from them, clean targets `y`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps), or list
            Noisy signals; for a filter that works at any length, also a list of recordings (``(n_channels,
            length)`` arrays, 1-D for one channel).
        y : array-like, default=None
            Clean targets, usually of X's shape (other targets, such as scalars: a ridge regression on the
            denoised signals predicts them, and :meth:`transform` still denoises). Optional where the filter
            does not learn from them, and ignored for a list of recordings.

        Returns
        -------
        self
        """
        self._validate_params()
        if y is None and self._needs_targets():
            validate_targets(self, X, y)  # the error that says y is required
        if is_collection(X) or y is None:
            self._fit_noisy(X)
            return self
        signals, targets, target_shape, _ = validate_targets(self, X, y, min_samples=1)
        self.input_shape_ = signals.shape[1:]
        self.target_shape_ = tuple(target_shape)
        self._fitted_3d = _ndim(X) == 3
        same_shape = signals.shape[1:] == targets.shape[1:]
        # Decided before the denoiser is fitted, so that a setting chosen in fit is scored with this step.
        auto_minmax = self.output == "auto" and same_shape and is_minmax_scaled(targets)
        self.output_ = "minmax" if auto_minmax or (self.output == "minmax" and same_shape) else None
        if same_shape or not class_labels(y):
            self._fit_denoiser(signals.astype(np.float64), targets.astype(np.float64), same_shape)
        else:  # class labels (a step before a classifier) tell nothing of the signals
            self._fit_denoiser_noisy([signals.astype(np.float64)])
        self.readout_ = None
        if not same_shape:
            denoised = self._denoise(signals.astype(np.float64)).reshape(len(signals), -1)
            self.readout_ = Ridge(alpha=1e-3).fit(denoised, targets.reshape(len(targets), -1))
        return self

    def _fit_noisy(self, X):
        """Fit on noisy signals alone: an array, or a list of recordings for a filter of any length."""
        if is_collection(X):
            if not self._any_length:
                raise ValueError(f"X is a list of recordings of unequal length, but {type(self).__name__} "
                                 f"works at the length it was fitted on: give it a 2-D or 3-D array.")
            recordings = validate_collection(self, X, reset=True)
            self.input_shape_ = self.target_shape_ = (recordings[0].shape[0], None)
            self._fitted_3d = True
            signals = [np.asarray(r, dtype=np.float64)[None] for r in recordings]
        else:
            signals, _ = validate_signals(self, X, reset=True)
            self.input_shape_ = self.target_shape_ = signals.shape[1:]
            self._fitted_3d = _ndim(X) == 3
            signals = [signals.astype(np.float64)]
        self.output_ = "minmax" if self.output == "minmax" else None
        self.readout_ = None
        self._fit_denoiser_noisy(signals)

    def predict(self, X):
        """Denoise `X` (or, for targets other than signals of its shape, predict them from the denoised `X`).

        Parameters
        ----------
        X : array-like of the shape seen in fit, or list
            Noisy signals. A filter that works at any length (wavelet, Savitzky-Golay, identity) fitted on 3-D
            signals or a list of recordings also takes 3-D signals of any length and lists.

        Returns
        -------
        ndarray of shape ``(n_samples,) + target_shape_``, or list
            Signals of another length: of shape ``(n_samples, n_channels, n_timesteps)``; for a list, a list
            of arrays of its recordings' shapes. float32 when X is float32, float64 otherwise.
        """
        return self._apply(X, readout=True)

    def transform(self, X):
        """Denoise `X`: the filter as a step of a pipeline. Unlike :meth:`predict`, always the denoised
        signals (of X's shape), whatever the targets of ``fit`` were: a step before a classifier is fitted
        on its class labels.

        Parameters
        ----------
        X : array-like or list
            As for :meth:`predict`.

        Returns
        -------
        ndarray or list
        """
        return self._apply(X, readout=False)

    def _transformed_shape(self):
        return tuple(self.input_shape_) if self._fitted_3d else (self.n_features_in_,)

    def _apply(self, X, readout):
        check_is_fitted(self)
        readout = self.readout_ if readout else None
        any_length = self._any_length and readout is None and self._fitted_3d
        if is_collection(X):
            if not any_length:
                raise ValueError("X is a list of recordings, which needs a filter of any length (wavelet, "
                                 "Savitzky-Golay, identity) fitted on 3-D signals or on a list of recordings.")
            recordings = validate_collection(self, X, reset=False)
            denoised = [self._finish(r[None], readout)[0].astype(r.dtype, copy=False) for r in recordings]
            return [out[0] if np.ndim(x) == 1 else out for x, out in zip(X, denoised)]
        signals, dtype = validate_signals(self, X, reset=False, any_length=any_length)
        denoised = self._finish(signals, readout)
        if signals.shape[-1] == self.input_shape_[-1]:
            shape = self.target_shape_ if readout is not None else self._transformed_shape()
            denoised = denoised.reshape((len(signals),) + tuple(shape))
        return denoised.astype(dtype, copy=False)

    def _finish(self, signals, readout):
        """The denoised float64 ``(n, C, L)`` signals, through the `readout` (a fitted ridge) or the output
        step."""
        denoised = self._denoise(np.asarray(signals, dtype=np.float64))
        if readout is not None:
            return readout.predict(denoised.reshape(len(denoised), -1))
        if self.output_ == "minmax":
            denoised = minmax_scale_signals(denoised, out=denoised)
        return np.ascontiguousarray(denoised)  # a wavelet reconstruction cut to length is a strided view

    def _fit_denoiser(self, signals, targets, same_shape):
        """Learn what the denoiser needs from float64 ``(n, C, L)`` signals and targets."""

    def _fit_denoiser_noisy(self, signals):
        """Learn what the denoiser needs from noisy signals alone: a list of float64 ``(n, C, L)`` arrays."""
        self._fit_denoiser(signals[0], None, True)

    def _denoise(self, signals):
        raise NotImplementedError


class IdentityDenoiser(_BaseDenoiser):
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


class ProjectionDenoiser(_BaseDenoiser):
    """Least-squares projection onto known functions plus a constant: the oracle for the seed task.

    Each signal (and channel) is projected onto ``span{f_1(x), ..., f_k(x), 1}`` with
    ``x = t * 2*pi / samples_per_period``, then the output step applies.

    Parameters
    ----------
    functions : list of callables, str or Wave, default=None
        As in :class:`~skdenoise.CyclicSignalGenerator`; None means the seed's three cosines.
    samples_per_period : int, default=512
        Samples per ``2*pi`` of x.
    add_constant : bool, default=True
        Include the constant function (min-max scaling shifts every signal).
    output : {"auto", "minmax", None}, default="auto"
        Output step.

    Attributes
    ----------
    basis_ : ndarray of shape (n_timesteps, n_functions)
        The functions sampled on the signals' x axis.

    Examples
    --------
    >>> from skdenoise import CyclicSignalGenerator
    >>> from skdenoise.baselines import ProjectionDenoiser
    >>> gen = CyclicSignalGenerator(random_state=0)
    >>> noisy, clean = gen.generate(200)
    >>> oracle = ProjectionDenoiser.from_generator(gen).fit(noisy, clean)
    >>> bool(oracle.score(noisy, clean) > 0.99)
    True
    """

    def __init__(self, functions=None, samples_per_period=512, add_constant=True, output="auto"):
        self.functions = functions
        self.samples_per_period = samples_per_period
        self.add_constant = add_constant
        self.output = output

    @classmethod
    def from_generator(cls, generator, **params):
        """The oracle for data from `generator`: its functions and its sampling."""
        return cls(functions=generator.functions, samples_per_period=generator.samples_per_period, **params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Projecting arbitrary tabular features onto a few cosines discards most of them.
        tags.regressor_tags.poor_score = True
        return tags

    def _fit_denoiser(self, signals, targets, same_shape):
        check_positive("samples_per_period", self.samples_per_period, integer=True)
        length = signals.shape[-1]
        x = np.arange(length) * (2 * np.pi / self.samples_per_period)
        columns = check_functions(resolve_functions(self.functions), x)
        if self.add_constant:
            columns = np.vstack([columns, np.ones(length)])
        self.basis_ = columns.T
        self.projector_ = self.basis_ @ np.linalg.pinv(self.basis_)

    def _denoise(self, signals):
        return signals @ self.projector_.T


class PCADenoiser(_BaseDenoiser):
    """Keep the `n_components` leading principal components of the signals (channels flattened).

    Parameters
    ----------
    n_components : int, default=4
        Components kept (at most ``min(n_samples, n_channels * n_timesteps)``).
    fit_on : {"noisy", "clean"}, default="noisy"
        Learn the components from the noisy inputs (usable without clean signals) or the clean targets.
    output : {"auto", "minmax", None}, default="auto"
        Output step.

    Attributes
    ----------
    pca_ : sklearn.decomposition.PCA

    Examples
    --------
    >>> from skdenoise import make_cyclic_signals
    >>> from skdenoise.baselines import PCADenoiser
    >>> noisy, clean = make_cyclic_signals(300, random_state=0)
    >>> bool(PCADenoiser().fit(noisy, clean).score(noisy, clean) > 0.95)
    True
    """

    def __init__(self, n_components=4, fit_on="noisy", output="auto"):
        self.n_components = n_components
        self.fit_on = fit_on
        self.output = output

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Four components of arbitrary tabular features lose most of them.
        tags.regressor_tags.poor_score = True
        return tags

    def _needs_targets(self):
        return self.fit_on == "clean"

    def _validate_params(self):
        super()._validate_params()
        check_positive("n_components", self.n_components, integer=True)
        check_option("fit_on", self.fit_on, ("noisy", "clean"))

    def _fit_denoiser(self, signals, targets, same_shape):
        source = targets if self.fit_on == "clean" and same_shape else signals
        flat = source.reshape(len(source), -1)
        n_components = min(self.n_components, *flat.shape)
        self.pca_ = PCA(n_components=n_components, svd_solver="full").fit(flat)

    def _denoise(self, signals):
        flat = signals.reshape(len(signals), -1)
        return self.pca_.inverse_transform(self.pca_.transform(flat)).reshape(signals.shape)


def candidate_windows(length, polyorder):
    """Odd window lengths above `polyorder`, up to the signal length, on a geometric grid."""
    top = length if length % 2 else length - 1
    low = polyorder + 2 if polyorder % 2 else polyorder + 1
    if top < low:
        return []
    grid = np.unique(np.geomspace(low, top, num=16).astype(int) | 1)
    return [int(w) for w in grid if low <= w <= top]


class SavitzkyGolayDenoiser(_BaseDenoiser):
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

    def _validate_params(self):
        super()._validate_params()
        if not isinstance(self.polyorder, numbers.Integral) or self.polyorder < 0:
            raise ValueError(f"polyorder must be an integer >= 0, got {self.polyorder!r}.")
        check_positive("window_length", self.window_length, integer=True, allow_none=True)
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
        noisy, clean = signals[:_SELECTION_SIGNALS], targets[:_SELECTION_SIGNALS]
        errors = [self._error(noisy, clean, w) for w in candidates]
        self.window_length_ = candidates[int(np.argmin(errors))]

    def _fit_denoiser_noisy(self, signals):
        """Without clean targets the window is the one of least Stein's unbiased estimate of the error
        (:func:`~skdenoise.metrics.stein_mse`, the white noise's level from
        :func:`~skdenoise.noise.estimate_noise_level`), on up to 256 signals or 64 recordings."""
        if self.window_length is not None:
            self.window_length_ = self.window_length
            return
        signals = signals[:_SELECTION_RECORDINGS] if len(signals) > 1 else [signals[0][:_SELECTION_SIGNALS]]
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


def least_risk_window(signals, std, exponent=0.0, polyorder=3):
    """The Savitzky-Golay window of least Stein's unbiased estimate of the error on noisy `signals` (a list of
    float64 ``(n, C, L)`` arrays, weighted by their sizes) for gaussian noise of `std` per channel and spectral
    `exponent`, and that estimate; ``(None, None)`` where no window fits their median length."""
    windows = candidate_windows(int(np.median([s.shape[-1] for s in signals])), polyorder)
    if not windows:
        return None, None
    smoother, weights = SavitzkyGolayDenoiser(polyorder=polyorder), [s.size for s in signals]

    def risk(window):
        smooth = functools.partial(smoother._smooth, window=window)
        return float(np.average([np.mean(stein_mse(smooth, s, std, exponent)) for s in signals], weights=weights))

    risks = {window: risk(window) for window in windows}
    best = min(risks, key=risks.get)
    return best, risks[best]


class WaveletDenoiser(_BaseDenoiser):
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

    def __init__(self, wavelet="sym8", threshold="universal", mode="soft", level=None, output="auto"):
        self.wavelet = wavelet
        self.threshold = threshold
        self.mode = mode
        self.level = level
        self.output = output

    def _validate_params(self):
        super()._validate_params()
        check_option("wavelet", self.wavelet, pywt.wavelist(kind="discrete"))
        check_option("threshold", self.threshold, ("universal", "bayes"))
        check_option("mode", self.mode, ("soft", "hard"))
        check_positive("level", self.level, integer=True, allow_none=True)

    def _fit_denoiser(self, signals, targets, same_shape):
        self.level_ = self._level_for(signals.shape[-1])

    def _level_for(self, length):
        """Decomposition levels for signals of `length`: `level`, at most the maximum useful one."""
        max_level = pywt.dwt_max_level(length, pywt.Wavelet(self.wavelet).dec_len)
        return max_level if self.level is None else min(self.level, max_level)

    def _denoise(self, signals):
        level = self._level_for(signals.shape[-1])
        if level < 1:
            return signals.copy()
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
