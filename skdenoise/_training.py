"""The training machinery behind DenoisingAutoencoder: parameter checks, the skorch net and its callbacks."""

import contextlib
import math
import numbers

import numpy as np
import torch
from skorch import NeuralNetRegressor
from skorch.callbacks import LRScheduler, ProgressBar
from skorch.dataset import ValidSplit

from ._validation import check_option, check_positive
from .batching import TensorBatchIterator
from .callbacks import CollapseMonitor, DivergenceGuard, WarmupEarlyStopping
from .modules import ACTIVATIONS, ARCHITECTURES, Noise2SelfMasking, StandardizedMSELoss

OPTIMIZERS = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD}
OUTPUTS = ("auto", "minmax", "standard", None)
INPUT_SCALINGS = ("auto", "standard", "signal", None)
LR_SCHEDULES = ("onecycle", "cosine", None)
DEVICES = ("auto", "cpu", "cuda")
ON_COLLAPSE = ("warn", "raise", "ignore")
OBJECTIVES = ("supervised", "noise2self")


def device_name(device):
    """The torch device for a `device` parameter ("auto" resolved)."""
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def validate_params(self):
    """Check every hyper-parameter of a DenoisingAutoencoder, raising ValueError naming it."""
    arch = self.architecture
    if not (arch in ARCHITECTURES or (isinstance(arch, type) and issubclass(arch, torch.nn.Module))):
        raise ValueError(
            f"architecture must be one of {sorted(ARCHITECTURES)} or a torch.nn.Module class, got {arch!r}.")
    check_positive("z_dim", self.z_dim, integer=True, allow_none=True)
    check_option("activation", self.activation, ACTIVATIONS)
    check_option("output", self.output, OUTPUTS)
    check_option("input_scaling", self.input_scaling, INPUT_SCALINGS)
    opt = self.optimizer
    if not (opt in OPTIMIZERS or (isinstance(opt, type) and issubclass(opt, torch.optim.Optimizer))):
        raise ValueError(
            f"optimizer must be one of {sorted(OPTIMIZERS)} or a torch.optim.Optimizer class, got {opt!r}.")
    check_positive("lr", self.lr)
    if not isinstance(self.weight_decay, numbers.Real) or not self.weight_decay >= 0:
        raise ValueError(f"weight_decay must be a number >= 0, got {self.weight_decay!r}.")
    check_option("lr_schedule", self.lr_schedule, LR_SCHEDULES)
    check_positive("max_epochs", self.max_epochs, integer=True)
    check_positive("batch_size", self.batch_size, integer=True)
    frac = self.validation_fraction
    if not isinstance(frac, numbers.Real) or isinstance(frac, bool) or not 0 <= frac < 1:
        raise ValueError(f"validation_fraction must be a number in [0, 1), got {frac!r}.")
    check_positive("n_iter_no_change", self.n_iter_no_change, integer=True, allow_none=True)
    check_option("on_collapse", self.on_collapse, ON_COLLAPSE)
    check_option("objective", self.objective, OBJECTIVES)
    _validate_device(self)
    if not isinstance(self.verbose, numbers.Integral) or self.verbose < 0:
        raise ValueError(f"verbose must be an integer >= 0, got {self.verbose!r}.")
    if self.net_params is not None and not isinstance(self.net_params, dict):
        raise ValueError(f"net_params must be a dict or None, got {type(self.net_params).__name__}.")

def _validate_device(self):
    device = self.device
    if not isinstance(device, str) or not (device in DEVICES or device.startswith("cuda:")):
        raise ValueError(f"device must be one of {list(DEVICES)} or 'cuda:N', got {device!r}.")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} was requested but CUDA is not available; use device='cpu'.")


def make_callbacks(self, n_train, has_validation, streaming):
    """skorch callbacks: divergence guard, schedule, early stopping, collapse monitor, progress bar."""
    callbacks = [("divergence", DivergenceGuard())]
    if self.lr_schedule is not None and not streaming:
        total_steps = self.max_epochs * math.ceil(n_train / self.batch_size)
        if self.lr_schedule == "onecycle":
            schedule = LRScheduler(torch.optim.lr_scheduler.OneCycleLR, max_lr=self.lr,
                                   total_steps=total_steps, step_every="batch")
        else:
            schedule = LRScheduler(torch.optim.lr_scheduler.CosineAnnealingLR, T_max=total_steps,
                                   step_every="batch")
        callbacks.append(("lr_schedule", schedule))
    if has_validation and self.n_iter_no_change is not None:
        warmup = math.ceil(0.3 * self.max_epochs) if self.lr_schedule == "onecycle" else 0
        callbacks.append(("early_stopping", WarmupEarlyStopping(
            start_epoch=warmup, patience=self.n_iter_no_change, load_best=True)))
    # The estimator itself warns after fit, so that the warning points at the user's code.
    callbacks.append(("collapse", CollapseMonitor(action="ignore")))
    if self.verbose:
        callbacks.append(("progress_bar", ProgressBar()))
    return callbacks

def validation_size(fraction, n_samples):
    """Validation signals held out of `n_samples` (sklearn's ShuffleSplit rounding), 0 if none."""
    n_valid = math.ceil(fraction * n_samples)
    return n_valid if 0 < n_valid < n_samples else 0

def build_net(self, module, n_samples, criterion_params, seed, streaming=False):
    """The skorch net that trains `module` for estimator `self` (fast batching, our callbacks)."""
    n_valid = 0 if streaming else validation_size(self.validation_fraction, n_samples)
    optimizer = OPTIMIZERS.get(self.optimizer, self.optimizer)
    # Losses of min-max targets are ~1e-4: print them with significant digits, not 4 decimals.
    params = {"optimizer__weight_decay": self.weight_decay, "callbacks__print_log__floatfmt": ".3g",
              **criterion_params}
    if self.optimizer == "sgd":
        params["optimizer__momentum"] = 0.9
    params.update(self.net_params or {})
    user_callbacks = params.pop("callbacks", [])
    generator = torch.Generator().manual_seed(seed + 1)
    return NeuralNetRegressor(
        module, criterion=StandardizedMSELoss, optimizer=optimizer, lr=self.lr,
        max_epochs=self.max_epochs, batch_size=self.batch_size,
        iterator_train=TensorBatchIterator, iterator_train__shuffle=True,
        iterator_train__generator=generator, iterator_valid=TensorBatchIterator,
        train_split=ValidSplit(n_valid / n_samples, random_state=seed + 2) if n_valid else None,
        callbacks=make_callbacks(self, n_samples - n_valid, n_valid > 0, streaming) + list(user_callbacks),
        device=device_name(self.device), verbose=self.verbose, **params)


@contextlib.contextmanager
def masking(module):
    """Noise2Self masking on while training, off afterwards (prediction uses the plain network)."""
    if not isinstance(module, Noise2SelfMasking):
        yield
        return
    module.active = True
    try:
        yield
    finally:
        module.active = False


@contextlib.contextmanager
def restored_on_failure(estimator):
    """If the body raises, put back the fitted attributes (``*_``) the estimator had before it."""
    fitted = {name: value for name, value in vars(estimator).items() if name.endswith("_")}
    try:
        yield
    except BaseException:
        for name in [name for name in vars(estimator) if name.endswith("_")]:
            delattr(estimator, name)
        vars(estimator).update(fitted)
        raise


def mean_and_scale(signals, shape):
    """Per-position mean and standard deviation (1 where it is ~0) as float32 tensors ``(1, C, L)``.

    Without signals, placeholders of the given ``(C, L)`` shape (to be overwritten by loaded weights).
    """
    if signals is None:
        return torch.zeros(1, *shape), torch.ones(1, *shape)
    mean = signals.mean(axis=0, dtype=np.float64, keepdims=True)
    scale = signals.std(axis=0, dtype=np.float64, keepdims=True)
    # Positions that (numerically) never vary are left unscaled: dividing by a denormal overflows float32.
    scale[scale < 1e-30] = 1.0
    return torch.from_numpy(mean.astype(np.float32)), torch.from_numpy(scale.astype(np.float32))
