"""skorch callbacks that watch training: collapse to a constant, and divergence to NaN or inf."""

import math

import numpy as np
import torch
from skorch.callbacks import Callback, EarlyStopping

from ..exceptions import CollapseWarning, TrainingDivergedError, report
from ..noise import estimate_white_noise_variance
from .batching import dataset_tensors
from .distributed import current_shard
from .windows import RecordingWindows

__all__ = ["CandidateCutoff", "CollapseMonitor", "DivergenceGuard", "WarmupEarlyStopping",
           "collapse_message", "harm_message", "mean_squared_error", "measure_collapse", "noise_floor",
           "predict_rows"]

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
    >>> from skdenoise._fit.callbacks import measure_collapse
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


def mean_squared_error(a, b):
    """MSE of two arrays, computed in float64 (no float32 overflow for large values)."""
    return float(np.mean(np.square(np.subtract(a, b, dtype=np.float64))))


def predict_rows(module, X, batch_size=256):
    """The module's float32 numpy predictions for tensor `X`, in eval mode, without gradients.

    The module's training mode is restored afterwards, so this can run in the middle of training.
    """
    was_training = module.training
    module.eval()
    with torch.inference_mode():
        predictions = torch.cat([module(X[start:start + batch_size]).float().cpu()
                                 for start in range(0, len(X), batch_size)])
    module.train(was_training)
    return predictions.numpy()


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
        predictions = predict_rows(net.module_, X.index_select(0, rows))
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


def collapse_message(stats):
    """The :class:`~skdenoise.CollapseWarning` text for the measures of :func:`measure_collapse`."""
    return (
        f"The model collapsed to a near-constant output: its predictions vary "
        f"{stats['variance_ratio']:.2%} as much along time as the targets, and its MSE ({stats['mse']:.3g}) "
        f"is {stats['loss_ratio']:.2f}x the MSE of predicting each target's own mean. {_ADVICE}")


def harm_message(model_mse, identity_mse, architecture):
    """The :class:`~skdenoise.HarmWarning` text: the model's and the identity's validation MSE."""
    advice = ("architecture='conv' (a residual network that starts as the identity)" if architecture != "conv"
              else "more training signals or max_epochs")
    return (
        f"The fitted model makes signals worse than returning them unchanged: its validation MSE "
        f"({model_mse:.4g}) is above that of the noisy inputs themselves ({identity_mse:.4g}). Try: {advice}; "
        f"a lower lr; check that X and y are aligned pairs of the same signals. Use on_harm='ignore' to "
        f"silence this.")


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
    """skorch's ``EarlyStopping`` whose patience counts only the epochs after `start_epoch`.

    A one-cycle schedule raises the learning rate for its first 30% of epochs, when the validation loss may
    stall for a while; stopping there, or just after it, would keep an unfinished model. So the epochs
    without improvement are counted from `start_epoch` on; the best weights are still tracked from the
    first epoch.

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
        warming_up = len(net.history) <= self.start_epoch
        if warming_up:
            self.misses_ = -1  # skorch adds at most one: the count stays at 0, whatever the patience
        super().on_epoch_end(net, **kwargs)
        if warming_up:
            self.misses_ = 0


def noise_floor(X, y, objective, noise_variance=None):
    """The MSE against targets `y` that no model of `X` can go below: 0 for clean targets; for Noise2Noise
    half the MSE between the two noisy copies; for Noise2Self (targets are the inputs) the noise variance
    (per channel, or :func:`~skdenoise.noise.estimate_white_noise_variance` without one)."""
    if objective == "supervised":
        return 0.0
    if objective == "noise2noise":
        return mean_squared_error(X, y) / 2
    if noise_variance is None:
        noise_variance = estimate_white_noise_variance(X)[0]
    return float(np.mean(noise_variance))


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
        self.mse_ = mean_squared_error(predict_rows(net.module_, self.X), self.y.cpu().numpy())
        if self.mse_ - self.floor > self.tolerance * (self.leader_mse - self.floor):
            self.cut_ = True
            raise KeyboardInterrupt
