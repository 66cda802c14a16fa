"""The weights of a mixture of the self-supervised race's candidates, by Stein's unbiased risk estimate
(SURE-LET); the mixture itself is :class:`~skdenoise._fit.model.mixture.Mixture`.

The candidates (the network, the wavelet, Savitzky-Golay and Wiener filters, the noisy input) err in different places:
a network trained on few recordings where a filter's fixed shape fits, a filter where the signals are sharp.
Stein's estimate of a weighted sum of denoisers is linear in each one's divergence term, so the weights of
least estimated error on the held-out signals follow from each candidate's output and divergence alone
(Blu and Luisier's SURE-LET, 2007): per channel, non-negative weights (a mixture never subtracts a
candidate, whose differences would then be amplified on new signals), chosen among every subset of the
candidates. A candidate alone, as it is, is one of the choices, so the mixture's estimate is never above the
best candidate's.
"""

import itertools

import numpy as np

from ...metrics import _mean_variance, stein_parts

__all__ = ["fit_mixture"]


def fit_mixture(candidates, noisy, std, exponent=0.0):
    """The :class:`Mixture` weights of least Stein's estimate on held-out `noisy` signals ``(n, C, L)`` and that
    estimate (mean over channels): `candidates` maps each member's name to a function of float32 signals.

    Returns
    -------
    weights : ndarray of shape (C, K), in the order of `candidates`
    estimate : float
    """
    names = list(candidates)
    parts = {name: stein_parts(candidates[name], noisy, std, exponent) for name in names}
    outputs = np.stack([parts[name][0] for name in names])  # (K, n, C, L)
    divergence = np.stack([parts[name][1] for name in names])  # (K, C)
    y = np.asarray(noisy, dtype=np.float64)
    variance = _mean_variance(std, y.shape)  # what stein_mse subtracts, so that the estimates compare
    weights = np.zeros((y.shape[1], len(names)))
    estimates = np.zeros(y.shape[1])
    for channel in range(y.shape[1]):
        o = outputs[:, :, channel].reshape(len(names), -1)
        gram, cross = o @ o.T / o.shape[1], o @ y[:, channel].ravel() / o.shape[1]
        weights[channel], sure = _best_weights(gram, cross - divergence[:, channel])
        estimates[channel] = sure + np.mean(np.square(y[:, channel])) - variance[channel]
    return weights, float(np.mean(estimates))


def _best_weights(gram, target):
    """Non-negative weights ``w`` of least ``w' G w - 2 w' t`` (the part of Stein's estimate that depends on
    them): the best of every subset's unconstrained solution that stays non-negative, and of each candidate
    alone at weight 1."""
    def risk(w):
        return w @ gram @ w - 2 * w @ target

    k = len(target)
    singles = np.eye(k)  # each candidate as it is
    best = min(singles, key=risk)
    best_value = risk(best)
    ridge = 1e-9 * np.trace(gram) / k
    for size in range(1, k + 1):
        for subset in itertools.combinations(range(k), size):
            rows = list(subset)
            try:
                solution = np.linalg.solve(gram[np.ix_(rows, rows)] + ridge * np.eye(size), target[rows])
            except np.linalg.LinAlgError:
                continue
            if np.any(solution < 0):
                continue
            w = np.zeros(k)
            w[rows] = solution
            value = risk(w)
            if value < best_value:
                best, best_value = w, value
    return best, best_value
