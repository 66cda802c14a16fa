"""Blind-spot networks for Noise2Self: every output sample is computed without its own input sample.

Trained to reproduce noisy signals, such a network cannot copy its input (it never sees the sample it
predicts), and independent noise cannot be predicted from the other samples: it learns the signal (Batson &
Royer, 2019; Laine et al., 2019). Unlike masking a few samples per pass, every output sample carries
loss, so training needs no more passes than supervised training.

- :class:`BlindSpotMLP` sees the whole signal, like the MLP: its low-rank tied map with each output's path
  from its own input sample taken out.
- :class:`BlindSpotConv` sees a window, like the U-Net: a causal dilated network reads the samples before
  ``t`` and, on the reversed signal, the samples after ``t``; 1x1 convolutions merge the two at each ``t``.
"""

import torch
import torch.nn.functional as F
from torch import nn

from .network import make_activation

__all__ = ["BlindSpotConv", "BlindSpotMLP", "Noise2SelfMasking"]


class BlindSpotMLP(nn.Module):
    """Global blind-spot network: a low-rank map over the whole signal with its diagonal taken out.

    ``out = A.T (A x + a) - diag(A.T A) * x + b`` over the flattened signal (channels and time): the tied
    encoder/decoder of :class:`~skdenoise.nn.MLPAutoencoder`, linear, with each output's path from
    its own input sample removed. The rank is ``2 * z_dim``. For signals that share a few global shapes
    this learns the projection onto them, the one estimate of every sample from all the others; it costs
    what the MLP costs.

    Parameters
    ----------
    in_shape, out_shape : (int, int)
        ``(channels, length)`` of one signal; they must be equal.
    z_dim : int, default=64
    activation : str, default="gelu"
        Accepted for a common signature; the map is linear.

    Examples
    --------
    >>> import torch
    >>> from skdenoise.nn import BlindSpotMLP
    >>> net = BlindSpotMLP((1, 50), (1, 50), z_dim=8)
    >>> x = torch.randn(2, 1, 50)
    >>> y = x.clone(); y[:, :, 7] += 100.0  # change sample 7 only
    >>> bool(torch.allclose(net(x)[:, :, 7], net(y)[:, :, 7], atol=1e-4))  # output 7 does not see it
    True
    """

    blind_spot = True

    def __init__(self, in_shape, out_shape, z_dim=64, activation="gelu"):
        super().__init__()
        if tuple(in_shape) != tuple(out_shape):
            raise ValueError(f"A blind-spot network maps signals to signals of the same shape, got {in_shape} "
                             f"and {out_shape}.")
        size = in_shape[0] * in_shape[1]
        self.encode = nn.Linear(size, 2 * z_dim)
        self.bias = nn.Parameter(torch.zeros(size))

    def forward(self, x):
        flat = x.flatten(1)
        weight = self.encode.weight  # (rank, size)
        through_code = self.encode(flat) @ weight  # A.T (A x + a)
        own_path = weight.square().sum(0) * flat  # diag(A.T A) * x
        return (through_code - own_path + self.bias).view_as(x)


class _CausalStack(nn.Module):
    """Dilated convolutions whose output at ``t`` depends on input samples before ``t`` only."""

    def __init__(self, in_channels, width, n_layers, kernel_size, activation):
        super().__init__()
        self.kernel_size = kernel_size
        self.stem = nn.Conv1d(in_channels, width, kernel_size)
        self.layers = nn.ModuleList(nn.Conv1d(width, width, kernel_size, dilation=2 ** i) for i in range(n_layers))
        self.activations = nn.ModuleList(make_activation(activation) for _ in range(n_layers))

    def forward(self, x):
        # Shift by one sample, then pad on the left only: output t sees x[t - kernel_size .. t - 1].
        h = self.stem(F.pad(x, (self.kernel_size, 0))[..., :-1])
        for layer, activation in zip(self.layers, self.activations):
            h = h + layer(F.pad(activation(h), ((self.kernel_size - 1) * layer.dilation[0], 0)))
        return h


class BlindSpotConv(nn.Module):
    """Local blind-spot network: causal context from both sides of each sample, merged per sample.

    Works at any length. With the defaults each side sees ``2 * (2**n_layers - 1) + kernel_size`` samples.

    Parameters
    ----------
    in_shape, out_shape : (int, int)
        ``(channels, length)`` of one signal; the channels must be equal.
    z_dim : int, default=32
        Half of it is the width of the causal stacks.
    activation : str, default="gelu"
    n_layers : int, default=8
    kernel_size : int, default=3

    Examples
    --------
    >>> import torch
    >>> from skdenoise.nn import BlindSpotConv
    >>> net = BlindSpotConv((1, 100), (1, 100), z_dim=8)
    >>> x = torch.randn(1, 1, 100)
    >>> y = x.clone(); y[:, :, 40] += 100.0
    >>> changed = (net(x) - net(y)).abs()[0, 0] > 0
    >>> bool(changed[40]), bool(changed[39] and changed[41])  # blind to itself, not to its neighbours
    (False, True)
    """

    blind_spot = True
    fully_convolutional = True

    def __init__(self, in_shape, out_shape, z_dim=32, activation="gelu", n_layers=8, kernel_size=3):
        super().__init__()
        if in_shape[0] != out_shape[0]:
            raise ValueError(f"A blind-spot network keeps the channels, got {in_shape} and {out_shape}.")
        width = max(z_dim // 2, 4)
        self.context = _CausalStack(in_shape[0], width, n_layers, kernel_size, activation)
        self.merge = nn.Sequential(make_activation(activation), nn.Conv1d(2 * width, width, 1),
                                   make_activation(activation), nn.Conv1d(width, out_shape[0], 1))

    @property
    def multiple(self):
        """Lengths the network computes on: any (for chunked prediction)."""
        return 1

    def forward(self, x):
        before = self.context(x)
        after = self.context(x.flip(-1)).flip(-1)
        return self.merge(torch.cat([before, after], dim=1))


class Noise2SelfMasking(nn.Module):
    """Noise2Self masking (Batson & Royer, 2019): the training step of a network that is not blind-spot.

    A step of :class:`~skdenoise.nn.DenoisingNetwork` (its `mask`), used by its ``training_output`` only: each
    pass hides a random fraction `probability` of the input values (replaced by the mean of their two
    neighbours) and returns the network's output at those positions and the input itself everywhere else.
    Trained against the noisy input as target, the loss is then carried by the hidden positions only: the
    network learns to predict each value from its context, never from the value itself, so it cannot learn the
    identity and it learns the signal instead of the (independent) noise. Prediction runs the plain network.

    Parameters
    ----------
    probability : float, default=0.125
        Fraction of values hidden per pass.
    seed : int, default=0
        Seeds the masks.

    Examples
    --------
    >>> import torch
    >>> from skdenoise.nn import Noise2SelfMasking
    >>> masking = Noise2SelfMasking(probability=0.5)
    >>> x = torch.arange(8.0).view(1, 1, 8)
    >>> out = masking(x, lambda inputs: torch.zeros_like(inputs))  # a network that predicts 0
    >>> bool(((out == 0) | (out == x)).all()), 0 < int((out == 0).sum()) < 8
    (True, True)
    """

    def __init__(self, probability=0.125, seed=0):
        super().__init__()
        self.probability = probability
        self.generator = torch.Generator().manual_seed(seed)

    def forward(self, x, network):
        mask = (torch.rand(x.shape, generator=self.generator) < self.probability).to(x.device)
        padded = F.pad(x, (1, 1), mode="replicate")
        neighbours = 0.5 * (padded[..., :-2] + padded[..., 2:])
        return torch.where(mask, network(torch.where(mask, neighbours, x)), x)
