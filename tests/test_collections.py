"""Collections of recordings of unequal length: lists of (channels, length) arrays, in aeon's convention."""

import numpy as np
import pytest

from skdenoise import DenoisingAutoencoder

FAST = dict(device="cpu", random_state=0, on_collapse="ignore", on_harm="ignore", on_unfamiliar_noise="ignore")


def recording(length, seed, channels=2):
    """A wave with jumps, different in every recording and channel."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    waves = [np.sin(2 * np.pi * t / rng.uniform(20, 60) + rng.uniform(0, 6))
             + (np.cumsum(rng.random(length) < 0.01) % 2) for _ in range(channels)]
    return np.stack(waves).astype(np.float32)


def collection(lengths, seed=0, channels=2, noise=0.4):
    rng = np.random.default_rng(seed)
    clean = [recording(length, seed * 1000 + i, channels) for i, length in enumerate(lengths)]
    noisy = [(c + rng.normal(0, noise, c.shape)).astype(np.float32) for c in clean]
    return noisy, clean


def mse(outputs, targets):
    return float(np.mean(np.concatenate([np.ravel((o - t) ** 2) for o, t in zip(outputs, targets)])))


@pytest.fixture(scope="module")
def fitted():
    X, y = collection(np.random.default_rng(0).integers(100, 400, 40))
    return DenoisingAutoencoder(**FAST).fit(X, y)


def test_a_list_of_unequal_lengths_trains_and_denoises_as_a_list(fitted):
    X, y = collection([150, 333, 97, 260], seed=1)
    denoised = fitted.predict(X)
    assert isinstance(denoised, list) and [d.shape for d in denoised] == [x.shape for x in X]
    assert all(d.dtype == np.float32 for d in denoised)
    assert mse(denoised, y) < 0.6 * mse(X, y)
    assert fitted.n_features_in_ == 2 and fitted.input_shape_ == (2, fitted.window_length_)


def test_each_recording_is_denoised_as_on_its_own(fitted):
    X, _ = collection([150, 333], seed=1)
    together = fitted.predict(X)
    for signal, out in zip(X, together):
        np.testing.assert_allclose(fitted.predict(signal[None])[0], out, atol=1e-6)


def test_transform_and_score_take_lists(fitted):
    X, y = collection([150, 333, 97], seed=2)
    for a, b in zip(fitted.transform(X), fitted.predict(X)):
        np.testing.assert_array_equal(a, b)
    assert 0.5 < fitted.score(X, y) <= 1
    weighted = fitted.score(X, y, sample_weight=[1.0, 0.0, 0.0])
    assert weighted == pytest.approx(fitted.score(X[:1], y[:1]))


def test_one_channel_recordings_may_be_one_dimensional_and_float64_stays_float64():
    X, y = collection([120, 200, 170, 90, 300, 150], channels=1)
    X, y = [x[0].astype(np.float64) for x in X], [t[0] for t in y]
    model = DenoisingAutoencoder(max_epochs=2, **FAST).fit(X, y)
    denoised = model.predict(X[:2])
    assert [d.shape for d in denoised] == [(120,), (200,)] and denoised[0].dtype == np.float64


def test_a_list_of_equal_length_one_dimensional_arrays_is_a_two_dimensional_array():
    X, y = collection([128] * 20, channels=1)
    X, y = [x[0] for x in X], [t[0] for t in y]
    model = DenoisingAutoencoder(max_epochs=2, architecture="mlp", **FAST).fit(X, y)
    assert model.n_features_in_ == 128 and model.predict(X).shape == (20, 128)


def test_recordings_shorter_than_the_windows_are_mirrored_to_them_and_denoised():
    X, y = collection([300, 320, 280, 310, 40, 290, 300, 330, 305, 295], seed=3, channels=1)
    model = DenoisingAutoencoder(architecture="mlp", max_epochs=5, **FAST).fit(X, y)
    assert model.window_length_ > 40
    assert [d.shape for d in model.predict([X[4], X[0][:, :20]])] == [(1, 40), (1, 20)]


def test_a_collection_of_short_recordings_trains_on_windows_of_16_with_every_recording_mirrored():
    X, y = collection([10, 12, 3, 20, 11, 18], seed=6)
    model = DenoisingAutoencoder(max_epochs=2, **FAST).fit(X, y)
    assert model.window_length_ == 16
    assert [d.shape for d in model.predict(X)] == [x.shape for x in X]


@pytest.mark.parametrize("objective", ["supervised", "noise2self", "self-supervised"])
def test_one_recording_too_short_to_hold_out_a_stretch_trains_on_all_of_it(objective):
    X, y = collection([12], seed=7)
    model = DenoisingAutoencoder(objective=objective, max_epochs=2, **FAST).fit(X, y)
    assert [d.shape for d in model.predict(X)] == [(2, 12)]
    with pytest.raises(ValueError, match="held out for validation"):  # an explicit window keeps its rule
        DenoisingAutoencoder(objective=objective, window_length=8, max_epochs=2, **FAST).fit(X, y)


def test_memmaps_in_a_list_train_as_arrays_do(tmp_path):
    X, y = collection([200, 260, 180, 240, 220, 300], seed=4, channels=1)
    mapped = []
    for index, x in enumerate(X):
        array = np.lib.format.open_memmap(tmp_path / f"{index}.npy", mode="w+", dtype=np.float32, shape=x.shape)
        array[:] = x
        mapped.append(np.load(tmp_path / f"{index}.npy", mmap_mode="r"))
    from_disk = DenoisingAutoencoder(max_epochs=2, **FAST).fit(mapped, y)
    in_memory = DenoisingAutoencoder(max_epochs=2, **FAST).fit(X, y)
    np.testing.assert_array_equal(from_disk.predict(X)[0], in_memory.predict(X)[0])


def test_a_saved_collection_model_loads_and_denoises_alike(fitted, tmp_path):
    path = tmp_path / "weights.pt"
    fitted.save_weights(path)
    loaded = DenoisingAutoencoder(device="cpu").load_weights(path)
    X, _ = collection([150, 40], seed=5)
    for a, b in zip(loaded.predict(X), fitted.predict(X)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("objective", ["noise2noise", "noise2self"])
def test_self_supervised_objectives_take_lists(objective):
    X, y = collection([150, 200, 170, 120, 260, 180])
    second = [x + np.random.default_rng(9).normal(0, 0.4, x.shape).astype(np.float32) for x in y]
    model = DenoisingAutoencoder(objective=objective, max_epochs=2, **FAST).fit(X, second)
    assert [d.shape for d in model.predict(X[:2])] == [(2, 150), (2, 200)]


def bad_collections():
    X, y = collection([150, 200, 170])
    return {
        "channels": ([X[0], X[1][:1], X[2]], y, {}, r"X\[1\] has 1 channels"),
        "target shape": (X, [y[0], y[1][:, :100], y[2]], {}, r"y\[1\] has shape \(2, 100\)"),
        "target kind": (X, np.zeros((3, 2, 150)), {}, "y must be a list of 3 recordings"),
        "window": (X, y, {"window_length": 160}, r"window_length=160 needs 160 time steps, but X\[0\] has 150"),
        "too short": ([X[0], X[1][:, :1], X[2]], [y[0], y[1][:, :1], y[2]], {},
                      r"needs 2 time steps, but X\[1\] has 1"),
        "whole": (X, y, {"window_length": None}, "window_length=None trains on whole signals"),
        "empty": ([X[0], X[1][:, :0]], y[:2], {}, r"X\[1\]"),
        "nan": ([X[0], np.full((2, 50), np.nan, np.float32)], y[:2], {}, r"X\[1\]"),
    }


@pytest.mark.parametrize("case", list(bad_collections()))
def test_bad_collections_are_refused_before_training_naming_the_recording(case):
    X, y, params, message = bad_collections()[case]
    model = DenoisingAutoencoder(**FAST, **params)
    with pytest.raises(ValueError, match=message):
        model.fit(X, y)
    assert not hasattr(model, "net_")


def test_lists_need_a_model_that_denoises_any_length():
    X, y = collection([128] * 20, channels=1)
    model = DenoisingAutoencoder(max_epochs=2, architecture="mlp", **FAST).fit(np.stack(X)[:, 0], np.stack(y)[:, 0])
    with pytest.raises(ValueError, match="needs a model fitted on 3-D signals"):
        model.predict([X[0], X[1][:, :100]])


def test_partial_fit_refuses_lists_clearly():
    X, y = collection([150, 200])
    with pytest.raises(ValueError, match="partial_fit takes batches of equal-length signals"):
        DenoisingAutoencoder(**FAST).partial_fit(X, y)
