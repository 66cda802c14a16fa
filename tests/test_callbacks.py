import warnings

import numpy as np
import pytest

from skdenoise import CollapseWarning, CyclicSignalGenerator, DenoisingAutoencoder, TrainingDivergedError
from skdenoise.seed import SEED_BATCH_SIZE, SEED_STEPS, make_seed_autoencoder


@pytest.fixture(scope="module")
def seed_data():
    """The seed's own setting: 200 batches of 64 signals of 1,024 samples, plus test signals."""
    noisy, clean = CyclicSignalGenerator(random_state=0).generate(SEED_STEPS * SEED_BATCH_SIZE + 500)
    return noisy[:-500], clean[:-500], noisy[-500:], clean[-500:]


def test_collapse_warning_fires_on_the_seed_configuration(seed_data):
    X, y, X_test, y_test = seed_data
    model = make_seed_autoencoder(random_state=0, device="cpu")
    with pytest.warns(CollapseWarning, match=r"MSE .* is \d+\.\d+x the MSE of predicting") as record:
        model.fit(X, y)
    assert "optimizer='adam'" in str(record[0].message)
    assert model.collapsed_
    assert model.collapse_stats_["loss_ratio"] > 1
    # It really is useless: worse than returning each target's mean.
    mse = np.mean((model.predict(X_test) - y_test) ** 2)
    assert mse > np.mean(y_test.var(axis=-1))


def test_no_collapse_warning_on_a_healthy_default_fit(seed_data):
    X, y, _, _ = seed_data
    with warnings.catch_warnings():
        warnings.simplefilter("error", CollapseWarning)
        model = DenoisingAutoencoder(max_epochs=15, device="cpu", random_state=0).fit(X[:4000], y[:4000])
    assert not model.collapsed_
    assert model.collapse_stats_["variance_ratio"] > 0.5
    assert "variance_ratio" in model.history_[-1] and "loss_ratio" in model.history_[-1]


def test_collapse_can_raise_and_keeps_the_model(seed_data):
    X, y, X_test, _ = seed_data
    model = make_seed_autoencoder(random_state=0, device="cpu", on_collapse="raise")
    with pytest.raises(CollapseWarning):
        model.fit(X, y)
    assert model.predict(X_test[:2]).shape == (2, X.shape[1])
    with warnings.catch_warnings():
        warnings.simplefilter("error", CollapseWarning)
        with pytest.raises(CollapseWarning):
            make_seed_autoencoder(random_state=0, device="cpu").fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CollapseWarning)
        make_seed_autoencoder(random_state=0, device="cpu", on_collapse="ignore").fit(X, y)


def test_divergence_stops_with_a_clear_error_and_keeps_earlier_fit(seed_data):
    X, y, X_test, _ = seed_data
    X, y = X[:1000], y[:1000]
    model = DenoisingAutoencoder(max_epochs=3, device="cpu", random_state=0, on_collapse="ignore").fit(X, y)
    before = model.predict(X_test)
    model.set_params(optimizer="sgd", lr=1e12, output="standard", max_epochs=50)
    with pytest.raises(TrainingDivergedError, match="lr"):
        model.fit(X, y)
    np.testing.assert_array_equal(model.predict(X_test), before)
    fresh = DenoisingAutoencoder(optimizer="sgd", lr=1e12, output="standard", max_epochs=50, device="cpu")
    with pytest.raises(TrainingDivergedError):
        fresh.fit(X, y)
    assert not hasattr(fresh, "net_")


