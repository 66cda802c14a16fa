"""The fitted model: what ``predict`` runs, what persistence saves, what dask ships to its workers.

A :class:`FittedModel` holds the trained networks (the main one, and a fixed-length network's sliding twin
for other lengths), the shapes it was fitted on, its output step and windows, and the noise levels it knows
(:class:`~skdenoise._fit.model.calibration.LevelCalibration`). It denoises validated float32 signals of any length
it can (:meth:`FittedModel.denoise`), says what it finds about signals before denoising them
(:meth:`FittedModel.check`: unfamiliar noise, harm at other lengths), and turns into plain tensors and
values for a weights-only file and back.
"""

import dataclasses

import numpy as np
import torch

from ... import baselines
from ..._blocks import blockwise
from ...nn.registry import ARCHITECTURES, architecture_name
from ...noise import noise_level_profile
from ..findings import harm_finding
from ..inference import predict_signals
from ..measures import MIN_SIGNAL_LENGTH
from ..scoreboard import IDENTITY, OTHER_LENGTHS, Scoreboard
from ..training.building import build_network
from ..windows import auto_window_length
from .calibration import LevelCalibration, batch_levels, matching_factors, unfamiliar_noise
from .mixture import NETWORK, Mixture

__all__ = ["FittedModel"]


@dataclasses.dataclass(frozen=True)
class FittedModel:
    """Trained networks and what predicting with them needs.

    Attributes
    ----------
    network : DenoisingNetwork
        The main network.
    architecture : str or type
        Its architecture.
    input_shape : tuple
        ``(channels, length)`` of one training input.
    target_shape : tuple
        One target's shape, as given to fit.
    output : str or None
        The output step.
    window_length : int or None
        The length the network computes on when it was trained on windows (None: the training length).
    sliding_network : DenoisingNetwork or None
        A fixed-length network's twin, trained on windows of about half the training length, for signals of
        every other length.
    pads_short : bool
        Signals shorter than the windows are mirrored to them (trained so, on a collection).
    signals_3d : bool
        Fitted on 3-D signals or a collection (what denoises other lengths).
    levels : LevelCalibration or None
        The noise levels the model knows.
    scores : Scoreboard
        Held-out MSEs, as ``validation_mse_``.
    method : str
        How it denoises: the objective its network was trained with, or the classical filter that replaced it
        (``objective="self-supervised"``).
    filter : estimator or None
        That classical filter (:mod:`skdenoise.baselines`), which then denoises instead of the network.
    mixture : Mixture or None
        A weighted sum of the network, filters and the input (``method="mixture"``), which then denoises.
    profile_width : int or None
        Where the noise level changed along the training recordings: the width it is read over
        (:func:`~skdenoise.noise.noise_level_profile`); signals are divided by it before denoising and the
        output multiplied back.
    level_change : float or None
        How much it changed (:func:`~skdenoise.noise.level_change`).
    noise_std : ndarray of shape (C,) or None
        Without clean targets: the noise's standard deviation per channel the model was trained for.
    noise_exponent : float or None
        Without clean targets: the spectral exponent of that noise (0: white, 1: pink).
    gain : GainEvidence or None
        What an estimate of the self-supervised race's gain over the noisy input rests on (its held-out
        signals and the level, :mod:`~skdenoise._fit.selection.gain`), estimated when asked for; None where
        it cannot be told.
    """

    network: torch.nn.Module
    architecture: object
    input_shape: tuple
    _: dataclasses.KW_ONLY
    target_shape: tuple
    output: object
    window_length: int | None = None
    sliding_network: torch.nn.Module | None = None
    pads_short: bool = False
    signals_3d: bool = True
    levels: LevelCalibration | None = None
    scores: Scoreboard = dataclasses.field(default_factory=Scoreboard)
    method: str = "supervised"
    filter: object = None
    mixture: Mixture | None = None
    profile_width: int | None = None
    level_change: float | None = None
    noise_std: np.ndarray | None = None
    noise_exponent: float | None = None
    gain: object = None

    # ------------------------------------------------------------------ what it can do
    @property
    def any_length(self):
        """Whether it denoises 3-D signals of other lengths: fitted on 3-D signals, with targets of their shape."""
        return self.signals_3d and tuple(self.target_shape) == tuple(self.input_shape)

    @property
    def native_length(self):
        """The one length the main network computes on, None when it is fully convolutional."""
        if self.network.fully_convolutional and self.any_length:
            return None
        return self.window_length or self.input_shape[1]

    @property
    def sliding_length(self):
        """The length of the sliding twin's windows (about half the training length)."""
        return auto_window_length(self.input_shape[1])

    @property
    def denoises_with_sliding_network(self):
        """Whether the network trained on windows of other lengths replaced the aligned one."""
        return self.window_length is not None and OTHER_LENGTHS in self.scores

    @property
    def held_out_error(self):
        """The held-out MSE (or its estimate) of what denoises at the training length: the filter or mixture the
        self-supervised race kept, the network trained on windows of other lengths where it replaced the
        aligned one, else the fitted architecture's."""
        if self.method in self.scores:
            return self.scores[self.method]
        if self.denoises_with_sliding_network:
            return self.scores[OTHER_LENGTHS]
        return self.scores.get(self.architecture)

    @property
    def denoises_with_network(self):
        """Whether a network has a part in what denoises: not where the race kept a filter, or a mixture
        without it."""
        if self.filter is not None:
            return False
        return self.mixture is None or self.mixture.weighs(NETWORK)

    def slides(self, length):
        """Whether signals of `length` go to the sliding network."""
        return self.sliding_network is not None and length != self.input_shape[1]

    @property
    def pointwise(self):
        """Whether a stretch of a signal is denoised as in the whole signal by the receptive field alone (what
        denoising a recording cut along time needs): a network whose scaling and head work per time step."""
        return self.filter is None and self.mixture is None and self.profile_width is None and self.network.pointwise

    def matching_applies(self, length, match_levels=True):
        """Whether level matching acts on signals of `length` (`match_levels`: the estimator's
        ``match_noise_level``): not for networks blind to scale, nor classical filters (their thresholds follow
        each signal's noise), nor without known levels."""
        return (match_levels and self.levels is not None and self.filter is None and self.mixture is None
                and not self.network.scale_free
                and length >= MIN_SIGNAL_LENGTH)

    # ------------------------------------------------------------------ predicting
    def check(self, signals, measure_levels=True):
        """What predicting `signals` (an array ``(n, C, L)`` or a list of ``(C, L_i)`` recordings) finds before it
        starts: unfamiliar noise (with `measure_levels`), harm at other lengths. See :meth:`findings`."""
        lengths = [signal.shape[-1] for signal in signals] if isinstance(signals, list) else [signals.shape[-1]]
        levels = batch_levels(signals) if measure_levels and self.levels is not None else None
        return self.findings(levels, lengths)

    def findings(self, levels, lengths):
        """What predicting signals of `lengths` finds: noise of a batch level `levels` ``(C,)`` (None: not
        measured) outside the safe levels, and lengths that go to a sliding network whose held-out MSE was
        above the input's."""
        findings = []
        if levels is not None and self.levels is not None:
            findings += unfamiliar_noise(levels, self.levels)
        scores = self.scores
        if (any(self.slides(length) for length in lengths) and IDENTITY in scores
                and scores.get(OTHER_LENGTHS, 0) > scores[IDENTITY]):
            findings.append(harm_finding(scores[OTHER_LENGTHS], scores[IDENTITY], self.architecture,
                                         other_lengths=True))
        return findings

    def denoise(self, signals, match_levels=True, levels=None):
        """The denoised float32 signals ``(n, C_out, L)`` of float32 `signals` ``(n, C, L)``, levels matched
        (`levels`: their :func:`~skdenoise.noise.signal_noise_levels`, where the caller has read them)."""
        if self.profile_width is not None:  # the noise of one level, as trained
            profile = noise_level_profile(signals, self.profile_width)
            return self._denoise_steady(signals / profile, match_levels) * profile
        return self._denoise_steady(signals, match_levels, levels)

    def _denoise_steady(self, signals, match_levels, levels=None):
        factors = (matching_factors(signals, self.levels, levels)
                   if self.matching_applies(signals.shape[-1], match_levels) else None)
        if factors is None:
            return self._network_output(signals)
        denoised = self._network_output(signals * factors)  # float32: one copy of the signals
        denoised /= factors
        # Far outside what the network saw (inputs that never varied in training), a rescaled signal can
        # overflow float32: those signals are denoised as they are.
        overflowed = ~np.isfinite(denoised).all(axis=(1, 2))
        if overflowed.any():
            denoised[overflowed] = self._network_output(signals[overflowed])
        return denoised

    def predict(self, signals, match_levels=True):
        """:meth:`denoise` shaped like the targets of fit: ``(n,) + target_shape`` at the training length."""
        denoised = self.denoise(signals, match_levels)
        if signals.shape[-1] == self.input_shape[1]:
            denoised = denoised.reshape((len(signals),) + tuple(self.target_shape))
        return denoised

    def predict_collection(self, signals, match_levels=True):
        """Each ``(C, L_i)`` recording of a list denoised on its own, in its dtype."""
        return [self.denoise(signal[None].astype(np.float32, copy=False), match_levels)[0]
                .astype(signal.dtype, copy=False) for signal in signals]

    def _network_output(self, signals):
        if self.filter is not None:  # a long recording block by block: float64 copies of a block at a time
            return blockwise(lambda block: self.filter.transform(block.astype(np.float64)).astype(np.float32), signals)
        if self.mixture is not None:
            return self.mixture.denoise(signals, self.network_alone)
        return self.network_alone(signals)

    def network_alone(self, signals):
        """The network's output on float32 signals ``(n, C, L)`` of any length, as predict runs it (no filter,
        mixture or level matching)."""
        if self.slides(signals.shape[-1]):
            network, length = self.sliding_network, self.sliding_length
        else:
            network, length = self.network, self.native_length
        return predict_signals(network, signals, length, out_channels=self.input_shape[0], pad_short=self.pads_short)

    # ------------------------------------------------------------------ persistence
    def to_state(self):
        """Tensors and plain values only, for ``torch.save`` and ``torch.load(weights_only=True)``."""
        levels = {} if self.levels is None else self.levels.to_state()
        return {"output": self.output, "fitted_architecture": architecture_name(self.architecture),
                "window_length": self.window_length, "pads_short": self.pads_short,
                "input_shape": list(self.input_shape), "target_shape": list(self.target_shape),
                "signals_3d": self.signals_3d, "noise_levels": levels, "state_dict": _cpu_state(self.network),
                "sliding_state_dict": None if self.sliding_network is None else _cpu_state(self.sliding_network),
                "method": self.method, "filter": None if self.filter is None else _filter_state(self.filter),
                "mixture": None if self.mixture is None else
                {"members": list(self.mixture.members), "weights": np.asarray(self.mixture.weights).tolist(),
                 "filters": {name: _filter_state(f) for name, f in self.mixture.filters.items()}},
                "profile_width": self.profile_width, "level_change": self.level_change,
                "noise_std": None if self.noise_std is None else np.asarray(self.noise_std).tolist(),
                "noise_exponent": self.noise_exponent}

    @classmethod
    def from_state(cls, state, spec, architecture):
        """The model of a :meth:`to_state` dict (or of a weights file of skdenoise 0.1), its networks built from
        `spec` (a :class:`~skdenoise._fit.plan.NetworkSpec` of the objective that trained them); a user's
        `architecture` class replaces the saved name (the two were checked to agree)."""
        input_shape, target_shape = tuple(state["input_shape"]), tuple(state["target_shape"])
        window = state["window_length"]
        network_shape = input_shape if window is None else (input_shape[0], window)
        saved = state["fitted_architecture"]
        architecture = saved if saved in ARCHITECTURES else architecture
        out_shape = _out_shape(target_shape) if window is None else network_shape
        output = state["output"]
        if state.get("network_z_dim") is not None:  # an older file's default
            spec = dataclasses.replace(spec, z_dim=state["network_z_dim"])
        method = state.get("method", spec.objective.name)
        network = _network(spec, architecture, network_shape, out_shape=out_shape, output=output,
                           state_dict=state["state_dict"])
        signals_3d = state.get("signals_3d", state.get("n_features_in") == input_shape[0])
        model = cls(network, architecture, input_shape, target_shape=target_shape, output=output, window_length=window,
                    pads_short=state.get("pads_short", False), signals_3d=signals_3d,
                    levels=LevelCalibration.from_state(state.get("noise_levels") or {}),
                    method=method, filter=_filter(state.get("filter"), input_shape),
                    mixture=_mixture(state.get("mixture"), input_shape), profile_width=state.get("profile_width"),
                    level_change=state.get("level_change"),
                    noise_std=None if state.get("noise_std") is None else np.asarray(state["noise_std"]),
                    noise_exponent=state.get("noise_exponent", None if state.get("noise_std") is None else 0.0))
        if state.get("sliding_state_dict") is not None:
            shape = (input_shape[0], model.sliding_length)
            sliding = _network(spec, architecture, shape, out_shape=shape, output=output,
                               state_dict=state["sliding_state_dict"])
            model = dataclasses.replace(model, sliding_network=sliding)
        return model


def _filter_state(fitted):
    return {"class": type(fitted).__name__, "params": fitted.get_params(), "learned": fitted._learned_state()}


def _mixture(saved, input_shape):
    """The mixture of a saved state (None for none), its filters fitted as :func:`_filter` fits them."""
    if saved is None:
        return None
    filters = {name: _filter(state, input_shape) for name, state in saved["filters"].items()}
    return Mixture(tuple(saved["members"]), np.asarray(saved["weights"]), filters)


def _filter(saved, input_shape):
    """The classical filter of a saved state (None for none): one of :mod:`skdenoise.baselines` by name, fitted
    on silence of the model's input shape (what a filter fitted without clean signals needs: its channels), and
    given what it had learned from the signals (the Wiener filter's gain)."""
    if saved is None:
        return None
    cls = getattr(baselines, saved["class"], None)
    if cls is None or saved["class"] not in baselines.__all__:
        raise ValueError(f"The weights file names an unknown filter {saved['class']!r}.")
    fitted = cls(**saved["params"]).fit(np.zeros((1, *input_shape)))
    fitted._restore_learned(saved.get("learned", {}))
    return fitted


def _cpu_state(network):
    return {name: tensor.detach().cpu() for name, tensor in network.state_dict().items()}


def _network(spec, architecture, shape, *, out_shape, output, state_dict):
    network = build_network(spec, architecture, shape, out_shape=out_shape, output=output, seed=0)
    if network.mask is not None:  # skdenoise 0.1 wrapped a masked network: its keys began with "network."
        state_dict = {name.removeprefix("network."): tensor for name, tensor in state_dict.items()}
    network.load_state_dict(state_dict)
    return network


def _out_shape(target_shape):
    """The network's ``(channels, length)`` for the per-sample shape of the targets given to fit."""
    if len(target_shape) == 0:
        return (1, 1)
    if len(target_shape) == 1:
        return (1, target_shape[0])
    return tuple(target_shape)
