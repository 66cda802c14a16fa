"""A corpus of noisy recordings much wider than the three shared sets, split once into a tuning half and a
held-out half, for setting constants on one and reporting the other.

Synthetic families (smooth and sharp) x noise kinds x three seeds, each cell a collection of series in the
protocol of the shared sets (each series z-normalised per channel, 60% of them train, each once with one
noise draw; the others test), at several lengths, channels and amplitudes; and real sets that ship with aeon,
which never tune anything (held out). The split is drawn once, by a fixed seed, over the synthetic cells.

Used by ``benchmarks/bench_heldout.py``; importable from the benchmarks' folder.
"""

import dataclasses

import numpy as np

from skdenoise.noise import add_noise

#: The fixed seed of the split: never change it once constants have been set on the tuning half.
SPLIT_SEED = 20261206
SEEDS = (0, 1, 2)
#: (series, channels, length, amplitude) of a cell, by seed: lengths, channel counts and units vary.
SHAPES = {0: (50, 1, 256, 1.0), 1: (30, 3, 384, 40.0), 2: (70, 1, 192, 0.01)}
NOISE_KINDS = ("white0.2", "white0.5", "white1.0", "pink0.5", "brown0.3", "spikes", "ramp", "jump", "correlated")
#: The kinds of noise whose samples are correlated over time, as ``add_noise`` names them and their level: in a
#: cell joined into one recording they run through the whole recording (:meth:`Cell.recording`).
COLOURED = {"pink0.5": ("pink", 0.5), "brown0.3": ("brown", 0.3)}
REAL_SETS = ("GunPoint", "ArrowHead", "OSULeaf")


def sines(rng, n, c, length):
    t = np.arange(length)
    k = 3
    freq = rng.uniform(1 / 120, 1 / 12, (n, c, 1, k))
    phase = rng.uniform(0, 2 * np.pi, (n, c, 1, k))
    amp = rng.uniform(0.3, 1.0, (n, c, 1, k))
    return np.sum(amp * np.sin(2 * np.pi * freq * t[:, None] + phase), axis=-1)


def chirps(rng, n, c, length):
    t = np.arange(length) / length
    f0, f1 = rng.uniform(1, 6, (n, c, 1)), rng.uniform(10, 40, (n, c, 1))
    return np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t ** 2 / 2) + rng.uniform(0, 6, (n, c, 1)))


def steps(rng, n, c, length):
    jumps = (rng.random((n, c, length)) < 4 / length) * rng.normal(0, 1, (n, c, length))
    return np.cumsum(jumps, axis=-1) + 0.2 * np.linspace(0, 1, length) * rng.normal(0, 1, (n, c, 1))


def pulses(rng, n, c, length):
    t = np.arange(length)
    out = np.zeros((n, c, length))
    for _ in range(4):
        start = rng.uniform(0, length, (n, c, 1))
        decay = rng.uniform(5, 40, (n, c, 1))
        out += rng.uniform(0.5, 1.5, (n, c, 1)) * np.where(t >= start, np.exp(-(t - start) / decay), 0.0)
    return out


def heartbeats(rng, n, c, length):
    t = np.arange(length)
    period = rng.uniform(50, 110, (n, c, 1))
    phase = np.mod(t - rng.uniform(0, 100, (n, c, 1)), period) / period
    qrs = np.exp(-0.5 * ((phase - 0.3) / 0.012) ** 2)
    wave = 0.3 * np.exp(-0.5 * ((phase - 0.6) / 0.06) ** 2) + 0.1 * np.exp(-0.5 * ((phase - 0.12) / 0.04) ** 2)
    return qrs + wave


def autoregressive(rng, n, c, length):
    noise = rng.normal(0, 1, (n, c, length + 100))
    out = np.zeros_like(noise)
    radius, angle = 0.97, rng.uniform(0.05, 0.3, (n, c))
    a1, a2 = 2 * radius * np.cos(angle), -radius ** 2
    for i in range(2, noise.shape[-1]):
        out[..., i] = a1 * out[..., i - 1] + a2 * out[..., i - 2] + noise[..., i]
    return out[..., 100:]


def random_walks(rng, n, c, length):
    return np.cumsum(rng.normal(0, 1, (n, c, length)), axis=-1)


FAMILIES = {"sines": sines, "chirps": chirps, "steps": steps, "pulses": pulses, "heartbeats": heartbeats,
            "autoregressive": autoregressive, "random walks": random_walks}


def noisy(clean, kind, rng):
    """`clean` (n, C, L), z-normalised per series and channel, with noise of `kind`."""
    n, c, length = clean.shape
    seed = int(rng.integers(2 ** 31))
    simple = {"white0.2": ("white", 0.2), "white0.5": ("white", 0.5), "white1.0": ("white", 1.0),
              "pink0.5": ("pink", 0.5), "brown0.3": ("brown", 0.3), "spikes": ("spikes", 0.1)}
    if kind in simple:
        return add_noise(clean, simple[kind][0], simple[kind][1], random_state=seed)
    white = np.random.default_rng(seed).normal(0, 1, clean.shape)
    if kind == "ramp":  # a level growing along each series, 0.1 to 0.9
        return clean + white * np.linspace(0.1, 0.9, length)
    if kind == "jump":  # a level that jumps from 0.2 to 0.8 somewhere in each series
        at = np.random.default_rng(seed + 1).uniform(0.2, 0.8, (n, 1, 1)) * length
        return clean + white * np.where(np.arange(length) < at, 0.2, 0.8)
    if kind == "correlated":  # white 0.5, each channel sharing 70% of its noise variance with the others
        common = np.random.default_rng(seed + 2).normal(0, 1, (n, 1, length))
        return clean + 0.5 * (np.sqrt(0.3) * white + np.sqrt(0.7) * common) if c > 1 else clean + 0.5 * white
    raise ValueError(kind)


@dataclasses.dataclass(frozen=True)
class Cell:
    """One cell of the corpus: a family (or a real set), a noise kind, a seed."""

    family: str
    kind: str
    seed: int

    @property
    def name(self):
        return f"{self.family}/{self.kind}/{self.seed}"

    @property
    def amplitude(self):
        """The factor the z-normalised series are scaled by (their units)."""
        return 1.0 if self.family in REAL_SETS else SHAPES[self.seed][3]

    def data(self):
        """Noisy training series, their clean versions, noisy and clean test series: float32 (n, C, L)."""
        rng = np.random.default_rng([hash_of(self.family), NOISE_KINDS.index(self.kind), self.seed])
        if self.family in REAL_SETS:
            clean = real_set(self.family)
        else:
            n, c, length, _ = SHAPES[self.seed]
            clean = FAMILIES[self.family](rng, n, c, length)
        clean = (clean - clean.mean(-1, keepdims=True)) / (clean.std(-1, keepdims=True) + 1e-12)
        order = rng.permutation(len(clean))
        n_train = round(0.6 * len(clean))
        train, test = clean[order[:n_train]], clean[order[n_train:]]
        X, X_test = noisy(train, self.kind, rng), noisy(test, self.kind, rng)
        scale = np.float32(self.amplitude)
        return tuple((part * scale).astype(np.float32) for part in (X, train, X_test, test))

    def recording(self):
        """The training and test series joined end to end into one recording, as a file holds one: noisy and
        clean, float64 ``(C, L)``. Coloured noise is drawn over the whole recording, as a long recording's
        runs through it: pink drawn per series of 256 samples and joined lacks the low frequencies of pink of
        the recording's length, and a level read of it is 1.4x its own (pink over the whole recording: 0.95
        to 1.04x, on sines, chirps and pulses)."""
        X, clean, X_test, clean_test = self.data()
        truth = np.concatenate(list(np.concatenate([clean, clean_test])), axis=-1).astype(np.float64)
        if self.kind not in COLOURED:
            return np.concatenate(list(np.concatenate([X, X_test])), axis=-1).astype(np.float64), truth
        seed = int(np.random.default_rng([hash_of(self.family), NOISE_KINDS.index(self.kind), self.seed, 1])
                   .integers(2 ** 31))
        noise = add_noise(np.zeros_like(truth)[None], *COLOURED[self.kind], random_state=seed)[0]
        return truth + self.amplitude * noise, truth


def hash_of(text):
    return sum(ord(ch) * 31 ** i for i, ch in enumerate(text)) % (2 ** 31)


def real_set(name):
    """A real set that ships with aeon, its series as (n, C, L)."""
    from aeon.datasets import load_classification

    X, _ = load_classification(name)
    return np.asarray(X, dtype=np.float64)


def cells():
    """Every cell of the corpus: the synthetic ones, then the real sets (one seed each)."""
    synthetic = [Cell(family, kind, seed) for family in FAMILIES for kind in NOISE_KINDS for seed in SEEDS]
    return synthetic + [Cell(name, kind, 0) for name in REAL_SETS for kind in NOISE_KINDS]


def split():
    """(tuning, held_out): half of the synthetic cells, drawn once by :data:`SPLIT_SEED`, tune; the other half
    and every real set are held out."""
    synthetic = [cell for cell in cells() if cell.family in FAMILIES]
    order = np.random.default_rng(SPLIT_SEED).permutation(len(synthetic))
    tuning = [synthetic[i] for i in sorted(order[:len(order) // 2])]
    held_out = [synthetic[i] for i in sorted(order[len(order) // 2:])]
    return tuning, held_out + [cell for cell in cells() if cell.family in REAL_SETS]
