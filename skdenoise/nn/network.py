"""What every network shares: activations, input scaling, output heads, the wrapper and the loss.

Every core maps a batch ``(n, in_channels, in_length)`` to ``(n, out_channels, out_length)``.
:class:`DenoisingNetwork` wraps a core between a fixed input scaling and an output head, so that
everything the estimator learned or measured in ``fit`` lives in one ``state_dict``.
"""

import torch
import torch.nn.functional as F
from torch import nn

from ..preprocessing import MINMAX_EPS

ACTIVATIONS = {
    "relu": nn.ReLU,
    "gelu": nn.GELU,
    "tanh": nn.Tanh,
    "elu": nn.ELU,
    "silu": nn.SiLU,
    "leaky_relu": nn.LeakyReLU,
}


def make_activation(name):
    """A fresh activation module for a name in :data:`ACTIVATIONS`."""
    return ACTIVATIONS[name]()


class MinMaxHead(nn.Module):
    """Per-signal, per-channel min-max scaling of the output, the same formula as the targets'."""

    def forward(self, x):
        # min/max with indices back-propagate by a scatter; amin/amax by a mask over the whole batch (slower).
        low, high = x.min(dim=-1, keepdim=True).values, x.max(dim=-1, keepdim=True).values
        return (x - low) / (high - low + MINMAX_EPS)


class AffineHead(nn.Module):
    """``x * scale + offset`` with fixed buffers: undoes the target standardisation learned in fit."""

    def __init__(self, offset, scale):
        super().__init__()
        self.register_buffer("offset", offset)
        self.register_buffer("scale", scale)

    def forward(self, x):
        return x * self.scale + self.offset


class Standardize(nn.Module):
    """``(x - mean) / scale`` with fixed buffers (per channel and time step)."""

    def __init__(self, mean, scale):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("scale", scale)

    def forward(self, x):
        return (x - self.mean) / self.scale


class SignalStandardize(nn.Module):
    """Per-signal z-score along time: each input signal gets zero mean and unit variance."""

    def forward(self, x):
        centred = x - x.mean(dim=-1, keepdim=True)
        # Dividing by the peak first keeps the variance finite in float32 for inputs up to ~1e35.
        centred = centred / centred.abs().amax(dim=-1, keepdim=True).clamp_min(1e-30)
        return centred / (centred.std(dim=-1, keepdim=True, unbiased=False) + 1e-6)


class DenoisingNetwork(nn.Module):
    """``head(core(scaling(x)))``: the module the estimator trains and saves.

    With a `blend` (an :class:`~skdenoise.nn.blend.InputBlend`, for blind-spot networks) the output takes
    back some of the input, ``out + w (x - out)``, with weights that ``fit`` sets after Noise2Self training
    (0 while training, so that the blind spot holds).
    """

    def __init__(self, core, input_scaling, head, blend=None):
        super().__init__()
        self.input_scaling = input_scaling
        self.core = core
        self.head = head
        self.blend = blend

    def forward(self, x):
        return self.mix(x, self.head(self.core(self.input_scaling(x))))

    def mix(self, x, out):
        """Mix the input back into the output by the blend (no-op without one)."""
        return out if self.blend is None else self.blend(x, out)


class StandardizedMSELoss(nn.Module):
    """MSE of ``(prediction - offset) / scale`` against ``(target - offset) / scale``, i.e. of
    ``(prediction - target) / scale``.

    With the targets' per-position standard deviation as `scale`, the loss is in units of target variance
    (1.0 is as good as predicting the mean) and stays finite for targets of any magnitude that float32 can
    hold. With ``scale=1`` it is the plain MSE (and computed as such, without the division). `offset` is
    kept so that the loss carries the full standardisation it was built for.

    The target may be a pair ``(target, weight)`` with one weight per signal ``(n, 1, 1)``: the loss is then
    the weighted mean (training on rescaled noise weighs each pair by its inverse noise variance).
    """

    def __init__(self, offset, scale):
        super().__init__()
        self.register_buffer("offset", offset)
        self.register_buffer("scale", scale)
        self.plain = bool(torch.all(scale == 1))

    def forward(self, prediction, target):
        if isinstance(target, (tuple, list)):
            target, weight = target
            errors = (prediction - target).square() if self.plain else ((prediction - target) / self.scale).square()
            return (errors * weight).mean() / weight.mean()
        if self.plain:
            return F.mse_loss(prediction, target)
        return ((prediction - target) / self.scale).square().mean()
