"""White noise whose level changes along a recording: reading the level along time, and the self-supervised race
on the recordings divided by it."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.ndimage import uniform_filter1d

from skdenoise import DenoisingAutoencoder
from skdenoise._fit.selection.methods import LEVEL_CHANGE
from skdenoise.baselines import SavitzkyGolayDenoiser, WaveletDenoiser, WienerDenoiser
from skdenoise.metrics import stein_mse
from skdenoise.noise import level_change, noise_level_profile

QUICK = dict(device="cpu", random_state=0, max_epochs=15, on_collapse="ignore")


def smooth(n, length=512, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    return np.sin(2 * np.pi * t[None, None, :, None] / rng.uniform(30, 120, (n, 1, 1, 2))
                  + rng.uniform(0, 6, (n, 1, 1, 2))).sum(-1)


def ramped(clean, low=0.1, high=0.9, seed=1):
    level = np.linspace(low, high, clean.shape[-1])
    return (clean + np.random.default_rng(seed).normal(size=clean.shape) * level).astype(np.float32), level


def mse(a, b):
    return float(np.mean(np.square(np.asarray(a, dtype=np.float64) - b)))


@settings(max_examples=40, deadline=None)
@given(length=st.integers(1, 300), scale=st.sampled_from([1e-30, 1e-6, 1.0, 1e6, 1e30]),
       constant=st.booleans(), seed=st.integers(0, 2**16))
def test_the_profile_is_finite_positive_and_of_mean_square_one_at_any_length_and_scale(length, scale, constant,
                                                                                       seed):
    rng = np.random.default_rng(seed)
    signals = np.full((2, 3, length), scale) if constant else rng.normal(0, scale, (2, 3, length))
    profile = noise_level_profile(signals.astype(np.float32))
    assert profile.shape == signals.shape and profile.dtype == np.float32
    assert np.all(np.isfinite(profile)) and np.all(profile > 0)
    np.testing.assert_allclose(np.mean(np.square(profile, dtype=np.float64), axis=-1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("seed", range(3))
def test_a_ramp_or_a_jump_reads_as_a_change_and_a_constant_level_does_not(seed):
    clean = smooth(40, seed=seed)
    constant = clean + np.random.default_rng(seed).normal(0, 0.4, clean.shape)
    jump = clean + np.random.default_rng(seed).normal(size=clean.shape) * np.where(np.arange(512) < 256, 0.2, 0.8)
    assert level_change(noise_level_profile(constant)) < LEVEL_CHANGE
    assert level_change(noise_level_profile(ramped(clean, seed=seed)[0])) > LEVEL_CHANGE
    assert level_change(noise_level_profile(jump)) > LEVEL_CHANGE


def test_the_profile_follows_the_level_and_has_mean_square_one():
    noisy, level = ramped(np.zeros((30, 2, 1024)))
    profile = noise_level_profile(noisy)
    assert profile.shape == noisy.shape
    np.testing.assert_allclose(np.mean(np.square(profile), axis=-1), 1.0, rtol=1e-6)
    truth = level / np.sqrt(np.mean(np.square(level)))
    assert np.median(np.abs(profile[..., 64:-64] - truth[64:-64])) < 0.1


def test_steins_estimate_with_a_level_per_sample_is_unbiased():
    clean = smooth(200, 256)
    # a denoiser that keeps less of the input along time, where the noise grows: its divergence weighs the
    # level of each sample, which the level's mean over time gets wrong
    keep = np.linspace(1.0, 0.2, 256)
    denoiser = lambda X: keep * uniform_filter1d(X, 3, axis=-1, mode="nearest")  # noqa: E731
    estimates, constant, errors = [], [], []
    for seed in range(6):  # over draws of the noise: one draw's estimate varies by about 5%
        noisy, level = ramped(clean, seed=seed)
        estimates.append(stein_mse(denoiser, noisy, np.broadcast_to(level, noisy.shape))[0])
        constant.append(stein_mse(denoiser, noisy, [np.sqrt(np.mean(level ** 2))])[0])
        errors.append(mse(denoiser(noisy), clean))
    assert np.mean(estimates) == pytest.approx(np.mean(errors), rel=0.05)
    assert abs(np.mean(constant) / np.mean(errors) - 1) > 0.1
    with pytest.raises(ValueError, match="white noise"):
        stein_mse(denoiser, noisy, np.broadcast_to(level, noisy.shape), exponent=1.0)


@pytest.mark.parametrize("linear", [SavitzkyGolayDenoiser(window_length=15, polyorder=3),
                                    WienerDenoiser(noise_std=0.6, segment_length=32)])
def test_a_linear_filters_steins_estimate_at_the_mean_level_holds_under_a_ramp(linear):
    """What lets the Noise2Self fallback judge the linear filters where the level may change: a linear filter's
    weight on each sample is the same along time, so the level's mean is all its estimate needs (a filter short
    beside the signals: near their ends the mirrored taps add to that weight)."""
    clean = smooth(200, 256)
    fitted = linear.fit(ramped(clean, seed=100)[0])
    denoiser = lambda X: fitted.transform(X.astype(np.float64))  # noqa: E731
    estimates, errors = [], []
    for seed in range(6):
        noisy, level = ramped(clean, seed=seed)
        estimates.append(stein_mse(denoiser, noisy, [np.sqrt(np.mean(level ** 2))])[0])
        errors.append(mse(denoiser(noisy), clean))
    assert np.mean(estimates) == pytest.approx(np.mean(errors), rel=0.05)


def test_where_steins_estimate_fails_the_fallback_keeps_a_linear_filter_if_it_reads_lower(monkeypatch):
    from skdenoise._fit.selection import methods

    monkeypatch.setattr(methods, "GAUSSIAN_TOLERANCE", -np.inf)  # every estimate "fails": Noise2Self's fallback
    clean = smooth(60)
    noisy = (clean + np.random.default_rng(0).normal(0, 0.4, clean.shape)).astype(np.float32)
    model = DenoisingAutoencoder(objective="self-supervised", **dict(QUICK, max_epochs=2)).fit(noisy[:40])
    scores = model.validation_mse_  # two epochs of Noise2Self: a linear filter reads lower, and is kept
    assert {"savitzky-golay", "wiener"} <= set(scores)
    assert model.method_ == min(("savitzky-golay", "wiener"), key=scores.get)
    assert scores[model.method_] < scores[model.architecture_]
    assert mse(model.predict(noisy[40:]), clean[40:]) < 0.5 * mse(noisy[40:], clean[40:])


@pytest.fixture(scope="module")
def ramp():
    clean = smooth(160)
    noisy, _ = ramped(clean)
    model = DenoisingAutoencoder(objective="self-supervised", **QUICK).fit(noisy[:120])
    return model, noisy, clean


def test_the_race_divides_by_the_level_along_time_and_beats_the_filters(ramp):
    model, noisy, clean = ramp
    assert model.noise_level_change_ > LEVEL_CHANGE
    assert model.method_ != "noise2self"
    assert model.gain_estimate_ is None  # estimated on the divided signals, it would not be the gain on these
    denoised = model.predict(noisy[120:])
    filters = [WaveletDenoiser(threshold="bayes"), SavitzkyGolayDenoiser()]
    best = min(mse(f.fit(noisy[:120], noisy[:120]).predict(noisy[120:]), clean[120:]) for f in filters)
    assert mse(denoised, clean[120:]) < best


def test_a_constant_level_keeps_the_plain_race():
    clean = smooth(60)
    noisy = (clean + np.random.default_rng(0).normal(0, 0.4, clean.shape)).astype(np.float32)
    model = DenoisingAutoencoder(objective="self-supervised", **QUICK).fit(noisy)
    assert model.noise_level_change_ is None
    assert model.noise_std_[0] == pytest.approx(0.4, rel=0.15)


def test_the_level_along_time_survives_saving_the_weights(ramp, tmp_path):
    model, noisy, _ = ramp
    model.save_weights(tmp_path / "ramp.pt")
    loaded = DenoisingAutoencoder(objective="self-supervised", device="cpu")
    loaded.load_weights(tmp_path / "ramp.pt")
    assert loaded.noise_level_change_ == pytest.approx(model.noise_level_change_)
    np.testing.assert_allclose(loaded.predict(noisy[120:]), model.predict(noisy[120:]), rtol=1e-5, atol=1e-6)
