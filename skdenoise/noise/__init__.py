"""Noise models for making training pairs, and robust estimates of a signal's noise level.

Real noise is rarely white and rarely of the level a model was trained on. The models here draw noise of
unit level, independently per signal and channel along the last axis (time); :func:`add_noise` scales it
by a level, or by a level drawn per signal from a range, and adds it:

- :class:`WhiteNoise` (``"white"``, alias ``"gaussian"``): iid gaussian; the level is its standard deviation.
- :class:`ColouredNoise` (``"pink"``: ``exponent=1``; ``"brown"``: ``exponent=2``): power spectrum
  ``1/f**exponent``, scaled to unit standard deviation per signal and channel.
- :class:`ImpulsiveNoise` (``"spikes"``): gaussian, plus on a fraction of the samples a spike many times
  larger (motion artefacts, sensor glitches); the level is the gaussian part's standard deviation.

``"white"``, ``"pink"`` and ``"spikes"`` at levels 0.5, 0.5 and 0.1 are the noise kinds of the benchmarks.

They live in their own modules, re-exported here: :mod:`skdenoise.noise.models` (the models, :func:`add_noise`),
:mod:`skdenoise.noise.estimates` (the level and kind of the noise in noisy signals) and
:mod:`skdenoise.noise.along_time` (a level that changes along a recording).
"""

from .along_time import level_change, noise_level_profile, variance_profile
from .estimates import (NoiseEstimate, estimate_noise_level, estimate_noise_std, estimate_noise_variance,
                        estimate_white_noise_variance, signal_noise_levels)
from .models import ColouredNoise, ImpulsiveNoise, WhiteNoise, add_noise, check_noise, resolve_noise

__all__ = ["ColouredNoise", "ImpulsiveNoise", "NoiseEstimate", "WhiteNoise", "add_noise", "check_noise",
           "estimate_noise_level", "estimate_noise_std", "estimate_noise_variance", "estimate_white_noise_variance",
           "level_change", "noise_level_profile", "resolve_noise", "signal_noise_levels",
           "variance_profile"]
