"""``objective="recorrupted"``, Recorrupted-to-Recorrupted training (Pang et al., CVPR 2021): clean-signal
training without clean signals.

With gaussian noise ``n`` of known covariance in ``y = x + n``, draw ``z`` of the same covariance and train
``f(y + a z) -> y - z / a``: the two noises ``n + a z`` and ``n - z / a`` are uncorrelated, hence independent,
so the loss is the clean MSE of ``f`` at the input noise ``(1 + a**2)`` times the variance, plus a constant.
Unlike a blind spot, the network sees the sample it denoises; unlike Noise2Noise, one recording suffices. It
needs the noise's level and colour: :func:`~skdenoise.noise.estimate_noise_level`, or ``noise_std``.
Prediction is the plain network on the noisy signals (averaging it over recorrupted copies gained at most
0.4 dB on the benchmarks' sets).
"""

import dataclasses

import numpy as np
import torch

from ..inference import forward_rows
from .base import Objective, Verdict, held_out_risk

__all__ = ["ALPHA", "Recorrupted", "Recorruption", "coloured_noise"]

#: The recorruption's scale ``a`` (Pang et al.'s choice).
ALPHA = 0.5


def coloured_noise(shape, exponent, generator):
    """Unit-variance noise of spectrum ``1 / f**exponent`` (white for 0) along the last axis, float32 on the CPU,
    as :class:`~skdenoise.noise.ColouredNoise` draws it: complex gaussian spectrum over ``rfftfreq`` (the zero
    frequency set to the first non-zero one), each row scaled to standard deviation 1."""
    length = shape[-1]
    if exponent == 0 or length < 2:
        return torch.randn(shape, generator=generator)
    freqs = torch.fft.rfftfreq(length, dtype=torch.float64)
    freqs[0] = freqs[1]
    parts = torch.randn((2, *shape[:-1], len(freqs)), generator=generator, dtype=torch.float64)
    noise = torch.fft.irfft(torch.complex(parts[0], parts[1]) / freqs ** (exponent / 2), n=length)
    return (noise / noise.std(dim=-1, keepdim=True, unbiased=False).clamp_min(1e-12)).float()


@dataclasses.dataclass(frozen=True)
class Recorruption:
    """The training pairs ``(y + a z, y - z / a)`` of noisy signals ``y`` (or ``(y + a z, y' - z / a)``, ``y'``
    the signals without their spikes); ``z`` of standard deviation `std` per channel and spectral `exponent`
    (0: white).

    Validation batches are recorrupted with the same draws every epoch (a generator seeded with `seed`), so
    their loss compares epochs and networks.
    """

    std: tuple
    exponent: float = 0.0
    alpha: float = ALPHA
    seed: int = 0

    def draw(self, shape, generator):
        """Noise of the model for `shape` ``(n, C, L)``, float32 on the CPU."""
        std = torch.tensor(self.std, dtype=torch.float32).view(1, -1, 1)
        return coloured_noise(shape, self.exponent, generator) * std

    def __call__(self, X, y, generator):
        """The pairs ``(X + a z, y - z / a)``: `y` is `X` itself, or `X` with its spikes taken out
        (:mod:`~skdenoise._fit.objectives.despiking`), whose remaining noise is the gaussian that `z` is drawn like."""
        z = self.draw(X.shape, generator).to(device=X.device, dtype=X.dtype)
        return X + self.alpha * z, y - z / self.alpha

    def validation_generator(self):
        return torch.Generator().manual_seed(self.seed)

    @property
    def input_variance(self):
        """The variance of the noise the network learns to remove, per channel: ``(1 + a**2)`` times the noise's."""
        return (1 + self.alpha ** 2) * np.square(self.std)


class Recorrupted(Objective):
    """Recorruption at the noise level of the signals: judged by Stein's unbiased estimate of the error on the
    held-out signals (or on their versions without spikes, :mod:`~skdenoise._fit.objectives.despiking`)."""

    name = "recorrupted"
    noisy_only = True

    def recorruption(self, level, seed):
        if level is None:
            return None
        return Recorruption(tuple(np.sqrt(level.variance).tolist()), level.exponent, seed=seed + 4)

    def race_pairs(self, plan, check):
        """The held-out pairs recorrupted, with the same draws for every candidate (their targets are noisy)."""
        recorruption = plan.recorruption
        X, y = recorruption(*(torch.from_numpy(np.ascontiguousarray(part)) for part in check),
                            recorruption.validation_generator())
        return X.numpy(), y.numpy()

    # noise_floor: 0. Recorrupted targets carry five times the noise variance: an error in its estimate would
    # swamp the networks' own errors above it (on BasicMotions the U-Net was cut behind the MLP), so the
    # race's cut-off compares them whole.

    def judge(self, plan, network, check, race_loss=None, denoise=None):
        recorruption = plan.recorruption
        run = denoise or (lambda signals: forward_rows(network, signals))
        return Verdict(held_out_risk(run, check, (recorruption.std, recorruption.exponent)))

    def input_error(self, check, level):
        """The noise variance of the inputs (spikes included where the targets had theirs taken out)."""
        return float(np.mean(level.input_error))
