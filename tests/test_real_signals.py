"""Real-signal machinery: the U-Net, training windows, the validation split, "auto" and the harm warning."""

import warnings

import numpy as np
import pytest
import torch

from skdenoise import DenoisingAutoencoder, HarmWarning, UnfamiliarNoiseWarning
from skdenoise.baselines import WaveletDenoiser
from skdenoise.metrics import snr_gain_db
from skdenoise.preprocessing import zscore_signals
from skdenoise.recordings import load_pickup_gestures, make_noisy_pairs
from skdenoise.nn.unet import ResidualUNet, fold, unfold

FAST = dict(device="cpu", random_state=0, on_collapse="ignore")


def spikes(n, length=128, seed=0):
    """Clean signals with a few randomly placed spikes of random sign and width: local, shifted structure."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    clean = np.zeros((n, length))
    for row in clean:
        for _ in range(3):
            centre, width = rng.uniform(0, length), rng.uniform(1.5, 4)
            row += rng.choice([-2, 2]) * np.exp(-0.5 * ((t - centre) / width) ** 2)
    return clean.astype(np.float32)


@pytest.mark.parametrize("length", [1, 15, 16, 100, 361])
@pytest.mark.parametrize("channels", [1, 3])
def test_unet_starts_as_the_identity_at_any_length(length, channels):
    net = ResidualUNet((channels, 64), (channels, 64), z_dim=8)
    x = torch.randn(2, channels, length)
    assert torch.equal(net(x), x)


def test_unet_maps_other_channels_and_lengths():
    net = ResidualUNet((3, 40), (2, 10), z_dim=8)
    assert net(torch.randn(5, 3, 40)).shape == (5, 2, 10)


def test_fold_and_unfold_are_inverse_and_keep_neighbours_together():
    x = torch.arange(24.0).reshape(1, 2, 12)
    folded = fold(x, 4)
    assert folded.shape == (1, 8, 3)
    # the first folded step holds time steps 0..3 of each channel
    assert sorted(folded[0, :, 0].tolist()) == [0, 1, 2, 3, 12, 13, 14, 15]
    assert torch.equal(unfold(folded, 4), x)


class MeanOnly(torch.nn.Module):
    """Predicts one learned constant: worse than the input whenever the noise is small."""

    def __init__(self, out_shape):
        super().__init__()
        self.level = torch.nn.Parameter(torch.zeros(1, *out_shape))

    def forward(self, x):
        return self.level.expand(len(x), -1, -1)


def sine_pairs(n=300, noise=0.1):
    rng = np.random.default_rng(0)
    t = np.linspace(0, 4 * np.pi, 64)
    clean = np.sin(t + rng.uniform(0, 2 * np.pi, (n, 1))).astype(np.float32)
    return clean + rng.normal(0, noise, clean.shape).astype(np.float32), clean


def test_harm_warning_names_both_errors_when_the_model_is_worse_than_the_input():
    X, y = sine_pairs()
    model = DenoisingAutoencoder(architecture=MeanOnly, max_epochs=5, **FAST)
    with pytest.warns(HarmWarning, match=r"validation MSE \(.*\) is above that of the noisy inputs"):
        model.fit(X, y)
    assert model.validation_mse_["identity"] < model.validation_mse_[MeanOnly]
    with pytest.raises(HarmWarning):
        DenoisingAutoencoder(architecture=MeanOnly, max_epochs=5, on_harm="raise", **FAST).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", HarmWarning)
        DenoisingAutoencoder(architecture=MeanOnly, max_epochs=5, on_harm="ignore", **FAST).fit(X, y)


def test_no_harm_warning_on_a_good_fit():
    X, y = sine_pairs(noise=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", HarmWarning)
        model = DenoisingAutoencoder(architecture="conv", max_epochs=10, **FAST).fit(X, y)
    assert model.validation_mse_["conv"] < model.validation_mse_["identity"] / 2


def test_auto_picks_the_unet_for_local_shifted_structure():
    clean = spikes(300)
    X, y = make_noisy_pairs(clean, n_copies=2, noise_std=0.4, random_state=0)
    model = DenoisingAutoencoder(max_epochs=15, **FAST).fit(X, y)
    assert model.architecture_ == "conv"
    assert model.validation_mse_["conv"] < model.validation_mse_["identity"] / 2
    X_test, y_test = make_noisy_pairs(spikes(50, seed=1), noise_std=0.4, random_state=1)
    assert snr_gain_db(y_test, X_test, model.predict(X_test)) > 3


def test_default_beats_a_wavelet_filter_on_a_real_recording():
    series = zscore_signals(load_pickup_gestures().astype(np.float64)).astype(np.float32)
    train, test = series[:60], series[60:]
    X, y = make_noisy_pairs(train, n_copies=4, noise_std=0.5, random_state=1)
    X_test, y_test = make_noisy_pairs(test, noise_std=0.5, random_state=2)
    model = DenoisingAutoencoder(max_epochs=20, **FAST).fit(X, y)
    gain = snr_gain_db(y_test, X_test, model.predict(X_test))
    wavelet = snr_gain_db(y_test, X_test, WaveletDenoiser(threshold="bayes").fit(X, y).predict(X_test))
    assert gain > 5 and gain > wavelet + 1


def test_bundled_recordings_and_noisy_pairs():
    signals, labels = load_pickup_gestures(return_labels=True)
    assert signals.shape == (100, 1, 361) and len(labels) == 100
    noisy, clean = make_noisy_pairs(signals[:3], n_copies=4, noise_std=0.5, random_state=0)
    assert noisy.shape == (12, 1, 361) and noisy.dtype == np.float32
    np.testing.assert_array_equal(clean[:4], np.repeat(signals[:1], 4, axis=0))
    assert np.std(noisy - clean) == pytest.approx(0.5, rel=0.05)
    with pytest.raises(ValueError, match="n_copies"):
        make_noisy_pairs(signals, n_copies=0)
    with pytest.raises(ValueError, match="noise_std"):
        make_noisy_pairs(signals, noise_std=-1)


def test_train_test_pairs_keep_recordings_on_one_side_of_the_split():
    from skdenoise.recordings import train_test_pairs

    recordings = load_pickup_gestures()
    X, y, X_test, y_test = train_test_pairs(recordings, n_copies=3, random_state=5)
    assert X.shape == (180, 1, 361) and X_test.shape == (40, 1, 361) and X.dtype == np.float32
    # z-normalised recordings, each training one in 3 consecutive copies with fresh noise
    np.testing.assert_allclose(y.mean(axis=-1), 0, atol=1e-5)
    np.testing.assert_allclose(y.std(axis=-1), 1, rtol=1e-4)
    np.testing.assert_array_equal(y[0::3], y[1::3])
    assert not np.array_equal(X[0], X[1])
    assert np.std(X - y) == pytest.approx(0.5, rel=0.05)
    train_clean = {row.tobytes() for row in y[0::3]}
    assert len(train_clean) == 60 and train_clean.isdisjoint(row.tobytes() for row in y_test)
    with pytest.raises(ValueError, match="train_fraction"):
        train_test_pairs(recordings, train_fraction=1.0)


def test_warnings_point_at_the_users_line_from_fit_predict_and_transform():
    X, y = sine_pairs()
    with pytest.warns(HarmWarning) as fitting:
        model = DenoisingAutoencoder(architecture=MeanOnly, max_epochs=2, **FAST).fit(X, y)
    model.set_params(on_unfamiliar_noise="warn")
    loud = (y + 10 * (X - y)).astype(np.float32)
    with pytest.warns(UnfamiliarNoiseWarning) as predicting:
        model.predict(loud)
    with pytest.warns(UnfamiliarNoiseWarning) as transforming:
        model.transform(loud)
    for record in (fitting, predicting, transforming):
        assert {w.filename for w in record} == {__file__}
