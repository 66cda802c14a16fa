"""What every estimator of the package shares: R² over whole signals and 3-D input tags."""

import numpy as np
from sklearn.base import MultiOutputMixin, RegressorMixin
from sklearn.metrics import r2_score


class SignalRegressorMixin(MultiOutputMixin, RegressorMixin):
    """A regressor whose targets are signals, 2-D or 3-D."""

    def score(self, X, y, sample_weight=None):
        """R² of the predictions, averaged uniformly over every output value (channel and time step).

        Parameters
        ----------
        X : array-like
            Noisy signals.
        y : array-like
            Clean targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        float
        """
        y = np.asarray(y)
        predictions = self.predict(X)
        return r2_score(y.reshape(len(y), -1), predictions.reshape(len(y), -1), sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
