"""DenoisingAutoencoder: a scikit-learn regressor that trains a torch denoiser through skorch."""

import warnings

import numpy as np
import torch
from skorch.dataset import Dataset
from sklearn.base import BaseEstimator
from sklearn.utils import check_consistent_length, check_random_state
from sklearn.utils.validation import check_is_fitted

from . import persistence
from ._base import SignalRegressorMixin
from ._training import build_net, masking, mean_and_scale, restored_on_failure, validate_params
from ._validation import validate_signals, validate_targets, validate_y
from .callbacks import collapse_message
from .exceptions import CollapseWarning
from .modules import (AffineHead, DenoisingNetwork, MinMaxHead, Noise2SelfMasking, SignalStandardize,
                      Standardize, build_core)
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
    when the validation loss stops improving and restores the best weights. A
    :class:`~skdenoise.CollapseWarning` tells when the model learned a constant instead of the signals.

    Parameters
    ----------
    architecture : {"mlp", "conv"} or torch.nn.Module class, default="mlp"
        ``"mlp"``: :class:`~skdenoise.modules.MLPAutoencoder`, a seed-like encoder/decoder with a `z_dim`
        bottleneck (maps any input shape to any target shape). ``"conv"``:
        :class:`~skdenoise.modules.ResidualConvDenoiser`, residual 1-D convolutions for signals without a
        small global basis. A class is instantiated with those of ``in_shape``, ``out_shape`` (each
        ``(channels, length)``), ``z_dim`` and ``activation`` its constructor accepts, and must map
        ``(n, in_channels, in_length)`` tensors to ``(n, out_channels, out_length)``.
    z_dim : int, default=None
        Bottleneck width of the MLP (None: 64) or number of feature channels of the conv net (None: 32).
    activation : str, default="gelu"
        One of "relu", "gelu", "tanh", "elu", "silu", "leaky_relu".
    output : {"auto", "minmax", "standard", None}, default="auto"
        The output step. ``"minmax"`` scales each output signal (per channel) to ``[0, 1)`` exactly as
        min-max normalised targets are, so the network only has to get the shape right. ``"standard"``
        learns standardised targets (per-position mean and standard deviation from ``fit``) and undoes the
        standardisation. ``"auto"`` picks ``"minmax"`` when every training target has minimum 0 and maximum
        in ``(0.999, 1]``, else ``"standard"``. None: the raw network output (as in the seed).
    input_scaling : {"auto", "standard", "signal", None}, default="auto"
        ``"signal"``: z-score each input signal along time (scale-free, as min-max targets are);
        ``"standard"``: subtract the training inputs' per-position mean and divide by their standard
        deviation (keeps each signal's level and amplitude, which unnormalised targets need); None: raw
        inputs. ``"auto"`` uses ``"signal"`` with the ``"minmax"`` output step, ``"standard"`` otherwise.
    optimizer : {"adam", "adamw", "sgd"} or torch.optim.Optimizer class, default="adam"
        ``"sgd"`` uses momentum 0.9.
    lr : float, default=3e-3
        Learning rate (the peak rate of the one-cycle schedule).
    weight_decay : float, default=0.0
        Weight decay of the optimizer.
    lr_schedule : {"onecycle", "cosine", None}, default="onecycle"
        Per-batch schedule over `max_epochs`; None keeps `lr` constant.
    max_epochs : int, default=60
        Maximum passes over the training signals.
    batch_size : int, default=128
        Signals per gradient step.
    validation_fraction : float, default=0.1
        Fraction of the signals held out for validation and early stopping; 0 trains on all of them.
    n_iter_no_change : int or None, default=10
        Stop when the validation loss has not improved for this many epochs, then restore the best
        weights. None trains for `max_epochs`.
    on_collapse : {"warn", "raise", "ignore"}, default="warn"
        What to do when the fitted model's output is nearly constant (see
        :class:`~skdenoise.callbacks.CollapseMonitor`).
    objective : {"supervised", "noise2self"}, default="supervised"
        ``"supervised"`` learns ``X -> y``; with a second noisy recording as ``y`` (independent noise) this is
        Noise2Noise. ``"noise2self"`` needs no ``y`` (it is ignored): the network learns to predict hidden
        input values from their context (:class:`~skdenoise.modules.Noise2SelfMasking`). An explicit choice
        rather than ``y=None``, so that a forgotten ``y`` is an error, not a silent change of method.
    device : {"auto", "cpu", "cuda"} or str, default="auto"
        Torch device; ``"auto"`` uses CUDA when available.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, batch order and the validation split: an int makes ``fit``
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
    >>> model.output_, model.predict(noisy[:2]).shape
    ('minmax', (2, 64))
    >>> bool(model.score(noisy, clean) > 0.8)
    True
    """

    def __init__(self, architecture="mlp", z_dim=None, activation="gelu", output="auto",
                 input_scaling="auto", optimizer="adam", lr=3e-3, weight_decay=0.0, lr_schedule="onecycle",
                 max_epochs=60, batch_size=128, validation_fraction=0.1, n_iter_no_change=10,
                 on_collapse="warn", objective="supervised", device="auto", random_state=None, verbose=0,
                 net_params=None):
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
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.on_collapse = on_collapse
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

    def _build_module(self, in_shape, out_shape, output, seed, X=None, y=None):
        """The network for these shapes; scaling buffers come from X and y, or are placeholders to load."""
        z_dim = self.z_dim or (32 if self.architecture == "conv" else 64)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            core = build_core(self.architecture, in_shape, out_shape, z_dim, self.activation)
        network = DenoisingNetwork(core, self._input_scaler(in_shape, output, X), self._head(out_shape, output, y))
        return Noise2SelfMasking(network, seed=seed) if self.objective == "noise2self" else network

    def _input_scaler(self, in_shape, output, X):
        scaling = self.input_scaling
        if scaling == "auto":
            scaling = "signal" if output == "minmax" else "standard"
        if scaling == "standard":
            return Standardize(*mean_and_scale(X, in_shape))
        if scaling == "signal":
            return SignalStandardize()
        return torch.nn.Identity()

    @staticmethod
    def _head(out_shape, output, y):
        if output == "minmax":
            return MinMaxHead()
        if output == "standard":
            return AffineHead(*mean_and_scale(y, out_shape))
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

    def _build_net(self, module, n_samples, criterion_params, seed, streaming=False):
        return build_net(self, module, n_samples, criterion_params, seed, streaming)

    def _seed(self):
        return check_random_state(self.random_state).randint(np.iinfo(np.int32).max - 2)

    # ------------------------------------------------------------------ fitting
    def fit(self, X, y=None):
        """Train on noisy signals `X` and clean targets `y`.

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
            net, signals, targets, target_shape, output = self._new_net(X, y, streaming=False)
            with masking(net.module):
                net.fit(self._dataset(signals, targets, net.device), None)
        self._set_fitted(net, signals.shape[1:], target_shape, output)
        self._report_collapse()
        return self

    def _new_net(self, X, y, streaming):
        """Validate a training pair and build a fresh network and skorch net for it."""
        signals, targets, target_shape, _ = validate_targets(self, X, self._targets(X, y))
        output = self._resolve_output(targets)
        seed = self._seed()
        module = self._build_module(signals.shape[1:], targets.shape[1:], output, seed, signals, targets)
        net = self._build_net(module, len(signals), self._criterion_params(module, output), seed, streaming)
        return net, signals, targets, target_shape, output

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

    def partial_fit(self, X, y=None):
        """Train for one pass over `X`, `y`, keeping the weights of earlier calls: for streamed data.

        The first call builds the model from these signals (their shapes, scaling and output step). Streamed
        training uses the constant learning rate `lr`, no validation split and no early stopping; the collapse
        measures are recorded in ``history_`` without warnings (early batches of a stream are expected to be
        poor). Feed it :meth:`CyclicSignalGenerator.iter_batches`, as the seed's training loop does.

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
        >>> model.n_iter_
        20
        """
        if not hasattr(self, "net_"):
            self._validate_params()
            net, signals, targets, target_shape, output = self._new_net(X, y, streaming=True)
        else:
            signals, _ = validate_signals(self, X, reset=False)
            targets, target_shape = self._validate_more_targets(signals, self._targets(X, y))
            net, output = self.net_, self.output_
            if not self._streaming:
                net = self._continue_streaming(len(signals))
        with masking(net.module):
            net.partial_fit(self._dataset(signals, targets, net.device), None, epochs=1)
        self._set_fitted(net, signals.shape[1:], target_shape, output, streaming=True)
        return self

    def _continue_streaming(self, n_samples):
        """A streaming net that starts from the weights of `fit` (with a fresh optimizer state)."""
        params = self._criterion_params(self.net_.module_, self.output_)
        net = self._build_net(self.net_.module_, n_samples, params, self._seed(), streaming=True).initialize()
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

    def _set_fitted(self, net, input_shape, target_shape, output, streaming=False):
        self.net_ = net
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
