"""The fit plan: the estimator's parameters with every "auto" resolved once, for the data at hand.

:meth:`FitPlan.from_params` is the only reader of a :class:`~skdenoise.DenoisingAutoencoder`'s parameters
(given as ``get_params()``, never the estimator): it checks the rules that tie parameters to each other and
to the data, and resolves the output step, the windows, the noise level of Noise2Self, the noise scaling,
the device and the seed. What depends on the network that trains (batch size, epochs, windows of a fully
convolutional network) is resolved per network by :meth:`FitPlan.schedule`.
"""

import dataclasses
import functools
import math

import numpy as np
import torch
from sklearn.utils import check_random_state

from ..nn.registry import BLIND_SPOT, fully_convolutional
from ..preprocessing import is_minmax_scaled
from .measures import MIN_SIGNAL_LENGTH
from .noise_level import NoiseLevel, resolve_noise_level
from .objectives import OBJECTIVES, resolve
from .training.data import check_long_enough, check_window_fits, recording_lengths
from .training.distributed import shared_seed
from .windows import auto_window_length

__all__ = ["FitPlan", "NetworkSpec", "Schedule", "device_name"]

OPTIMIZERS = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD}
DEVICES = ("auto", "cpu", "cuda")

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
#: Many whole signals fill an epoch with steps: the MLP then trains for as many epochs as make this many
#: optimizer steps, at least MLP_MIN_EPOCHS. On the seed task (18,000 training signals, 141 steps an epoch;
#: random states 1 to 9, the reported state 0 held apart) 40 epochs reached 1.023x the oracle's MSE on average
#: (at most 1.062) and 60 epochs 1.036x (at most 1.120), in 19 s instead of 27 s. Windows of recordings (fresh
#: crops every epoch) keep MLP_EPOCHS: fewer cost the 10^7-sample file 0.6 dB.
MLP_BUDGET_STEPS, MLP_MIN_EPOCHS = 5_600, 40
CONV_BUDGET_STEPS, CONV_BUDGET_SIGNALS, CONV_BUDGET_GROWTH = 8_000_000, 1_000, 3
CONV_BATCH_STEPS, CONV_MAX_EPOCHS = 16_384, 60
#: The shortest recording of a collection that can be mirrored to the windows' length.
MIN_RECORDING_LENGTH = 2
#: Without clean signals, an epoch of windows holds at least this many (covering few recordings several times
#: over): one recording of 7,500 samples made 30 windows an epoch, and early stopping's patience of 10 epochs
#: ended Noise2Self's training within 3 s, far short of its budget.
MIN_EPOCH_WINDOWS = 512
#: With clean targets too, fewer recordings than this (one long recording, as the file command's): the default
#: trained on one 14,440-sample recording and its clean signal stopped after 4 s at +5.8 dB, under the wavelet
#: filter's +6.3 (PickupGesture, white noise 0.5; bench_files.py's clean-trained fit, before full epochs).
FEW_RECORDINGS = 10
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


def mlp_epochs(n_windows, batch_size, *, whole_signals):
    """MLP_EPOCHS, or fewer for whole signals that fill an epoch with more than MLP_BUDGET_STEPS / MLP_EPOCHS
    steps (down to MLP_MIN_EPOCHS)."""
    if not whole_signals:
        return MLP_EPOCHS
    steps_per_epoch = -(-n_windows // batch_size)
    return int(min(MLP_EPOCHS, max(MLP_MIN_EPOCHS, round(MLP_BUDGET_STEPS / steps_per_epoch))))


def mlp_batch_size(n_signals):
    """128, or fewer for fewer than 1,024 training signals: at least 8 steps an epoch, batches of 16 or more."""
    return int(min(MLP_BATCH_SIZE, max(MLP_MIN_BATCH, n_signals // MLP_MIN_STEPS)))


@dataclasses.dataclass(frozen=True)
class NetworkSpec:
    """What a network is built from besides its shapes: the structural parameters."""

    z_dim: int | None
    activation: str
    input_scaling: str | None
    _: dataclasses.KW_ONLY
    objective: object

    def blind_spot(self, architecture):
        """Whether `architecture` trains as its blind-spot version (a built-in, for a blind-spot objective)."""
        return self.objective.blind_spot and isinstance(architecture, str) and architecture in BLIND_SPOT

    def masked(self, architecture):
        """Whether `architecture` trains with Noise2Self masking (a user's class, for a blind-spot objective)."""
        return self.objective.blind_spot and not self.blind_spot(architecture)

    def fully_convolutional(self, architecture):
        """Whether the core `architecture` trains as works at any length."""
        return fully_convolutional(architecture, self.blind_spot(architecture))


@dataclasses.dataclass(frozen=True)
class Schedule:
    """How one network trains: epochs, batch size and windows with "auto" resolved.

    Every epoch draws ``window_repeats * ceil(length / window_length)`` windows of each training signal,
    ``windows_per_epoch`` in all (whole signals, one each, when `window_length` is None). `noise_scale_range`
    rescales the noise of clean-target pairs (see ``noise_scaling``).
    """

    max_epochs: int
    batch_size: int
    window_length: int | None
    _: dataclasses.KW_ONLY
    windows_per_epoch: int
    noise_scale_range: tuple | None = None
    window_repeats: int = 1

    @property
    def total_steps(self):
        """Gradient steps over all epochs."""
        return self.max_epochs * math.ceil(self.windows_per_epoch / self.batch_size)


@dataclasses.dataclass(frozen=True)
class FitPlan:
    """Everything a fit does, resolved from the parameters and the training data's facts.

    Built by :meth:`from_params`; the trainer, the network builder and the skorch net read only this.
    """

    network: NetworkSpec
    candidates: tuple
    output: str | None
    optimizer: type
    optimizer_params: dict
    lr: float
    lr_schedule: str | None
    max_epochs: object
    batch_size: object
    window_length: int | None
    crop_windows: bool
    validation_fraction: float
    n_iter_no_change: int | None
    noise_level: NoiseLevel | None
    noise_scaling: tuple | None
    denoising: bool
    match_noise_level: bool
    device: str
    shard: object
    seed: int
    verbose: int
    net_params: dict
    incremental: bool = False

    @classmethod
    def from_params(cls, params, inputs=None, shard=None, incremental=False, previous=None):
        """The plan for ``get_params()`` of an estimator and its validated training `inputs`
        (a :class:`~skdenoise._validation.TrainingInput`; None to rebuild saved networks).

        `shard` is this process's share of a distributed fit; `incremental` plans ``partial_fit``: one
        network (the U-Net for denoising, the MLP otherwise), whole signals, constant rate, no validation,
        continuing the objective and noise level of the `previous` model (a
        :class:`~skdenoise._fit.model.fitted.FittedModel`) where there is one.
        """
        objective = resolve(params["objective"])
        _check_cross_rules(params, objective)
        same_shape = inputs is not None and inputs.same_shape
        candidates = _candidates(params["architecture"], same_shape)
        output = _resolve_output(params["output"], objective, inputs)
        name = device_name(params["device"])
        optimizer = OPTIMIZERS.get(params["optimizer"], params["optimizer"])
        optimizer_params = {"weight_decay": params["weight_decay"]}
        if params["optimizer"] == "sgd":
            optimizer_params["momentum"] = 0.9
        elif params["optimizer"] in ("adam", "adamw"):
            # One kernel for all parameters: 3-5x faster steps on CPUs.
            optimizer_params["fused"] = fused_adam_supported(torch.device(name).type)
        noise_level = None
        if objective.noisy_only and inputs is not None:
            noise_level = resolve_noise_level(params["noise_std"], inputs.signals, params["noise"])
            if incremental:
                objective, noise_level = _streamed(objective, noise_level, previous)
            noise_level = objective.own_level(noise_level)
        # Rank 0's seed on every rank of a distributed fit: the same split, weights and batches everywhere.
        seed = shared_seed(check_random_state(params["random_state"]).randint(np.iinfo(np.int32).max - 2), shard)
        window = None if inputs is None else _layout_window(params["window_length"], inputs)
        return cls(
            network=NetworkSpec(params["z_dim"], params["activation"], params["input_scaling"], objective=objective),
            candidates=candidates[-1:] if incremental else tuple(candidates), output=output,
            optimizer=optimizer, optimizer_params=optimizer_params, lr=params["lr"],
            lr_schedule=params["lr_schedule"], max_epochs=params["max_epochs"], batch_size=params["batch_size"],
            window_length=window, crop_windows=params["window_length"] == "auto",
            validation_fraction=_validation_fraction(params, inputs, window),
            n_iter_no_change=params["n_iter_no_change"],
            noise_level=noise_level, noise_scaling=_noise_scaling(params, objective, same_shape),
            denoising=objective.clean_targets and same_shape, match_noise_level=params["match_noise_level"],
            device=f"cuda:{shard.local_rank}" if shard is not None and name == "cuda" else name, shard=shard,
            seed=seed, verbose=params["verbose"] if shard is None or shard.rank == 0 else 0,
            net_params=dict(params["net_params"] or {}), incremental=incremental)

    @property
    def objective(self):
        return self.network.objective

    @property
    def recorruption(self):
        """The transform of the objective's batches (recorruption), None for batches as they are."""
        return self.objective.recorruption(self.noise_level, self.seed)

    def as_objective(self, name):
        """This plan for the objective of `name` (the self-supervised race's candidates), the noise level as
        that objective takes one handed to it."""
        objective = resolve(name)
        return dataclasses.replace(self, network=dataclasses.replace(self.network, objective=objective),
                                   noise_level=objective.given_level(self.noise_level))

    @property
    def early_stopping_start(self):
        """The fraction of the epochs after which early stopping counts epochs without improvement."""
        return self.objective.settle

    def schedule(self, architecture, lengths, shape, *, target_shape, n_distinct=None, window_length=None):
        """Resolve the "auto" training settings for one network and its training signals.

        `lengths` holds the usable length of each training signal. Fully convolutional networks train on
        random windows of half the signals' length (shifted crops: more examples from few recordings) unless
        the targets are min-max scaled per signal, which a window of a target is not; their batches hold about
        16k time steps and their epochs follow a budget of time steps that grows with the number of distinct
        training signals `n_distinct` (default: their number). The MLP and user classes see whole signals (or
        the windows of a layout of recordings, `window_length`), in batches of 128, for 60 epochs (fewer for
        many whole signals: :func:`mlp_epochs`).
        """
        lengths = np.asarray(lengths)
        length = int(lengths.max()) if len(lengths) else shape[-1]
        convolutional = self.network.fully_convolutional(architecture)
        window = window_length
        if window is None and self.crop_windows:
            can_crop = convolutional and self.output != "minmax" and tuple(shape) == tuple(target_shape)
            window = auto_window_length(length) if can_crop else None
        span = window or length
        windows = int(np.sum(-(-lengths // span))) if window else len(lengths)
        # Without clean signals, or from a few recordings: collections' budgets were measured as they are.
        few = window and (self.objective.noisy_only or len(lengths) < FEW_RECORDINGS)
        repeats = max(1, -(-MIN_EPOCH_WINDOWS // max(windows, 1))) if few else 1
        windows *= repeats
        batch_size = self.batch_size
        if batch_size == "auto":
            batch_size = max(1, CONV_BATCH_STEPS // span) if convolutional else mlp_batch_size(windows)
        noise_scale_range = self._noise_scale_range(shape)
        max_epochs = self.max_epochs
        if max_epochs == "auto":
            growth = min(max((n_distinct or len(lengths)) / CONV_BUDGET_SIGNALS, 1), CONV_BUDGET_GROWTH)
            growth *= 1 if noise_scale_range is None else NOISE_SCALING_BUDGET
            steps_per_epoch = max(windows * span, 1)
            max_epochs = (min(max(round(growth * CONV_BUDGET_STEPS / steps_per_epoch), 1), CONV_MAX_EPOCHS)
                          if convolutional else mlp_epochs(windows, batch_size, whole_signals=window is None))
        return Schedule(int(max_epochs), int(batch_size), window, windows_per_epoch=windows,
                        noise_scale_range=noise_scale_range, window_repeats=repeats)

    def _noise_scale_range(self, shape):
        """The range of factors for each clean pair's noise ``X - y`` while training, None for none.

        ``"auto"`` leaves alone min-max scaled targets (each noisy input was min-max scaled on its own, so
        ``X - y`` is not its noise), targets too short to be signals, and a `max_epochs` the user chose
        (rescaled noise needs the doubled budget).
        """
        if self.noise_scaling != "auto":
            return self.noise_scaling
        signals = self.output != "minmax" and shape[-1] >= MIN_SIGNAL_LENGTH
        return AUTO_NOISE_SCALING if self.denoising and signals and self.max_epochs == "auto" else None


def _check_cross_rules(params, objective):
    """The rules between parameters (each parameter alone is checked by the estimator's constraints)."""
    for name, default in (("noise_std", "auto"), ("noise", "auto")):
        value = params[name]
        if not (isinstance(value, str) and value == default) and not objective.noisy_only:
            noisy = " or ".join(repr(other.name) for other in OBJECTIVES.values() if other.noisy_only)
            raise ValueError(f"{name}={value!r} describes the noise of signals without clean targets (objective="
                             f"{noisy}); objective={objective.name!r} measures the noise against its targets y: "
                             f"leave {name}={default!r}.")
    device = params["device"]
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} was requested but CUDA is not available; use device='cpu'.")


def _streamed(objective, level, previous):
    """The objective and noise level of a ``partial_fit`` without clean signals: those that trained the
    `previous` model (the self-supervised race's choice, at the level of the first call), or for a first call of
    the self-supervised race, recorruption where the noise is gaussian of a level the signals tell, else
    Noise2Self: a stream trains one network, and cannot race."""
    if previous is None:
        if objective.chooses_method:
            objective = OBJECTIVES["recorrupted" if level.gaussian else "noise2self"]
        return objective, level
    if previous.method not in OBJECTIVES:
        raise ValueError(f"partial_fit continues the network that fit trained, but this model denoises with the "
                         f"{previous.method!r} filter, which the self-supervised race kept: there is no network to "
                         f"train. Fit again on all the signals, or train a network from the stream with "
                         f"objective='recorrupted' or 'noise2self'.")
    if previous.noise_std is not None:  # the level the network was trained at, not each batch's reading
        level = NoiseLevel(np.square(previous.noise_std), given=True, exponent=previous.noise_exponent or 0.0)
    return OBJECTIVES[previous.method], level


def _candidates(architecture, same_shape):
    """The architectures `fit` trains, in order; "auto" races the MLP and the U-Net on denoising tasks."""
    if architecture != "auto":
        return [architecture]
    return ["mlp", "conv"] if same_shape else ["mlp"]


def _resolve_output(output, objective, inputs):
    """The output step for ``output="auto"``: min-max for min-max scaled targets, else standardised."""
    if output != "auto" or inputs is None:
        return output
    # Noisy targets are never exactly min-max scaled signals of the clean shape.
    # Windows of min-max scaled recordings (what collections train on) are not min-max scaled.
    if objective.noisy_only or inputs.collection:
        return "standard"
    return "minmax" if all(is_minmax_scaled(t) for t in objective.scaled_targets(inputs)) else "standard"


def _layout_window(window_length, inputs):
    """The windows the training data is laid out in: an integer for recordings and collections, None for
    whole signals (a fully convolutional network may still crop them, see ``crop_windows``)."""
    if inputs.collection:
        return _collection_window(window_length, recording_lengths(inputs.signals))
    return window_length if isinstance(window_length, int) and not isinstance(window_length, bool) else None


def _collection_window(window_length, lengths):
    """The windows a collection of recordings of `lengths` trains on.

    An integer `window_length` as it is (every recording at least that long); "auto": half the median
    length in multiples of 16 (at least 16, what the measures of a signal need), recordings shorter than that
    mirrored at their end to its length (the shortest would make windows too short for all: windows of 32 cost
    ACSF1 0.9 dB against its 736); None:
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
    check_long_enough(lengths, MIN_RECORDING_LENGTH, "Training on a recording needs", advice="leave it out, or pad it")
    median = int(np.median(lengths))
    return max(int(auto_window_length(median) or median), MIN_SIGNAL_LENGTH)


def _validation_fraction(params, inputs, window):
    """`validation_fraction`, or 0 for a list of one recording in "auto" windows too short to hold out its
    last stretch (a short series handed over by itself, as sktime does): then it all trains, and the
    held-out measures are taken on training windows."""
    fraction = params["validation_fraction"]
    if inputs is None or not inputs.collection or params["window_length"] != "auto" or len(inputs.signals) > 1:
        return fraction
    length = inputs.signals[0].shape[-1]
    return fraction if length >= max(math.ceil(fraction * length), window) + window else 0.0


def _noise_scaling(params, objective, same_shape):
    """The `noise_scaling` parameter checked against the objective and targets: "auto", None or a range."""
    scaling = params["noise_scaling"]
    if scaling in ("auto", None):
        return scaling
    if not (objective.clean_targets and same_shape):
        raise ValueError(f"noise_scaling={scaling!r} rescales the noise X - y of clean targets y of X's shape "
                         f"(objective='supervised'); use noise_scaling=None here.")
    return float(scaling[0]), float(scaling[1])
