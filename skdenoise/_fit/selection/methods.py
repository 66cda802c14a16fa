"""``objective="self-supervised"``: without clean signals, the best of the networks and the classical filters.

Where the noise is gaussian of a level the signals tell (trusted and not impulsive), a network is trained by
recorruption (:mod:`~skdenoise._fit.objectives.recorrupted`) and it, the wavelet filter, the Savitzky-Golay
filter of the best window and the noisy input itself are judged on held-out recordings by Stein's unbiased risk estimate
(:mod:`~skdenoise._fit.selection.scoreboard`); the least estimated error is kept, so the result is never worse than the
classical filters or the input, in expectation. Where the noise is impulsive (the finest wavelet details say
so, or Stein's estimate of the network's error reads far below 0), no gaussian estimate holds: Noise2Self's
blind-spot network and its blend, whose error is known from the noise variance alone. Where the finest
details said so, the signals are smooth enough at that scale for the blind spot to find the spikes: a
network is then trained by recorruption towards targets without them (:mod:`~skdenoise._fit.objectives.despiking`),
at the level of the gaussian noise left. Where the signals do not tell their noise level, Noise2Self with a
cautious level, and a warning.
"""

import dataclasses

import numpy as np

from ...baselines import IdentityDenoiser, SavitzkyGolayDenoiser, WaveletDenoiser
from ...baselines.filters import least_risk_window
from ...metrics import stein_mse
from ...noise import ColouredNoise
from ..noise_level import resolve_noise_level
from ..objectives.despiking import blind_spot_output, despiked
from ..scoreboard import IDENTITY

__all__ = ["IDENTITY", "SAVGOL", "WAVELET", "classical_candidates", "race_methods", "without_spikes"]

#: The classical candidates, by the name ``validation_mse_`` and ``method_`` give them (and the input itself,
#: :data:`~skdenoise._fit.scoreboard.IDENTITY`).
WAVELET, SAVGOL = "wavelet", "savitzky-golay"
#: The Savitzky-Golay filter's polynomial order.
SAVGOL_ORDER = 3
#: Stein's estimate is unbiased for gaussian noise of the level it is given: an estimated error below this
#: fraction of the noise variance below 0 says the noise is not that (ACSF1 with spikes, whose sharp signal
#: edges hide the spikes from the wavelet detail test: -4.5 times the variance; gaussian noise of a level
#: estimated 8% high: -0.014 times).
GAUSSIAN_TOLERANCE = 0.25


def race_methods(plan, inputs, fit):
    """The :class:`~skdenoise._fit.trainer.FitResult` of the self-supervised race; `fit` trains a plan on the
    inputs (the trainer's own fit)."""
    noise = plan.noise_level
    if not noise.gaussian:
        blind_spot = fit(plan.as_objective("noise2self"), inputs)
        if noise.trusted and noise.impulsive and not blind_spot.interrupted:
            return without_spikes(plan, inputs, blind_spot, fit)
        return blind_spot
    result = fit(plan.as_objective("recorrupted"), inputs)
    model = result.model
    if model.held_out_error < -GAUSSIAN_TOLERANCE * float(np.mean(noise.variance)) and not result.interrupted:
        return fit(dataclasses.replace(plan, noise_level=noise.counting_spikes()).as_objective("noise2self"), inputs)
    std, exponent = np.sqrt(noise.variance), noise.exponent
    filters = classical_candidates(result.held_out, std, exponent)
    board = model.scores.with_scores({name: risk for name, (_, risk) in filters.items()})
    best = board.best(filters)
    if board[best] < model.held_out_error or result.interrupted:  # a network that did not finish is not kept
        model = dataclasses.replace(model, filter=filters[best][0], method=best, scores=board)
        # the network no longer denoises: its findings (collapse, harm) no longer apply
        return dataclasses.replace(result, model=model, findings=())
    return dataclasses.replace(result, model=dataclasses.replace(model, scores=board))


def without_spikes(plan, inputs, blind_spot, fit):
    """Recorruption towards targets whose spikes the Noise2Self result `blind_spot` found and took out
    (:mod:`~skdenoise._fit.objectives.despiking`), at the level of the gaussian noise left in them; `blind_spot` itself
    where that level cannot be told."""
    noise = plan.noise_level
    targets = despiked(inputs.signals, blind_spot_output(blind_spot.model, inputs.signals))
    core = resolve_noise_level("auto", targets, ColouredNoise(noise.exponent) if noise.exponent else "white")
    if not core.gaussian:
        return blind_spot
    level = dataclasses.replace(core, input_variance=noise.counting_spikes().variance)
    result = fit(dataclasses.replace(plan, noise_level=level).as_objective("recorrupted"),
                 dataclasses.replace(inputs, targets=targets))
    return dataclasses.replace(blind_spot, interrupted=True) if result.interrupted else result


def classical_candidates(signals, std, exponent, filters=(WAVELET, SAVGOL)):
    """The classical `filters` (and the identity) fitted on held-out noisy `signals` (an array ``(n, C, L)``, or
    a list of such arrays, weighted by their sizes), with their estimated MSE there, as ``{name: (denoiser,
    estimate)}``; Savitzky-Golay in its window of least estimated error, absent where no window fits. Each
    denoises through its public ``transform``, as the fitted model and the file command apply it."""
    parts = [np.asarray(part, dtype=np.float64) for part in (signals if isinstance(signals, list) else [signals])]

    def risk(denoiser):
        return float(np.average([np.mean(stein_mse(lambda X: denoiser.transform(X.astype(np.float64)), part, std,
                                                   exponent)) for part in parts], weights=[p.size for p in parts]))

    found = {IDENTITY: (IdentityDenoiser().fit(parts[0]), float(np.mean(np.square(std))))}
    if WAVELET in filters:
        wavelet = WaveletDenoiser(threshold="bayes").fit(parts[0])
        found[WAVELET] = (wavelet, risk(wavelet))
    if SAVGOL in filters:
        window, estimate = least_risk_window(parts, std, exponent, SAVGOL_ORDER)
        if window is not None:
            savgol = SavitzkyGolayDenoiser(window_length=window, polyorder=SAVGOL_ORDER).fit(parts[0])
            found[SAVGOL] = (savgol, estimate)
    return found
