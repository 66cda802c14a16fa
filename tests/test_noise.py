"""Noise models for training pairs, level-robust training, and the warning for unfamiliar noise."""

import copy
import os
import tempfile
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder, UnfamiliarNoiseWarning
from skdenoise.metrics import snr_gain_db
from skdenoise.noise import ColouredNoise, ImpulsiveNoise, add_noise, estimate_noise_std, signal_noise_levels
from skdenoise.recordings import load_pickup_gestures, make_noisy_pairs, train_test_pairs

KINDS = ["white", "pink", "brown", "spikes"]


@settings(max_examples=30, deadline=None)
@given(kind=st.sampled_from(KINDS), level=st.floats(0.01, 10), seed=st.integers(0, 2**16),
       shape=st.sampled_from([(3, 17), (2, 2, 64), (1, 1, 2), (5, 1)]))
def test_noise_scales_linearly_with_its_level(kind, level, seed, shape):
    clean = np.random.default_rng(seed).normal(size=shape)
    unit = add_noise(clean, kind, 1.0, random_state=seed) - clean
    scaled = add_noise(clean, kind, level, random_state=seed) - clean
    assert scaled.shape == shape and np.all(np.isfinite(scaled))
    np.testing.assert_allclose(scaled, level * unit, rtol=1e-9, atol=1e-9 * level)


@pytest.mark.parametrize("kind", KINDS)
def test_noise_keeps_float32_and_is_seeded(kind):
    clean = np.zeros((4, 2, 50), dtype=np.float32)
    first = add_noise(clean, kind, 0.3, random_state=1)
    assert first.dtype == np.float32
    assert np.array_equal(first, add_noise(clean, kind, 0.3, random_state=1))
    assert not np.array_equal(first, add_noise(clean, kind, 0.3, random_state=2))


def test_pink_noise_has_a_one_over_f_spectrum_and_unit_std_per_signal():
    noise = ColouredNoise(exponent=1.0).sample((400, 1, 1024), np.random.default_rng(0))
    np.testing.assert_allclose(noise.std(axis=-1), 1.0, rtol=1e-9)
    power = np.mean(np.abs(np.fft.rfft(noise[:, 0])) ** 2, axis=0)
    freqs = np.fft.rfftfreq(1024)
    band = slice(4, 400)
    slope = np.polyfit(np.log(freqs[band]), np.log(power[band]), 1)[0]
    assert slope == pytest.approx(-1.0, abs=0.1)
    white_slope = np.polyfit(np.log(freqs[band]), np.log(np.mean(np.abs(np.fft.rfft(
        np.random.default_rng(0).normal(size=(400, 1024)))) ** 2, axis=0)[band]), 1)[0]
    assert abs(white_slope) < 0.1


def test_spikes_are_sparse_and_large_around_a_gaussian_core():
    noise = ImpulsiveNoise(rate=0.03, spike_scale=20).sample((200, 1000), np.random.default_rng(0))
    # Spikes of std 20 exceed 6 sigma of the core with probability 0.76; the core itself almost never does.
    assert np.mean(np.abs(noise) > 6) == pytest.approx(0.03 * 0.76, rel=0.1)
    # The robust estimate sees the core, not the spikes.
    assert float(np.median(estimate_noise_std(noise))) == pytest.approx(1.0, rel=0.1)
    assert noise.std() > 3


def test_a_level_range_draws_log_uniform_levels_per_copy():
    noisy, clean = make_noisy_pairs(np.zeros((2000, 1, 256)), noise_std=(0.1, 1.0), random_state=0)
    levels = (noisy - clean).std(axis=-1).ravel()
    assert levels.min() == pytest.approx(0.1, rel=0.1) and levels.max() == pytest.approx(1.0, rel=0.1)
    # log-uniform: as many levels below the geometric middle (0.316) as above it
    assert np.mean(levels < np.sqrt(0.1)) == pytest.approx(0.5, abs=0.05)


def test_the_generator_makes_coloured_noise_and_keeps_the_seed_draws():
    seed_gen = CyclicSignalGenerator(samples_per_period=32, normalization=None, random_state=0)
    noisy, clean = seed_gen.generate(50)
    assert np.std(noisy - clean) == pytest.approx(0.4, rel=0.05)
    pink = CyclicSignalGenerator(samples_per_period=32, normalization=None, noise="pink", noise_std=(0.2, 0.8),
                                 random_state=0)
    noisy, clean = pink.generate(500)
    residual = noisy - clean
    lag1 = np.mean(residual[:, 1:] * residual[:, :-1]) / np.mean(residual ** 2)
    assert lag1 > 0.3 and 0.15 < residual.std(axis=-1).min() < residual.std(axis=-1).max() < 0.85


@pytest.fixture(scope="module")
def gesture_pairs():
    return train_test_pairs(load_pickup_gestures(), n_copies=3)


def _fit_gestures(pairs, **params):
    X, y, _, _ = pairs
    return DenoisingAutoencoder(architecture="conv", max_epochs=3, random_state=0, device="cpu", **params).fit(X, y)


@pytest.fixture(scope="module")
def gesture_model(gesture_pairs):
    """Trained with the default's noise scaling, and the clean test recordings."""
    return _fit_gestures(gesture_pairs, noise_scaling=(1 / 3, 3)), gesture_pairs[3]


@pytest.fixture(scope="module")
def one_level_model(gesture_pairs):
    """Trained at its pairs' level only (noise_scaling=None)."""
    return _fit_gestures(gesture_pairs, noise_scaling=None), gesture_pairs[3]


def test_models_record_their_noise_scaling(gesture_model, one_level_model):
    assert gesture_model[0].net_.iterator_train__noise_scale_range == pytest.approx((1 / 3, 3.0))
    assert one_level_model[0].net_.iterator_train__noise_scale_range is None


def test_the_trained_level_range_spans_the_noise_scaling(gesture_model, one_level_model):
    (low, high), = gesture_model[0].noise_level_range_
    (plain_low, plain_high), = one_level_model[0].noise_level_range_
    assert plain_low == plain_high == pytest.approx(0.5, rel=0.1)
    assert low == pytest.approx(plain_low / 3, rel=0.2) and high == pytest.approx(3 * plain_high, rel=0.2)
    (q10, q90), = one_level_model[0].noise_level_quantiles_
    assert q10 < plain_low < q90


def _warnings_of_predict(model, X):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.predict(X)
    return [w for w in caught if issubclass(w.category, UnfamiliarNoiseWarning)]


LEVELS = [0.01, 0.03, 0.1, 0.2, 0.5, 1.0, 2.0, 4.0]


@pytest.mark.parametrize("fixture", ["gesture_model", "one_level_model"])
def test_predict_warns_where_the_mismatch_harms_and_is_silent_where_it_helps(fixture, request):
    model, clean = request.getfixturevalue(fixture)
    for level in LEVELS:
        noisy = make_noisy_pairs(clean, noise_std=level, random_state=3)[0]
        warned = bool(_warnings_of_predict(model, noisy))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnfamiliarNoiseWarning)
            gain = snr_gain_db(clean, noisy, model.predict(noisy))
        if gain < -1:
            assert warned, f"no warning at level {level}, where the model loses {gain:.2f} dB"
        if gain > 1 or level == 0.5:
            assert not warned, f"a warning at level {level}, where the model gains {gain:.2f} dB"


def test_the_warning_says_which_side_and_what_to_do(gesture_model):
    model, clean = gesture_model
    quiet = _warnings_of_predict(model, make_noisy_pairs(clean, noise_std=0.01, random_state=3)[0])
    loud = _warnings_of_predict(model, make_noisy_pairs(clean, noise_std=40.0, random_state=3)[0])
    assert len(quiet) == len(loud) == 1
    assert "below" in str(quiet[0].message) and "above" in str(loud[0].message)
    assert "noise_std=(low, high)" in str(quiet[0].message)


def test_on_unfamiliar_noise_raises_or_ignores(gesture_model):
    model, clean = gesture_model
    quiet = make_noisy_pairs(clean, noise_std=0.01, random_state=3)[0]
    try:
        model.set_params(on_unfamiliar_noise="raise")
        with pytest.raises(UnfamiliarNoiseWarning):
            model.predict(quiet)
        model.set_params(on_unfamiliar_noise="ignore")
        assert not _warnings_of_predict(model, quiet)
    finally:
        model.set_params(on_unfamiliar_noise="warn")


def test_the_noise_levels_survive_saving_the_weights(gesture_model):
    model, clean = gesture_model
    path = os.path.join(tempfile.mkdtemp(), "weights.pt")
    model.save_weights(path)
    loaded = DenoisingAutoencoder(architecture="conv", device="cpu").load_weights(path)
    for name in ("noise_level_range_", "noise_level_quantiles_", "safe_noise_levels_"):
        np.testing.assert_allclose(getattr(loaded, name), getattr(model, name))
    assert len(_warnings_of_predict(loaded, make_noisy_pairs(clean, noise_std=0.01, random_state=3)[0])) == 1


def test_level_matching_scales_only_signals_outside_the_trained_range(one_level_model):
    model, clean = one_level_model
    matched = make_noisy_pairs(clean, noise_std=0.5, random_state=3)[0]
    (low, high), = model.noise_level_quantiles_
    levels = estimate_noise_std(matched)[:, 0]
    inside = (levels >= low) & (levels <= high)
    off = clone_with(model, match_noise_level=False)
    np.testing.assert_array_equal(model.predict(matched)[inside], off.predict(matched)[inside])
    # A signal of twice its noise: scaled so its level is the top of the range, denoised, scaled back.
    loud = make_noisy_pairs(clean, noise_std=2.0, random_state=3)[0]
    factors = high / estimate_noise_std(loud)[:, :, None]
    expected = off.predict((loud * factors).astype(np.float32)) / factors
    np.testing.assert_allclose(model.predict(loud), expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("level", [1.0, 2.0])
def test_level_matching_denoises_louder_noise_better(one_level_model, level):
    model, clean = one_level_model
    loud = make_noisy_pairs(clean, noise_std=level, random_state=3)[0]
    matched_error = np.mean((model.predict(loud) - clean) ** 2)
    plain_error = np.mean((clone_with(model, match_noise_level=False).predict(loud) - clean) ** 2)
    assert matched_error < plain_error


def clone_with(model, **params):
    """The fitted model with other predict-time parameters (a shallow copy: the same network)."""
    return copy.copy(model).set_params(**params)


def test_noise2self_records_the_levels_of_its_inputs():
    noisy = add_noise(np.zeros((40, 1, 64)), "white", 0.5, random_state=0)
    model = DenoisingAutoencoder(objective="noise2self", max_epochs=1, device="cpu", random_state=0,
                                 on_collapse="ignore").fit(noisy)
    (low, high), = model.noise_level_quantiles_
    expected = np.quantile(signal_noise_levels(noisy)[:, 0], [0.1, 0.9])
    assert (low, high) == pytest.approx(tuple(expected), rel=1e-3) and 0.3 < low < 0.5 < high < 0.7
    median = model.noise_level_range_[0, 0]
    assert model.noise_level_range_[0, 1] == median == pytest.approx(0.5, rel=0.1)
    np.testing.assert_allclose(model.safe_noise_levels_[0], [median / 1.5, median * 1.5])


@settings(max_examples=30, deadline=None)
@given(shape=st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(0, 300)), seed=st.integers(0, 1000))
def test_per_signal_levels_are_the_robust_estimate(shape, seed):
    signals = np.random.default_rng(seed).normal(size=shape).astype(np.float32)
    np.testing.assert_allclose(signal_noise_levels(signals), estimate_noise_std(signals), rtol=1e-12)


def test_per_signal_levels_of_long_recordings_read_a_bounded_sample():
    noisy = add_noise(np.zeros((1, 2, 400_000), dtype=np.float32), "white", 0.3, random_state=0)
    np.testing.assert_allclose(signal_noise_levels(noisy), 0.3, rtol=0.02)
