"""Signal-to-noise metrics, per signal then averaged, and scorers for model selection."""

import numpy as np
from sklearn.metrics import make_scorer

__all__ = ["snr_db", "snr_gain_db", "snr_scorer", "snr_gain_scorer", "stein_mse"]

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


#: Probes of Stein's divergence term, and the probe's step as a fraction of the noise's standard deviation.
STEIN_PROBES, STEIN_STEP = 2, 0.1


def stein_mse(denoise, noisy, noise_std, exponent=0.0, random_state=0):
    """Stein's unbiased estimate of the MSE of ``denoise(noisy)`` against the clean signals, per channel,
    without them.

    For gaussian noise ``n`` of covariance ``S`` in ``y = x + n`` and any (weakly) differentiable denoiser
    ``g``, ``|g(y) - y|**2 - tr(S) + 2 tr(S J)`` is an unbiased estimate of ``|g(y) - x|**2``, ``J`` the
    Jacobian of ``g`` (Stein, 1981). The trace is estimated by Monte Carlo (Ramani et al., 2008):
    ``b' (g(y + h S b) - g(y)) / h`` for gaussian probes ``b``, so ``g`` may be any black box: a fitted
    estimator's ``predict``, a filter. It is as exact as `noise_std`: an error of ``d`` in the noise variance
    moves the estimate by about ``d``. Impulsive noise breaks it.

    Parameters
    ----------
    denoise : callable
        float32 signals ``(n, C, L)`` to their denoised version (numpy).
    noisy : ndarray of shape (n, C, L)
        Noisy signals (not trained on, for a learned denoiser).
    noise_std : array-like of shape (C,), or broadcastable to `noisy`'s shape
        The noise's standard deviation per channel, or per sample (white noise whose level changes along
        time: the estimate stays unbiased with the level of each sample).
    exponent : float, default=0.0
        The noise's spectral exponent (0: white; 1: pink; its correlation is applied to the probes). A level
        per sample is for white noise only.
    random_state : int, default=0
        Seeds the probes.

    Returns
    -------
    ndarray of shape (C,)

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.metrics import stein_mse
    >>> rng = np.random.default_rng(0)
    >>> clean = np.zeros((200, 1, 500))
    >>> noisy = (clean + rng.normal(0, 0.5, clean.shape)).astype(np.float32)
    >>> half = lambda s: s / 2  # halves the noise: error 0.0625
    >>> round(float(stein_mse(half, noisy, [0.5])[0]), 2)
    0.06
    """
    signals = np.ascontiguousarray(noisy, dtype=np.float32)
    out, divergence = stein_parts(denoise, signals, noise_std, exponent, random_state)
    fit = np.mean(np.square(out - signals), axis=(0, 2))
    return fit - _mean_variance(noise_std, signals.shape) + 2 * divergence


def stein_parts(denoise, noisy, noise_std, exponent=0.0, random_state=0, probes=STEIN_PROBES):
    """The parts of :func:`stein_mse` that depend on the denoiser alone: its output on `noisy` (float64) and
    its divergence term ``tr(S J) / n`` per channel (the noise's covariance ``S``, the Jacobian ``J``), so that
    the estimate of any linear combination of denoisers follows from theirs (the same `random_state`, the
    same probes). Parameters as :func:`stein_mse`; `probes` random probes estimate the divergence (its Monte
    Carlo error falls as the square root of the probes times the samples)."""
    signals = np.ascontiguousarray(noisy, dtype=np.float32)
    std = np.asarray(noise_std, dtype=np.float64)
    if std.ndim > 1 and exponent:
        raise ValueError("A noise level per sample is for white noise (exponent 0) only.")
    # The probes move each sample in proportion to its level (a level per channel: `relative` is 1), so that
    # `probe . J probe` has the expectation tr(S J) / level**2 (white noise).
    level = np.sqrt(_mean_variance(std, signals.shape)).reshape(1, -1, 1)
    std = std if std.ndim > 1 else std.reshape(1, -1, 1)
    relative = np.divide(std, level, out=np.zeros(np.broadcast_shapes(std.shape, level.shape)), where=level > 0)
    out = np.asarray(denoise(signals), dtype=np.float64)
    generator = np.random.default_rng(random_state)
    trace = 0.0
    step = STEIN_STEP * level
    for _ in range(probes):
        probe = relative * generator.standard_normal(signals.shape)
        direction = _correlate(probe, exponent)
        moved = np.asarray(denoise((signals + step * direction).astype(np.float32)), dtype=np.float64)
        # A channel without noise (level 0) is not probed: its divergence term is 0.
        change = np.divide(moved - out, step, out=np.zeros_like(out), where=step > 0)
        trace = trace + np.mean(probe * change, axis=(0, 2))
    return out, np.square(level.ravel()) * trace / probes


def _mean_variance(noise_std, shape):
    """The noise variance per channel: of a level per channel, or averaged over a level per sample."""
    std = np.asarray(noise_std, dtype=np.float64)
    if std.ndim <= 1:
        return np.square(std.ravel())
    return np.mean(np.broadcast_to(np.square(std), shape), axis=(0, 2))


def _correlate(probe, exponent):
    """The noise model's correlation applied to white probes ``(n, C, L)``: its spectrum ``1/f**exponent``, of unit
    mean, as a filter (the identity for white noise)."""
    if exponent == 0:
        return probe
    length = probe.shape[-1]
    freqs = np.fft.rfftfreq(length)
    freqs[0] = freqs[1] if length > 1 else 1.0
    spectrum = freqs ** -float(exponent)
    return np.fft.irfft(np.fft.rfft(probe) * (spectrum / spectrum.mean()), n=length)
