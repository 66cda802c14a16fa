"""Sharp pulses under weak white noise: the level read counts some of the signal, Stein's estimate fails at it,
and the race trains again at the finest details' lower read instead of taking the pulses for spikes."""

import numpy as np
import pytest

from skdenoise import DenoisingAutoencoder
from skdenoise._fit.noise_level import SPIKE_PAIRS, resolve_noise_level, spike_pairs
from skdenoise.baselines import WaveletDenoiser
from skdenoise.noise import add_noise


def pulses(n, length=256, seed=0):
    """Sums of four pulses that jump up and decay over 5 to 40 samples, z-normalised: ``(n, 1, length)``."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    out = np.zeros((n, 1, length))
    for _ in range(4):
        start, decay = rng.uniform(0, length, (n, 1, 1)), rng.uniform(5, 40, (n, 1, 1))
        out += rng.uniform(0.5, 1.5, (n, 1, 1)) * np.where(t >= start, np.exp(-(t - start) / decay), 0.0)
    return (out - out.mean(-1, keepdims=True)) / out.std(-1, keepdims=True)


def joined(series):
    """Series ``(n, C, L)`` end to end, as one recording ``(1, C, n * L)``."""
    return np.concatenate(list(series), axis=-1)[None]


def mse(a, b):
    return float(np.mean(np.square(np.asarray(a, dtype=np.float64) - b)))


@pytest.mark.parametrize("seed", range(3))
def test_spikes_make_pairs_of_opposite_jumps_and_sharp_pulses_do_not(seed):
    clean = joined(pulses(30, seed=seed))
    spiky = add_noise(clean, "spikes", 0.1, random_state=seed)
    weak = add_noise(clean, "white", 0.2, random_state=seed)
    assert spike_pairs(spiky) >= SPIKE_PAIRS > spike_pairs(weak)
    assert spike_pairs(np.zeros((1, 1, 100))) == 0.0


@pytest.mark.parametrize("seed", range(3))
def test_the_finest_details_read_sharp_pulses_weak_noise_lower_and_spikes_are_not_read_lower(seed):
    clean = joined(pulses(30, seed=seed))
    noisy = add_noise(clean, "white", 0.2, random_state=seed).astype(np.float32)
    level = resolve_noise_level("auto", noisy)
    lower = level.read_lower(noisy)
    truth = np.var(noisy - clean)
    assert lower is not None and lower.variance[0] < level.variance[0]
    assert abs(lower.variance[0] / truth - 1) < abs(level.variance[0] / truth - 1)
    assert lower.read_lower(noisy) is None  # read lower once
    spiky = add_noise(clean, "spikes", 0.1, random_state=seed).astype(np.float32)
    assert resolve_noise_level("auto", spiky).read_lower(spiky) is None
    assert resolve_noise_level(0.2, noisy).read_lower(noisy) is None  # a level given is not second-guessed


def test_where_steins_estimate_fails_at_the_level_read_the_race_trains_again_at_the_lower_read():
    clean = joined(pulses(40, seed=6))
    noisy = add_noise(clean, "white", 0.15, random_state=6).astype(np.float32)
    read = np.sqrt(resolve_noise_level("auto", noisy).variance[0])  # 1.29x the true 0.15
    model = DenoisingAutoencoder(objective="self-supervised", window_length=256, device="cpu", random_state=0,
                                 max_epochs=12).fit(noisy)
    assert model.noise_std_[0] < read  # the race ran at the lower read: Stein's estimate failed at the first
    assert model.method_ != "noise2self"
    wavelet = WaveletDenoiser(threshold="bayes").fit_transform(noisy)
    assert mse(model.predict(noisy), clean) < 0.7 * mse(wavelet, clean)


def test_where_steins_estimate_holds_the_file_commands_estimate_rests_on_the_closer_lower_read():
    clean = joined(pulses(40, seed=1))
    noisy = add_noise(clean, "white", 0.3, random_state=1).astype(np.float32)
    model = DenoisingAutoencoder(objective="self-supervised", window_length=256, device="cpu", random_state=0,
                                 max_epochs=12).fit(noisy)
    evidence, truth = model.model_.gain, np.var(noisy - clean)
    assert evidence is not None and evidence.steady_lower is not None  # the race kept the read: Stein's held
    read, lower = np.square(model.noise_std_[0]), evidence.steady_lower[0]
    assert abs(lower / truth - 1) < abs(read / truth - 1) / 2
