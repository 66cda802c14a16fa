"""Noise2Self after training: the noise level, how much of the input to take back, and the expected error.

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

from .inference import forward_rows

__all__ = ["BLEND_RADII", "blend_in_input", "fit_blend"]

#: The blends ``fit`` chooses from: 0 is one weight per channel, the others the residuals of that many
#: samples on either side. On the real sets (white noise 0.5, Noise2Self) the best radius was 16 on
#: ACSF1 (+10.2 dB where one weight gave +6.0) and 0 on BasicMotions and on PickupGesture's spikes.
BLEND_RADII = (0, 4, 8, 16, 32)
#: A local blend is chosen over one weight per channel only below this fraction of its expected error. The
#: outputs next to a sample saw its noise, so local weights depend on it a little and their expected error
#: reads low: by up to 25% for the blind-spot MLP, whose every output sees every other sample.
LOCAL_MARGIN = 0.8
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
