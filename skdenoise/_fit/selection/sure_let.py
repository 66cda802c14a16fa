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
    """The :class:`Mixture` weights of least Stein's estimate on held-out `noisy` signals (an array ``(n, C, L)``,
    or a list of such arrays, weighted by their sizes) and that estimate (mean over channels), and each
    candidate's own: `candidates` maps each member's name to a function of float32 signals.

    Returns
    -------
    weights : ndarray of shape (C, K), in the order of `candidates`
    estimate : float
    alone : ndarray of shape (K,)
        Each candidate's estimate as it is (mean over channels), on the same signals and probes.
    """
    names = list(candidates)
    pieces = [np.asarray(piece, dtype=np.float64) for piece in (noisy if isinstance(noisy, list) else [noisy])]
    total = sum(piece.size for piece in pieces)
    outputs, divergence = [], 0.0  # outputs: per piece, (K, n, C, L)
    for piece in pieces:
        parts = [stein_parts(candidates[name], piece, std, exponent) for name in names]
        outputs.append(np.stack([output for output, _ in parts]))
        divergence = divergence + np.stack([terms for _, terms in parts]) * piece.size / total  # (K, C)
    n_channels = pieces[0].shape[1]
    weights, estimates = np.zeros((n_channels, len(names))), np.zeros(n_channels)
    alone = np.zeros((n_channels, len(names)))
    for channel in range(n_channels):
        o = np.concatenate([output[:, :, channel].reshape(len(names), -1) for output in outputs], axis=1)
        y = np.concatenate([piece[:, channel].ravel() for piece in pieces])
        gram, cross = o @ o.T / o.shape[1], o @ y / o.shape[1]
        weights[channel], sure = _best_weights(gram, cross - divergence[:, channel])
        # what stein_mse subtracts (the mean variance per channel), so that the estimates compare
        offset = np.mean(np.square(y)) - _mean_variance(std, pieces[0].shape)[channel]
        estimates[channel] = sure + offset
        alone[channel] = np.diag(gram) - 2 * (cross - divergence[:, channel]) + offset
    return weights, float(np.mean(estimates)), alone.mean(axis=0)


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
