"""Blind-spot versions of the classical filters: an output that never sees the sample it stands for.

Batson and Royer's Noise2Self (2019) makes any denoiser ``f`` blind at a set of samples ``J`` by replacing them
with an interpolation of their neighbours before denoising, and reading its output there only; a grid of such
sets covering every sample gives a denoiser whose output at each sample is independent of that sample's noise
(J-invariant). For noise independent from sample to sample, of mean zero and of any level (one that changes
along time too), such a denoiser's self-supervised loss ``mean((x - f(x))**2)`` is its error against the clean
signal plus the noise variance: the same constant for every blind-spot denoiser, so their losses rank them
without the noise level.
"""

import numpy as np

__all__ = ["BLIND_SPOT_STRIDE", "blind_spot_output"]

#: Every this many samples are replaced together, by the mean of their two neighbours (which are then never
#: replaced themselves): four passes of the filter, each seeing three quarters of the samples as they are.
BLIND_SPOT_STRIDE = 4


def blind_spot_output(denoise, signals, stride=BLIND_SPOT_STRIDE):
    """``denoise`` made blind at every sample of float64 `signals` ``(n, C, L)``: at each sample, its output on
    the signals with that sample (and every `stride`-th one from it) replaced by the mean of its neighbours.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.baselines.blind_spot import blind_spot_output
    >>> x = np.zeros((1, 1, 9))
    >>> x[0, 0, 4] = 1.0  # an impulse: the blind identity never returns it where it is
    >>> blind_spot_output(lambda s: s.copy(), x)[0, 0]
    array([0. , 0. , 0. , 0.5, 0. , 0.5, 0. , 0. , 0. ])
    """
    length = signals.shape[-1]
    if length < 2:  # no neighbour to stand for the sample
        return np.zeros_like(signals)
    neighbours = np.empty_like(signals)
    neighbours[..., 1:-1] = (signals[..., :-2] + signals[..., 2:]) / 2
    neighbours[..., 0], neighbours[..., -1] = signals[..., 1], signals[..., -2]
    out = np.empty_like(signals)
    for start in range(min(stride, length)):
        masked = signals.copy()
        masked[..., start::stride] = neighbours[..., start::stride]
        out[..., start::stride] = denoise(masked)[..., start::stride]
    return out
