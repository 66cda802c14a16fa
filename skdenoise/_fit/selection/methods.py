"""``objective="self-supervised"``: without clean signals, the best of the networks and the classical filters.

Where the noise is gaussian of a level the signals tell (trusted and not impulsive), a network is trained by
recorruption (:mod:`~skdenoise._fit.objectives.recorrupted`) and it, the wavelet filter, the Savitzky-Golay
filter of the best window, the Wiener filter of the training signals' spectrum and the noisy input itself
are judged on held-out recordings by Stein's unbiased risk estimate
(:mod:`~skdenoise._fit.selection.scoreboard`); the least estimated error is kept, so the result is never worse than the
classical filters or the input, in expectation. Where Stein's estimate of the network's error reads far below
0 but the signals' large jumps are not spikes' pairs of opposite signs and the level hardly changes along
time, the level read may have counted sharp signal (pulses under weak noise): the network is trained again at
the finest details' lower read, and the race goes on at that level if the estimate holds there. Where the
noise is impulsive (the finest wavelet details say so, or Stein's estimate reads far below 0 at every level
read), no gaussian estimate holds: Noise2Self's blind-spot network and its blend, whose error is known from
the noise variance alone (after Stein's estimate failed, with one weight per channel where the level is not
steady along time: local weights' error reads low where it changes; a linear filter, Savitzky-Golay's or
Wiener's, is kept instead where its estimate, which holds there too, reads below the blend's). Where the
finest details said so, the signals are smooth enough at that scale for the blind spot to find the spikes: a
network is then trained by recorruption towards targets without them
(:mod:`~skdenoise._fit.objectives.despiking`), at the level of the gaussian noise left. Where the signals do
not tell their noise level, Noise2Self with a cautious level, and a warning.
"""

import dataclasses

import numpy as np

from ...baselines import IdentityDenoiser, SavitzkyGolayDenoiser, WaveletDenoiser, WienerDenoiser
from ...baselines.filters import least_risk_window
from ...metrics import stein_mse
from ...noise import ColouredNoise, level_change, noise_level_profile
from ...noise.along_time import PROFILE_WIDTH
from ..inference import forward_rows
from ..model.mixture import INPUT, NETWORK, Mixture
from ..noise_level import resolve_noise_level
from ..objectives.despiking import blind_spot_output, despiked
from ..scoreboard import IDENTITY
from .gain import gain_evidence
from .sure_let import fit_mixture

__all__ = ["IDENTITY", "SAVGOL", "WAVELET", "WIENER", "classical_candidates", "race_methods", "without_spikes"]

#: The classical candidates, by the name ``validation_mse_`` and ``method_`` give them (and the input itself,
#: :data:`~skdenoise._fit.scoreboard.IDENTITY`).
WAVELET, SAVGOL, WIENER = "wavelet", "savitzky-golay", "wiener"
#: A mixture of the candidates is kept where its estimated error is this much (relatively) below the best
#: candidate's: a mixture is more to run and to explain.
MIXTURE_GAIN = 0.01
#: What the Wiener filter reads the signals' spectrum on: at most this many training signals, this many samples
#: in all, and at least this many of each.
SPECTRUM_ROWS, SPECTRUM_SAMPLES, MIN_SPECTRUM_LENGTH = 256, 1 << 20, 2048
#: The noise the Wiener filter is given by its name, by spectral exponent.
NOISE_NAMES = {0.0: "white", 1.0: "pink", 2.0: "brown"}
#: The name ``method_`` and ``validation_mse_`` give a mixture.
MIXTURE = "mixture"
#: The Savitzky-Golay filter's polynomial order.
SAVGOL_ORDER = 3
#: The wavelet candidate's cycle spinning (``WaveletDenoiser(shifts=...)``): on the 33 recordings of the corpus's
#: tuning half under white noise, 8 shifts gained 0.25 to 0.86 dB over one (mean +0.58), 32 shifts 0.04 more.
WAVELET_SHIFTS = 8
#: Stein's estimate is unbiased for gaussian noise of the level it is given: an estimated error below this
#: fraction of the noise variance below 0 says the noise is not that (ACSF1 with spikes, whose sharp signal
#: edges hide the spikes from the wavelet detail test: -4.5 times the variance; gaussian noise of a level
#: estimated 8% high: -0.014 times).
GAUSSIAN_TOLERANCE = 0.25
#: The race reads the level along time where it changes more than this (:func:`~skdenoise.noise.level_change`,
#: set on the corpus's tuning half: constant white noise 1.5 to 2.4, ramps and jumps 3.0 to 5.6).
LEVEL_CHANGE = 2.8
#: Where Stein's estimate fails, the race trains again at the finest details' lower read only under a level
#: that changes by less than this: on the corpus's tuning half, where they read lower, constant white noise
#: changed 1.44 to 1.58 and ramps and jumps 2.09 to 4.67 (``python benchmarks/bench_level_reads.py``). Under a
#: ramp the lower read judges at one level what changes: without this condition, five of the corpus's
#: held-out ramps lost 1.9 to 4.7 dB (``bench_files.py --part held-out`` on 481c4b3).
LEVEL_STEADY = 1.8


def race_methods(plan, inputs, fit):
    """The :class:`~skdenoise._fit.trainer.FitResult` of the self-supervised race; `fit` trains a plan on the
    inputs (the trainer's own fit). Where an estimated white noise's level changes along the recordings, the
    race runs on them divided by that level (:func:`along_time`)."""
    noise, change = plan.noise_level, np.inf
    if not noise.given and noise.exponent == 0:
        profiles = _profiles(inputs.signals)
        change = (float(np.median([level_change(p[None]) for p in profiles])) if isinstance(profiles, list)
                  else level_change(profiles))
        if change > LEVEL_CHANGE:
            return along_time(plan, inputs, fit, profiles, change)
        del profiles  # as large as the signals: not held while the race trains
    return _race(plan, inputs, fit, steady=change < LEVEL_STEADY)


def along_time(plan, inputs, fit, profiles, change):
    """The race on the signals divided by their level along time, whose noise then has one level: its model
    divides what it denoises the same way, and multiplies the output back."""
    scale = (lambda signals: [s / p for s, p in zip(signals, profiles)]) if isinstance(profiles, list) \
        else (lambda signals: signals / profiles)
    signals = scale(inputs.signals)
    targets = signals if inputs.targets is inputs.signals else scale(inputs.targets)
    steady = dataclasses.replace(inputs, signals=signals, targets=targets)
    level = resolve_noise_level("auto", steady.signals, "white")
    result = _race(dataclasses.replace(plan, noise_level=level), steady, fit)
    # the gain on the signals divided by their level is not the gain on them: none is given
    model = dataclasses.replace(result.model, profile_width=PROFILE_WIDTH, level_change=change, gain=None)
    return dataclasses.replace(result, model=model)


def _profiles(signals):
    """The relative level along time of each training signal (float32, like them): an array, or a list."""
    if isinstance(signals, list):
        return [noise_level_profile(np.asarray(s)[None])[0] for s in signals]
    return noise_level_profile(signals)


def _race(plan, inputs, fit, steady=False):
    """The race at the level of `plan`; where Stein's estimate fails there and the level is `steady` along time,
    at the finest details' lower read if it holds there, else Noise2Self (or a linear filter), its blend with
    one weight per channel where the level is not `steady`."""
    noise = plan.noise_level
    if not noise.gaussian:
        blind_spot = fit(plan.as_objective("noise2self"), inputs)
        if noise.trusted and noise.impulsive and not blind_spot.interrupted:
            return without_spikes(plan, inputs, blind_spot, fit)
        return blind_spot
    result = fit(plan.as_objective("recorrupted"), inputs)
    lower = noise.read_lower(inputs.signals) if steady else None
    if not _stein_fails(result, noise):
        return _against_filters(result, noise, inputs.signals, steady_lower=None if lower is None else lower.variance)
    if lower is not None:  # trained again at the lower level; kept where Stein's estimate holds there
        again = fit(dataclasses.replace(plan, noise_level=lower).as_objective("recorrupted"), inputs)
        if not _stein_fails(again, lower):
            return _against_filters(again, lower, inputs.signals, gain=False)  # the lower read's error: not measured
    level = noise.counting_spikes() if steady else noise.counting_spikes().along_time()
    blind_spot = fit(dataclasses.replace(plan, noise_level=level).as_objective("noise2self"), inputs)
    return _or_linear_filter(blind_spot, level, inputs.signals)


def _stein_fails(result, noise):
    """Whether Stein's estimate of the recorrupted network of `result` reads far below 0 (:data:`GAUSSIAN_TOLERANCE`):
    the noise is not gaussian of the `noise` level."""
    return result.model.held_out_error < -GAUSSIAN_TOLERANCE * float(np.mean(noise.variance)) and not result.interrupted


def _against_filters(result, noise, training, gain=True, steady_lower=None):
    """The recorrupted network of `result`, the classical filters, the input or a mixture of them, whichever has
    the least Stein's estimate at the `noise` level on the held-out signals (the Wiener filter of the
    `training` signals' spectrum); with the evidence of a likely gain where asked and the level's error was
    measured (and the `steady_lower` read the file command's estimate rests on)."""
    model = result.model
    std, exponent = np.sqrt(noise.variance), noise.exponent
    judged, max_window = _judged(result)
    filters = classical_candidates(judged, std, exponent, spectra=training, max_window=max_window)
    board = model.scores.with_scores({name: risk for name, (_, risk) in filters.items()})
    best = board.best(filters)
    mixture, estimate, alone = _mixed(model, filters, judged, std, exponent, network=not result.interrupted)
    # the network judged where the filters are: on the stretches whole, where it runs as on a recording
    network = alone[NETWORK] if result.stretches and NETWORK in alone else model.held_out_error
    single = min(board[best], network) if not result.interrupted else board[best]
    findings = ()  # where a mixture or a filter is kept, the network's findings (collapse, harm) no longer apply
    if estimate < (1 - MIXTURE_GAIN) * single:  # below every candidate's estimate, the input's too
        model = dataclasses.replace(model, mixture=mixture, method=MIXTURE,
                                    scores=board.with_scores({MIXTURE: estimate}))
    elif board[best] < network or result.interrupted:  # a network that did not finish is not kept
        model = dataclasses.replace(model, filter=filters[best][0], method=best, scores=board)
    else:
        model, findings = dataclasses.replace(model, scores=board), result.findings
    evidence = gain_evidence(result.held_out, noise.variance, exponent, given=noise.given, flatness=noise.flatness,
                             steady_lower=steady_lower) if gain else None
    return dataclasses.replace(result, model=dataclasses.replace(model, gain=evidence), findings=findings)


def _or_linear_filter(blind_spot, level, training):
    """The Noise2Self result `blind_spot`, or the linear filter (Savitzky-Golay, or the Wiener filter of the
    `training` signals' spectrum) of least estimated error on the same held-out signals where that is below the
    blend's with one weight per channel. Both estimates need only noise independent from sample to sample of
    the mean variance of `level`, whatever its distribution and its changes along time: one weight's by
    construction, a linear filter's because Stein's estimate of it is ``F - mean(v_i (1 - 2 h_ii))``, and its
    weights ``h_ii`` on the sample itself do not change along time (but near the ends, where the mirrored taps
    add to them: a Wiener filter half as long as the signals reads 8% low under a ramp). Local weights'
    estimate reads low where the level changes; the wavelet filter's thresholds are not linear, and its
    estimate needs gaussian noise of one level."""
    judged, max_window = _judged(blind_spot)
    filters = classical_candidates(judged, np.sqrt(level.variance), 0.0, filters=(SAVGOL, WIENER), spectra=training,
                                   max_window=max_window)
    linear = [name for name in (SAVGOL, WIENER) if name in filters]
    if not linear:
        return blind_spot
    model = blind_spot.model
    board = model.scores.with_scores({name: filters[name][1] for name in linear})
    best = board.best(linear)
    if board[best] < _one_weight_error(model, blind_spot.held_out, level.variance) or blind_spot.interrupted:
        model = dataclasses.replace(model, filter=filters[best][0], method=best, scores=board)
        return dataclasses.replace(blind_spot, model=model, findings=())  # a network that did not finish is not kept
    return dataclasses.replace(blind_spot, model=dataclasses.replace(model, scores=board))


def _judged(result):
    """What the race judges its candidates on, and the longest Savitzky-Golay window it tries: a recording's
    held-out stretches whole, as the filters are applied, in windows no longer than the network validates on
    (Savitzky-Golay's cost grows with its window: up to the stretch, 60 of the 235 s a 10^7-sample recording
    took); else the held-out signals, in any window that fits them."""
    if result.stretches:
        return result.stretches, result.held_out.shape[-1]
    return result.held_out, None


def _one_weight_error(model, signals, variance):
    """The expected error of a Noise2Self `model`'s blind-spot output blended with its noisy input `signals` by
    one weight per channel, ``(1 - w)**2 (loss - s2) + w**2 s2`` at ``w = 1 - s2 / loss``: ``s2 (1 - s2 / loss)``."""
    parts = [np.asarray(part, dtype=np.float32) for part in (signals if isinstance(signals, list) else [signals])]
    squares = [np.square(part.astype(np.float64) - blind_spot_output(model, part)).mean(axis=(0, 2)) for part in parts]
    loss = np.average(squares, axis=0, weights=[part.size for part in parts])
    variance = np.asarray(variance, dtype=np.float64)
    weight = np.clip(1 - variance / np.maximum(loss, 1e-300), 0, 1)
    return float(np.mean((1 - weight) ** 2 * (loss - variance) + weight ** 2 * variance))


def kept_denoiser(model):
    """What the race kept, as a function of float32 signals ``(n, C, L)`` (on the scale the race ran on)."""
    network = (lambda X: forward_rows(model.network, X))
    if model.mixture is not None:
        return lambda X: model.mixture.denoise(X, network)
    if model.filter is not None:
        return lambda X: model.filter.transform(X.astype(np.float64))
    return network


def _mixed(model, filters, held_out, std, exponent, network=True):
    """The :class:`~skdenoise._fit.model.mixture.Mixture` of the network (unless it did not finish), the
    filters and the input of least Stein's estimate on the held-out signals (an array ``(n, C, L)``, or a list
    of such arrays), that estimate, and each candidate's own by name."""
    candidates = {NETWORK: model.network_alone} if network else {}
    fitted = {name: denoiser for name, (denoiser, _) in filters.items() if name != IDENTITY}
    candidates.update({name: (lambda X, f=denoiser: f.transform(X.astype(np.float64)))
                       for name, denoiser in fitted.items()})
    candidates[INPUT] = lambda X: X
    weights, estimate, alone = fit_mixture(candidates, held_out, std, exponent)
    return Mixture(tuple(candidates), weights, fitted), estimate, dict(zip(candidates, alone))


def without_spikes(plan, inputs, blind_spot, fit):
    """Recorruption towards targets whose spikes the Noise2Self result `blind_spot` found and took out
    (:mod:`~skdenoise._fit.objectives.despiking`), at the level of the gaussian noise left in them; `blind_spot` itself
    where that level cannot be told."""
    noise = plan.noise_level
    targets = despiked(inputs.signals, blind_spot_output(blind_spot.model, inputs.signals))
    core = resolve_noise_level("auto", targets, ColouredNoise(noise.exponent) if noise.exponent else "white")
    if not core.gaussian:
        return blind_spot
    level = dataclasses.replace(core, input_variance=noise.counting_spikes().variance)
    result = fit(dataclasses.replace(plan, noise_level=level).as_objective("recorrupted"),
                 dataclasses.replace(inputs, targets=targets))
    return dataclasses.replace(blind_spot, interrupted=True) if result.interrupted else result


def classical_candidates(signals, std, exponent, filters=(WAVELET, SAVGOL, WIENER), spectra=None, max_window=None):
    """The classical `filters` (and the identity) fitted on held-out noisy `signals` (an array ``(n, C, L)``, or
    a list of such arrays, weighted by their sizes), with their estimated MSE there, as ``{name: (denoiser,
    estimate)}``; Savitzky-Golay in its window of least estimated error (at most `max_window`), absent where no
    window fits; the
    Wiener filter of the spectrum of the noisy `spectra` (the training signals: an array, or a list of
    ``(C, L)`` recordings; the held-out signals where None). Each denoises through its public ``transform``,
    as the fitted model and the file command apply it."""
    parts = [np.asarray(part, dtype=np.float64) for part in (signals if isinstance(signals, list) else [signals])]

    def risk(denoiser):
        return float(np.average([np.mean(stein_mse(lambda X: denoiser.transform(X.astype(np.float64)), part, std,
                                                   exponent)) for part in parts], weights=[p.size for p in parts]))

    found = {IDENTITY: (IdentityDenoiser().fit(parts[0]), float(np.mean(np.square(std))))}
    if WAVELET in filters:
        wavelet = WaveletDenoiser(threshold="bayes", shifts=WAVELET_SHIFTS).fit(parts[0])
        found[WAVELET] = (wavelet, risk(wavelet))
    if SAVGOL in filters:
        window, estimate = least_risk_window(parts, std, exponent, SAVGOL_ORDER, max_window)
        if window is not None:
            savgol = SavitzkyGolayDenoiser(window_length=window, polyorder=SAVGOL_ORDER).fit(parts[0])
            found[SAVGOL] = (savgol, estimate)
    if WIENER in filters and float(exponent) in NOISE_NAMES:  # by name and plain values, as a weights file keeps them
        rows = [row for part in parts for row in part] if spectra is None else spectra
        wiener = WienerDenoiser(noise=NOISE_NAMES[float(exponent)], noise_std=[float(s) for s in np.ravel(std)])
        wiener.fit(_spectrum_rows(rows))
        found[WIENER] = (wiener, risk(wiener))
    return found


def _spectrum_rows(rows):
    """Up to ``SPECTRUM_ROWS`` of `rows` ``(C, L)``, evenly spaced, each cut to its share of
    ``SPECTRUM_SAMPLES`` (a long recording's spectrum is read on its first 2**20 samples)."""
    taken = rows[::max(1, -(-len(rows) // SPECTRUM_ROWS))]
    length = max(MIN_SPECTRUM_LENGTH, SPECTRUM_SAMPLES // len(taken))
    return [np.asarray(row[..., :length], dtype=np.float64) for row in taken]
