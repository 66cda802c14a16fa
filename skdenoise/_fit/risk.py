"""How good a denoiser is on held-out pairs: its MSE against clean targets, or, where the targets are the
noisy inputs themselves, Stein's unbiased risk estimate (:func:`skdenoise.metrics.stein_mse`), which the race
of ``objective="self-supervised"`` judges every candidate by (for gaussian noise; for impulsive noise it does
not hold)."""

import numpy as np

from ..metrics import stein_mse

__all__ = ["held_out_risk"]


def held_out_risk(denoise, check, noise=None):
    """A denoiser's estimated MSE against the clean signals on held-out pairs `check` ``(X, y)``: the plain MSE
    against clean (or second noisy) targets, or, for targets that are the noisy inputs themselves (or the
    inputs with their spikes taken out, whose noise is gaussian), Stein's estimate on the targets for `noise`
    ``(std per channel, exponent)``, averaged over channels."""
    X, y = check
    if noise is None:
        return float(np.mean(np.square(np.asarray(denoise(X), dtype=np.float64) - y)))
    return float(np.mean(stein_mse(denoise, y, *noise)))
