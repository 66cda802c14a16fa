"""Training networks, and the race of ``architecture="auto"``: each candidate on the same split, the best kept.

Candidates are compared by their MSE on the held-out signals. A candidate that trains after a leader is
checked once, after 30% of its training (at most 3 million time steps): if its error above the noise floor
is still 1.5x the leader's, it stops there and drops out, so a network that cannot win costs a fraction of
its training.
"""

import dataclasses

import torch

from ..inference import forward_rows
from ..measures import mean_squared_error
from ..plan import CUTOFF_STEPS, NOISE_SCALING_BUDGET
from ..training.building import build_network
from ..training.callbacks import MEASURE_ROWS, CandidateCutoff
from ..training.net import make_net

__all__ = ["Race", "Trained", "race_architectures", "train_network"]

#: The share of a candidate's planned training after which it is compared with the leader.
CUTOFF_SHARE = 0.3


@dataclasses.dataclass(frozen=True)
class Trained:
    """A trained network: its architecture, its skorch net and the schedule it trained on."""

    architecture: object
    net: object
    schedule: object

    @property
    def interrupted(self):
        """Whether Ctrl-C ended its training before the end."""
        return bool(getattr(self.net, "interrupted_", False))


@dataclasses.dataclass(frozen=True)
class Race:
    """The architecture race's outcome: every candidate that trained to the end (a :class:`Trained` by
    architecture, the winner first), their losses on the held-out pairs the objective compares them on
    (:meth:`~skdenoise._fit.objectives.base.Objective.race_pairs`), and whether Ctrl-C ended it."""

    trained: dict
    losses: dict
    interrupted: bool = False

    @property
    def winner(self):
        return next(iter(self.trained.values()))


def race_architectures(plan, data, seed):
    """Train the plan's candidates in order on `data`: a :class:`Race`.

    An interrupted candidate ends the race: it is dropped behind a leader that finished, kept (a usable network,
    as skorch leaves it) where it is the first.
    """
    trained, losses, leader, candidate = {}, {}, None, None
    pairs = plan.objective.race_pairs(plan, data.check)
    for architecture in plan.candidates:
        candidate = train_network(plan, architecture, data, seed=seed, leader=leader)
        if candidate is None:
            continue
        if candidate.interrupted and leader is not None:
            break
        trained[architecture] = candidate
        losses[architecture] = mean_squared_error(forward_rows(candidate.net.module_, pairs[0], MEASURE_ROWS),
                                                  pairs[1])
        if leader is None or losses[architecture] < losses[leader.architecture]:
            leader = candidate
        if candidate.interrupted:
            break
    interrupted = candidate is not None and candidate.interrupted
    return Race({leader.architecture: leader, **trained}, losses, interrupted)


def train_network(plan, architecture, data, *, seed, leader=None):
    """Train one architecture on `data` (a :class:`~skdenoise._fit.training.data.TrainingData`); None when it was cut
    off behind the `leader`."""
    X, y = data.stats
    network = build_network(plan.network, architecture, data.shape, out_shape=data.target_shape, output=plan.output,
                            seed=seed, X=X, y=y)
    schedule = plan.schedule(architecture, data.lengths, data.shape, target_shape=data.target_shape,
                             n_distinct=data.n_distinct, window_length=data.window_length)
    callbacks = []
    if leader is not None:
        cutoff = _cutoff(plan, schedule, data, leader=leader)
        callbacks.append(("cutoff", cutoff))
    net = make_net(plan, network, schedule, seed=seed, train_split=data.train_split(), callbacks=callbacks)
    if leader is not None:
        cutoff.X = cutoff.X.to(net.device)
    net.fit(data.dataset(net.device, schedule.window_repeats), None)
    if leader is not None and dict(net.callbacks_)["cutoff"].cut_:
        if plan.verbose:
            print(f"architecture={architecture!r} stopped: behind {leader.architecture!r} after {cutoff.steps_} "
                  f"training time steps (MSE {cutoff.mse_:.3g}).")
        return None
    return Trained(architecture, net, schedule)


def _cutoff(plan, schedule, data, *, leader):
    """The callback that stops a candidate still 1.5x behind `leader` after 30% of its training."""
    X, y = (torch.from_numpy(array[:256]) for array in plan.objective.race_pairs(plan, data.check))
    planned = schedule.max_epochs * schedule.windows_per_epoch * (schedule.window_length or data.shape[-1])
    leader_mse = mean_squared_error(forward_rows(leader.net.module_, X, MEASURE_ROWS), y.numpy())
    # A budget stretched by noise scaling stretches the schedule: compare at the same point of it.
    cap = CUTOFF_STEPS * (1 if schedule.noise_scale_range is None else NOISE_SCALING_BUDGET)
    variance = None if plan.noise_level is None else plan.noise_level.variance
    floor = plan.objective.noise_floor(X.numpy(), y.numpy(), variance)
    return CandidateCutoff(X, y, leader_mse=leader_mse, after_steps=min(CUTOFF_SHARE * planned, cap), floor=floor)
