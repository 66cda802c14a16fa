"""The Wiener filter baseline: the linear filter of least error for stationary signals, with or without clean
signals, at any length."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import lfilter

from skdenoise.baselines import WaveletDenoiser, WienerDenoiser
from skdenoise.noise import add_noise


def autoregressive(n, length, seed):
    """A smooth stationary process (AR(2), a resonance at about 1/40 of the sampling rate), unit variance."""
    rng = np.random.default_rng(seed)
    radius, angle = 0.97, 2 * np.pi / 40
    x = lfilter([1.0], [1.0, -2 * radius * np.cos(angle), radius ** 2], rng.normal(size=(n, 1, length + 200)))
    x = x[..., 200:]
    return x / x.std()


def mse(a, b):
    return float(np.mean((np.asarray(a) - np.asarray(b)) ** 2))


def test_without_clean_signals_it_beats_the_wavelet_filter_on_a_stationary_smooth_process():
    clean = autoregressive(40, 512, seed=0)
    noisy = clean + np.random.default_rng(1).normal(0, 0.5, clean.shape)
    wiener = WienerDenoiser().fit(noisy).transform(noisy)
    wavelet = WaveletDenoiser(threshold="bayes").fit(noisy).transform(noisy)
    assert mse(wiener, clean) < 0.3 * mse(noisy, clean)
    assert mse(wiener, clean) < 0.9 * mse(wavelet, clean)


def test_the_noise_models_spectrum_lets_it_take_out_pink_noise():
    t = np.arange(4096)
    clean = np.sin(2 * np.pi * t / 25)[None, None] * np.ones((4, 1, 1))
    noisy = add_noise(clean, "pink", 0.5, random_state=0)
    as_pink = WienerDenoiser(noise="pink", noise_std=0.5).fit(noisy).transform(noisy)
    as_white = WienerDenoiser(noise="white", noise_std=0.5).fit(noisy).transform(noisy)
    assert mse(as_pink, clean) < 0.5 * mse(as_white, clean)
    assert mse(as_pink, clean) < 0.2 * mse(noisy, clean)


def test_with_clean_signals_it_learns_the_gain_it_reads_without_them_at_the_true_level():
    clean = autoregressive(60, 512, seed=2)
    noisy = clean + np.random.default_rng(3).normal(0, 0.5, clean.shape)
    supervised = WienerDenoiser(segment_length=64).fit(noisy, clean)
    blind = WienerDenoiser(segment_length=64, noise="white", noise_std=0.5).fit(noisy)
    assert np.max(np.abs(supervised.gain_ - blind.gain_)) < 0.15
    assert mse(supervised.predict(noisy), clean) < 0.3 * mse(noisy, clean)


@settings(max_examples=25, deadline=None)
@given(length=st.integers(1, 700), scale=st.floats(-3, 3))
def test_fitted_it_is_linear_and_keeps_any_length(length, scale):
    model = WienerDenoiser().fit(autoregressive(8, 256, seed=4) + 0.3)
    rng = np.random.default_rng(length)
    x, y = rng.normal(size=(2, 3, 1, length))
    out = model.transform(scale * x + y)
    assert out.shape == x.shape
    np.testing.assert_allclose(out, scale * model.transform(x) + model.transform(y), atol=1e-6)


def test_recordings_of_any_length_come_back_at_their_lengths():
    rng = np.random.default_rng(5)
    recordings = [np.sin(np.arange(n) / 9) + rng.normal(0, 0.3, n) for n in (300, 1000, 650)]
    out = WienerDenoiser().fit(recordings).transform(recordings)
    assert [r.shape for r in out] == [(300,), (1000,), (650,)]


@pytest.mark.parametrize("params, match", [({"noise_std": "loud"}, "noise_std"), ({"noise_std": -1.0}, "noise_std"),
                                           ({"noise": "purple"}, "noise"), ({"segment_length": 2}, "segment_length")])
def test_bad_parameters_are_named_before_anything_is_fitted(params, match):
    with pytest.raises(ValueError, match=match):
        WienerDenoiser(**params).fit(autoregressive(4, 128, seed=6))


def test_a_segment_longer_than_the_signals_is_refused():
    with pytest.raises(ValueError, match="segment_length=256 is longer"):
        WienerDenoiser(segment_length=256).fit(autoregressive(4, 128, seed=7))


def test_a_weights_file_keeps_the_gain_it_learned(tmp_path):
    """The self-supervised race may keep a Wiener filter: a weights file restores its gain, not a fit on silence."""
    import torch

    from skdenoise._fit.model.fitted import _filter, _filter_state

    noisy = autoregressive(6, 512, seed=8) + np.random.default_rng(9).normal(0, 0.5, (6, 1, 512))
    fitted = WienerDenoiser(noise="white", noise_std=[0.5]).fit(noisy)
    torch.save(_filter_state(fitted), tmp_path / "filter.pt")
    restored = _filter(torch.load(tmp_path / "filter.pt", weights_only=True), (1, 512))
    np.testing.assert_allclose(restored.transform(noisy), fitted.transform(noisy))


def test_the_race_judges_the_wiener_filter_and_a_filter_alone_prints_a_gain_on_the_level_read():
    """Where filters alone are kept, no network trained on the recording: the file command's estimate divides
    the level read by the level's own ratios, not by those measured for networks on their training recording."""
    import dataclasses

    from skdenoise import DenoisingAutoencoder
    from skdenoise._file_command import _recording_gain, gain_stretches
    from skdenoise._fit.selection.gain import LEVEL_RATIOS, RECORDING_RATIOS, estimate_gain

    clean = np.concatenate(list(autoregressive(24, 256, seed=10)), axis=-1)[None]
    noisy = (clean + np.random.default_rng(11).normal(0, 0.5, clean.shape)).astype(np.float32)
    model = DenoisingAutoencoder(objective="self-supervised", window_length=256, device="cpu", random_state=0,
                                 max_epochs=6).fit(noisy)
    assert "wiener" in model.validation_mse_
    wavelet = WaveletDenoiser(threshold="bayes").fit(noisy).transform(noisy)
    assert mse(model.predict(noisy), clean) < mse(wavelet, clean)
    assert model.model_.gain is not None  # white noise of a level the recording tells
    wiener = WienerDenoiser(noise="white", noise_std=list(model.noise_std_)).fit(noisy)
    model.model_ = dataclasses.replace(model.model_, filter=wiener, mixture=None, method="wiener")
    assert not model.model_.denoises_with_network
    pieces = [noisy[0]]
    printed = _recording_gain(model, pieces, given=False)
    read = np.square(model.noise_std_)
    for ratios, same in ((LEVEL_RATIOS, True), (RECORDING_RATIOS, False)):
        expected = estimate_gain(model.predict, gain_stretches(pieces), read, 0.0, ratios=ratios)
        assert (abs(printed.db - expected.db) < 1e-9) == same
