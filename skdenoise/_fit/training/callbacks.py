"""skorch callbacks that watch training: collapse to a constant, divergence to NaN or inf, early stopping
after a warm-up, and the race's cut-off of a candidate that trails the leader."""

import math

import numpy as np
import torch
from skorch.callbacks import Callback, EarlyStopping

from ...exceptions import CollapseWarning, TrainingDivergedError, report
from ..findings import collapse_message
from ..inference import forward_rows
from ..measures import MIN_SIGNAL_LENGTH, mean_squared_error, measure_collapse
from ..windows import RecordingWindows
from .batching import dataset_tensors
from .distributed import current_shard

__all__ = ["CandidateCutoff", "CollapseMonitor", "DivergenceGuard", "WarmupEarlyStopping"]

#: Rows per forward pass when a callback measures the network during training.
MEASURE_ROWS = 256


class CollapseMonitor(Callback):
    """Record, every epoch, whether the model's output has collapsed to a constant; warn at the end.

    After each epoch it predicts up to `n_signals` validation signals (training signals without a
    validation split) and records ``variance_ratio`` and ``loss_ratio`` (see :func:`measure_collapse`) in
    the history. When training ends it measures the final weights the same way and, if the variance ratio
    is below `min_variance_ratio` or the loss ratio at least `max_loss_ratio`, sets ``collapsed_`` and
    warns with :class:`~skdenoise.CollapseWarning` (``action="warn"``), raises it (``"raise"``) or stays
    silent (``"ignore"``).

    Parameters
    ----------
    min_variance_ratio : float, default=0.01
        Below this, predictions count as constant along time.
    max_loss_ratio : float, default=1.0
        At or above this, the model is no better than predicting each target's mean.
    n_signals : int, default=256
        Signals measured per check.
    action : {"warn", "raise", "ignore"}, default="warn"
        What to do on collapse at the end of training.
    """

    def __init__(self, min_variance_ratio=0.01, max_loss_ratio=1.0, n_signals=256, action="warn"):
        self.min_variance_ratio = min_variance_ratio
        self.max_loss_ratio = max_loss_ratio
        self.n_signals = n_signals
        self.action = action

    def initialize(self):
        self.collapsed_ = False
        self.stats_ = None
        return self

    def _measure(self, net, dataset):
        if isinstance(dataset, RecordingWindows):
            X, y = (torch.from_numpy(array).to(net.device) for array in dataset.sample(self.n_signals))
            indices = None
        else:
            X, y, indices = dataset_tensors(dataset)
        if y is None or y.ndim != 3 or y.shape[-1] < MIN_SIGNAL_LENGTH:
            return None
        rows = torch.arange(min(len(X), self.n_signals)) if indices is None else indices[:self.n_signals]
        rows = rows.to(X.device)
        predictions = forward_rows(net.module_, X.index_select(0, rows), MEASURE_ROWS)
        return measure_collapse(predictions, y.index_select(0, rows).cpu().numpy())

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        stats = self._measure(net, dataset_valid if dataset_valid is not None else dataset_train)
        if stats is not None:
            net.history.record("variance_ratio", stats["variance_ratio"])
            net.history.record("loss_ratio", stats["loss_ratio"])

    def on_train_end(self, net, X=None, y=None, **kwargs):
        self.stats_ = self._measure(net, X)
        if self.stats_ is None or not np.isfinite(self.stats_["variance_ratio"]):
            return
        self.collapsed_ = (self.stats_["variance_ratio"] < self.min_variance_ratio
                           or self.stats_["loss_ratio"] >= self.max_loss_ratio)
        if self.collapsed_:
            report(self.action, CollapseWarning, collapse_message(self.stats_))


class DivergenceGuard(Callback):
    """Stop training at the first NaN or infinite loss, with :class:`~skdenoise.TrainingDivergedError`."""

    def on_batch_end(self, net, batch=None, training=None, loss=None, **kwargs):
        if loss is not None and not math.isfinite(loss.item()):
            self._fail(net, "train" if training else "valid", loss.item())

    def _fail(self, net, phase, value):
        epoch = len(net.history)
        lr = getattr(net, "lr", None)
        raise TrainingDivergedError(
            f"Training diverged: the {phase} loss became {value} in epoch {epoch} (learning rate {lr}). "
            f"Lower lr, check the inputs' scale (input_scaling='standard'), or use optimizer='adam'. "
            f"No weights from this run were kept.")


class WarmupEarlyStopping(EarlyStopping):
    """skorch's ``EarlyStopping`` that never stops before `start_epoch`.

    A one-cycle schedule raises the learning rate for its first 30% of epochs, when the validation loss may
    stall for a while; stopping there, or just after it, would keep an unfinished model. So training goes on
    at least until `start_epoch`; from then on it stops as soon as `patience` epochs have passed since the best
    one, which may lie before `start_epoch` (the best weights are tracked from the first epoch). Counting only
    from `start_epoch` on instead ran every fit with noisy targets (settling at 70% of 60 epochs) for at least
    52 epochs: one recording's network, best at epoch 32 or earlier, trained 10 epochs more for the same weights.

    Parameters
    ----------
    start_epoch : int, default=0
        Epochs before which training is never stopped.
    **kwargs
        Parameters of :class:`skorch.callbacks.EarlyStopping`.
    """

    def __init__(self, start_epoch=0, **kwargs):
        super().__init__(**kwargs)
        self.start_epoch = start_epoch

    def on_epoch_end(self, net, **kwargs):
        misses = self.misses_
        self.misses_ = -1  # skorch adds at most one and stops at exactly `patience`: it never stops here
        super().on_epoch_end(net, **kwargs)
        improved = self.best_epoch_ == net.history[-1, "epoch"]
        self.misses_ = 0 if improved else misses + 1
        if self.misses_ >= self.patience and len(net.history) >= self.start_epoch:
            if net.verbose:
                self._sink(f"Stopping since {self.monitor} has not improved in the last {self.misses_} epochs.",
                           verbose=net.verbose)
            raise KeyboardInterrupt


class CandidateCutoff(Callback):
    """Stop a candidate network that trails the best one so far (``architecture="auto"``).

    Once the candidate has trained on `after_steps` time steps, its MSE on a few held-out signals is compared
    with the leader's on the same signals; if it is above ``tolerance`` times the leader's, training stops
    (``cut_`` is set) and the candidate is dropped. So a network that cannot win costs a fraction of its
    training, while one that is merely behind early (the learning rate is still warming up) trains on.

    Parameters
    ----------
    X, y : torch.Tensor
        The held-out signals and targets to compare on.
    leader_mse : float
        The leader's MSE on them.
    after_steps : int
        Training time steps (windows times their length) before the comparison.
    tolerance : float, default=1.5
        How much worse than the leader the candidate may be and train on.
    floor : float, default=0.0
        The part of both MSEs no model can remove: the noise variance of noisy targets (Noise2Noise,
        Noise2Self). The tolerance applies to the MSEs above it.
    """

    def __init__(self, X, y, leader_mse, after_steps, tolerance=1.5, floor=0.0):
        self.X = X
        self.y = y
        self.leader_mse = leader_mse
        self.after_steps = after_steps
        self.tolerance = tolerance
        self.floor = floor

    def initialize(self):
        self.steps_ = 0
        self.checked_ = False
        self.cut_ = False
        self.mse_ = None
        return self

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        if not training or self.checked_:
            return
        shard = current_shard()  # a rank's batch is its share of the batch all ranks train on
        self.steps_ += batch[0].shape[0] * batch[0].shape[-1] * (1 if shard is None else shard.world_size)
        if self.steps_ < self.after_steps:
            return
        self.checked_ = True
        self.mse_ = mean_squared_error(forward_rows(net.module_, self.X, MEASURE_ROWS), self.y.cpu().numpy())
        if self.mse_ - self.floor > self.tolerance * (self.leader_mse - self.floor):
            self.cut_ = True
            raise KeyboardInterrupt
