"""Building an estimator's network: the core between its input scaling and its output head."""

import numpy as np
import torch

from ..nn.blend import InputBlend
from ..nn.blindspot import Noise2SelfMasking, denoising_network
from ..nn.network import AffineHead, DenoisingNetwork, MinMaxHead, SignalStandardize, Standardize
from ..nn.registry import BLIND_SPOT, build_core, default_z_dim, is_convolutional
from ..preprocessing import is_minmax_scaled
from .training import mean_and_scale


def resolve_output(output, objective, targets):
    """The output step for ``output="auto"``: min-max for min-max scaled targets, else standardised."""
    if output != "auto":
        return output
    # Noisy targets are never exactly min-max scaled signals of the clean shape.
    # Windows of min-max scaled recordings (what collections train on) are not min-max scaled.
    if objective == "noise2self" or not isinstance(targets, np.ndarray):
        return "standard"
    return "minmax" if is_minmax_scaled(targets) else "standard"


def build_module(estimator, architecture, in_shape, out_shape, output, seed, X=None, y=None):
    """The network for these shapes; scaling buffers come from X and y, or are placeholders to load."""
    noise2self = estimator.objective == "noise2self"
    # Built-in architectures have blind-spot versions for Noise2Self; a user's class is masked instead.
    blind_spot = noise2self and architecture in BLIND_SPOT
    z_dim = estimator.z_dim or default_z_dim(architecture, blind_spot)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        core = build_core(architecture, in_shape, out_shape, z_dim, estimator.activation, blind_spot)
    # A network that works at any length cannot scale per position.
    per_channel = is_convolutional(architecture)
    # A blind-spot network never sees the sample it predicts; fit later mixes some of it back in.
    blend = InputBlend(in_shape[0]) if blind_spot else None
    network = DenoisingNetwork(core, _input_scaler(estimator.input_scaling, in_shape, output, X, per_channel),
                               _head(out_shape, output, y, per_channel), blend)
    return Noise2SelfMasking(network, seed=seed) if noise2self and not blind_spot else network


def _input_scaler(scaling, in_shape, output, X, per_channel):
    if scaling == "auto":
        scaling = "signal" if output == "minmax" else "standard"
    if scaling == "standard":
        return Standardize(*mean_and_scale(X, in_shape, per_channel))
    if scaling == "signal":
        return SignalStandardize()
    return torch.nn.Identity()


def _head(out_shape, output, y, per_channel):
    if output == "minmax":
        return MinMaxHead()
    if output == "standard":
        return AffineHead(*mean_and_scale(y, out_shape, per_channel))
    return torch.nn.Identity()


def criterion_params(module, output):
    """The loss standardises like the "standard" head; plain MSE otherwise."""
    head = denoising_network(module).head
    if output == "standard":
        offset, scale = head.offset.cpu(), head.scale.cpu()
    else:
        offset, scale = torch.zeros(1, 1, 1), torch.ones(1, 1, 1)
    return {"criterion__offset": offset, "criterion__scale": scale}
