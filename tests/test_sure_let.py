"""The self-supervised race's mixture of its candidates, weighted by Stein's unbiased risk estimate (SURE-LET)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.ndimage import uniform_filter1d

from skdenoise import DenoisingAutoencoder
from skdenoise._fit.selection.sure_let import fit_mixture
from skdenoise.baselines import WaveletDenoiser
from skdenoise.metrics import stein_mse
from skdenoise.recordings import load_pickup_gestures, train_test_pairs

QUICK = dict(device="cpu", random_state=0, max_epochs=15, on_collapse="ignore")


def mse(a, b):
    return float(np.mean(np.square(np.asarray(a, dtype=np.float64) - b)))


def smoothers(*sizes):
    return {f"mean{size}": (lambda X, s=size: uniform_filter1d(X, s, axis=-1, mode="nearest")) for size in sizes}


def waves(n, length, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    return np.sin(2 * np.pi * t / rng.uniform(8, 60, (n, 1, 1)) + rng.uniform(0, 6, (n, 1, 1)))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 1000), std=st.floats(0.05, 1.0), sizes=st.lists(st.integers(1, 15), min_size=1,
                                                                            max_size=4, unique=True))
def test_the_mixtures_estimate_is_never_above_its_best_member_and_its_weights_never_negative(seed, std, sizes):
    clean = waves(12, 128, seed)
    noisy = (clean + np.random.default_rng(seed + 1).normal(0, std, clean.shape)).astype(np.float32)
    candidates = smoothers(*sizes)
    weights, estimate, alone = fit_mixture(candidates, noisy, [std])
    np.testing.assert_allclose(alone, [np.mean(stein_mse(f, noisy, [std])) for f in candidates.values()], atol=1e-9)
    assert weights.shape == (1, len(sizes))
    assert np.all(weights >= 0)
    assert estimate <= alone.min() + 1e-9


def test_mixing_two_denoisers_with_different_errors_beats_each_on_new_signals():
    # a light and a heavy smoother: one leaves noise, the other blurs the fast waves; a blend does better
    std = 0.5
    rng = np.random.default_rng(0)
    clean = waves(60, 256, 0)
    noisy = (clean + rng.normal(0, std, clean.shape)).astype(np.float32)
    candidates = smoothers(3, 11)
    weights, estimate, _ = fit_mixture(candidates, noisy[:30], [std])
    blend = sum(w * f(noisy[30:]) for w, f in zip(weights[0], candidates.values()))
    errors = [mse(f(noisy[30:]), clean[30:]) for f in candidates.values()]
    assert np.all(weights[0] > 0.1)
    assert mse(blend, clean[30:]) < 0.97 * min(errors)
    assert estimate == pytest.approx(mse(blend, clean[30:]), rel=0.25)


def test_a_mixture_is_weighed_on_recordings_of_unequal_lengths_by_their_sizes():
    std = 0.5
    rng = np.random.default_rng(0)
    clean = [waves(10, length, seed) for seed, length in enumerate((200, 300, 500))]
    noisy = [(c + rng.normal(0, std, c.shape)).astype(np.float32) for c in clean]
    candidates = smoothers(3, 11)
    weights, estimate, _ = fit_mixture(candidates, noisy, [std])
    test_clean = waves(40, 256, 9)
    test_noisy = (test_clean + rng.normal(0, std, test_clean.shape)).astype(np.float32)
    blend = sum(w * f(test_noisy) for w, f in zip(weights[0], candidates.values()))
    assert mse(blend, test_clean) < 0.97 * min(mse(f(test_noisy), test_clean) for f in candidates.values())
    errors = [np.square(sum(w * f(x) for w, f in zip(weights[0], candidates.values())) - c).sum()
              for x, c in zip(noisy, clean)]
    assert estimate == pytest.approx(sum(errors) / sum(c.size for c in clean), rel=0.3)


def test_a_mixture_adds_its_filters_into_a_long_recording_block_by_block_as_it_would_whole(monkeypatch):
    from skdenoise import _blocks
    from skdenoise._fit.model.mixture import INPUT, NETWORK, Mixture
    from skdenoise.baselines import SavitzkyGolayDenoiser

    noisy = waves(1, 30_000, 0).astype(np.float32) + np.float32(0.1)
    savgol = SavitzkyGolayDenoiser(window_length=31).fit(noisy)
    mixture = Mixture((NETWORK, "savitzky-golay", INPUT), np.array([[0.5, 0.3, 0.2]]), {"savitzky-golay": savgol})
    whole = mixture.denoise(noisy, lambda X: 2 * X)
    monkeypatch.setattr(_blocks, "BLOCK", 4096)
    monkeypatch.setattr(_blocks, "MARGIN", 64)  # beyond the window's half: a linear filter's blocks are exact
    np.testing.assert_allclose(mixture.denoise(noisy, lambda X: 2 * X), whole, atol=1e-6)


@pytest.fixture(scope="module")
def mixed():
    X, _, X_test, clean_test = train_test_pairs(load_pickup_gestures(), n_copies=1, noise_std=0.5)
    return DenoisingAutoencoder(objective="self-supervised", **QUICK).fit(X), X, X_test, clean_test


def test_a_mixture_is_kept_only_below_every_candidate_and_denoises_better_than_the_filters(mixed):
    model, X, X_test, clean_test = mixed
    assert model.method_ == "mixture"
    scores = model.validation_mse_
    assert scores["mixture"] < min(value for name, value in scores.items() if name != "mixture")
    wavelet = WaveletDenoiser(threshold="bayes").fit(X, X).predict(X_test)
    denoised = model.predict(X_test)
    assert mse(denoised, clean_test) < mse(wavelet, clean_test)
    # what it reports is what it measures within 2 dB (the level's error and the held-out signals' spread)
    assert 10 ** -0.2 < scores["mixture"] / mse(denoised, clean_test) < 10 ** 0.2


def test_a_mixture_survives_saving_the_weights(mixed, tmp_path):
    model, _, X_test, _ = mixed
    model.save_weights(tmp_path / "mixed.pt")
    loaded = DenoisingAutoencoder(objective="self-supervised", device="cpu")
    loaded.load_weights(tmp_path / "mixed.pt")
    assert loaded.method_ == "mixture"
    np.testing.assert_allclose(loaded.predict(X_test), model.predict(X_test), rtol=1e-5, atol=1e-6)
