"""Training networks, and the race of ``architecture="auto"``: each candidate on the same split, the best kept.

Candidates are compared by their MSE on the held-out signals. A candidate that trains after a leader is
checked once, after 30% of its training (at most 3 million time steps): if its error above the noise floor
is still 1.5x the leader's, it stops there and drops out, so a network that cannot win costs a fraction of
its training.
"""

import dataclasses

import numpy as np
import torch

from .building import build_network
from .callbacks import MEASURE_ROWS, CandidateCutoff
from .inference import forward_rows
from .measures import mean_squared_error, noise_floor
from .net import make_net
from .plan import CUTOFF_STEPS, NOISE_SCALING_BUDGET

__all__ = ["Trained", "held_out_pairs", "race", "train_network"]

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


def race(plan, data, seed, noise_variance=None):
    """Train the plan's candidates in order on `data`; return every candidate that trained to the end (a
    :class:`Trained` by architecture, the winner first), their held-out losses (:func:`held_out_pairs`), and
    whether Ctrl-C ended the race. `noise_variance` (per channel) is the noise floor of Noise2Self's candidates.

    An interrupted candidate ends the race: it is dropped behind a leader that finished, kept (a usable network,
    as skorch leaves it) where it is the first.
    """
    trained, scores, leader = {}, {}, None
    pairs = held_out_pairs(plan, data.check)
    for architecture in plan.candidates:
        candidate = train_network(plan, architecture, data, seed, leader, noise_variance)
        if candidate is None:
            continue
        if candidate.interrupted and leader is not None:
            break
        trained[architecture] = candidate
        scores[architecture] = mean_squared_error(forward_rows(candidate.net.module_, pairs[0], MEASURE_ROWS),
                                                  pairs[1])
        if leader is None or scores[architecture] < scores[leader.architecture]:
            leader = candidate
        if candidate.interrupted:
            break
    interrupted = candidate is not None and candidate.interrupted
    return {leader.architecture: leader, **trained}, scores, interrupted


def held_out_pairs(plan, check):
    """The held-out pairs networks are compared on: `check` as it is, or recorrupted (the same draws for every
    network) for recorruption training, whose targets are noisy."""
    if plan.recorruption is None:
        return check
    X, y = plan.recorruption(*(torch.from_numpy(np.ascontiguousarray(part)) for part in check),
                             plan.recorruption.validation_generator())
    return X.numpy(), y.numpy()


def train_network(plan, architecture, data, seed, leader=None, noise_variance=None):
    """Train one architecture on `data` (a :class:`~skdenoise._fit.data.TrainingData`); None when it was cut
    off behind the `leader`."""
    network = build_network(plan.network, architecture, data.shape, data.target_shape, plan.output, seed,
                            *data.stats)
    schedule = plan.schedule(architecture, data.lengths, data.shape, data.target_shape, data.n_distinct,
                             data.window_length)
    callbacks = []
    if leader is not None:
        cutoff = _cutoff(plan, schedule, data, leader, noise_variance)
        callbacks.append(("cutoff", cutoff))
    net = make_net(plan, network, schedule, seed, data.train_split(), callbacks=callbacks)
    if leader is not None:
        cutoff.X = cutoff.X.to(net.device)
    net.fit(data.dataset(net.device, schedule.window_repeats), None)
    if leader is not None and dict(net.callbacks_)["cutoff"].cut_:
        if plan.verbose:
            print(f"architecture={architecture!r} stopped: behind {leader.architecture!r} after {cutoff.steps_} "
                  f"training time steps (MSE {cutoff.mse_:.3g}).")
        return None
    return Trained(architecture, net, schedule)


def _cutoff(plan, schedule, data, leader, noise_variance):
    """The callback that stops a candidate still 1.5x behind `leader` after 30% of its training."""
    X, y = (torch.from_numpy(array[:256]) for array in held_out_pairs(plan, data.check))
    planned = schedule.max_epochs * schedule.windows_per_epoch * (schedule.window_length or data.shape[-1])
    leader_mse = mean_squared_error(forward_rows(leader.net.module_, X, MEASURE_ROWS), y.numpy())
    # A budget stretched by noise scaling stretches the schedule: compare at the same point of it.
    cap = CUTOFF_STEPS * (1 if schedule.noise_scale_range is None else NOISE_SCALING_BUDGET)
    # Recorrupted targets carry five times the noise variance: an error in its estimate would swamp the
    # networks' own errors above it (on BasicMotions the U-Net was cut behind the MLP), so they are compared whole.
    floor = 0.0 if plan.recorruption is not None else noise_floor(X.numpy(), y.numpy(), plan.objective, noise_variance)
    return CandidateCutoff(X, y, leader_mse=leader_mse, after_steps=min(CUTOFF_SHARE * planned, cap), floor=floor)
