"""DenoisingAutoencoder: a scikit-learn regressor that trains a torch denoiser through skorch."""

import dataclasses
import warnings

import numpy as np
import torch
from skorch.dataset import Dataset
from sklearn.base import BaseEstimator
from sklearn.utils import check_consistent_length, check_random_state
from sklearn.utils.validation import check_is_fitted

from . import persistence
from ._base import SignalRegressorMixin
from ._training import (CUTOFF_STEPS, build_net, masking, mean_and_scale, plan_training, restored_on_failure,
                        validate_params, validation_split)
from ._validation import validate_signals, validate_targets, validate_y
from .architectures import build_core, default_z_dim, is_convolutional
from .callbacks import CandidateCutoff, collapse_message, harm_message, mean_squared_error, predict_rows
from .exceptions import CollapseWarning, HarmWarning
from .modules import AffineHead, DenoisingNetwork, MinMaxHead, Noise2SelfMasking, SignalStandardize, Standardize
from .preprocessing import is_minmax_scaled

__all__ = ["DenoisingAutoencoder"]

# Every forward pass in predict has exactly this many rows (the last one zero-padded): float32 kernels pick
# their algorithm by batch size, so a fixed size makes each signal's prediction independent of what else is
# predicted with it (sklearn's subset and order invariance checks, to the last bit).
PREDICT_BATCH_SIZE = 1024


class DenoisingAutoencoder(SignalRegressorMixin, BaseEstimator):
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
        ``"mlp"``: :class:`~skdenoise.modules.MLPAutoencoder`, an encoder/decoder with a `z_dim`
        bottleneck over whole signals (maps any input shape to any target shape). ``"conv"``:
        :class:`~skdenoise.unet.ResidualUNet`, a fully convolutional network that predicts a correction
        added to its input and works at any length. ``"auto"``: train both and keep the one with the lower
        validation MSE (the MLP alone when targets are not signals of the inputs' shape, and for
        Noise2Self). A class is instantiated with those of ``in_shape``, ``out_shape`` (each
        ``(channels, length)``), ``z_dim`` and ``activation`` its constructor accepts, and must map
        ``(n, in_channels, in_length)`` tensors to ``(n, out_channels, out_length)``.
    z_dim : int, default=None
        Bottleneck width of the MLP (None: 64) or channels of the U-Net's first coarse level (None: 32).
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
        Maximum passes over the training signals. ``"auto"``: 60 for the MLP; for the U-Net as many as
        train on about 8 million time steps in all (between 1 and 60; about 15 s on 2 CPU cores), since a
        convolution costs about 20 times more per time step.
    batch_size : int or "auto", default="auto"
        Signals (or windows) per gradient step. ``"auto"``: 128 for the MLP; for the U-Net as many as hold
        about 16,384 time steps.
    window_length : int, "auto" or None, default="auto"
        Train on random windows of this many time steps instead of whole signals, ``ceil(n_timesteps /
        window_length)`` per signal and epoch, at new positions every epoch. Only fully convolutional
        networks (``"conv"``) can. ``"auto"``: half the signals' length for the U-Net (shifted crops: more
        examples from few recordings), except when the targets are min-max scaled per signal (a window
        of such a target is not) or have another shape; whole signals for the other architectures.
        None: whole signals.
    validation_fraction : float, default=0.1
        Fraction of the signals held out for validation, early stopping and the choice of architecture;
        0 trains on all of them. Signals with identical targets (noisy copies of one clean recording) are
        held out together, so that validation measures denoising of recordings not seen in training.
    n_iter_no_change : int or None, default=10
        Stop when the validation loss has not improved for this many epochs, then restore the best
        weights. None trains for `max_epochs`.
    on_collapse : {"warn", "raise", "ignore"}, default="warn"
        What to do when the fitted model's output is nearly constant (see
        :class:`~skdenoise.callbacks.CollapseMonitor`).
    on_harm : {"warn", "raise", "ignore"}, default="warn"
        What to do when the fitted model's validation MSE is above that of returning the noisy input
        unchanged (see :class:`~skdenoise.HarmWarning`); checked when X and y have the same shape.
    objective : {"supervised", "noise2self"}, default="supervised"
        ``"supervised"`` learns ``X -> y``; with a second noisy recording as ``y`` (independent noise) this is
        Noise2Noise. ``"noise2self"`` needs no ``y`` (it is ignored): the network learns to predict hidden
        input values from their context (:class:`~skdenoise.modules.Noise2SelfMasking`). An explicit choice
        rather than ``y=None``, so that a forgotten ``y`` is an error, not a silent change of method.
    device : {"auto", "cpu", "cuda"} or str, default="auto"
        Torch device; ``"auto"`` uses CUDA when available.
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
        to the end, and of ``"identity"`` (returning the input) when X and y have the same shape.
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
        The final collapse measures (see :func:`~skdenoise.callbacks.measure_collapse`), None for targets
        that are not signals.
    n_iter_ : int
        Epochs trained.

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

    def __init__(self, architecture="auto", z_dim=None, activation="gelu", output="auto",
                 input_scaling="auto", optimizer="adam", lr=3e-3, weight_decay=0.0, lr_schedule="onecycle",
                 max_epochs="auto", batch_size="auto", window_length="auto", validation_fraction=0.1,
                 n_iter_no_change=10, on_collapse="warn", on_harm="warn", objective="supervised",
                 device="auto", random_state=None, verbose=0, net_params=None):
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
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.net_params = net_params

    # ------------------------------------------------------------------ validation
    def _validate_params(self):
        validate_params(self)

    # ------------------------------------------------------------------ building
    def _resolve_output(self, targets):
        if self.output != "auto":
            return self.output
        # Noisy targets are never exactly min-max scaled signals of the clean shape.
        if self.objective == "noise2self":
            return "standard"
        return "minmax" if is_minmax_scaled(targets) else "standard"

    def _build_module(self, architecture, in_shape, out_shape, output, seed, X=None, y=None):
        """The network for these shapes; scaling buffers come from X and y, or are placeholders to load."""
        z_dim = self.z_dim or default_z_dim(architecture)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            core = build_core(architecture, in_shape, out_shape, z_dim, self.activation)
        # A network that works at any length cannot scale per position.
        per_channel = is_convolutional(architecture)
        network = DenoisingNetwork(core, self._input_scaler(in_shape, output, X, per_channel),
                                   self._head(out_shape, output, y, per_channel))
        return Noise2SelfMasking(network, seed=seed) if self.objective == "noise2self" else network

    def _input_scaler(self, in_shape, output, X, per_channel):
        scaling = self.input_scaling
        if scaling == "auto":
            scaling = "signal" if output == "minmax" else "standard"
        if scaling == "standard":
            return Standardize(*mean_and_scale(X, in_shape, per_channel))
        if scaling == "signal":
            return SignalStandardize()
        return torch.nn.Identity()

    @staticmethod
    def _head(out_shape, output, y, per_channel):
        if output == "minmax":
            return MinMaxHead()
        if output == "standard":
            return AffineHead(*mean_and_scale(y, out_shape, per_channel))
        return torch.nn.Identity()

    @staticmethod
    def _criterion_params(module, output):
        """The loss standardises like the "standard" head; plain MSE otherwise."""
        head = module.network.head if isinstance(module, Noise2SelfMasking) else module.head
        if output == "standard":
            offset, scale = head.offset.cpu(), head.scale.cpu()
        else:
            offset, scale = torch.zeros(1, 1, 1), torch.ones(1, 1, 1)
        return {"criterion__offset": offset, "criterion__scale": scale}

    def _build_net(self, module, plan, n_samples, output, seed, valid_rows=None, streaming=False, callbacks=()):
        return build_net(self, module, plan, n_samples, self._criterion_params(module, output), seed,
                         valid_rows=valid_rows, streaming=streaming, callbacks=callbacks)

    def _seed(self):
        return check_random_state(self.random_state).randint(np.iinfo(np.int32).max - 2)

    def _candidates(self, signals, targets):
        """The architectures `fit` trains, in order; "auto" races the MLP and the U-Net on denoising tasks."""
        if self.architecture != "auto":
            return [self.architecture]
        # Noise2Self's masked loss is not comparable across networks by an unmasked validation MSE.
        if self.objective == "noise2self" or signals.shape[1:] != targets.shape[1:]:
            return ["mlp"]
        return ["mlp", "conv"]

    # ------------------------------------------------------------------ fitting
    def fit(self, X, y=None):
        """Train on noisy signals `X` and clean targets `y`.

        With ``architecture="auto"`` the MLP and the convolutional U-Net are both trained on the same split
        and the one with the lower validation MSE is kept (a U-Net that is still 1.5x worse than the MLP
        after 30% of its training is stopped there). When `X` and `y` have the same shape, the kept model's
        validation MSE is compared with that of returning `X` unchanged (see `on_harm`).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps)
            Noisy signals.
        y : array-like of shape (n_samples,), (n_samples, n_outputs) or (n_samples, n_channels, n_timesteps)
            Clean targets, usually of X's shape (a second noisy copy for Noise2Noise). Required, except with
            ``objective="noise2self"``, which ignores it.

        Returns
        -------
        self : DenoisingAutoencoder
            The fitted estimator.
        """
        self._validate_params()
        with restored_on_failure(self):
            signals, targets, target_shape, _ = validate_targets(self, X, self._targets(X, y))
            output = self._resolve_output(targets)
            seed = self._seed()
            valid_rows, n_distinct = validation_split(targets, self.validation_fraction, seed + 2)
            # Without a validation split, models are compared (and checked for harm) on training signals.
            check_rows = np.arange(min(len(signals), 1024)) if valid_rows is None else valid_rows
            check = _Held(signals[check_rows], targets[check_rows])
            leader, scores = None, {}
            for architecture in self._candidates(signals, targets):
                net = self._train(architecture, signals, targets, output, seed, (valid_rows, n_distinct), check,
                                  leader)
                if net is None:
                    continue
                scores[architecture] = check.mse(net.module_)
                if leader is None or scores[architecture] < scores[leader[0]]:
                    leader = (architecture, net)
        architecture, net = leader
        self._set_fitted(net, architecture, signals.shape[1:], target_shape, output)
        if signals.shape[1:] == targets.shape[1:] and self.objective == "supervised":
            scores["identity"] = check.identity_mse()
        self.validation_mse_ = scores
        self._report_collapse()
        self._report_harm()
        return self

    def _train(self, architecture, signals, targets, output, seed, split, check, leader):
        """Train one architecture; None when it was cut off behind the `leader` ``(name, net)``."""
        module = self._build_module(architecture, signals.shape[1:], targets.shape[1:], output, seed,
                                    signals, targets)
        valid_rows, n_distinct = split
        n_train = len(signals) - (0 if valid_rows is None else len(valid_rows))
        plan = plan_training(self, architecture, n_train, signals.shape[1:], targets.shape[1:], output,
                             n_distinct)
        callbacks = []
        if leader is not None:
            budget = plan.max_epochs * n_train * plan.windows_per_signal * (plan.window_length or signals.shape[-1])
            cutoff = CandidateCutoff(*check.first(256), leader_mse=check.first_mse(leader[1].module_),
                                     after_steps=min(0.3 * budget, CUTOFF_STEPS))
            callbacks.append(("cutoff", cutoff))
        net = self._build_net(module, plan, len(signals), output, seed, valid_rows, callbacks=callbacks)
        check.to(net.device)
        with masking(net.module):
            net.fit(self._dataset(signals, targets, net.device), None)
        if leader is not None and dict(net.callbacks_)["cutoff"].cut_:
            if self.verbose:
                print(f"architecture={architecture!r} stopped: behind {leader[0]!r} after "
                      f"{cutoff.steps_} training time steps (MSE {cutoff.mse_:.3g}).")
            return None
        return net

    def _targets(self, X, y):
        """y, or the noisy inputs themselves for Noise2Self."""
        return X if self.objective == "noise2self" else y

    def _report_collapse(self):
        if not self.collapsed_ or self.on_collapse == "ignore":
            return
        message = collapse_message(self.collapse_stats_)
        if self.on_collapse == "raise":
            raise CollapseWarning(message)
        warnings.warn(message, CollapseWarning, stacklevel=3)

    def _report_harm(self):
        scores = self.validation_mse_
        if "identity" not in scores or self.on_harm == "ignore":
            return
        model, identity = scores[self.architecture_], scores["identity"]
        if not model > identity:
            return
        message = harm_message(model, identity, self.architecture_)
        if self.on_harm == "raise":
            raise HarmWarning(message)
        warnings.warn(message, HarmWarning, stacklevel=3)

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
        if not hasattr(self, "net_"):
            self._validate_params()
            signals, targets, target_shape, _ = validate_targets(self, X, self._targets(X, y))
            output = self._resolve_output(targets)
            architecture, seed = self._candidates(signals, targets)[-1], self._seed()
            module = self._build_module(architecture, signals.shape[1:], targets.shape[1:], output, seed,
                                        signals, targets)
            net = self._build_net(module, self._streaming_plan(architecture, signals, targets, output),
                                  len(signals), output, seed, streaming=True)
        else:
            signals, _ = validate_signals(self, X, reset=False)
            targets, target_shape = self._validate_more_targets(signals, self._targets(X, y))
            net, output, architecture = self.net_, self.output_, self.architecture_
            if not self._streaming:
                net = self._continue_streaming(signals, targets)
        with masking(net.module):
            net.partial_fit(self._dataset(signals, targets, net.device), None, epochs=1)
        self._set_fitted(net, architecture, signals.shape[1:], target_shape, output, streaming=True)
        return self

    def _streaming_plan(self, architecture, signals, targets, output):
        plan = plan_training(self, architecture, len(signals), signals.shape[1:], targets.shape[1:], output)
        return dataclasses.replace(plan, window_length=None, windows_per_signal=1)

    def _continue_streaming(self, signals, targets):
        """A streaming net that starts from the weights and optimizer state of `fit`, at the rate `lr`.

        A fresh Adam would move every weight by about `lr` in its first steps, whatever the gradient: a
        jolt to a converged model. Its moment estimates from `fit` keep the first steps in proportion.
        """
        plan = self._streaming_plan(self.architecture_, signals, targets, self.output_)
        net = self._build_net(self.net_.module_, plan, len(signals), self.output_, self._seed(),
                              streaming=True).initialize()
        try:
            net.optimizer_.load_state_dict(self.net_.optimizer_.state_dict())
        except (ValueError, KeyError, RuntimeError):  # another optimizer (loaded weights): start afresh
            pass
        for group in net.optimizer_.param_groups:
            group["lr"] = self.lr
        net.history_ = self.net_.history_
        return net

    def _validate_more_targets(self, signals, y):
        targets, target_shape = validate_y(self, y, min_samples=1)
        check_consistent_length(signals, targets)
        if target_shape != self.target_shape_:
            raise ValueError(f"y has targets of shape {target_shape}, but the model was fitted on "
                             f"targets of shape {self.target_shape_}.")
        return targets, target_shape

    @staticmethod
    def _dataset(signals, targets, device):
        return Dataset(torch.from_numpy(signals).to(device), torch.from_numpy(targets).to(device))

    def _set_fitted(self, net, architecture, input_shape, target_shape, output, streaming=False):
        self.net_ = net
        self.architecture_ = architecture
        self.history_ = net.history
        self.input_shape_ = tuple(input_shape)
        self.target_shape_ = tuple(target_shape)
        self.output_ = output
        monitor = dict(net.callbacks_)["collapse"]
        self.collapsed_ = bool(monitor.collapsed_)
        self.collapse_stats_ = monitor.stats_
        self.n_iter_ = len(net.history)
        self._streaming = streaming

    # ------------------------------------------------------------------ inference
    def predict(self, X):
        """Denoise `X`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps)
            Noisy signals of the shape seen in :meth:`fit`.

        Returns
        -------
        ndarray of shape ``(n_samples,) + target_shape_``
            float32 when X is float32, float64 otherwise.
        """
        check_is_fitted(self)
        signals, dtype = validate_signals(self, X, reset=False)
        return self._forward(signals).reshape((len(signals),) + self.target_shape_).astype(dtype, copy=False)

    def _forward(self, signals):
        module = self.net_.module_
        device = next(module.parameters()).device
        module.eval()
        outputs = None
        with torch.inference_mode():
            for start in range(0, len(signals), PREDICT_BATCH_SIZE):
                rows = torch.from_numpy(signals[start:start + PREDICT_BATCH_SIZE]).to(device)
                if len(rows) < PREDICT_BATCH_SIZE:
                    rows = torch.cat([rows, rows.new_zeros((PREDICT_BATCH_SIZE - len(rows),) + rows.shape[1:])])
                batch_out = module(rows)[:len(signals) - start].float().cpu().numpy()
                if outputs is None:
                    outputs = np.empty((len(signals),) + batch_out.shape[1:], dtype=np.float32)
                outputs[start:start + len(batch_out)] = batch_out
        return outputs

    def save_weights(self, path):
        """Save the network's weights only (no pickle): see :mod:`skdenoise.persistence`.

        Parameters
        ----------
        path : str or path-like
            Destination file.
        """
        persistence.save_weights(self, path)

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
        return persistence.load_weights(self, path)


class _Held:
    """Held-out signals and targets on which `fit` compares networks with each other and with the identity."""

    def __init__(self, signals, targets):
        self.signals, self.targets = signals, targets
        self.X, self.y = torch.from_numpy(signals), torch.from_numpy(targets)

    def to(self, device):
        self.X, self.y = self.X.to(device), self.y.to(device)

    def first(self, n):
        return self.X[:n], self.y[:n]

    def mse(self, module, n=None):
        return mean_squared_error(predict_rows(module, self.X[:n]), self.targets[:n])

    def first_mse(self, module):
        return self.mse(module, 256)

    def identity_mse(self):
        if self.signals.shape != self.targets.shape:
            return float("nan")
        return mean_squared_error(self.signals, self.targets)
