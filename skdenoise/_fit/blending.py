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
import numbers

import numpy as np
import torch

from ..exceptions import NoiseLevelWarning, report
from ..noise import LEVEL_CHECK_ROWS, MIN_NOISE_FLATNESS, estimate_noise_variance, estimate_white_noise_variance
from .callbacks import predict_rows

__all__ = ["BLEND_RADII", "NoiseLevel", "blend_in_input", "check_noise_std", "fit_blend", "report_noise_level",
           "resolve_noise_level"]

#: The blends ``fit`` chooses from: 0 is one weight per channel, the others the residuals of that many
#: samples on either side. On the real sets (white noise 0.5, Noise2Self) the best radius was 16 on
#: ACSF1 (+10.2 dB where one weight gave +6.0) and 0 on BasicMotions and on PickupGesture's spikes.
BLEND_RADII = (0, 4, 8, 16, 32)
#: fit warns of a noise variance above the noise when the blind-spot loss is below this fraction of it (both
#: vary by a few per cent with the signals held out; a network that predicts 0 on pure noise has a loss of
#: about the variance).
LOSS_TOLERANCE = 0.9
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


def check_noise_std(noise_std, objective):
    """Check the `noise_std` parameter (before any data is seen), raising ValueError naming it."""
    if isinstance(noise_std, str) and noise_std == "auto":
        return
    values = np.asarray(noise_std, dtype=object) if not isinstance(noise_std, str) else None
    valid = (values is not None and values.ndim <= 1 and values.size > 0
             and all(isinstance(v, numbers.Real) and not isinstance(v, bool) and np.isfinite(v) and v > 0
                     for v in values.ravel()))
    if not valid:
        raise ValueError(f"noise_std must be 'auto', a number > 0 or one number > 0 per channel, got {noise_std!r}.")
    if objective != "noise2self":
        raise ValueError(f"noise_std={noise_std!r} is the noise level of Noise2Self's signals; objective="
                         f"{objective!r} measures the noise against its targets y: leave noise_std='auto'.")


def resolve_noise_level(noise_std, signals):
    """The :class:`NoiseLevel` of training `signals` ``(n, C, L)`` (or a list of ``(C, L)``)."""
    n_channels = np.shape(signals[0])[0]
    core = np.mean([estimate_noise_variance(np.asarray(row)) for row in signals[:LEVEL_CHECK_ROWS]], axis=0)
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
    blend.radius.zero_()
    blend.weight.zero_()  # the network's own output first
    blend.noise_variance.copy_(torch.as_tensor(noise_variance, dtype=torch.float32).view(1, -1, 1))
    x = torch.from_numpy(np.ascontiguousarray(signals, dtype=np.float32)).to(device)
    f = torch.from_numpy(predict_rows(network, x)).to(device)
    squares = (x - f).double().square()
    loss = squares.mean(dim=(0, 2))
    noise = blend.noise_variance.double()
    risks = {}
    for radius in radii:
        blend.radius.fill_(radius)
        if radius == 0:
            blend.weight.copy_((1 - noise.flatten() / loss.clamp_min(1e-30)).clamp(0, 1).view(1, -1, 1))
        w = blend.weights(x, f).double()
        risks[radius] = ((1 - w).square() * (squares - noise) + w.square() * noise).mean(dim=(0, 2))
    local = min((r for r in risks if r != 0), key=lambda r: float(risks[r].mean()), default=0)
    chosen = local if 0 not in risks or float(risks[local].mean()) < LOCAL_MARGIN * float(risks[0].mean()) else 0
    blend.radius.fill_(chosen)
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


def report_noise_level(action, level, loss):
    """Warn (``on_harm``) where Noise2Self cannot know that it beats the input: an estimated noise level the
    signals do not support, or a noise level above the blind-spot `loss` (which is the error plus it)."""
    channels = ", ".join(str(c) for c in np.flatnonzero(loss < LOSS_TOLERANCE * level.variance))
    if channels:
        source = "noise_std" if level.given else "the estimated noise variance"
        report(action, NoiseLevelWarning,
               f"{source} ({_values(level.variance)}) is above the blind-spot network's held-out loss "
               f"({_values(loss)}) on channel(s) {channels}, which in expectation is its error plus the noise "
               f"variance: the noise is smaller than that, or correlated (a blind spot then predicts part of it), "
               f"and the blend, leaning on the network, may do worse than the noisy input. Give the right "
               f"noise_std; for correlated noise, record a second copy and use objective='noise2noise'.",
               stacklevel=3)
    elif not level.given and np.any(level.flatness < MIN_NOISE_FLATNESS):
        flat = np.flatnonzero(level.flatness < MIN_NOISE_FLATNESS)
        report(action, NoiseLevelWarning,
               f"These signals do not tell their noise level (channel(s) {', '.join(map(str, flat))}): they vary "
               f"as much as noise at every scale of a 16-sample window, or the noise is correlated (the "
               f"smallest eigenvalues of their windows' covariance are not flat: {_values(level.flatness)}, "
               f"under {MIN_NOISE_FLATNESS}). The denoised signals may be worse than the noisy ones. Give "
               f"noise_std if you know it, or record a second copy and use objective='noise2noise'.",
               stacklevel=3)


def _values(array):
    return ", ".join(f"{v:.3g}" for v in np.ravel(array))
