"""Grid search on a real (local) Dask cluster through joblib gives the sequential run's results."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.baselines import SavitzkyGolayDenoiser

distributed = pytest.importorskip("dask.distributed")
joblib = pytest.importorskip("joblib")


def searches():
    model = DenoisingAutoencoder(max_epochs=3, batch_size=32, device="cpu", random_state=0, on_collapse="ignore")
    yield GridSearchCV(model, {"z_dim": [8, 16], "lr": [1e-3, 3e-3]}, cv=2)
    yield GridSearchCV(SavitzkyGolayDenoiser(), {"window_length": [5, 9], "polyorder": [2, 3]}, cv=2)


def test_grid_search_on_a_local_cluster_equals_the_sequential_run(dask_cluster):
    X, y = CyclicSignalGenerator(samples_per_period=16, random_state=0).generate(200)
    sequential = [search.fit(X, y) for search in searches()]
    with distributed.Client(dask_cluster):
        with joblib.parallel_config(backend="dask"):
            on_cluster = [search.fit(X, y) for search in searches()]
    for local, remote in zip(sequential, on_cluster):
        assert remote.best_params_ == local.best_params_
        assert [p for p in remote.cv_results_["params"]] == [p for p in local.cv_results_["params"]]
        np.testing.assert_allclose(remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"],
                                   rtol=1e-5)
        np.testing.assert_allclose(remote.predict(X[:5]), local.predict(X[:5]), rtol=1e-4, atol=1e-6)
