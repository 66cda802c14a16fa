"""Noise2Self's noise level: estimated from the signals, or given as noise_std; warnings both ways."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skdenoise import DenoisingAutoencoder, HarmWarning, NoiseLevelWarning
from skdenoise.noise import add_noise, estimate_white_noise_variance
from skdenoise.noise.estimates import MIN_NOISE_FLATNESS

QUICK = dict(objective="noise2self", architecture="conv", max_epochs=20, device="cpu", random_state=0)


def smooth_signals(n=96, length=256, seed=0):
    """Random sums of two slow sines: a few shapes, as recordings of one kind of thing are."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    periods = rng.uniform(30, 120, (n, 1, 2))
    phases = rng.uniform(0, 2 * np.pi, (n, 1, 2))
    return np.sin(2 * np.pi * t[None, None, :, None] / periods[..., None, :] + phases[..., None, :]).sum(-1)


def fit_quietly(model, X):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X)
    return model, [w.category for w in caught if issubclass(w.category, HarmWarning)]


@settings(max_examples=20, deadline=None)
@given(sigma=st.floats(0.05, 2.0), scale=st.floats(0.1, 10.0), seed=st.integers(0, 2**16))
def test_white_noise_variance_is_estimated_and_scales_with_the_signals(sigma, scale, seed):
    clean = smooth_signals(n=40, seed=seed)
    noisy = scale * (clean + np.random.default_rng(seed).normal(0, sigma, clean.shape))
    variance, flatness = estimate_white_noise_variance(noisy)
    assert variance[0] == pytest.approx((scale * sigma) ** 2, rel=0.15)
    assert flatness[0] >= MIN_NOISE_FLATNESS


def test_impulsive_noise_counts_whole_where_the_wavelet_mad_sees_its_core():
    from skdenoise.noise import estimate_noise_variance

    clean = smooth_signals()
    noisy = add_noise(clean, "spikes", 0.1, random_state=0)
    whole = np.mean((noisy - clean) ** 2)  # 0.01 of the core, ~0.12 of spikes
    assert estimate_white_noise_variance(noisy)[0][0] == pytest.approx(whole, rel=0.15)
    assert np.mean(estimate_noise_variance(noisy)) < 0.3 * whole


@pytest.mark.parametrize("kind", ["pink", "brown"])
def test_correlated_noise_is_flagged_as_not_telling_its_level(kind):
    noisy = add_noise(smooth_signals(), kind, 0.5, random_state=0)
    assert estimate_white_noise_variance(noisy)[1][0] < MIN_NOISE_FLATNESS


def test_the_estimate_reads_collections_and_each_channel():
    clean = smooth_signals(n=30, length=300)
    rng = np.random.default_rng(1)
    two = np.concatenate([clean + rng.normal(0, 0.2, clean.shape), clean + rng.normal(0, 1.0, clean.shape)], axis=1)
    recordings = [two[i, :, : 150 + 5 * i] for i in range(30)]
    variance, _ = estimate_white_noise_variance(recordings)
    np.testing.assert_allclose(variance, [0.04, 1.0], rtol=0.15)


@pytest.mark.slow  # CI runs it (pytest -m slow); the README's pytest does not
def test_smooth_signals_fit_without_warnings_and_the_expected_error_is_honest():
    clean = smooth_signals(n=160)
    noisy = (clean + np.random.default_rng(0).normal(0, 0.5, clean.shape)).astype(np.float32)
    model, harms = fit_quietly(DenoisingAutoencoder(**QUICK), noisy[:128])
    assert harms == []
    scores = model.validation_mse_
    assert scores["identity"] == pytest.approx(0.25, rel=0.15)
    test_error = np.mean((model.predict(noisy[128:]) - clean[128:]) ** 2)
    assert test_error < 0.5 * 0.25
    assert scores[model.architecture_] == pytest.approx(test_error, rel=0.3)


@pytest.mark.slow
def test_noise_that_does_not_tell_its_level_warns_and_raises_with_on_harm():
    noisy = add_noise(smooth_signals(), "pink", 0.5, random_state=0)  # told white, correlated: no flat floor
    briefly = dict(QUICK, max_epochs=3)  # the level and its floor are read before training
    _, harms = fit_quietly(DenoisingAutoencoder(**briefly, noise="white"), noisy)
    assert NoiseLevelWarning in harms
    with pytest.raises(NoiseLevelWarning, match="do not tell their noise level"):
        DenoisingAutoencoder(**briefly, noise="white", on_harm="raise").fit(noisy)
    model, _ = fit_quietly(DenoisingAutoencoder(**briefly), noisy)  # noise="auto" tells it pink, and its level
    assert model.noise_exponent_ == 1.0 and model.noise_std_[0] == pytest.approx(0.5, rel=0.15)


def test_a_known_noise_std_never_leaves_signals_worse_than_the_input():
    """Where a blind spot cannot predict (every sample independent), the blend hands the input back."""
    rng = np.random.default_rng(2)
    clean = rng.normal(0, 1, (128, 2, 256))
    noisy = (clean + rng.normal(0, [[[0.3], [0.6]]], clean.shape)).astype(np.float32)
    model, harms = fit_quietly(DenoisingAutoencoder(**QUICK, noise_std=[0.3, 0.6]), noisy[:96])
    assert harms == []
    np.testing.assert_allclose(model.net_.module_.blend.noise_variance.flatten(), [0.09, 0.36], rtol=1e-6)
    denoised = model.predict(noisy[96:])
    for channel in range(2):
        error = np.mean((denoised[:, channel] - clean[96:, channel]) ** 2)
        assert error <= 1.05 * np.mean((noisy[96:, channel] - clean[96:, channel]) ** 2)


@pytest.mark.slow
def test_a_noise_std_above_the_noise_warns():
    clean = smooth_signals()
    noisy = (clean + np.random.default_rng(0).normal(0, 0.1, clean.shape)).astype(np.float32)
    _, harms = fit_quietly(DenoisingAutoencoder(**QUICK, noise_std=1.0), noisy)
    assert NoiseLevelWarning in harms
    _, harms = fit_quietly(DenoisingAutoencoder(**QUICK, noise_std=0.1), noisy)
    assert harms == []


def test_the_blend_is_saved_with_the_weights(tmp_path):
    clean = smooth_signals(n=64)
    noisy = (clean + np.random.default_rng(3).normal(0, 0.4, clean.shape)).astype(np.float32)
    model, _ = fit_quietly(DenoisingAutoencoder(**QUICK), noisy)
    blend = model.net_.module_.blend
    blend.radius.fill_(8)  # whatever fit chose, a local blend must come back as it is
    path = tmp_path / "n2s.pt"
    model.save_weights(path)
    loaded = DenoisingAutoencoder(**QUICK).load_weights(path)
    np.testing.assert_array_equal(loaded.predict(noisy[:8]), model.predict(noisy[:8]))
    assert int(loaded.net_.module_.blend.radius) == 8
