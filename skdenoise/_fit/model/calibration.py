"""The noise levels a fitted model knows, and what ``predict`` does with them.

``fit`` records the noise levels of the training inputs (robust estimates,
:func:`~skdenoise.noise.signal_noise_levels`) and measures where the model stops helping: with clean targets,
the held-out pairs' noise ``X - y`` is rescaled by factors from 1/16 to 16 and the model compared with
returning its input at each; the batch levels it still beats the input at are the safe range. ``predict``
finds noise outside it unfamiliar (:class:`~skdenoise.UnfamiliarNoiseWarning`) and scales signals whose level
lies outside the training inputs' into them (``match_noise_level``).
"""

import dataclasses

import numpy as np

from ...noise import signal_noise_levels
from ..findings import unfamiliar_noise_finding
from ..measures import MIN_SIGNAL_LENGTH

__all__ = ["LevelCalibration", "batch_levels", "calibrate", "factors_from_levels", "matching_factors",
           "safe_levels", "trained_level_range", "unfamiliar_noise"]

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
#: Signals and time steps of a batch that a noise-level check reads (a bounded cost, whatever the batch).
LEVEL_CHECK_ROWS, LEVEL_CHECK_STEPS = 256, 1 << 16
#: Without clean targets to measure where a model stops helping, how far below or above the training
#: inputs' level a batch's level may be before predict warns.
UNFAMILIAR_NOISE_TOLERANCE = 1.5
#: The names levels are saved under (and the estimator's attributes).
_STATE_NAMES = ("noise_level_range_", "noise_level_quantiles_", "safe_noise_levels_")


@dataclasses.dataclass(frozen=True)
class LevelCalibration:
    """Per channel ``(C, 2)``: the training inputs' median level at the lowest and highest noise factor
    (`range`), their 10% and 90% quantiles (`quantiles`, what level matching scales into), and the batch
    levels at which the model was found to help (`safe`)."""

    range: np.ndarray
    quantiles: np.ndarray
    safe: np.ndarray

    def to_state(self):
        return {name: np.asarray(value).tolist() for name, value in zip(_STATE_NAMES, dataclasses.astuple(self))}

    @classmethod
    def from_state(cls, state):
        """The calibration of :meth:`to_state` (None where the file holds none)."""
        values = [state.get(name) for name in _STATE_NAMES]
        return None if any(value is None for value in values) else cls(*map(np.asarray, values))


def calibrate(model, data, scale_range, measure_safe, match_levels=True):
    """The :class:`LevelCalibration` of `model` just fitted on `data` (None when the targets are not signals
    of the inputs' shape).

    `scale_range` is the training's noise-scaling range (None without). With `measure_safe` (clean targets
    that are not min-max scaled) the safe range is measured through the model's own prediction, level
    matching included (with `match_levels`); otherwise it is the inputs' own levels with a margin.
    """
    noisy, targets = data.stats
    if noisy.shape[1:] != targets.shape[1:] or noisy.shape[-1] < MIN_SIGNAL_LENGTH:
        return None
    levels = _training_levels(noisy, targets, scale_range)  # read once for both ranges
    level_range, quantiles = _level_quantiles(*levels, (0.5, 0.5)), _level_quantiles(*levels, (0.1, 0.9))
    if not measure_safe:  # no clean noise to rescale (noisy or min-max targets)
        margin = np.array([1 / UNFAMILIAR_NOISE_TOLERANCE, UNFAMILIAR_NOISE_TOLERANCE])
        return LevelCalibration(level_range, quantiles, level_range * margin)
    matched = dataclasses.replace(model, levels=LevelCalibration(level_range, quantiles, None))
    safe = safe_levels(lambda signals, levels: matched.denoise(signals, match_levels, levels), *data.check)
    return LevelCalibration(level_range, quantiles, safe)


def safe_levels(denoise, noisy, clean):
    """Per channel ``(C, 2)``, the range of batch noise levels over the factors of the pairs' noise at which
    `denoise` beat returning its input, for every factor between it and 1, widened by :data:`MARGIN`.

    Where it did at the last factor tried, the bound is widened by :data:`BEYOND_TRIED` too. The range is
    that of the levels read at those factors, not of the levels at its two ends: on signals as rough as
    their noise at the finest scale the estimate is not monotonic in the noise (it reads the signal).

    Parameters
    ----------
    denoise : callable
        float32 signals ``(n, C, L)`` and their :func:`~skdenoise.noise.signal_noise_levels` ``(n, C)`` to the
        denoised float32 signals: the fitted model's prediction, which reads the levels for its level
        matching (read once per factor, for it and for the batch level alike).
    noisy, clean : ndarray of shape (n, C, L)
        Held-out pairs with clean targets.
    """
    noisy, clean = noisy[:MAX_PAIRS].astype(np.float64), clean[:MAX_PAIRS].astype(np.float64)
    noise = noisy - clean
    middle = int(np.flatnonzero(FACTORS == 1.0)[0])
    levels = np.full((len(FACTORS), noisy.shape[1]), np.nan)
    helps = np.zeros((len(FACTORS), noisy.shape[1]), bool)  # False where not measured
    # Outwards from factor 1, each way until no channel is helped: the factors past that bound no range.
    for steps in (range(middle, -1, -1), range(middle + 1, len(FACTORS))):
        for index in steps:
            towards_one = index + (1 if index < middle else -1)  # measured just before
            if index != middle and not helps[towards_one].any():
                break
            levels[index], helps[index] = _measure_factor(denoise, clean, noise, FACTORS[index])
    bounds = np.empty((levels.shape[1], 2))
    for channel in range(levels.shape[1]):
        first = middle - _last_helping(helps[middle::-1, channel])
        last = middle + _last_helping(helps[middle:, channel])
        safe = levels[first:last + 1, channel]
        bounds[channel] = safe.min() / MARGIN, safe.max() * MARGIN
        bounds[channel, 0] /= BEYOND_TRIED if first == 0 else 1
        bounds[channel, 1] *= BEYOND_TRIED if last == len(FACTORS) - 1 else 1
    return bounds


def _measure_factor(denoise, clean, noise, factor):
    """The batch level per channel of ``clean + factor * noise`` and whether `denoise` beat returning it."""
    inputs = (clean + factor * noise).astype(np.float32)
    row_levels = signal_noise_levels(inputs)  # of every row: there are at most MAX_PAIRS (batch_levels' rows)
    outputs = denoise(inputs, row_levels).astype(np.float64)
    model_error = np.mean(np.square(outputs - clean), axis=(0, 2))
    identity_error = np.mean(np.square(inputs - clean), axis=(0, 2))
    return np.median(row_levels, axis=0), model_error < identity_error  # the level: batch_levels(inputs)


def _last_helping(helps):
    """Steps from the start of `helps` over which every entry is True (0 when the first is False)."""
    failing = np.flatnonzero(~helps)
    return (len(helps) if len(failing) == 0 else int(failing[0])) - 1 if helps[0] else 0


def trained_level_range(noisy, clean, scale_range=None, quantiles=(0.1, 0.9)):
    """The noise levels a model trained on pairs ``(noisy, clean)`` has seen, per channel.

    Levels are :func:`~skdenoise.noise.signal_noise_levels` of each training input (the first 256, their
    first 65,536 time steps), as :func:`batch_levels` measures what ``predict`` gets (so rough signals raise
    both alike). With a `scale_range` ``(low, high)`` (training rescaled each pair's noise ``noisy - clean`` by
    such factors) the range runs from the low quantile of the levels at ``low`` to the high quantile at
    ``high``.

    Parameters
    ----------
    noisy, clean : ndarray of shape (n, C, L)
    scale_range : (float, float), optional
    quantiles : (float, float), default=(0.1, 0.9)

    Returns
    -------
    ndarray of shape (C, 2)
        The lowest and highest level per channel.
    """
    return _level_quantiles(*_training_levels(noisy, clean, scale_range), quantiles)


def _training_levels(noisy, clean, scale_range):
    """The levels ``(n, C)`` of :func:`trained_level_range`'s training inputs at its low and high factor."""
    noisy, clean = (np.asarray(a[:LEVEL_CHECK_ROWS, :, :LEVEL_CHECK_STEPS], dtype=np.float64) for a in (noisy, clean))
    low, high = scale_range or (1.0, 1.0)
    lows = signal_noise_levels(clean + low * (noisy - clean))
    return lows, lows if high == low else signal_noise_levels(clean + high * (noisy - clean))


def _level_quantiles(lows, highs, quantiles):
    return np.stack([np.quantile(lows, quantiles[0], axis=0), np.quantile(highs, quantiles[1], axis=0)], axis=1)


def batch_levels(signals):
    """The median noise level per channel ``(C,)`` of what ``predict`` got: an array ``(n, C, L)`` or a list
    of ``(C, L_i)`` recordings, the first 256 of them; None where none is long enough to tell."""
    if isinstance(signals, list):
        rows = [signal[None] for signal in signals[:LEVEL_CHECK_ROWS] if signal.shape[-1] >= MIN_SIGNAL_LENGTH]
        return np.median(np.concatenate([signal_noise_levels(row) for row in rows]), axis=0) if rows else None
    if signals.shape[-1] < MIN_SIGNAL_LENGTH:
        return None
    return np.median(signal_noise_levels(signals[:LEVEL_CHECK_ROWS]), axis=0)


def unfamiliar_noise(levels, calibration):
    """A list holding the unfamiliar-noise finding for a batch level ``(C,)`` outside the safe range (empty
    where every channel is inside it)."""
    finding = unfamiliar_noise_finding(levels, calibration.safe, calibration.range)
    return [] if finding is None else [finding]


def matching_factors(signals, calibration, levels=None):
    """Per signal and channel ``(n, C, 1)``, the float32 factors that move each signal's noise level into the
    trained quantiles, None where they change nothing.

    Additive noise scales with its signal: a denoiser trained at level ``s`` meets noise of level ``t`` as
    its training noise once the signal is multiplied by ``s / t``, and the product is divided out of its
    output. So a signal whose estimated level lies outside the trained range is scaled to the nearest end of
    it; inside the range the factor is 1. `levels`: the signals' :func:`~skdenoise.noise.signal_noise_levels`,
    where the caller has read them.
    """
    levels = signal_noise_levels(signals) if levels is None else levels
    factors = factors_from_levels(levels, calibration.quantiles).astype(np.float32)
    return None if np.all(factors == 1) else factors


def factors_from_levels(levels, trained):
    """The factors of :func:`matching_factors` ``(n, C, 1)`` for signals whose levels ``(n, C)`` are known."""
    target = np.clip(levels, trained[:, 0], trained[:, 1])
    # A channel trained without measurable noise (level 0) gives no level to scale to: a factor of 0 would
    # divide the output by 0.
    return np.divide(target, levels, out=np.ones_like(levels), where=(levels > 0) & (target > 0))[..., None]
