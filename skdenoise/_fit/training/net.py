"""The skorch net that trains a network for a plan: tensor batching, our callbacks, the training output.

:class:`DenoisingNet` is skorch's ``NeuralNetRegressor`` with two differences: the loss is computed on the
network's ``training_output`` (masked for Noise2Self masking; what prediction runs is the plain network),
and it knows whether it trains one pass per call (``incremental``, for ``partial_fit``).
"""

import contextlib
import math
import signal
import threading

import torch
from skorch import NeuralNetRegressor
from skorch.callbacks import LRScheduler, ProgressBar
from skorch.utils import to_tensor

from ...nn.network import StandardizedMSELoss
from .batching import TensorBatchIterator
from .building import criterion_params
from .callbacks import CollapseMonitor, DivergenceGuard, WarmupEarlyStopping
from .distributed import GradientAverage

__all__ = ["DenoisingNet", "make_net"]


class DenoisingNet(NeuralNetRegressor):
    """skorch's regressor, its loss on the network's training output.

    Parameters
    ----------
    module : DenoisingNetwork
    incremental : bool, default=False
        Built for ``partial_fit``: one pass per call at a constant rate, no validation, no early stopping.
    **kwargs
        Parameters of :class:`skorch.NeuralNetRegressor`.
    """

    def __init__(self, module, *args, incremental=False, **kwargs):
        super().__init__(module, *args, **kwargs)
        self.incremental = incremental

    def partial_fit(self, X, y=None, classes=None, **fit_params):
        """skorch's training, which ends quietly on Ctrl-C with the network as it is; ``interrupted_`` says
        whether it did (an interrupt signal came), not early stopping or the race's cut-off."""
        with _noting_interrupts() as noted:
            super().partial_fit(X, y, classes, **fit_params)
        self.interrupted_ = noted.interrupted
        return self

    def _set_training(self, training=True):
        # skorch sets the mode before every batch, and a network walks all its submodules to set it: only
        # where a top-level module is in the other mode (prediction mid-training puts the mode back itself).
        modules = [getattr(self, name + "_") for name in self._modules + self._criteria]
        if any(isinstance(module, torch.nn.Module) and module.training != training for module in modules):
            super()._set_training(training)

    def infer(self, x, **fit_params):
        return self.module_.training_output(to_tensor(x, device=self.device))


class _Noted:
    interrupted = False


@contextlib.contextmanager
def _noting_interrupts():
    """Notes whether SIGINT (Ctrl-C) came while the body ran, then handles it as before (Python's default raises
    ``KeyboardInterrupt``, which skorch's fit catches). skorch's own callbacks raise ``KeyboardInterrupt`` too, to
    stop early: only the signal tells the two apart. Python handles signals in the main thread only."""
    noted, previous = _Noted(), signal.getsignal(signal.SIGINT)
    # None: set outside Python, so it could not be put back; SIG_IGN: no interrupt comes.
    replace = threading.current_thread() is threading.main_thread() and previous not in (None, signal.SIG_IGN)

    def note(number, frame):
        noted.interrupted = True
        if callable(previous):
            previous(number, frame)
        else:  # SIG_DFL would end the process: a KeyboardInterrupt ends the training instead
            raise KeyboardInterrupt

    if replace:
        signal.signal(signal.SIGINT, note)
    try:
        yield noted
    finally:
        if replace:
            signal.signal(signal.SIGINT, previous)


def make_net(plan, network, schedule, *, seed, train_split=None, callbacks=(), incremental=False):
    """The net that trains `network` by `plan` and its `schedule` (a :class:`~skdenoise._fit.plan.Schedule`).

    `callbacks` come after ours, the user's (``net_params["callbacks"]``) last.
    """
    params = {f"optimizer__{name}": value for name, value in plan.optimizer_params.items()}
    # Losses of min-max targets are ~1e-4: print them with significant digits, not 4 decimals.
    params["callbacks__print_log__floatfmt"] = ".3g"
    params.update(criterion_params(network, plan.output))
    params.update(plan.net_params)
    user_callbacks = params.pop("callbacks", [])
    generator = torch.Generator().manual_seed(seed + 1)
    shard = None if incremental else plan.shard
    ours = _callbacks(plan, schedule, train_split is not None, incremental=incremental)
    if shard is not None:
        ours.insert(0, ("gradient_average", GradientAverage(shard.world_size)))
    return DenoisingNet(
        network, criterion=StandardizedMSELoss, optimizer=plan.optimizer, lr=plan.lr,
        max_epochs=schedule.max_epochs, batch_size=schedule.batch_size,
        iterator_train=TensorBatchIterator, iterator_train__shuffle=True,
        iterator_train__generator=generator, iterator_train__window_length=schedule.window_length,
        iterator_train__window_repeats=schedule.window_repeats,
        iterator_train__noise_scale_range=schedule.noise_scale_range, iterator_train__shard=shard,
        iterator_train__recorruption=plan.recorruption, iterator_valid=TensorBatchIterator,
        iterator_valid__recorruption=plan.recorruption, train_split=train_split,
        callbacks=ours + list(callbacks) + list(user_callbacks),
        device=plan.device, verbose=plan.verbose, incremental=incremental, **params)


def _callbacks(plan, schedule, has_validation, *, incremental):
    """skorch callbacks: divergence guard, schedule, early stopping, collapse monitor, progress bar."""
    callbacks = [("divergence", DivergenceGuard())]
    if plan.lr_schedule is not None and not incremental:
        if plan.lr_schedule == "onecycle":
            rate = LRScheduler(torch.optim.lr_scheduler.OneCycleLR, max_lr=plan.lr,
                               total_steps=schedule.total_steps, step_every="batch")
        else:
            rate = LRScheduler(torch.optim.lr_scheduler.CosineAnnealingLR, T_max=schedule.total_steps,
                               step_every="batch")
        callbacks.append(("lr_schedule", rate))
    if has_validation and plan.n_iter_no_change is not None:
        warmup = math.ceil(plan.early_stopping_start * schedule.max_epochs) if plan.lr_schedule == "onecycle" else 0
        callbacks.append(("early_stopping", WarmupEarlyStopping(
            start_epoch=warmup, patience=plan.n_iter_no_change, load_best=True)))
    # The estimator warns after fit, so that the warning points at the user's code.
    callbacks.append(("collapse", CollapseMonitor(action="ignore")))
    if plan.verbose:
        callbacks.append(("progress_bar", ProgressBar()))
    return callbacks
