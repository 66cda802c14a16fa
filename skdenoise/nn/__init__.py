"""The networks: the cores :class:`~skdenoise.DenoisingAutoencoder` trains, and the pieces around them.

A core maps ``(n, in_channels, in_length)`` tensors to ``(n, out_channels, out_length)``. The built-in cores
are registered by name in :data:`ARCHITECTURES` (``architecture="mlp"``, ``"conv"``) and have blind-spot
versions for Noise2Self in :data:`BLIND_SPOT`. Your own ``torch.nn.Module`` class is as valid an
``architecture=`` as a name: the estimator instantiates it with those of ``in_shape``, ``out_shape``,
``z_dim`` and ``activation`` its constructor accepts, and wraps it in the same input scaling and output
head (:class:`DenoisingNetwork`) as the built-ins. The classes here are good starting points to copy. What a
core can do it declares as class attributes (``fully_convolutional``, ``blind_spot``, ``identity_at_start``:
see :mod:`~skdenoise.nn.network`), so a class of yours that works at any length says so the same way.

Modules: :mod:`~skdenoise.nn.mlp` (fully connected), :mod:`~skdenoise.nn.unet` (residual U-Net),
:mod:`~skdenoise.nn.blindspot` (Noise2Self), :mod:`~skdenoise.nn.blend` (what a blind-spot output takes
back of its input), :mod:`~skdenoise.nn.network` (scaling, heads, the wrapper
and the loss every core shares), :mod:`~skdenoise.nn.registry` (names of the built-ins).
"""

from .blend import InputBlend
from .blindspot import BlindSpotConv, BlindSpotMLP, Noise2SelfMasking
from .mlp import MLPAutoencoder
from .network import (AffineHead, DenoisingNetwork, MinMaxHead, SignalStandardize, Standardize, StandardizedMSELoss,
                      Unscaled, declares)
from .registry import ARCHITECTURES, BLIND_SPOT
from .unet import ResidualUNet

__all__ = ["ARCHITECTURES", "AffineHead", "BLIND_SPOT", "BlindSpotConv", "BlindSpotMLP", "DenoisingNetwork",
           "InputBlend", "MLPAutoencoder", "MinMaxHead", "Noise2SelfMasking", "ResidualUNet", "SignalStandardize",
           "Standardize", "StandardizedMSELoss", "Unscaled", "declares"]
