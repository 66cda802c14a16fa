"""A mixture of denoisers, per channel: what the self-supervised race keeps where a weighted sum of its
candidates has a lower estimated error than any of them (:mod:`skdenoise._fit.selection.sure_let`)."""

import dataclasses

import numpy as np

from ..._blocks import blockwise

__all__ = ["INPUT", "Mixture", "NETWORK"]

#: The members of a mixture that are not filters: the fitted model's network, and the noisy input.
NETWORK, INPUT = "network", "identity"


@dataclasses.dataclass(frozen=True)
class Mixture:
    """``sum_k weights[c, k] * members[k](signals)`` per channel ``c``.

    Attributes
    ----------
    members : tuple of str
        :data:`NETWORK`, :data:`INPUT`, or a filter's name in `filters`.
    weights : ndarray of shape (C, K)
    filters : dict
        The fitted classical filters by name (:mod:`skdenoise.baselines`).
    """

    members: tuple
    weights: np.ndarray
    filters: dict = dataclasses.field(default_factory=dict)

    def denoise(self, signals, network):
        """The mixture's float32 output on float32 `signals` ``(n, C, L)``; `network` runs the model's network."""
        out = np.zeros(signals.shape, dtype=np.float32)
        for k, member in enumerate(self.members):
            weight = self.weights[:, k].reshape(1, -1, 1).astype(np.float32)
            if not np.any(weight):
                continue
            # one member at a time, in float32, weighted in place: a long recording is held a few times over
            if member == INPUT:
                out += weight * signals
            elif member == NETWORK:
                output = network(signals)
                output *= weight
                out += output
            else:  # float32 in, float32 out; a long recording a block at a time
                blockwise(self.filters[member].transform, signals, add_to=out, weight=weight)
        return out

    def weighs(self, member):
        """Whether `member` has a weight above 0 in some channel."""
        return member in self.members and bool(np.any(self.weights[:, self.members.index(member)] > 0))

    def describe(self):
        """The members with their weights (averaged over channels), the heaviest first."""
        weights = self.weights.mean(axis=0)
        order = np.argsort(-weights)
        return ", ".join(f"{weights[k]:.2f} {self.members[k]}" for k in order if weights[k] > 0)
