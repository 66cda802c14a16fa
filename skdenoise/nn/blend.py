"""How a blind-spot network's output takes back some of its noisy input: ``f + w (x - f)``, per sample.

A blind-spot output ``f`` never sees the sample it predicts, so its error ``u`` is independent of that
sample's noise (variance ``s2``), and ``f + w (x - f)`` errs by ``(1 - w)**2 u**2 + w**2 s2`` in
expectation: least at ``w = u**2 / (u**2 + s2)``. Where the network is sure (smooth stretches) ``w`` should
be near 0; where it cannot know (a sharp edge, a spike of the signal itself) near 1. The squared residuals
``(x - f)**2`` of the neighbours of a sample, ``u**2 + s2`` on average, say which, as in the Bayesian
blind-spot denoiser of Laine et al. (2019) whose network predicts that variance: here it is read from the
residuals around each sample. A radius of 0 takes one weight per channel instead.
"""

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["InputBlend"]


class InputBlend(nn.Module):
    """``f + w (x - f)`` with ``w = clamp(1 - s2 / tau, 0, 1)``; ``tau`` is the mean of ``(x - f)**2`` over
    `radius` samples on either side (beyond the two nearest), or one `weight` per channel for radius 0.

    ``fit`` chooses the blend with the least :meth:`expected_error` and sets it with :meth:`configure`;
    built, it returns ``f``.

    Parameters
    ----------
    n_channels : int

    Examples
    --------
    >>> import torch
    >>> from skdenoise.nn.blend import InputBlend
    >>> blend = InputBlend(1)
    >>> x, f = torch.ones(1, 1, 8), torch.zeros(1, 1, 8)
    >>> bool(torch.equal(blend(x, f), f))  # built: the network's output
    True
    >>> blend.configure([1.0], radius=0, weight=[0.25])
    >>> blend(x, f)[0, 0, 0].item()
    0.25
    """

    def __init__(self, n_channels):
        super().__init__()
        self.register_buffer("noise_variance", torch.zeros(1, n_channels, 1))
        self.register_buffer("weight", torch.zeros(1, n_channels, 1))
        self.register_buffer("radius", torch.zeros((), dtype=torch.long))

    def configure(self, noise_variance, radius, weight=None):
        """Set the noise variance per channel, the radius, and (for radius 0) the weight per channel; a
        weight not given stays as it is."""
        self.noise_variance.copy_(torch.as_tensor(noise_variance, dtype=torch.float32).view(1, -1, 1))
        self.radius.fill_(int(radius))
        if weight is not None:
            self.weight.copy_(torch.as_tensor(weight, dtype=torch.float32).view(1, -1, 1))

    def forward(self, x, out):
        return out + self.weights(x, out) * (x - out)

    def expected_error(self, x, out):
        """The blend's expected MSE against the clean signals per channel, float64 ``(C,)``, for noisy
        inputs `x` and the blind-spot output `out`: ``mean((1 - w)**2 ((x - out)**2 - s2) + w**2 s2)``."""
        w = self.weights(x, out).double()
        noise = self.noise_variance.double()
        return ((1 - w).square() * ((x - out).double().square() - noise) + w.square() * noise).mean(dim=(0, 2))

    def weights(self, x, out):
        """The weight ``w`` of the input at every sample, shaped like `x` (or ``(1, C, 1)`` for radius 0)."""
        radius = int(self.radius)
        if radius == 0:
            return self.weight
        squares = (x - out).square()
        return (1 - self.noise_variance / neighbour_mean(squares, radius).clamp_min(1e-30)).clamp(0, 1)


#: Samples next to each one that its weight does not read: their outputs saw its noise (a blind-spot
#: network leans most on the nearest samples), which would make its weight depend on it.
GAP = 2


def neighbour_mean(values, radius, gap=GAP):
    """The mean of `values` over `radius` samples on each side of every sample, after skipping the `gap`
    nearest and itself; fewer near the ends (never the sample itself), and a gap that leaves every sample
    a neighbour. A signal of one sample has no neighbours: infinity."""
    length = values.shape[-1]
    if length < 2:
        return torch.full_like(values, float("inf"))
    gap = min(gap, length // 2 - 1)
    # Shifted copies added one by one (not window sums minus the inner window): the sample's own value is
    # never added, so not even round-off of it remains in its weight.
    padded = F.pad(values, (gap + radius, gap + radius))
    ones = F.pad(torch.ones_like(values[:1, :1]), (gap + radius, gap + radius))
    total, counts = torch.zeros_like(values), torch.zeros_like(values[:1, :1])
    centre = gap + radius
    for distance in range(gap + 1, gap + radius + 1):
        for offset in (centre - distance, centre + distance):
            total = total + padded[..., offset:offset + length]
            counts = counts + ones[..., offset:offset + length]
    return total / counts
