"""How much the kept denoiser gains over the noisy input, as a likely value and a range: what the file command
prints and ``gain_estimate_`` holds.

Without clean signals the gain is the noise variance over the denoised signals' error, both read from the noisy
signals: the error by Stein's unbiased estimate, which is exact only at the true noise variance ``v``. It is
linear in the variance it is given, ``F - v (1 - 2 t)`` (``F`` the mean squared change the denoiser makes,
``t`` its divergence per unit of variance), so a variance read 6% high, a small error for a level, lowers a
good denoiser's estimated error by a third and lifts its gain by 2 dB (PickupGesture at white noise 0.5:
+13.9 dB printed for +8.2 measured). Two things are uncertain, and the range holds both:

- the level: estimates of the noise variance from the signals read noise plus what signal they cannot tell
  from noise. Their ratio to the true variance was measured on the recordings of the corpus's tuning half
  (``benchmarks/bench_levels.py``); the likely value divides the variance read by its median ratio, the
  range by its 95% and 5% quantiles. The file command estimates on the whole recording, most of which its
  network trained on, where the estimate also reads optimistic at the true level: its ratios
  (:data:`RECORDING_RATIOS`) are those at which the estimate equalled the measured gain on such recordings;
- the held-out signals: few windows of one recording, some quieter than others; the range spans the 10% to
  90% quantiles of the error over them resampled (a bootstrap).

Where no such measurement covers the noise (impulsive noise, a level the signals do not tell or tell less
surely than any measured, brown noise, a level that changes along time) there is no estimate: None, and the
report says why.
"""

import dataclasses

import numpy as np

from ...metrics import STEIN_PROBES, stein_parts

__all__ = ["GainEstimate", "GainEvidence", "LEVEL_RATIOS", "RECORDING_RATIOS", "SteinSummary", "estimate_gain",
           "gain_evidence", "stein_summary"]

#: The estimated noise variance over the true one, its 5%, 50% and 95% quantiles, by the noise's spectral
#: exponent (0: white, 1: pink): trusted estimates of the recordings of the corpus's tuning half joined end to end
#: (``python benchmarks/bench_levels.py``: 57 white channels, 21 pink). Pink noise drawn per short series and
#: joined read 1.57x its variance (it lacks the low frequencies of pink of the recording's length); drawn over
#: the whole recording, as a long recording's runs through it, 1.075x. A level the user gives is exact (1).
LEVEL_RATIOS = {0.0: (0.971, 1.061, 1.195), 1.0: (0.848, 1.075, 1.282)}
#: What the variance the file command's estimate on the whole recording rests on (the level read, or the finest
#: details' lower read where the race kept one: ``GainEvidence.steady_lower``) is divided by, the recording
#: being most of what the network trained on (there Stein's estimate, which holds the network fixed, reads
#: optimistic even at the true level): the ratio at which the estimate equals the gain measured, on the
#: recordings of the corpus's tuning half where a network has a part in what was kept (``python
#: benchmarks/bench_levels.py``: 30 white, 11 pink), its 5%, 50% and 95% quantiles. On the level read alone the
#: white ones were (1.002, 1.107, 1.272). Filters alone (3 white) matched at 0.99 to 1.02: the file command
#: gives them the level's own ratios.
RECORDING_RATIOS = {0.0: (1.002, 1.095, 1.272), 1.0: (0.896, 1.309, 2.507)}
#: The flattest noise floors those ratios were measured on had at least this flatness (the same command): a
#: floor less flat reads a level less certain than any measured, and gets no estimate.
CALIBRATED_FLATNESS = {0.0: 0.75, 1.0: 0.88}
#: The quantiles of the range, the resamples of the held-out blocks, and the length of a block where there are
#: fewer than ``MIN_BLOCKS`` held-out signals (one long recording: its stretches).
QUANTILES, RESAMPLES, BLOCK_LENGTH, MIN_BLOCKS = (0.1, 0.9), 400, 256, 8
#: Samples per channel the divergence is probed on in all (more probes on fewer samples, at most ``MAX_PROBES``):
#: two probes of one 600-sample recording put the wavelet filter's Stein's estimate at 0.012 for a measured
#: 0.056 (+10.4 dB for +4.6); twenty, at 0.059. Each probe runs the denoiser once more: 2**17 samples cost
#: the file command 3.8 of its 14 s on a 7,500-row CSV.
PROBED_SAMPLES, MAX_PROBES = 1 << 15, 16


@dataclasses.dataclass(frozen=True)
class GainEstimate:
    """The likely gain in dB over the noisy input, and its likely range (``high`` may be ``inf``: an error too
    small to tell from 0); ``basis`` says what it rests on."""

    db: float
    low: float
    high: float
    basis: str

    def __str__(self):
        if np.isinf(self.low):
            return "too large to tell (its estimated error is too small to tell from 0)"
        if np.isinf(self.db):  # no likely value: only how low it likely is
            return f"at least {self.low:+.1f} dB (its likely estimated error is too small to tell from 0)"
        return f"{self.db:+.1f} dB, likely {self.low:+.1f} to " + ("too large to tell" if np.isinf(self.high)
                                                                 else f"{self.high:+.1f} dB")


@dataclasses.dataclass(frozen=True)
class GainEvidence:
    """What a :class:`GainEstimate` rests on, kept by the fit and read only when asked for (``gain_estimate_``):
    the held-out noisy signals, the noise `variance` per channel, its spectral `exponent`, whether the user
    `given` it, and the `steady_lower` read the file command's estimate on the whole recording rests on where
    there is one (:meth:`~skdenoise._fit.noise_level.NoiseLevel.read_lower`, under a level steady along time).
    Each estimate runs the denoiser once per probe of its divergence: the file command, which
    estimates on the whole recording instead, took a median 13.4 s on a 7,500-row CSV while the fit estimated
    this one too, 11.9 s without (five runs each, in turn)."""

    held_out: object
    variance: np.ndarray
    exponent: float = 0.0
    given: bool = False
    steady_lower: np.ndarray | None = None

    def estimate(self, denoise):
        """The :class:`GainEstimate` of `denoise` on these held-out signals."""
        return estimate_gain(denoise, self.held_out, self.variance, self.exponent, given=self.given)


def gain_evidence(held_out, variance, exponent=0.0, given=False, flatness=None, steady_lower=None):
    """The :class:`GainEvidence` of :func:`estimate_gain`'s arguments (and a `steady_lower` read), or None where
    it gives no estimate."""
    if _level_ratios(variance, exponent, given, flatness, LEVEL_RATIOS) is None:
        return None
    return GainEvidence(held_out, np.asarray(variance, dtype=np.float64), float(exponent), given, steady_lower)


def _level_ratios(variance, exponent, given, flatness, table):
    """The (5%, 50%, 95%) ratios of `table` for the noise's exponent (1 where the level is `given`), or None
    where its error was not measured for this noise or the variance is not positive."""
    ratios = (1.0, 1.0, 1.0) if given else table.get(float(exponent))
    estimable = (ratios is not None and bool(np.all(np.asarray(variance) > 0))
                 and (given or _calibrated(flatness, exponent)))
    return ratios if estimable else None


def estimate_gain(denoise, held_out, variance, exponent=0.0, given=False, where="held-out signals", flatness=None,
                  ratios=None):
    """The :class:`GainEstimate` of `denoise` (float32 signals ``(n, C, L)`` to their denoised version) on
    held-out noisy signals (an array ``(n, C, L)``, or a list of such arrays) with gaussian noise of `variance`
    per channel and spectral `exponent`, estimated (or `given` by the user); None where the level's error was
    not measured for that noise, or measured on flatter noise floors than an estimate's `flatness` per channel
    (None: checked already, as the file command's estimate on the whole recording after the race's).
    `where` names the signals, for the estimate's basis; `ratios` (by exponent, as :data:`LEVEL_RATIOS`, the
    default) what the variance read is divided by."""
    ratios = _level_ratios(variance, exponent, given, flatness, LEVEL_RATIOS if ratios is None else ratios)
    if ratios is None:
        return None
    parts = stein_summary(denoise, held_out, variance, exponent)
    resampled = parts.blocks[np.random.default_rng(0).integers(0, len(parts.blocks), (RESAMPLES, len(parts.blocks)))]
    changes = np.quantile(resampled.mean(axis=1), QUANTILES, axis=0)  # the fit term's spread over the blocks
    likely = parts.gain(ratios[1])
    # the range holds the likely value whatever the rounding (an identity's gain of 0 reads 1e-13 either way)
    return GainEstimate(likely, min(likely, parts.gain(ratios[2], changes[1])),
                        max(likely, parts.gain(ratios[0], changes[0])),
                        f"Stein's estimate on {where}, at the noise level "
                        + ("given" if given else "read and its likely error"))


@dataclasses.dataclass(frozen=True)
class SteinSummary:
    """Stein's estimate of a denoiser's error at any level: the noise `variance` read per channel, the mean
    squared change the denoiser makes per block of the signals ``(blocks, C)`` and its divergence per unit of
    variance ``t`` per channel; at the variance read divided by a ratio ``r``, the estimate is
    ``F - (v / r) (1 - 2 t)``."""

    variance: np.ndarray
    blocks: np.ndarray
    per_variance: np.ndarray

    def gain(self, ratio, change=None):
        """The gain in dB at the variance read divided by `ratio`, with the mean squared change `change` per
        channel (the blocks' mean by default); inf where the error estimate is not positive."""
        level = self.variance / ratio
        change = self.blocks.mean(axis=0) if change is None else change
        error = float(np.mean(change - level * (1 - 2 * self.per_variance)))
        return 10 * np.log10(np.mean(level) / error) if error > 0 else np.inf

    def matching_ratio(self, gain_db):
        """The ratio at which :meth:`gain` reads `gain_db` (what the variance read would have to be divided
        by for the estimate to be right, where the gain was measured)."""
        times = 10 ** (gain_db / 10)
        return float((np.mean(self.variance) + times * np.mean(self.variance * (1 - 2 * self.per_variance)))
                     / (times * np.mean(self.blocks.mean(axis=0))))


def stein_summary(denoise, signals, variance, exponent=0.0):
    """The :class:`SteinSummary` of `denoise` on noisy `signals` (an array ``(n, C, L)``, or a list of such
    arrays) with gaussian noise of `variance` per channel and spectral `exponent`."""
    variance = np.asarray(variance, dtype=np.float64)
    parts = signals if isinstance(signals, list) else [signals]
    blocks, divergence = [], 0.0
    total = sum(np.size(part) for part in parts)
    probes = int(np.clip(np.ceil(PROBED_SAMPLES * len(variance) / total), STEIN_PROBES, MAX_PROBES))
    for part in parts:
        out, part_divergence = stein_parts(denoise, part, np.sqrt(variance), exponent, probes=probes)
        blocks.append(_block_means(np.square(out - np.asarray(part, dtype=np.float64))))
        divergence = divergence + part_divergence * np.size(part) / total
    return SteinSummary(variance, np.concatenate(blocks), divergence / variance)


def _calibrated(flatness, exponent):
    """Whether every channel's noise floor is as flat as those the level's error was measured on."""
    return flatness is None or bool(np.all(np.asarray(flatness) >= CALIBRATED_FLATNESS[float(exponent)]))


def _block_means(squares):
    """The mean over time of `squares` ``(n, C, L)`` per signal, or, for fewer than ``MIN_BLOCKS`` signals, per
    stretch of ``BLOCK_LENGTH`` samples: ``(blocks, C)``."""
    if len(squares) >= MIN_BLOCKS or squares.shape[-1] < 2 * BLOCK_LENGTH:
        return squares.mean(axis=-1)
    n_blocks = squares.shape[-1] // BLOCK_LENGTH
    cut = squares[..., :n_blocks * BLOCK_LENGTH].reshape(*squares.shape[:2], n_blocks, BLOCK_LENGTH)
    return cut.mean(axis=-1).transpose(0, 2, 1).reshape(-1, squares.shape[1])
