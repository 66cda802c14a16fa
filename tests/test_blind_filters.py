"""Blind-spot classical filters, and the race's Noise2Self fallback they challenge without the noise level."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skdenoise import DenoisingAutoencoder
from skdenoise._fit.noise_level import NoiseLevel
from skdenoise._fit.selection.fallback import BLIND_SAVGOL, BLIND_WAVELET, with_blind_filters
from skdenoise._fit.selection.methods import kept_denoiser
from skdenoise._fit.trainer import FitResult
from skdenoise.baselines import SavitzkyGolayDenoiser, WaveletDenoiser
from skdenoise.baselines.filters import candidate_windows


def slow_waves(n, channels, length, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    periods = rng.uniform(60, 200, (n, channels, 1, 2))
    return np.sin(2 * np.pi * t[:, None] / periods + rng.uniform(0, 6, periods.shape)).sum(-1)


@settings(max_examples=25, deadline=None)
@given(channels=st.integers(1, 3), length=st.integers(2, 80), data=st.data(),
       which=st.sampled_from(["savgol", "wavelet"]))
def test_a_blind_spot_filters_output_never_depends_on_its_own_sample(channels, length, data, which):
    position = data.draw(st.integers(0, length - 1))
    rng = np.random.default_rng(length)
    x = rng.normal(size=(2, channels, length))
    moved = x.copy()
    moved[1, channels - 1, position] += 10.0
    denoiser = (SavitzkyGolayDenoiser(window_length=5 if length >= 5 else None, blind_spot=True) if which == "savgol"
                else WaveletDenoiser(blind_spot=True)).fit(x)
    before, after = denoiser.transform(x), denoiser.transform(moved)
    assert after[1, channels - 1, position] == pytest.approx(before[1, channels - 1, position], abs=1e-9)
    np.testing.assert_array_equal(after[0], before[0])


def test_the_blind_spot_loss_is_the_error_plus_the_noise_variance_even_where_the_level_changes():
    clean = slow_waves(40, 1, 512, seed=0)
    level = np.linspace(0.1, 0.8, 512)  # a level ramping along each recording
    noisy = clean + np.random.default_rng(1).normal(size=clean.shape) * level
    noise_variance = float(np.mean(level ** 2))
    for denoiser in (SavitzkyGolayDenoiser(window_length=31, blind_spot=True),
                     SavitzkyGolayDenoiser(window_length=101, blind_spot=True), WaveletDenoiser(blind_spot=True)):
        out = denoiser.fit(noisy).transform(noisy)
        error, loss = np.mean((out - clean) ** 2), np.mean((out - noisy) ** 2)
        assert loss - noise_variance == pytest.approx(error, rel=0.15, abs=0.002)


def test_a_blind_spot_savitzky_golay_chooses_its_window_without_the_noise_level():
    clean = slow_waves(30, 2, 400, seed=2)
    noisy = clean + np.random.default_rng(3).normal(0, 0.5, clean.shape)
    chosen = SavitzkyGolayDenoiser(blind_spot=True).fit(noisy)
    errors = {w: np.mean((SavitzkyGolayDenoiser(window_length=w, blind_spot=True).fit(noisy).transform(noisy)
                          - clean) ** 2) for w in candidate_windows(400, 3)}
    assert errors[chosen.window_length_] <= 1.1 * min(errors.values())


def test_blind_spot_filters_replace_a_noise2self_network_where_they_beat_it_on_a_channel(tmp_path):
    clean = slow_waves(96, 2, 256, seed=4)
    clean[:, 1] = np.sign(clean[:, 1])  # a second channel of sharp steps
    noisy = (clean + np.random.default_rng(5).normal(0, 0.3, clean.shape)).astype(np.float32)
    fitted = DenoisingAutoencoder(objective="noise2self", architecture="conv", max_epochs=1, noise_std=0.3,
                                  device="cpu", random_state=0, on_collapse="ignore", on_harm="ignore").fit(noisy[:64])
    held_out, test, truth = noisy[64:80], noisy[80:], clean[80:]
    level = NoiseLevel(np.full(2, 0.09), given=True)
    result = with_blind_filters(FitResult(fitted.model_, fitted.net_, held_out=held_out), level, polyorder=3,
                                mixture_name="mixture")
    model = result.model
    assert {BLIND_SAVGOL, BLIND_WAVELET} <= set(model.scores)
    assert model.method == "mixture"
    error = np.mean((kept_denoiser(model)(test) - truth) ** 2)
    network_error = np.mean((fitted.predict(test) - truth) ** 2)
    assert error < 0.8 * network_error
    assert model.scores["mixture"] == pytest.approx(error, rel=0.35)
    assert np.allclose(model.mixture.weights.sum(axis=1), 1.0)
    fitted.model_ = model  # kept as the race keeps it: it predicts, and survives its weights file
    np.testing.assert_allclose(fitted.predict(test), kept_denoiser(model)(test), rtol=1e-5, atol=1e-6)
    fitted.save_weights(tmp_path / "blind.pt")
    loaded = DenoisingAutoencoder(objective="noise2self", architecture="conv", device="cpu")
    loaded.load_weights(tmp_path / "blind.pt")
    np.testing.assert_array_equal(loaded.predict(test), fitted.predict(test))
