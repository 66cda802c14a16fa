"""What the engine finds and the estimator reports: collapse, harm, doubtful noise levels, unfamiliar noise.

The engine never warns itself. It returns :class:`Finding` objects; the public method that was called
(``fit``, ``partial_fit``, ``predict``) acts on each as its ``on_*`` parameter says, so that every warning
points at the user's line without counting stack frames through the engine.
"""

import dataclasses

import numpy as np

from ..exceptions import (
    CollapseWarning,
    HarmWarning,
    NoiseLevelWarning,
    TrainingInterruptedWarning,
    UnfamiliarNoiseWarning,
)
from ..noise.estimates import MIN_NOISE_FLATNESS

__all__ = ["Finding", "collapse_finding", "collapse_message", "harm_finding", "inferred_colour_finding",
           "interrupted_finding", "noise_level_findings", "unfamiliar_noise_finding"]

_ADVICE = (
    "Try: optimizer='adam' instead of plain SGD; a learning rate between 1e-3 and 1e-2; more epochs "
    "(max_epochs) or more training signals; output='minmax' when the targets are min-max scaled per signal; "
    "input_scaling='standard' so the inputs are centred.")
#: fit warns of a noise variance above the noise when the blind-spot loss is below this fraction of it (both
#: vary by a few per cent with the signals held out; a network that predicts 0 on pure noise has a loss of
#: about the variance).
LOSS_TOLERANCE = 0.9


@dataclasses.dataclass(frozen=True)
class Finding:
    """A warning to give: its category, its message, and the ``on_*`` parameter that says what to do."""

    category: type
    message: str
    control: str | None = None  # None: always a warning


def interrupted_finding(model):
    """A :class:`~skdenoise.TrainingInterruptedWarning`: Ctrl-C ended the training, and what was kept."""
    if model.filter is not None:
        kept = (f"the {model.method} filter, the best of the candidates that finished; the unfinished network was "
                f"dropped")
    else:
        kept = (f"the network ({model.architecture!r}) as it was when its training stopped: usable, not trained to "
                f"the end (a candidate that finished is always kept over one that did not)")
    return Finding(TrainingInterruptedWarning, f"Training was interrupted (Ctrl-C) before its end: the model keeps "
                                               f"{kept}. interrupted_ is True; fit again to train fully.")


def collapse_message(stats):
    """The :class:`~skdenoise.CollapseWarning` text for the measures of
    :func:`~skdenoise._fit.measures.measure_collapse`."""
    return (
        f"The model collapsed to a near-constant output: its predictions vary "
        f"{stats['variance_ratio']:.2%} as much along time as the targets, and its MSE ({stats['mse']:.3g}) "
        f"is {stats['loss_ratio']:.2f}x the MSE of predicting each target's own mean. {_ADVICE}")


def collapse_finding(stats):
    return Finding(CollapseWarning, collapse_message(stats), "on_collapse")


def harm_finding(model_mse, identity_mse, architecture, other_lengths=False):
    """A :class:`~skdenoise.HarmWarning`: the model's validation MSE is above the identity's."""
    advice = ("architecture='conv' (a residual network that starts as the identity)" if architecture != "conv"
              else "more training signals or max_epochs")
    message = (
        f"The fitted model makes signals worse than returning them unchanged: its validation MSE "
        f"({model_mse:.4g}) is above that of the noisy inputs themselves ({identity_mse:.4g}). Try: {advice}; "
        f"a lower lr; check that X and y are aligned pairs of the same signals. Use on_harm='ignore' to "
        f"silence this.")
    if other_lengths:
        message = f"At other lengths than the training signals' (windows of a sliding network): {message}"
    return Finding(HarmWarning, message, "on_harm")


def noise_level_findings(level, loss):
    """Where Noise2Self cannot know that it beats the input: a noise level (a
    :class:`~skdenoise._fit.noise_level.NoiseLevel`) above the blind-spot `loss` per channel (which is the
    error plus it), or an estimated level the signals do not support."""
    channels = ", ".join(str(c) for c in np.flatnonzero(loss < LOSS_TOLERANCE * level.variance))
    if channels:
        source = "noise_std" if level.given else "the estimated noise variance"
        return [Finding(NoiseLevelWarning,
                        f"{source} ({_values(level.variance)}) is above the blind-spot network's held-out loss "
                        f"({_values(loss)}) on channel(s) {channels}, which in expectation is its error plus the "
                        f"noise variance: the noise is smaller than that, or correlated (a blind spot then predicts "
                        f"part of it), and the blend, leaning on the network, may do worse than the noisy input. "
                        f"Give the right noise_std; for correlated noise, record a second copy and use "
                        f"objective='noise2noise'.", "on_harm")]
    if not level.given and np.any(level.flatness < MIN_NOISE_FLATNESS):
        flat = np.flatnonzero(level.flatness < MIN_NOISE_FLATNESS)
        return [Finding(NoiseLevelWarning,
                        f"These signals do not tell their noise level (channel(s) {', '.join(map(str, flat))}): they "
                        f"vary as much as noise at every scale of a 16-sample window, or the noise is correlated "
                        f"(the smallest eigenvalues of their windows' covariance are not flat: "
                        f"{_values(level.flatness)}, under {MIN_NOISE_FLATNESS}). The denoised signals may be worse "
                        f"than the noisy ones. Give noise_std and the noise's kind (noise='white', 'pink' or "
                        f"'brown') if you know them, or record a second copy and use objective='noise2noise'.",
                        "on_harm")]
    return []


def inferred_colour_finding(level):
    """A :class:`~skdenoise.NoiseLevelWarning` where ``noise="auto"`` took the noise as coloured: second-order
    statistics cannot tell coloured noise from a signal of the same spectrum, so the user should confirm."""
    return Finding(NoiseLevelWarning,
                   f"The noise was taken as pink (noise='auto'): the signals' noise floor is not flat as white noise "
                   f"but is as pink noise, of standard deviation {_values(np.sqrt(level.variance))}. A signal whose "
                   f"own spectrum falls as 1/f (a random walk, an autoregressive process, brain activity) looks the "
                   f"same, and would then be removed with the noise. Pass noise='pink' to confirm (this warning "
                   f"then goes), or noise='white' if the noise is white.", "on_harm")


def unfamiliar_noise_finding(levels, safe, trained):
    """An :class:`~skdenoise.UnfamiliarNoiseWarning` when a channel's batch level ``(C,)`` lies outside its
    safe range `safe` ``(C, 2)``; None when every channel is within it. `trained` ``(C, 2)``: the training
    inputs' levels, for the message."""
    outside = (levels < safe[:, 0]) | (levels > safe[:, 1])
    if not np.any(outside):
        return None
    channel = int(np.flatnonzero(outside)[0])
    where = f" (channel {channel})" if len(levels) > 1 else ""
    side = "above" if levels[channel] > safe[channel, 1] else "below"
    low, high = trained[channel]
    trained_on = f"{low:.3g}" if np.isclose(low, high, rtol=0.01) else f"{low:.3g} to {high:.3g}"
    return Finding(UnfamiliarNoiseWarning,
                   f"The signals to denoise have a noise level{where} of about {levels[channel]:.3g}, {side} the "
                   f"{safe[channel, 0]:.3g} to {safe[channel, 1]:.3g} at which the model denoised its held-out "
                   f"signals (it was trained on {trained_on}; robust estimates from the finest wavelet details): it "
                   f"may denoise them worse than returning them unchanged. Try: training pairs at the level you "
                   f"meet, or a range of levels (skdenoise.recordings.make_noisy_pairs(..., noise_std=(low, "
                   f"high))), or a wider noise_scaling; objective='noise2self' learns from these noisy signals "
                   f"themselves. Use on_unfamiliar_noise='ignore' to silence this.", "on_unfamiliar_noise")


def _values(array):
    return ", ".join(f"{v:.3g}" for v in np.ravel(array))
