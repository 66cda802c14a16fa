"""The race of ``architecture="auto"``: train each candidate network on the same split, keep the best.

Candidates are compared by their MSE on the held-out signals. A candidate that trains after a leader is
checked once, after 30% of its training (at most 3 million time steps): if its error above the noise floor
is still 1.5x the leader's, it stops there and drops out, so a network that cannot win costs a fraction of
its training.
"""

import torch

from .callbacks import CandidateCutoff, mean_squared_error, noise_floor, predict_rows
from .distributed import current_shard
from .training import CUTOFF_STEPS, NOISE_SCALING_BUDGET, masking, plan_training, verbose

__all__ = ["race", "race_candidates", "train_network"]


def race_candidates(architecture, same_shape):
    """The architectures `fit` trains, in order; "auto" races the MLP and the U-Net on denoising tasks."""
    if architecture != "auto":
        return [architecture]
    return ["mlp", "conv"] if same_shape else ["mlp"]


def race(estimator, candidates, data, output, seed, noise_variance=None):
    """Train `candidates` (architectures) in order; return the winner's name, its skorch net and the
    held-out MSE of every candidate that trained to the end. `noise_variance` (per channel) is the noise
    floor of Noise2Self's candidates."""
    leader, scores = None, {}
    for architecture in candidates:
        net = train_network(estimator, architecture, data, output, seed, leader, noise_variance)
        if net is None:
            continue
        outputs = predict_rows(net.module_, torch.from_numpy(data.check[0]).to(net.device))
        scores[architecture] = mean_squared_error(outputs, data.check[1])
        if leader is None or scores[architecture] < scores[leader[0]]:
            leader = (architecture, net)
    return leader[0], leader[1], scores


def train_network(estimator, architecture, data, output, seed, leader=None, noise_variance=None):
    """Train one architecture on `data`; None when it was cut off behind the `leader` ``(name, net)``."""
    module = estimator._build_module(architecture, data.shape, data.target_shape, output, seed, *data.stats)
    plan = plan_training(estimator, architecture, data.lengths, data.shape, data.target_shape, output,
                         data.n_distinct, data.window_length)
    callbacks = []
    if leader is not None:
        X, y = (torch.from_numpy(array[:256]) for array in data.check)
        planned = plan.max_epochs * plan.windows_per_epoch * (plan.window_length or data.shape[-1])
        leader_mse = mean_squared_error(predict_rows(leader[1].module_, X.to(leader[1].device)), y.numpy())
        # A budget stretched by noise scaling stretches the schedule: compare at the same point of it.
        cap = CUTOFF_STEPS * (1 if plan.noise_scale_range is None else NOISE_SCALING_BUDGET)
        cutoff = CandidateCutoff(X, y, leader_mse=leader_mse, after_steps=min(0.3 * planned, cap),
                                 floor=noise_floor(X.numpy(), y.numpy(), estimator.objective, noise_variance))
        callbacks.append(("cutoff", cutoff))
    net = estimator._build_net(module, plan, output, seed, data.train_split(), callbacks=callbacks)
    if leader is not None:
        cutoff.X = cutoff.X.to(net.device)
    with masking(net.module):
        net.fit(data.dataset(net.device), None)
    if leader is not None and dict(net.callbacks_)["cutoff"].cut_:
        if verbose(estimator, current_shard()):
            print(f"architecture={architecture!r} stopped: behind {leader[0]!r} after {cutoff.steps_} training "
                  f"time steps (MSE {cutoff.mse_:.3g}).")
        return None
    return net
