"""The noise of the training signals, for the objectives without clean signals: its kind, level and trust.

Noise2Self needs the noise variance to blend its input back in and to know its own error; recorruption
(:mod:`~skdenoise._fit.objectives.recorrupted`) needs it to draw noise like the signals'; the self-supervised
race needs it to judge candidates (Stein's estimate). It is ``noise_std**2`` when the user gives it,
otherwise :func:`~skdenoise.noise.estimate_noise_level` of the noise model (``noise``; by default white or
pink, as the signals tell).
"""

import dataclasses
import functools

import numpy as np

from ..noise import ColouredNoise, estimate_noise_level, estimate_noise_variance, resolve_noise
from ..noise.estimates import MIN_NOISE_FLATNESS, given_variance, is_auto
from .measures import robust_std

__all__ = ["IMPULSIVE_CORE", "NoiseLevel", "resolve_noise_level"]

#: Signals whose finest wavelet details tell the gaussian core of the noise (a bounded cost).
CORE_ROWS = 256
#: The samples of a row the spikes' pairs are counted on: the whole of a 10**7-sample row took the file
#: command's peak memory from 4.2x to 5.4x its size (``bench_files.py`` on 4fbc090).
SPIKE_SAMPLES = 1 << 20
#: Noise is impulsive where the variance of its gaussian core (the finest wavelet coefficients' MAD, which
#: outvotes spikes) is below this fraction of its whole variance: 0.13 on the benchmarks' spikes; about 1
#: for gaussian noise, and more on signals with sharp edges (ACSF1: 7).
IMPULSIVE_CORE = 0.5
#: Jumps between neighbouring samples are large beyond this many robust deviations of them; a spike makes two
#: of opposite signs in a row, a sharp edge of the signal one.
LARGE_JUMP = 5.0
#: Noise has spikes where at least this share of the large jumps come in such pairs: on the corpus's tuning
#: half 0.58 to 0.92 with spikes, at most 0.29 without (heartbeats' narrow peaks under white noise 0.2); the
#: held-out half 0.58 to 0.89 and at most 0.30 (``python benchmarks/bench_level_reads.py``).
SPIKE_PAIRS = 0.45


@dataclasses.dataclass(frozen=True)
class NoiseLevel:
    """The noise variance per channel, whether the user gave it, the flatness of the estimate's floor,
    whether the noise is impulsive (its gaussian core, the wavelet MAD, under half of it in some channel), its
    spectral exponent (0: white), whether that colour was inferred (``noise="auto"`` found it coloured), and
    the variance read with every window, spikes counted whole (the level of impulsive noise), where the
    targets had the inputs' spikes taken out (:mod:`~skdenoise._fit.objectives.despiking`), the inputs' whole noise
    variance (what returning them costs), whether the level may change along time (:meth:`along_time`), and
    the finest details' read (the noise's gaussian core)."""

    variance: np.ndarray
    given: bool
    flatness: np.ndarray | None = None
    _: dataclasses.KW_ONLY
    impulsive: bool = False
    exponent: float = 0.0
    colour_inferred: bool = False
    whole_variance: np.ndarray | None = None
    input_variance: np.ndarray | None = None
    may_change_along_time: bool = False
    core_variance: np.ndarray | None = None

    @property
    def trusted(self):
        """Given, or estimated from a flat noise floor in every channel."""
        return self.given or bool(np.all(self.flatness >= MIN_NOISE_FLATNESS))

    @property
    def gaussian(self):
        """Whether the noise may be taken as gaussian of this level: trusted and not impulsive (what recorruption
        and Stein's risk estimate need)."""
        return self.trusted and not self.impulsive

    @property
    def local_blends(self):
        """Whether local blends may be chosen: not where the level is doubtful, nor with spikes, which raise
        the residuals of the outputs around them (their inputs saw the spike) and so the weight of the spike
        itself: on PickupGesture's spikes a local blend passed them back (+4.1 dB, +4.7 with one weight)
        while its expected error read 0.003 for a true 0.05. Nor where the level may change along time
        (:meth:`along_time`): local weights take more of the input where the noise is strong, and their error
        reads low there even judged with the level read along time (on the corpus's tuning ramps that fall
        back, the local blends chosen lost 1.3 and 0.7 dB to one weight)."""
        return self.gaussian and not self.may_change_along_time

    @property
    def input_error(self):
        """What returning the noisy inputs costs per channel: the noise variance, or the inputs' whole noise
        variance where the targets had their spikes taken out."""
        return self.variance if self.input_variance is None else self.input_variance

    def counting_spikes(self):
        """This level read with every window, spikes counted whole (where the noise turned out not gaussian)."""
        return dataclasses.replace(self, variance=self.variance if self.whole_variance is None else self.whole_variance)

    def along_time(self):
        """This level, as one that changes along the recordings, where one level has failed (Stein's estimate
        of a recorrupted network far below 0) and the level read along time is not steady: Noise2Self's blend
        then takes one weight per channel (:attr:`local_blends`), whose expected error needs only the mean
        variance. (Under a steady level, local weights stay: ACSF1 with spikes the finest details missed
        gains +7.28 dB with them, +4.54 with one weight, ``bench_without_clean.py --sets ACSF1 --kinds
        spikes`` on 5b668d4.)"""
        return dataclasses.replace(self, may_change_along_time=True)

    def read_lower(self, signals):
        """This level read by the finest details alone (:func:`~skdenoise.noise.estimate_noise_variance`) where
        that reads lower in some channel and the large jumps of `signals` are not spikes (:func:`spike_pairs`),
        or None. Both reads count what signal they cannot tell from noise, so the lower is the closer: where
        Stein's estimate fails under the level read, sharp pulses under weak noise may have raised it (the floor
        of windows counts a pulse's whole decay, the finest details only its onset), not spikes."""
        if self.given or self.core_variance is None or not np.any(self.core_variance < self.variance):
            return None
        if spike_pairs(signals) >= SPIKE_PAIRS:
            return None
        lower = np.minimum(self.variance, self.core_variance)
        return dataclasses.replace(self, variance=lower, whole_variance=None, input_variance=None)

    def cautious(self):
        """The level a blend of the noisy input should use: where the floor is not flat, signal raised it by an
        unknown amount, so it is lowered by its flatness, erring towards the noisy input (BasicMotions at noise
        0.2: 0.25 -> 0.08 for a true 0.04; -5.0 -> -0.8 dB)."""
        if self.trusted:
            return self
        doubtful = self.flatness < MIN_NOISE_FLATNESS
        return dataclasses.replace(self, variance=np.where(doubtful, self.variance * self.flatness, self.variance))


def resolve_noise_level(noise_std, signals, noise="auto"):
    """The :class:`NoiseLevel` of training `signals` ``(n, C, L)`` (or a list of ``(C, L)``) with noise of the
    kind `noise` (a name or model of :mod:`skdenoise.noise`; "auto": the kind the signals tell) and the
    `noise_std` parameter ("auto": estimated)."""
    n_channels = np.shape(signals[0])[0]
    core = np.mean([estimate_noise_variance(np.asarray(row)) for row in signals[:CORE_ROWS]], axis=0)
    estimate = estimate_noise_level(signals, noise) if is_auto(noise_std) or is_auto(noise) else None
    model = resolve_noise(noise) if estimate is None else estimate.model
    exponent = float(getattr(model, "exponent", 0.0))
    if is_auto(noise_std):
        variance, given, flatness = estimate.variance, False, estimate.flatness
        whole = estimate.whole_variance
    else:
        variance, given, flatness = given_variance(noise_std, n_channels), True, None
        whole = variance
    length = int(np.median([np.shape(row)[-1] for row in signals[:CORE_ROWS]]))
    impulsive = bool(np.any(core < IMPULSIVE_CORE * variance * _finest_share(exponent, min(length, 4096))))
    # Spikes are rough: the floor without the roughest windows leaves some of them out, the one with every
    # window counts them whole, as Noise2Self's blend and its error need. (Judged on the former: a few
    # steps of the signal raise the latter as spikes would.)
    variance = whole if impulsive else variance
    return NoiseLevel(variance, given, flatness, impulsive=impulsive, exponent=exponent,
                      colour_inferred=is_auto(noise) and exponent != 0, whole_variance=whole,
                      core_variance=core if exponent == 0 else None)


def spike_pairs(signals):
    """The share of the large jumps between neighbouring samples of `signals` (the first ``SPIKE_SAMPLES`` of
    its first ``CORE_ROWS`` rows ``(C, L)``) that come in pairs of opposite signs, as a spike makes them
    (:data:`LARGE_JUMP`); 0 where there are none. Read only where the finest details read a level lower."""
    large = paired = 0
    for row in signals[:CORE_ROWS]:
        jumps = np.diff(np.asarray(row)[..., :SPIKE_SAMPLES], axis=-1)
        spread = robust_std(jumps, axis=-1, keepdims=True)
        big = np.abs(jumps) > LARGE_JUMP * spread
        large += int(big.sum())
        paired += 2 * int(np.sum(big[..., :-1] & big[..., 1:] & (np.sign(jumps[..., :-1]) != np.sign(jumps[..., 1:]))))
    return paired / large if large else 0.0


@functools.cache
def _finest_share(exponent, length):
    """The share of a unit-variance noise's variance that its finest wavelet details read (1 for white noise;
    coloured noise keeps most of its power at coarser scales), drawn with a fixed seed."""
    if exponent == 0 or length < 4:
        return 1.0
    noise = ColouredNoise(exponent).sample((64, length), np.random.default_rng(0))
    return float(np.mean(estimate_noise_variance(noise)))
