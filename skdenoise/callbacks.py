"""skorch callbacks that watch training: collapse to a constant, and divergence to NaN or inf."""

import math
import warnings

import numpy as np
import torch
from skorch.callbacks import Callback, EarlyStopping

from .batching import dataset_tensors
from .exceptions import CollapseWarning, TrainingDivergedError

__all__ = ["CollapseMonitor", "DivergenceGuard", "WarmupEarlyStopping", "collapse_message",
           "measure_collapse"]

#: Targets shorter than this are not treated as signals: "constant along time" means nothing for them.
MIN_SIGNAL_LENGTH = 16

_ADVICE = (
    "Try: optimizer='adam' instead of plain SGD; a learning rate between 1e-3 and 1e-2; more epochs "
    "(max_epochs) or more training signals; output='minmax' when the targets are min-max scaled per signal; "
    "input_scaling='standard' so the inputs are centred.")


def measure_collapse(predictions, targets):
    """How far predictions are from a per-signal constant, in two ratios.

    Parameters
    ----------
    predictions, targets : array-like of shape (n_samples, n_channels, n_timesteps)

    Returns
    -------
    dict
        ``variance_ratio``: mean variance of the predictions along time over that of the targets (0 for a
        constant output, about 1 for a good model); ``loss_ratio``: MSE of the predictions over the MSE of
        predicting each target's own mean (1 or more means no better than a constant); ``mse``.
        Both ratios are NaN when the targets are constant along time.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.callbacks import measure_collapse
    >>> t = np.sin(np.linspace(0, 6, 50))[None, None]
    >>> stats = measure_collapse(np.full_like(t, 0.5), t)
    >>> round(stats["variance_ratio"], 3), stats["loss_ratio"] > 1
    (0.0, True)
    """
    predictions = np.asarray(predictions, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    target_var = targets.var(axis=-1).mean()
    mse = float(np.mean((predictions - targets) ** 2))
    if not target_var > 0:
        return {"variance_ratio": float("nan"), "loss_ratio": float("nan"), "mse": mse}
    return {"variance_ratio": float(predictions.var(axis=-1).mean() / target_var),
            "loss_ratio": float(mse / target_var), "mse": mse}


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
        X, y, indices = dataset_tensors(dataset)
        if y is None or y.ndim != 3 or y.shape[-1] < MIN_SIGNAL_LENGTH:
            return None
        rows = torch.arange(min(len(X), self.n_signals)) if indices is None else indices[:self.n_signals]
        rows = rows.to(X.device)
        module = net.module_
        was_training = module.training
        module.eval()
        with torch.inference_mode():
            predictions = module(X.index_select(0, rows)).float().cpu().numpy()
        module.train(was_training)
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
        if not self.collapsed_ or self.action == "ignore":
            return
        if self.action == "raise":
            raise CollapseWarning(collapse_message(self.stats_))
        warnings.warn(collapse_message(self.stats_), CollapseWarning, stacklevel=2)


def collapse_message(stats):
    """The :class:`~skdenoise.CollapseWarning` text for the measures of :func:`measure_collapse`."""
    return (
        f"The model collapsed to a near-constant output: its predictions vary "
        f"{stats['variance_ratio']:.2%} as much along time as the targets, and its MSE ({stats['mse']:.3g}) "
        f"is {stats['loss_ratio']:.2f}x the MSE of predicting each target's own mean. {_ADVICE}")


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
    """skorch's ``EarlyStopping`` whose patience only runs out after `start_epoch` epochs.

    A one-cycle schedule raises the learning rate for its first 30% of epochs, when the validation loss may
    stall for a while; stopping there would keep an unfinished model. The best weights are still tracked from
    the first epoch.

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
        if len(net.history) <= self.start_epoch:
            # One more miss this epoch must not reach the patience.
            self.misses_ = min(self.misses_, self.patience - 2)
        super().on_epoch_end(net, **kwargs)
