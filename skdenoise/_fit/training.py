"""The training machinery behind DenoisingAutoencoder: parameter checks, the skorch net and its callbacks."""

import contextlib
import dataclasses
import functools
import math
import numbers

import numpy as np
import torch
from skorch import NeuralNetRegressor
from skorch.callbacks import LRScheduler, ProgressBar

from .._validation import check_option, check_positive
from ..nn.blindspot import Noise2SelfMasking
from ..nn.network import ACTIVATIONS, StandardizedMSELoss
from ..nn.registry import ARCHITECTURES, is_convolutional
from .batching import TensorBatchIterator
from .blending import check_noise_std
from .data import check_window_fits
from .distributed import GradientAverage, current_shard
from .callbacks import MIN_SIGNAL_LENGTH, CollapseMonitor, DivergenceGuard, WarmupEarlyStopping, predict_rows

OPTIMIZERS = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD}
OUTPUTS = ("auto", "minmax", "standard", None)
INPUT_SCALINGS = ("auto", "standard", "signal", None)
LR_SCHEDULES = ("onecycle", "cosine", None)
DEVICES = ("auto", "cpu", "cuda")
ON_COLLAPSE = ("warn", "raise", "ignore")
OBJECTIVES = ("supervised", "noise2noise", "noise2self")

# What "auto" resolves to. The MLP trains for a fixed number of epochs; a convolutional network costs
# about 20x more per time step, so its epochs follow a budget of time steps and its batches hold a fixed
# number of time steps, whatever the signals' length. The budget is 8 million time steps (~15 s on 2 CPU
# cores) for up to 1,000 distinct training signals and grows to 3x that with their number: with a few
# hundred recordings (however many noisy copies) a U-Net stops improving after a few million time steps,
# with thousands it keeps improving for longer (benchmarks/bench_real.py).
MLP_EPOCHS, MLP_BATCH_SIZE = 60, 128
#: Few training signals still make this many MLP steps per epoch, in batches of at least MLP_MIN_BATCH: 200
#: signals in batches of 128 made 2 steps an epoch, too few for scikit-learn's check_regressors_train in 5
#: epochs (R2 0.495 < 0.5; 0.80 in batches of 32).
MLP_MIN_STEPS, MLP_MIN_BATCH = 8, 16
CONV_BUDGET_STEPS, CONV_BUDGET_SIGNALS, CONV_BUDGET_GROWTH = 8_000_000, 1_000, 3
CONV_BATCH_STEPS, CONV_MAX_EPOCHS = 16_384, 60
#: Below this length "auto" windows are whole signals.
MIN_AUTO_WINDOW = 32
#: A candidate of architecture="auto" is compared with the leader after at most this many time steps.
CUTOFF_STEPS = 3_000_000
#: noise_scaling="auto": each clean pair's noise rescaled by a log-uniform factor in this range, the loss
#: weighted by the inverse squared factor, and twice the time-step budget (one model for many levels).
#: Measured on the real sets (trained at white 0.5, benchmarks/bench_noise.py): -0.35 to +0.4 dB against
#: one-level training at 0.5, +0.3 to +7.2 dB at 0.2 and 1.0; unweighted on the plain budget it lost 1.5 dB
#: on ACSF1 at 0.5.
AUTO_NOISE_SCALING, NOISE_SCALING_BUDGET = (1 / 3, 3.0), 2


def device_name(device):
    """The torch device for a `device` parameter ("auto" resolved)."""
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


@functools.cache
def fused_adam_supported(device_type):
    """Whether this torch has a fused Adam for `device_type` ("cpu" since torch 2.4, "cuda")."""
    try:
        torch.optim.Adam([torch.zeros(1, device=device_type, requires_grad=True)], fused=True)
    except (RuntimeError, TypeError, ValueError):
        return False
    return True


def validate_params(estimator):
    """Check every hyper-parameter of a DenoisingAutoencoder, raising ValueError naming it."""
    arch = estimator.architecture
    names = ["auto", *ARCHITECTURES]
    if not (arch in names or (isinstance(arch, type) and issubclass(arch, torch.nn.Module))):
        raise ValueError(f"architecture must be one of {names} or a torch.nn.Module class, got {arch!r}.")
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
    for name in ("max_epochs", "batch_size"):
        if getattr(estimator, name) != "auto":
            check_positive(name, getattr(estimator, name), integer=True, allow="'auto'")
    if estimator.window_length not in ("auto", None):
        check_positive("window_length", estimator.window_length, integer=True, allow="'auto' or None")
    frac = estimator.validation_fraction
    if not isinstance(frac, numbers.Real) or isinstance(frac, bool) or not 0 <= frac < 1:
        raise ValueError(f"validation_fraction must be a number in [0, 1), got {frac!r}.")
    check_positive("n_iter_no_change", estimator.n_iter_no_change, integer=True, allow_none=True)
    check_option("on_collapse", estimator.on_collapse, ON_COLLAPSE)
    check_option("on_harm", estimator.on_harm, ON_COLLAPSE)
    check_option("on_unfamiliar_noise", estimator.on_unfamiliar_noise, ON_COLLAPSE)
    check_option("objective", estimator.objective, OBJECTIVES)
    check_noise_std(estimator.noise_std, estimator.objective)
    _validate_noise_scaling(estimator.noise_scaling)
    _validate_device(estimator)
    if not isinstance(estimator.distributed, (bool, np.bool_)):
        raise ValueError(f"distributed must be True or False, got {estimator.distributed!r}.")
    if not isinstance(estimator.match_noise_level, (bool, np.bool_)):
        raise ValueError(f"match_noise_level must be True or False, got {estimator.match_noise_level!r}.")
    if not isinstance(estimator.verbose, numbers.Integral) or estimator.verbose < 0:
        raise ValueError(f"verbose must be an integer >= 0, got {estimator.verbose!r}.")
    if estimator.net_params is not None and not isinstance(estimator.net_params, dict):
        raise ValueError(f"net_params must be a dict or None, got {type(estimator.net_params).__name__}.")


def _validate_noise_scaling(scaling):
    if scaling in ("auto", None):
        return
    valid = (isinstance(scaling, (tuple, list)) and len(scaling) == 2
             and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in scaling)
             and 0 < scaling[0] <= scaling[1] < math.inf)
    if not valid:
        raise ValueError(f"noise_scaling must be 'auto', None or a range of factors (low, high) with "
                         f"0 < low <= high, got {scaling!r}.")


def resolve_noise_scaling(estimator, shape, target_shape, output):
    """The range of factors for each pair's noise ``X - y`` while training, None for none.

    Only clean targets of the inputs' shape have a noise to rescale. ``"auto"`` also leaves alone min-max
    scaled targets (each noisy input was min-max scaled on its own, so ``X - y`` is not its noise), targets
    too short to be signals, and a `max_epochs` the user chose (rescaled noise needs the doubled budget).
    """
    scaling = estimator.noise_scaling
    denoising = estimator.objective == "supervised" and tuple(shape) == tuple(target_shape)
    if scaling == "auto":
        signals = output != "minmax" and shape[-1] >= MIN_SIGNAL_LENGTH
        return AUTO_NOISE_SCALING if denoising and signals and estimator.max_epochs == "auto" else None
    if scaling is not None and not denoising:
        raise ValueError(f"noise_scaling={scaling!r} rescales the noise X - y of clean targets y of X's shape "
                         f"(objective='supervised'); use noise_scaling=None here.")
    return None if scaling is None else (float(scaling[0]), float(scaling[1]))


def _validate_device(estimator):
    device = estimator.device
    if not isinstance(device, str) or not (device in DEVICES or device.startswith("cuda:")):
        raise ValueError(f"device must be one of {list(DEVICES)} or 'cuda:N', got {device!r}.")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} was requested but CUDA is not available; use device='cpu'.")


@dataclasses.dataclass(frozen=True)
class TrainingPlan:
    """How one network trains: `max_epochs`, `batch_size` and `window_length` with "auto" resolved.

    Every epoch draws ``ceil(length / window_length)`` windows of each training signal, ``windows_per_epoch``
    in all (whole signals, one each, when `window_length` is None).
    """

    max_epochs: int
    batch_size: int
    window_length: int | None
    windows_per_epoch: int
    noise_scale_range: tuple | None = None


def auto_window_length(length):
    """Half the signal length, in whole multiples of 16 time steps (None for short signals)."""
    if length < 2 * MIN_AUTO_WINDOW:
        return None
    return max(MIN_AUTO_WINDOW, 16 * round(length / 32))


def collection_window(window_length, lengths):
    """The windows a collection of recordings of `lengths` trains on.

    An integer `window_length` as it is (every recording at least that long); "auto": half the median
    length in multiples of 16, recordings shorter than that mirrored at their end to its length (the
    shortest would make windows too short for all: windows of 32 cost ACSF1 0.9 dB against its 736); None:
    the length of recordings that all share one (whole recordings), an error otherwise.
    """
    if window_length not in ("auto", None):
        check_window_fits(lengths, window_length)
        return int(window_length)
    if window_length is None:
        if len(set(lengths)) > 1:
            raise ValueError("window_length=None trains on whole signals, which recordings of unequal length "
                             "are not: use window_length='auto' or an integer.")
        return int(lengths[0])
    short = np.flatnonzero(lengths < MIN_SIGNAL_LENGTH)
    if len(short):
        raise ValueError(f"X[{short[0]}] has {lengths[short[0]]} time steps; recordings need at least "
                         f"{MIN_SIGNAL_LENGTH} to train on (leave it out, or pad it).")
    median = int(np.median(lengths))
    return int(auto_window_length(median) or median)


def mlp_batch_size(n_signals):
    """128, or fewer for fewer than 1,024 training signals: at least 8 steps an epoch, batches of 16 or more."""
    return int(min(MLP_BATCH_SIZE, max(MLP_MIN_BATCH, n_signals // MLP_MIN_STEPS)))


def plan_training(estimator, architecture, lengths, shape, target_shape, output, n_distinct=None,
                  window_length=None):
    """Resolve the "auto" training settings of `estimator` for one architecture and training set.

    `lengths` holds the usable length of each training signal. Convolutional networks train on random
    windows of half the signals' length (shifted crops: more examples from few recordings) unless the
    targets are min-max scaled per signal, which a window of a target is not; their batches hold about 16k
    time steps and their epochs follow a budget of time steps that grows with the number of distinct
    training signals `n_distinct` (default: their number). The MLP and user classes see whole signals (or
    the windows of an integer `window_length`), in batches of 128, for 60 epochs. A given `window_length`
    (the windows of a layout of recordings) replaces the estimator's.
    """
    lengths = np.asarray(lengths)
    length = int(lengths.max()) if len(lengths) else shape[-1]
    convolutional = is_convolutional(architecture)
    window = estimator.window_length if window_length is None else window_length
    if window == "auto":
        can_crop = convolutional and output != "minmax" and tuple(shape) == tuple(target_shape)
        window = auto_window_length(length) if can_crop else None
    span = window or length
    windows = int(np.sum(-(-lengths // span))) if window else len(lengths)
    batch_size = estimator.batch_size
    if batch_size == "auto":
        batch_size = max(1, CONV_BATCH_STEPS // span) if convolutional else mlp_batch_size(windows)
    noise_scale_range = resolve_noise_scaling(estimator, shape, target_shape, output)
    max_epochs = estimator.max_epochs
    if max_epochs == "auto":
        growth = min(max((n_distinct or len(lengths)) / CONV_BUDGET_SIGNALS, 1), CONV_BUDGET_GROWTH)
        growth *= 1 if noise_scale_range is None else NOISE_SCALING_BUDGET
        steps_per_epoch = max(windows * span, 1)
        max_epochs = (min(max(round(growth * CONV_BUDGET_STEPS / steps_per_epoch), 1), CONV_MAX_EPOCHS)
                      if convolutional else MLP_EPOCHS)
    return TrainingPlan(int(max_epochs), int(batch_size), window, windows, noise_scale_range)


def make_callbacks(estimator, plan, has_validation, streaming):
    """skorch callbacks: divergence guard, schedule, early stopping, collapse monitor, progress bar."""
    callbacks = [("divergence", DivergenceGuard())]
    if estimator.lr_schedule is not None and not streaming:
        total_steps = plan.max_epochs * math.ceil(plan.windows_per_epoch / plan.batch_size)
        if estimator.lr_schedule == "onecycle":
            schedule = LRScheduler(torch.optim.lr_scheduler.OneCycleLR, max_lr=estimator.lr,
                                   total_steps=total_steps, step_every="batch")
        else:
            schedule = LRScheduler(torch.optim.lr_scheduler.CosineAnnealingLR, T_max=total_steps,
                                   step_every="batch")
        callbacks.append(("lr_schedule", schedule))
    if has_validation and estimator.n_iter_no_change is not None:
        # With clean targets the validation loss improves from the one-cycle warm-up on (30%). With noisy
        # targets (Noise2Noise, Noise2Self) the noise in the gradients keeps it flat until the rate has
        # fallen well below its peak, which it has after 70% of the schedule.
        settle = 0.3 if estimator.objective == "supervised" else 0.7
        warmup = math.ceil(settle * plan.max_epochs) if estimator.lr_schedule == "onecycle" else 0
        callbacks.append(("early_stopping", WarmupEarlyStopping(
            start_epoch=warmup, patience=estimator.n_iter_no_change, load_best=True)))
    # The estimator itself warns after fit, so that the warning points at the user's code.
    callbacks.append(("collapse", CollapseMonitor(action="ignore")))
    if verbose(estimator, None if streaming else current_shard()):
        callbacks.append(("progress_bar", ProgressBar()))
    return callbacks


def build_net(estimator, module, plan, criterion_params, seed, train_split=None, streaming=False, callbacks=()):
    """The skorch net that trains `module` for `estimator` (tensor batching, our callbacks)."""
    optimizer = OPTIMIZERS.get(estimator.optimizer, estimator.optimizer)
    # Losses of min-max targets are ~1e-4: print them with significant digits, not 4 decimals.
    params = {"optimizer__weight_decay": estimator.weight_decay, "callbacks__print_log__floatfmt": ".3g",
              **criterion_params}
    if estimator.optimizer == "sgd":
        params["optimizer__momentum"] = 0.9
    elif estimator.optimizer in ("adam", "adamw"):
        # One kernel for all parameters: 3-5x faster steps on CPUs.
        params["optimizer__fused"] = fused_adam_supported(torch.device(device_name(estimator.device)).type)
    params.update(estimator.net_params or {})
    user_callbacks = params.pop("callbacks", [])
    generator = torch.Generator().manual_seed(seed + 1)
    shard = None if streaming else current_shard()
    ours = make_callbacks(estimator, plan, train_split is not None, streaming)
    if shard is not None:
        ours.insert(0, ("gradient_average", GradientAverage(shard.world_size)))
    return NeuralNetRegressor(
        module, criterion=StandardizedMSELoss, optimizer=optimizer, lr=estimator.lr,
        max_epochs=plan.max_epochs, batch_size=plan.batch_size,
        iterator_train=TensorBatchIterator, iterator_train__shuffle=True,
        iterator_train__generator=generator, iterator_train__window_length=plan.window_length,
        iterator_train__noise_scale_range=plan.noise_scale_range, iterator_train__shard=shard,
        iterator_valid=TensorBatchIterator, train_split=train_split,
        callbacks=ours + list(callbacks) + list(user_callbacks),
        device=rank_device(estimator.device, shard), verbose=verbose(estimator, shard), **params)


def rank_device(device, shard):
    """The device of this process: on GPUs, a distributed fit's ranks each take the one of their local rank."""
    name = device_name(device)
    return f"cuda:{shard.local_rank}" if shard is not None and name == "cuda" else name


def verbose(estimator, shard):
    """The estimator's verbosity on rank 0 of a distributed fit (and in one process); silence elsewhere."""
    return estimator.verbose if shard is None or shard.rank == 0 else 0


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


def mean_and_scale(signals, shape, per_channel=False):
    """Mean and standard deviation (1 where it is ~0) as float32 tensors: per position ``(1, C, L)``, or
    per channel ``(1, C, 1)`` (over signals and time: for networks that work at any length).

    Without signals, placeholders of the given ``(C, L)`` shape (to be overwritten by loaded weights).
    """
    axes = (0, 2) if per_channel else 0
    if signals is None:
        shape = (shape[0], 1) if per_channel else shape
        return torch.zeros(1, *shape), torch.ones(1, *shape)
    mean = signals.mean(axis=axes, dtype=np.float64, keepdims=True)
    scale = signals.std(axis=axes, dtype=np.float64, keepdims=True)
    # Positions that (numerically) never vary are left unscaled: dividing by a denormal overflows float32.
    scale[scale < 1e-30] = 1.0
    return torch.from_numpy(mean.astype(np.float32)), torch.from_numpy(scale.astype(np.float32))
