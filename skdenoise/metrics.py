"""Signal-to-noise metrics, per signal then averaged, and scorers for model selection."""

import numpy as np
from sklearn.metrics import make_scorer

__all__ = ["snr_db", "snr_gain_db", "snr_scorer", "snr_gain_scorer"]

# Error power floor relative to the signal's power: caps a perfect reconstruction at 120 dB, not inf.
_FLOOR = 1e-12


def _per_signal(array, name):
    array = np.asarray(array, dtype=np.float64)
    if array.ndim < 2:
        raise ValueError(f"{name} must hold signals, shape (n_samples, n_timesteps) or "
                         f"(n_samples, n_channels, n_timesteps); got shape {array.shape}.")
    return array.reshape(len(array), -1)


def _check_same_shape(**arrays):
    shapes = {name: np.shape(a) for name, a in arrays.items()}
    if len(set(shapes.values())) > 1:
        raise ValueError(f"Shapes must match, got {', '.join(f'{k} {v}' for k, v in shapes.items())}.")


def snr_db(clean, estimate):
    """Signal-to-noise ratio of `estimate` against `clean`, in dB, averaged over signals.

    For each signal, ``10 log10(sum(clean**2) / sum((clean - estimate)**2))`` over its channels and time
    steps; perfect estimates are capped at 120 dB.

    Parameters
    ----------
    clean, estimate : array-like of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps)

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.metrics import snr_db
    >>> clean = np.ones((2, 100))
    >>> round(snr_db(clean, clean + 0.1), 2)
    20.0
    """
    _check_same_shape(clean=clean, estimate=estimate)
    clean, estimate = _per_signal(clean, "clean"), _per_signal(estimate, "estimate")
    power = np.sum(clean ** 2, axis=1)
    error = np.maximum(np.sum((clean - estimate) ** 2, axis=1), _FLOOR * np.maximum(power, _FLOOR))
    return float(np.mean(10 * np.log10(np.maximum(power, _FLOOR) / error)))


def snr_gain_db(clean, noisy, denoised):
    """How many dB of SNR denoising gained: ``snr_db(clean, denoised) - snr_db(clean, noisy)``.

    Parameters
    ----------
    clean, noisy, denoised : array-like of the same shape

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.metrics import snr_gain_db
    >>> clean = np.ones((2, 100))
    >>> round(snr_gain_db(clean, clean + 0.1, clean + 0.01), 2)
    20.0
    """
    _check_same_shape(clean=clean, noisy=noisy, denoised=denoised)
    return snr_db(clean, denoised) - snr_db(clean, noisy)


#: ``scoring=snr_scorer`` ranks models by the SNR of their predictions (higher is better).
snr_scorer = make_scorer(snr_db)


def snr_gain_scorer(estimator, X, y):
    """Scorer (``scoring=snr_gain_scorer``): SNR gain of ``estimator.predict(X)`` over the noisy `X`.

    Examples
    --------
    >>> from sklearn.model_selection import cross_val_score
    >>> from skdenoise import make_cyclic_signals
    >>> from skdenoise.baselines import PCADenoiser
    >>> from skdenoise.metrics import snr_gain_scorer
    >>> noisy, clean = make_cyclic_signals(60, random_state=0)
    >>> bool(cross_val_score(PCADenoiser(), noisy, clean, cv=2, scoring=snr_gain_scorer).min() > 3)
    True
    """
    return snr_gain_db(y, X, estimator.predict(X))
