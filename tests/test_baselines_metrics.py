import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.model_selection import GridSearchCV, cross_val_score

from skdenoise import CyclicSignalGenerator, Wave
from skdenoise.baselines import (IdentityDenoiser, PCADenoiser, ProjectionDenoiser, SavitzkyGolayDenoiser,
                                 WaveletDenoiser)
from skdenoise.metrics import snr_db, snr_gain_db, snr_gain_scorer, snr_scorer


@pytest.fixture(scope="module")
def seed_data():
    gen = CyclicSignalGenerator(random_state=0)
    noisy, clean = gen.generate(700)
    return gen, noisy[:500], clean[:500], noisy[500:], clean[500:]


def mse(a, b):
    return float(np.mean((a - b) ** 2))


def test_oracle_is_best_and_every_baseline_beats_identity(seed_data):
    gen, X, y, X_test, y_test = seed_data
    errors = {name: mse(est.fit(X, y).predict(X_test), y_test) for name, est in {
        "oracle": ProjectionDenoiser.from_generator(gen), "pca": PCADenoiser(), "savgol": SavitzkyGolayDenoiser(),
        "wavelet": WaveletDenoiser(threshold="bayes"), "identity": IdentityDenoiser()}.items()}
    assert errors["oracle"] == min(errors.values())
    assert all(errors[name] < errors["identity"] / 5 for name in ("oracle", "pca", "savgol", "wavelet"))


def test_minmax_output_step_matches_minmax_targets(seed_data):
    _, X, y, X_test, _ = seed_data
    for estimator in (PCADenoiser(), SavitzkyGolayDenoiser(), WaveletDenoiser()):
        prediction = estimator.fit(X, y).predict(X_test)
        assert estimator.output_ == "minmax"
        assert np.all(prediction.min(axis=-1) == 0) and np.all(prediction.max(axis=-1) < 1)
    raw = PCADenoiser(output=None).fit(X, y)
    assert raw.output_ is None


def test_pca_on_clean_targets_recovers_the_oracle(seed_data):
    gen, X, y, X_test, y_test = seed_data
    oracle = mse(ProjectionDenoiser.from_generator(gen).fit(X, y).predict(X_test), y_test)
    assert mse(PCADenoiser(fit_on="clean").fit(X, y).predict(X_test), y_test) < 1.01 * oracle


def test_multichannel_baselines_keep_the_shape():
    X, y = CyclicSignalGenerator(samples_per_period=32, n_channels=2, random_state=0).generate(50)
    for estimator in (PCADenoiser(), SavitzkyGolayDenoiser(), WaveletDenoiser(), ProjectionDenoiser()):
        assert estimator.fit(X, y).predict(X).shape == X.shape


def test_savgol_window_is_chosen_and_grid_searchable_by_snr_gain():
    gen = CyclicSignalGenerator([Wave("sin", (1, 3), "random")], samples_per_period=64, random_state=0)
    X, y = gen.generate(200)
    search = GridSearchCV(SavitzkyGolayDenoiser(), {"window_length": [5, 15, 31], "polyorder": [2, 3]}, cv=2,
                          scoring=snr_gain_scorer).fit(X, y)
    assert search.best_params_["window_length"] > 5
    assert search.best_score_ > 3
    wavelet = cross_val_score(WaveletDenoiser(), X, y, cv=2, scoring=snr_scorer)
    identity = cross_val_score(IdentityDenoiser(), X, y, cv=2, scoring=snr_scorer)
    assert np.all(wavelet > identity + 1)


@settings(max_examples=20, deadline=None)
@given(arrays(np.float64, (2, 1, 64), elements=st.floats(-10, 10)), st.integers(1, 63))
def test_wavelet_spun_over_its_whole_grid_commutes_with_circular_shifts(signals, shift):
    """Two levels of a decimated transform repeat every 4 samples: averaged over those 4 shifts, the filter
    is the same wherever the signal starts."""
    wavelet = WaveletDenoiser(wavelet="db2", threshold="bayes", level=2, shifts=4, output=None).fit(signals)
    np.testing.assert_allclose(wavelet.transform(np.roll(signals, shift, axis=-1)),
                               np.roll(wavelet.transform(signals), shift, axis=-1), atol=1e-9)


def test_cycle_spinning_lowers_the_wavelet_filters_error_on_smooth_signals():
    rng = np.random.default_rng(0)
    t = np.arange(512)
    clean = np.sin(2 * np.pi * t / rng.uniform(40, 200, (50, 1, 1)) + rng.uniform(0, 6, (50, 1, 1)))
    noisy = clean + rng.normal(0, 0.5, clean.shape)
    errors = [mse(WaveletDenoiser(threshold="bayes", shifts=shifts).fit(noisy).transform(noisy), clean)
              for shifts in (1, 8)]
    assert errors[1] < 0.9 * errors[0]


def test_a_long_recording_is_denoised_block_by_block_as_it_would_be_whole(monkeypatch):
    from skdenoise import _blocks

    rng = np.random.default_rng(1)
    t = np.arange(40_000)
    clean = np.sin(2 * np.pi * t / 700)[None, None] + np.sin(2 * np.pi * t / 90)[None, None] / 3
    noisy = clean + rng.normal(0, 0.4, clean.shape)
    wavelet = WaveletDenoiser(threshold="bayes", shifts=4, output=None).fit(noisy)
    whole = wavelet.transform(noisy)
    monkeypatch.setattr(_blocks, "BLOCK", 8192)
    monkeypatch.setattr(_blocks, "MARGIN", 1024)
    blocks = wavelet.transform(noisy)
    assert blocks.shape == whole.shape and np.all(np.isfinite(blocks))
    assert mse(blocks, clean) < 1.1 * mse(whole, clean)  # the thresholds per block: 3% more error here
    assert mse(blocks, whole) < 0.1 * mse(whole, clean)


def test_snr_values_and_errors():
    clean = np.ones((3, 50))
    assert snr_db(clean, clean + 0.1) == pytest.approx(20)
    assert snr_db(clean, clean) == pytest.approx(120)
    assert snr_gain_db(clean, clean + 1.0, clean + 0.1) == pytest.approx(20)
    with pytest.raises(ValueError, match="Shapes must match"):
        snr_db(clean, clean[:, :10])
    with pytest.raises(ValueError, match="must hold signals"):
        snr_db(np.ones(5), np.ones(5))
