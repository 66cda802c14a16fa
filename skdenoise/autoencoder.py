"""DenoisingAutoencoder: a scikit-learn regressor that trains a torch denoiser through skorch.

The estimator's story: its parameters (checked by ``_parameter_constraints``), ``fit`` and ``partial_fit``
(validate, plan, train, set the fitted attributes, report what was found), ``predict`` and persistence. The
training itself is the engine's (:mod:`skdenoise._fit`): a :class:`~skdenoise._fit.plan.FitPlan` resolves the
parameters for the data, a :class:`~skdenoise._fit.trainer.Trainer` trains and returns a
:class:`~skdenoise._fit.model.fitted.FittedModel`, which ``predict`` runs.
"""

import numbers

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from . import persistence
from ._base import SignalRegressorMixin, SignalTransformerMixin, as_table, predict_input
from ._fit.training.distributed import distributed_training
from ._fit.model.lazy import is_dask_array, predict_dask
from ._fit.objectives import OBJECTIVES
from ._fit.plan import DEVICES, OPTIMIZERS, FitPlan
from ._fit.selection.methods import kept_denoiser
from ._fit.trainer import FitResult, Trainer
from ._validation import (Satisfies, class_labels, cuda_device, factor_range, positive_numbers,
                          restored_on_failure, subclass_of, validate_training_input)
from .exceptions import ClassLabelWarning, report
from .nn.network import ACTIVATIONS
from .nn.registry import ARCHITECTURES
from .noise import ColouredNoise, WhiteNoise

__all__ = ["DenoisingAutoencoder"]

ACTIONS = ("warn", "raise", "ignore")


class DenoisingAutoencoder(SignalRegressorMixin, SignalTransformerMixin, BaseEstimator):
    """Denoising autoencoder for 1-D and multichannel signals, trained with skorch.

    ``fit(noisy, clean)`` learns to map noisy signals to clean ones; ``predict(noisy)`` denoises. Signals are
    2-D ``(n_samples, n_timesteps)`` or 3-D ``(n_samples, n_channels, n_timesteps)`` arrays. Training uses
    Adam with a one-cycle learning-rate schedule, holds out `validation_fraction` of the signals, stops early
    when the validation loss stops improving and restores the best weights. By default it trains two
    networks, a fully connected one (best where signals are aligned and share a few global shapes) and a
    residual convolutional U-Net (best where structure is local, shifted or spiky, as in most recordings),
    and keeps the one that denoises the held-out signals better. A :class:`~skdenoise.CollapseWarning`
    tells when the model learned a constant, a :class:`~skdenoise.HarmWarning` when it denoises worse than
    returning its input.

    Parameters
    ----------
    architecture : {"auto", "mlp", "conv"} or torch.nn.Module class, default="auto"
        ``"mlp"``: :class:`~skdenoise.nn.MLPAutoencoder`, an encoder/decoder with a `z_dim`
        bottleneck over whole signals (maps any input shape to any target shape). ``"conv"``:
        :class:`~skdenoise.nn.ResidualUNet`, a fully convolutional network that predicts a correction
        added to its input and works at any length. ``"auto"``: train both and keep the one with the lower
        validation MSE (the MLP alone when targets are not signals of the inputs' shape, and for
        Noise2Self). A class is instantiated with those of ``in_shape``, ``out_shape`` (each
        ``(channels, length)``), ``z_dim`` and ``activation`` its constructor accepts, and must map
        ``(n, in_channels, in_length)`` tensors to ``(n, out_channels, out_length)``.
    z_dim : int, default=None
        Bottleneck width of the MLP (None: 64; 2 for its Noise2Self version, whose rank is ``2 * z_dim``)
        or channels of the U-Net's first coarse level (None: 32).
    activation : str, default="gelu"
        One of "relu", "gelu", "tanh", "elu", "silu", "leaky_relu".
    output : {"auto", "minmax", "standard", None}, default="auto"
        The output step. ``"minmax"`` scales each output signal (per channel) to ``[0, 1)`` exactly as
        min-max normalised targets are, so the network only has to get the shape right. ``"standard"``
        learns standardised targets (mean and standard deviation from ``fit``: per position for the MLP,
        per channel for the U-Net) and undoes the standardisation. ``"auto"`` picks ``"minmax"`` when every
        training target has minimum 0 and maximum in ``(0.999, 1]``, else ``"standard"``. None: the raw
        network output (as in the seed).
    input_scaling : {"auto", "standard", "signal", None}, default="auto"
        ``"signal"``: z-score each input signal along time (scale-free, as min-max targets are);
        ``"standard"``: subtract the training inputs' mean and divide by their standard deviation (per
        position for the MLP, per channel for the U-Net; keeps each signal's level and amplitude, which
        unnormalised targets need); None: raw inputs. ``"auto"`` uses ``"signal"`` with the ``"minmax"``
        output step, ``"standard"`` otherwise.
    optimizer : {"adam", "adamw", "sgd"} or torch.optim.Optimizer class, default="adam"
        ``"sgd"`` uses momentum 0.9.
    lr : float, default=3e-3
        Learning rate (the peak rate of the one-cycle schedule).
    weight_decay : float, default=0.0
        Weight decay of the optimizer.
    lr_schedule : {"onecycle", "cosine", None}, default="onecycle"
        Per-batch schedule over `max_epochs`; None keeps `lr` constant.
    max_epochs : int or "auto", default="auto"
        Maximum passes over the training signals. ``"auto"``: 60 for the MLP (down to 40 where many whole
        signals fill an epoch: as many as make 5,600 optimizer steps); for the U-Net as many as
        train on about 8 million time steps in all (between 1 and 60; about 15 s on 2 CPU cores), since a
        convolution costs about 20 times more per time step.
    batch_size : int or "auto", default="auto"
        Signals (or windows) per gradient step. ``"auto"``: 128 for the MLP (fewer for fewer than 1,024
        training signals: at least 8 steps an epoch, at least 16 signals a step); for the U-Net as many as
        hold about 16,384 time steps.
    window_length : int, "auto" or None, default="auto"
        Train on random windows of this many time steps instead of whole signals, ``ceil(n_timesteps /
        window_length)`` per signal and epoch, at new positions every epoch; a fixed-length network (the
        MLP) is then built for windows of this length and denoises longer signals window by window.
        ``"auto"``: half the signals' length for the U-Net (shifted crops: more examples from few
        recordings), except when the targets are min-max scaled per signal (a window of such a target is
        not) or have another shape; whole signals for the other architectures; for a list of recordings
        (see :meth:`fit`), half their median length for every architecture. None: whole signals.
    validation_fraction : float, default=0.1
        Fraction of the signals held out for validation, early stopping and the choice of architecture;
        0 trains on all of them. Signals with identical targets (noisy copies of one clean recording) are
        held out together, so that validation measures denoising of recordings not seen in training.
    n_iter_no_change : int or None, default=10
        Stop when the validation loss has not improved for this many epochs, then restore the best
        weights. None trains for `max_epochs`.
    on_collapse : {"warn", "raise", "ignore"}, default="warn"
        What to do when the fitted model's output is nearly constant (see :class:`~skdenoise.CollapseWarning`
        and the user guide).
    on_harm : {"warn", "raise", "ignore"}, default="warn"
        What to do when the fitted model's validation MSE is above that of returning the noisy input
        unchanged (see :class:`~skdenoise.HarmWarning`); checked when X and y have the same shape. For
        Noise2Self, also when it cannot know that it beats the input (:class:`~skdenoise.NoiseLevelWarning`).
    objective : {"supervised", "noise2noise", "noise2self", "recorrupted", "self-supervised"}, \
            default="supervised"
        ``"supervised"`` learns ``X -> y`` from clean targets. ``"noise2noise"``: ``y`` is a second noisy
        recording of the same signals (independent, zero-mean noise); the network learns both ``X -> y``
        and ``y -> X``, and its validation loss against noisy targets (the clean loss plus the noise
        variance, in expectation) times early stopping and picks the architecture. The others need no ``y``
        (it is ignored) and learn from the noisy signals alone. ``"noise2self"``: the built-in architectures
        become blind-spot networks (:mod:`skdenoise.nn.blindspot`) that predict every sample from the others,
        trained to reproduce their noisy input; a user's class is trained with
        :class:`~skdenoise.nn.Noise2SelfMasking`. ``"recorrupted"`` (Recorrupted-to-Recorrupted, Pang et al.,
        2021): for gaussian noise of a known level and colour, the network learns ``X + a z -> X - z / a``
        with ``z`` drawn like the noise (``noise``, ``noise_std``), which is clean training in expectation;
        it sees the sample it denoises, unlike a blind spot. ``"self-supervised"``, the recommended path
        without clean signals: where the noise is gaussian of a level the signals tell, a recorrupted network,
        the wavelet filter, the Savitzky-Golay filter and the input itself, judged on held-out recordings by
        Stein's unbiased risk estimate, the best kept (``method_``), or their mixture of least estimate where
        it is lower still; where the level of white noise changes along the recordings, the same on the
        recordings divided by that level (``noise_level_change_``); where the noise is impulsive, or its level
        cannot be told, Noise2Self. Explicit choices rather than ``y=None``, so that a forgotten ``y`` is an
        error, not a silent change of method.
    noise : {"auto", "white", "pink", "brown"} or noise model, default="auto"
        Without clean targets (``"noise2self"``, ``"recorrupted"``, ``"self-supervised"``): the kind of noise
        in X, white or coloured (:class:`~skdenoise.noise.WhiteNoise`, :class:`~skdenoise.noise.ColouredNoise`
        of any spectral exponent), which recorruption draws and the noise level is estimated for. ``"auto"``:
        white where the training signals' noise floor is flat as white noise, otherwise pink where it is flat
        as pink noise, otherwise white, not trusted (:func:`~skdenoise.noise.estimate_noise_level`;
        ``noise_exponent_`` says which). Name the kind when you know it.
    noise_std : "auto", float or array-like of shape (n_channels,), default="auto"
        Without clean targets: the standard deviation of the noise in X, one for all channels or one per
        channel. It makes exact, in expectation, what cannot otherwise be measured: how much of each noisy
        sample to blend back into a blind-spot output (:class:`~skdenoise.nn.InputBlend`), the noise that
        recorruption draws, and the denoised signals' error against the clean ones (``validation_mse_``), so
        that the result never does worse than the input, in expectation. ``"auto"`` estimates it from the
        training signals (:func:`~skdenoise.noise.estimate_noise_level`) and warns
        (:class:`~skdenoise.NoiseLevelWarning`) where they do not tell it.
    noise_scaling : "auto", (float, float) or None, default="auto"
        With clean targets, train on each pair's noise ``X - y`` rescaled by a factor drawn log-uniformly from
        this range, anew for every pair and batch, each pair's loss weighted by the inverse squared factor
        (so that every level counts alike): one model for a range of levels around the one the pairs were
        made with, not for that level only; a constant offset between X and y is kept as it is. ``"auto"``:
        ``(1/3, 3)`` with twice the U-Net's time-step budget, for clean targets of the inputs' shape that are
        not min-max scaled per signal (there ``X - y`` is not the noise), with ``max_epochs="auto"`` (a
        budget you chose stays yours); None: the pairs as they are. On the benchmarks' real sets, trained at
        0.5: from 0.35 dB below to 0.4 dB above one-level training at 0.5, and 0.3 to 7.2 dB above it at 0.2
        and 1.0 (``benchmarks/bench_noise.py``).
    match_noise_level : bool, default=True
        In ``predict``, a signal whose noise level (a robust estimate from its finest wavelet details) lies
        outside the levels of single training inputs (``noise_level_quantiles_``) is multiplied so that it
        lies at the nearest end of them, denoised, and divided back: additive noise scales with its signal,
        so the network meets the level it was trained on. Signals inside the range are untouched. Not done for
        min-max outputs or per-signal input scaling, which make the network blind to scale.
    on_unfamiliar_noise : {"warn", "raise", "ignore"}, default="warn"
        What ``predict`` does when the noise level of its signals (the median over them, per channel) lies
        outside ``safe_noise_levels_``: see :class:`~skdenoise.UnfamiliarNoiseWarning`.
    device : {"auto", "cpu", "cuda"} or str, default="auto"
        Torch device; ``"auto"`` uses CUDA when available.
    distributed : bool, default=False
        Train data-parallel in the processes of a launcher (``torchrun --nproc-per-node=N script.py``),
        each holding the same data: every rank trains on its share of every batch and the gradients are
        averaged (``gloo`` on CPUs, ``nccl`` on GPUs), so that all ranks keep identical weights and take the
        same decisions (early stopping, the race, the warnings); save the model on rank 0. Without a
        launcher's environment it is an error. ``partial_fit`` always trains in one process.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, batch order, windows and the validation split: an int makes ``fit``
        reproducible on the CPU.
    verbose : int, default=0
        0 is silent; 1 or more shows a progress bar and skorch's table of losses per epoch.
    net_params : dict or None, default=None
        Extra keyword arguments for :class:`skorch.NeuralNetRegressor`, e.g. ``{"callbacks": [...]}`` or
        ``{"optimizer__betas": (0.9, 0.99)}``.

    Attributes
    ----------
    net_ : skorch.NeuralNetRegressor
        The trained skorch net; ``net_.module_`` is the torch module.
    architecture_ : str or type
        The architecture in use (``"auto"`` resolved).
    validation_mse_ : dict
        MSE on the validation signals (training signals when there are none) of each architecture trained
        to the end, of ``"identity"`` (returning the input) when X and y have the same shape, and of
        ``"other lengths"`` with a `sliding_net_`. For a blind-spot network (Noise2Self) the winner's and
        ``"other lengths"`` are the expected MSE of the blended output against the clean signals and
        ``"identity"`` the noise variance (see ``noise_std``; 0 where a slightly high noise variance puts the
        estimate below 0); the others are blind-spot losses. For recorruption training (and the
        self-supervised race, with ``"wavelet"``, ``"savitzky-golay"`` and ``"mixture"``) every entry is
        Stein's unbiased estimate of the MSE against the clean signals, ``"identity"`` the noise variance.
    noise_std_ : ndarray of shape (n_channels,) or None
        Without clean targets: the noise's standard deviation per channel that training used (``noise_std``,
        or its estimate; for Noise2Self, lowered where the signals did not tell it). None with clean targets.
    noise_exponent_ : float or None
        Without clean targets: the spectral exponent of the noise training assumed (0: white, 1: pink; see
        ``noise``). None with clean targets.
    noise_level_change_ : float or None
        With ``objective="self-supervised"``, where the level of white noise changed along the training
        recordings (a sensor whose noise grows, a gain change): how much (its 90% over its 10% quantile along
        time, :func:`~skdenoise.noise.level_change`). The race then ran on the recordings divided by that level
        along time (:func:`~skdenoise.noise.noise_level_profile`), and ``predict`` divides and multiplies back
        alike; ``noise_std_`` is the level's root mean square. None where it did not change.
    gain_estimate_ : GainEstimate or None
        With ``objective="self-supervised"`` and gaussian noise: what the kept denoiser likely gains over the
        noisy input in dB (``.db``), and a likely range (``.low``, ``.high``) that holds the noise level's
        likely error (measured on a corpus of recordings) and the spread over the held-out signals; ``str()``
        says it in words. ``validation_mse_`` reads the level as estimated, so its ratios may read several dB
        higher. None where nothing measured says how far to trust the level: impulsive or brown noise, a level
        the signals do not tell or that changes along time, and for every other objective. Estimated on first
        reading (the kept denoiser run on the held-out signals once per probe of its divergence).
    method_ : str
        How the model denoises: the objective its network was trained with, or, for
        ``objective="self-supervised"``, what the race kept: ``"recorrupted"``, ``"noise2self"``,
        ``"wavelet"``, ``"savitzky-golay"``, ``"identity"``, or ``"mixture"``: a weighted sum, per channel,
        of the network, the filters and the input whose Stein's estimate is below each one's (SURE-LET).
    sliding_net_ : skorch.NeuralNetRegressor or None
        For a fixed-length network (the MLP) fitted on whole 3-D signals with targets of their shape: the
        same architecture trained on random windows of half their length, which ``predict`` uses at every
        other length (``validation_mse_["other lengths"]`` is its held-out MSE, the held-out signals
        denoised through its windows). The aligned network alone would see windows of longer signals start
        where no training signal did: on random sums of cosines fitted at 256 samples, 165 times its MSE at
        4,096 samples, 2.3 times the input's; the sliding network, 2.9 times (``benchmarks/bench_long.py``).
        Where it also denoises the held-out signals better at the training length (signals that are not
        aligned), it replaces the aligned network everywhere (``net_``, with ``window_length_`` its length)
        and this is None. None also for min-max outputs, whose windows are not min-max scaled.
    history_ : skorch.History
        Losses and collapse measures per epoch.
    n_features_in_ : int
        Number of features (2-D X) or channels (3-D X) seen in fit.
    input_shape_, target_shape_ : tuple
        ``(channels, timesteps)`` of one input signal; shape of one target as passed to fit.
    output_ : str or None
        The output step in use (``"auto"`` resolved).
    collapsed_ : bool
        Whether the final model was found collapsed.
    collapse_stats_ : dict or None
        The final collapse measures, None for targets that are not signals: ``variance_ratio`` (how much
        the predictions vary along time relative to the targets), ``loss_ratio`` (the MSE relative to
        predicting each target's own mean) and ``mse``.
    n_iter_ : int
        Epochs trained.
    noise_level_range_ : ndarray of shape (n_channels, 2) or None
        The median noise level of the training inputs per channel (the robust estimate
        :func:`skdenoise.noise.estimate_noise_std`), at the lowest and the highest factor of
        `noise_scaling` (the same twice without), as the warning of unfamiliar noise reports it. None when
        the targets are not signals of the inputs' shape.
    noise_level_quantiles_ : ndarray of shape (n_channels, 2) or None
        The 10% and 90% quantiles of single training inputs' levels (at the lowest and highest factor):
        `match_noise_level` leaves signals between them unchanged.
    safe_noise_levels_ : ndarray of shape (n_channels, 2) or None
        The median noise levels of a batch between which ``predict`` stays silent. With clean targets they
        are measured: the held-out pairs' noise is rescaled by factors from 1/16 to 16 and the model
        compared with returning its input at each; the range ends where it stops beating it (1.5 times
        beyond the last factor tried where it never does). Otherwise the training inputs' level divided
        and multiplied by 1.5.

    Examples
    --------
    >>> from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
    >>> gen = CyclicSignalGenerator(samples_per_period=32, random_state=0)
    >>> noisy, clean = gen.generate(400)
    >>> model = DenoisingAutoencoder(max_epochs=30, random_state=0, device="cpu").fit(noisy, clean)
    >>> model.output_, model.architecture_, model.predict(noisy[:2]).shape
    ('minmax', 'mlp', (2, 64))
    >>> bool(model.validation_mse_["mlp"] < model.validation_mse_["identity"] / 5)
    True
    >>> bool(model.score(noisy, clean) > 0.8)
    True
    """

    _parameter_constraints = {
        "architecture": [StrOptions({"auto", *ARCHITECTURES}), Satisfies(subclass_of(torch.nn.Module),
                                                                          "a torch.nn.Module class")],
        "z_dim": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "output": [StrOptions({"auto", "minmax", "standard"}), None],
        "input_scaling": [StrOptions({"auto", "standard", "signal"}), None],
        "optimizer": [StrOptions(set(OPTIMIZERS)), Satisfies(subclass_of(torch.optim.Optimizer),
                                                             "a torch.optim.Optimizer class")],
        "lr": [Interval(numbers.Real, 0, np.inf, closed="neither")],
        "weight_decay": [Interval(numbers.Real, 0, np.inf, closed="left")],
        "lr_schedule": [StrOptions({"onecycle", "cosine"}), None],
        "max_epochs": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "window_length": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"}), None],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="left")],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "on_collapse": [StrOptions(set(ACTIONS))],
        "on_harm": [StrOptions(set(ACTIONS))],
        "objective": [StrOptions(set(OBJECTIVES))],
        "noise": [StrOptions({"auto", "white", "pink", "brown"}), Satisfies(
            lambda value: isinstance(value, (WhiteNoise, ColouredNoise)), "a WhiteNoise or ColouredNoise")],
        "noise_std": [StrOptions({"auto"}), Satisfies(positive_numbers, "a number > 0 or one number > 0 per channel")],
        "noise_scaling": [StrOptions({"auto"}), None, Satisfies(factor_range, "a range of factors (low, high) with "
                                                                               "0 < low <= high")],
        "match_noise_level": ["boolean"],
        "on_unfamiliar_noise": [StrOptions(set(ACTIONS))],
        "device": [StrOptions(set(DEVICES)), Satisfies(cuda_device, "'cuda:N'")],
        "distributed": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "net_params": [dict, None],
    }

    def __init__(self, architecture="auto", z_dim=None, activation="gelu", output="auto",
                 input_scaling="auto", optimizer="adam", lr=3e-3, weight_decay=0.0, lr_schedule="onecycle",
                 max_epochs="auto", batch_size="auto", window_length="auto", validation_fraction=0.1,
                 n_iter_no_change=10, on_collapse="warn", on_harm="warn", objective="supervised", noise="auto",
                 noise_std="auto", noise_scaling="auto", match_noise_level=True, on_unfamiliar_noise="warn",
                 device="auto", distributed=False, random_state=None, verbose=0, net_params=None):
        self.architecture = architecture
        self.z_dim = z_dim
        self.activation = activation
        self.output = output
        self.input_scaling = input_scaling
        self.optimizer = optimizer
        self.lr = lr
        self.weight_decay = weight_decay
        self.lr_schedule = lr_schedule
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.window_length = window_length
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.on_collapse = on_collapse
        self.on_harm = on_harm
        self.objective = objective
        self.noise = noise
        self.noise_std = noise_std
        self.noise_scaling = noise_scaling
        self.match_noise_level = match_noise_level
        self.on_unfamiliar_noise = on_unfamiliar_noise
        self.device = device
        self.distributed = distributed
        self.random_state = random_state
        self.verbose = verbose
        self.net_params = net_params

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = not self._learns_from_noisy_alone()
        return tags

    # ------------------------------------------------------------------ fitting
    def fit(self, X, y=None, groups=None):
        """Train on noisy signals `X` and clean targets `y`.

        With ``architecture="auto"`` the MLP and the convolutional U-Net are both trained on the same split
        and the one with the lower validation MSE is kept (a U-Net that is still 1.5x worse than the MLP
        after 30% of its training is stopped there). When `X` and `y` have the same shape, the kept model's
        validation MSE is compared with that of returning `X` unchanged (see `on_harm`).

        With an integer `window_length`, `X` and `y` may be a few long recordings (any length of at least
        `window_length`; numpy memmaps are read window by window, never copied whole): every epoch trains
        on random windows covering them once, and validation uses windows of held-out recordings, or of the
        last `validation_fraction` of each recording when there are fewer than ``1 / validation_fraction``.

        `X` and `y` may also be collections of recordings of unequal length, in aeon's convention: lists of
        ``(n_channels, length)`` arrays (1-D arrays for one channel; memmaps welcome), the channels the same
        in all. Training draws windows (`window_length`) across the recordings in proportion to their
        lengths; validation holds out whole recordings; with ``window_length="auto"`` a recording shorter
        than the windows (at least 16 time steps) is mirrored at its end to their length, with an
        integer one it is an error naming it. ``predict`` then takes lists (and arrays) of any length.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps), or list
            Noisy signals, or a list of recordings.
        y : array-like of shape (n_samples,), (n_samples, n_outputs) or (n_samples, n_channels, n_timesteps), or list
            Clean targets, usually of X's shape (a second noisy copy for Noise2Noise); a list of X's shapes for
            a list. Required, except without clean targets (``"noise2self"``, ``"recorrupted"``, ``"self-supervised"``),
            which ignore it.
        groups : array-like of shape (n_samples,), default=None
            Which recording each signal comes from: signals of one group are held out for validation
            together. Clean targets tell it without help (identical targets are one recording); noisy ones
            cannot, so give it for Noise2Noise and Noise2Self when signals are copies or pieces of fewer
            recordings, or validation rewards remembering them.

        Returns
        -------
        self : DenoisingAutoencoder
            The fitted estimator.
        """
        self._emit(self._fit(X, y, groups, incremental=False))
        return self

    def partial_fit(self, X, y=None):
        """Train for one pass over `X`, `y`, keeping the weights of earlier calls: for streamed data.

        The first call builds the model from these signals (their shapes, scaling and output step); with
        ``architecture="auto"`` a stream cannot race two networks, so it uses the U-Net when the targets have
        the inputs' shape and the MLP otherwise. Streamed training uses the constant learning rate `lr`,
        whole signals, no validation split and no early stopping; the collapse measures are recorded in
        ``history_`` without warnings (early batches of a stream are expected to be poor). Feed it
        :meth:`CyclicSignalGenerator.iter_batches`, as the seed's training loop does.

        Parameters
        ----------
        X, y : array-like
            A batch of noisy signals and their targets, as in :meth:`fit`.

        Returns
        -------
        self : DenoisingAutoencoder

        Examples
        --------
        >>> from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
        >>> model = DenoisingAutoencoder(batch_size=64, random_state=0, device="cpu")
        >>> stream = CyclicSignalGenerator(samples_per_period=16, random_state=0).iter_batches(64, 20)
        >>> for noisy, clean in stream:
        ...     model = model.partial_fit(noisy, clean)
        >>> model.n_iter_, model.architecture_
        (20, 'conv')
        """
        self._emit(self._fit(X, y, None, incremental=True))
        return self

    def _fit(self, X, y, groups, incremental):
        """Validate, plan, train and set the fitted attributes; return what the training found.

        `incremental`: one pass for ``partial_fit``, continuing the fitted networks if there are any.
        """
        self._validate_params()
        previous = FitResult(self.model_, self.net_) if incremental and hasattr(self, "model_") else None
        with restored_on_failure(self), distributed_training(self.distributed and not incremental,
                                                             self.device) as shard:
            if self._learns_from_noisy_alone():
                y = X
            elif class_labels(y):
                self._report_class_labels(y)
            inputs = validate_training_input(self, X, y, groups, incremental, continuing=previous is not None)
            plan = FitPlan.from_params(self.get_params(), inputs, shard, incremental,
                                       previous=None if previous is None else previous.model)
            trainer = Trainer(plan)
            result = trainer.train_more(inputs, previous) if incremental else trainer.fit(inputs)
        self._set_fitted(result)
        return result.findings

    def _learns_from_noisy_alone(self):
        """Whether the objective takes no ``y`` (False for an objective that does not exist: fit says so)."""
        objective = OBJECTIVES.get(self.objective) if isinstance(self.objective, str) else None
        return objective is not None and objective.noisy_only

    def _report_class_labels(self, y):
        """Class labels as the targets of a model that learns from them: a warning, or an error for labels
        that are not numbers (which it could not learn)."""
        message = (f"y holds class labels, not signals: {type(self).__name__}(objective={self.objective!r}) "
                   f"learns to predict them from X instead of denoising it. As the denoising step before a "
                   f"classifier, use objective='self-supervised', which learns from the noisy signals alone and "
                   f"ignores y; to learn from clean signals, pass them as y.")
        try:
            np.asarray(y, dtype=np.float64)
        except (ValueError, TypeError):
            raise ValueError(message) from None
        report("warn", ClassLabelWarning, message + " If y holds numeric targets, silence this with "
                                                    "warnings.filterwarnings('ignore', category=ClassLabelWarning).")

    def _set_fitted(self, result):
        """The one place that sets the fitted attributes: from a :class:`~skdenoise._fit.trainer.FitResult`."""
        model = result.model
        self.model_ = model
        self.net_, self.sliding_net_ = result.net, result.sliding_net
        self.architecture_, self.output_, self.window_length_ = model.architecture, model.output, model.window_length
        self.input_shape_, self.target_shape_ = tuple(model.input_shape), tuple(model.target_shape)
        self.history_ = result.net.history
        self.n_iter_ = len(result.net.history)
        self.collapsed_, self.collapse_stats_ = result.collapsed, result.collapse_stats
        self.validation_mse_ = dict(model.scores)
        self.method_ = model.method
        self.noise_std_ = model.noise_std
        self.noise_exponent_ = model.noise_exponent
        self.noise_level_change_ = model.level_change
        self.__dict__.pop("_gain_estimate", None)  # the last fit's, estimated when asked for
        self.interrupted_ = result.interrupted
        levels = model.levels
        self.noise_level_range_, self.noise_level_quantiles_, self.safe_noise_levels_ = (
            (None, None, None) if levels is None else (levels.range, levels.quantiles, levels.safe))

    @property
    def gain_estimate_(self):
        check_is_fitted(self)
        if "_gain_estimate" not in self.__dict__:
            evidence = self.model_.gain
            self._gain_estimate = None if evidence is None else evidence.estimate(kept_denoiser(self.model_))
        return self._gain_estimate

    def _emit(self, findings):
        """Act on each finding as its ``on_*`` parameter says (a warning points at the user's call)."""
        for finding in findings:
            report("warn" if finding.control is None else getattr(self, finding.control), finding.category,
                   finding.message)

    # ------------------------------------------------------------------ inference
    def predict(self, X):
        """Denoise `X`.

        Signals of the fitted shape are denoised whole. A model fitted on 3-D signals (with targets of the
        inputs' shape) also denoises 3-D signals of any other length: the U-Net natively (in chunks for
        long signals, with the same result as one pass), the MLP and other fixed-length networks through
        windows of their length, a quarter window apart, blended with tapered weights: those of
        ``sliding_net_`` where there is one (a network fitted on whole aligned signals has never seen a
        signal start anywhere else). A min-max output step scales each whole output signal, whatever its
        length. At other lengths `on_harm` acts on ``validation_mse_["other lengths"]``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps), or list
            Noisy signals of the shape seen in :meth:`fit`, or 3-D signals of the fitted channels and
            any length (at least the length of a fixed-length network's windows); or a list of recordings
            (``(n_channels, length)`` arrays, 1-D for one channel), each denoised on its own.

        Returns
        -------
        ndarray of shape ``(n_samples,) + target_shape_``, or list
            Signals of another length: of shape ``(n_samples, n_channels, n_timesteps)``; for a list, a list
            of arrays of its recordings' shapes. float32 when X is float32, float64 otherwise.

        Examples
        --------
        >>> import numpy as np
        >>> from skdenoise import DenoisingAutoencoder
        >>> rng = np.random.default_rng(0)
        >>> clean = [np.sin(np.arange(n) / 8)[None] for n in (300, 180, 240, 420, 200, 260)]
        >>> noisy = [c + rng.normal(0, 0.3, c.shape) for c in clean]
        >>> model = DenoisingAutoencoder(max_epochs=5, device="cpu", random_state=0).fit(noisy, clean)
        >>> [d.shape for d in model.predict(noisy[:2])]
        [(1, 300), (1, 180)]
        """
        denoised, findings = self._predict(X)
        self._emit(findings)
        return denoised

    def transform(self, X):
        """Denoised signals of `X`, as :meth:`predict` returns them: the denoiser as a step of a pipeline.

        A step before a classifier receives the class labels as ``y`` in ``fit``: with
        ``objective="self-supervised"`` (or ``"noise2self"``, ``"recorrupted"``), which learns from the noisy
        signals alone, they are ignored; a supervised objective would learn to predict them, and warns
        (:class:`~skdenoise.ClassLabelWarning`). A model fitted on 2-D signals names its output columns
        (:meth:`get_feature_names_out`), so ``set_output(transform="pandas")`` works on it and on a pipeline
        holding it. There is no ``encode`` for a latent code: only the MLP has one, and a classifier does
        better on the denoised signals, which keep their time structure.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps), or list
            Noisy signals, as for :meth:`predict`.

        Returns
        -------
        ndarray or list
            As :meth:`predict` returns, except that scalar targets come out as one column.

        Examples
        --------
        >>> from sklearn.linear_model import RidgeClassifier
        >>> from sklearn.pipeline import make_pipeline
        >>> from skdenoise import DenoisingAutoencoder, make_cyclic_signals
        >>> noisy, _ = make_cyclic_signals(200, samples_per_period=16, random_state=0)
        >>> labels = (noisy.mean(axis=1) > noisy.mean()).astype(int)
        >>> denoiser = DenoisingAutoencoder(objective="self-supervised", max_epochs=2, device="cpu", random_state=0)
        >>> pipeline = make_pipeline(denoiser, RidgeClassifier()).set_output(transform="pandas")
        >>> denoised = pipeline.fit(noisy, labels)[0].transform(noisy[:3])
        >>> type(denoised).__name__, denoised.shape
        ('DataFrame', (3, 32))
        """
        denoised, findings = self._predict(X)
        self._emit(findings)
        return as_table(denoised)

    def _predict(self, X):
        """The denoised X and what predicting it found (unfamiliar noise, harm at other lengths)."""
        check_is_fitted(self)
        model, match = self.model_, self.match_noise_level
        measure = self.on_unfamiliar_noise != "ignore"
        if is_dask_array(X):
            return predict_dask(model, X, self.n_features_in_, match, measure)
        given = predict_input(self, X, any_length=model.any_length,
                              lists_need="a model fitted on 3-D signals (n_samples, n_channels, n_timesteps) or on a "
                                         "list of recordings, with targets of the inputs' shape")
        findings = model.check(given.signals, measure)
        denoised = given.output(lambda signals: model.denoise(signals.astype(np.float32, copy=False), match),
                                model.target_shape, model.input_shape[1])
        return denoised, findings

    # ------------------------------------------------------------------ persistence
    def save_weights(self, path):
        """Save the network's weights only (no pickle): see :mod:`skdenoise.persistence`.

        Parameters
        ----------
        path : str or path-like
            Destination file.
        """
        check_is_fitted(self)
        persistence.save_weights(path, self.model_.to_state(), self.get_params(), self.n_features_in_)

    def load_weights(self, path):
        """Load weights saved by :meth:`save_weights` into this estimator (same structure parameters).

        The file is read with ``torch.load(weights_only=True)``, so loading runs no code from it.

        Parameters
        ----------
        path : str or path-like
            A file written by :meth:`save_weights`.

        Returns
        -------
        self : DenoisingAutoencoder
            Fitted, ready to predict.

        Examples
        --------
        >>> import tempfile, os, numpy as np
        >>> from skdenoise import DenoisingAutoencoder, make_cyclic_signals
        >>> noisy, clean = make_cyclic_signals(200, samples_per_period=16, random_state=0)
        >>> model = DenoisingAutoencoder(max_epochs=5, device="cpu", random_state=0).fit(noisy, clean)
        >>> path = os.path.join(tempfile.mkdtemp(), "weights.pt")
        >>> model.save_weights(path)
        >>> loaded = DenoisingAutoencoder(device="cpu").load_weights(path)
        >>> bool(np.array_equal(loaded.predict(noisy), model.predict(noisy)))
        True
        """
        self._validate_params()
        state = persistence.load_weights(path, self.get_params())
        result = Trainer(FitPlan.from_params(self.get_params(), incremental=True)).restore(state)
        self.n_features_in_ = state["n_features_in"]
        self._set_fitted(result)
        return self
