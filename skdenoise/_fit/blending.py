"""Noise2Self after training: the noise level, how much of the input to take back, and the expected error.

A blind-spot output ``f`` never sees the sample it predicts. With the noise variance ``s2`` that makes two
things exact in expectation, without clean signals:

- its self-supervised loss ``mean((x - f)**2)`` is its error against the clean signal plus ``s2``;
- for weights ``w`` that do not depend on a sample's own noise, ``f + w (x - f)`` errs against the clean
  signal by ``mean((1 - w)**2 ((x - f)**2 - s2) + w**2 s2)``, and returning the input by ``s2``.

So ``fit`` chooses the blend (:class:`~skdenoise.nn.blend.InputBlend`: one weight per channel, or weights
from the residuals around each sample) with the least expected error on the held-out signals, and
``validation_mse_`` holds that error and the input's ``s2``. ``s2`` is ``noise_std**2`` when the user
knows it, or estimated from the training signals (:func:`~skdenoise.noise.estimate_white_noise_variance`),
which they do not always allow: then ``fit`` warns.
"""

import dataclasses

import numpy as np
import torch

from ..noise import MIN_NOISE_FLATNESS, estimate_noise_variance, estimate_white_noise_variance
from .inference import forward_rows

__all__ = ["BLEND_RADII", "NoiseLevel", "blend_in_input", "fit_blend", "resolve_noise_level"]

#: Signals whose finest wavelet details tell the gaussian core of the noise (a bounded cost).
CORE_ROWS = 256

#: The blends ``fit`` chooses from: 0 is one weight per channel, the others the residuals of that many
#: samples on either side. On the real sets (white noise 0.5, Noise2Self) the best radius was 16 on
#: ACSF1 (+10.2 dB where one weight gave +6.0) and 0 on BasicMotions and on PickupGesture's spikes.
BLEND_RADII = (0, 4, 8, 16, 32)
#: A local blend is chosen over one weight per channel only below this fraction of its expected error. The
#: outputs next to a sample saw its noise, so local weights depend on it a little and their expected error
#: reads low: by up to 25% for the blind-spot MLP, whose every output sees every other sample.
LOCAL_MARGIN = 0.8
#: Noise is impulsive where the variance of its gaussian core (the finest wavelet coefficients' MAD, which
#: outvotes spikes) is below this fraction of its whole variance: 0.13 on the benchmarks' spikes; about 1
#: for gaussian noise, and more on signals with sharp edges (ACSF1: 7).
IMPULSIVE_CORE = 0.5


@dataclasses.dataclass(frozen=True)
class NoiseLevel:
    """The noise variance per channel, whether the user gave it, the flatness of the estimate's floor, and
    whether the noise is impulsive (its gaussian core, the wavelet MAD, under half of it in some channel)."""

    variance: np.ndarray
    given: bool
    flatness: np.ndarray | None = None
    impulsive: bool = False

    @property
    def trusted(self):
        """Given, or estimated from a flat noise floor in every channel."""
        return self.given or bool(np.all(self.flatness >= MIN_NOISE_FLATNESS))

    @property
    def local_blends(self):
        """Whether local blends may be chosen: not where the level is doubtful, nor with spikes, which raise
        the residuals of the outputs around them (their inputs saw the spike) and so the weight of the spike
        itself: on PickupGesture's spikes a local blend passed them back (+4.1 dB, +4.7 with one weight)
        while its expected error read 0.003 for a true 0.05."""
        return self.trusted and not self.impulsive


def resolve_noise_level(noise_std, signals):
    """The :class:`NoiseLevel` of training `signals` ``(n, C, L)`` (or a list of ``(C, L)``)."""
    n_channels = np.shape(signals[0])[0]
    core = np.mean([estimate_noise_variance(np.asarray(row)) for row in signals[:CORE_ROWS]], axis=0)
    if isinstance(noise_std, str):
        variance, flatness = estimate_white_noise_variance(signals)
        # Where the floor is not flat, signal raised it by an unknown amount: lower it by its flatness, erring
        # towards the noisy input (BasicMotions at noise 0.2: 0.25 -> 0.08 for a true 0.04; -5.0 -> -0.8 dB).
        doubtful = flatness < MIN_NOISE_FLATNESS
        variance = np.where(doubtful, variance * flatness, variance)
        return NoiseLevel(variance, False, flatness, bool(np.any(core < IMPULSIVE_CORE * variance)))
    std = np.asarray(noise_std, dtype=np.float64).ravel()
    if std.size not in (1, n_channels):
        raise ValueError(f"noise_std has {std.size} values for signals of {n_channels} channel(s); give one, or "
                         f"one per channel.")
    variance = np.broadcast_to(std, (n_channels,)) ** 2
    return NoiseLevel(variance, True, impulsive=bool(np.any(core < IMPULSIVE_CORE * variance)))


def fit_blend(network, signals, noise_variance, radii=BLEND_RADII):
    """Give a blind-spot network the blend of `radii` with the least expected error on `signals`.

    Parameters
    ----------
    network : DenoisingNetwork
        Trained, with an :class:`~skdenoise.nn.blend.InputBlend`.
    signals : ndarray of shape (n, C, L)
        Held-out noisy signals.
    noise_variance : ndarray of shape (C,)
    radii : tuple of int, default=BLEND_RADII
        Radius 0 is one weight per channel; the others must beat it by :data:`LOCAL_MARGIN`.

    Returns
    -------
    risk, loss : ndarray of shape (C,)
        The blended output's expected MSE against the clean signals, and the blind-spot loss.
    """
    blend = network.blend
    device = blend.weight.device
    blend.configure(noise_variance, radius=0, weight=np.zeros(len(noise_variance)))  # the network's own output
    x = torch.from_numpy(np.ascontiguousarray(signals, dtype=np.float32)).to(device)
    f = torch.from_numpy(forward_rows(network, x, rows_per_batch=256)).to(device)
    loss = (x - f).double().square().mean(dim=(0, 2))
    single = (1 - blend.noise_variance.double().flatten() / loss.clamp_min(1e-30)).clamp(0, 1)
    risks = {}
    for radius in radii:
        blend.configure(noise_variance, radius, weight=single if radius == 0 else None)
        risks[radius] = blend.expected_error(x, f)
    local = min((r for r in risks if r != 0), key=lambda r: float(risks[r].mean()), default=0)
    chosen = local if 0 not in risks or float(risks[local].mean()) < LOCAL_MARGIN * float(risks[0].mean()) else 0
    blend.configure(noise_variance, chosen)
    return risks[chosen].cpu().numpy(), loss.cpu().numpy()


def blend_in_input(network, signals, noise_level, architecture, scores):
    """Fit the blend of a blind-spot `network` on held-out `signals` and put its expected error and the
    input's (the noise variance) in `scores`; return the blind-spot loss per channel (None for a network
    without a blend)."""
    if network.blend is None:
        return None
    radii = BLEND_RADII if noise_level.local_blends else (0,)
    risk, loss = fit_blend(network, signals, noise_level.variance, radii)
    scores[architecture] = float(max(np.mean(risk), 0.0))
    scores["identity"] = float(np.mean(noise_level.variance))
    return loss
