import pickle

import joblib
import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.baselines import IdentityDenoiser

# Too short to learn much: the collapse warning would be right, and is not what these tests are about.
FAST = dict(max_epochs=4, batch_size=32, device="cpu", random_state=0, on_collapse="ignore")


@pytest.fixture(scope="module")
def seed_task():
    """A small version of the seed task: 64 samples per period, 128 per signal."""
    gen = CyclicSignalGenerator(samples_per_period=64, random_state=0)
    noisy, clean = gen.generate(1200)
    return noisy[:1000], clean[:1000], noisy[1000:], clean[1000:]


@pytest.fixture(scope="module")
def fitted(seed_task):
    X, y, _, _ = seed_task
    return DenoisingAutoencoder(max_epochs=40, device="cpu", random_state=0).fit(X, y)


def test_learns_to_denoise_far_better_than_identity(seed_task, fitted):
    _, _, X_test, y_test = seed_task
    identity = IdentityDenoiser().fit(X_test, y_test)
    model_mse = np.mean((fitted.predict(X_test) - y_test) ** 2)
    identity_mse = np.mean((identity.predict(X_test) - y_test) ** 2)
    assert model_mse < identity_mse / 5
    assert fitted.score(X_test, y_test) > 0.95
    assert not fitted.collapsed_


def test_fitted_attributes(seed_task, fitted):
    X, _, _, _ = seed_task
    assert fitted.n_features_in_ == X.shape[1]
    assert fitted.input_shape_ == (1, X.shape[1])
    assert fitted.target_shape_ == (X.shape[1],)
    assert fitted.output_ == "minmax"
    assert 1 <= fitted.n_iter_ <= 40
    assert len(fitted.history_) == fitted.n_iter_
    assert "valid_loss" in fitted.history_[-1]


def test_prediction_dtype_follows_input(seed_task, fitted):
    X, _, _, _ = seed_task
    assert fitted.predict(X[:3]).dtype == np.float32
    assert fitted.predict(X[:3].astype(np.float64)).dtype == np.float64


def test_same_seed_same_predictions(seed_task):
    X, y, X_test, _ = seed_task
    for architecture in ("mlp", "conv"):
        a = DenoisingAutoencoder(architecture=architecture, **FAST).fit(X, y).predict(X_test)
        b = DenoisingAutoencoder(architecture=architecture, **FAST).fit(X, y).predict(X_test)
        np.testing.assert_array_equal(a, b)


def test_fit_does_not_change_torch_global_rng(seed_task):
    X, y, _, _ = seed_task
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    DenoisingAutoencoder(**FAST).fit(X[:100], y[:100])
    np.testing.assert_array_equal(torch.rand(3), expected)


def test_pickle_and_joblib_round_trip(seed_task, fitted, tmp_path):
    _, _, X_test, _ = seed_task
    expected = fitted.predict(X_test)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(fitted)).predict(X_test), expected)
    joblib.dump(fitted, tmp_path / "model.joblib")
    np.testing.assert_array_equal(joblib.load(tmp_path / "model.joblib").predict(X_test), expected)


def test_clone_keeps_params_drops_fit(fitted):
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "net_")


def test_pipeline_grid_search_and_cross_validation(seed_task):
    X, y, _, _ = seed_task
    X, y = X[:300], y[:300]
    pipe = make_pipeline(FunctionTransformer(lambda a: a * 1.0), DenoisingAutoencoder(**FAST))
    assert pipe.fit(X, y).predict(X).shape == y.shape
    search = GridSearchCV(DenoisingAutoencoder(**FAST), {"z_dim": [8, 16], "lr": [1e-3, 3e-3]}, cv=3)
    search.fit(X, y)
    assert set(search.best_params_) == {"z_dim", "lr"}
    assert len(search.cv_results_["mean_test_score"]) == 4
    scores = cross_val_score(DenoisingAutoencoder(**FAST), X, y, cv=3)
    assert scores.shape == (3,) and np.all(np.isfinite(scores))


def test_multichannel_round_trip():
    gen = CyclicSignalGenerator(samples_per_period=16, n_channels=3, random_state=0)
    X, y = gen.generate(400)
    for architecture in ("mlp", "conv"):
        model = DenoisingAutoencoder(architecture=architecture, max_epochs=80, device="cpu",
                                     random_state=0).fit(X, y)
        prediction = model.predict(X)
        assert prediction.shape == X.shape
        assert model.n_features_in_ == 3 and model.input_shape_ == (3, 32)
        assert model.score(X, y) > 0.5


def test_predict_rejects_other_signal_shapes(fitted, seed_task):
    X, _, _, _ = seed_task
    with pytest.raises(ValueError, match="features"):
        fitted.predict(X[:, :50])
    with pytest.raises(ValueError, match="shape"):
        fitted.predict(X[:5, None, :].repeat(2, axis=1))


def test_standard_output_for_unnormalised_targets():
    gen = CyclicSignalGenerator(samples_per_period=16, normalization=None, random_state=0)
    X, y = gen.generate(600)
    X, y = X * 100 + 5, y * 100 + 5
    model = DenoisingAutoencoder(max_epochs=40, device="cpu", random_state=0).fit(X, y)
    assert model.output_ == "standard"
    assert model.score(X, y) > 0.9


def test_user_module_class(seed_task):
    X, y, _, _ = seed_task

    class Smoother(torch.nn.Module):
        def __init__(self, in_shape, out_shape):
            super().__init__()
            self.conv = torch.nn.Conv1d(in_shape[0], out_shape[0], 9, padding=4)

        def forward(self, x):
            return self.conv(x)

    model = DenoisingAutoencoder(architecture=Smoother, **FAST).fit(X, y)
    assert isinstance(model.net_.module_.core, Smoother)
    assert model.predict(X[:2]).shape == (2, X.shape[1])


def test_partial_fit_streams_fresh_batches():
    gen = CyclicSignalGenerator(samples_per_period=32, random_state=0)
    model = DenoisingAutoencoder(batch_size=64, lr=3e-3, device="cpu", random_state=0)
    for noisy, clean in gen.iter_batches(64, n_batches=150):
        model.partial_fit(noisy, clean)
    X_test, y_test = CyclicSignalGenerator(samples_per_period=32, random_state=1).generate(200)
    assert model.n_iter_ == 150
    assert model.score(X_test, y_test) > 0.9


def test_partial_fit_after_fit_continues_from_fitted_weights(seed_task, fitted):
    X, y, X_test, y_test = seed_task
    model = clone(fitted).fit(X, y)
    before = model.score(X_test, y_test)
    model.partial_fit(X[:200], y[:200])
    assert model.n_iter_ == fitted.n_iter_ + 1
    assert model.score(X_test, y_test) > before - 0.05


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_fit_predict_and_load_on_cpu(seed_task, tmp_path):
    X, y, X_test, y_test = seed_task
    model = DenoisingAutoencoder(max_epochs=20, device="cuda", random_state=0).fit(X, y)
    assert next(model.net_.module_.parameters()).is_cuda
    assert model.score(X_test, y_test) > 0.9
    joblib.dump(model, tmp_path / "gpu.joblib")
    loaded = joblib.load(tmp_path / "gpu.joblib")
    np.testing.assert_allclose(loaded.predict(X_test), model.predict(X_test), atol=1e-5)
