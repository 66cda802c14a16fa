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
