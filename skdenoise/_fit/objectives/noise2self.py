"""``objective="noise2self"``: blind-spot networks, and after training how much of the input to take back.

A blind-spot output ``f`` never sees the sample it predicts. With the noise variance ``s2`` that makes two
things exact in expectation, without clean signals:

- its self-supervised loss ``mean((x - f)**2)`` is its error against the clean signal plus ``s2``;
- for weights ``w`` that do not depend on a sample's own noise, ``f + w (x - f)`` errs against the clean
  signal by ``mean((1 - w)**2 ((x - f)**2 - s2) + w**2 s2)``, and returning the input by ``s2``.

So ``fit`` chooses the blend (:class:`~skdenoise.nn.blend.InputBlend`: one weight per channel, or weights
from the residuals around each sample) with the least expected error on the held-out signals, and
``validation_mse_`` holds that error and the input's ``s2``. ``s2`` is ``noise_std**2`` when the user
knows it, or estimated from the training signals (:mod:`skdenoise._fit.noise_level`), which they do not
always allow: then ``fit`` warns.
"""

import numpy as np
import torch

from ...noise import estimate_white_noise_variance
from ..findings import noise_level_findings
from ..inference import forward_rows
from .base import Objective, Verdict

__all__ = ["BLEND_RADII", "Noise2Self", "fit_blend"]

#: The blends ``fit`` chooses from: 0 is one weight per channel, the others the residuals of that many
#: samples on either side. On the real sets (white noise 0.5, Noise2Self) the best radius was 16 on
#: ACSF1 (+10.2 dB where one weight gave +6.0) and 0 on BasicMotions and on PickupGesture's spikes.
BLEND_RADII = (0, 4, 8, 16, 32)
#: A local blend is chosen over one weight per channel only below this fraction of its expected error. The
#: outputs next to a sample saw its noise, so local weights depend on it a little and their expected error
#: reads low: by up to 25% for the blind-spot MLP, whose every output sees every other sample.
LOCAL_MARGIN = 0.8
def fit_blend(network, signals, noise_variance, *, radii=BLEND_RADII):
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


class Noise2Self(Objective):
    """Blind-spot networks (a user's class masked) trained to reproduce their noisy input, which they never see
    at the sample they predict; judged by the expected error of the blend that takes some of the input back.

    It needs the noise variance for the blend, and errs towards the input where the level is doubtful.
    """

    name = "noise2self"
    noisy_only = True
    blind_spot = True

    def own_level(self, level):
        """Chosen for noise of any kind, the level of every window, which counts spikes whole (ACSF1 with
        spikes that the wavelet details miss: +7.3 dB, +2.9 without the roughest windows), made cautious."""
        return self.given_level(level.counting_spikes())

    def given_level(self, level):
        return level.cautious()

    def noise_floor(self, X, y, noise_variance=None):
        """The noise variance (per channel; estimated from `X` without one)."""
        if noise_variance is None:
            noise_variance = estimate_white_noise_variance(X)[0]
        return float(np.mean(noise_variance))

    def judge(self, plan, network, check, race_loss=None, denoise=None):
        """The blend of least expected error fitted on the held-out signals (the network's output depends on
        it), and that error; where the level its blind-spot loss cannot support, a finding. A user's masked
        network, without a blend: its loss less the noise variance."""
        level = plan.noise_level
        if network.blend is None:
            loss = race_loss if race_loss is not None else super().judge(plan, network, check, None, denoise).error
            return Verdict(max(loss - float(np.mean(level.variance)), 0.0))
        radii = BLEND_RADII if level.local_blends else (0,)
        risk, loss = fit_blend(network, check[0], level.variance, radii=radii)
        return Verdict(float(max(np.mean(risk), 0.0)), tuple(noise_level_findings(level, loss)))

    def input_error(self, check, level):
        """The noise variance: the error of returning the noisy input."""
        return float(np.mean(level.variance))
