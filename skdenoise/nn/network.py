"""What every network shares: activations, input scaling, output heads, the wrapper and the loss.

Every core maps a batch ``(n, in_channels, in_length)`` to ``(n, out_channels, out_length)``.
:class:`DenoisingNetwork` wraps a core between a fixed input scaling and an output head, so that
everything the estimator learned or measured in ``fit`` lives in one ``state_dict``.

What a network can do, it declares as class attributes, read with :func:`declares` (absent means False), so
that a user's class can declare them too:

- cores: ``fully_convolutional`` (works at any length when its input and output lengths are equal; its
  ``multiple`` property, default 1, gives the lengths it computes on), ``blind_spot`` (an output sample never
  sees its own input sample), ``identity_at_start`` (the untrained core returns its input);
- scaling steps and heads: ``pointwise`` (a stretch of a signal is scaled as in the whole signal, so a
  recording may be cut along time), ``scale_free`` (the network's output does not depend on the input's
  scale), ``unit_free`` (a head whose output has no units: min-max scaled per signal).
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


def declares(part, capability):
    """Whether a network part (a module or its class) declares `capability`; undeclared means no."""
    return bool(getattr(part, capability, False))


class Unscaled(nn.Identity):
    """No scaling: the input (or the core's output) as it is."""

    pointwise = True


class MinMaxHead(nn.Module):
    """Per-signal, per-channel min-max scaling of the output, the same formula as the targets'."""

    scale_free = True
    unit_free = True

    def forward(self, x):
        # min/max with indices back-propagate by a scatter; amin/amax by a mask over the whole batch (slower).
        low, high = x.min(dim=-1, keepdim=True).values, x.max(dim=-1, keepdim=True).values
        return (x - low) / (high - low + MINMAX_EPS)


class AffineHead(nn.Module):
    """``x * scale + offset`` with fixed buffers: undoes the target standardisation learned in fit."""

    pointwise = True

    def __init__(self, offset, scale):
        super().__init__()
        self.register_buffer("offset", offset)
        self.register_buffer("scale", scale)

    def forward(self, x):
        return x * self.scale + self.offset


class Standardize(nn.Module):
    """``(x - mean) / scale`` with fixed buffers (per channel and time step)."""

    pointwise = True

    def __init__(self, mean, scale):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("scale", scale)

    def forward(self, x):
        return (x - self.mean) / self.scale


class SignalStandardize(nn.Module):
    """Per-signal z-score along time: each input signal gets zero mean and unit variance."""

    scale_free = True

    def forward(self, x):
        centred = x - x.mean(dim=-1, keepdim=True)
        # Dividing by the peak first keeps the variance finite in float32 for inputs up to ~1e35.
        centred = centred / centred.abs().amax(dim=-1, keepdim=True).clamp_min(1e-30)
        # The centred signal's root mean square is its std; as a norm it costs a fifth of Tensor.std on CPU
        # (a batch of 128 x 1,024: 0.08 against 0.43 ms, most of an MLP step's input scaling).
        rms = torch.linalg.vector_norm(centred, dim=-1, keepdim=True) / centred.shape[-1] ** 0.5
        return centred / (rms + 1e-6)


class DenoisingNetwork(nn.Module):
    """``head(core(scaling(x)))``: the module the estimator trains and saves.

    Two optional steps serve training without clean signals. A `blend` (an
    :class:`~skdenoise.nn.blend.InputBlend`, for blind-spot cores) takes back some of the input, ``out + w (x -
    out)``, with weights that ``fit`` sets after Noise2Self training (0 while training, so that the blind spot
    holds). A `mask` (:class:`~skdenoise.nn.blindspot.Noise2SelfMasking`) hides input samples in
    :meth:`training_output`, the output the loss is computed on; ``forward``, what prediction runs, is the
    plain network.
    """

    def __init__(self, core, input_scaling, head, blend=None, mask=None):
        super().__init__()
        self.input_scaling = input_scaling
        self.core = core
        self.head = head
        self.blend = blend
        self.mask = mask

    def forward(self, x):
        return self.mix(x, self.head(self.core(self.input_scaling(x))))

    def training_output(self, x):
        """The output the training loss is computed on: masked where there is a mask."""
        return self(x) if self.mask is None else self.mask(x, self)

    def mix(self, x, out):
        """Mix the input back into the output by the blend (no-op without one)."""
        return out if self.blend is None else self.blend(x, out)

    @property
    def fully_convolutional(self):
        """Whether the core works at any length (see :func:`declares`)."""
        return declares(self.core, "fully_convolutional")

    @property
    def multiple(self):
        """Lengths the core computes on (others are padded to it): 1 unless the core says otherwise."""
        return getattr(self.core, "multiple", 1)

    @property
    def pointwise(self):
        """Whether the input scaling and the head work per time step (a stretch of a signal is denoised by
        the core's receptive field alone)."""
        return declares(self.input_scaling, "pointwise") and declares(self.head, "pointwise")

    @property
    def scale_free(self):
        """Whether the output ignores the input's scale (per-signal input scaling, or a min-max head)."""
        return declares(self.input_scaling, "scale_free") or declares(self.head, "scale_free")

    @property
    def unit_free(self):
        """Whether the output has no units (a min-max head): windows of a signal cannot be added as they are."""
        return declares(self.head, "unit_free")


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
