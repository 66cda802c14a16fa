"""Objectives with targets: clean signals (``"supervised"``), or a second noisy recording (``"noise2noise"``)."""

import numpy as np

from ..measures import mean_squared_error
from .base import SETTLE_CLEAN_TARGETS, Objective

__all__ = ["Noise2Noise", "Supervised"]


class Supervised(Objective):
    """``X -> y`` with clean targets ``y``: judged by the held-out MSE against them."""

    name = "supervised"
    clean_targets = True
    settle = SETTLE_CLEAN_TARGETS


class Noise2Noise(Objective):
    """Two noisy recordings of the same signals (independent, zero-mean noise), learned both ways round.

    Its held-out loss against noisy targets is the clean loss plus the noise variance, in expectation: it ranks
    networks, and against the other copy returning the input carries the same noise, so the two compare.
    """

    name = "noise2noise"
    noisy_targets = True

    def training_pairs(self, signals, targets, groups=None):
        """The pairs both ways round, each pair's two rows (or each group's) held out together."""
        if not isinstance(signals, np.ndarray):  # a collection, its shapes checked in validation
            groups = np.tile(np.arange(len(signals)) if groups is None else groups, 2)
            return list(signals) + list(targets), list(targets) + list(signals), groups
        if signals.shape != targets.shape:
            raise ValueError(f"objective='noise2noise' needs y of X's shape {signals.shape} (a second noisy "
                             f"recording of the same signals), got {targets.shape}.")
        groups = np.tile(np.arange(len(signals)) if groups is None else groups, 2)
        return np.concatenate([signals, targets]), np.concatenate([targets, signals]), groups

    def scaled_targets(self, inputs):
        return [inputs.targets, inputs.signals]  # both copies are targets

    def noise_floor(self, X, y, noise_variance=None):
        """Half the MSE between the two noisy copies: the noise variance of the targets."""
        return mean_squared_error(X, y) / 2
