"""Fixed-length networks at other lengths: a sliding network, measured and warned about like the fitted one."""

import copy
import dataclasses
import warnings

import numpy as np
import pytest

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder, HarmWarning
import torch

FAST = dict(device="cpu", random_state=0, on_collapse="ignore")


def cosines(n, n_periods, seed):
    """Random sums of the seed's cosines, unnormalised, 64 samples per period (the slowest spans 10 periods)."""
    generator = CyclicSignalGenerator(samples_per_period=64, n_periods=n_periods, normalization=None,
                                      random_state=seed)
    noisy, clean = generator.generate(n)
    return noisy[:, None], clean[:, None]


def mse(a, b):
    return float(np.mean((a - b) ** 2, dtype=np.float64))


@pytest.fixture(scope="module")
def mlp():
    return DenoisingAutoencoder(architecture="mlp", **FAST).fit(*cosines(2000, 4, 0))


def aligned_network(mlp, X):
    """The fitted (aligned) network on signals of its training length, or on consecutive windows of it."""
    windows = torch.from_numpy(np.concatenate(np.split(X, X.shape[-1] // 256, axis=-1)))
    with torch.inference_mode():
        outputs = mlp.net_.module_.eval()(windows).numpy()
    return np.concatenate(np.split(outputs, X.shape[-1] // 256), axis=-1)


def test_an_aligned_mlp_at_another_length_is_replaced_by_its_sliding_network(mlp):
    X_long, y_long = cosines(20, 64, 2)
    # The aligned network alone, window by window, has never seen a signal start anywhere but at 0.
    assert mse(aligned_network(mlp, X_long), y_long) > 0.5 * mse(X_long, y_long)
    assert mse(mlp.predict(X_long), y_long) < 0.1 * mse(X_long, y_long)
    assert mlp.validation_mse_["other lengths"] < 0.1 * mlp.validation_mse_["identity"]


def test_the_training_length_keeps_the_aligned_network(mlp):
    X, _ = cosines(8, 4, 1)
    np.testing.assert_allclose(mlp.predict(X), aligned_network(mlp, X), rtol=1e-5, atol=1e-6)


def test_lengths_down_to_the_sliding_window_are_accepted(mlp):
    X, _ = cosines(2, 4, 1)
    assert mlp.predict(X[..., :128]).shape == (2, 1, 128)
    with pytest.raises(ValueError, match="needs at least 128"):
        mlp.predict(X[..., :127])


def test_harm_at_other_lengths_warns_there_only(mlp):
    X, _ = cosines(2, 8, 3)
    harmful = copy.deepcopy(mlp)  # predict acts on the scores of validation_mse_["other lengths"]
    scores = harmful.model_.scores.with_other_lengths(2 * mlp.validation_mse_["identity"])
    harmful.model_ = dataclasses.replace(harmful.model_, scores=scores)
    with pytest.warns(HarmWarning, match="At other lengths"):
        harmful.predict(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        harmful.predict(X[..., :256])
        mlp.predict(X)  # its sliding network beats the input


def test_the_sliding_network_survives_saving_weights(mlp, tmp_path):
    path = tmp_path / "weights.pt"
    mlp.save_weights(path)
    loaded = DenoisingAutoencoder(architecture="mlp", device="cpu").load_weights(path)
    X, _ = cosines(2, 8, 3)
    np.testing.assert_array_equal(loaded.predict(X), mlp.predict(X))


@pytest.mark.parametrize("kind", ["conv", "two-dimensional", "minmax"])
def test_no_sliding_network_where_none_is_needed(kind):
    X, y = cosines(200, 4, 0)
    params = dict(max_epochs=2, on_harm="ignore", **FAST)
    if kind == "conv":
        model = DenoisingAutoencoder(architecture="conv", **params).fit(X, y)
    elif kind == "two-dimensional":  # predicts its own length only
        model = DenoisingAutoencoder(architecture="mlp", **params).fit(X[:, 0], y[:, 0])
    else:  # windows of min-max targets are not min-max scaled
        model = DenoisingAutoencoder(architecture="mlp", output="minmax", **params).fit(X, y)
    assert model.sliding_net_ is None and "other lengths" not in model.validation_mse_


def test_a_sliding_network_that_beats_the_aligned_one_replaces_it():
    rng = np.random.default_rng(0)
    t = np.arange(256)
    clean = np.sin(2 * np.pi * t / rng.uniform(20, 60, (600, 1, 1)) + rng.uniform(0, 6, (600, 1, 1)))
    X = (clean + rng.normal(0, 0.4, clean.shape)).astype(np.float32)
    model = DenoisingAutoencoder(architecture="mlp", **FAST).fit(X[:500], clean[:500].astype(np.float32))
    # Random phases: no signal is aligned, windows of any shift are the better network at 256 too.
    assert model.validation_mse_["other lengths"] < model.validation_mse_["mlp"]
    assert model.sliding_net_ is None and model.window_length_ == 128
    assert mse(model.predict(X[500:]), clean[500:]) < 0.5 * mse(X[500:], clean[500:])
