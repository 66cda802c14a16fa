"""Torch modules: the MLP denoising core, input scaling, output heads, the loss and Noise2Self masking.

Every core maps a batch ``(n, in_channels, in_length)`` to ``(n, out_channels, out_length)``.
:class:`DenoisingNetwork` wraps a core between a fixed input scaling and an output head, so that
everything the estimator learned or measured in ``fit`` lives in one ``state_dict``.
"""

import torch
import torch.nn.functional as F
from torch import nn

from .preprocessing import MINMAX_EPS

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


class MLPAutoencoder(nn.Module):
    """Fully connected encoder/decoder with a ``z_dim`` bottleneck, like the seed's model, with tied weights.

    ``in -> 2*z_dim -> z_dim -> 2*z_dim -> out`` with `activation` after both hidden layers; the bottleneck
    stays linear (a nonlinearity there only throws information away). The input is flattened over channels
    and time, so any input shape can map to any output shape.

    With ``tied=True`` (and equal input and output sizes) the decoder uses the transposed encoder weights.
    The decoder is fitted to clean targets, so tying lends the encoder a subspace learned without noise: on
    the seed task this takes the test MSE from about 1.2x to about 1.05x the oracle's at 20,000 signals
    (``benchmarks/ablation_seed.py``).

    Parameters
    ----------
    in_shape, out_shape : (int, int)
        ``(channels, length)`` of one input and one output signal.
    z_dim : int, default=64
        Width of the bottleneck.
    activation : str, default="gelu"
        A key of :data:`ACTIVATIONS`.
    tied : bool, default=True
        Tie decoder weights to the encoder's (ignored when input and output sizes differ).
    """

    def __init__(self, in_shape, out_shape, z_dim=64, activation="gelu", tied=True):
        super().__init__()
        self.out_shape = tuple(out_shape)
        n_in, n_out = in_shape[0] * in_shape[1], out_shape[0] * out_shape[1]
        self.tied = tied and n_in == n_out
        self.encode_in, self.encode_code = nn.Linear(n_in, 2 * z_dim), nn.Linear(2 * z_dim, z_dim)
        self.encode_act, self.decode_act = make_activation(activation), make_activation(activation)
        if self.tied:
            self.decode_code_bias = nn.Parameter(torch.zeros(2 * z_dim))
            self.decode_out_bias = nn.Parameter(torch.zeros(n_out))
        else:
            self.decode_code, self.decode_out = nn.Linear(z_dim, 2 * z_dim), nn.Linear(2 * z_dim, n_out)

    def forward(self, x):
        code = self.encode_code(self.encode_act(self.encode_in(x.flatten(1))))
        if self.tied:
            hidden = self.decode_act(F.linear(code, self.encode_code.weight.t(), self.decode_code_bias))
            out = F.linear(hidden, self.encode_in.weight.t(), self.decode_out_bias)
        else:
            out = self.decode_out(self.decode_act(self.decode_code(code)))
        return out.view(x.shape[0], *self.out_shape)


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

    With an `input_weight` buffer ``w`` (per channel, ``(1, C, 1)``), the output is ``out + w * (x - out)``:
    the estimator sets it after Noise2Self training (0 while training, so that the blind spot holds).
    """

    def __init__(self, core, input_scaling, head, input_weight=None):
        super().__init__()
        self.input_scaling = input_scaling
        self.core = core
        self.head = head
        self.register_buffer("input_weight", input_weight)

    def forward(self, x):
        return self.blend(x, self.head(self.core(self.input_scaling(x))))

    def blend(self, x, out):
        """Mix the input back into the output by `input_weight` (no-op without one)."""
        if self.input_weight is None:
            return out
        return out + self.input_weight * (x - out)


class StandardizedMSELoss(nn.Module):
    """MSE of ``(prediction - offset) / scale`` against ``(target - offset) / scale``, i.e. of
    ``(prediction - target) / scale``.

    With the targets' per-position standard deviation as `scale`, the loss is in units of target variance
    (1.0 is as good as predicting the mean) and stays finite for targets of any magnitude that float32 can
    hold. With ``scale=1`` it is the plain MSE (and computed as such, without the division). `offset` is
    kept so that the loss carries the full standardisation it was built for.
    """

    def __init__(self, offset, scale):
        super().__init__()
        self.register_buffer("offset", offset)
        self.register_buffer("scale", scale)
        self.plain = bool(torch.all(scale == 1))

    def forward(self, prediction, target):
        if self.plain:
            return F.mse_loss(prediction, target)
        return ((prediction - target) / self.scale).square().mean()


class Noise2SelfMasking(nn.Module):
    """Train `network` J-invariantly on noisy signals alone (Noise2Self, Batson & Royer, 2019).

    While ``active``, each forward pass hides a random fraction `probability` of the input values (replaced
    by the mean of their two neighbours), and returns the network's output at those positions and the input
    itself everywhere else. Trained against the noisy input as target, the loss is then carried by the
    hidden positions only: the network learns to predict each value from its context, never from the value
    itself, so it cannot learn the identity and it learns the signal instead of the (independent) noise.
    Inactive, it is the plain network (used for prediction).

    Parameters
    ----------
    network : nn.Module
        The denoiser.
    probability : float, default=0.125
        Fraction of values hidden per pass.
    seed : int, default=0
        Seeds the masks.
    """

    def __init__(self, network, probability=0.125, seed=0):
        super().__init__()
        self.network = network
        self.probability = probability
        self.active = True
        self.generator = torch.Generator().manual_seed(seed)

    def forward(self, x):
        if not self.active:
            return self.network(x)
        mask = (torch.rand(x.shape, generator=self.generator) < self.probability).to(x.device)
        padded = F.pad(x, (1, 1), mode="replicate")
        neighbours = 0.5 * (padded[..., :-2] + padded[..., 2:])
        return torch.where(mask, self.network(torch.where(mask, neighbours, x)), x)


def denoising_network(module):
    """The :class:`DenoisingNetwork` of an estimator's module, inside :class:`Noise2SelfMasking` or not."""
    return module.network if isinstance(module, Noise2SelfMasking) else module
