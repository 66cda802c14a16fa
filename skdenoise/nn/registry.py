"""The built-in denoising cores by name, what sets them apart, and how a core is instantiated."""

import inspect

from .blindspot import BlindSpotConv, BlindSpotMLP
from .mlp import MLPAutoencoder
from .network import declares
from .unet import ResidualUNet

__all__ = ["ARCHITECTURES", "BLIND_SPOT", "architecture_name", "build_core", "core_class", "default_z_dim",
           "fully_convolutional"]

ARCHITECTURES = {"mlp": MLPAutoencoder, "conv": ResidualUNet}
#: What each built-in architecture becomes for Noise2Self: the same view of the signal (whole, or a
#: window), blind to the sample it predicts.
BLIND_SPOT = {"mlp": BlindSpotMLP, "conv": BlindSpotConv}

# An MLP that learns from noisy targets only spends every rank it has beyond the signals' own on a direction
# in which the training noise happens to vary more. The blind-spot MLP on the seed task (20,000 signals): test
# MSE 7.3e-4 at rank 4 (z_dim=2), 8.0e-4 at rank 8, 1.0e-3 at rank 16, 3.7e-3 at rank 128. Noise2Noise's
# MLP, which sees the sample it predicts, needs more: at z_dim=64 one data draw in ten gave 2.0 times the
# supervised MSE, at 16 none above 1.2.
_DEFAULT_Z_DIM = {("mlp", False): 64, ("conv", False): 32, ("mlp", True): 2, ("conv", True): 32}
NOISY_TARGETS_MLP_Z_DIM = 16


def architecture_name(architecture):
    """A built-in's name, or a user's class as ``module.QualifiedName`` (what weights files record)."""
    return architecture if isinstance(architecture, str) else f"{architecture.__module__}.{architecture.__qualname__}"


def core_class(architecture, blind_spot=False):
    """The class of a core: a name of :data:`ARCHITECTURES` (its :data:`BLIND_SPOT` version with
    `blind_spot`) or a user's ``nn.Module`` class as it is."""
    return (BLIND_SPOT if blind_spot else ARCHITECTURES).get(architecture, architecture)


def fully_convolutional(architecture, blind_spot=False):
    """Whether the core of `architecture` declares that it works at any length (so its scaling is per
    channel, never per position, and it can train on random windows of the signals)."""
    return declares(core_class(architecture, blind_spot), "fully_convolutional")


def default_z_dim(architecture, blind_spot=False, noisy_targets=False):
    """``z_dim`` when the estimator's is None: 64 for the MLP (16 when it learns from noisy targets, 2 for
    its blind-spot version) and user classes, 32 for "conv"."""
    if not isinstance(architecture, str):
        return 64
    if architecture == "mlp" and noisy_targets and not blind_spot:
        return NOISY_TARGETS_MLP_Z_DIM
    return _DEFAULT_Z_DIM.get((architecture, blind_spot), 64)


def build_core(architecture, in_shape, out_shape, z_dim, activation, blind_spot=False):
    """Instantiate the core of :func:`core_class`.

    A user's class receives those of ``in_shape``, ``out_shape``, ``z_dim`` and ``activation`` that its
    constructor accepts, as keyword arguments.
    """
    cls = core_class(architecture, blind_spot)
    accepted = inspect.signature(cls).parameters
    offered = {"in_shape": tuple(in_shape), "out_shape": tuple(out_shape), "z_dim": z_dim,
               "activation": activation}
    takes_any = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
    return cls(**{k: v for k, v in offered.items() if takes_any or k in accepted})
