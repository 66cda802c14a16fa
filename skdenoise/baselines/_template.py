"""What every classical denoiser shares: fit with or without clean targets, the output step, a ridge readout for
targets that are not signals, and predict/transform through the package's one predict template."""

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import Ridge
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

from .._base import SignalRegressorMixin, SignalTransformerMixin, predict_input
from .._validation import class_labels, is_collection, validate_collection, validate_signals, validate_targets
from ..preprocessing import is_minmax_scaled, minmax_scale_signals

__all__ = ["BaseDenoiser"]

#: Training signals used when fit chooses a filter setting: enough for a stable choice, and fast.
SELECTION_SIGNALS, SELECTION_RECORDINGS = 256, 64


def _ndim(X):
    return X.ndim if hasattr(X, "ndim") else np.asarray(X).ndim


class BaseDenoiser(SignalRegressorMixin, SignalTransformerMixin, BaseEstimator):
    """fit/predict/transform/score plumbing; subclasses implement ``_fit_denoiser`` and ``_denoise``."""

    #: Whether the filter works at any length: then a fit on 3-D signals or a list of recordings denoises
    #: 3-D signals of any length and lists, as the autoencoder does.
    _any_length = False

    _parameter_constraints = {"output": [StrOptions({"auto", "minmax"}), None]}

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
        self._check_params()
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

    def _check_params(self):
        """The rules between parameters (each alone is checked by ``_parameter_constraints``)."""

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
        given = predict_input(self, X, any_length=self._any_length and readout is None and self._fitted_3d,
                              lists_need="a filter of any length (wavelet, Savitzky-Golay, identity) fitted on 3-D "
                                         "signals or on a list of recordings")
        shape = self.target_shape_ if readout is not None else self._transformed_shape()
        return given.output(lambda signals: self._finish(signals, readout), shape, self.input_shape_[-1])

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

    def _learned_state(self):
        """What fit learned from the signals that its parameters do not say, as plain values (a weights file
        keeps them: :meth:`_restore_learned`); nothing for most filters."""
        return {}

    def _restore_learned(self, state):
        """Set what :meth:`_learned_state` returned, on a filter fitted again on silence."""
        for name, value in state.items():
            setattr(self, name, value)
