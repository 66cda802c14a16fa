"""What every estimator of the package shares: R² over whole signals, 3-D input tags, the transformer's side
of a denoiser (a table out of ``transform``, the names of its columns), and the one predict template (lists of
recordings, 2-D and 3-D arrays in, outputs in the form they came)."""

import dataclasses

import numpy as np
from sklearn.base import MultiOutputMixin, RegressorMixin, TransformerMixin
from sklearn.metrics import r2_score
from sklearn.utils.validation import _check_feature_names_in, _generate_get_feature_names_out, check_is_fitted

from ._validation import is_collection, validate_collection, validate_signals


def as_table(denoised):
    """A transformer's output is a table: scalar predictions (1-D targets) become one column."""
    if isinstance(denoised, np.ndarray) and denoised.ndim == 1:
        return denoised[:, None]
    return denoised


class SignalRegressorMixin(MultiOutputMixin, RegressorMixin):
    """A regressor whose targets are signals, 2-D or 3-D."""

    def score(self, X, y, sample_weight=None):
        """R² of the predictions, averaged uniformly over every output value (channel and time step).

        Parameters
        ----------
        X : array-like or list of arrays
            Noisy signals, or a collection of recordings (then R² pools all their values).
        y : array-like or list of arrays
            Clean targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights (for a collection: one per recording, each of its values weighted by it).

        Returns
        -------
        float
        """
        predictions = self.predict(X)
        if isinstance(predictions, list):  # a collection of recordings: R² over all their values
            sizes = [np.size(p) for p in predictions]
            weights = None if sample_weight is None else np.repeat(np.asarray(sample_weight), sizes)
            return r2_score(np.concatenate([np.ravel(t) for t in y]),
                            np.concatenate([np.ravel(p) for p in predictions]), sample_weight=weights)
        y = np.asarray(y)
        return r2_score(y.reshape(len(y), -1), predictions.reshape(len(y), -1), sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags


class SignalTransformerMixin(TransformerMixin):
    """A denoiser as a pipeline step: float32 stays float32, and 2-D output has column names, so that
    ``set_output(transform="pandas")`` works."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    def get_feature_names_out(self, input_features=None):
        """Names of the columns of :meth:`transform`'s output, for a model fitted on 2-D signals.

        Denoised signals keep their input's names (``feature_names_in_``, or ``x0, x1, ...``); other outputs
        (a model's predictions of scalar targets) are named after the estimator: ``denoisingautoencoder0, ...``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input names; must match ``feature_names_in_`` where the model has them.

        Returns
        -------
        ndarray of str objects

        Raises
        ------
        ValueError
            For a model fitted on 3-D signals or a list of recordings, whose output a table cannot hold.
        """
        check_is_fitted(self)
        shape = self._transformed_shape()
        if tuple(self.input_shape_) != (1, self.n_features_in_) or len(shape) > 1:
            raise ValueError(
                f"{type(self).__name__} was fitted on 3-D signals (n_samples, n_channels, n_timesteps) or a list "
                f"of recordings, and its output has their shape, which a table cannot hold: it has no feature "
                f"names. Keep its output as arrays (set_output(transform='default')), or fit it on 2-D signals "
                f"(n_samples, n_timesteps).")
        if tuple(shape) == (self.n_features_in_,):
            return _check_feature_names_in(self, input_features)
        return _generate_get_feature_names_out(self, int(np.prod(shape)), input_features)

    def _transformed_shape(self):
        """The shape of one signal of :meth:`transform`'s output, at the fitted length."""
        return tuple(self.target_shape_)


def predict_input(estimator, X, *, any_length, lists_need):
    """`X` validated for predict (the one predict template of the estimator and the filters): a
    :class:`PredictInput`.

    A list of recordings (aeon's convention) needs `any_length` (else a ValueError says it needs `lists_need`);
    an array is checked against what fit saw (3-D signals of any length with `any_length`).
    """
    if is_collection(X):
        if not any_length:
            raise ValueError(f"X is a list of recordings, which needs {lists_need}.")
        return PredictInput(validate_collection(estimator, X, reset=False), X)
    signals, dtype = validate_signals(estimator, X, reset=False, any_length=any_length)
    return PredictInput(signals, X, dtype)


@dataclasses.dataclass(frozen=True)
class PredictInput:
    """Validated signals to predict from, and how to give their outputs back in the form X came in.

    Attributes
    ----------
    signals : ndarray of shape (n, C, L), or list of (C, L_i) arrays
        float32 signals, or the recordings of a list (float32 or float64, as they came).
    given : object
        X as it came.
    dtype : numpy dtype or None
        The dtype of an array's output (X's: float32 or float64).
    """

    signals: object
    given: object
    dtype: object = None

    def output(self, denoise, shape, fitted_length):
        """`denoise` (``(n, C, L)`` signals to ``(n, C', L)``) applied to the signals in X's form: a list
        recording by recording, each in its dtype (1-D stays 1-D); an array whole, in X's dtype, signals of the
        `fitted_length` shaped as `shape` (one target's shape)."""
        if isinstance(self.signals, list):
            denoised = [denoise(recording[None])[0].astype(recording.dtype, copy=False) for recording in self.signals]
            return [out[0] if np.ndim(x) == 1 else out for x, out in zip(self.given, denoised)]
        denoised = denoise(self.signals)
        if self.signals.shape[-1] == fitted_length:
            denoised = denoised.reshape((len(denoised),) + tuple(shape))
        return denoised.astype(self.dtype, copy=False)
