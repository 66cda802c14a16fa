"""Weights files: files of skdenoise 0.1 still load and predict as they did; clear errors for bad paths."""

import pathlib

import numpy as np
import pytest

from skdenoise import DenoisingAutoencoder, make_cyclic_signals

DATA = pathlib.Path(__file__).with_name("data")


@pytest.mark.parametrize("name, params", [
    ("mlp_sliding_v2", dict(architecture="mlp", z_dim=4)),  # an aligned network and its sliding twin
    ("n2s_conv_v2", dict(objective="noise2self", architecture="conv", z_dim=8)),  # a blind-spot net and its blend
])
def test_files_of_the_previous_format_predict_as_when_they_were_saved(name, params):
    saved = np.load(DATA / f"{name}.npz")
    model = DenoisingAutoencoder(device="cpu", **params).load_weights(DATA / f"{name}.pt")
    # To float32 rounding: another CPU's kernels may sum in another order (1.8e-7 apart on an AMD EPYC); a
    # weight loaded wrong or a lost blend moves predictions by orders of magnitude more.
    np.testing.assert_allclose(model.predict(saved["X"]), saved["pred"], rtol=1e-5, atol=1e-6)
    if "long" in saved:  # another length: the sliding twin
        np.testing.assert_allclose(model.predict(saved["long"]), saved["pred_long"], rtol=1e-5, atol=1e-6)


def test_a_masked_users_network_predicts_the_same_after_loading(tmp_path):
    from skdenoise.nn import MLPAutoencoder

    X, _ = make_cyclic_signals(100, samples_per_period=16, random_state=0)
    model = DenoisingAutoencoder(architecture=MLPAutoencoder, objective="noise2self", max_epochs=2, device="cpu",
                                 random_state=0, on_harm="ignore").fit(X)
    model.save_weights(tmp_path / "masked.pt")
    loaded = DenoisingAutoencoder(architecture=MLPAutoencoder, objective="noise2self", device="cpu")
    np.testing.assert_array_equal(loaded.load_weights(tmp_path / "masked.pt").predict(X), model.predict(X))


def test_an_older_noise2noise_mlp_file_loads_with_the_z_dim_it_was_trained_with(tmp_path):
    import torch

    X, _ = make_cyclic_signals(100, samples_per_period=16, random_state=0)
    X2, _ = make_cyclic_signals(100, samples_per_period=16, random_state=1)
    model = DenoisingAutoencoder(architecture="mlp", objective="noise2noise", z_dim=64, max_epochs=2, device="cpu",
                                 random_state=0, on_harm="ignore", on_collapse="ignore").fit(X, X2)
    model.save_weights(tmp_path / "n2n.pt")
    saved = torch.load(tmp_path / "n2n.pt", weights_only=True)
    saved["format"], saved["structure"]["z_dim"] = "skdenoise-weights-3", None  # as format 3 saved a default
    torch.save(saved, tmp_path / "n2n_v3.pt")
    loaded = DenoisingAutoencoder(architecture="mlp", objective="noise2noise", device="cpu")
    np.testing.assert_array_equal(loaded.load_weights(tmp_path / "n2n_v3.pt").predict(X), model.predict(X))


def test_saving_into_a_missing_folder_names_it(tmp_path):
    X, y = make_cyclic_signals(50, samples_per_period=16, random_state=0)
    model = DenoisingAutoencoder(max_epochs=1, device="cpu", random_state=0, on_collapse="ignore").fit(X, y)
    with pytest.raises(OSError, match="the folder .*nowhere.* does not exist"):
        model.save_weights(tmp_path / "nowhere" / "weights.pt")
    with pytest.raises(FileNotFoundError, match="weights.pt' does not exist"):
        DenoisingAutoencoder().load_weights(tmp_path / "weights.pt")
