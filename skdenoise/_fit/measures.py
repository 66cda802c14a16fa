"""What a fit measures: mean squared errors and collapse to a constant."""

import numpy as np

__all__ = ["MIN_SIGNAL_LENGTH", "mean_squared_error", "measure_collapse", "robust_std"]

#: Targets shorter than this are not treated as signals: "constant along time" means nothing for them, and
#: their noise level cannot be read.
MIN_SIGNAL_LENGTH = 16


def mean_squared_error(a, b):
    """MSE of two arrays, computed in float64 (no float32 overflow for large values)."""
    return float(np.mean(np.square(np.subtract(a, b, dtype=np.float64))))


def measure_collapse(predictions, targets):
    """How far predictions are from a per-signal constant, in two ratios.

    Parameters
    ----------
    predictions, targets : array-like of shape (n_samples, n_channels, n_timesteps)

    Returns
    -------
    dict
        ``variance_ratio``: mean variance of the predictions along time over that of the targets (0 for a
        constant output, about 1 for a good model); ``loss_ratio``: MSE of the predictions over the MSE of
        predicting each target's own mean (1 or more means no better than a constant); ``mse``.
        Both ratios are NaN when the targets are constant along time.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise._fit.measures import measure_collapse
    >>> t = np.sin(np.linspace(0, 6, 50))[None, None]
    >>> stats = measure_collapse(np.full_like(t, 0.5), t)
    >>> round(stats["variance_ratio"], 3), stats["loss_ratio"] > 1
    (0.0, True)
    """
    predictions = np.asarray(predictions, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    target_var = targets.var(axis=-1).mean()
    mse = float(np.mean((predictions - targets) ** 2))
    if not target_var > 0:
        return {"variance_ratio": float("nan"), "loss_ratio": float("nan"), "mse": mse}
    return {"variance_ratio": float(predictions.var(axis=-1).mean() / target_var),
            "loss_ratio": float(mse / target_var), "mse": mse}


def robust_std(values, axis, keepdims=False):
    """The standard deviation of gaussian `values` read robustly along `axis`: 1.4826 times their median absolute
    deviation, which outliers (spikes, sharp edges) hardly move."""
    centre = np.median(values, axis=axis, keepdims=True)
    return 1.4826 * np.median(np.abs(values - centre), axis=axis, keepdims=keepdims)
