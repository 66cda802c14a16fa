"""Building a network: the core between its input scaling and its output head, and the loss that goes with it."""

import numpy as np
import torch

from ...nn.blend import InputBlend
from ...nn.blindspot import Noise2SelfMasking
from ...nn.network import AffineHead, DenoisingNetwork, MinMaxHead, SignalStandardize, Standardize, Unscaled
from ...nn.registry import build_core, default_z_dim

__all__ = ["build_network", "criterion_params", "mean_and_scale"]


def build_network(spec, architecture, in_shape, *, out_shape, output, seed, X=None, y=None):
    """The network of `architecture` for these shapes, built from a
    :class:`~skdenoise._fit.plan.NetworkSpec`; scaling buffers come from X and y, or are placeholders for
    weights to load."""
    blind_spot = spec.blind_spot(architecture)
    z_dim = spec.z_dim or default_z_dim(architecture, blind_spot, noisy_targets=spec.objective.noisy_targets)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        core = build_core(architecture, in_shape, out_shape, z_dim, spec.activation, blind_spot)
    # A network that works at any length cannot scale per position.
    per_channel = spec.fully_convolutional(architecture)
    # A blind-spot network never sees the sample it predicts; fit later mixes some of it back in.
    blend = InputBlend(in_shape[0]) if blind_spot else None
    # Built-in architectures have blind-spot versions for Noise2Self; a user's class is masked instead.
    mask = Noise2SelfMasking(seed=seed) if spec.masked(architecture) else None
    return DenoisingNetwork(core, _input_scaler(spec.input_scaling, in_shape, output, X=X, per_channel=per_channel),
                            _head(out_shape, output, y, per_channel=per_channel), blend, mask)


def _input_scaler(scaling, in_shape, output, *, X, per_channel):
    if scaling == "auto":
        scaling = "signal" if output == "minmax" else "standard"
    if scaling == "standard":
        return Standardize(*mean_and_scale(X, in_shape, per_channel))
    if scaling == "signal":
        return SignalStandardize()
    return Unscaled()


def _head(out_shape, output, y, *, per_channel):
    if output == "minmax":
        return MinMaxHead()
    if output == "standard":
        return AffineHead(*mean_and_scale(y, out_shape, per_channel))
    return Unscaled()


def criterion_params(network, output):
    """The loss standardises like the "standard" head; plain MSE otherwise."""
    if output == "standard":
        offset, scale = network.head.offset.cpu(), network.head.scale.cpu()
    else:
        offset, scale = torch.zeros(1, 1, 1), torch.ones(1, 1, 1)
    return {"criterion__offset": offset, "criterion__scale": scale}


def mean_and_scale(signals, shape, per_channel=False):
    """Mean and standard deviation (1 where it is ~0) as float32 tensors: per position ``(1, C, L)``, or
    per channel ``(1, C, 1)`` (over signals and time: for networks that work at any length).

    Without signals, placeholders of the given ``(C, L)`` shape (to be overwritten by loaded weights).
    """
    axes = (0, 2) if per_channel else 0
    if signals is None:
        shape = (shape[0], 1) if per_channel else shape
        return torch.zeros(1, *shape), torch.ones(1, *shape)
    mean = signals.mean(axis=axes, dtype=np.float64, keepdims=True)
    scale = signals.std(axis=axes, dtype=np.float64, keepdims=True)
    # Positions that (numerically) never vary are left unscaled: dividing by a denormal overflows float32.
    scale[scale < 1e-30] = 1.0
    return torch.from_numpy(mean.astype(np.float32)), torch.from_numpy(scale.astype(np.float32))
