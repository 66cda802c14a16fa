"""Real-signal machinery: the U-Net, training windows, the validation split, "auto" and the harm warning."""

import warnings

import numpy as np
import pytest
import torch
from skorch.dataset import Dataset

from skdenoise import DenoisingAutoencoder, HarmWarning
from skdenoise._fit.data import validation_split
from skdenoise._fit.training import plan_training
from skdenoise.baselines import WaveletDenoiser
from skdenoise._fit.batching import TensorBatchIterator
from skdenoise._fit.callbacks import CandidateCutoff
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


def test_windows_cover_the_data_and_pair_x_with_y():
    X = torch.arange(2 * 3 * 50, dtype=torch.float32).reshape(2, 3, 50)
    data = Dataset(X, X * 10)
    iterator = TensorBatchIterator(data, batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(0),
                                   window_length=16)
    batches = list(iterator)
    assert len(batches) == len(iterator) == 2  # ceil(50 / 16) = 4 windows per signal, 8 in all
    windows = torch.cat([xb for xb, _ in batches])
    assert windows.shape == (8, 3, 16)
    assert all(torch.equal(yb, xb * 10) for xb, yb in batches)
    # each window is a contiguous stretch of one signal, the same stretch in every channel
    steps = windows.diff(dim=-1)
    assert torch.all(steps == 1)
    assert torch.all(windows[:, 1] - windows[:, 0] == 50)


def test_validation_split_keeps_copies_of_one_recording_together():
    clean = np.repeat(np.arange(20.0)[:, None] * np.ones((1, 8)), 5, axis=0)  # 20 recordings x 5 copies
    rows, n_distinct = validation_split(clean, 0.2, seed=0)
    held_out = set(clean[rows, 0])
    assert len(held_out) == 4 and len(rows) == 20
    assert not held_out & set(np.delete(clean, rows, axis=0)[:, 0])
    assert n_distinct == 16


def test_validation_split_without_copies_is_a_plain_random_split():
    rows, n_distinct = validation_split(np.random.default_rng(0).random((50, 8)), 0.1, seed=0)
    assert len(rows) == 5 and n_distinct == 45
    assert validation_split(np.ones((50, 8)), 0.1, seed=0)[0] is None  # one recording: nothing to hold out


def test_auto_plan_windows_the_unet_but_not_minmax_targets():
    model = DenoisingAutoencoder()
    plan = plan_training(model, "conv", [480] * 1000, (1, 480), (1, 480), "standard")
    assert plan.window_length == 240 and plan.windows_per_epoch == 2000
    assert plan.batch_size == 16_384 // 240
    assert plan_training(model, "conv", [400] * 1000, (1, 400), (1, 400), "minmax").window_length is None
    mlp = plan_training(model, "mlp", [400] * 1024, (1, 400), (1, 400), "standard")
    assert (mlp.window_length, mlp.batch_size, mlp.max_epochs) == (None, 128, 60)
    # fewer signals still make 8 steps an epoch, in batches of at least 16
    assert [plan_training(model, "mlp", [400] * n, (1, 400), (1, 400), "standard").batch_size
            for n in (200, 50)] == [25, 16]
    # the U-Net's epochs follow a budget of time steps, which grows with distinct signals
    few = plan_training(model, "conv", [400] * 10_000, (1, 400), (1, 400), "minmax", n_distinct=100)
    many = plan_training(model, "conv", [400] * 10_000, (1, 400), (1, 400), "minmax", n_distinct=10_000)
    assert few.max_epochs == 2 and many.max_epochs == 6


def test_candidate_cutoff_stops_a_network_behind_the_leader():
    X, y = torch.randn(8, 1, 32), torch.zeros(8, 1, 32)
    cutoff = CandidateCutoff(X, y, leader_mse=0.01, after_steps=64).initialize()
    net = type("Net", (), {"module_": torch.nn.Identity()})()
    batch = (torch.zeros(1, 1, 32), None)
    cutoff.on_batch_end(net, batch=batch, training=True)  # 32 steps: too early to judge
    assert not cutoff.checked_
    with pytest.raises(KeyboardInterrupt):
        cutoff.on_batch_end(net, batch=batch, training=True)
    assert cutoff.cut_ and cutoff.mse_ == pytest.approx(float((X ** 2).mean()), rel=1e-5)


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
