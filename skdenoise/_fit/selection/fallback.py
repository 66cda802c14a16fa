"""Where the self-supervised race falls back to Noise2Self (a level the signals do not tell, noise that is not
gaussian), the classical filters still race it, judged without the noise level.

Noise2Self's network is blind at the sample it predicts, and so are the blind-spot wavelet and Savitzky-Golay
filters (:mod:`skdenoise.baselines.blind_spot`): on held-out signals each one's self-supervised loss is its error
plus the noise variance, whatever that variance is, so the losses rank them without it. Each then takes back
the share of the noisy input that Noise2Self's blend takes (:mod:`~skdenoise._fit.objectives.noise2self`; one
weight per channel for a filter), whose error the same (cautious) noise variance gives. Per channel, the least
estimated error is kept: a mixture (:class:`~skdenoise._fit.model.mixture.Mixture`) of the network on the
channels where it wins, and a filter blended with the input on the others.
"""

import dataclasses

import numpy as np

from ...baselines import SavitzkyGolayDenoiser, WaveletDenoiser
from ...baselines.filters import least_loss_window
from ..model.mixture import INPUT, NETWORK, Mixture
from ..objectives.noise2self import BLEND_RADII, fit_blend

__all__ = ["BLIND_SAVGOL", "BLIND_WAVELET", "with_blind_filters"]

#: The blind-spot filters' names in ``validation_mse_`` and in a mixture.
BLIND_WAVELET, BLIND_SAVGOL = "wavelet (blind spot)", "savitzky-golay (blind spot)"


def with_blind_filters(result, level, *, polyorder, mixture_name):
    """The Noise2Self `result` of the race, or a mixture named `mixture_name` where blind-spot filters, blended
    with the input at `level` (the :class:`~skdenoise._fit.noise_level.NoiseLevel` its blend used), have a lower
    estimated error on some channel; the filters' estimates join its scores either way."""
    model = result.model
    if result.interrupted or model.network.blend is None or result.held_out is None:
        return result
    held_out = np.asarray(result.held_out, dtype=np.float64)
    variance = np.asarray(level.variance, dtype=np.float64)
    radii = BLEND_RADII if level.local_blends else (0,)
    network_risk, _ = fit_blend(model.network, held_out.astype(np.float32), variance, radii=radii)
    filters = _blind_filters(held_out, polyorder)
    weights, risks = {}, {NETWORK: np.asarray(network_risk, dtype=np.float64)}
    for name, denoiser in filters.items():
        loss = np.mean(np.square(denoiser.transform(held_out) - held_out), axis=(0, 2))
        weights[name] = np.clip(1 - variance / np.maximum(loss, 1e-30), 0, 1)  # the input's share
        risks[name] = np.maximum((1 - weights[name]) ** 2 * (loss - variance) + weights[name] ** 2 * variance, 0)
    members = (NETWORK, *filters, INPUT)
    names = list(risks)
    chosen = np.argmin(np.stack([risks[name] for name in names]), axis=0)  # per channel
    board = model.scores.with_scores({name: float(np.mean(risks[name])) for name in filters})
    if not np.any(chosen):
        return dataclasses.replace(result, model=dataclasses.replace(model, scores=board))
    mixing = np.zeros((len(variance), len(members)))
    for channel, k in enumerate(chosen):
        if k == 0:
            mixing[channel, 0] = 1.0
        else:
            share = weights[names[k]][channel]
            mixing[channel, k], mixing[channel, -1] = 1 - share, share
    estimate = float(np.mean([risks[names[k]][channel] for channel, k in enumerate(chosen)]))
    model = dataclasses.replace(model, mixture=Mixture(members, mixing, filters), method=mixture_name,
                                scores=board.with_scores({mixture_name: estimate}))
    return dataclasses.replace(result, model=model)  # its findings (the level untold) still hold


def _blind_filters(held_out, polyorder):
    """The blind-spot wavelet filter, and the blind-spot Savitzky-Golay filter in its window of least loss on
    `held_out` (absent where none fits), fitted as the fitted model restores them."""
    filters = {BLIND_WAVELET: WaveletDenoiser(threshold="bayes", blind_spot=True).fit(held_out)}
    window = least_loss_window([held_out], polyorder)
    if window is not None:
        filters[BLIND_SAVGOL] = SavitzkyGolayDenoiser(window_length=window, polyorder=polyorder,
                                                      blind_spot=True).fit(held_out)
    return filters
