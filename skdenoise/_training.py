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


def validate_params(estimator):
    """Check every hyper-parameter of a DenoisingAutoencoder, raising ValueError naming it."""
    arch = estimator.architecture
    if not (arch in ARCHITECTURES or (isinstance(arch, type) and issubclass(arch, torch.nn.Module))):
        raise ValueError(
            f"architecture must be one of {sorted(ARCHITECTURES)} or a torch.nn.Module class, got {arch!r}.")
    check_positive("z_dim", estimator.z_dim, integer=True, allow_none=True)
    check_option("activation", estimator.activation, ACTIVATIONS)
    check_option("output", estimator.output, OUTPUTS)
    check_option("input_scaling", estimator.input_scaling, INPUT_SCALINGS)
    opt = estimator.optimizer
    if not (opt in OPTIMIZERS or (isinstance(opt, type) and issubclass(opt, torch.optim.Optimizer))):
        raise ValueError(
            f"optimizer must be one of {sorted(OPTIMIZERS)} or a torch.optim.Optimizer class, got {opt!r}.")
    check_positive("lr", estimator.lr)
    if not isinstance(estimator.weight_decay, numbers.Real) or not estimator.weight_decay >= 0:
        raise ValueError(f"weight_decay must be a number >= 0, got {estimator.weight_decay!r}.")
    check_option("lr_schedule", estimator.lr_schedule, LR_SCHEDULES)
    check_positive("max_epochs", estimator.max_epochs, integer=True)
    check_positive("batch_size", estimator.batch_size, integer=True)
    frac = estimator.validation_fraction
    if not isinstance(frac, numbers.Real) or isinstance(frac, bool) or not 0 <= frac < 1:
        raise ValueError(f"validation_fraction must be a number in [0, 1), got {frac!r}.")
    check_positive("n_iter_no_change", estimator.n_iter_no_change, integer=True, allow_none=True)
    check_option("on_collapse", estimator.on_collapse, ON_COLLAPSE)
    check_option("objective", estimator.objective, OBJECTIVES)
    _validate_device(estimator)
    if not isinstance(estimator.verbose, numbers.Integral) or estimator.verbose < 0:
        raise ValueError(f"verbose must be an integer >= 0, got {estimator.verbose!r}.")
    if estimator.net_params is not None and not isinstance(estimator.net_params, dict):
        raise ValueError(f"net_params must be a dict or None, got {type(estimator.net_params).__name__}.")


def _validate_device(estimator):
    device = estimator.device
    if not isinstance(device, str) or not (device in DEVICES or device.startswith("cuda:")):
        raise ValueError(f"device must be one of {list(DEVICES)} or 'cuda:N', got {device!r}.")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} was requested but CUDA is not available; use device='cpu'.")


def make_callbacks(estimator, n_train, has_validation, streaming):
    """skorch callbacks: divergence guard, schedule, early stopping, collapse monitor, progress bar."""
    callbacks = [("divergence", DivergenceGuard())]
    if estimator.lr_schedule is not None and not streaming:
        total_steps = estimator.max_epochs * math.ceil(n_train / estimator.batch_size)
        if estimator.lr_schedule == "onecycle":
            schedule = LRScheduler(torch.optim.lr_scheduler.OneCycleLR, max_lr=estimator.lr,
                                   total_steps=total_steps, step_every="batch")
        else:
            schedule = LRScheduler(torch.optim.lr_scheduler.CosineAnnealingLR, T_max=total_steps,
                                   step_every="batch")
        callbacks.append(("lr_schedule", schedule))
    if has_validation and estimator.n_iter_no_change is not None:
        warmup = math.ceil(0.3 * estimator.max_epochs) if estimator.lr_schedule == "onecycle" else 0
        callbacks.append(("early_stopping", WarmupEarlyStopping(
            start_epoch=warmup, patience=estimator.n_iter_no_change, load_best=True)))
    # The estimator itself warns after fit, so that the warning points at the user's code.
    callbacks.append(("collapse", CollapseMonitor(action="ignore")))
    if estimator.verbose:
        callbacks.append(("progress_bar", ProgressBar()))
    return callbacks


def validation_size(fraction, n_samples):
    """Validation signals held out of `n_samples` (sklearn's ShuffleSplit rounding), 0 if none."""
    n_valid = math.ceil(fraction * n_samples)
    return n_valid if 0 < n_valid < n_samples else 0


def build_net(estimator, module, n_samples, criterion_params, seed, streaming=False):
    """The skorch net that trains `module` for `estimator` (tensor batching, our callbacks)."""
    n_valid = 0 if streaming else validation_size(estimator.validation_fraction, n_samples)
    optimizer = OPTIMIZERS.get(estimator.optimizer, estimator.optimizer)
    # Losses of min-max targets are ~1e-4: print them with significant digits, not 4 decimals.
    params = {"optimizer__weight_decay": estimator.weight_decay, "callbacks__print_log__floatfmt": ".3g",
              **criterion_params}
    if estimator.optimizer == "sgd":
        params["optimizer__momentum"] = 0.9
    params.update(estimator.net_params or {})
    user_callbacks = params.pop("callbacks", [])
    generator = torch.Generator().manual_seed(seed + 1)
    return NeuralNetRegressor(
        module, criterion=StandardizedMSELoss, optimizer=optimizer, lr=estimator.lr,
        max_epochs=estimator.max_epochs, batch_size=estimator.batch_size,
        iterator_train=TensorBatchIterator, iterator_train__shuffle=True,
        iterator_train__generator=generator, iterator_valid=TensorBatchIterator,
        train_split=ValidSplit(n_valid / n_samples, random_state=seed + 2) if n_valid else None,
        callbacks=make_callbacks(estimator, n_samples - n_valid, n_valid > 0, streaming) + list(user_callbacks),
        device=device_name(estimator.device), verbose=estimator.verbose, **params)


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
