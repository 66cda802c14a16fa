"""A fully convolutional residual U-Net for 1-D signals, shaped for CPUs.

The network predicts a correction that is added to its input (residual learning: it learns the noise to
remove, not the whole signal), and starts as the identity, so an untrained or barely trained model returns
its input rather than something worse. Most of its work runs at a quarter and a sixteenth of the time
resolution: going down and up a level folds ``factor`` neighbouring time steps into channels
(space-to-depth, a free reshape) followed by a 1x1 convolution, instead of strided and transposed
convolutions, which are slow on CPUs. Only one thin convolution reads and one writes the signal at full
resolution, where the noise lives.
"""

import torch.nn.functional as F
from torch import nn

from .network import make_activation

__all__ = ["ResidualUNet"]


def fold(x, factor):
    """``(n, c, L) -> (n, c * factor, L // factor)``: each output step holds `factor` input steps."""
    n, channels, length = x.shape
    return x.reshape(n, channels, length // factor, factor).transpose(2, 3).reshape(
        n, channels * factor, length // factor)


def unfold(x, factor):
    """The inverse of :func:`fold`."""
    n, folded, length = x.shape
    return x.reshape(n, folded // factor, factor, length).transpose(2, 3).reshape(
        n, folded // factor, length * factor)


class ResidualBlock(nn.Module):
    """``x + conv(act(conv(act(x))))`` with 'same' padding."""

    def __init__(self, channels, kernel_size, activation):
        super().__init__()
        pad = kernel_size // 2
        self.body = nn.Sequential(
            make_activation(activation), nn.Conv1d(channels, channels, kernel_size, padding=pad),
            make_activation(activation), nn.Conv1d(channels, channels, kernel_size, padding=pad))

    def forward(self, x):
        return x + self.body(x)


class ResidualUNet(nn.Module):
    """Residual 1-D U-Net: ``output = input + correction(input)``, any signal length.

    Level 0 works at full resolution with ``max(z_dim // 4, 4)`` channels, level ``i >= 1`` at
    ``1 / factor**i`` of it with ``z_dim * 2**(i - 1)`` channels and one residual block on the way down and
    up (the deepest level only once); skip connections add each level's features to the way back up.
    Signals are padded (replicating their last value) to a multiple of ``factor**depth`` and cropped back,
    so every length works. The last convolution starts at zero: the untrained network is the identity.

    When the targets have other channels than the inputs, a 1x1 convolution of the input replaces the
    identity; when they have another length, a final linear layer along time maps one length to the other
    (the network then only works at the training length).

    Parameters
    ----------
    in_shape, out_shape : (int, int)
        ``(channels, length)`` of one input and one output signal.
    z_dim : int, default=32
        Channels of the first coarse level.
    activation : str, default="gelu"
        A key of :data:`~skdenoise.nn.network.ACTIVATIONS`.
    depth : int, default=2
        Coarse levels below full resolution.
    factor : int, default=4
        Time steps folded into one at each level down.
    kernel_size : int, default=5
        Kernel size of every convolution (odd).

    Examples
    --------
    >>> import torch
    >>> from skdenoise.nn import ResidualUNet
    >>> net = ResidualUNet((2, 100), (2, 100))
    >>> x = torch.randn(3, 2, 100)
    >>> bool(torch.equal(net(x), x))  # untrained: the identity
    True
    >>> net(torch.randn(1, 2, 777)).shape  # fully convolutional: any length
    torch.Size([1, 2, 777])
    """

    fully_convolutional = True
    identity_at_start = True

    def __init__(self, in_shape, out_shape, z_dim=32, activation="gelu", depth=2, factor=4, kernel_size=5):
        super().__init__()
        (in_channels, in_length), (out_channels, out_length) = in_shape, out_shape
        widths = [max(z_dim // 4, 4)] + [z_dim * 2 ** level for level in range(depth)]
        pad = kernel_size // 2
        self.factor, self.depth = factor, depth
        self.stem = nn.Conv1d(in_channels, widths[0], kernel_size, padding=pad)
        self.downs = nn.ModuleList(nn.Conv1d(widths[i] * factor, widths[i + 1], 1) for i in range(depth))
        self.encoders = nn.ModuleList(
            ResidualBlock(widths[i + 1], kernel_size, activation) for i in range(depth))
        self.ups = nn.ModuleList(nn.Conv1d(widths[i + 1], widths[i] * factor, 1) for i in range(depth))
        # Level 0 gets no block of its own: full-resolution convolutions cost the most on CPUs.
        self.decoders = nn.ModuleList(
            [nn.Identity()] + [ResidualBlock(widths[i], kernel_size, activation) for i in range(1, depth)])
        self.head = nn.Sequential(make_activation(activation),
                                  nn.Conv1d(widths[0], out_channels, kernel_size, padding=pad))
        nn.init.zeros_(self.head[1].weight)
        nn.init.zeros_(self.head[1].bias)
        self.skip = nn.Identity() if in_channels == out_channels else nn.Conv1d(in_channels, out_channels, 1)
        self.resample = nn.Identity() if in_length == out_length else nn.Linear(in_length, out_length)
        # A map from one length to another works at the training length only.
        self.fully_convolutional = in_length == out_length

    @property
    def multiple(self):
        """Lengths the network computes on (others are padded to it)."""
        return self.factor ** self.depth

    def forward(self, x):
        length = x.shape[-1]
        padding = (-length) % self.multiple
        h = self.stem(F.pad(x, (0, padding), mode="replicate") if padding else x)
        skips = []
        for down, encode in zip(self.downs, self.encoders):
            skips.append(h)
            h = encode(down(fold(h, self.factor)))
        for level in reversed(range(self.depth)):
            h = self.decoders[level](unfold(self.ups[level](h), self.factor) + skips[level])
        return self.resample(self.skip(x) + self.head(h)[..., :length])
