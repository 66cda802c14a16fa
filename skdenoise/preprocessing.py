"""Per-signal normalisation shared by the generator, the estimators and the baselines.

Every function works along the last axis (time), independently for each signal and channel,
so ``(n_samples, n_timesteps)`` and ``(n_samples, n_channels, n_timesteps)`` arrays are both fine.
"""

import numpy as np

#: The seed's guard against division by zero in min-max scaling: ``a /= a.max() + 1e-5``.
MINMAX_EPS = 1e-5


def minmax_scale_signals(signals, eps=MINMAX_EPS, out=None):
    """Scale each signal to ``[0, 1)``: subtract its minimum, divide by its new maximum plus `eps`.

    This is the seed's normalisation. Each signal's minimum becomes exactly 0 and its maximum
    ``r / (r + eps)`` for a range ``r``, so a constant signal becomes all zeros.

    Parameters
    ----------
    signals : ndarray of shape (..., n_timesteps)
        Signals, time along the last axis.
    eps : float, default=1e-5
        Added to the range before dividing.
    out : ndarray, optional
        Where to write the result (may be `signals` itself, for an in-place update).

    Returns
    -------
    ndarray
        The scaled signals, same shape and dtype as `signals`.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.preprocessing import minmax_scale_signals
    >>> minmax_scale_signals(np.array([[2.0, 4.0, 6.0]])).round(4)
    array([[0. , 0.5, 1. ]])
    """
    signals = np.asarray(signals)
    out = np.subtract(signals, signals.min(axis=-1, keepdims=True), out=out)
    out /= out.max(axis=-1, keepdims=True) + np.asarray(eps, dtype=out.dtype)
    return out


def zscore_signals(signals, out=None):
    """Give each signal zero mean and unit standard deviation along time.

    A constant signal (spread at round-off level) becomes all zeros rather than NaN or amplified round-off.

    Parameters
    ----------
    signals : ndarray of shape (..., n_timesteps)
        Signals, time along the last axis.
    out : ndarray, optional
        Where to write the result (may be `signals` itself).

    Returns
    -------
    ndarray
        The standardised signals, same shape and dtype as `signals`.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.preprocessing import zscore_signals
    >>> zscore_signals(np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]])).round(3)
    array([[-1.225,  0.   ,  1.225],
           [ 0.   ,  0.   ,  0.   ]])
    """
    signals = np.asarray(signals)
    peak = np.abs(signals).max(axis=-1, keepdims=True)
    # Relative to the peak first: the squares of a spread of 1e-162 underflow (float64), and the mean of
    # subnormal values rounds away their spread ([0, 5e-324] has mean 0).
    out = np.divide(signals, np.where(peak > 0, peak, 1), out=out)
    out -= out.mean(axis=-1, keepdims=True)
    std = out.std(axis=-1, keepdims=True)
    # A spread at round-off level (e.g. sin(2*pi) ~ 2e-16 next to 0) is a constant signal, not noise to amplify.
    constant = std <= 16 * np.finfo(out.dtype).eps
    np.divide(out, std, out=out, where=~constant)
    out[np.broadcast_to(constant, out.shape)] = 0
    return out


def is_minmax_scaled(signals, tol=1e-3):
    """Tell whether every signal looks min-max scaled: minimum 0 and maximum in ``(1 - tol, 1]``.

    Used by ``output="auto"`` to decide whether a model should min-max scale its own output.
    Constant (all-zero) signals, which min-max scaling produces from a constant input, are allowed.
    Signals of fewer than two time steps are never considered min-max scaled.

    Parameters
    ----------
    signals : ndarray of shape (..., n_timesteps)
        Signals, time along the last axis.
    tol : float, default=1e-3
        Tolerance on the maximum (the seed's ``+1e-5`` keeps it just below 1).

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.preprocessing import is_minmax_scaled, minmax_scale_signals
    >>> rng = np.random.default_rng(0)
    >>> is_minmax_scaled(minmax_scale_signals(rng.normal(size=(5, 50))))
    True
    >>> is_minmax_scaled(rng.normal(size=(5, 50)))
    False
    """
    signals = np.asarray(signals)
    if signals.ndim < 2 or signals.shape[-1] < 2 or signals.size == 0:
        return False
    lows = signals.min(axis=-1)
    highs = signals.max(axis=-1)
    constant = highs == lows
    ranged = (highs > 1 - tol) & (highs <= 1)
    return bool(np.all(lows == 0) and np.all(constant | ranged) and not np.all(constant))
