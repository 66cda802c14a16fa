"""What an objective decides, in one contract: the plan resolves the ``objective`` parameter once into an
:class:`Objective` (:mod:`skdenoise._fit.objectives`), and the plan, the trainer and the races ask it, never its
name.

An objective says which targets it learns from (clean ones, a second noisy copy, the noisy inputs themselves),
how it makes training pairs and batches of them, which network variant it needs (blind-spot or not), the
noise level it needs and how it takes it, how a candidate it trained is judged on held-out data (a
:class:`Verdict`), and what returning the input costs there.
"""

import dataclasses

import numpy as np

from ...metrics import stein_mse
from ..inference import forward_rows
from ..measures import mean_squared_error

__all__ = ["Objective", "SETTLE_CLEAN_TARGETS", "SETTLE_NOISY_TARGETS", "Verdict", "held_out_risk"]

#: With clean targets the validation loss improves from the one-cycle warm-up on (30% of the epochs). With
#: noisy targets (Noise2Noise, Noise2Self, recorruption) the noise in the gradients keeps it flat until the rate
#: has fallen well below its peak, which it has after 70% of the schedule: early stopping never stops before.
SETTLE_CLEAN_TARGETS, SETTLE_NOISY_TARGETS = 0.3, 0.7


@dataclasses.dataclass(frozen=True)
class Verdict:
    """How a trained candidate did on held-out data: its error against the clean signals (or an unbiased
    estimate of it), and what judging it found (findings to report)."""

    error: float
    findings: tuple = ()


class Objective:
    """The contract of an objective: class attributes say what it is, methods what it decides.

    Objectives hold no state: two instances of one class are equal, and the registry keeps one of each.
    """

    #: The ``objective`` parameter's value.
    name = None
    #: Learns from the noisy signals alone: ``fit`` takes no ``y`` (the targets are the inputs).
    noisy_only = False
    #: Its targets are clean signals: the noise ``X - y`` can be rescaled, and the levels at which the model
    #: helps measured.
    clean_targets = False
    #: Its targets carry noise of their own (a second noisy recording): the MLP gets a wider bottleneck.
    noisy_targets = False
    #: Built-in architectures train as their blind-spot versions, a user's class with masking.
    blind_spot = False
    #: The share of the epochs after which early stopping counts epochs without improvement.
    settle = SETTLE_NOISY_TARGETS
    #: Chooses among objectives and classical filters (the self-supervised race) instead of training one.
    chooses_method = False

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __repr__(self):
        return f"{type(self).__name__}()"

    # ------------------------------------------------------------------ the noise level
    def own_level(self, level):
        """The :class:`~skdenoise._fit.noise_level.NoiseLevel` this objective trains with when the user chose it,
        from the level read off the training signals (or given)."""
        return self.given_level(level)

    def given_level(self, level):
        """The level this objective trains with when a race hands it one."""
        return level

    # ------------------------------------------------------------------ training pairs and batches
    def training_pairs(self, signals, targets, groups=None):
        """The pairs ``(inputs, targets, groups)`` it trains on, from the validated signals and targets."""
        return signals, targets, groups

    def scaled_targets(self, inputs):
        """The targets a min-max output step must fit (``output="auto"`` reads them)."""
        return [inputs.targets]

    def recorruption(self, level, seed):
        """The transform of its batches (a :class:`~skdenoise._fit.objectives.recorrupted.Recorruption`), or
        None for batches as they are."""
        return None

    # ------------------------------------------------------------------ judging
    def race_pairs(self, plan, check):
        """The held-out pairs the architecture race compares candidates on (the same for every candidate)."""
        return check

    def noise_floor(self, X, y, noise_variance=None):
        """The MSE against targets `y` of inputs `X` that no network can go below (the race's cut-off compares
        what lies above it)."""
        return 0.0

    def judge(self, plan, network, check, race_loss=None, denoise=None):
        """The :class:`Verdict` of a trained `network` on held-out pairs `check` ``(X, y)``: by default its MSE
        against the targets (its `race_loss`, where the race measured it on `check`); `denoise` runs it (by
        default, its forward pass)."""
        if race_loss is not None and denoise is None:
            return Verdict(race_loss)
        return Verdict(held_out_risk(denoise or _forward(network), check))

    def input_error(self, check, level):
        """What returning the noisy inputs costs on `check`, on the scale of :meth:`judge`; None where it does
        not apply (targets of another shape)."""
        X, y = check
        return mean_squared_error(X, y) if np.shape(X)[1:] == np.shape(y)[1:] else None


def held_out_risk(denoise, check, noise=None):
    """A denoiser's estimated MSE against the clean signals on held-out pairs `check` ``(X, y)``: the plain MSE
    against clean (or second noisy) targets, or, for targets that are the noisy inputs themselves (or the
    inputs with their spikes taken out, whose noise is gaussian), Stein's estimate on the targets for `noise`
    ``(std per channel, exponent)``, averaged over channels."""
    X, y = check
    if noise is None:
        return float(np.mean(np.square(np.asarray(denoise(X), dtype=np.float64) - y)))
    return float(np.mean(stein_mse(denoise, y, *noise)))


def _forward(network):
    return lambda signals: forward_rows(network, signals)
