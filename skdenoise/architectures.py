"""The built-in denoising cores by name, what sets them apart, and how a core is instantiated."""

import inspect

from .modules import MLPAutoencoder
from .unet import ResidualUNet

__all__ = ["ARCHITECTURES", "CONVOLUTIONAL", "build_core", "default_z_dim", "is_convolutional"]

ARCHITECTURES = {"mlp": MLPAutoencoder, "conv": ResidualUNet}

#: Fully convolutional cores: they work at any length, so their scaling is per channel (never per
#: position) and they can train on random windows of the signals.
CONVOLUTIONAL = ("conv",)

_DEFAULT_Z_DIM = {"mlp": 64, "conv": 32}


def is_convolutional(architecture):
    """Whether `architecture` (a name or a user's class) is one of the fully convolutional built-ins."""
    return isinstance(architecture, str) and architecture in CONVOLUTIONAL


def default_z_dim(architecture):
    """``z_dim`` when the estimator's is None: 64 for the MLP (and user classes), 32 for "conv"."""
    return _DEFAULT_Z_DIM.get(architecture, 64) if isinstance(architecture, str) else 64


def build_core(architecture, in_shape, out_shape, z_dim, activation):
    """Instantiate a core: a name of :data:`ARCHITECTURES` or a user's ``nn.Module`` class.

    A user's class receives those of ``in_shape``, ``out_shape``, ``z_dim`` and ``activation`` that its
    constructor accepts, as keyword arguments.
    """
    cls = ARCHITECTURES.get(architecture, architecture)
    accepted = inspect.signature(cls).parameters
    offered = {"in_shape": tuple(in_shape), "out_shape": tuple(out_shape), "z_dim": z_dim,
               "activation": activation}
    takes_any = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
    return cls(**{k: v for k, v in offered.items() if takes_any or k in accepted})
