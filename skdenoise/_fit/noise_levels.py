"""What a fitted denoiser knows of noise levels, and what ``predict`` does with it.

``fit`` records the noise levels of the training inputs (robust estimates, :mod:`skdenoise.noise`) and
measures where the model stops helping: with clean targets, the held-out pairs' noise ``X - y`` is rescaled
by factors from 1/16 to 16 and the model compared with returning its input at each; the batch levels it
still beats the input at are the safe range. ``predict`` warns outside it (:class:`~skdenoise.UnfamiliarNoiseWarning`)
and scales signals whose level lies outside the training inputs' into them (``match_noise_level``).
"""

import numpy as np

from ..exceptions import UnfamiliarNoiseWarning, report
from ..nn.blindspot import denoising_network
from ..nn.network import SignalStandardize
from ..noise import (LEVEL_CHECK_ROWS, UNFAMILIAR_NOISE_TOLERANCE, batch_noise_level, level_matching_factors,
                     signal_noise_levels, trained_level_range, unfamiliar_noise_message)
from .callbacks import MIN_SIGNAL_LENGTH

#: Factors of the held-out noise that the calibration tries, in steps of sqrt(2).
FACTORS = 2.0 ** np.arange(-4, 4.5, 0.5)
#: Beyond the factors tried, how much further the level may go before predict warns.
BEYOND_TRIED = 1.5
#: Margin for the level estimates of other recordings than the held-out ones (their content differs): on
#: BasicMotions (accelerometers, as rough as their noise) the test recordings read levels up to 28% below the
#: held-out ones at the same noise, by their content; fewer would warn on the noise they were trained on.
MARGIN = 1.3
#: Held-out pairs the calibration predicts (a bounded cost).
MAX_PAIRS = 256


def safe_levels(denoise, noisy, clean):
    """Per channel ``(C, 2)``, the range of batch noise levels over the factors of the pairs' noise at which
    `denoise` beat returning its input, for every factor between it and 1, widened by :data:`MARGIN`.

    Where it did at the last factor tried, the bound is widened by :data:`BEYOND_TRIED` too. The range is
    that of the levels read at those factors, not of the levels at its two ends: on signals as rough as
    their noise at the finest scale the estimate is not monotonic in the noise (it reads the signal).

    Parameters
    ----------
    denoise : callable
        float32 signals ``(n, C, L)`` to their denoised float32 version: the fitted model's prediction.
    noisy, clean : ndarray of shape (n, C, L)
        Held-out pairs with clean targets.
    """
    noisy, clean = noisy[:MAX_PAIRS].astype(np.float64), clean[:MAX_PAIRS].astype(np.float64)
    noise = noisy - clean
    levels, helps = [], []
    for factor in FACTORS:
        inputs = (clean + factor * noise).astype(np.float32)
        outputs = denoise(inputs).astype(np.float64)
        model_error = np.mean(np.square(outputs - clean), axis=(0, 2))
        identity_error = np.mean(np.square(inputs - clean), axis=(0, 2))
        levels.append(batch_noise_level(inputs))
        helps.append(model_error < identity_error)
    levels, helps = np.array(levels), np.array(helps)  # (factors, C)
    middle = int(np.flatnonzero(FACTORS == 1.0)[0])
    bounds = np.empty((levels.shape[1], 2))
    for channel in range(levels.shape[1]):
        first = middle - _last_helping(helps[middle::-1, channel])
        last = middle + _last_helping(helps[middle:, channel])
        safe = levels[first:last + 1, channel]
        bounds[channel] = safe.min() / MARGIN, safe.max() * MARGIN
        bounds[channel, 0] /= BEYOND_TRIED if first == 0 else 1
        bounds[channel, 1] *= BEYOND_TRIED if last == len(FACTORS) - 1 else 1
    return bounds


def _last_helping(helps):
    """Steps from the start of `helps` over which every entry is True (0 when the first is False)."""
    failing = np.flatnonzero(~helps)
    return (len(helps) if len(failing) == 0 else int(failing[0])) - 1 if helps[0] else 0


def record_levels(estimator, data):
    """Set ``noise_level_range_``, ``noise_level_quantiles_`` and ``safe_noise_levels_`` of an estimator just
    fitted on `data` (None each when the targets are not signals of the inputs' shape).

    The safe range is measured through the estimator's own prediction, level matching included, so the
    quantiles that matching uses are set first.
    """
    noisy, targets = data.stats
    estimator.noise_level_range_ = estimator.noise_level_quantiles_ = estimator.safe_noise_levels_ = None
    if noisy.shape[1:] != targets.shape[1:] or noisy.shape[-1] < MIN_SIGNAL_LENGTH:
        return
    # Noisy targets (Noise2Noise, Noise2Self) are never rescaled: the range is the inputs' own levels.
    scale_range = getattr(estimator.net_, "iterator_train__noise_scale_range", None)
    estimator.noise_level_range_ = trained_level_range(noisy, targets, scale_range, quantiles=(0.5, 0.5))
    estimator.noise_level_quantiles_ = trained_level_range(noisy, targets, scale_range, quantiles=(0.1, 0.9))
    if estimator.objective == "supervised" and estimator.output_ != "minmax":
        estimator.safe_noise_levels_ = safe_levels(estimator._denoise, *data.check)
    else:  # no clean noise to rescale (noisy or min-max targets): the inputs' own levels, with a margin
        margin = np.array([1 / UNFAMILIAR_NOISE_TOLERANCE, UNFAMILIAR_NOISE_TOLERANCE])
        estimator.safe_noise_levels_ = estimator.noise_level_range_ * margin


def matching_factors(estimator, signals):
    """Per signal and channel, the float32 factors of `match_noise_level` (None where it does not apply or
    changes nothing)."""
    if not matching_applies(estimator, signals.shape[-1]):
        return None
    factors = level_matching_factors(signals, estimator.noise_level_quantiles_).astype(np.float32)
    return None if np.all(factors == 1) else factors


def matching_applies(estimator, length):
    """Whether `match_noise_level` acts on signals of `length` for this fitted estimator."""
    # Per-signal input scaling and min-max outputs make the network blind to a signal's scale.
    scale_free = estimator.output_ == "minmax" or isinstance(
        denoising_network(estimator.net_.module_).input_scaling, SignalStandardize)
    quantiles = getattr(estimator, "noise_level_quantiles_", None)
    return estimator.match_noise_level and quantiles is not None and not scale_free and length >= MIN_SIGNAL_LENGTH


def check_level(estimator, signals, stacklevel):
    """Act on a batch whose median noise level lies outside ``safe_noise_levels_`` (``on_unfamiliar_noise``).

    `signals`: an array ``(n, C, L)`` or a list of ``(C, L_i)`` recordings.
    """
    if getattr(estimator, "safe_noise_levels_", None) is None or estimator.on_unfamiliar_noise == "ignore":
        return
    if isinstance(signals, list):
        signals = [signal[None] for signal in signals[:LEVEL_CHECK_ROWS] if signal.shape[-1] >= MIN_SIGNAL_LENGTH]
        levels = np.median(np.concatenate([signal_noise_levels(s) for s in signals]), axis=0) if signals else None
    elif signals.shape[-1] >= MIN_SIGNAL_LENGTH:
        levels = batch_noise_level(signals)
    else:
        levels = None
    report_levels(estimator, levels, stacklevel + 1)


def report_levels(estimator, levels, stacklevel):
    """Act on a batch median noise level ``(C,)`` (None: unknown) outside ``safe_noise_levels_``."""
    safe = getattr(estimator, "safe_noise_levels_", None)
    if safe is None or estimator.on_unfamiliar_noise == "ignore" or levels is None:
        return
    message = unfamiliar_noise_message(levels, safe, estimator.noise_level_range_)
    if message is not None:
        report(estimator.on_unfamiliar_noise, UnfamiliarNoiseWarning, message, stacklevel=stacklevel + 1)
