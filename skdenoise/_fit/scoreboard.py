"""The held-out scores of a fit, in one place: each candidate's error against the clean signals on held-out
data, or an estimate of it (:class:`~skdenoise._fit.objectives.base.Verdict`).

The candidates are the architectures that trained to the end, the sliding twin (``"other lengths"``), the
classical filters of the self-supervised race, and the noisy input itself (``"identity"``). A
:class:`Scoreboard` is written only here, by its methods, each returning a new board; the fitted model holds
the last, and ``validation_mse_`` is a copy of it.
"""

import collections.abc
import types

__all__ = ["IDENTITY", "OTHER_LENGTHS", "Scoreboard"]

#: The score of returning the noisy input, and of the sliding twin (signals of other lengths).
IDENTITY, OTHER_LENGTHS = "identity", "other lengths"


class Scoreboard(collections.abc.Mapping):
    """Held-out errors by candidate, read only.

    Parameters
    ----------
    scores : mapping, optional
        Errors by candidate name (an architecture, a filter's name, :data:`IDENTITY`, :data:`OTHER_LENGTHS`).

    Examples
    --------
    >>> from skdenoise._fit.scoreboard import Scoreboard
    >>> board = Scoreboard({"conv": 0.01}).with_identity(0.25)
    >>> dict(board), board.best(["conv", "identity"])
    ({'conv': 0.01, 'identity': 0.25}, 'conv')
    """

    def __init__(self, scores=None):
        self._scores = types.MappingProxyType({name: float(score) for name, score in dict(scores or {}).items()})

    @classmethod
    def of_verdicts(cls, verdicts):
        """The board of ``{candidate: Verdict}``."""
        return cls({name: verdict.error for name, verdict in verdicts.items()})

    def __getitem__(self, name):
        return self._scores[name]

    def __iter__(self):
        return iter(self._scores)

    def __len__(self):
        return len(self._scores)

    def __repr__(self):
        return f"Scoreboard({dict(self._scores)!r})"

    def __reduce__(self):  # pickled as its scores (a mapping proxy cannot be)
        return type(self), (dict(self._scores),)

    def with_scores(self, scores):
        """This board and `scores` ``{candidate: error}``, which replace any of the same name."""
        return type(self)({**self._scores, **scores})

    def with_identity(self, error):
        """With what returning the noisy input costs (nothing where `error` is None: it does not apply)."""
        return self if error is None else self.with_scores({IDENTITY: error})

    def with_other_lengths(self, error):
        """With the sliding twin's error, at other lengths than the training signals'."""
        return self.with_scores({OTHER_LENGTHS: error})

    def best(self, names):
        """Of `names` on the board, the one of least error (the first listed on a tie)."""
        return min((name for name in names if name in self), key=self._scores.get)
