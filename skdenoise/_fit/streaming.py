"""Streaming: ``partial_fit`` trains one pass per call on batches that arrive one at a time.

The first call builds the network from its batch; later calls continue the net of the earlier ones, or, after
``fit``, a streaming net that starts from fit's weights and optimizer state.
"""

import dataclasses

import numpy as np
import torch
from skorch.dataset import Dataset
from sklearn.utils import check_consistent_length

from .._validation import is_collection, validate_signals, validate_targets, validate_y
from .building import resolve_output
from .data import both_directions
from .selection import race_candidates
from .training import masking, plan_training


@dataclasses.dataclass
class StreamStep:
    """One call's batch and the net that trains on it."""

    net: object
    architecture: object
    output: object
    signals: np.ndarray
    targets: np.ndarray
    target_shape: tuple


def stream_step(estimator, X, y):
    """Validate the batch ``X, y`` and find the net to train on it (a new one on the first call)."""
    if is_collection(X):
        raise ValueError("partial_fit takes batches of equal-length signals (2-D or 3-D arrays), not a list of "
                         "recordings; fit takes a list, or cut the recordings into windows for a stream.")
    if not hasattr(estimator, "net_"):
        return _first_step(estimator, X, y)
    signals, _ = validate_signals(estimator, X, reset=False)
    targets, target_shape = _validate_more_targets(estimator, signals, estimator._targets(X, y))
    signals, targets, _ = both_directions(estimator.objective, signals, targets)
    net = estimator.net_ if estimator._streaming else _continue_after_fit(estimator, signals, targets)
    return StreamStep(net, estimator.architecture_, estimator.output_, signals, targets, target_shape)


def train_one_pass(step):
    """One epoch of the step's net over its batch, weights and optimizer state kept."""
    net = step.net
    with masking(net.module):
        net.partial_fit(Dataset(torch.from_numpy(step.signals).to(net.device),
                                torch.from_numpy(step.targets).to(net.device)), None, epochs=1)


def _first_step(estimator, X, y):
    signals, targets, target_shape, _ = validate_targets(estimator, X, estimator._targets(X, y))
    signals, targets, _ = both_directions(estimator.objective, signals, targets)
    output = resolve_output(estimator.output, estimator.objective, targets)
    # A stream cannot race two networks: the last candidate is the U-Net for denoising, the MLP otherwise.
    architecture = race_candidates(estimator.architecture, signals.shape[1:] == targets.shape[1:])[-1]
    seed = estimator._seed()
    module = estimator._build_module(architecture, signals.shape[1:], targets.shape[1:], output, seed,
                                     signals, targets)
    net = estimator._build_net(module, _streaming_plan(estimator, architecture, signals, targets, output), output,
                               seed, streaming=True)
    return StreamStep(net, architecture, output, signals, targets, target_shape)


def _streaming_plan(estimator, architecture, signals, targets, output):
    """The plan of a streaming net: whole signals, one pass over the batch per call."""
    plan = plan_training(estimator, architecture, [signals.shape[-1]] * len(signals), signals.shape[1:],
                         targets.shape[1:], output)
    return dataclasses.replace(plan, window_length=None, windows_per_epoch=len(signals))


def _continue_after_fit(estimator, signals, targets):
    """A streaming net that starts from the weights and optimizer state of `fit`, at the rate `lr`.

    A fresh Adam would move every weight by about `lr` in its first steps, whatever the gradient: a
    jolt to a converged model. Its moment estimates from `fit` keep the first steps in proportion.
    """
    plan = _streaming_plan(estimator, estimator.architecture_, signals, targets, estimator.output_)
    net = estimator._build_net(estimator.net_.module_, plan, estimator.output_, estimator._seed(),
                               streaming=True).initialize()
    try:
        net.optimizer_.load_state_dict(estimator.net_.optimizer_.state_dict())
    except (ValueError, KeyError, RuntimeError):  # another optimizer (loaded weights): start afresh
        pass
    for group in net.optimizer_.param_groups:
        group["lr"] = estimator.lr
    net.history_ = estimator.net_.history_
    return net


def _validate_more_targets(estimator, signals, y):
    targets, target_shape = validate_y(estimator, y, min_samples=1)
    check_consistent_length(signals, targets)
    if target_shape != estimator.target_shape_:
        raise ValueError(f"y has targets of shape {target_shape}, but the model was fitted on "
                         f"targets of shape {estimator.target_shape_}.")
    return targets, target_shape
